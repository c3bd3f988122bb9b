package org.l2l4j.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files atomically: the bytes go to a temporary file {@code <target>.tmp} in the same
 * folder, are forced to disk, and the temporary file is renamed over the target; then the folder
 * is forced to disk too (where the platform allows it), so that the rename survives a power loss.
 * A reader therefore sees either the old file or the complete new one, never a torn write. A stale
 * temporary file left by a killed writer is simply overwritten by the next write.
 *
 * <p>Faults: when writing or renaming fails (a full disk, a read-only folder), the temporary file
 * is deleted and the {@link IOException} names the target, e.g. {@code "cannot write
 * out/plot.png: No space left on device"}.
 *
 * <p>Test hook: when the system property {@value #TEST_FAIL_WRITE_PROPERTY} is a number B >= 0,
 * every write through this class throws {@code IOException("No space left on device")} after
 * writing B bytes of the temporary file (as a full disk would); {@code B:NAME} does so only for
 * targets whose file name is NAME (e.g. {@code 10:plot.png}). Unset: off. It exists for tests,
 * since a full disk is not available there.
 */
public final class AtomicFiles {
  /** Test hook: fail every write after this many bytes (unset or negative: off). */
  public static final String TEST_FAIL_WRITE_PROPERTY = "l2l4j.test.failWriteAfterBytes";

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code text} in UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    commit(writeTemporary(target, bytes), target);
  }

  /** The temporary file that {@link #writeTemporary} writes for {@code target}. */
  public static Path temporary(Path target) {
    Path abs = target.toAbsolutePath();
    return abs.resolveSibling(abs.getFileName() + ".tmp");
  }

  /**
   * The first half of {@link #write}: writes {@code bytes} to {@code <target>.tmp} (truncating
   * whatever a killed writer left there) and forces it to disk. On failure the temporary file is
   * deleted and the exception names {@code target}.
   *
   * @return the temporary file, to be passed to {@link #commit}
   */
  public static Path writeTemporary(Path target, byte[] bytes) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = temporary(target);
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        long failAfter = testFailAfter(abs);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (failAfter >= 0 && failAfter < bytes.length) {
          buf.limit((int) failAfter);
        }
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (failAfter >= 0 && failAfter < bytes.length) {
          throw new IOException("No space left on device");
        }
        ch.force(true);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw failure(target, e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(tmp);
      throw e;
    }
    return tmp;
  }

  /** The test hook's byte count for {@code target}, or -1 when it does not apply. */
  private static long testFailAfter(Path target) {
    String hook = System.getProperty(TEST_FAIL_WRITE_PROPERTY);
    if (hook == null || hook.isBlank()) {
      return -1;
    }
    int colon = hook.indexOf(':');
    if (colon >= 0 && !hook.substring(colon + 1).equals(String.valueOf(target.getFileName()))) {
      return -1;
    }
    try {
      return Long.parseLong(colon >= 0 ? hook.substring(0, colon) : hook);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The second half of {@link #write}: moves {@code tmp} over {@code target}, syncs the folder.
   * On failure the temporary file is deleted and the exception names {@code target}.
   */
  public static void commit(Path tmp, Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    try {
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw failure(target, e);
    }
    forceDirectory(abs.getParent());
  }

  /**
   * An {@link IOException} for a failed write of {@code target} whose message names it once,
   * e.g. {@code "cannot write out/plot.png: No space left on device"}.
   */
  public static IOException failure(Path target, IOException cause) {
    String why = reason(cause);
    if (cause instanceof java.nio.file.FileSystemException fse && fse.getFile() != null
        && !Path.of(fse.getFile()).toAbsolutePath().equals(target.toAbsolutePath())
        && !Path.of(fse.getFile()).toAbsolutePath().equals(temporary(target))) {
      why += " (" + fse.getFile() + ")"; // e.g. the folder that could not be created
    }
    return new IOException("cannot write " + target + ": " + Text.excerpt(why), cause);
  }

  /**
   * What went wrong, without the path that NIO puts into its messages (e.g. "No space left on
   * device", "permission denied").
   */
  public static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException fse) {
      if (fse.getReason() != null && !fse.getReason().isBlank()) {
        return fse.getReason();
      }
      if (e instanceof java.nio.file.AccessDeniedException) {
        return "permission denied";
      }
      if (e instanceof java.nio.file.NoSuchFileException) {
        return "no such file or folder";
      }
      if (e instanceof java.nio.file.FileAlreadyExistsException) {
        return "already exists";
      }
      if (e instanceof java.nio.file.NotDirectoryException) {
        return "not a folder";
      }
      return e.getClass().getSimpleName();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Deletes {@code p} if it exists, ignoring any failure (used for cleanup after a fault). */
  public static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException | RuntimeException e) {
      // best effort: the original failure is what the caller reports
    }
  }

  /**
   * Forces a folder's entries (renames) to disk. Best effort: some platforms (Windows) cannot open
   * a folder for this, and then nothing happens.
   */
  public static void forceDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported here; the rename itself is still atomic
    }
  }
}
