package org.l2l4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Tuner;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code l2l4j tune}. */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Grid-search the baselines' learning rates on tuning problems.",
      "The tuning problems are disjoint from the test problems; prints each grid point's mean final"
          + " loss and the chosen rate. Grid points whose mean loss ends above its start (or not"
          + " finite) are skipped as diverged. Neural-net problems are tuned on the training split."
    })
final class TuneCommand implements Callable<Integer> {
  @Mixin ProblemOption problemOption;

  @Mixin DataOption dataOption;

  @Mixin ComparisonOptions comparison;

  @Mixin QuietOption quietOption;

  @Mixin SparkGridOption sparkOption;

  @Override
  public Integer call() {
    sparkOption.check();
    dataOption.apply();
    String problem = problemOption.problem;
    ProblemFamily parsed = Problems.parse(problem);
    ProblemFamily family = DataOption.splitGiven(problem) ? parsed
        : DataOption.withSplit(parsed, Split.TRAIN);
    Comparison c = comparison.comparison(family);
    HeapCheck.require(org.l2l4j.meta.MemoryEstimate.tuning(family, c.tuningProblems(), c.steps(), 1));
    var baselines = Workflows.baselines(comparison.baselines);
    if (baselines.isEmpty()) {
      throw new UserException("--baselines: nothing to tune");
    }
    DataOption.announce(family);
    String split = DataOption.splitText(family);
    System.out.printf(Locale.ROOT, "problem %s, %d steps, %d tuning problems per point%s%n",
        family.spec(), c.steps(), c.tuningProblems(), split == null ? "" : ", on " + split);
    int runs = c.grid().length * c.tuningProblems();
    Progress progress = new Progress("tuning", "run", (double) baselines.size() * runs,
        quietOption.quiet);
    int before = 0;
    try (ClusterGrids.Session runner = sparkOption.open()) {
      for (BaselineOptimizer<?> b : baselines) {
        before = tune(b, c, family, runner, progress, before, runs);
      }
    }
    progress.finish();
    return 0;
  }

  /** Tunes and prints one baseline; returns the runs done after it. */
  private static int tune(BaselineOptimizer<?> b, Comparison c, ProblemFamily family,
      ClusterGrids.Session runner, Progress progress, int before, int runs) {
    Tuner.Result r = Tuner.tuneHorizons(b, c.grid(), family, c.tuningProblems(),
        new int[] {c.steps()}, c.seed(), null, (done, total) -> {
          progress.now(String.format(Locale.ROOT,
              "[tuning %s (%d learning rates x %d problems): %d/%d runs done]", b.name(),
              c.grid().length, c.tuningProblems(), done, total));
          progress.update(before + done);
        }, runner).get(0);
    int after = before + runs;
    progress.now("");
    progress.update(after);
    progress.clear(); // the results below start on a clean line
    System.out.println(b.name() + ":");
    for (Tuner.Point p : r.grid()) {
      String loss = Double.isFinite(p.finalLoss())
          ? String.format(Locale.ROOT, "%.6g", p.finalLoss()) : "not finite";
      String mark = p.diverged() ? "   diverged (skipped)"
          : !r.allDiverged() && p.learningRate() == r.best().learningRate() ? "   <- chosen" : "";
      System.out.printf(Locale.ROOT, "  lr %-8s final loss %s%s%n",
          org.l2l4j.util.Spec.fmt(p.learningRate()), loss, mark);
    }
    System.out.println(r.allDiverged()
        ? "  chosen: none: diverged at every grid point"
        : "  chosen: " + r.best().spec());
    return after;
  }
}
