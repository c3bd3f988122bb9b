package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.util.Json;

/** {@code l2l4j mnist} end to end on tiny IDX files the test writes (no data cache needed). */
class MnistCommandTest {
  @TempDir Path dir;

  @AfterEach
  void resetData() {
    DataSets.setDefaultDirectory(null);
    DataSets.clearCache();
  }

  /** Random 28×28 images with random labels, in the four standard IDX files. */
  static void writeIdx(Path folder, int train, int test) throws IOException {
    SplittableRandom rng = new SplittableRandom(5);
    Files.createDirectories(folder);
    for (String prefix : new String[] {"train", "t10k"}) {
      int count = prefix.equals("train") ? train : test;
      ByteBuffer img = ByteBuffer.allocate(16 + count * 784);
      img.putInt(0x803).putInt(count).putInt(28).putInt(28);
      ByteBuffer lab = ByteBuffer.allocate(8 + count);
      lab.putInt(0x801).putInt(count);
      for (int i = 0; i < count; i++) {
        for (int p = 0; p < 784; p++) {
          img.put((byte) rng.nextInt(256));
        }
        lab.put((byte) rng.nextInt(10));
      }
      Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), img.array());
      Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
    }
  }

  @Test
  void gacRunTrainsBothOptimizersAndReportsBothInEveryCase() throws Exception {
    Path data = dir.resolve("data");
    writeIdx(data, 64, 32);
    Path out = dir.resolve("out");
    CliTest.Run r = CliTest.run("mnist", "--data", data.toString(), "--epochs", "2", "--steps",
        "10", "--unroll", "5", "--validate-every", "1", "--validation-problems", "1",
        "--problems", "2", "--tune-problems", "1", "--grid", "0.1", "--baselines", "sgd",
        "--cases", "a,d", "--gac", "3", "--threads", "2", "--out", out.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(OptimizerFile.read(out.resolve("train/optimizer.json")).config().gac()).isZero();
    assertThat(OptimizerFile.read(out.resolve("train-gac/optimizer.json")).config().gac())
        .isEqualTo(3);
    for (String c : new String[] {"case-a", "case-d"}) {
      @SuppressWarnings("unchecked")
      Map<String, Object> summary =
          (Map<String, Object>) Json.parse(Files.readString(out.resolve(c).resolve("summary.json")));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> opts = (List<Map<String, Object>>) summary.get("optimizers");
      assertThat(opts).as(c).extracting(m -> m.get("name")).containsExactly("lstm", "lstm+gac", "sgd");
      assertThat(opts.get(1).get("learned")).isEqualTo(true);
      assertThat((List<?>) opts.get(1).get("mean")).hasSize(101);
      assertThat(out.resolve(c).resolve("plot.png")).exists();
    }
    assertThat(out.resolve("index.html")).exists();
  }

  /** mnist takes --meta-loss as train does: a bad one is refused in one line before training. */
  @Test
  void aBadMetaLossIsRefusedBeforeTraining() throws Exception {
    Path data = dir.resolve("data");
    writeIdx(data, 16, 8);
    Path out = dir.resolve("out");
    CliTest.Run r = CliTest.run("mnist", "--data", data.toString(), "--meta-loss",
        "loss(weights=last,transform=mean)", "--out", out.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: --meta-loss: 'transform=mean' in"
        + " 'loss(weights=last,transform=mean)': expected sum or log-mean" + System.lineSeparator());
    assertThat(out.resolve("train")).doesNotExist();
  }

  @Test
  void tooManyAveragingCellsIsRefusedBeforeTraining() throws Exception {
    Path data = dir.resolve("data");
    writeIdx(data, 16, 8);
    Path out = dir.resolve("out");
    CliTest.Run r = CliTest.run("mnist", "--data", data.toString(), "--gac", "21", "--out",
        out.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: --gac 21: lstm: gac=21 exceeds a layer width of 20"
        + System.lineSeparator());
    assertThat(out.resolve("train")).doesNotExist();
  }
}
