package org.l2l4j.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.l2l4j.eval.Curve;

/**
 * Draws a report's curves as a PNG in the style of the paper's figures: mean loss on a log axis
 * against step, learned optimizers solid, hand-designed ones dashed, a light 95% band around each
 * mean. Means at or below zero are clipped to a floor below the smallest positive mean; each
 * series ends at its first non-finite mean (a divergence, noted in the legend). If no mean is
 * positive the axis is linear. A curve whose first mean is already non-finite is left out. The y
 * axis spans the curves that did not {@linkplain Curve#diverged diverge} (all curves if every one
 * did); a diverged curve is drawn clipped to that axis, its clipped points marked with a cross, and
 * its legend says "diverged".
 */
final class Plot {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Image width in pixels. */
  static final int WIDTH = 800;

  /** Image height in pixels. */
  static final int HEIGHT = 560;

  /** A clipped mean is never below this fraction of the largest mean. */
  static final double FLOOR_FRACTION = 1e-12;

  /** Opacity (0..255) of the confidence bands. */
  static final int BAND_ALPHA = 28;

  /** Distinct colours (Tableau 10), used in curve order. */
  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  private static final BasicStroke SOLID =
      new BasicStroke(2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  private static final BasicStroke DASHED =
      new BasicStroke(
          2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f);

  private Plot() {}

  /** Renders the report's plot and returns the PNG bytes. */
  static byte[] png(ReportData d) throws IOException {
    XYChart chart = chart(d);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    return out.toByteArray();
  }

  static XYChart chart(ReportData d) {
    List<Curve> curves = d.curves();
    double[][] means = new double[curves.size()][];
    double[][] cis = new double[curves.size()][];
    int[] ends = new int[curves.size()];
    double max = 0;
    double minPos = Double.POSITIVE_INFINITY;
    boolean anyConverged = curves.stream().anyMatch(c -> !c.diverged());
    for (int i = 0; i < curves.size(); i++) {
      means[i] = curves.get(i).mean();
      cis[i] = curves.get(i).ci95();
      ends[i] = firstNonFinite(means[i]);
      if (anyConverged && curves.get(i).diverged()) {
        continue; // the axis ignores diverged curves
      }
      for (int t = 0; t < ends[i]; t++) {
        double v = means[i][t];
        if (v > 0) {
          max = Math.max(max, v);
          minPos = Math.min(minPos, v);
        }
      }
    }
    boolean log = max > 0;
    double floor = log ? Math.max(FLOOR_FRACTION * max, minPos / 10) : 0;
    double ceiling = max > 0 ? max * 2 : Double.POSITIVE_INFINITY;

    XYChart chart = new XYChart(WIDTH, HEIGHT);
    chart.setTitle(d.title());
    chart.setXAxisTitle("step");
    chart.setYAxisTitle("loss (mean over " + d.testProblems() + " problems)");
    style(chart.getStyler(), log, d.steps(), floor, max);

    // bands first so that every line is drawn over them
    for (int i = 0; i < curves.size() && log; i++) {
      int len = ends[i];
      if (len < 2) {
        continue;
      }
      double[] x = new double[2 * len];
      double[] y = new double[2 * len];
      for (int t = 0; t < len; t++) {
        double ci = Double.isFinite(cis[i][t]) ? cis[i][t] : 0;
        x[t] = t;
        y[t] = clip(means[i][t] + ci, floor, ceiling);
        x[2 * len - 1 - t] = t;
        y[2 * len - 1 - t] = clip(means[i][t] - ci, floor, ceiling);
      }
      Color c = colour(i);
      XYSeries band = chart.addSeries("\u0000band " + i, x, y);
      band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
      band.setMarker(SeriesMarkers.NONE);
      band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), BAND_ALPHA));
      band.setLineColor(new Color(0, 0, 0, 0));
      band.setShowInLegend(false);
    }
    double anchorY = Double.NaN;
    for (int i = 0; i < curves.size(); i++) {
      Curve c = curves.get(i);
      int len = ends[i];
      if (len == 0) {
        continue;
      }
      String label = c.name();
      if (len <= d.steps()) {
        label += " (diverged at step " + len + ")";
      } else if (c.diverged()) {
        label += " (diverged)";
      }
      double[] x = new double[len];
      double[] y = new double[len];
      List<double[]> clipped = new java.util.ArrayList<>();
      for (int t = 0; t < len; t++) {
        x[t] = t;
        y[t] = log ? clip(means[i][t], floor, ceiling) : Math.min(means[i][t], ceiling);
        if (means[i][t] > ceiling) {
          clipped.add(new double[] {t, y[t]});
        }
      }
      if (!clipped.isEmpty()) {
        label += ", clipped ×";
      }
      XYSeries s = chart.addSeries(c.name(), x, y);
      s.setLabel(label);
      s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(colour(i));
      s.setLineStyle(c.learned() ? SOLID : DASHED);
      anchorY = y[0];
      if (!clipped.isEmpty()) {
        double[] cx = new double[clipped.size()];
        double[] cy = new double[clipped.size()];
        for (int k = 0; k < cx.length; k++) {
          cx[k] = clipped.get(k)[0];
          cy[k] = clipped.get(k)[1];
        }
        XYSeries marks = chart.addSeries("\u0000clipped " + i, cx, cy);
        marks.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        marks.setMarker(SeriesMarkers.CROSS);
        marks.setMarkerColor(colour(i));
        marks.setShowInLegend(false);
      }
    }
    if (!Double.isNaN(anchorY)) {
      // XChart puts x ticks only on data points (0, 3, 6, ...) when the x values it has seen are
      // equally spaced; one invisible point off the grid restores its round 1-2-5 steps
      XYSeries anchor =
          chart.addSeries("\u0000tick anchor", new double[] {0.5}, new double[] {anchorY});
      anchor.setMarker(SeriesMarkers.NONE);
      anchor.setLineColor(new Color(0, 0, 0, 0));
      anchor.setShowInLegend(false);
    }
    return chart;
  }

  private static void style(XYStyler st, boolean log, int steps, double floor, double max) {
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(new Color(0x555555));
    st.setPlotGridLinesColor(new Color(0xebebeb));
    st.setPlotGridLinesStroke(new BasicStroke(1f));
    st.setChartTitleBoxVisible(false);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setLegendPosition(LegendPosition.InsideNE);
    st.setLegendBorderColor(new Color(0xbbbbbb));
    st.setLegendBackgroundColor(new Color(255, 255, 255, 225));
    st.setLegendSeriesLineLength(36);
    st.setChartPadding(12);
    st.setMarkerSize(7); // only the crosses on clipped points have markers
    st.setXAxisMin(0.0);
    st.setXAxisMax((double) Math.max(steps, 1));
    st.setXAxisTickMarkSpacingHint(90);
    st.setXAxisDecimalPattern("0");
    st.setYAxisLogarithmic(log);
    if (log) {
      // decades only when there are at least two of them; otherwise 2..9 x 10^k ticks too
      st.setYAxisLogarithmicDecadeOnly(Math.log10(max / floor) >= 2);
    }
    st.setYAxisTickLabelsFormattingFunction(v -> Fmt.num(v, 3));
    st.setAntiAlias(true);
  }

  private static double clip(double v, double floor, double ceiling) {
    return Math.min(Math.max(v, floor), ceiling);
  }

  private static Color colour(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** The index of the first non-finite value, or the length if all are finite. */
  static int firstNonFinite(double[] v) {
    for (int t = 0; t < v.length; t++) {
      if (!Double.isFinite(v[t])) {
        return t;
      }
    }
    return v.length;
  }
}
