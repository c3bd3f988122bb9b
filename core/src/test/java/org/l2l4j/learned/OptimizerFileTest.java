package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerFileTest {
  @TempDir Path dir;

  Path writeValid() throws Exception {
    LstmConfig cfg = LstmConfig.paper();
    float[] w = LstmWeights.init(cfg, new SplittableRandom(3));
    Path p = dir.resolve("opt.json");
    OptimizerFile.write(p, cfg, w, new Provenance("quadratic", null, 1, "meta(seed=1)", 10, 5,
        0.25, 0, 2.5, "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z"));
    return p;
  }

  @Test
  void roundTripsExactly() throws Exception {
    LstmConfig cfg = LstmConfig.paper();
    float[] w = LstmWeights.init(cfg, new SplittableRandom(3));
    Path p = writeValid();
    OptimizerFile.Loaded l = OptimizerFile.read(p);
    assertThat(l.config()).isEqualTo(cfg);
    assertThat(l.weights()).containsExactly(w);
    assertThat(l.provenance()).containsEntry("problem", "quadratic");
  }

  @Test
  void truncatedFilesAreRefusedAtEveryCut() throws Exception {
    byte[] all = Files.readAllBytes(writeValid());
    Path cut = dir.resolve("cut.json");
    // every byte boundary of the head and tail, and a sample in between
    for (int len = 0; len < all.length - 1; len += (len < 2000 || len > all.length - 2000) ? 1 : 97) {
      byte[] part = java.util.Arrays.copyOf(all, len);
      Files.write(cut, part);
      String text = new String(part, StandardCharsets.UTF_8);
      if (text.strip().endsWith("}") && len > all.length - 3) {
        continue; // only trailing white space removed: still a complete file
      }
      assertThatThrownBy(() -> OptimizerFile.read(cut)).as("cut at %d", len)
          .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith(cut.toString());
    }
  }

  @Test
  void mismatchedConfigNaNAndMissingFileAreRefused() throws Exception {
    String text = Files.readString(writeValid());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, text.replace("layers=20x20", "layers=20x10"));
    assertThatThrownBy(() -> OptimizerFile.read(bad)).hasMessageContaining("parameter_count");
    // a value replaced by a non-number (NaN is written as null)
    int at = text.indexOf("\"values\": [") + "\"values\": [".length();
    int end = text.indexOf(',', at);
    Files.writeString(bad, text.substring(0, at) + "null" + text.substring(end));
    assertThatThrownBy(() -> OptimizerFile.read(bad)).hasMessageContaining("not a finite number")
        .hasMessageContaining("lstm1/w");
    Files.writeString(bad, text.replace("\"lstm2/w\"", "\"lstm2/x\""));
    assertThatThrownBy(() -> OptimizerFile.read(bad)).hasMessageContaining("lstm2/x");
    Files.writeString(bad, text.replace("\"l2l4j-optimizer\"", "\"something\""));
    assertThatThrownBy(() -> OptimizerFile.read(bad)).hasMessageContaining("not an l2l4j optimizer file");
    assertThatThrownBy(() -> OptimizerFile.read(dir.resolve("missing.json")))
        .hasMessageContaining("no such file");
  }
}
