package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.util.Json;

/**
 * The data used is the data asked for (and recorded), diverged baselines are never chosen, and
 * the notes say only what was done. Data comes from small files the test writes.
 */
class DataAndResultsTest {
  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  @BeforeEach
  void isolate() throws Exception {
    // a data cache holding npm-style digits, which an explicit --data must never fall back to
    Path digits = dir.resolve("cache").resolve(DataSets.NPM_DIGITS);
    Files.createDirectories(digits);
    String image = "0," .repeat(783) + "1";
    for (int d = 0; d < 10; d++) {
      Files.writeString(digits.resolve(d + ".json"), "{\"data\":[" + image + "," + image + "]}");
    }
    DataSets.setCacheDirectory(dir.resolve("cache"));
    DataSets.clearCache();
  }

  @AfterEach
  void reset() {
    DataSets.setCacheDirectory(null);
    DataSets.setDefaultDirectory(null);
    DataSets.clearCache();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Path file) throws Exception {
    return (Map<String, Object>) Json.parse(Files.readString(file));
  }

  private static String sha256(Path folder) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      md.update(Files.readAllBytes(folder.resolve(f)));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void emptyDataFolderIsRefusedNotReplacedByTheCachedDigits() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    String e = empty.toString();
    String[][] runs = {
      {"eval", "--problem", "mnist", "--data", e, "--baselines", "sgd", "--quiet", "--out",
        dir.resolve("o-eval").toString()},
      {"tune", "--problem", "mnist", "--data", e, "--baselines", "sgd"},
      {"train", "--problem", "mnist", "--data", e, "--quiet", "--out", dir.resolve("o-t").toString()},
      {"mnist", "--data", e, "--quiet", "--out", dir.resolve("o-m").toString()}};
    for (String[] args : runs) {
      String cmd = args[0];
      CliTest.Run r = CliTest.run(args);
      assertThat(r.code()).as(cmd + ": " + r.err()).isEqualTo(1);
      assertThat(r.err()).as(cmd).startsWith("l2l4j: error: --data " + empty.toAbsolutePath()
          + ": no mnist IDX files in ").endsWith("never replaced by another source" + NL);
      assertThat(r.err().lines().count()).as(cmd).isEqualTo(1);
      assertThat(r.out()).as(cmd).doesNotContain("data:");
    }
  }

  @Test
  void fashionWithoutItsFolderIsRefused() throws Exception {
    Path data = dir.resolve("data");
    MnistCommandTest.writeIdx(data, 16, 8); // real MNIST files are never read as fashion-mnist
    MnistCommandTest.writeIdx(dir.resolve("cache").resolve("fashion-mnist"), 16, 8);
    CliTest.Run r = CliTest.run("tune", "--problem", "mlp(data=fashion-mnist)", "--data",
        data.toString(), "--baselines", "sgd");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("l2l4j: error: --data " + data.toAbsolutePath()
        + ": no fashion-mnist IDX files in " + data.toAbsolutePath().resolve("fashion-mnist"));
  }

  @Test
  void trainAndEvalPrintAndRecordTheDataAndEvalUsesTheHeldOutSplit() throws Exception {
    Path data = dir.resolve("data");
    MnistCommandTest.writeIdx(data, 64, 32);
    String hash = sha256(data);
    String line = "data: mnist: IDX files (" + data.toAbsolutePath() + ", 64 train / 32 held-out"
        + " images)";
    Path t = dir.resolve("t");
    String problem = "mnist(hidden=2,batch=8)";
    CliTest.Run train = CliTest.run("train", "--problem", problem, "--data", data.toString(),
        "--epochs", "1", "--steps", "6", "--unroll", "3", "--validation-problems", "1",
        "--out", t.toString(), "--quiet");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains(line + NL);
    @SuppressWarnings("unchecked")
    Map<String, Object> provData =
        (Map<String, Object>) OptimizerFile.read(t.resolve("optimizer.json")).provenance().get("data");
    assertThat(provData).containsEntry("sha256", hash).containsEntry("train_images", 64.0);
    assertThat((List<?>) provData.get("files")).hasSize(4);

    Path report = dir.resolve("r");
    CliTest.Run eval = CliTest.run("eval", "--problem", problem, "--data", data.toString(),
        "--optimizer", t.resolve("optimizer.json").toString(), "--baselines", "sgd", "--grid",
        "0.1", "--steps", "6", "--problems", "2", "--tune-problems", "1", "--out",
        report.toString(), "--quiet");
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains(line + NL);
    Map<String, Object> summary = json(report.resolve("summary.json"));
    assertThat((String) summary.get("problem")).contains("split=test");
    @SuppressWarnings("unchecked")
    Map<String, Object> sumData = (Map<String, Object>) summary.get("data");
    assertThat(sumData).containsEntry("sha256", hash).containsEntry("test_images", 32.0);
    assertThat(summary.get("notes").toString())
        .contains("on the training split of mnist")
        .contains("drawing on the held-out (test) split of mnist")
        .doesNotContain("not held out");
  }

  @Test
  void anExplicitTrainSplitIsHonouredAndSaidToBeNotHeldOut() throws Exception {
    Path data = dir.resolve("data");
    MnistCommandTest.writeIdx(data, 32, 16);
    Path report = dir.resolve("r");
    CliTest.Run eval = CliTest.run("eval", "--problem", "mnist(split=train)", "--data",
        data.toString(), "--baselines", "sgd", "--grid", "0.1", "--steps", "4", "--problems", "2",
        "--tune-problems", "1", "--out", report.toString(), "--quiet");
    assertThat(eval.code()).as(eval.err()).isZero();
    Map<String, Object> summary = json(report.resolve("summary.json"));
    assertThat((String) summary.get("problem")).contains("split=train");
    assertThat(summary.get("notes").toString())
        .contains("drawing on the training split of mnist (not held out)");
  }

  @Test
  void tuneSkipsDivergedPointsAndSaysWhenAllDiverge() {
    // f(x) = x², x₀ = 1: SGD with lr 1.5 or 3 makes the loss grow at every step
    CliTest.Run some = CliTest.run("tune", "--problem", "simple", "--baselines", "sgd", "--grid",
        "0.25,1.5", "--steps", "3", "--tune-problems", "2");
    assertThat(some.code()).as(some.err()).isZero();
    assertThat(some.out()).containsPattern("lr 0\\.25 .*<- chosen")
        .containsPattern("lr 1\\.5 .*diverged \\(skipped\\)")
        .contains("chosen: sgd(lr=0.25)");
    CliTest.Run all = CliTest.run("tune", "--problem", "simple", "--baselines", "sgd", "--grid",
        "1.5,3", "--steps", "3", "--tune-problems", "2");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.out()).doesNotContain("<- chosen")
        .contains("chosen: none: diverged at every grid point");
  }

  @Test
  void evalReportsABaselineThatDivergedEverywhereInsteadOfANanRow() throws Exception {
    Path t = dir.resolve("t");
    CliTest.Run train = CliTest.run("train", "--problem", "simple", "--epochs", "2", "--steps",
        "4", "--unroll", "2", "--validation-problems", "1", "--out", t.toString(), "--quiet");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).doesNotContain("data:");
    Path report = dir.resolve("r");
    CliTest.Run eval = CliTest.run("eval", "--problem", "simple", "--optimizer",
        t.resolve("optimizer.json").toString(), "--baselines", "sgd", "--grid", "1.5,3",
        "--steps", "4", "--problems", "1", "--tune-problems", "1", "--out", report.toString(),
        "--quiet");
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("sgd: diverged at every grid point (lr 1.5, 3) when tuning;"
        + " not evaluated").doesNotContain("nan").contains("± n/a");
    assertThat(eval.out().lines().filter(l -> l.startsWith("sgd "))).isEmpty();
    Map<String, Object> summary = json(report.resolve("summary.json"));
    assertThat(summary.get("optimizers").toString()).doesNotContain("name=sgd");
    assertThat(summary.get("not_evaluated").toString()).contains("name=sgd");

    CliTest.Run none = CliTest.run("eval", "--problem", "simple", "--optimizer",
        t.resolve("optimizer.json").toString(), "--baselines", "none", "--steps", "4",
        "--problems", "2", "--out", dir.resolve("r2").toString(), "--quiet");
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(none.out()).doesNotContain("tuned").doesNotContain("grid");
    assertThat(json(dir.resolve("r2").resolve("summary.json")).get("notes").toString())
        .doesNotContain("tuned");
  }

  @Test
  void mnistRefusesARepeatedCase() {
    Path out = dir.resolve("out");
    CliTest.Run r = CliTest.run("mnist", "--cases", "a,b,a", "--out", out.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: --cases: case 'a' is given twice" + NL);
    assertThat(out).doesNotExist();
  }
}
