package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.Provenance;
import org.l2l4j.problem.data.DataSets;

/** {@code l2l4j easytrain}: a short run of the README's DJL example on tiny CIFAR-10 files. */
class EasyTrainCommandTest {
  @TempDir Path dir;

  @AfterEach
  void resetData() {
    DataSets.setDefaultDirectory(null);
  }

  @Test
  void learnedAndAdamFromTheSameStartSideBySide() throws Exception {
    Path data = ConvCommandTest.cifar(dir.resolve("data"), 10);
    // lstm(preset=simple) with output weight -0.05: SGD with rate 0.05 as a learned optimizer
    LstmConfig c = LstmConfig.parse("lstm(preset=simple)");
    float[] w = new float[c.parameterCount()];
    w[c.outputWeightOffset()] = -0.05f;
    Path file = dir.resolve("sgd.json");
    OptimizerFile.write(file, c, w, new Provenance("conv", null, 1, "test", 0, 0, 0, 0, 0,
        "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z"));
    Path out = dir.resolve("out");
    ConvCommandTest.Run r = ConvCommandTest.run("easytrain", "--dataset", "cifar10", "--data",
        data.toString(), "--optimizer", file.toString(), "--steps", "3", "--batch", "4",
        "--runs", "2", "--out", out.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.resolve("plot.png")).exists();
    assertThat(out.resolve("index.html")).exists();
    String lstm = ConvCommandTest.summaryMeans(out.resolve("summary.json"), "lstm");
    String adam = ConvCommandTest.summaryMeans(out.resolve("summary.json"), "djl-adam");
    // same initial weights and minibatch: the same loss at step 0, then different updates
    String first = lstm.substring(0, lstm.indexOf(','));
    assertThat(adam).startsWith(first);
    assertThat(adam).isNotEqualTo(lstm);
    assertThat(r.out()).contains("report: " + out.resolve("index.html"));
  }

  @Test
  void missingShippedOptimizerIsOneLine() throws Exception {
    Path data = ConvCommandTest.cifar(dir.resolve("data"), 10);
    ConvCommandTest.Run r = ConvCommandTest.run("easytrain", "--dataset", "cifar10", "--data",
        data.toString(), "--optimizer", dir.resolve("none.json").toString(), "--out",
        dir.resolve("o").toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("l2l4j: error: --optimizer: " + dir.resolve("none.json"))
        .doesNotContain("\n");
  }
}
