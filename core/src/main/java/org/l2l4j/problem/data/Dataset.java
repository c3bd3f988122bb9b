package org.l2l4j.problem.data;

import java.util.Arrays;

/**
 * An immutable labelled image data set held in memory: {@code count} grey-scale images of
 * {@code rows × cols} pixels (at most 65,536) with values in [0, 1], each with a label in {@code 0
 * .. classes-1}. Pixels are numbered row-major within an image.
 *
 * <p>Images are stored sparse, as their non-zero pixels (index, value) in increasing index order:
 * MNIST-like images are mostly background, so this is smaller than a dense array (about 1.2 bytes
 * per pixel for MNIST, 3 for Fashion-MNIST, against 4) and it gives {@link #nonZeros}, which the
 * inner loops of {@link org.l2l4j.problem.MlpFamily} use, for the price of a copy.
 */
public final class Dataset {
  /** The largest number of pixels per image. */
  public static final int MAX_PIXELS = 1 << 16;

  private final int[] start;
  private final char[] index;
  private final float[] value;
  private final byte[] labels;
  private final int count;
  private final int rows;
  private final int cols;
  private final int classes;
  private final String source;

  private Dataset(
      int[] start, char[] index, float[] value, byte[] labels, int rows, int cols, int classes,
      String source) {
    this.start = start;
    this.index = index;
    this.value = value;
    this.labels = labels;
    this.count = labels.length;
    this.rows = rows;
    this.cols = cols;
    this.classes = classes;
    this.source = source;
  }

