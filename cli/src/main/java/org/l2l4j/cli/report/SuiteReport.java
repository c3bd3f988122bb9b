package org.l2l4j.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.l2l4j.eval.Goals;
import org.l2l4j.util.AtomicFiles;
import org.l2l4j.util.Json;

/**
 * The generalisation suite's report: a table with a row per task, horizon and learned optimizer
 * (its final mean loss, the best tuned baseline, the ratio, tuned Adam and the four goal checks of
 * {@link Goals}), a line per learned optimizer counting each goal, {@code summary.json} and
 * {@code index.html}. The per-task reports are ordinary {@link Report}s in the rows' folders.
 */
public final class SuiteReport {
  /** The column headings of {@link #table}, after the optional optimizer column. */
  public static final List<String> HEAD = List.of("task", "steps", "learned", "best baseline",
      "lr", "best loss", "ratio", "adam", "<start", "<own@100", "<adam@100", "≤2x best");

  /** What a goal cell reads: passed, failed, does not apply. */
  static final String YES = "yes";
  static final String NO = "no";
  static final String NA = "-";

  /** The legend printed under the table. */
  public static final String LEGEND = "learned: the learned optimizer's mean loss at the last"
      + " step; best baseline: the tuned baseline with the lowest mean loss there (tuned for this"
      + " task and horizon), its learning rate and loss; ratio = learned / best; adam: tuned"
      + " Adam's loss. Goals: <start = final below the loss at step 0; <own@100 = final below its"
      + " own loss at step " + Goals.STEP + " (horizons above " + Goals.STEP + "); <adam@100 ="
      + " below tuned Adam at step " + Goals.STEP + " (the " + Goals.STEP + "-step row); ≤2x best"
      + " = within " + (int) Goals.FACTOR + "x of the best baseline, or both below "
      + org.l2l4j.util.Spec.fmt(Goals.TINY) + " x the initial loss. " + ReportTable.DIVERGED_MARK + " marks a run whose"
      + " final mean loss is above its start or not finite (diverged); - = does not apply.";

  private SuiteReport() {}

  /** Whether the rows hold more than one learned optimizer (then the table names it). */
  static boolean several(List<SuiteRow> rows) {
    return rows.stream().map(r -> r.goals().learned()).distinct().count() > 1;
  }

  /** The table's cells, one list per row, headings first. */
  static List<List<String>> cells(List<SuiteRow> rows) {
    boolean named = several(rows);
    List<List<String>> out = new ArrayList<>();
    List<String> head = new ArrayList<>();
    if (named) {
      head.add("optimizer");
    }
    head.addAll(HEAD);
    out.add(head);
    for (SuiteRow r : rows) {
      Goals g = r.goals();
      List<String> c = new ArrayList<>();
      if (named) {
        c.add(g.learned());
      }
      c.add(r.task());
      c.add(Integer.toString(g.steps()));
      c.add(Fmt.num(g.last(), 4) + (g.diverged() ? " " + ReportTable.DIVERGED_MARK : ""));
      c.add(g.best() == null ? "none" : g.best());
      c.add(Double.isNaN(r.bestRate()) ? NA : org.l2l4j.util.Spec.fmt(r.bestRate()));
      c.add(g.best() == null ? NA : Fmt.num(g.bestLast(), 4));
      c.add(Double.isNaN(g.ratio()) ? NA : Fmt.num(g.ratio(), 3));
      c.add(Double.isNaN(g.adamLast()) ? NA : Fmt.num(g.adamLast(), 4));
      c.add(cell(g.belowStart()));
      c.add(cell(g.belowOwnStep100()));
      c.add(cell(g.belowAdamAtStep100()));
      c.add(cell(g.nearBest()));
      out.add(c);
    }
    return out;
  }

  static String cell(Boolean b) {
    return b == null ? NA : b ? YES : NO;
  }

