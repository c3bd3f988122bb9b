package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Curve;
import org.l2l4j.eval.Tuner;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.Problems;

/** Progress output: when it prints, what its numbers say, and that --quiet silences it. */
class ProgressTest {
  @TempDir Path dir;

  private static final long SECOND = 1_000_000_000L;

  /** A clock the test moves by hand. */
  static final class FakeClock {
    long now = 5 * SECOND;

    void advance(double seconds) {
      now += (long) (seconds * SECOND);
    }
  }

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final FakeClock clock = new FakeClock();

  private Progress progress(String label, String unit, double total, boolean terminal) {
    return new Progress(label, unit, total, new PrintStream(bytes, true, StandardCharsets.UTF_8),
        terminal, 80, () -> clock.now);
  }

  private List<String> lines() {
    return Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void aFastRunPrintsOnlyTheFinalLine() {
    Progress p = progress("work", "run", 1000, false);
    for (int i = 1; i <= 1000; i++) {
      clock.advance(0.005); // 5 s in all
      p.update(i);
    }
    assertThat(bytes.size()).isZero();
    p.finish();
    p.finish();
    assertThat(lines()).containsExactly("work: run 1000/1000 (100.0%, 5 s)");
  }

  @Test
  void aSlowRunPrintsALineEveryLogIntervalWithTheTimeLeft() {
    Progress p = progress("work", "run", 100, false);
    for (int i = 1; i <= 50; i++) {
      clock.advance(1); // 50 s: a line at 10, 20, 30, 40 and 50 s
      p.update(i);
    }
    assertThat(lines()).hasSize(50 / Progress.LOG_SECONDS);
    assertThat(lines().get(0)).isEqualTo("work: run 10/100 (10.0%, 10 s, about 90 s left)");
  }

  @Test
  void theTerminalBarIsRedrawnAtMostOnceASecond() {
    Progress p = progress("work", "run", 1000, true);
    for (int i = 1; i <= 1000; i++) {
      clock.advance(0.005);
      p.update(i);
    }
    // 5 s: at most 5 redraws, each starting with a carriage return
    String out = bytes.toString(StandardCharsets.UTF_8);
    long redraws = out.chars().filter(c -> c == '\r').count();
    assertThat(redraws).isBetween(4L, 5L);
    assertThat(out).doesNotContain("\n");
    p.finish();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .endsWith("\r\033[Kwork: run 1000/1000 (100.0%, 5 s)\n");
  }

  @Test
  void onATerminalFullLinesAreKeptEveryLogIntervalAndTheBarFitsTheWidth() {
    Progress p = progress("meta-training lstm+gac", "epoch", 3000, true);
    p.detail("train loss (mean of the last 100 epochs) 0.153  valid loss (epoch 1200, mean over"
        + " 100 steps of 20 problems) 0.148, new best");
    for (int i = 1; i <= 2500; i++) {
      clock.advance(0.01); // 25 s
      p.now("[epoch " + i + ": unroll 3/5 done]");
      p.update(i);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    // kept lines end with a newline; each starts after the erased bar
    List<String> kept = Arrays.stream(out.substring(0, out.lastIndexOf('\n')).split("\n"))
        .map(l -> l.substring(l.lastIndexOf("\033[K") + 3)).toList();
    assertThat(kept).hasSize(2);
    assertThat(kept.get(0)).startsWith("meta-training lstm+gac: epoch 1000/3000 (33.3%, 10 s,"
        + " about 20 s left)  train loss").endsWith("new best  [epoch 1000: unroll 3/5 done]");
    int bars = 0;
    for (String segment : out.split("\r")) {
      if (!segment.contains("\n") && !segment.isEmpty()) { // a bar (kept lines may wrap)
        String text = segment.replace("\033[K", "");
        assertThat(text.length()).as(text).isLessThan(80);
        bars++;
      }
    }
    assertThat(bars).isBetween(20, 25);
    assertThat(out).endsWith("\r\033[Kmeta-training lstm+gac [########--] epoch 2500/3000 83%,"
        + " 5s left  [epoch 2500:~");
  }

  @Test
  void theFinalLineShowsTheFinalValidationAndSaysWhatEachNumberIs() {
    Progress p = progress("meta-training lstm", "epoch", 4, false);
    TrainingProgress t = new TrainingProgress(p, 10, 3, Double.POSITIVE_INFINITY, 0);
    // the order MetaTrainer uses: epochDone, then the validation of that epoch
    t.epochDone(1, 4, 2.0);
    t.epochDone(2, 4, 1.0);
    t.validated(2, 0.5, true);
    t.epochDone(3, 4, Double.NaN);
    t.epochDone(4, 4, 3.0);
    t.validated(4, 0.75, false);
    t.finish();
    assertThat(lines()).containsExactly("meta-training lstm: epoch 4/4 (100.0%, 0 s)"
        + "  train loss (mean of the last 4 epochs, 1 diverged) 2"
        + "  valid loss (epoch 4, mean over 10 steps of 3 problems) 0.75, best 0.5 at epoch 2");
  }

  @Test
  void aSlowEpochShowsProgressWithinIt() {
    Progress p = progress("meta-training lstm", "epoch", 10, false);
    TrainingProgress t = new TrainingProgress(p, 100, 20, Double.POSITIVE_INFINITY, 0);
    p.update(0);
    clock.advance(6);
    t.unrollDone(1, 1, 5);
    clock.advance(6);
    t.unrollDone(1, 2, 5);
    clock.advance(11);
    t.validationProgress(1, 7, 20);
    assertThat(lines()).containsExactly(
        "meta-training lstm: epoch 0/10 (4.0%, 12 s, about 4 min 48 s left)"
            + "  [epoch 1: unroll 2/5 done]",
        "meta-training lstm: epoch 1/10 (10.0%, 23 s, about 3 min 27 s left)"
            + "  [validating after epoch 1: 7/20 problems done]");
  }

  @Test
  void trainPrintsTheFinalValidationLastOnStandardErrorAndNothingWhenQuiet() {
    String[] args = {"train", "--epochs", "3", "--steps", "4", "--unroll", "2", "--threads", "1",
        "--validate-every", "2", "--validation-problems", "2", "--out", dir.resolve("a").toString()};
    CliTest.Run run = CliTest.run(args);
    assertThat(run.code()).as(run.err()).isZero();
    List<String> err = run.err().lines().filter(l -> !l.contains("incubator")).toList();
    assertThat(err).hasSize(1);
    assertThat(err.get(0)).startsWith("meta-training lstm: epoch 3/3 (100.0%")
        .contains("valid loss (epoch 3, mean over 4 steps of 2 problems)");
    assertThat(run.out()).doesNotContain("meta-training");

    String[] quiet = Arrays.copyOf(args, args.length + 1);
    quiet[args.length - 1] = dir.resolve("b").toString();
    quiet[args.length] = "--quiet";
    CliTest.Run q = CliTest.run(quiet);
    assertThat(q.code()).as(q.err()).isZero();
    assertThat(q.err().lines().filter(l -> !l.contains("incubator"))).isEmpty();
  }

  @Test
  void comparisonProgressCountsEveryTuningAndTestRun() {
    Comparison cmp = new Comparison(Problems.parse("quadratic"), 5, 2, 3, new double[] {0.1, 1}, 1);
    Progress p = progress("tuning and evaluation", "run", 2 * 2 + 3, false);
    Reporting.ComparisonProgress c = new Reporting.ComparisonProgress(p, cmp);
    for (int i = 1; i <= 4; i++) {
      c.tuning("sgd", i, 4);
    }
    c.tuned("sgd", new Tuner.Result(new Sgd(0.1), 0.25, List.of()));
    clock.advance(10);
    c.evaluating("sgd", 2, 3);
    assertThat(lines()).containsExactly("tuning and evaluation: run 6/7 (85.7%, 10 s, about 2 s"
        + " left)  tuned learning rates: sgd 0.1  [evaluating sgd on 3 test problems: 2/3 runs"
        + " done]");
    c.evaluating("sgd", 3, 3);
    c.evaluated(new Curve("sgd", "sgd(lr=0.1)", false, new double[][] {{1, 0.5}}));
    p.finish();
    assertThat(lines().get(1)).isEqualTo("tuning and evaluation: run 7/7 (100.0%, 10 s)"
        + "  tuned learning rates: sgd 0.1  evaluated: sgd");
  }

  @Test
  void tuneKeepsResultsOnStandardOutputAndProgressOnStandardError() {
    String[] args = {"tune", "--baselines", "sgd", "--grid", "0.01,0.1", "--steps", "5",
        "--tune-problems", "2"};
    CliTest.Run run = CliTest.run(args);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("chosen: sgd(lr=").doesNotContain("tuning:");
    assertThat(run.err().lines().filter(l -> !l.contains("incubator")))
        .containsExactly(run.err().lines().filter(l -> l.startsWith("tuning: run 4/4 (100.0%"))
            .findFirst().orElse("no final line"));
    String[] quiet = Arrays.copyOf(args, args.length + 1);
    quiet[args.length] = "--quiet";
    CliTest.Run q = CliTest.run(quiet);
    assertThat(q.code()).as(q.err()).isZero();
    assertThat(q.out()).isEqualTo(run.out());
    assertThat(q.err().lines().filter(l -> !l.contains("incubator"))).isEmpty();
  }

  @Test
  void aGacNetIsNamedAndEvalEndsWithACompleteLine() {
    Path out = dir.resolve("gac");
    CliTest.Run train = CliTest.run("train", "--optimizer", "lstm(preset=quadratic,gac=2)",
        "--epochs", "2", "--steps", "4", "--unroll", "2", "--validation-problems", "1",
        "--threads", "1", "--out", out.toString());
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.err().lines().filter(l -> !l.contains("incubator")))
        .singleElement().asString().startsWith("meta-training lstm+gac: epoch 2/2 (100.0%");

    CliTest.Run eval = CliTest.run("eval", "--optimizer", out.resolve("optimizer.json").toString(),
        "--baselines", "sgd,adam", "--grid", "0.01,0.1", "--steps", "4", "--problems", "2",
        "--tune-problems", "2", "--threads", "1", "--out", dir.resolve("report").toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    // 2 baselines x 2 rates x 2 tuning problems + 3 optimizers x 2 test problems
    assertThat(eval.err().lines().filter(l -> !l.contains("incubator")))
        .singleElement().asString().startsWith("tuning and evaluation: run 14/14 (100.0%")
        .endsWith("evaluated: lstm, sgd, adam");
    assertThat(eval.out()).doesNotContain("tuning and evaluation");
  }
}
