package org.l2l4j.eval;

/**
 * Quantiles of Student's t distribution (and of the standard normal, its limit), without
 * dependencies.
 *
 * <p>For {@code df} ≤ {@value #EXACT_MAX_DF} the quantile is found by bisection on the exact
 * two-sided probability P(|T| ≤ t) for integer degrees of freedom, a finite sum in θ =
 * atan(t/√df) (Abramowitz &amp; Stegun 26.7.3 and 26.7.4), so it is as exact as double arithmetic
 * allows. Above, it is the Cornish–Fisher expansion around the normal quantile z up to the term
 * in df⁻⁴ (Abramowitz &amp; Stegun 26.7.5), whose first omitted term is below 1e-15 there at
 * p = 0.975 and below 1e-10 for |z| ≤ 6 (p between 1e-9 and 1 − 1e-9). The
 * normal quantile is found by bisection on Φ(z) = 1/2 + φ(z)·Σ z^(2n+1)/(1·3·…·(2n+1)).
 */
public final class StudentT {
  /** The largest df whose quantile comes from the exact finite sum; above, Cornish–Fisher. */
  public static final int EXACT_MAX_DF = 1000;

  private static final int BISECTIONS = 200;

  private StudentT() {}

  /**
   * The {@code p}-quantile of Student's t with {@code df} degrees of freedom: the t with P(T ≤ t)
   * = p. For example {@code quantile(0.975, 19)} ≈ 2.093, the factor of a 95% interval of a mean
   * over 20 samples.
   *
   * @param p a probability, 0 &lt; p &lt; 1
   * @param df degrees of freedom, at least 1
   * @throws IllegalArgumentException if p or df is out of range
   */
  public static double quantile(double p, int df) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), got " + p);
    }
    if (df < 1) {
      throw new IllegalArgumentException("df must be at least 1, got " + df);
    }
    if (p < 0.5) {
      return -quantile(1 - p, df);
    }
    if (p == 0.5) {
      return 0;
    }
    if (df > EXACT_MAX_DF) {
      return cornishFisher(normalQuantile(p), df);
    }
    double target = 2 * p - 1;
    double lo = 0;
    double hi = 1;
    while (twoSided(hi, df) < target && hi < Double.MAX_VALUE / 2) {
      lo = hi;
      hi *= 2;
    }
    return bisect(lo, hi, target, t -> twoSided(t, df));
  }

  /**
   * The {@code p}-quantile of the standard normal distribution (the limit of {@link #quantile} as
   * df → ∞), for example {@code normalQuantile(0.975)} ≈ 1.95996.
   *
   * @param p a probability, 0 &lt; p &lt; 1
   * @throws IllegalArgumentException if p is out of range
   */
  public static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), got " + p);
    }
    if (p < 0.5) {
      return -normalQuantile(1 - p);
    }
    if (p == 0.5) {
      return 0;
    }
    // Φ(9) rounds to 1 in double, so every p < 1 has its quantile below 9
    return bisect(0, 9, 2 * p - 1, z -> 2 * (normalCdf(z) - 0.5));
  }

  /** P(|T| ≤ t) for t ≥ 0 and integer df ≥ 1 (Abramowitz &amp; Stegun 26.7.3, 26.7.4). */
  static double twoSided(double t, int df) {
    double nu = df;
    double r = Math.sqrt(nu + t * t);
    double s = t / r; // sin θ
    double c2 = nu / (nu + t * t); // cos² θ
    if (df % 2 == 1) {
      double theta = Math.atan2(t, Math.sqrt(nu));
      if (df == 1) {
        return 2 * theta / Math.PI;
      }
      double c = Math.sqrt(nu) / r;
      double term = c;
      double sum = c;
      for (int j = 1; j <= (df - 3) / 2; j++) {
        term *= c2 * (2.0 * j) / (2.0 * j + 1);
        sum += term;
      }
      return 2 / Math.PI * (theta + s * sum);
    }
    double term = 1;
    double sum = 1;
    for (int j = 1; j <= (df - 2) / 2; j++) {
      term *= c2 * (2.0 * j - 1) / (2.0 * j);
      sum += term;
    }
    return s * sum;
  }

  /** Φ(z) for z ≥ 0 by the everywhere-convergent series with positive terms. */
  static double normalCdf(double z) {
    double z2 = z * z;
    double term = z;
    double sum = z;
    for (int n = 1; term > sum * 1e-17; n++) {
      term *= z2 / (2 * n + 1);
      sum += term;
    }
    return 0.5 + Math.exp(-0.5 * z2) / Math.sqrt(2 * Math.PI) * sum;
  }

  /** Abramowitz &amp; Stegun 26.7.5: t ≈ z + g1/ν + g2/ν² + g3/ν³ + g4/ν⁴. */
  static double cornishFisher(double z, int df) {
    double nu = df;
    double z2 = z * z;
    double g1 = z * (z2 + 1) / 4;
    double g2 = z * ((5 * z2 + 16) * z2 + 3) / 96;
    double g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384;
    double g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160;
    return z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu;
  }

  /** The x in [lo, hi] with f(x) = target, f increasing, to the last bit the bisection reaches. */
  private static double bisect(
      double lo, double hi, double target, java.util.function.DoubleUnaryOperator f) {
    for (int i = 0; i < BISECTIONS; i++) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (f.applyAsDouble(mid) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }
}
