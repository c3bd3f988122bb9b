package org.l2l4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /**
   * Tunes the baselines, evaluates everything, writes the report into {@code out}. Adds notes on
   * what was done (tuning only when there are baselines; the data split of neural-net problems),
   * the baselines that diverged at every grid point (reported, not evaluated), and the data
   * source as {@code "data"} in {@code summary.json}.
   */
  static ReportData compare(String title, Comparison comparison, List<Evaluator.Entry> learned,
      List<BaselineOptimizer> baselines, Path out, List<String> notes, Map<String, Object> extra,
      boolean quiet, org.l2l4j.util.Parallel parallel) throws IOException {
    int total = baselines.size() + learned.size() + baselines.size();
    Progress progress = new Progress("evaluation", total, quiet);
    int[] done = {0};
    Comparison.Result r = comparison.run(learned, baselines, new Comparison.Listener() {
      @Override
      public void tuned(String name, Tuner.Result result) {
        if (result.allDiverged()) {
          progress.detail("tuned " + name + ": diverged at every grid point");
          done[0]++; // it is not evaluated
        } else {
          progress.detail("tuned " + name + ": lr " + result.best().learningRate());
        }
        progress.update(++done[0]);
      }

      @Override
      public void evaluated(Curve curve) {
        progress.detail("evaluated " + curve.name());
        progress.update(++done[0]);
      }
    }, parallel);
    List<String> allNotes = new ArrayList<>(notes);
    allNotes.addAll(comparisonNotes(comparison, r));
    Map<String, String> notEvaluated = new LinkedHashMap<>();
    for (String name : r.divergedEverywhere()) {
      notEvaluated.put(name, "diverged at every grid point ("
          + rates(r.tuning().get(name).divergedRates()) + ") when tuning; not evaluated");
    }
    if (r.curves().isEmpty()) {
      throw new UserException("nothing left to evaluate: " + String.join("; ",
          notEvaluated.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
    }
    Map<String, Object> allExtra = new LinkedHashMap<>(extra);
    Map<String, Object> data = DataOption.provenance(comparison.family());
    if (data != null && !allExtra.containsKey("data")) {
      allExtra.put("data", data);
    }
    ReportData d = new ReportData(title, comparison.family().spec(), comparison.steps(),
        comparison.testProblems(), r.curves(), r.learningRates(), allNotes, allExtra, notEvaluated);
    Report.write(out, d);
    return d;
  }

  /** What the comparison did, in words: tuning (if any baseline), skipped points, evaluation. */
  static List<String> comparisonNotes(Comparison c, Comparison.Result r) {
    List<String> out = new ArrayList<>();
    if (!r.tuning().isEmpty()) {
      String on = DataOption.splitText(c.tuningFamily());
      out.add(String.format(Locale.ROOT,
          "Baselines tuned on %d problems per grid point (grid %s)%s, selected by mean loss at"
              + " step %d among the grid points that did not diverge (final mean above the start"
              + " or not finite).",
          c.tuningProblems(), gridText(c.grid()), on == null ? "" : " on " + on, c.steps()));
      for (Map.Entry<String, Tuner.Result> e : r.tuning().entrySet()) {
        List<Double> div = e.getValue().divergedRates();
        if (!div.isEmpty() && !e.getValue().allDiverged()) {
          out.add(e.getKey() + ": grid points skipped as diverged: " + rates(div) + ".");
        }
      }
    }
    String on = DataOption.splitText(c.family());
    boolean heldOut = on == null || on.startsWith("the held-out");
    out.add(String.format(Locale.ROOT, "All optimizers evaluated on the same %d %s problems%s"
            + " (eval seed %d).", c.testProblems(), on == null ? "held-out" : "fresh",
        on == null ? "" : " drawing on " + on + (heldOut ? "" : " (not held out)"), c.seed()));
    return out;
  }

  private static String rates(List<Double> lrs) {
    StringBuilder sb = new StringBuilder("lr ");
    for (int i = 0; i < lrs.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(org.l2l4j.util.Spec.fmt(lrs.get(i)));
    }
    return sb.toString();
  }

  static String gridText(double[] grid) {
    StringBuilder sb = new StringBuilder();
    for (double g : grid) {
      sb.append(sb.length() > 0 ? "," : "").append(org.l2l4j.util.Spec.fmt(g));
    }
    return sb.toString();
  }
}
