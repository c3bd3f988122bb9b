package org.l2l4j.cli.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.l2l4j.eval.Curve;

/**
 * The content of a report's table, computed once and rendered as fixed-width text or HTML: one row
 * per optimizer with the mean ± ci95 loss at a few steps, the lowest mean per column marked, and
 * the summary lines that follow the table. A curve that {@linkplain Curve#diverged diverged} (mean
 * loss at step N above its start, or not finite) gets {@link #DIVERGED_MARK} after its name and a
 * footnote, and is never marked lowest nor named best.
 */
final class ReportTable {
  /** The steps shown when they are at most N; N itself is always shown. */
  static final int[] SHOWN_STEPS = {10, 25, 50, 100};

  /** Specs longer than this are shortened in the table. */
  static final int SPEC_WIDTH = 40;

  /** The first header cells, before one per shown step. */
  static final List<String> HEAD = List.of("optimizer", "spec", "learning rate");

  /** The mark after the name of a diverged optimizer. */
  static final String DIVERGED_MARK = "†";

  /** One optimizer's row; {@code label} is the name with the diverged mark if any. */
  record Row(String name, String label, String spec, String shortSpec, String rate, String[] cells,
      boolean[] best, boolean diverged) {}

  final int[] columns;
  final List<Row> rows;
  final List<String> summary;

  private ReportTable(int[] columns, List<Row> rows, List<String> summary) {
    this.columns = columns;
    this.rows = rows;
    this.summary = summary;
  }

  static ReportTable of(ReportData d) {
    int n = d.steps();
    TreeSet<Integer> cols = new TreeSet<>();
    for (int s : SHOWN_STEPS) {
      if (s <= n) {
        cols.add(s);
      }
    }
    cols.add(n);
    int[] columns = cols.stream().mapToInt(Integer::intValue).toArray();

    List<Curve> curves = d.curves();
    double[][] means = new double[curves.size()][];
    double[][] cis = new double[curves.size()][];
    for (int i = 0; i < curves.size(); i++) {
      means[i] = curves.get(i).mean();
      cis[i] = curves.get(i).ci95();
    }
    double[] colMin = new double[columns.length];
    for (int j = 0; j < columns.length; j++) {
      colMin[j] = Double.POSITIVE_INFINITY;
      for (int i = 0; i < means.length; i++) {
        double v = means[i][columns[j]];
        if (!curves.get(i).diverged() && Double.isFinite(v) && v < colMin[j]) {
          colMin[j] = v;
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < curves.size(); i++) {
      Curve c = curves.get(i);
      String[] cells = new String[columns.length];
      boolean[] best = new boolean[columns.length];
      for (int j = 0; j < columns.length; j++) {
        int t = columns[j];
        cells[j] = Fmt.meanCi(means[i][t], cis[i][t]);
        best[j] = !c.diverged() && Double.isFinite(means[i][t]) && means[i][t] == colMin[j];
      }
      String label = c.diverged() ? c.name() + " " + DIVERGED_MARK : c.name();
      rows.add(new Row(c.name(), label, c.spec(), shorten(c.spec()), rate(d, c), cells, best,
          c.diverged()));
    }
    return new ReportTable(columns, List.copyOf(rows), summary(d, means, cis));
  }

  private static String shorten(String spec) {
    return spec.length() <= SPEC_WIDTH ? spec : spec.substring(0, SPEC_WIDTH - 1) + "…";
  }

  private static String rate(ReportData d, Curve c) {
    if (c.learned()) {
      return "learned";
    }
    Double lr = d.tunedLearningRates().get(c.name());
    return lr == null ? "-" : Fmt.num(lr, 4);
  }

  private static List<String> summary(ReportData d, double[][] means, double[][] cis) {
    int n = d.steps();
    List<String> out = new ArrayList<>();
    List<Integer> ranked = rankAt(d, means, n);
    if (ranked.isEmpty()) {
      out.add("no optimizer ended below its starting loss: every mean loss at step " + n
          + " is above its start or not finite");
    } else {
      int w = ranked.get(0);
      out.add(
          "lowest mean loss at step "
              + n
              + ": "
              + d.curves().get(w).name()
              + " ("
              + Fmt.meanCi(means[w][n], cis[w][n])
              + ")");
    }
    int l = bestLearned(d, means);
    if (l >= 0 && d.curves().get(l).diverged()) {
      out.add(d.curves().get(l).name() + " (learned) diverged: its mean loss at step " + n
          + " is above its start or not finite");
    } else if (l >= 0 && n >= 1) {
      int count = lowestSteps(means, l);
      out.add(
          d.curves().get(l).name()
              + " (learned) has the lowest mean loss at "
              + count
              + " of "
              + n
              + " steps (1.."
              + n
              + ")");
    }
    for (Curve c : d.curves()) {
      if (c.diverged()) {
        out.add(DIVERGED_MARK + " diverged: the mean loss at step " + n
            + " is above its start or not finite (" + c.name() + ")");
      }
    }
    for (var e : d.notEvaluated().entrySet()) {
      out.add(e.getKey() + ": " + e.getValue());
    }
    return List.copyOf(out);
  }

  /**
   * Indices of the curves that did not diverge and have a finite mean at step t, lowest mean first
   * (stable).
   */
  static List<Integer> rankAt(ReportData d, double[][] means, int t) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < means.length; i++) {
      if (!d.curves().get(i).diverged() && Double.isFinite(means[i][t])) {
        idx.add(i);
      }
    }
    idx.sort(Comparator.comparingDouble(i -> means[i][t]));
    return idx;
  }

