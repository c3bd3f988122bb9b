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
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code text} in UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    commit(writeTemporary(target, bytes), target);
  }

  /**
   * The first half of {@link #write}: writes {@code bytes} to {@code <target>.tmp} (truncating
   * whatever a killed writer left there) and forces it to disk.
   *
   * @return the temporary file, to be passed to {@link #commit}
   */
  public static Path writeTemporary(Path target, byte[] bytes) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    return tmp;
  }

  /** The second half of {@link #write}: moves {@code tmp} over {@code target}, syncs the folder. */
  public static void commit(Path tmp, Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    try {
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory(abs.getParent());
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
