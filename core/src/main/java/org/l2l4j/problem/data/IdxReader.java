package org.l2l4j.problem.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.l2l4j.util.InputFiles;

/**
 * Reads image/label pairs in the IDX format of MNIST and Fashion-MNIST ({@code
 * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, ...), plain or gzipped. Gzip is
 * recognised by its magic bytes {@code 1f 8b}, not by the file name.
 *
 * <p>Format (big-endian): an image file is the magic {@code 0x00000803}, then the image count,
 * rows and columns as 32-bit integers, then count·rows·cols unsigned bytes; a label file is the
 * magic {@code 0x00000801}, the count, then one unsigned byte per label. Pixels are divided by
 * 255.
 *
 * <p>Checks, each a {@link DataException} whose message starts with the file name: the magic, every
 * dimension &gt; 0, the declared data at most {@value #MAX_DATA_BYTES} bytes (checked before
 * anything is allocated from it), the declared size against the bytes actually present (the file
 * size for plain files; gzip streams are read in growing chunks and fail at an early end), no
 * bytes after the declared data, labels below the class count, and equal image and label counts.
 */
public final class IdxReader {
  /** The magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** The magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  /** The largest data section accepted, in bytes (the Fashion-MNIST training images: 47 MB). */
  public static final long MAX_DATA_BYTES = 100_000_000L;

  private static final int FIRST_CHUNK = 1 << 20;

  private IdxReader() {}

  /**
   * Reads an image file and its label file as a 10-class data set.
   *
   * @throws DataException if either file is missing, unreadable or malformed, or they disagree
   */
  public static Dataset read(Path images, Path labels) {
    return read(images, labels, 10, "IDX " + images + " + " + labels);
  }

  /**
   * Reads an image file and its label file.
   *
   * @param classes labels must lie in {@code 0 .. classes-1}
   * @param source the description stored in the data set
   * @throws DataException if either file is missing, unreadable or malformed, or they disagree
   */
  public static Dataset read(Path images, Path labels, int classes, String source) {
    Idx im = readIdx(images, IMAGES_MAGIC, "images");
    Idx lb = readIdx(labels, LABELS_MAGIC, "labels");
    if (im.dims[0] != lb.dims[0]) {
      throw new DataException(
          images + " holds " + im.dims[0] + " images but " + labels + " holds " + lb.dims[0]
              + " labels");
    }
    for (int i = 0; i < lb.data.length; i++) {
      int l = lb.data[i] & 0xff;
      if (l >= classes) {
        throw new DataException(
            labels + ": label " + l + " at index " + i + " is outside 0.." + (classes - 1));
      }
    }
    if ((long) im.dims[1] * im.dims[2] > Dataset.MAX_PIXELS) {
      throw new DataException(
          images + ": images of " + im.dims[1] + "x" + im.dims[2] + " have more than "
              + Dataset.MAX_PIXELS + " pixels");
    }
    return Dataset.fromBytes(im.data, lb.data, im.dims[1], im.dims[2], classes, source);
  }

  /** A parsed IDX file: its dimensions and its raw data bytes. */
  private record Idx(int[] dims, byte[] data) {}

  private static Idx readIdx(Path file, int magic, String what) {
    int ndims = magic & 0xff;
    try {
      InputFiles.requireRegularFile(file);
    } catch (NoSuchFileException e) {
      throw new DataException(file + ": file not found", e);
    } catch (IOException e) {
      throw new DataException(file + ": " + e.getMessage(), e);
    }
    try (InputStream raw = Files.newInputStream(file);
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16)) {
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      long plainSize = gzip ? -1 : Files.size(file);
      try (InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered) {
        return readIdx(file, in, gzip, plainSize, magic, ndims, what);
      }
    } catch (NoSuchFileException e) {
      throw new DataException(file + ": file not found", e);
    } catch (ZipException e) {
      throw new DataException(file + ": corrupt gzip data: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new DataException(file + ": truncated gzip stream: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DataException(file + ": cannot read: " + e, e);
    }
  }

