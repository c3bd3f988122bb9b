package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.util.Json;
import picocli.CommandLine;

/** The l2l4j command end to end, on tiny settings. */
class CliTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  /** Runs the command with System.out/err captured (picocli binds them at construction). */
  static Run run(String... args) {
    java.io.PrintStream oldOut = System.out;
    java.io.PrintStream oldErr = System.err;
    java.io.ByteArrayOutputStream sysOut = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream sysErr = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(sysOut, true));
    System.setErr(new java.io.PrintStream(sysErr, true));
    try {
      CommandLine cl = Main.commandLine();
      int code = cl.execute(args);
      cl.getOut().flush();
      cl.getErr().flush();
      System.out.flush();
      System.err.flush();
      return new Run(code, sysOut.toString(), sysErr.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void trainThenEvalWritesOptimizerFileAndReport() throws Exception {
    Path out = dir.resolve("t");
    Run train = run("train", "--problem", "quadratic", "--epochs", "4", "--steps", "10", "--unroll",
        "5", "--validate-every", "2", "--validation-problems", "2", "--out", out.toString(),
        "--quiet");
    assertThat(train.code()).as(train.err()).isZero();
    OptimizerFile.Loaded f = OptimizerFile.read(out.resolve("optimizer.json"));
    assertThat(f.config().spec()).contains("preproc=none");
    assertThat(f.provenance()).containsEntry("problem", "quadratic(preset=paper)")
        .containsEntry("epochs", 4.0);

    Path report = dir.resolve("r");
    Run eval = run("eval", "--problem", "quadratic", "--optimizer", out.resolve("optimizer.json").toString(),
        "--baselines", "sgd,adam", "--grid", "0.01,0.1", "--steps", "10", "--problems", "3",
        "--tune-problems", "2", "--out", report.toString(), "--quiet");
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("lstm").contains("sgd").contains("adam");
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(report.resolve("summary.json")));
    assertThat(summary.get("steps")).isEqualTo(10.0);
    assertThat(summary.get("test_problems")).isEqualTo(3.0);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> opts = (List<Map<String, Object>>) summary.get("optimizers");
    assertThat(opts).extracting(m -> m.get("name")).containsExactly("lstm", "sgd", "adam");
    assertThat(opts.get(0).get("learned")).isEqualTo(true);
    assertThat((List<?>) opts.get(0).get("mean")).hasSize(11);
    assertThat(report.resolve("plot.png")).exists();
    assertThat(report.resolve("index.html")).exists();
  }

  @Test
  void resumeContinuesAndRefusesAMismatch() {
    Path out = dir.resolve("t");
    String[] base = {"train", "--epochs", "2", "--steps", "10", "--unroll", "5",
        "--validation-problems", "1", "--checkpoint-every", "1", "--out", out.toString(), "--quiet"};
    assertThat(run(base).code()).isZero();
    // training again into the same folder without --resume is refused
    Run again = run(base);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already holds a checkpoint").contains("--resume");
    Run more = run("train", "--epochs", "3", "--steps", "10", "--unroll", "5",
        "--validation-problems", "1", "--out", out.toString(), "--resume", "--quiet");
    assertThat(more.code()).as(more.err()).isZero();
    assertThat(more.out()).contains("3 epochs");
    Run wrongSeed = run("train", "--epochs", "4", "--steps", "10", "--unroll", "5", "--seed", "9",
        "--validation-problems", "1", "--out", out.toString(), "--resume", "--quiet");
    assertThat(wrongSeed.code()).isEqualTo(1);
    assertThat(wrongSeed.err()).contains("seed 9");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "train --epochs -3",
    "train --epochs abc",
    "train --problem quadric",
    "train --optimizer lstm(layers=20x)",
    "train --meta-lr 0",
    "train --meta-lr NaN",
    "train --steps 0",
    "eval --baselines adamw",
    "eval --baselines sgd --grid 0,1",
    "eval --optimizer /no/such/file.json",
    "tune --baselines sgd(lr=-1)",
    "train --no-such-flag",
    "demo --problems 0"
  })
  void badInputGivesOneLineErrorAndNonZeroExit(String line) {
    Run r = run(line.split(" "));
    assertThat(r.code()).as(line).isNotZero();
    assertThat(r.err()).as(line).startsWith("l2l4j: ").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void corruptOptimizerFileIsReportedByName() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"l2l4j-optimizer\", \"version\": 1, \"spec\": \"lstm(layers=");
    Run r = run("eval", "--optimizer", bad.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(bad.toString()).contains("not valid JSON");
  }

  @Test
  void helpWorksForEveryCommand() {
    for (String cmd : new String[] {"train", "eval", "tune", "demo", "mnist"}) {
      Run r = run(cmd, "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("Usage: l2l4j " + cmd);
    }
  }
}
