package org.l2l4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.problem.data.DataException;
import org.l2l4j.problem.data.Dataset;
import org.l2l4j.problem.data.IdxReader;
import org.l2l4j.problem.data.MnistJsonReader;

/**
 * Seeded robustness tests of the data readers ({@link IdxReader}, {@link MnistJsonReader}) under
 * the {@link Contract}: truncation at every byte, random byte flips, wrong magic, zero and huge
 * declared sizes, mismatched files, bad numbers, deep nesting, missing and oversized files. Each
 * input gives a valid data set (pixels finite and in [0, 1], labels in 0..9) or a {@link
 * DataException} whose one-line message starts with the file at fault.
 */
class DataFilesMalformedTest {
  static final long SEED = MalformedInputTest.SEED;
  static final int FLIPS = 300;
  static final Duration LIMIT = Duration.ofSeconds(30);
  /** Allocation allowed to a reader refusing a huge declared size (the files here are tiny). */
  static final long MAX_ALLOCATION = 64L << 20;

  @TempDir Path dir;

  // ------------------------------------------------------------------ IDX

  @Test
  void idxSampleIsValidPlainAndGzipped() {
    for (boolean gz : new boolean[] {false, true}) {
      Dataset d = Contract.idx(write("im", Samples.idxImages(), gz),
          write("lb", Samples.idxLabels(), gz));
      assertThat(d.count()).isEqualTo(Samples.IDX_COUNT);
      assertThat(d.pixel(0, 0)).isEqualTo(1f);
      assertThat(d.pixel(0, 1)).isEqualTo(7 / 255f);
      assertThat(new int[] {d.label(0), d.label(1), d.label(2)}).containsExactly(0, 9, 5);
    }
  }

  /** The small valid IDX images or labels file, gzipped or not. */
  static byte[] idxSample(boolean images, boolean gz) {
    byte[] plain = images ? Samples.idxImages() : Samples.idxLabels();
    return gz ? Samples.gzip(plain) : plain;
  }