  /** The fixed-width console table (text left, numbers right), ending with a newline. */
  public static String table(List<SuiteRow> rows) {
    List<List<String>> cells = cells(rows);
    int cols = cells.get(0).size();
    int textCols = cols - HEAD.size() + 1; // the optional optimizer column and the task
    int[] width = new int[cols];
    for (List<String> l : cells) {
      for (int k = 0; k < cols; k++) {
        width[k] = Math.max(width[k], l.get(k).codePointCount(0, l.get(k).length()));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < cols; k++) {
        String c = cells.get(i).get(k);
        String pad = " ".repeat(width[k] - c.codePointCount(0, c.length()));
        line.append(k > 0 ? "  " : "").append(k < textCols || k == textCols + 2 ? c + pad
            : pad + c);
      }
      sb.append(line.toString().stripTrailing()).append('\n');
      if (i == 0) {
        int total = 2 * (cols - 1);
        for (int w : width) {
          total += w;
        }
        sb.append("-".repeat(total)).append('\n');
      }
    }
    return sb.toString();
  }

  /** The goal counts of one learned optimizer over its rows: {passed, applicable} per goal. */
  static final class Counts {
    private final String optimizer;
    private final int[] belowStart = new int[2];
    private final int[] belowOwn = new int[2];
    private final int[] belowAdam = new int[2];
    private final int[] near = new int[2];
    private final int[] nearLong = new int[2];

    Counts(String optimizer) {
      this.optimizer = optimizer;
    }

    String optimizer() {
      return optimizer;
    }

    int[] belowStart() {
      return belowStart;
    }

    int[] belowOwn() {
      return belowOwn;
    }

    int[] belowAdam() {
      return belowAdam;
    }

    int[] near() {
      return near;
    }

    int[] nearLong() {
      return nearLong;
    }
  }

