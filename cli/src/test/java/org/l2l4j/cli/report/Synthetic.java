package org.l2l4j.cli.report;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.l2l4j.eval.Curve;

/**
 * Seeded synthetic learning curves whose per-step means are known exactly: each run is the base
 * curve times (1 + noise), with the noise centred across runs at every step.
 */
final class Synthetic {
  static final int STEPS = 100;
  static final int PROBLEMS = 5;
  static final long SEED = 20160614L;

  /** Relative spread of the runs around the base curve. */
  static final double NOISE = 0.05;

  /** The step from which one run of "sgd" has diverged (NaN). */
  static final int SGD_DIVERGES = 50;

  /** The step at which every run of "nag" has loss exactly zero. */
  static final int NAG_ZERO = 40;

  private Synthetic() {}

  static Curve curve(
      String name, String spec, boolean learned, IntToDoubleFunction base, SplittableRandom rng) {
    double[][] l = new double[PROBLEMS][STEPS + 1];
    for (int t = 0; t <= STEPS; t++) {
      double[] z = new double[PROBLEMS];
      double mean = 0;
      for (int k = 0; k < PROBLEMS; k++) {
        z[k] = rng.nextDouble(-1, 1);
        mean += z[k] / PROBLEMS;
      }
      for (int k = 0; k < PROBLEMS; k++) {
        l[k][t] = base.applyAsDouble(t) * (1 + NOISE * (z[k] - mean));
      }
    }
    return new Curve(name, spec, learned, l);
  }

  static double decay(int t, double rate) {
    return 10 * Math.exp(-rate * t);
  }

  /** One learned optimizer and four baselines; sgd diverges midway, nag hits zero once. */
  static List<Curve> curves() {
    SplittableRandom rng = new SplittableRandom(SEED);
    Curve lstm =
        curve("lstm", "lstm(layers=20x20,preproc=log-sign(p=10),scale=0.1)", true,
            t -> decay(t, 0.08), rng);
    Curve adam = curve("adam", "adam(lr=0.1)", false, t -> decay(t, 0.04), rng);
    Curve rms = curve("rmsprop", "rmsprop(lr=0.03)", false, t -> decay(t, 0.03), rng);
    Curve sgd = curve("sgd", "sgd(lr=0.01)", false, t -> decay(t, 0.02), rng);
    for (int t = SGD_DIVERGES; t <= STEPS; t++) {
      sgd.losses()[2][t] = Double.NaN;
    }
    sgd.losses()[2][SGD_DIVERGES - 1] = 1e6;
    Curve nag = curve("nag", "nag(lr=0.01)", false, t -> decay(t, 0.035), rng);
    for (double[] run : nag.losses()) {
      run[NAG_ZERO] = 0;
    }
    return List.of(lstm, adam, rms, sgd, nag);
  }

  static ReportData data() {
    return new ReportData(
        "quadratic, 100 steps",
        "quadratic(n=10)",
        STEPS,
        PROBLEMS,
        curves(),
        Map.of("adam", 0.1, "rmsprop", 0.03, "sgd", 0.01, "nag", 0.01),
        List.of("meta-training: 12.3 s", "seed 42"),
        Map.of("seed", 42, "meta_training_seconds", 12.3));
  }
}
