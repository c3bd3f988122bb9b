package org.l2l4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.eval.Curve;
import org.l2l4j.util.Json;

class ReportTest {
  /** A palette colour counts as drawn if some pixel is this close to it in every channel. */
  static final int COLOUR_TOLERANCE = 12;

  /** A plot that shows five curves has at least this many distinct colours. */
  static final int MIN_DISTINCT_COLOURS = 20;

  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void summaryJsonHasTheSchemaAndTheCurvesMeans() throws IOException {
    ReportData d = Synthetic.data();
    Report.write(tmp, d);
    Map<String, Object> s =
        (Map<String, Object>) Json.parse(Files.readString(tmp.resolve("summary.json")));

    assertThat(s)
        .containsEntry("title", d.title())
        .containsEntry("problem", "quadratic(n=10)")
        .containsEntry("steps", 100.0)
        .containsEntry("test_problems", 5.0)
        .containsEntry("notes", List.of("meta-training: 12.3 s", "seed 42"))
        .containsEntry("seed", 42.0)
        .containsEntry("meta_training_seconds", 12.3)
        .containsEntry("best_final", "lstm");
    List<Map<String, Object>> opts = (List<Map<String, Object>>) s.get("optimizers");
    assertThat(opts).extracting(o -> o.get("name"))
        .containsExactly("lstm", "adam", "rmsprop", "sgd", "nag");
    assertThat(opts).extracting(o -> o.get("learned"))
        .containsExactly(true, false, false, false, false);
    assertThat(opts.get(0)).doesNotContainKey("learning_rate");
    assertThat(opts.get(1)).containsEntry("learning_rate", 0.1);
    for (int i = 0; i < opts.size(); i++) {
      Curve c = d.curves().get(i);
      Map<String, Object> o = opts.get(i);
      assertThat(o).containsEntry("spec", c.spec());
      List<Object> mean = (List<Object>) o.get("mean");
      List<Object> ci = (List<Object>) o.get("ci95");
      assertThat(mean).hasSize(Synthetic.STEPS + 1);
      assertThat(ci).hasSize(Synthetic.STEPS + 1);
      double[] m = c.mean();
      double[] h = c.ci95();
      for (int t = 0; t <= Synthetic.STEPS; t++) {
        assertThat(mean.get(t)).isEqualTo(Double.isFinite(m[t]) ? m[t] : null);
        assertThat(ci.get(t)).isEqualTo(Double.isFinite(h[t]) ? h[t] : null);
      }
    }
    assertThat(opts.get(3).get("final_mean")).isNull();
    assertThat((List<Object>) opts.get(3).get("mean")).element(Synthetic.SGD_DIVERGES).isNull();
    assertThat((Map<String, Object>) s.get("learned_lowest_steps"))
        .containsEntry("name", "lstm")
        .containsEntry("count", 99.0)
        .containsEntry("of", 100.0);
  }