  static List<Counts> counts(List<SuiteRow> rows) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    rows.forEach(r -> names.add(r.goals().learned()));
    List<Counts> out = new ArrayList<>();
    for (String n : names) {
      Counts c = new Counts(n);
      for (SuiteRow r : rows) {
        Goals g = r.goals();
        if (!g.learned().equals(n)) {
          continue;
        }
        count(c.belowStart(), g.belowStart());
        count(c.belowOwn(), g.belowOwnStep100());
        count(c.belowAdam(), g.belowAdamAtStep100());
        count(c.near(), g.nearBest());
        if (g.steps() >= 10 * Goals.STEP) {
          count(c.nearLong(), g.nearBest());
        }
      }
      out.add(c);
    }
    return out;
  }

  private static void count(int[] c, Boolean b) {
    if (b != null) {
      c[1]++;
      c[0] += b ? 1 : 0;
    }
  }

  /**
   * One line per learned optimizer counting each goal over the rows where it applies, e.g. {@code
   * lstm: final < start 36/36 rows; final < own loss at step 100 22/24; below tuned Adam at step
   * 100 9/12 tasks; within 2x of the best baseline 30/36 rows (24/24 at 1000+ steps)}.
   */
  public static List<String> summary(List<SuiteRow> rows) {
    List<String> out = new ArrayList<>();
    for (Counts c : counts(rows)) {
      out.add(String.format(Locale.ROOT, "%s: final < start %d/%d rows; final < own loss at step"
              + " %d %d/%d rows; below tuned Adam at step %d %d/%d tasks; within %dx of the best"
              + " baseline %d/%d rows (%d/%d at %d+ steps)", c.optimizer(), c.belowStart()[0],
          c.belowStart()[1], Goals.STEP, c.belowOwn()[0], c.belowOwn()[1], Goals.STEP,
          c.belowAdam()[0], c.belowAdam()[1], (int) Goals.FACTOR, c.near()[0], c.near()[1],
          c.nearLong()[0], c.nearLong()[1], 10 * Goals.STEP));
    }
    return out;
  }

  /** The {@code rows} entry of {@code summary.json}: every number of the table, by name. */
  static List<Object> rowsJson(List<SuiteRow> rows) {
    List<Object> out = new ArrayList<>();
    for (SuiteRow r : rows) {
      Goals g = r.goals();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", r.task());
      m.put("problem", r.problem());
      m.put("steps", g.steps());
      m.put("optimizer", g.learned());
      m.put("folder", r.folder());
      m.put("start", g.start());
      m.put("final", g.last());
      m.put("diverged", g.diverged());
      if (g.best() == null) {
        m.put("best_baseline", null);
      } else {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", g.best());
        b.put("learning_rate", r.bestRate());
        b.put("final", g.bestLast());
        m.put("best_baseline", b);
      }
      m.put("ratio", g.ratio());
      if (Double.isNaN(g.adamLast())) {
        m.put("adam", null);
      } else {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("learning_rate", r.adamRate());
        a.put("final", g.adamLast());
        m.put("adam", a);
      }
      Map<String, Object> goals = new LinkedHashMap<>();
      goals.put("below_start", g.belowStart());
      goals.put("below_own_step_100", g.belowOwnStep100());
      goals.put("below_adam_at_step_100", g.belowAdamAtStep100());
      goals.put("within_2x_of_best", g.nearBest());
      m.put("goals", goals);
      out.add(m);
    }
    return out;
  }

  static List<Object> countsJson(List<SuiteRow> rows) {
    List<Object> out = new ArrayList<>();
    for (Counts c : counts(rows)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("optimizer", c.optimizer());
      m.put("below_start", pair(c.belowStart()));
      m.put("below_own_step_100", pair(c.belowOwn()));
      m.put("below_adam_at_step_100", pair(c.belowAdam()));
      m.put("within_2x_of_best", pair(c.near()));
      m.put("within_2x_of_best_at_1000_plus", pair(c.nearLong()));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> pair(int[] c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", c[0]);
    m.put("of", c[1]);
    return m;
  }

  /**
   * Writes {@code dir/summary.json} ({@code extra}'s fields first, then {@code rows},
   * {@code goal_counts} and {@code notes}) and {@code dir/index.html} (the table, each task
   * linked to its report, the counts, the legend and the notes).
   *
   * @throws IOException if a file cannot be written
   */
  public static void write(Path dir, String title, List<SuiteRow> rows, List<String> notes,
      Map<String, Object> extra) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", title);
    m.putAll(extra);
    m.put("rows", rowsJson(rows));
    m.put("goal_counts", countsJson(rows));
    m.put("notes", notes);
    AtomicFiles.writeString(dir.resolve(Report.JSON), Json.write(m));
    AtomicFiles.writeString(dir.resolve(Report.HTML), html(title, rows, notes));
  }

  static String html(String title, List<SuiteRow> rows, List<String> notes) {
    List<List<String>> cells = cells(rows);
    int taskCol = several(rows) ? 1 : 0;
    StringBuilder b = new StringBuilder();
    b.append("<h1>").append(Html.escape(title)).append("</h1>\n<table>\n<thead><tr>");
    for (int k = 0; k < cells.get(0).size(); k++) {
      b.append(k > taskCol + 1 ? "<th class=\"num\">" : "<th>");
      b.append(Html.escape(cells.get(0).get(k))).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (int i = 1; i < cells.size(); i++) {
      SuiteRow r = rows.get(i - 1);
      b.append("<tr>");
      for (int k = 0; k < cells.get(i).size(); k++) {
        String c = Html.escape(cells.get(i).get(k));
        if (k == taskCol) {
          c = "<a href=\"" + Html.escape(Html.href(Path.of(r.folder())) + "/" + Report.HTML)
              + "\" title=\"" + Html.escape(r.problem()) + "\">" + c + "</a>";
        }
        b.append(k > taskCol + 1 ? "<td class=\"num\">" : "<td>").append(c).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n");
    b.append("<p class=\"legend\">").append(Html.escape(LEGEND)).append("</p>\n");
    b.append("<ul class=\"lines\">\n");
    for (String s : summary(rows)) {
      b.append("<li>").append(Html.escape(s)).append("</li>\n");
    }
    b.append("</ul>\n");
    if (!notes.isEmpty()) {
      b.append("<h2>Notes</h2>\n<ul class=\"notes\">\n");
      for (String s : notes) {
        b.append("<li>").append(Html.escape(s)).append("</li>\n");
      }
      b.append("</ul>\n");
    }
    b.append("<p class=\"files\">Data: <a href=\"").append(Report.JSON).append("\">")
        .append(Report.JSON).append("</a></p>\n");
    return Html.page(title, b.toString());
  }
}
