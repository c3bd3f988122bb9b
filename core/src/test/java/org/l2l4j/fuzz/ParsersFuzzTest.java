package org.l2l4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.utils.Log;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Coverage-guided fuzz targets (Jazzer) for every reader of outside input; each checks {@link
 * Contract}. A plain {@code mvn test} runs them in regression mode: only the inputs in {@code
 * src/test/resources/org/l2l4j/fuzz/ParsersFuzzTestInputs/<method>/} (and an empty input) are
 * replayed. With {@code JAZZER_FUZZ=1} one target is fuzzed for {@code maxDuration}; see
 * docs/reliability.md.
 */
class ParsersFuzzTest {
  /** Jazzer logs its agent's set-up on every JVM; in regression mode that is noise. */
  @BeforeAll
  static void silenceJazzerUnlessFuzzing() {
    String fuzz = System.getenv("JAZZER_FUZZ");
    if (fuzz == null || fuzz.isEmpty()) {
      PrintStream none = new PrintStream(OutputStream.nullOutputStream());
      Log.fixOutErr(none, none);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void json(byte[] data) {
    Contract.json(new String(data, StandardCharsets.UTF_8));
  }

  @FuzzTest(maxDuration = "5m")
  void optimizerFile(byte[] data) {
    Contract.optimizerFile(data);
  }

  @FuzzTest(maxDuration = "5m")
  void checkpoint(byte[] data) {
    Contract.checkpoint(data);
  }

  @FuzzTest(maxDuration = "5m")
  void checkpointBody(byte[] data) {
    Contract.checkpointBody(data);
  }

  @FuzzTest(maxDuration = "5m")
  void specs(byte[] data) {
    Contract.specs(new String(data, StandardCharsets.UTF_8));
  }

  /** IdxReader: see {@link Contract#idxBytes} for how the bytes are split into two files. */
  @FuzzTest(maxDuration = "5m")
  void idx(byte[] data) {
    Contract.idxBytes(data);
  }

  /** MnistJsonReader: the bytes are {@code 3.json} of a folder whose other digit files are empty. */
  @FuzzTest(maxDuration = "5m")
  void mnistJson(byte[] data) {
    Contract.mnistJsonBytes(data);
  }

  /** Regenerates the seed corpus: {@code -Dl2l4j.writeSeeds=src/test/resources}. */
  @Test
  @EnabledIfSystemProperty(named = "l2l4j.writeSeeds", matches = ".+")
  void writeSeedCorpus() throws Exception {
    Samples.writeSeedCorpus(Path.of(System.getProperty("l2l4j.writeSeeds")));
  }
}
