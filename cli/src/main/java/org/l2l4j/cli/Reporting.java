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
import org.l2l4j.eval.GridRunner;
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
  /**
   * One case of an experiment command ({@code mnist}, {@code conv}): compares and writes the
   * report into {@code OUT/case-ID} (with {@code case} and {@code case_label} in summary.json),
   * prints its table, and adds its folder and winner line to {@code caseDirs} and {@code lines}
   * for the index.
   */
  static void compareCase(String id, String label, String title, Comparison comparison,
      List<Evaluator.Entry> learned, List<BaselineOptimizer<?>> baselines, Path out,
      List<String> notes, boolean quiet, org.l2l4j.util.Parallel parallel, List<Path> caseDirs,
      List<String> lines) throws IOException {
    Map<String, Object> extra = new java.util.LinkedHashMap<>();
    extra.put("case", id);
    extra.put("case_label", label);
    Path dir = out.resolve("case-" + id);
    ReportData d = compare(title, comparison, learned, baselines, dir, notes, extra, quiet,
        parallel);
    System.out.print(org.l2l4j.cli.report.Report.table(d));
    System.out.println();
    caseDirs.add(dir);
    lines.add(org.l2l4j.cli.report.Report.winnerLine(d));
  }

  static ReportData compare(String title, Comparison comparison, List<Evaluator.Entry> learned,
      List<BaselineOptimizer<?>> baselines, Path out, List<String> notes, Map<String, Object> extra,
      boolean quiet, org.l2l4j.util.Parallel parallel) throws IOException {
    return compare(title, comparison, learned, baselines, out, notes, extra, quiet, parallel,
        GridRunner.LOCAL);
  }

  /** As {@link #compare}, with the grids' runs done by {@code runner} (the same results). */
  static ReportData compare(String title, Comparison comparison, List<Evaluator.Entry> learned,
      List<BaselineOptimizer<?>> baselines, Path out, List<String> notes, Map<String, Object> extra,
      boolean quiet, org.l2l4j.util.Parallel parallel, GridRunner runner) throws IOException {
    // one unit = one run of N steps on one problem, for tuning and for testing alike
    long total = (long) baselines.size() * comparison.grid().length * comparison.tuningProblems()
        + (long) (learned.size() + baselines.size()) * comparison.testProblems();
    String label = extra.containsKey("case")
        ? "case " + extra.get("case") + ": tuning and evaluation" : "tuning and evaluation";
    Progress progress = new Progress(label, "run", total, quiet);
    Comparison.Result r = comparison.run(learned, baselines, new ComparisonProgress(progress,
        comparison), parallel, runner);
    progress.finish();
    return write(title, comparison, r, out, notes, extra);
  }

  /**
   * Writes the report of a comparison already run ({@code r}) into {@code out}, with the notes,
   * not-evaluated baselines and data source as {@link #compare} adds them.
   */
  static ReportData write(String title, Comparison comparison, Comparison.Result r, Path out,
      List<String> notes, Map<String, Object> extra) throws IOException {
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
          c.tuningProblems(), Tuner.gridText(c.grid()), on == null ? "" : " on " + on, c.steps()));
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
          .append(result.allDiverged() ? "diverged at every grid point"
              : org.l2l4j.util.Spec.fmt(result.best().learningRate()));
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
}
