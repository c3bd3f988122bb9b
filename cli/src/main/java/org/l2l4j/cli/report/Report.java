package org.l2l4j.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2l4j.eval.Curve;
import org.l2l4j.util.AtomicFiles;
import org.l2l4j.util.Json;

/**
 * Writes experiment reports: a console table, a one-line verdict, and a folder with
 * {@code curves.csv}, {@code summary.json}, {@code plot.png} and {@code index.html}. Every file is
 * written to a temporary file and renamed into place, so a crash never leaves a torn file.
 */
public final class Report {
  /** The curves file written by {@link #write}. */
  public static final String CSV = "curves.csv";

  /** The summary file written by {@link #write}. */
  public static final String JSON = "summary.json";

  /** The plot written by {@link #write}. */
  public static final String PNG = "plot.png";

  /** The page written by {@link #write} and {@link #writeIndex}. */
  public static final String HTML = "index.html";

  private Report() {}

  /**
   * A fixed-width console table: the title and problem, one row per optimizer (name, spec
   * shortened, chosen learning rate or "learned", mean ± ci95 at steps 10, 25, 50, 100 where at
   * most N, and always at N), '*' after the lowest mean of each column among the runs that did not
   * diverge, '†' after the name of a run that diverged; then which optimizer has
   * the lowest mean at step N, at how many of steps 1..N the best learned optimizer has the lowest
   * mean of all (ties do not count), and the notes. Ends with a newline.
   */
  public static String table(ReportData d) {
    ReportTable t = ReportTable.of(d);
    StringBuilder sb = new StringBuilder();
    sb.append(d.title()).append('\n');
    sb.append(context(d)).append('\n');
    sb.append(t.text());
    for (String s : t.summary) {
      sb.append(s).append('\n');
    }
    for (String n : d.notes()) {
      sb.append(n).append('\n');
    }
    return sb.toString();
  }

  /**
   * One line naming the optimizer with the lowest mean loss at step N and the runner-up, e.g.
   * {@code "base-100: best at step 100 = lstm (0.123 vs adam 0.456)"}; the prefix is the title.
   */
  public static String winnerLine(ReportData d) {
    int n = d.steps();
    double[][] means = means(d);
    List<Integer> ranked = ReportTable.rankAt(d, means, n);
    String head = d.title() + ": ";
    if (ranked.isEmpty()) {
      return head + "no optimizer ended below its starting loss at step " + n;
    }
    int w = ranked.get(0);
    StringBuilder sb = new StringBuilder(head);
    sb.append("best at step ").append(n).append(" = ").append(d.curves().get(w).name());
    sb.append(" (").append(Fmt.num(means[w][n], 3));
    if (ranked.size() > 1) {
      int r = ranked.get(1);
      sb.append(" vs ").append(d.curves().get(r).name()).append(' ');
      sb.append(Fmt.num(means[r][n], 3));
    }
    return sb.append(')').toString();
  }

