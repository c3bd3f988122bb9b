package org.l2l4j.problem.data;

/**
 * An immutable labelled image data set held in memory: {@code count} grey-scale images of
 * {@code rows × cols} pixels with values in [0, 1], each with a label in {@code 0 .. classes-1}.
 * Pixels are stored row-major, image after image, in one float array.
 *
 * <p>Accessors copy out of the data set, so nothing a caller does can change it. {@link
 * #nonZeros} serves the sparse inner loops of {@link org.l2l4j.problem.MlpFamily}.
 */
public final class Dataset {
  private final float[] images;
  private final byte[] labels;
  private final int count;
  private final int rows;
  private final int cols;
  private final int classes;
  private final String source;

  /**
   * Wraps arrays without copying; for the readers in this package, which hand over arrays no one
   * else holds.
   */
  Dataset(float[] images, byte[] labels, int rows, int cols, int classes, String source) {
    if (rows < 1 || cols < 1 || classes < 1 || classes > 256) {
      throw new IllegalArgumentException(
          source + ": bad shape rows=" + rows + ", cols=" + cols + ", classes=" + classes);
    }
    if (labels.length < 1) {
      throw new IllegalArgumentException(source + ": no images");
    }
    if ((long) labels.length * rows * cols != images.length) {
      throw new IllegalArgumentException(
          source + ": " + images.length + " pixel values for " + labels.length + " images of "
              + rows + "x" + cols);
    }
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xff) >= classes) {
        throw new IllegalArgumentException(
            source + ": label " + (labels[i] & 0xff) + " of image " + i + " is outside 0.."
                + (classes - 1));
      }
    }
    this.images = images;
    this.labels = labels;
    this.count = labels.length;
    this.rows = rows;
    this.cols = cols;
    this.classes = classes;
    this.source = source;
  }

  /**
   * A data set from copies of the given arrays.
   *
   * @param images {@code count·rows·cols} pixel values in [0, 1], image after image (not
   *     modified)
   * @param labels one label in {@code 0 .. classes-1} per image (not modified)
   * @param source a description of where the data came from, for messages and reports
   * @throws IllegalArgumentException if the sizes disagree, a label is out of range or a pixel is
   *     outside [0, 1] or not a number
   */
  public static Dataset of(
      float[] images, int[] labels, int rows, int cols, int classes, String source) {
    for (int i = 0; i < images.length; i++) {
      if (!(images[i] >= 0f && images[i] <= 1f)) {
        throw new IllegalArgumentException(
            source + ": pixel value " + images[i] + " at index " + i + " is outside [0, 1]");
      }
    }
    byte[] b = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            source + ": label " + labels[i] + " of image " + i + " is outside 0.." + (classes - 1));
      }
      b[i] = (byte) labels[i];
    }
    return new Dataset(images.clone(), b, rows, cols, classes, source);
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
    return images[i * rows * cols + p];
  }

  /**
   * Copies image {@code i} into {@code out}.
   *
   * @param out receives {@link #pixels()} values from {@code offset} (modified)
   */
  public void copyImage(int i, float[] out, int offset) {
    int n = rows * cols;
    System.arraycopy(images, checkIndex(i) * n, out, offset, n);
  }

  /**
   * Copies the non-zero pixels of image {@code i} as (index, value) pairs, in increasing index
   * order.
   *
   * @param indexOut receives the pixel indices from {@code offset} (modified); needs room for
   *     {@link #pixels()} entries
   * @param valueOut receives the pixel values from {@code offset} (modified); same room
   * @return the number of non-zero pixels written
   */
  public int nonZeros(int i, int[] indexOut, float[] valueOut, int offset) {
    int n = rows * cols;
    int base = checkIndex(i) * n;
    int k = offset;
    for (int p = 0; p < n; p++) {
      float v = images[base + p];
      if (v != 0f) {
        indexOut[k] = p;
        valueOut[k] = v;
        k++;
      }
    }
    return k - offset;
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
    int n = rows * cols;
    float[] im = new float[Math.multiplyExact(indices.length, n)];
    byte[] lb = new byte[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = checkIndex(indices[k]);
      System.arraycopy(images, i * n, im, k * n, n);
      lb[k] = labels[i];
    }
    return new Dataset(im, lb, rows, cols, classes, newSource);
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
