package org.l2l4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.l2l4j.eval.Curve;
import org.l2l4j.util.Json;

/** A diverged run is flagged and never chosen; one problem has no interval. */
class DivergedReportTest {
  /** Two runs of {@code steps + 1} losses: {@code start · factor^t} times 1 ± 1%. */
  private static Curve geometric(String name, boolean learned, double factor, int steps) {
    double[][] l = new double[2][steps + 1];
    for (int t = 0; t <= steps; t++) {
      l[0][t] = Math.pow(factor, t) * 0.99;
      l[1][t] = Math.pow(factor, t) * 1.01;
    }
    return new Curve(name, name + "(lr=1)", learned, l);
  }

  /** lstm converges, adam faster; sgd ends at 1e30, far above its start. */
  private static ReportData data() {
    int n = 30;
    Curve lstm = geometric("lstm", true, 0.9, n);
    Curve adam = geometric("adam", false, 0.8, n);
    Curve sgd = geometric("sgd", false, 10, n);
    // sgd dips lowest of all at step 10 before it explodes: it must not be marked there either
    for (double[] run : sgd.losses()) {
      for (int t = 1; t <= 10; t++) {
        run[t] = 1e-6;
      }
    }
    return new ReportData("t", "quadratic", n, 2, List.of(lstm, adam, sgd),
        Map.of("adam", 0.1, "sgd", 1.0), List.of(), Map.of(),
        Map.of("nag", "diverged at every grid point (lr 3, 10) when tuning; not evaluated"));
  }

  @Test
  void tableMarksTheDivergedRunAndNeverStarsIt() {
    String table = Report.table(data());
    assertThat(table).contains("sgd †");
    assertThat(table.lines().filter(l -> l.startsWith("sgd")).findFirst().orElseThrow())
        .doesNotContain("*");
    assertThat(table).contains("lowest mean loss at step 30: adam");
    assertThat(table).contains("† diverged: the mean loss at step 30 is above its start or not"
        + " finite (sgd)");
    assertThat(table).contains(
        "nag: diverged at every grid point (lr 3, 10) when tuning; not evaluated");
    assertThat(table.lines().filter(l -> l.startsWith("nag "))).isEmpty();
    // the runner-up is lstm, not sgd (whose mean is lowest at steps 1..10 but ends at 1e30)
    assertThat(Report.winnerLine(data())).isEqualTo("t: best at step 30 = adam ("
        + Fmt.num(Math.pow(0.8, 30), 3) + " vs lstm " + Fmt.num(Math.pow(0.9, 30), 3) + ")");
  }

  @Test
  @SuppressWarnings("unchecked")
  void summarySaysDivergedAndNotEvaluated() {
    Map<String, Object> s = (Map<String, Object>) Json.parse(Json.write(Report.summary(data())));
    List<Map<String, Object>> opts = (List<Map<String, Object>>) s.get("optimizers");
    assertThat(opts).extracting(o -> o.get("name")).containsExactly("lstm", "adam", "sgd");
    assertThat(opts).extracting(o -> o.get("diverged")).containsExactly(false, false, true);
    assertThat(s.get("best_final")).isEqualTo("adam");
    List<Map<String, Object>> skipped = (List<Map<String, Object>>) s.get("not_evaluated");
    assertThat(skipped).extracting(o -> o.get("name")).containsExactly("nag");
  }

  @Test
  void everyRunDivergedNamesNoBest() {
    int n = 5;
    ReportData d = new ReportData("t", "q", n, 2,
        List.of(geometric("lstm", true, 2, n), geometric("sgd", false, 3, n)));
    String table = Report.table(d);
    assertThat(table).contains("no optimizer ended below its starting loss");
    assertThat(table).contains("lstm (learned) diverged");
    assertThat(table).doesNotContain("*");
    assertThat(Report.summary(d).get("best_final")).isNull();
  }

  @Test
  void plotAxisIgnoresTheDivergedCurveWhichIsClippedAndLabelled() {
    XYChart chart = Plot.chart(data());
    XYSeries sgd = chart.getSeries("sgd");
    assertThat(sgd.getLabel()).contains("diverged").contains("clipped");
    double sgdMax = java.util.Arrays.stream(sgd.getYData()).max().orElseThrow();
    double lstmMax = java.util.Arrays.stream(chart.getSeries("lstm").getYData()).max()
        .orElseThrow();
    assertThat(sgdMax).isLessThanOrEqualTo(2 * 1.01).isGreaterThan(lstmMax);
    assertThat(chart.getSeries("lstm").getLabel()).isEqualTo("lstm");
    assertThat(chart.getSeriesCollection()).anyMatch(x -> x.getName().contains("clipped"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneProblemHasNoInterval() {
    double[][] one = {{4, 2, 1}};
    ReportData d = new ReportData("t", "q", 2, 1, List.of(new Curve("sgd", "sgd", false, one)));
    assertThat(Report.table(d)).contains("1 ± n/a").doesNotContain("± 0");
    Map<String, Object> s = (Map<String, Object>) Json.parse(Json.write(Report.summary(d)));
    List<Map<String, Object>> opts = (List<Map<String, Object>>) s.get("optimizers");
    assertThat((List<Object>) opts.get(0).get("ci95")).containsExactly(null, null, null);
    assertThat(Report.html(d)).contains("(one problem: no interval)");
  }
}
