package org.l2l4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.l2l4j.cli.report.Report;
import org.l2l4j.cli.report.ReportData;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Curve;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.eval.Tuner;
import org.l2l4j.optim.BaselineOptimizer;

/** Runs a comparison with progress and writes its report. */
final class Reporting {
  private Reporting() {}

  /** Tunes the baselines, evaluates everything, writes the report into {@code out}. */
  static ReportData compare(String title, Comparison comparison, List<Evaluator.Entry> learned,
      List<BaselineOptimizer> baselines, Path out, List<String> notes, Map<String, Object> extra,
      boolean quiet, org.l2l4j.util.Parallel parallel) throws IOException {
    // one unit = one run of N steps on one problem, for tuning and for testing alike
    long total = (long) baselines.size() * comparison.grid().length * comparison.tuningProblems()
        + (long) (learned.size() + baselines.size()) * comparison.testProblems();
    String label = extra.containsKey("case")
        ? "case " + extra.get("case") + ": tuning and evaluation" : "tuning and evaluation";
    Progress progress = new Progress(label, "run", total, quiet);
    Comparison.Result r = comparison.run(learned, baselines, new ComparisonProgress(progress,
        comparison), parallel);
    progress.finish();
    List<String> allNotes = new ArrayList<>(notes);
    allNotes.add(String.format(Locale.ROOT,
        "Baselines tuned on %d problems per grid point (grid %s), selected by mean loss at step %d;"
            + " all optimizers evaluated on the same %d held-out problems (eval seed %d).",
        comparison.tuningProblems(), gridText(comparison.grid()), comparison.steps(),
        comparison.testProblems(), comparison.seed()));
    ReportData data = new ReportData(title, comparison.family().spec(), comparison.steps(),
        comparison.testProblems(), r.curves(), r.learningRates(), allNotes, extra);
    Report.write(out, data);
    return data;
  }

  /**
   * Renders a comparison's progress: runs done over all tuning and test runs, and what runs now,
   * e.g. {@code tuning adam (11 learning rates x 20 problems): 57/220 runs done}.
   */
  static final class ComparisonProgress implements Comparison.Listener {
    private final Progress progress;
    private final Comparison comparison;
    private final StringBuilder tuned = new StringBuilder();
    private long before;
    private final StringBuilder evaluated = new StringBuilder();

    ComparisonProgress(Progress progress, Comparison comparison) {
      this.progress = progress;
      this.comparison = comparison;
    }

    @Override
    public void tuning(String name, int runsDone, int runs) {
      show(String.format(Locale.ROOT, "tuning %s (%d learning rates x %d problems): %d/%d runs done",
          name, comparison.grid().length, comparison.tuningProblems(), runsDone, runs), runsDone);
    }

    @Override
    public void tuned(String name, Tuner.Result result) {
      before += (long) comparison.grid().length * comparison.tuningProblems();
      tuned.append(tuned.length() > 0 ? ", " : "").append(name).append(' ')
          .append(org.l2l4j.util.Spec.fmt(result.best().learningRate()));
      show("", 0);
    }

    @Override
    public void evaluating(String name, int runsDone, int runs) {
      show(String.format(Locale.ROOT, "evaluating %s on %d test problems: %d/%d runs done", name,
          comparison.testProblems(), runsDone, runs), runsDone);
    }

    @Override
    public void evaluated(Curve curve) {
      before += comparison.testProblems();
      evaluated.append(evaluated.length() > 0 ? ", " : "").append(curve.name());
      show("", 0);
    }

    private void show(String now, int runsDone) {
      StringBuilder sb = new StringBuilder();
      if (tuned.length() > 0) {
        sb.append("tuned learning rates: ").append(tuned);
      }
      if (evaluated.length() > 0) {
        sb.append(sb.length() > 0 ? "  " : "").append("evaluated: ").append(evaluated);
      }
      progress.detail(sb.toString());
      progress.now(now.isEmpty() ? "" : "[" + now + "]");
      progress.update(before + runsDone);
    }
  }

  static String gridText(double[] grid) {
    StringBuilder sb = new StringBuilder();
    for (double g : grid) {
      sb.append(sb.length() > 0 ? "," : "").append(org.l2l4j.util.Spec.fmt(g));
    }
    return sb.toString();
  }
}