  /**
   * The learned curve that did not diverge with the lowest final mean (the first learned one if
   * every learned curve diverged), or -1 if no curve is learned.
   */
  static int bestLearned(ReportData d, double[][] means) {
    int n = d.steps();
    int best = -1;
    for (int i = 0; i < means.length; i++) {
      if (!d.curves().get(i).learned()) {
        continue;
      }
      if (best < 0) {
        best = i;
      } else if (!d.curves().get(i).diverged()
          && (d.curves().get(best).diverged() || means[i][n] < means[best][n])) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The number of steps 1..N at which curve {@code l} has a finite mean strictly below every other
   * curve's (a non-finite mean counts as +inf; ties do not count).
   */
  static int lowestSteps(double[][] means, int l) {
    int count = 0;
    for (int t = 1; t < means[l].length; t++) {
      double v = means[l][t];
      if (!Double.isFinite(v)) {
        continue;
      }
      boolean lowest = true;
      for (int i = 0; i < means.length && lowest; i++) {
        if (i != l && Double.isFinite(means[i][t]) && means[i][t] <= v) {
          lowest = false;
        }
      }
      if (lowest) {
        count++;
      }
    }
    return count;
  }

  /** The header cells: {@link #HEAD} then "step t" per column. */
  List<String> header() {
    List<String> h = new ArrayList<>(HEAD);
    for (int t : columns) {
      h.add("step " + t);
    }
    return h;
  }

  /** Fixed-width text: header, rule, rows ('*' after the lowest mean of each column). */
  String text() {
    List<String> header = header();
    List<List<String>> lines = new ArrayList<>();
    for (Row r : rows) {
      List<String> cells = new ArrayList<>(List.of(r.label(), r.shortSpec(), r.rate()));
      for (int j = 0; j < columns.length; j++) {
        cells.add(r.cells()[j] + (r.best()[j] ? "*" : " "));
      }
      lines.add(cells);
    }
    int[] width = new int[header.size()];
    for (int k = 0; k < width.length; k++) {
      width[k] = header.get(k).length();
      for (List<String> l : lines) {
        width[k] = Math.max(width[k], l.get(k).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, header, width);
    int total = 0;
    for (int w : width) {
      total += w;
    }
    sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
    for (List<String> l : lines) {
      appendLine(sb, l, width);
    }
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int k = 0; k < cells.size(); k++) {
      if (k > 0) {
        line.append("  ");
      }
      String c = cells.get(k);
      boolean right = k >= HEAD.size();
      String pad = " ".repeat(width[k] - c.length());
      line.append(right ? pad + c : c + pad);
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }
}