  @ParameterizedTest
  @ValueSource(strings = {"images", "images.gz", "labels", "labels.gz"})
  void idxTruncatedAtEveryByte(String which) {
    boolean gz = which.endsWith(".gz");
    boolean images = which.startsWith("images");
    byte[] all = idxSample(images, gz);
    assertTimeoutPreemptively(LIMIT, () -> {
      Path other = write(images ? "lb" : "im", idxSample(!images, false), gz);
      for (int len = 0; len < all.length; len++) {
        Path cut = write(images ? "im" : "lb", Arrays.copyOf(all, len), false);
        Path im = images ? cut : other;
        Path lb = images ? other : cut;
        assertThat(Contract.idx(im, lb)).as("cut at %d", len).isNull();
        assertThatThrownBy(() -> IdxReader.read(im, lb)).as("cut at %d", len)
            .isInstanceOf(DataException.class).hasMessageStartingWith(cut + ": ");
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"images", "images.gz", "labels", "labels.gz"})
  void idxRandomByteFlips(String which) {
    boolean gz = which.endsWith(".gz");
    boolean images = which.startsWith("images");
    byte[] all = idxSample(images, gz);
    assertTimeoutPreemptively(LIMIT, () -> {
      Path other = write(images ? "lb" : "im", idxSample(!images, false), gz);
      Random rng = new Random(SEED + which.hashCode());
      for (int i = 0; i < FLIPS; i++) {
        Path flipped = write(images ? "im" : "lb", flipBytes(all, rng), false);
        Contract.idx(images ? flipped : other, images ? other : flipped);
      }
    });
  }

  @Test
  void idxWrongMagicNamesTheFile() {
    Path im = write("im", Samples.idxImages(), false);
    Path lb = write("lb", Samples.idxLabels(), false);
    expectIdx(lb, im, lb, "not an IDX images file: magic 0x00000801, expected 0x00000803 "
        + "(this is an IDX labels file)");
    for (int magic : new int[] {0, 0x00000802, 0x08030000, -1, 0x1f8b0803}) {
      byte[] b = Samples.idxImages();
      ByteBuffer.wrap(b).putInt(0, magic);
      Path bad = write("bad", b, false);
      expectIdx(bad, lb, bad, magic >>> 16 == 0x1f8b ? "corrupt gzip data: Corrupt GZIP header"
          : String.format("magic 0x%08x", magic)); // 1f 8b: taken for gzip
      expectIdx(write("bad.gz", b, true), lb, dir.resolve("bad.gz"), "not an IDX images file");
    }
  }

  /** Every dimension of both files set to 0, negative or huge, plain and gzipped. */
  @Test
  void idxZeroAndHugeDimensionsFailFastWithoutAllocating() {
    int[] values = {0, -1, Integer.MIN_VALUE, 1 << 20, 99_999_999, Integer.MAX_VALUE};
    assertTimeoutPreemptively(LIMIT, () -> {
      for (boolean gz : new boolean[] {false, true}) {
        for (int dim = 0; dim < 4; dim++) { // images: count, rows, cols; labels: count
          for (int v : values) {
            boolean images = dim < 3;
            byte[] b = images ? Samples.idxImages() : Samples.idxLabels();
            ByteBuffer.wrap(b).putInt(4 + 4 * (images ? dim : 0), v);
            Path bad = write(images ? "im" : "lb", b, gz);
            Path im = images ? bad : write("im", Samples.idxImages(), gz);
            Path lb = images ? write("lb", Samples.idxLabels(), gz) : bad;
            long before = allocated();
            assertThatThrownBy(() -> IdxReader.read(im, lb))
                .as("dimension %d = %d, gzip %s", dim, v, gz)
                .isInstanceOf(DataException.class).hasMessageStartingWith(bad + ": ");
            assertThat(allocated() - before).as("bytes allocated for dimension %d = %d", dim, v)
                .isLessThan(MAX_ALLOCATION);
            Contract.idx(im, lb);
          }
        }
      }
    });
  }

  @Test
  void idxCountMismatchAndBadLabelsNameTheFile() {
    Path im = write("im", Samples.idxImages(), false);
    byte[] two = ByteBuffer.allocate(10).putInt(IdxReader.LABELS_MAGIC).putInt(2)
        .put(new byte[] {1, 2}).array();
    Path lb2 = write("lb2", two, false);
    expectIdx(im, lb2, im, "holds 3 images but " + lb2 + " holds 2 labels");
    byte[] ten = Samples.idxLabels();
    ten[9] = 10;
    Path lb10 = write("lb10", ten, true);
    expectIdx(im, lb10, lb10, "label 10 at index 1 is outside 0..9");
    expectIdx(im, dir.resolve("missing"), dir.resolve("missing"), "file not found");
    expectIdx(dir.resolve("none"), lb2, dir.resolve("none"), "file not found");
    Path extra = write("extra", Arrays.copyOf(Samples.idxImages(), 16 + 37), false);
    expectIdx(extra, write("lb", Samples.idxLabels(), false), extra, "1 unexpected bytes");
    Path extraGz = write("extra.gz", Arrays.copyOf(Samples.idxImages(), 16 + 37), true);
    expectIdx(extraGz, dir.resolve("lb"), extraGz, "unexpected bytes");
  }

  // ------------------------------------------------------------------ npm digits

  @Test
  void digitsSampleIsValid() {
    Dataset d = Contract.mnistJson(digits(Samples.digitFile()));
    assertThat(d.count()).isEqualTo(1);
    assertThat(d.label(0)).isEqualTo(3);
    assertThat(d.pixel(0, 13)).isEqualTo(1f);
    assertThat(d.pixel(0, 26)).isEqualTo(0.5f);
  }

  @Test
  void digitFileTruncatedAtEveryByte() {
    byte[] all = Samples.digitFile();
    String whole = new String(all, StandardCharsets.US_ASCII).strip();
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int len = 0; len < all.length; len++) {
        byte[] cut = Arrays.copyOf(all, len);
        Path folder = digits(cut);
        Dataset d = Contract.mnistJson(folder);
        boolean complete = new String(cut, StandardCharsets.US_ASCII).strip().equals(whole);
        assertThat(d != null).as("cut at %d", len).isEqualTo(complete);
        if (!complete) {
          assertThatThrownBy(() -> MnistJsonReader.read(folder)).as("cut at %d", len)
              .isInstanceOf(DataException.class)
              .hasMessageStartingWith(folder.resolve("3.json") + ": ");
        }
      }
    });
  }

  @Test
  void digitFileRandomByteFlips() {
    byte[] all = Samples.digitFile();
    assertTimeoutPreemptively(LIMIT, () -> {
      Random rng = new Random(SEED);
      for (int i = 0; i < FLIPS; i++) {
        Contract.mnistJson(digits(MalformedInputTest.flip(all, rng)));
        Contract.mnistJson(digits(flipBytes(all, rng)));
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"data\":[\"0\"]}|expected a number, found '\"'",
    "{\"data\":[true]}|expected a number, found 't'",
    "{\"data\":[null]}|expected a number",
    "{\"data\":[{}]}|expected a number, found '{'",
    "{\"data\":[[0]]}|expected a number, found '['",
    "{\"data\":0}|expected '['",
    "{\"data\":[0], \"x\":1}|expected '}'",
    "{\"x\":[]}|expected the key \"data\"",
    "[0]|expected '{'",
    "{\"data\":[0,]}|expected a number, found ']'",
    "{\"data\":[0 0]}|expected ',' or ']'",
    "{\"data\":[]}{}|unexpected content after the JSON object",
    "{\"data\":[NaN]}|expected a number, found 'N'",
    "{\"data\":[nan]}|expected a number",
    "{\"data\":[-NaN]}|expected a number",
    "{\"data\":[Infinity]}|expected a number, found 'I'",
    "{\"data\":[-Infinity]}|expected a number, found 'I'",
    "{\"data\":[inf]}|expected a number",
    "{\"data\":[+1]}|expected a number, found '+'",
    "{\"data\":[.5]}|expected a number, found '.'",
    "{\"data\":[1.]}|expected a digit after '.'",
    "{\"data\":[01]}|expected ',' or ']'",
    "{\"data\":[0x1p0]}|expected ',' or ']'",
    "{\"data\":[1e]}|expected a digit in the exponent",
    "{\"data\":[1.5]}|value 1.5 (image 0, pixel 0) is outside [0, 1]",
    "{\"data\":[-0.5]}|value -0.5 (image 0, pixel 0) is outside [0, 1]",
    "{\"data\":[-1e-30]}|is outside [0, 1]",
    "{\"data\":[1e400]}|value Infinity (image 0, pixel 0) is outside [0, 1]",
    "{\"data\":[-1e400]}|value -Infinity (image 0, pixel 0) is outside [0, 1]",
    "{\"data\":[100000000000000000000000]}|outside [0, 1]",
    "{\"data\":[0.\n]}|expected a digit after '.', found byte 0x0a",
    "{\"data\":[0\r]}|1 values",
    "{\"data\":[0,\0]}|found byte 0x00",
    "{\"data\":[0]}|1 values, not a whole number of 784-pixel images",
    "|expected '{', found end of file",
  })
  void badDigitFilesNameTheFile(String change) {
    String[] kv = change.split("\\|", -1);
    Path folder = digits(kv[0].getBytes(StandardCharsets.UTF_8));
    if (kv[1].isEmpty()) { // accepted: must hold a valid data set or be empty
      Contract.mnistJson(folder);
      return;
    }
    assertThat(Contract.mnistJson(folder)).isNull();
    assertThatThrownBy(() -> MnistJsonReader.read(folder)).isInstanceOf(DataException.class)
        .hasMessageStartingWith(folder.resolve("3.json") + ": ").hasMessageContaining(kv[1]);
  }

  @ParameterizedTest
  @ValueSource(ints = {783, 785, 784 * 2 - 1})
  void digitCountsNotAMultipleOf784(int count) {
    StringBuilder sb = new StringBuilder("{\"data\":[0");
    sb.append(",1".repeat(count - 1)).append("]}");
    Path folder = digits(sb.toString().getBytes(StandardCharsets.US_ASCII));
    assertThat(Contract.mnistJson(folder)).isNull();
    assertThatThrownBy(() -> MnistJsonReader.read(folder)).isInstanceOf(DataException.class)
        .hasMessage(folder.resolve("3.json") + ": " + count
            + " values, not a whole number of 784-pixel images");
  }

  @Test
  void deepNestingIsRefusedWithoutAStackOverflow() {
    for (String open : new String[] {"[", "{\"data\":", "{\"data\":["}) {
      String text = "{\"data\":[" + open.repeat(100_000);
      Path folder = digits(text.getBytes(StandardCharsets.US_ASCII));
      assertThat(Contract.mnistJson(folder)).isNull();
    }
  }

  @Test
  void missingOrEmptyDigitFilesNameTheFileOrFolder() throws Exception {
    Path folder = digits(Samples.digitFile());
    Files.delete(folder.resolve("7.json"));
    assertThat(Contract.mnistJson(folder)).isNull();
    assertThatThrownBy(() -> MnistJsonReader.read(folder)).isInstanceOf(DataException.class)
        .hasMessage(folder.resolve("7.json") + ": file not found");
    Path none = digits(Contract.EMPTY_DIGITS);
    assertThat(Contract.mnistJson(none)).isNull();
    assertThatThrownBy(() -> MnistJsonReader.read(none)).isInstanceOf(DataException.class)
        .hasMessage(none + ": the digit files hold no images");
    Path absent = dir.resolve("absent");
    assertThatThrownBy(() -> MnistJsonReader.read(absent)).isInstanceOf(DataException.class)
        .hasMessage(absent.resolve("0.json") + ": file not found");
  }

  /** A 3 GB (sparse) digit file is refused from its size, before anything is read. */
  @Test
  void hugeDigitFileIsRefusedFromItsSize() throws Exception {
    Path folder = digits(Contract.EMPTY_DIGITS);
    try (RandomAccessFile f = new RandomAccessFile(folder.resolve("3.json").toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    assertTimeoutPreemptively(LIMIT, () -> {
      long before = allocated();
      assertThatThrownBy(() -> MnistJsonReader.read(folder)).isInstanceOf(DataException.class)
          .hasMessage(folder.resolve("3.json") + ": " + (3L << 30)
              + " bytes, more than the limit of " + MnistJsonReader.MAX_FILE_BYTES
              + " for a digit file");
      assertThat(allocated() - before).isLessThan(MAX_ALLOCATION);
    });
  }

  /** The fuzz targets' own packing of the inputs reaches the readers' success path. */
  @Test
  void fuzzTargetsAcceptTheValidSeeds() {
    byte[] im = Samples.idxImages();
    byte[] lb = Samples.idxLabels();
    assertThat(Contract.idxBytes(Samples.idxPair(im, lb)).count()).isEqualTo(3);
    assertThat(Contract.idxBytes(Samples.idxPair(Samples.gzip(im), Samples.gzip(lb))).count())
        .isEqualTo(3);
    assertThat(Contract.idxBytes(Samples.idxPair(lb, im))).isNull();
    assertThat(Contract.idxBytes(new byte[0])).isNull();
    assertThat(Contract.mnistJsonBytes(Samples.digitFile()).count()).isEqualTo(1);
    assertThat(Contract.mnistJsonBytes(new byte[0])).isNull();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The digit folder, with {@code 3.json} set to {@code three} and the other files empty (written
   * when missing: the folder is reused, since writing ten files per case is the slow part).
   */
  private Path digits(byte[] three) {
    Path folder = dir.resolve("digits");
    for (int d = 0; d < 10; d++) {
      Path f = folder.resolve(d + ".json");
      if (d == 3 || !Files.exists(f)) {
        Contract.write(f, d == 3 ? three : Contract.EMPTY_DIGITS);
      }
    }
    return folder;
  }

  private Path write(String name, byte[] data, boolean gzip) {
    return Contract.write(dir.resolve(name), gzip ? Samples.gzip(data) : data);
  }

  private static void expectIdx(Path im, Path lb, Path named, String message) {
    assertThat(Contract.idx(im, lb)).isNull();
    assertThatThrownBy(() -> IdxReader.read(im, lb)).isInstanceOf(DataException.class)
        .hasMessageStartingWith(named + (message.startsWith("holds") ? " " : ": "))
        .hasMessageContaining(message);
  }

  /** A copy of {@code b} with 1 to 4 bytes xor-ed or set to 0, 0xff or a small value. */
  static byte[] flipBytes(byte[] b, Random rng) {
    byte[] f = b.clone();
    for (int k = 1 + rng.nextInt(4); k > 0 && f.length > 0; k--) {
      int at = rng.nextInt(f.length);
      switch (rng.nextInt(4)) {
        case 0 -> f[at] = 0;
        case 1 -> f[at] = (byte) 0xff;
        case 2 -> f[at] = (byte) rng.nextInt(12);
        default -> f[at] ^= (byte) (1 + rng.nextInt(255));
      }
    }
    return f;
  }

  /** The bytes this thread has allocated so far. */
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
