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
    int total = baselines.size() + learned.size() + baselines.size();
    Progress progress = new Progress("evaluation", total, quiet);
    int[] done = {0};
    Comparison.Result r = comparison.run(learned, baselines, new Comparison.Listener() {
      @Override
      public void tuned(String name, Tuner.Result result) {
        progress.detail("tuned " + name + ": lr " + result.best().learningRate());
        progress.update(++done[0]);
      }

      @Override
      public void evaluated(Curve curve) {
        progress.detail("evaluated " + curve.name());
        progress.update(++done[0]);
      }
    }, parallel);
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

  static String gridText(double[] grid) {
    StringBuilder sb = new StringBuilder();
    for (double g : grid) {
      sb.append(sb.length() > 0 ? "," : "").append(org.l2l4j.util.Spec.fmt(g));
    }
    return sb.toString();
  }
}
