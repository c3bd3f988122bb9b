package org.l2l4j.djl.art;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The art loss's gradient wrt the pixels (DJL autograd) against central differences of the same
 * loss in float64, for each term alone and for the weighted sum, on a tiny random net and 16 × 16
 * random images; and the terms against their definitions.
 */
class ArtLossTest {
  static final int S = 16;
  /** Largest relative error of the float64 autograd gradient vs central differences. */
  static final double GRAD_TOLERANCE = 1e-6;
  /** Central-difference step. */
  static final double H = 1e-5;
  /** Largest relative L2 distance of the float32 gradient from the float64 one. */
  static final double FLOAT_TOLERANCE = 1e-4;
  static final RandomFeatureNet TINY = new RandomFeatureNet(new int[] {3, 5}, 4, 7);

  static double[] random(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble();
    }
    return x;
  }

  static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /**
   * Max over 40 random pixels of |autograd − central difference| / (|cd| + 10⁻³ · the largest
   * gradient coordinate).
   */
  static double worstRelativeError(double a, double b, double g, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 3 * S * S;
    float[] c = toFloat(random(r, n));
    float[] s = toFloat(random(r, n));
    double[] x = random(r, n);
    try (ArtLoss loss = new ArtLoss(TINY, DataType.FLOAT64, a, b, g)) {
      float[][] ct = loss.contentTargets(c, S);
      float[][] st = loss.styleTargets(s, S);
      double[] grad = new double[n];
      loss.evaluate(x, grad, S, ct, st);
      double scale = 0;
      for (double v : grad) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertThat(scale).as("gradient is not zero").isGreaterThan(0);
      double worst = 0;
      double h = H;
      for (int k = 0; k < 40; k++) {
        int i = r.nextInt(n);
        double keep = x[i];
        x[i] = keep + h;
        double fp = loss.evaluate(x, null, S, ct, st).value();
        x[i] = keep - h;
        double fm = loss.evaluate(x, null, S, ct, st).value();
        x[i] = keep;
        double cd = (fp - fm) / (2 * h);
        worst = Math.max(worst, Math.abs(cd - grad[i]) / (Math.abs(cd) + 1e-3 * scale));
      }
      return worst;
    }
  }

  @Test
  void contentGradientMatchesCentralDifferences() {
    assertThat(worstRelativeError(1, 0, 0, 1)).isLessThan(GRAD_TOLERANCE);
  }

  @Test
  void styleGradientMatchesCentralDifferences() {
    assertThat(worstRelativeError(0, 1, 0, 2)).isLessThan(GRAD_TOLERANCE);
  }

  @Test
  void tvGradientMatchesCentralDifferences() {
    assertThat(worstRelativeError(0, 0, 1, 3)).isLessThan(GRAD_TOLERANCE);
  }

  @Test
  void weightedLossGradientMatchesCentralDifferences() {
    assertThat(worstRelativeError(0.7, 300, 2, 4)).isLessThan(GRAD_TOLERANCE);
  }

  @Test
  void termsFollowTheirDefinitions() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 3 * S * S;
    double[] x = random(r, n);
    float[] c = toFloat(random(r, n));
    try (ArtLoss loss = new ArtLoss(TINY, DataType.FLOAT64, 2, 3, 5)) {
      float[][] ct = loss.contentTargets(c, S);
      float[][] st = loss.styleTargets(toFloat(x), S);
      ArtLoss.Terms t = loss.evaluate(x, null, S, ct, st);
      // tv by hand: mean squared vertical + mean squared horizontal neighbour differences
      double v = 0;
      double hz = 0;
      for (int ch = 0; ch < 3; ch++) {
        for (int y = 0; y < S; y++) {
          for (int xx = 0; xx < S; xx++) {
            double p = x[ch * S * S + y * S + xx];
            if (y + 1 < S) {
              v += Math.pow(x[ch * S * S + (y + 1) * S + xx] - p, 2);
            }
            if (xx + 1 < S) {
              hz += Math.pow(x[ch * S * S + y * S + xx + 1] - p, 2);
            }
          }
        }
      }
      double tv = v / (3 * (S - 1) * S) + hz / (3 * S * (S - 1));
      assertThat(t.tv()).isCloseTo(tv, org.assertj.core.data.Offset.offset(1e-9 * tv));
      // the style target is x itself (float-rounded): style ~ 0; content against c: > 0
      assertThat(t.style()).isLessThan(1e-12);
      assertThat(t.content()).isGreaterThan(1e-4);
      assertThat(t.value()).isCloseTo(2 * t.content() + 3 * t.style() + 5 * t.tv(),
          org.assertj.core.data.Offset.offset(1e-12));
      // content of the content image itself is 0
      double[] cd = new double[n];
      for (int i = 0; i < n; i++) {
        cd[i] = c[i];
      }
      assertThat(loss.evaluate(cd, null, S, ct, st).content()).isLessThan(1e-12);
    }
  }

  @Test
  void floatGradientAgreesWithDouble() {
    SplittableRandom r = new SplittableRandom(6);
    int n = 3 * S * S;
    float[] c = toFloat(random(r, n));
    float[] s = toFloat(random(r, n));
    double[] x = random(r, n);
    double[] g64 = new double[n];
    float[] g32 = new float[n];
    try (ArtLoss l64 = new ArtLoss(TINY, DataType.FLOAT64, 1, 100, 1);
        ArtLoss l32 = new ArtLoss(TINY, DataType.FLOAT32, 1, 100, 1)) {
      double f64 = l64.evaluate(toDouble(toFloat(x)), g64, S, l64.contentTargets(c, S),
          l64.styleTargets(s, S)).value();
      double f32 = l32.evaluate(toFloat(x), g32, S, l32.contentTargets(c, S),
          l32.styleTargets(s, S)).value();
      assertThat(f32).isCloseTo(f64, org.assertj.core.data.Offset.offset(1e-5 * f64));
      double num = 0;
      double den = 0;
      for (int i = 0; i < n; i++) {
        num += (g32[i] - g64[i]) * (g32[i] - g64[i]);
        den += g64[i] * g64[i];
      }
      assertThat(Math.sqrt(num / den)).isLessThan(FLOAT_TOLERANCE);
    }
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
