package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.util.Json;

/**
 * One net per parameter group from the command line: train a tiny two-group MLP (weights,
 * biases) on tiny IDX files, evaluate the file, and refuse groups the problem lacks.
 */
class GroupsCliTest {
  static final String GROUPS = "groups(weights=lstm(layers=4,preproc=log-sign(p=10),scale=0.1),"
      + "biases=lstm(layers=0,preproc=none,scale=0.1))";
  static final String MLP = "mnist(hidden=3,batch=8)";

  @TempDir Path dir;

  @AfterEach
  void resetData() {
    DataSets.setDefaultDirectory(null);
    DataSets.clearCache();
  }

  @Test
  void trainsATwoGroupMlpAndEvaluatesIt() throws Exception {
    Path data = dir.resolve("data");
    MnistCommandTest.writeIdx(data, 32, 16);
    Path out = dir.resolve("t");
    CliTest.Run train = CliTest.run("train", "--problem", MLP, "--data", data.toString(),
        "--optimizer", GROUPS, "--epochs", "2", "--steps", "6", "--unroll", "3",
        "--validate-every", "1", "--validation-problems", "1", "--threads", "2",
        "--out", out.toString(), "--quiet");
    assertThat(train.code()).as(train.err()).isZero();
    Path file = out.resolve("optimizer.json");
    OptimizerFile.Loaded f = OptimizerFile.read(file);
    assertThat(f.nets().names()).containsExactly("weights", "biases");
    assertThat(f.nets().spec()).startsWith("groups(weights=lstm(layers=4,");
    assertThat(((Map<?, ?>) Json.parse(Files.readString(file))).get("version")).isEqualTo(2.0);

    Path report = dir.resolve("r");
    CliTest.Run eval = CliTest.run("eval", "--problem", MLP, "--data", data.toString(),
        "--optimizer", file.toString(), "--baselines", "sgd", "--grid", "0.1", "--steps", "5",
        "--problems", "2", "--tune-problems", "1", "--out", report.toString(), "--quiet");
    assertThat(eval.code()).as(eval.err()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary =
        (Map<String, Object>) Json.parse(Files.readString(report.resolve("summary.json")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> opts = (List<Map<String, Object>>) summary.get("optimizers");
    assertThat(opts.get(0).get("name")).isEqualTo("lstm");
    assertThat(opts.get(0).get("learned")).isEqualTo(true);
    assertThat(eval.out()).contains("groups(weights=lstm(");
    assertThat((List<?>) opts.get(0).get("mean")).hasSize(6);

    // the same file on a problem with one group 'all' is refused in one line naming the file
    CliTest.Run wrong = CliTest.run("eval", "--problem", "quadratic", "--optimizer",
        file.toString(), "--baselines", "sgd", "--grid", "0.1", "--steps", "5", "--problems", "1",
        "--tune-problems", "1", "--out", dir.resolve("r2").toString(), "--quiet");
    assertThat(wrong.code()).isNotZero();
    assertThat(wrong.err()).isEqualTo("l2l4j: error: " + file + ": optimizer group 'weights' is"
        + " not a parameter group of the problem (its groups: all)" + System.lineSeparator());
  }

  @Test
  void mnistTrainsOneNetPerGroupAndReusesTheFileWithTrained() throws Exception {
    Path data = dir.resolve("data");
    MnistCommandTest.writeIdx(data, 32, 16);
    Path out = dir.resolve("m");
    CliTest.Run r = CliTest.run("mnist", "--data", data.toString(), "--optimizer", GROUPS,
        "--epochs", "1", "--steps", "6", "--unroll", "3", "--validate-every", "1",
        "--validation-problems", "1", "--problems", "1", "--tune-problems", "1", "--grid",
        "0.001", "--baselines", "sgd", "--cases", "d", "--threads", "2", "--out", out.toString(),
        "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    Path file = out.resolve("train/optimizer.json");
    assertThat(OptimizerFile.read(file).nets().names()).containsExactly("weights", "biases");
    // case d (784-20-20-10) has the same two groups: the nets run on it unchanged
    assertThat(out.resolve("case-d/summary.json")).exists();
    CliTest.Run again = CliTest.run("mnist", "--data", data.toString(), "--trained",
        file.toString(), "--problems", "1", "--tune-problems", "1", "--grid", "0.001",
        "--baselines", "sgd", "--cases", "a", "--out", dir.resolve("m2").toString(), "--quiet");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("groups(weights=lstm(");
    CliTest.Run gac = CliTest.run("mnist", "--data", data.toString(), "--trained",
        file.toString(), "--gac", "2", "--cases", "a", "--out", dir.resolve("m3").toString(),
        "--quiet");
    assertThat(gac.code()).isNotZero();
    assertThat(gac.err()).startsWith("l2l4j: error: --gac needs one lstm(...) optimizer, not"
        + " groups(");
    assertThat(gac.err().strip()).as("one line").doesNotContain("\n");
  }

  @Test
  void aGroupTheProblemLacksIsRefusedNamingTheFlagAndTheGroups() {
    CliTest.Run r = CliTest.run("train", "--problem", "quadratic", "--optimizer",
        "groups(conv=lstm(preset=quadratic))", "--epochs", "1", "--out",
        dir.resolve("x").toString(), "--quiet");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).isEqualTo("l2l4j: error: --optimizer: optimizer group 'conv' is not a"
        + " parameter group of the problem (its groups: all)" + System.lineSeparator());
    assertThat(dir.resolve("x")).doesNotExist();
  }
}
