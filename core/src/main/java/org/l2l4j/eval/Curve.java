package org.l2l4j.eval;

/**
 * The learning curve of one optimizer over K problems: loss at steps 0..N of every run, with the
 * per-step mean and 95% interval half-width t·sd/√K across runs, t the 0.975 quantile of Student's t
 * with K − 1 degrees of freedom ({@link StudentT}; 2.093 for K = 20, 1.984 for K = 100). With one
 * run (K = 1) there is no interval: {@link #ci95} is NaN at every step.
 *
 * @param name the label in reports
 * @param spec the optimizer's spec string
 * @param learned whether the optimizer is learned (drawn solid in plots)
 * @param losses {@code losses[k][t]}: run k's loss at step t (NaN after a divergence)
 */
public record Curve(String name, String spec, boolean learned, double[][] losses) {

  /** Number of steps N (the curves have N + 1 points). */
  public int steps() {
    return losses[0].length - 1;
  }

  /** Mean loss at each step over the runs (NaN if any run is not finite there). */
  public double[] mean() {
    int len = losses[0].length;
    double[] m = new double[len];
    for (int t = 0; t < len; t++) {
      double s = 0;
      for (double[] run : losses) {
        s += run[t];
      }
      m[t] = s / losses.length;
    }
    return m;
  }

  /**
   * Half-width of the 95% Student-t interval of the mean at each step, t₀.₉₇₅(K − 1)·sd/√K; NaN
   * when K = 1.
   */
  public double[] ci95() {
    double[] m = mean();
    int k = losses.length;
    double[] ci = new double[m.length];
    double tq = k < 2 ? Double.NaN : StudentT.quantile(0.975, k - 1);
    for (int t = 0; t < m.length; t++) {
      if (k < 2) {
        ci[t] = Double.NaN;
        continue;
      }
      double ss = 0;
      for (double[] run : losses) {
        double d = run[t] - m[t];
        ss += d * d;
      }
      ci[t] = tq * Math.sqrt(ss / (k - 1)) / Math.sqrt(k);
    }
    return ci;
  }

  /**
   * Whether the run diverged: the mean loss at the last step is not finite or is above the mean
   * loss at step 0.
   */
  public boolean diverged() {
    double[] m = mean();
    return !(m[m.length - 1] <= m[0]);
  }

  /** Mean loss at step {@code t}. */
  public double meanAt(int t) {
    return mean()[t];
  }

  /**
   * The first {@code steps} steps of every run (points 0..steps): what a run of {@code steps}
   * steps gives, for an optimizer whose updates do not depend on the run's length.
   *
   * @throws IllegalArgumentException unless 0 ≤ steps ≤ {@link #steps()}
   */
  public Curve prefix(int steps) {
    if (steps < 0 || steps > steps()) {
      throw new IllegalArgumentException("prefix of " + steps + " steps of a curve of " + steps()
          + " steps");
    }
    double[][] out = new double[losses.length][];
    for (int k = 0; k < losses.length; k++) {
      out[k] = java.util.Arrays.copyOf(losses[k], steps + 1);
    }
    return new Curve(name, spec, learned, out);
  }
}
