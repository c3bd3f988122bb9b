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
    return stepAll(new double[] {g}, new double[][][][] {state})[0];
  }

  /**
   * One step of all coordinates together, with global averaging cells: in each layer the new h of
   * the first {@code gac} units is replaced by its mean over the coordinates. Returns the updates.
   */
  double[] stepAll(double[] g, double[][][][] states) {
    int n = g.length;
    int nf = config.preprocessing().features();
    double[][] x = new double[n][nf];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < nf; f++) {
        x[i][f] = config.preprocessing().feature(g[i], f);
      }
    }
    for (int l = 0; l < config.depth(); l++) {
      int hidden = config.hidden(l);
      int din = config.inputWidth(l);
      double[][] out = new double[n][];
      for (int i = 0; i < n; i++) {
        double[] h = states[i][0][l];
        double[] c = states[i][1][l];
        double[] in = new double[din + hidden];
        System.arraycopy(x[i], 0, in, 0, din);
        System.arraycopy(h, 0, in, din, hidden);
        double[] hNew = new double[hidden];
        for (int k = 0; k < hidden; k++) {
          double[] z = new double[4];
          for (int q = 0; q < 4; q++) {
            int gIdx = q * hidden + k;
            double acc = w[config.biasOffset(l) + gIdx];
            for (int r = 0; r < din + hidden; r++) {
              acc += in[r] * w[config.weightOffset(l) + r * 4 * hidden + gIdx];
            }
            z[q] = acc;
          }
          c[k] = sigmoid(z[2] + 1.0) * c[k] + sigmoid(z[0]) * Math.tanh(z[1]);
          hNew[k] = Math.tanh(c[k]) * sigmoid(z[3]);
        }
        out[i] = hNew;
      }
      for (int k = 0; k < config.gac(); k++) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
          mean += out[i][k];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
          out[i][k] = mean;
        }
      }
      for (int i = 0; i < n; i++) {
        System.arraycopy(out[i], 0, states[i][0][l], 0, hidden);
      }
      x = out;
    }
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      double acc = w[config.outputBiasOffset()];
      for (int k = 0; k < x[i].length; k++) {
        acc += w[config.outputWeightOffset() + k] * x[i][k];
      }
      u[i] = config.scale() * acc;
    }
    return u;
  }
}