  private static Idx readIdx(
      Path file, InputStream in, boolean gzip, long plainSize, int magic, int ndims, String what)
      throws IOException {
    int headerLength = 4 + 4 * ndims;
    byte[] header = new byte[headerLength];
    int got = readUpTo(in, header, 0, headerLength);
    if (got < 4) {
      throw new DataException(
          file + ": truncated: " + (got == 0 ? "empty" : "only " + got + " bytes") + (gzip
              ? " after gunzip" : "") + ", not an IDX " + what + " file");
    }
    int m = intAt(header, 0);
    if (m != magic) {
      String hint =
          m == (magic == IMAGES_MAGIC ? LABELS_MAGIC : IMAGES_MAGIC)
              ? " (this is an IDX " + (magic == IMAGES_MAGIC ? "labels" : "images") + " file)"
              : "";
      throw new DataException(
          String.format(
              "%s: not an IDX %s file: magic 0x%08x, expected 0x%08x%s",
              file, what, m, magic, hint));
    }
    if (got < headerLength) {
      throw new DataException(
          file + ": truncated: header of " + got + " bytes, an IDX " + what + " header has "
              + headerLength);
    }
    int[] dims = new int[ndims];
    BigInteger product = BigInteger.ONE;
    for (int d = 0; d < ndims; d++) {
      dims[d] = intAt(header, 4 + 4 * d);
      if (dims[d] <= 0) {
        throw new DataException(
            file + ": bad header: dimension " + (d + 1) + " is " + dims[d] + ", must be > 0");
      }
      product = product.multiply(BigInteger.valueOf(dims[d]));
    }
    String declared = declared(dims, what, product);
    if (product.compareTo(BigInteger.valueOf(MAX_DATA_BYTES)) > 0) {
      throw new DataException(
          file + ": header declares " + declared + ", more than the limit of " + MAX_DATA_BYTES
              + " bytes");
    }
    long total = product.longValueExact();
    if (plainSize >= 0) {
      long present = plainSize - headerLength;
      if (present < total) {
        throw new DataException(
            file + ": truncated: header declares " + declared + ", file ends after " + present
                + unit(what));
      }
      if (present > total) {
        throw new DataException(
            file + ": " + (present - total) + " unexpected bytes after the " + declared);
      }
    }
    int n = (int) total;
    byte[] data = new byte[plainSize >= 0 ? n : Math.min(n, FIRST_CHUNK)];
    int filled = 0;
    while (filled < n) {
      if (filled == data.length) {
        data = Arrays.copyOf(data, (int) Math.min(n, 2L * data.length));
      }
      int r;
      try {
        r = in.read(data, filled, data.length - filled);
      } catch (EOFException e) {
        r = -1;
      }
      if (r < 0) {
        throw new DataException(
            file + ": truncated: header declares " + declared + ", "
                + (gzip ? "gzip stream" : "file") + " ends after " + filled + unit(what));
      }
      filled += r;
    }
    if (in.read() >= 0) {
      throw new DataException(file + ": unexpected bytes after the " + declared);
    }
    return new Idx(dims, data);
  }

  private static String declared(int[] dims, String what, BigInteger total) {
    if (dims.length == 1) {
      return dims[0] + " " + what;
    }
    StringBuilder sb = new StringBuilder().append(dims[0]).append(' ').append(what).append(" of ");
    for (int d = 1; d < dims.length; d++) {
      sb.append(d > 1 ? "x" : "").append(dims[d]);
    }
    return sb.append(" (").append(total).append(" bytes)").toString();
  }

  private static String unit(String what) {
    return "labels".equals(what) ? "" : " bytes";
  }

  private static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
    int got = 0;
    while (got < len) {
      int r;
      try {
        r = in.read(buf, off + got, len - got);
      } catch (EOFException e) {
        r = -1;
      }
      if (r < 0) {
        break;
      }
      got += r;
    }
    return got;
  }

  private static int intAt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }
}
