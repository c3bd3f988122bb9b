package org.l2l4j.problem.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
public final class IdxFiles {
  private IdxFiles() {}

  /** An IDX image file: header declaring {@code count × rows × cols}, then {@code pixels}. */
  static byte[] images(int count, int rows, int cols, byte[] pixels) {
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
    return b.array();
  }

  /** An IDX label file: header declaring {@code count}, then {@code labels}. */
  static byte[] labels(int count, byte[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(IdxReader.LABELS_MAGIC).putInt(count).put(labels);
    return b.array();
  }

  /** {@code data} gzipped (used by the fuzz tests too). */
  public static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code data} to {@code file}, creating its folder (used by the fuzz tests too). */
  public static Path write(Path file, byte[] data) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the train and t10k pairs of a data set with the given shape into {@code dir}; image i
   * of the train pair has pixel 0 equal to i and label i % 10, the t10k pair likewise with pixel 0
   * equal to 200 + i.
   */
  static void writeSet(Path dir, int train, int test, int rows, int cols, boolean gzip) {
    String ext = gzip ? ".gz" : "";
    for (String prefix : new String[] {"train", "t10k"}) {
      int n = prefix.equals("train") ? train : test;
      byte[] px = new byte[n * rows * cols];
      byte[] lb = new byte[n];
      for (int i = 0; i < n; i++) {
        px[i * rows * cols] = (byte) ((prefix.equals("train") ? 0 : 200) + i);
        lb[i] = (byte) (i % 10);
      }
      byte[] im = images(n, rows, cols, px);
      byte[] la = labels(n, lb);
      write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gzip ? gzip(im) : im);
      write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gzip ? gzip(la) : la);
    }
  }
}
