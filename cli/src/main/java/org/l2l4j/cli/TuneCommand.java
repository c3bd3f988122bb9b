package org.l2l4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Tuner;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j tune}. */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Grid-search the baselines' learning rates on tuning problems.",
      "The tuning problems are disjoint from the test problems; prints each grid point's mean final"
          + " loss and the chosen rate."
    })
final class TuneCommand implements Callable<Integer> {
  @Option(names = "--problem", paramLabel = "SPEC", description = "Problem family. Default: ${DEFAULT-VALUE}.")
  String problem = "quadratic";

  @Mixin DataOption dataOption;

  @Mixin ComparisonOptions comparison;

  @Option(names = "--quiet", description = "No progress on standard error; warnings, errors and"
      + " results are still printed.")
  boolean quiet;

  @Override
  public Integer call() {
    dataOption.apply();
    ProblemFamily family = Problems.parse(problem);
    Comparison c = comparison.comparison(family);
    var baselines = Workflows.baselines(comparison.baselines);
    if (baselines.isEmpty()) {
      throw new UserException("--baselines: nothing to tune");
    }
    System.out.printf(Locale.ROOT, "problem %s, %d steps, %d tuning problems per point%n",
        family.spec(), c.steps(), c.tuningProblems());
    int runs = c.grid().length * c.tuningProblems();
    Progress progress = new Progress("tuning", "run", (double) baselines.size() * runs, quiet);
    int before = 0;
    for (BaselineOptimizer b : baselines) {
      int offset = before;
      Tuner.Result r = Tuner.tune(b, c.grid(), family, c.tuningProblems(), c.steps(), c.seed(),
          null, (done, total) -> {
            progress.now(String.format(Locale.ROOT,
                "[tuning %s (%d learning rates x %d problems): %d/%d runs done]", b.name(),
                c.grid().length, c.tuningProblems(), done, total));
            progress.update(offset + done);
          });
      before += runs;
      progress.now("");
      progress.update(before);
      progress.clear(); // the results below start on a clean line
      System.out.println(b.name() + ":");
      for (Tuner.Point p : r.grid()) {
        System.out.printf(Locale.ROOT, "  lr %-8s final loss %s%s%n",
            org.l2l4j.util.Spec.fmt(p.learningRate()),
            Double.isFinite(p.finalLoss()) ? String.format(Locale.ROOT, "%.6g", p.finalLoss()) : "diverged",
            p.learningRate() == r.best().learningRate() ? "   <- chosen" : "");
      }
      System.out.println("  chosen: " + r.best().spec());
    }
    progress.finish();
    return 0;
  }
}
