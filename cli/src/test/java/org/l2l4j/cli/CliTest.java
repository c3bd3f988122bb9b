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
    assertThat(again.err()).contains("already holds the results of another run")
        .contains("checkpoint.ckpt").contains("--resume").contains("--overwrite");
    Run more = run("train", "--epochs", "3", "--steps", "10", "--unroll", "5",
        "--validation-problems", "1", "--out", out.toString(), "--resume", "--quiet");
    assertThat(more.code()).as(more.err()).isZero();
    assertThat(more.out()).contains("3 epochs");
    Run wrongSeed = run("train", "--epochs", "4", "--steps", "10", "--unroll", "5", "--seed", "9",
        "--validation-problems", "1", "--out", out.toString(), "--resume", "--quiet");
    assertThat(wrongSeed.code()).isEqualTo(1);
    assertThat(wrongSeed.err()).contains("seed 9");
    Run wrongSteps = run("train", "--epochs", "4", "--steps", "20", "--unroll", "5",
        "--validation-problems", "1", "--out", out.toString(), "--resume", "--quiet");
    assertThat(wrongSteps.code()).isEqualTo(1);
    assertThat(wrongSteps.err()).contains("was trained with --steps 10; this run asks for --steps 20");
    Run wrongUnroll = run("train", "--epochs", "4", "--steps", "10", "--unroll", "2",
        "--validation-problems", "1", "--out", out.toString(), "--resume", "--quiet");
    assertThat(wrongUnroll.code()).isEqualTo(1);
    assertThat(wrongUnroll.err()).contains("--unroll 5; this run asks for --unroll 2");
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

  /** Bad flag values: the exit code, and a one-line message naming the flag or the spec. */
  @ParameterizedTest
  @ValueSource(strings = {
    "1|--steps must be >= 1, got -5|train --steps -5",
    "1|--unroll must be in [1, --steps]|train --unroll 0",
    "1|--max-steps must be 0 (off) or >= --steps = 100, got 50|train --max-steps 50",
    "1|--max-steps must be 0 (off) or >= --steps = 100, got -1|train --max-steps -1",
    "1|--epochs must be >= 1|train --epochs 0",
    "1|unknown lstm preset 'nope'|train --optimizer lstm(preset=nope)",
    "1|expected an lstm(...) spec, got 'adamw(lr=1)'|train --optimizer adamw(lr=1)",
    "1|unknown problem 'quadric'|train --problem quadric",
    "1|--meta-lr must be finite and > 0, got 0.0|train --meta-lr 0",
    "1|--meta-lr must be finite and > 0, got NaN|train --meta-lr NaN",
    "1|--meta-lr must be finite and > 0, got Infinity|train --meta-lr Infinity",
    "1|--meta-lr must be finite and > 0, got Infinity|train --meta-lr 1e999",
    "1|--meta-lr must be finite and > 0, got -0.001|train --meta-lr -0.001",
    "2|Invalid value for option '--meta-lr': 'inf' is not a double|train --meta-lr inf",
    "1|give --meta-lr or --meta-optimizer, not both|train --meta-lr 0.01 --meta-optimizer adam",
    "1|give --meta-lr or --meta-optimizer, not both|demo --meta-lr 0.01 --meta-optimizer sgd",
    "1|--meta-optimizer: unknown optimizer 'adamw'; known: sgd, rmsprop, adam, nag|train --meta-optimizer adamw(lr=1)",
    "1|--meta-optimizer: |train --meta-optimizer sgd(lr=-1)",
    "1|--threads must be in [1, 1024], got 0|train --threads 0",
    "1|--threads must be in [1, 1024], got 0|demo --threads 0",
    "1|--checkpoint-every must be >= 1, got 0|train --checkpoint-every 0",
    "1|--clip must be finite and >= 0|train --clip -1",
    "1|--validation-problems must be >= 1|train --validation-problems 0",
    "1|--max-bad must be >= 1|train --max-bad 0",
    "1|--meta-loss: 'transform=log' in 'loss(transform=log)': expected sum or log-mean|train --meta-loss loss(transform=log)",
    "1|--meta-loss: expected a loss(weights=...,transform=...) spec, got 'last'|train --meta-loss last",
    "1|--meta-loss: 'weights=1;-1' in 'loss(weights=1;-1)'|train --meta-loss loss(weights=1;-1)",
    "1|--meta-loss: meta-loss 'loss(weights=1;2,transform=sum)' has 2 step weights; it needs one per unroll step, 20|train --meta-loss loss(weights=1;2)",
    "1|--meta-batch must be in [1, 4096], got 0|train --meta-batch 0",
    "1|--spark needs the l2l4j-spark jar (spark/target/l2l4j-spark.jar): run ./l2l4j, which builds it on first use, or spark-submit that jar|train --spark local[2]",
    "1|--spark needs the l2l4j-spark jar (spark/target/l2l4j-spark.jar): run ./l2l4j, which builds it on first use, or spark-submit that jar|tune --spark local[2]",
    "1|--spark needs the l2l4j-spark jar (spark/target/l2l4j-spark.jar): run ./l2l4j, which builds it on first use, or spark-submit that jar|eval --baselines sgd --spark local[2]",
    "1|--spark needs the l2l4j-spark jar|tune --spark spark://host:7077",
    "1|--spark bogus: not a Spark master URL (local[N], local[N,F], spark://HOST:PORT, yarn, k8s://..., or submit under spark-submit)|tune --spark bogus",
    "1|--spark local[0]: not a Spark master URL|eval --baselines sgd --spark local[0]",
    "1|--meta-batch must be in [1, 4096], got 5000|demo --meta-batch 5000",
    "1|--gac must be >= 0, got -1|demo --gac -1",
    "1|--gac 21: lstm: gac=21 exceeds a layer width of 20|demo --gac 21",
    "1|unknown optimizer 'adamw'; known: sgd, rmsprop, adam, nag|tune --baselines adamw(lr=0.1)",
    "1|'lr' in 'sgd(lr=0)' must be > 0, got 0|eval --baselines sgd(lr=0)",
    "1|'lr=NaN' in 'adam(lr=NaN)' is not finite|eval --baselines adam(lr=NaN)",
    "1|'lr=inf' in 'adam(lr=inf)' is not finite|tune --baselines adam(lr=inf)",
    "1|'lr=Infinity' in 'rmsprop(lr=Infinity)' is not finite|tune --baselines rmsprop(lr=Infinity)",
    "1|'lr=1e999' in 'nag(lr=1e999)' is not finite|tune --baselines nag(lr=1e999)",
    "1|--grid: learning rates must be finite and > 0, got NaN|tune --grid 0.1,NaN",
    "1|'lr=0x1p-3' in 'sgd(lr=0x1p-3)' is not a number|eval --baselines sgd(lr=0x1p-3)",
    "1|--steps must be >= 1, got -1|eval --baselines sgd --steps -1",
    "2|Unknown option: '--no-such-flag'|train --no-such-flag",
  })
  void badValuesNameTheFlagOrSpec(String line) {
    String[] parts = line.split("\\|", 3);
    Run r = run(parts[2].split(" "));
    assertThat(r.code()).as(line).isEqualTo(Integer.parseInt(parts[0]));
    assertThat(r.out()).as(line).isEmpty();
    String[] lines = r.err().split("\\R");
    assertThat(lines[0]).as(line).startsWith(r.code() == 1 ? "l2l4j: error: " : "l2l4j: ")
        .contains(parts[1]);
    // errors: exactly one line; flag syntax: the message and a pointer to --help
    assertThat(lines).as(line).hasSize(r.code() == 1 ? 1 : 2);
  }

  @Test
  void resumeWithoutACheckpointIsRefusedAndCreatesNothing() {
    Path out = dir.resolve("none");
    Run r = run("train", "--resume", "--out", out.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: --resume: no checkpoint in " + out + " (expected "
        + out.resolve("checkpoint.ckpt") + ")" + System.lineSeparator());
    assertThat(out).doesNotExist();
  }

  static String[] tinyTrain(Path out, int epochs, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("train", "--epochs", Integer.toString(epochs),
        "--steps", "10", "--unroll", "5", "--validation-problems", "1", "--checkpoint-every", "1",
        "--threads", "1", "--out", out.toString(), "--quiet"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void corruptCheckpointWithoutPreviousIsAnErrorNamingTheFile() throws Exception {
    Path out = dir.resolve("t");
    assertThat(run(tinyTrain(out, 1)).code()).isZero();
    Path ckpt = out.resolve("checkpoint.ckpt");
    assertThat(out.resolve("checkpoint.ckpt.prev")).doesNotExist();
    byte[] b = Files.readAllBytes(ckpt);
    b[b.length / 2] ^= 0x01;
    Files.write(ckpt, b);
    Run r = run(tinyTrain(out, 2, "--resume"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: " + ckpt + ": checksum mismatch (corrupt checkpoint)"
        + System.lineSeparator());
    Files.writeString(ckpt, "");
    assertThat(run(tinyTrain(out, 2, "--resume")).err())
        .startsWith("l2l4j: error: " + ckpt + ": not an l2l4j checkpoint");
  }

  @Test
  void corruptNewestCheckpointResumesFromThePreviousWithAWarning() throws Exception {
    Path out = dir.resolve("t");
    assertThat(run(tinyTrain(out, 2)).code()).isZero();
    Path ckpt = out.resolve("checkpoint.ckpt");
    Path prev = out.resolve("checkpoint.ckpt.prev");
    Files.write(ckpt, java.util.Arrays.copyOf(Files.readAllBytes(ckpt), 500));
    Run r = run(tinyTrain(out, 3, "--resume"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("l2l4j: warning: " + ckpt + ": truncated or padded checkpoint")
        .contains("using the previous checkpoint " + prev);
    assertThat(r.out()).contains("3 epochs");
    // a lone .prev (a kill between the rotation and the rename) still counts as a checkpoint
    Files.delete(ckpt);
    assertThat(prev).exists();
    Run fresh = run(tinyTrain(out, 3));
    assertThat(fresh.code()).isEqualTo(1);
    assertThat(fresh.err()).contains("already holds the results of another run")
        .contains("checkpoint.ckpt.prev").contains("--resume to continue its checkpoint");
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
