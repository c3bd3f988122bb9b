package org.l2l4j.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads files that come from outside (optimizer files, checkpoints, data files) with two guards: a
 * file must be a regular file after following symbolic links (a device such as {@code /dev/zero},
 * a pipe or a folder is refused at once rather than read for ever), and at most a given number of
 * bytes is read (a bounded read of at most limit + 1 bytes, so that a file that grows or reports
 * a wrong size cannot exhaust the heap).
 */
public final class InputFiles {
  private InputFiles() {}

  /** A file refused by {@link InputFiles}; the message does not name the file (callers do). */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason, e.g. {@code "not a regular file (a device)"}. */
    public RefusedException(String reason) {
      super(reason);
    }
  }

  /**
   * Checks that {@code path} is a regular file once symbolic links are followed.
   *
   * @return its size in bytes
   * @throws java.nio.file.NoSuchFileException if it does not exist
   * @throws RefusedException if it is a folder, a device, a pipe or a socket
   * @throws IOException if its attributes cannot be read
   */
  public static long requireRegularFile(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    if (a.isRegularFile()) {
      return a.size();
    }
    String kind = a.isDirectory() ? "a folder" : "a device, pipe or socket";
    String link = "";
    if (Files.isSymbolicLink(path)) {
      try {
        link = ", a link to " + Text.excerpt(path.toRealPath());
      } catch (IOException e) {
        link = ", a link";
      }
    }
    throw new RefusedException("not a regular file (" + kind + link + ")");
  }

  /**
   * Reads all of a regular file of at most {@code limit} bytes.
   *
   * @throws java.nio.file.NoSuchFileException if it does not exist
   * @throws RefusedException if it is not a regular file or holds more than {@code limit} bytes
   * @throws IOException if it cannot be read
   */
  public static byte[] read(Path path, long limit) throws IOException {
    if (limit < 0 || limit >= Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("limit " + limit + " out of range");
    }
    long size = requireRegularFile(path);
    if (size > limit) {
      throw new RefusedException(size + " bytes, more than the limit of " + limit);
    }
    byte[] b;
    try (InputStream in = Files.newInputStream(path)) {
      b = in.readNBytes((int) limit + 1);
    }
    if (b.length > limit) {
      throw new RefusedException("more than the limit of " + limit + " bytes");
    }
    return b;
  }

  /**
   * The SHA-256 (lower-case hex) of the files' bytes, concatenated in order.
   *
   * @throws java.io.UncheckedIOException naming the file that cannot be read
   */
  public static String sha256(java.util.List<Path> files) {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    byte[] buf = new byte[1 << 16];
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(f + ": cannot read: " + e.getMessage(), e);
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}
