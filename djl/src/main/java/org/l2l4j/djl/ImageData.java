package org.l2l4j.djl;

import java.util.Arrays;
import java.util.Objects;
import org.l2l4j.problem.data.Dataset;

/**
 * An immutable labelled image data set held densely in memory as 8-bit pixels: {@code count}
 * images of {@code channels × height × width} (channel-major, then row-major, as DJL's NCHW
 * tensors), pixel value = byte / 255, each with a label in {@code 0 .. classes-1}. Unlike core's
 * grey-scale {@link Dataset} it has channels (CIFAR-10 is 3 × 32 × 32).
 */
public final class ImageData {
  private final byte[] pixels;
  private final byte[] labels;
  private final int channels;
  private final int height;
  private final int width;
  private final int classes;
  private final String source;

  /**
   * A data set that takes over both arrays (the caller must not keep them).
   *
   * @param pixels {@code labels.length·channels·height·width} unsigned bytes
   * @param labels one unsigned label per image, each below {@code classes}
   * @param source where the data came from, for messages and reports
   * @throws IllegalArgumentException if the sizes disagree, there are no images or a label is out
   *     of range
   */
  public ImageData(byte[] pixels, byte[] labels, int channels, int height, int width, int classes,
      String source) {
    if (channels < 1 || height < 1 || width < 1 || classes < 1 || classes > 256) {
      throw new IllegalArgumentException(source + ": bad shape " + channels + "x" + height + "x"
          + width + ", " + classes + " classes");
    }
    if (labels.length < 1) {
      throw new IllegalArgumentException(source + ": no images");
    }
    if ((long) labels.length * channels * height * width != pixels.length) {
      throw new IllegalArgumentException(source + ": " + pixels.length + " pixels for "
          + labels.length + " images of " + channels + "x" + height + "x" + width);
    }
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xff) >= classes) {
        throw new IllegalArgumentException(source + ": label " + (labels[i] & 0xff) + " of image "
            + i + " is outside 0.." + (classes - 1));
      }
    }
    this.pixels = pixels;
    this.labels = labels;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.classes = classes;
    this.source = Objects.requireNonNull(source);
  }

  /**
   * Core's grey-scale data set as one channel. Its pixel values are multiples of 1/255 (IDX and
   * the npm digits are 8-bit), so {@link #copyImage} gives back exactly core's floats.
   */
  public static ImageData of(Dataset d) {
    int n = d.pixels();
    byte[] px = new byte[Math.multiplyExact(d.count(), n)];
    byte[] lb = new byte[d.count()];
    float[] img = new float[n];
    for (int i = 0; i < d.count(); i++) {
      d.copyImage(i, img, 0);
      for (int p = 0; p < n; p++) {
        px[i * n + p] = (byte) Math.round(img[p] * 255f);
      }
      lb[i] = (byte) d.label(i);
    }
    return new ImageData(px, lb, 1, d.rows(), d.cols(), d.classes(), d.source());
  }

  /**
   * The images whose label is one of {@code keep}, in their order, relabelled by their position
   * in {@code keep}: label {@code keep[k]} becomes {@code k}, and there are {@code keep.length}
   * classes.
   *
   * @param keep distinct labels of this data set (not modified)
   * @throws IllegalArgumentException if a label repeats or is out of range, or no image is left
   */
  public ImageData withLabels(int[] keep) {
    int[] map = new int[classes];
    Arrays.fill(map, -1);
    for (int k = 0; k < keep.length; k++) {
      if (keep[k] < 0 || keep[k] >= classes || map[keep[k]] >= 0) {
        throw new IllegalArgumentException(source + ": bad or repeated label " + keep[k]
            + " (labels are 0.." + (classes - 1) + ")");
      }
      map[keep[k]] = k;
    }
    int count = 0;
    for (byte l : labels) {
      count += map[l & 0xff] >= 0 ? 1 : 0;
    }
    if (count == 0) {
      throw new IllegalArgumentException(source + ": no image has one of the labels "
          + Arrays.toString(keep));
    }
    int n = pixelsPerImage();
    byte[] px = new byte[count * n];
    byte[] lb = new byte[count];
    int j = 0;
    for (int i = 0; i < labels.length; i++) {
      int m = map[labels[i] & 0xff];
      if (m >= 0) {
        System.arraycopy(pixels, i * n, px, j * n, n);
        lb[j++] = (byte) m;
      }
    }
    return new ImageData(px, lb, channels, height, width, keep.length,
        source + ", labels " + Arrays.toString(keep));
  }

  /** The number of images. */
  public int count() {
    return labels.length;
  }

  /** The number of channels (1 grey, 3 RGB). */
  public int channels() {
    return channels;
  }

  /** The image height in pixels. */
  public int height() {
    return height;
  }

  /** The image width in pixels. */
  public int width() {
    return width;
  }

  /** The number of classes. */
  public int classes() {
    return classes;
  }

  /** Where the data came from. */
  public String source() {
    return source;
  }

  /** {@code channels·height·width}. */
  public int pixelsPerImage() {
    return channels * height * width;
  }

  /** The label of image {@code i}. */
  public int label(int i) {
    return labels[i] & 0xff;
  }

  /**
   * Copies image {@code i} as floats in [0, 1] (byte / 255), channel-major.
   *
   * @param out receives {@link #pixelsPerImage()} values from {@code offset} (modified)
   */
  public void copyImage(int i, float[] out, int offset) {
    int n = pixelsPerImage();
    Objects.checkIndex(i, labels.length);
    for (int p = 0, base = i * n; p < n; p++) {
      out[offset + p] = (pixels[base + p] & 0xff) / 255f;
    }
  }

  /** The number of images per label. */
  public int[] labelCounts() {
    int[] c = new int[classes];
    for (byte l : labels) {
      c[l & 0xff]++;
    }
    return c;
  }

  @Override
  public String toString() {
    return "ImageData[" + count() + " images " + channels + "x" + height + "x" + width + ", "
        + classes + " classes, " + source + "]";
  }
}
