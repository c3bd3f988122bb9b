package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.utils.Log;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.l2l4j.problem.data.DataException;

/**
 * A coverage-guided fuzz target (Jazzer) for {@link CifarReader}, with the contract of core's
 * readers: any bytes give a valid data set or a {@link DataException} whose one-line message
 * starts with the file's name. A plain {@code mvn test} replays the inputs in {@code
 * src/test/resources/org/l2l4j/djl/CifarFuzzTestInputs/cifar/}; {@code JAZZER_FUZZ=1} fuzzes (see
 * docs/reliability.md, "Running the fuzzers", with {@code -pl djl} and this class).
 */
class CifarFuzzTest {
  static final int MAX_MESSAGE = 600;

  @BeforeAll
  static void silenceJazzerUnlessFuzzing() {
    String fuzz = System.getenv("JAZZER_FUZZ");
    if (fuzz == null || fuzz.isEmpty()) {
      PrintStream none = new PrintStream(OutputStream.nullOutputStream());
      Log.fixOutErr(none, none);
    }
  }

  /** The bytes are one CIFAR-10 file. */
  @FuzzTest(maxDuration = "5m")
  void cifar(byte[] data) throws Exception {
    Path dir = Files.createTempDirectory("cifar-fuzz");
    Path f = dir.resolve("data_batch_1.bin");
    try {
      Files.write(f, data);
      check(f, data);
    } finally {
      Files.deleteIfExists(f);
      Files.delete(dir);
    }
  }

  static void check(Path f, byte[] data) {
    ImageData d;
    try {
      d = CifarReader.read(List.of(f), "fuzzed");
    } catch (DataException e) {
      String m = e.getMessage();
      if (m == null || !m.startsWith(f + ": ") || m.length() > MAX_MESSAGE + f.toString().length()
          || m.indexOf('\n') >= 0) {
        throw new AssertionError("bad message: " + m, e);
      }
      return;
    }
    if (d.count() * CifarReader.RECORD_BYTES != data.length) {
      throw new AssertionError(d.count() + " images from " + data.length + " bytes");
    }
    float[] img = new float[d.pixelsPerImage()];
    for (int i = 0; i < d.count(); i++) {
      if (d.label(i) > 9) {
        throw new AssertionError("label " + d.label(i));
      }
      d.copyImage(i, img, 0);
      for (float v : img) {
        if (!(v >= 0 && v <= 1)) {
          throw new AssertionError("pixel " + v);
        }
      }
    }
  }

  /** Seeded malformed inputs (always run): truncations of a valid file and byte flips. */
  @Test
  void truncationsAndFlipsKeepTheContract() throws Exception {
    byte[] valid = CifarReaderTest.records(2, 3);
    Path dir = Files.createTempDirectory("cifar-malformed");
    Path f = dir.resolve("data_batch_1.bin");
    int refused = 0;
    try {
      for (int len = 0; len <= valid.length; len += 97) {
        byte[] b = java.util.Arrays.copyOf(valid, len);
        Files.write(f, b);
        try {
          CifarReader.read(List.of(f), "x");
        } catch (DataException e) {
          refused++;
        }
        check(f, b);
      }
      java.util.SplittableRandom r = new java.util.SplittableRandom(4);
      for (int k = 0; k < 200; k++) {
        byte[] b = valid.clone();
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        Files.write(f, b);
        check(f, b);
      }
    } finally {
      Files.deleteIfExists(f);
      Files.delete(dir);
    }
    assertThat(refused).isGreaterThan(60);
  }

  /** Regenerates the seed corpus: {@code -Dl2l4j.writeSeeds=src/test/resources}. */
  @Test
  @EnabledIfSystemProperty(named = "l2l4j.writeSeeds", matches = ".+")
  void writeSeedCorpus() throws Exception {
    Path d = Files.createDirectories(Path.of(System.getProperty("l2l4j.writeSeeds"))
        .resolve("org/l2l4j/djl/CifarFuzzTestInputs/cifar"));
    Files.write(d.resolve("two-records"), CifarReaderTest.records(2, 3));
    Files.write(d.resolve("truncated"), java.util.Arrays.copyOf(CifarReaderTest.records(1, 3), 100));
    byte[] bad = CifarReaderTest.records(1, 3);
    bad[0] = (byte) 200;
    Files.write(d.resolve("bad-label"), bad);
  }
}
