package org.l2l4j.djl.art;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.random.RandomGenerator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG and JPEG files (javax.imageio) into float RGB in [0, 1] and cuts square working
 * images from them.
 *
 * <p>Accepted: 8-bit RGB and 8-bit grayscale (read as R = G = B). Refused, with one line naming
 * the file ({@link ArtException}): a missing file, a file that is not a readable image (or has
 * more than {@link #MAX_PIXELS} pixels, checked before decoding), an alpha
 * channel, 16-bit samples, a palette or anything else that is not 8-bit RGB or gray, and an image
 * smaller than the requested working size.
 *
 * <p>Layout of a working image: planar, channel-major, {@code rgb[c·S·S + y·S + x]} for channel c
 * (R, G, B), row y, column x. A square of side {@code side} is cut from the source and shrunk to
 * S × S by area averaging (each output pixel is the mean of the source area it covers, with
 * fractional weights at the edges); sizes are never enlarged.
 */
public final class ArtImages {
  /** The smallest working size. */
  public static final int MIN_SIZE = 16;
  /** The largest working size. */
  public static final int MAX_SIZE = 512;
  /** The most pixels an image file may have (checked before it is decoded). */
  public static final long MAX_PIXELS = 1L << 26;

  private ArtImages() {}

  /** An image as read: height × width, planar RGB in [0, 1]. */
  @SuppressWarnings("ArrayRecordComponent")
  public record Image(String name, int height, int width, float[] rgb) {}

  /**
   * Checks a working size: a multiple of 8 from {@value #MIN_SIZE} to {@value #MAX_SIZE}.
   *
   * @throws ArtException naming {@code what} (e.g. {@code --size})
   */
  public static int checkSize(String what, int size) {
    if (size < MIN_SIZE || size > MAX_SIZE || size % 8 != 0) {
      throw new ArtException(what + ": unsupported size " + size + "; supported: multiples of 8"
          + " from " + MIN_SIZE + " to " + MAX_SIZE);
    }
    return size;
  }

  /**
   * Reads an image file.
   *
   * @throws ArtException one line naming the file if it is missing, not an image or not 8-bit
   *     RGB / gray
   */
  public static Image read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ArtException(file + ": no such image file");
    }
    BufferedImage b;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new ArtException(file + ": not a readable image (not PNG or JPEG)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > MAX_PIXELS) {
          throw new ArtException(file + ": " + w + "x" + h + " pixels, more than the "
              + MAX_PIXELS + " accepted");
        }
        b = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ArtException a) {
        throw a;
      }
      String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
      throw new ArtException(file + ": not a readable image (" + m + ")");
    }
    ColorModel cm = b.getColorModel();
    Raster r = b.getRaster();
    int bands = r.getNumBands();
    if (cm.hasAlpha()) {
      throw new ArtException(file + ": has an alpha channel; only 8-bit RGB or grayscale images"
          + " are accepted");
    }
    if (cm instanceof IndexColorModel) {
      throw new ArtException(file + ": a palette image; only 8-bit RGB or grayscale images are"
          + " accepted");
    }
    for (int k = 0; k < bands; k++) {
      if (r.getSampleModel().getSampleSize(k) != 8) {
        throw new ArtException(file + ": " + r.getSampleModel().getSampleSize(k) + "-bit samples;"
            + " only 8-bit RGB or grayscale images are accepted");
      }
    }
    if (bands != 1 && bands != 3) {
      throw new ArtException(file + ": " + bands + " channels; only 8-bit RGB or grayscale"
          + " images are accepted");
    }
    int h = b.getHeight();
    int w = b.getWidth();
    float[] rgb = new float[3 * h * w];
    int[] px = new int[bands];
    // a 3-band raster's bands are in the colour model's order, which is RGB for ImageIO's PNG
    // and JPEG readers (TYPE_3BYTE_BGR stores BGR bytes but its bands are R, G, B)
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.getPixel(x, y, px);
        for (int c = 0; c < 3; c++) {
          rgb[c * h * w + y * w + x] = px[bands == 1 ? 0 : c] / 255f;
        }
      }
    }
    return new Image(file.getFileName().toString(), h, w, rgb);
  }

  /**
   * The centred largest square of {@code img} shrunk to {@code size} × {@code size}.
   *
   * @throws ArtException if the image is smaller than {@code size} on a side
   */
  public static float[] center(Image img, int size) {
    int side = Math.min(img.height(), img.width());
    checkNotTiny(img, size);
    return square(img, (img.width() - side) / 2, (img.height() - side) / 2, side, size);
  }

  /**
   * A random square: side uniform in [max(size, s/4), s] (s = the shorter side), position
   * uniform, shrunk to {@code size} × {@code size}; draws three numbers from {@code rng}.
   *
   * @throws ArtException if the image is smaller than {@code size} on a side
   */
  public static float[] randomCrop(Image img, int size, RandomGenerator rng) {
    checkNotTiny(img, size);
    int s = Math.min(img.height(), img.width());
    int lo = Math.max(size, s / 4);
    int side = lo + rng.nextInt(s - lo + 1);
    int x0 = rng.nextInt(img.width() - side + 1);
    int y0 = rng.nextInt(img.height() - side + 1);
    return square(img, x0, y0, side, size);
  }

  private static void checkNotTiny(Image img, int size) {
    if (img.height() < size || img.width() < size) {
      throw new ArtException(img.name() + ": " + img.width() + "x" + img.height() + " pixels, too"
          + " small for the working size " + size + "x" + size);
    }
  }

  /** The square at (x0, y0) of side {@code side} area-averaged to {@code size} × {@code size}. */
  static float[] square(Image img, int x0, int y0, int side, int size) {
    int h = img.height();
    int w = img.width();
    float[] out = new float[3 * size * size];
    double scale = (double) side / size;
    double[] rows = new double[size * w];
    for (int c = 0; c < 3; c++) {
      int base = c * h * w;
      // vertical pass: rows[oy][x] for the columns x0..x0+side-1
      java.util.Arrays.fill(rows, 0);
      for (int oy = 0; oy < size; oy++) {
        double a = y0 + oy * scale;
        double b = y0 + (oy + 1) * scale;
        for (int y = (int) Math.floor(a); y < b && y < h; y++) {
          double wgt = Math.min(b, y + 1) - Math.max(a, y);
          if (wgt <= 0) {
            continue;
          }
          for (int x = x0; x < x0 + side; x++) {
            rows[oy * w + x] += wgt * img.rgb()[base + y * w + x];
          }
        }
      }
      // horizontal pass
      for (int oy = 0; oy < size; oy++) {
        for (int ox = 0; ox < size; ox++) {
          double a = x0 + ox * scale;
          double b = x0 + (ox + 1) * scale;
          double sum = 0;
          for (int x = (int) Math.floor(a); x < b && x < w; x++) {
            double wgt = Math.min(b, x + 1) - Math.max(a, x);
            if (wgt > 0) {
              sum += wgt * rows[oy * w + x];
            }
          }
          out[c * size * size + oy * size + ox] = (float) (sum / (scale * scale));
        }
      }
    }
    return out;
  }
}