  @Test
  void plotIsAnImageOfTheRightSizeShowingEveryCurve() throws IOException {
    Report.write(tmp, Synthetic.data());
    BufferedImage img = ImageIO.read(tmp.resolve("plot.png").toFile());
    assertThat(img).isNotNull();
    assertThat(img.getWidth()).isEqualTo(Plot.WIDTH);
    assertThat(img.getHeight()).isEqualTo(Plot.HEIGHT);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        colours.add(img.getRGB(x, y) & 0xffffff);
      }
    }
    assertThat(colours).hasSizeGreaterThanOrEqualTo(MIN_DISTINCT_COLOURS);
    for (int i = 0; i < 5; i++) {
      int want = Plot.PALETTE[i].getRGB() & 0xffffff;
      assertThat(colours.stream().anyMatch(c -> close(c, want)))
          .as("palette colour %d is drawn", i)
          .isTrue();
    }
  }

  @Test
  void csvHasAHeaderAndOneRowPerStep() throws IOException {
    Report.write(tmp, Synthetic.data());
    List<String> lines = Files.readAllLines(tmp.resolve("curves.csv"));
    assertThat(lines).hasSize(Synthetic.STEPS + 2);
    assertThat(lines.get(0))
        .isEqualTo(
            "step,lstm_mean,lstm_ci95,adam_mean,adam_ci95,rmsprop_mean,rmsprop_ci95,"
                + "sgd_mean,sgd_ci95,nag_mean,nag_ci95");
    for (int t = 0; t <= Synthetic.STEPS; t++) {
      String[] f = lines.get(t + 1).split(",");
      assertThat(f).hasSize(11);
      assertThat(f[0]).isEqualTo(Integer.toString(t));
    }
    double[] lstm = Synthetic.data().curves().get(0).mean();
    assertThat(Double.parseDouble(lines.get(101).split(",")[1])).isEqualTo(lstm[100]);
    assertThat(lines.get(1 + Synthetic.SGD_DIVERGES).split(",")[7]).isEqualTo("NaN");
  }

  @Test
  void htmlShowsThePlotTheTableAndTheLinks() throws IOException {
    ReportData d = Synthetic.data();
    Report.write(tmp, d);
    String html = Files.readString(tmp.resolve("index.html"));
    assertThat(html)
        .contains("src=\"plot.png\"", "href=\"summary.json\"", "href=\"curves.csv\"")
        .contains("<h1>quadratic, 100 steps</h1>", "meta-training: 12.3 s")
        .contains("<th class=\"num\">step 100</th>")
        .doesNotContain("http://", "https://");
    for (Curve c : d.curves()) {
      // the synthetic sgd run goes NaN: it is marked diverged
      assertThat(html).contains("<tr><td>" + c.name() + (c.diverged() ? " †" : "") + "</td>");
    }
    assertThat(html).contains("lowest mean loss at step 100: lstm");
    assertThat(tmp).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void tableMarksTheLearnedOptimizerBestInEveryColumn() {
    String table = Report.table(Synthetic.data());
    List<String> lines = table.lines().toList();
    assertThat(lines.get(0)).isEqualTo("quadratic, 100 steps");
    String header = lines.get(2);
    assertThat(header).contains("optimizer", "spec", "learning rate", "step 10", "step 25",
        "step 50", "step 100");
    String lstm = row(lines, "lstm");
    assertThat(lstm).contains("learned");
    assertThat(lstm.chars().filter(c -> c == '*')).hasSize(4);
    for (String other : List.of("adam", "rmsprop", "sgd", "nag")) {
      assertThat(row(lines, other)).doesNotContain("*");
    }
    assertThat(row(lines, "adam")).contains(" 0.1 ");
    assertThat(row(lines, "sgd")).contains("nan");
    assertThat(table)
        .contains("lowest mean loss at step 100: lstm (")
        .contains("lstm (learned) has the lowest mean loss at 99 of 100 steps (1..100)")
        .contains("seed 42");
  }

  @Test
  void tableMarksEachColumnsOwnWinner() {
    // a learned curve that leads until step 10, then a baseline that leads from step 11 on
    double[][] a = new double[2][31];
    double[][] b = new double[2][31];
    for (int t = 0; t <= 30; t++) {
      a[0][t] = a[1][t] = t <= 10 ? 1.0 / (t + 1) : 0.5;
      b[0][t] = b[1][t] = t <= 10 ? 2.0 / (t + 1) : 0.01;
    }
    ReportData d =
        new ReportData("case", "p", 30, 2,
            List.of(new Curve("a", "lstm()", true, a), new Curve("b", "adam(lr=1)", false, b)));
    List<String> lines = Report.table(d).lines().toList();
    assertThat(lines.get(2)).contains("step 10", "step 25", "step 30").doesNotContain("step 50");
    assertThat(cells(row(lines, "a"))).containsExactly("0.09091", "±", "0*", "0.5", "±", "0",
        "0.5", "±", "0");
    assertThat(cells(row(lines, "b"))).containsExactly("0.1818", "±", "0", "0.01", "±", "0*",
        "0.01", "±", "0*");
    assertThat(Report.table(d)).contains("a (learned) has the lowest mean loss at 10 of 30 steps");
    assertThat(Report.winnerLine(d)).isEqualTo("case: best at step 30 = b (0.01 vs a 0.5)");
  }

  @Test
  void winnerLineNamesTheBestAndTheRunnerUp() {
    assertThat(Report.winnerLine(Synthetic.data()))
        .matches("quadratic, 100 steps: best at step 100 = lstm \\(\\S+ vs adam \\S+\\)");
  }

  @Test
  void plotsDegenerateCurvesWithoutFailing() throws IOException {
    double[][] zero = new double[2][11];
    double[][] neg = new double[2][11];
    double[][] nan = new double[2][11];
    for (int t = 0; t <= 10; t++) {
      neg[0][t] = neg[1][t] = -t;
      nan[0][t] = Double.NaN;
    }
    List<List<Curve>> cases =
        List.of(
            List.of(new Curve("zero", "z", false, zero), new Curve("neg", "n", true, neg)),
            List.of(new Curve("nan", "x", true, nan)));
    int i = 0;
    for (List<Curve> cs : cases) {
      Path dir = tmp.resolve("case" + i++);
      ReportData d = new ReportData("degenerate", "p", 10, 2, cs);
      Report.write(dir, d);
      BufferedImage img = ImageIO.read(dir.resolve("plot.png").toFile());
      assertThat(img.getWidth()).isEqualTo(Plot.WIDTH);
      assertThat(Files.readAllLines(dir.resolve("curves.csv"))).hasSize(12);
      assertThat(Report.winnerLine(d)).startsWith("degenerate: ");
    }
  }

  @Test
  void writesAReportOfZeroSteps() throws IOException {
    ReportData d =
        new ReportData(
            "none", "p", 0, 2, List.of(new Curve("a", "lstm()", true, new double[][] {{1}, {3}})));
    Report.write(tmp, d);
    assertThat(ImageIO.read(tmp.resolve("plot.png").toFile()).getHeight()).isEqualTo(Plot.HEIGHT);
    // losses 1 and 3: sd √2, K = 2, so the half-width is t_0.975(1)·√2/√2 = 12.706, printed 13
    assertThat(Report.table(d)).contains("step 0", "2 ± 13*");
    assertThat(Report.winnerLine(d)).isEqualTo("none: best at step 0 = a (2)");
  }

  @Test
  void indexLinksEveryCaseRelatively() throws IOException {
    ReportData d = Synthetic.data();
    Path a = tmp.resolve("mnist-base");
    Path b = tmp.resolve("mnist relu");
    Report.write(a, d);
    Report.write(b, d);
    Report.writeIndex(tmp, "MNIST <figures>", List.of(a, b),
        List.of(Report.winnerLine(d), "second line"));
    String html = Files.readString(tmp.resolve("index.html"));
    assertThat(html)
        .contains("<h1>MNIST &lt;figures&gt;</h1>")
        .contains("href=\"mnist-base/index.html\"", "src=\"mnist-base/plot.png\"")
        .contains("href=\"mnist%20relu/index.html\"")
        .contains("<li>" + Report.winnerLine(d) + "</li>", "<li>second line</li>");    assertThat(html).doesNotContain("Trained optimizers");
    Files.createDirectories(tmp.resolve("train"));
    Files.writeString(tmp.resolve("train/optimizer.json"), "{}");
    Report.writeIndex(tmp, "MNIST", List.of(a, b), List.of());
    assertThat(Files.readString(tmp.resolve("index.html")))
        .contains("<a href=\"train/optimizer.json\">train/optimizer.json</a>")
        .doesNotContain("train-gac/optimizer.json");
  }

  private static boolean close(int c, int want) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((c >> shift) & 0xff) - ((want >> shift) & 0xff)) > COLOUR_TOLERANCE) {
        return false;
      }
    }
    return true;
  }

  private static String row(List<String> lines, String name) {
    return lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
  }

  /** The step cells of a row, split on blanks (name, spec and rate dropped). */
  private static List<String> cells(String row) {
    List<String> f = List.of(row.trim().split("\\s+"));
    return f.subList(3, f.size());
  }
}