  /**
   * Creates {@code dir} if needed and writes {@code curves.csv}, {@code summary.json},
   * {@code plot.png} and {@code index.html} into it, replacing earlier files of those names. The
   * page also links each file named by a {@code d.extra()} key ending in {@code _file} (such as
   * demo's {@code optimizer_file}) that exists in {@code dir}.
   *
   * @throws IOException if a file cannot be written
   */
  public static void write(Path dir, ReportData d) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve(CSV), csv(d));
    AtomicFiles.writeString(dir.resolve(JSON), Json.write(summary(d)));
    AtomicFiles.write(dir.resolve(PNG), Plot.png(d));
    AtomicFiles.writeString(dir.resolve(HTML), html(d, Html.existingFiles(dir, d.extra())));
  }

  /** Trained optimizer files an index page links when they exist (relative to its folder). */
  static final List<String> TRAINED_FILES =
      List.of("optimizer.json", "train/optimizer.json", "train-gac/optimizer.json");

  /**
   * Writes {@code dir/index.html}, a page that links several case reports (each a folder written
   * by {@link #write}) and shows each case's plot as a thumbnail.
   *
   * @param dir the folder of the page; created if needed
   * @param title the page heading
   * @param caseDirs the case folders, linked relative to {@code dir}
   * @param lines text lines shown above the cases, typically their {@link #winnerLine}s; the
   *     trained optimizer files of {@link #TRAINED_FILES} that exist in {@code dir} are linked
   * @throws IOException if the page cannot be written
   */
  public static void writeIndex(Path dir, String title, List<Path> caseDirs, List<String> lines)
      throws IOException {
    Files.createDirectories(dir);
    Path base = dir.toAbsolutePath().normalize();
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    if (!lines.isEmpty()) {
      body.append("<ul class=\"lines\">\n");
      for (String l : lines) {
        body.append("<li>").append(Html.escape(l)).append("</li>\n");
      }
      body.append("</ul>\n");
    }
    List<String> trained = new ArrayList<>();
    for (String f : TRAINED_FILES) {
      if (Files.isRegularFile(dir.resolve(f))) {
        trained.add(f);
      }
    }
    if (!trained.isEmpty()) {
      body.append("<p>Trained optimizers:");
      for (String f : trained) {
        body.append(" <a href=\"").append(Html.escape(f)).append("\">").append(Html.escape(f))
            .append("</a>");
      }
      body.append("</p>\n");
    }
    body.append("<div class=\"cases\">\n");
    for (Path c : caseDirs) {
      Path abs = c.toAbsolutePath().normalize();
      String rel = Html.href(base.relativize(abs));
      String prefix = rel.isEmpty() ? "" : rel + "/";
      String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
      body.append("<div class=\"case\"><a href=\"").append(Html.escape(prefix + HTML));
      body.append("\">");
      body.append("<h2>").append(Html.escape(name)).append("</h2>");
      if (Files.exists(abs.resolve(PNG))) {
        body.append("<img src=\"").append(Html.escape(prefix + PNG)).append("\" alt=\"");
        body.append(Html.escape(name)).append("\" width=\"400\">");
      }
      body.append("</a></div>\n");
    }
    body.append("</div>\n");
    AtomicFiles.writeString(dir.resolve(HTML), Html.page(title, body.toString()));
  }

  // ---------------------------------------------------------------- files

  static String csv(ReportData d) {
    List<Curve> curves = d.curves();
    double[][] means = means(d);
    double[][] cis = new double[curves.size()][];
    StringBuilder sb = new StringBuilder("step");
    for (int i = 0; i < curves.size(); i++) {
      cis[i] = curves.get(i).ci95();
      String name = curves.get(i).name();
      sb.append(',').append(csvField(name + "_mean"));
      sb.append(',').append(csvField(name + "_ci95"));
    }
    sb.append('\n');
    for (int t = 0; t <= d.steps(); t++) {
      sb.append(t);
      for (int i = 0; i < curves.size(); i++) {
        sb.append(',').append(means[i][t]).append(',').append(cis[i][t]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  static Map<String, Object> summary(ReportData d) {
    int n = d.steps();
    double[][] means = means(d);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", d.title());
    m.put("problem", d.problemSpec());
    m.put("steps", n);
    m.put("test_problems", d.testProblems());
    List<Object> opts = new ArrayList<>();
    for (int i = 0; i < d.curves().size(); i++) {
      Curve c = d.curves().get(i);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", c.name());
      o.put("spec", c.spec());
      o.put("learned", c.learned());
      Double lr = d.tunedLearningRates().get(c.name());
      if (lr != null) {
        o.put("learning_rate", lr);
      }
      o.put("final_mean", means[i][n]);
      o.put("diverged", c.diverged());
      o.put("mean", means[i]);
      o.put("ci95", c.ci95());
      opts.add(o);
    }
    m.put("optimizers", opts);
    List<Integer> ranked = ReportTable.rankAt(d, means, n);
    m.put("best_final", ranked.isEmpty() ? null : d.curves().get(ranked.get(0)).name());
    int l = ReportTable.bestLearned(d, means);
    if (l >= 0) {
      Map<String, Object> ll = new LinkedHashMap<>();
      ll.put("name", d.curves().get(l).name());
      ll.put("count", ReportTable.lowestSteps(means, l));
      ll.put("of", n);
      m.put("learned_lowest_steps", ll);
    }
    List<Object> skipped = new ArrayList<>();
    for (Map.Entry<String, String> e : d.notEvaluated().entrySet()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", e.getKey());
      s.put("reason", e.getValue());
      skipped.add(s);
    }
    m.put("not_evaluated", skipped);
    m.put("notes", d.notes());
    m.putAll(d.extra());
    return m;
  }

  static String html(ReportData d) {
    return html(d, List.of());
  }

  /** The page; {@code files} (paths relative to the page) are linked after the data files. */
  static String html(ReportData d, List<String> files) {
    ReportTable t = ReportTable.of(d);
    StringBuilder b = new StringBuilder();
    b.append("<h1>").append(Html.escape(d.title())).append("</h1>\n");
    b.append("<p class=\"context\">").append(Html.escape(context(d))).append("</p>\n");
    b.append("<img class=\"plot\" src=\"").append(PNG).append("\" alt=\"loss against step\" ");
    b.append("width=\"").append(Plot.WIDTH).append("\" height=\"").append(Plot.HEIGHT);
    b.append("\">\n");
    b.append("<table>\n<thead><tr>");
    List<String> header = t.header();
    for (int k = 0; k < header.size(); k++) {
      b.append(k >= ReportTable.HEAD.size() ? "<th class=\"num\">" : "<th>");
      b.append(Html.escape(header.get(k))).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (ReportTable.Row r : t.rows) {
      b.append("<tr><td>").append(Html.escape(r.label())).append("</td>");
      b.append("<td><code title=\"").append(Html.escape(r.spec())).append("\">");
      b.append(Html.escape(r.shortSpec())).append("</code></td>");
      b.append("<td>").append(Html.escape(r.rate())).append("</td>");
      for (int j = 0; j < r.cells().length; j++) {
        boolean best = r.best()[j];
        b.append(best ? "<td class=\"num best\">" : "<td class=\"num\">");
        b.append(Html.escape(r.cells()[j])).append(best ? "*" : "").append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n");
    b.append("<p class=\"legend\">mean ± 95% interval (Student's t) over ").append(d.testProblems());
    b.append(" test problems");
    b.append(d.testProblems() < 2 ? " (one problem: no interval)" : "");
    b.append("; * marks the lowest mean of each column");
    b.append(t.rows.stream().anyMatch(ReportTable.Row::diverged)
        ? "; " + ReportTable.DIVERGED_MARK + " marks a diverged run (never marked lowest)" : "");
    b.append(".</p>\n");
    b.append("<ul class=\"lines\">\n");
    for (String s : t.summary) {
      b.append("<li>").append(Html.escape(s)).append("</li>\n");
    }
    b.append("</ul>\n");
    if (!d.notes().isEmpty()) {
      b.append("<h2>Notes</h2>\n<ul class=\"notes\">\n");
      for (String s : d.notes()) {
        b.append("<li>").append(Html.escape(s)).append("</li>\n");
      }
      b.append("</ul>\n");
    }
    b.append("<p class=\"files\">Data: <a href=\"").append(JSON).append("\">").append(JSON);
    b.append("</a> · <a href=\"").append(CSV).append("\">").append(CSV).append("</a>");
    for (String f : files) {
      b.append(" · <a href=\"").append(Html.escape(Html.href(Path.of(f)))).append("\">");
      b.append(Html.escape(f)).append("</a>");
    }
    b.append("</p>\n");
    return Html.page(d.title(), b.toString());
  }

  private static String context(ReportData d) {
    return "problem "
        + d.problemSpec()
        + " · "
        + d.steps()
        + " steps · "
        + d.testProblems()
        + " test problems";
  }

  private static double[][] means(ReportData d) {
    double[][] means = new double[d.curves().size()][];
    for (int i = 0; i < means.length; i++) {
      means[i] = d.curves().get(i).mean();
    }
    return means;
  }
}
