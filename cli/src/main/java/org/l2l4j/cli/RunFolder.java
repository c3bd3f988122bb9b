package org.l2l4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The output folder ({@code --out}) of one run, checked and locked before any work starts.
 *
 * <p>{@link #open} checks that the path is not empty and not a file, creates the folder, takes an
 * exclusive lock on {@code OUT/.lock} for the whole run (the holder's pid is written into it; the
 * operating system drops the lock when the process dies, even by SIGKILL, so a stale lock never
 * blocks a later run), and then applies the {@link Existing} policy to earlier results.
 *
 * <p>A folder <em>holds results</em> when it contains one of {@link #RESULT_FILES}, or a
 * {@linkplain #isResultFolder result subfolder} ({@code gac}, {@code train}, {@code train-gac},
 * {@code case-*}; the suite's {@code task-*} and their {@code steps-*}) that holds results. Anything else (other files, {@code .lock}, the temporary
 * files {@code NAME.tmp} of interrupted atomic writes) does not count: an empty or absent folder,
 * or one with only unrelated files, is fine. {@code --overwrite} removes exactly the results (and
 * those temporary files), never anything else.
 */
final class RunFolder implements AutoCloseable {
  /** The lock file's name in a run folder. */
  static final String LOCK_FILE = ".lock";

  /** The files that make a folder hold results (written by train, demo, eval and mnist). */
  static final List<String> RESULT_FILES = List.of(Workflows.OPTIMIZER_FILE,
      Workflows.CHECKPOINT_FILE, Workflows.CHECKPOINT_FILE + ".prev", "summary.json",
      "curves.csv", "plot.png", "index.html");

  /** What {@link #open} does with a folder that already holds results. */
  enum Existing {
    /** Refuse it (the default of every command). */
    REFUSE,
    /** Remove the results first ({@code --overwrite}) and say so in one line. */
    OVERWRITE,
    /** Keep them: the run continues them ({@code --resume}). */
    KEEP
  }

  /** Folders locked by this JVM (real paths), so that a second lock is refused, not attempted. */
  private static final Set<Path> HELD = new HashSet<>();

  private final Path path;
  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private RunFolder(Path path, Path key, FileChannel channel, FileLock lock) {
    this.path = path;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** The folder. */
  Path path() {
    return path;
  }

  /**
   * Checks, creates and locks {@code out} and applies {@code existing} to earlier results.
   *
   * @param out the folder ({@code --out})
   * @param existing what to do with earlier results
   * @param command the command's name, written into the lock file and used in messages
   * @param hint what the refusal suggests besides {@code --overwrite} (e.g. "--resume to continue
   *     it"), or null
   * @param inputs files the run reads; {@code --overwrite} refuses to delete one of them
   * @throws UserException naming {@code --out} and the folder when it cannot be used
   */
  static RunFolder open(Path out, Existing existing, String command, String hint, List<Path> inputs)
      throws IOException {
    if (out.toString().isBlank()) {
      throw new UserException("--out: empty path; give a folder");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UserException("--out " + out + ": is a file, not a folder");
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UserException("--out " + out + ": cannot create the folder (" + why(e) + ")");
    }
    Path key = out.toRealPath();
    RunFolder folder;
    synchronized (HELD) {
      if (HELD.contains(key)) {
        throw new UserException("--out " + out + ": in use by another run in this process (pid "
            + ProcessHandle.current().pid() + ")");
      }
      folder = lock(out, key, command);
      HELD.add(key);
    }
    try {
      folder.apply(existing, hint, inputs);
    } catch (RuntimeException | IOException e) {
      folder.close();
      throw e;
    }
    return folder;
  }

  private static RunFolder lock(Path out, Path key, String command) throws IOException {
    Path file = out.resolve(LOCK_FILE);
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UserException("--out " + out + ": not writable (" + why(e) + ")");
    }
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      // Locked through another channel of this JVM (not by RunFolder, which checks HELD first).
      // The channel stays open: closing it could release that other lock on some systems.
      throw new UserException("--out " + out + ": in use by another run in this process (pid "
          + ProcessHandle.current().pid() + ")");
    } catch (IOException e) {
      ch.close();
      throw new UserException("--out " + out + ": cannot lock " + file + " (" + why(e) + ")");
    }
    if (lock == null) {
      String holder = holder(ch);
      ch.close();
      throw new UserException("--out " + out + ": in use by another l2l4j run ("
          + (holder.isEmpty() ? "pid unknown" : holder) + "); wait for it to end or choose another"
          + " --out");
    }
    String me = "pid " + ProcessHandle.current().pid() + ", l2l4j " + command + " since "
        + Instant.now() + "\n";
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
    ch.force(false);
    return new RunFolder(out, key, ch, lock);
  }

  /** The first line of the lock file (the holder's pid and command), or "". */
  private static String holder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(200);
    int n = ch.read(b, 0);
    if (n <= 0) {
      return "";
    }
    String s = new String(b.array(), 0, n, StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    return (nl >= 0 ? s.substring(0, nl) : s).strip();
  }

  private void apply(Existing existing, String hint, List<Path> inputs)
      throws IOException {
    List<Path> results = results(path);
    if (results.isEmpty() || existing == Existing.KEEP) {
      return;
    }
    if (existing == Existing.REFUSE) {
      throw new UserException("--out " + path + " already holds the results of another run ("
          + names(results) + "); pass " + (hint == null ? "" : hint + ", ")
          + "--overwrite to delete them, or choose another --out");
    }
    String listed = names(results);
    List<Path> doomed = new ArrayList<>();
    collect(path, doomed);
    for (Path in : inputs) {
      for (Path d : doomed) {
        if (Files.exists(in) && Files.isSameFile(in, d)) {
          throw new UserException("--overwrite would delete " + in + ", which this run reads;"
              + " choose another --out");
        }
      }
    }
    for (Path d : doomed) {
      Files.deleteIfExists(d);
    }
    for (Path sub : subfolders(path)) {
      removeIfEmpty(sub);
    }
    System.err.println("l2l4j: warning: --overwrite: deleted the earlier results in " + path + " ("
        + listed + ")");
  }

  /** The results {@code folder} holds: result files and result subfolders (empty if none). */
  static List<Path> results(Path folder) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return out;
    }
    for (String name : RESULT_FILES) {
      if (Files.exists(folder.resolve(name))) {
        out.add(folder.resolve(name));
      }
    }
    for (Path sub : subfolders(folder)) {
      if (!results(sub).isEmpty()) {
        out.add(sub);
      }
    }
    return out;
  }

  /** Whether a subfolder of that name is part of a run's results. */
  static boolean isResultFolder(String name) {
    return name.equals("gac") || name.equals("train") || name.equals("train-gac")
        || name.startsWith("case-") || name.startsWith("task-") || name.startsWith("steps-");
  }

  private static List<Path> subfolders(Path folder) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      s.filter(p -> isResultFolder(p.getFileName().toString()) && Files.isDirectory(p)).sorted()
          .forEach(out::add);
    }
    return out;
  }

  /** Every result file under {@code folder}, with the temporary files of atomic writes. */
  private static void collect(Path folder, List<Path> into) throws IOException {
    for (String name : RESULT_FILES) {
      for (String n : new String[] {name, name + ".tmp"}) {
        if (Files.exists(folder.resolve(n))) {
          into.add(folder.resolve(n));
        }
      }
    }
    for (Path sub : subfolders(folder)) {
      collect(sub, into);
    }
  }

  private static void removeIfEmpty(Path folder) throws IOException {
    for (Path sub : subfolders(folder)) {
      removeIfEmpty(sub);
    }
    try {
      Files.deleteIfExists(folder);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // holds files that are not results: they stay
    }
  }

  private String names(List<Path> results) {
    StringBuilder sb = new StringBuilder();
    for (Path p : results) {
      sb.append(sb.length() > 0 ? ", " : "").append(path.relativize(p));
      sb.append(Files.isDirectory(p) ? "/" : "");
    }
    return sb.toString();
  }

  private static String why(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
      return "a parent is missing or not a folder";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a parent is a file, not a folder";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Empties the lock file and releases the lock; the file itself stays. */
  @Override
  public void close() throws IOException {
    synchronized (HELD) {
      try {
        if (lock.isValid()) {
          channel.truncate(0);
          lock.release();
        }
      } finally {
        channel.close();
        HELD.remove(key);
      }
    }
  }
}
