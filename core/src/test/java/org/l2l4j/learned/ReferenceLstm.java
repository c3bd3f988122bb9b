package org.l2l4j.learned;

/**
 * A plain double-precision coordinatewise LSTM, one coordinate at a time, written directly from
 * the equations (SPEC §2, §3) and independent of the kernels' loops and layout. The oracle of the
 * gradient checks.
 */
final class ReferenceLstm {
  final LstmConfig config;
  final double[] w;

  ReferenceLstm(LstmConfig config, double[] w) {
    this.config = config;
    this.w = w;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Per-coordinate state: h[l][k], c[l][k]. */
  double[][][] zeroState() {
    double[][][] s = new double[2][config.depth()][];
    for (int l = 0; l < config.depth(); l++) {
      s[0][l] = new double[config.hidden(l)];
      s[1][l] = new double[config.hidden(l)];
    }
    return s;
  }

  /** One step for one coordinate with gradient {@code g}; updates {@code state}, returns g_t. */
  double step(double g, double[][][] state) {
    int nf = config.preprocessing().features();
    double[] x = new double[nf];
    for (int f = 0; f < nf; f++) {
      x[f] = config.preprocessing().feature(g, f);
    }
    for (int l = 0; l < config.depth(); l++) {
      int hidden = config.hidden(l);
      int din = config.inputWidth(l);
      double[] h = state[0][l];
      double[] c = state[1][l];
      double[] in = new double[din + hidden];
      System.arraycopy(x, 0, in, 0, din);
      System.arraycopy(h, 0, in, din, hidden);
      double[] z = new double[4 * hidden];
      for (int gIdx = 0; gIdx < 4 * hidden; gIdx++) {
        double acc = w[config.biasOffset(l) + gIdx];
        for (int r = 0; r < din + hidden; r++) {
          acc += in[r] * w[config.weightOffset(l) + r * 4 * hidden + gIdx];
        }
        z[gIdx] = acc;
      }
      double[] hNew = new double[hidden];
      for (int k = 0; k < hidden; k++) {
        double i = sigmoid(z[k]);
        double j = Math.tanh(z[hidden + k]);
        double f = sigmoid(z[2 * hidden + k] + 1.0);
        double o = sigmoid(z[3 * hidden + k]);
        c[k] = f * c[k] + i * j;
        hNew[k] = Math.tanh(c[k]) * o;
      }
      System.arraycopy(hNew, 0, h, 0, hidden);
      x = hNew;
    }
    double u = w[config.outputBiasOffset()];
    for (int k = 0; k < x.length; k++) {
      u += w[config.outputWeightOffset() + k] * x[k];
    }
    return config.scale() * u;
  }
}