  /** Checks shape and labels; returns rows·cols. */
  private static int check(int count, byte[] labels, int rows, int cols, int classes, String src) {
    if (rows < 1 || cols < 1 || (long) rows * cols > MAX_PIXELS || classes < 1 || classes > 256) {
      throw new IllegalArgumentException(
          src + ": bad shape rows=" + rows + ", cols=" + cols + ", classes=" + classes);
    }
    if (count < 1) {
      throw new IllegalArgumentException(src + ": no images");
    }
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xff) >= classes) {
        throw new IllegalArgumentException(
            src + ": label " + (labels[i] & 0xff) + " of image " + i + " is outside 0.."
                + (classes - 1));
      }
    }
    return rows * cols;
  }

  /**
   * A data set from 8-bit pixels (value = byte / 255) and labels, which it takes over.
   *
   * @param pixels {@code labels.length·rows·cols} unsigned bytes (not modified)
   * @param labels one unsigned label per image (not copied: the caller must not keep it)
   */
  static Dataset fromBytes(
      byte[] pixels, byte[] labels, int rows, int cols, int classes, String source) {
    int n = check(labels.length, labels, rows, cols, classes, source);
    if ((long) labels.length * n != pixels.length) {
      throw new IllegalArgumentException(
          source + ": " + pixels.length + " pixels for " + labels.length + " images");
    }
    return sparse(labels.length, n, i -> (pixels[i] & 0xff) / 255f, labels, rows, cols, classes,
        source);
  }

  /**
   * A data set from dense float pixels and labels (neither is kept).
   *
   * @param images {@code count·rows·cols} pixel values in [0, 1], image after image (not
   *     modified)
   * @param labels one label in {@code 0 .. classes-1} per image (not modified)
   * @param source a description of where the data came from, for messages and reports
   * @throws IllegalArgumentException if the sizes disagree, a label is out of range, a pixel is
   *     outside [0, 1] or not a number, or an image has more than {@value #MAX_PIXELS} pixels
   */
  public static Dataset of(
      float[] images, int[] labels, int rows, int cols, int classes, String source) {
    byte[] b = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            source + ": label " + labels[i] + " of image " + i + " is outside 0.." + (classes - 1));
      }
      b[i] = (byte) labels[i];
    }
    return fromFloats(images, b, rows, cols, classes, source);
  }

  /** Like {@link #of}, with byte labels that it takes over. */
  static Dataset fromFloats(
      float[] images, byte[] labels, int rows, int cols, int classes, String source) {
    int n = check(labels.length, labels, rows, cols, classes, source);
    if ((long) labels.length * n != images.length) {
      throw new IllegalArgumentException(
          source + ": " + images.length + " pixel values for " + labels.length + " images of "
              + rows + "x" + cols);
    }
    for (int i = 0; i < images.length; i++) {
      float v = images[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new IllegalArgumentException(
            source + ": pixel value " + v + " at index " + i + " is outside [0, 1]");
      }
    }
    return sparse(labels.length, n, i -> images[i], labels, rows, cols, classes, source);
  }

  /** Reads pixel {@code i} of the dense image array. */
  @FunctionalInterface
  private interface Pixels {
    float at(int i);
  }

  /** Stores the non-zero pixels of {@code count} images of {@code n} pixels each. */
  private static Dataset sparse(int count, int n, Pixels pixels, byte[] labels, int rows, int cols,
      int classes, String source) {
    int nz = 0;
    for (int i = 0, total = count * n; i < total; i++) {
      nz += pixels.at(i) != 0f ? 1 : 0;
    }
    int[] start = new int[count + 1];
    char[] index = new char[nz];
    float[] value = new float[nz];
    int k = 0;
    for (int i = 0; i < count; i++) {
      start[i] = k;
      for (int p = 0, base = i * n; p < n; p++) {
        float v = pixels.at(base + p);
        if (v != 0f) {
          index[k] = (char) p;
          value[k++] = v;
        }
      }
    }
    start[count] = k;
    return new Dataset(start, index, value, labels, rows, cols, classes, source);
  }

  /** The number of images. */
  public int count() {
    return count;
  }

  /** The image height in pixels. */
  public int rows() {
    return rows;
  }

  /** The image width in pixels. */
  public int cols() {
    return cols;
  }

  /** The number of pixels per image, {@code rows·cols}. */
  public int pixels() {
    return rows * cols;
  }

  /** The number of classes; labels lie in {@code 0 .. classes-1}. */
  public int classes() {
    return classes;
  }

  /** Where the data came from (files, split), for messages and reports. */
  public String source() {
    return source;
  }

  /** The label of image {@code i}. */
  public int label(int i) {
    return labels[checkIndex(i)] & 0xff;
  }

  /** Pixel {@code p} (row-major) of image {@code i}, in [0, 1]. */
  public float pixel(int i, int p) {
    checkIndex(i);
    if (p < 0 || p >= rows * cols) {
      throw new IndexOutOfBoundsException("pixel " + p + " of " + rows * cols);
    }
    int k = Arrays.binarySearch(index, start[i], start[i + 1], (char) p);
    return k >= 0 ? value[k] : 0f;
  }

  /**
   * Copies image {@code i}, dense, into {@code out}.
   *
   * @param out receives {@link #pixels()} values from {@code offset} (modified)
   */
  public void copyImage(int i, float[] out, int offset) {
    checkIndex(i);
    Arrays.fill(out, offset, offset + rows * cols, 0f);
    for (int k = start[i], end = start[i + 1]; k < end; k++) {
      out[offset + index[k]] = value[k];
    }
  }

  /** The number of non-zero pixels of image {@code i}. */
  public int nonZeroCount(int i) {
    checkIndex(i);
    return start[i + 1] - start[i];
  }

  /**
   * Copies the non-zero pixels of image {@code i} as (index, value) pairs, in increasing index
   * order.
   *
   * @param indexOut receives the pixel indices from {@code offset} (modified)
   * @param valueOut receives the pixel values from {@code offset} (modified)
   * @return the number of non-zero pixels written, {@link #nonZeroCount}
   */
  public int nonZeros(int i, int[] indexOut, float[] valueOut, int offset) {
    checkIndex(i);
    int s = start[i];
    int n = start[i + 1] - s;
    System.arraycopy(value, s, valueOut, offset, n);
    for (int k = 0; k < n; k++) {
      indexOut[offset + k] = index[s + k];
    }
    return n;
  }

  /** The number of images per label. */
  public int[] labelCounts() {
    int[] c = new int[classes];
    for (byte l : labels) {
      c[l & 0xff]++;
    }
    return c;
  }

  /**
   * The images at {@code indices}, in that order (repeats allowed).
   *
   * @param indices image indices (not modified)
   * @param newSource the description of the subset
   */
  public Dataset subset(int[] indices, String newSource) {
    if (indices.length < 1) {
      throw new IllegalArgumentException(newSource + ": no images");
    }
    long nz = 0;
    for (int i : indices) {
      nz += start[checkIndex(i) + 1] - start[i];
    }
    int[] st = new int[indices.length + 1];
    char[] ix = new char[Math.toIntExact(nz)];
    float[] va = new float[ix.length];
    byte[] lb = new byte[indices.length];
    int k = 0;
    for (int j = 0; j < indices.length; j++) {
      int i = indices[j];
      int n = start[i + 1] - start[i];
      st[j] = k;
      System.arraycopy(index, start[i], ix, k, n);
      System.arraycopy(value, start[i], va, k, n);
      lb[j] = labels[i];
      k += n;
    }
    st[indices.length] = k;
    return new Dataset(st, ix, va, lb, rows, cols, classes, newSource);
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("image " + i + " of " + count + " in " + source);
    }
    return i;
  }

  @Override
  public String toString() {
    return "Dataset[" + count + " images " + rows + "x" + cols + ", " + classes + " classes, "
        + source + "]";
  }
}
