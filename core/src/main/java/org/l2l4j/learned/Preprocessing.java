package org.l2l4j.learned;

import static org.l2l4j.util.Spec.fmt;

import java.util.Set;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * How a scalar gradient ∇ becomes the LSTM's input features (paper appendix A; SPEC §3).
 *
 * <ul>
 *   <li>{@link None} — {@code none}: one feature, ∇ itself (used for quadratics).
 *   <li>{@link LogSign} — {@code log-sign(p=10)}, the paper: (log|∇|/p, sign ∇) if |∇| ≥ e^{−p},
 *       else (−1, e^{p}·∇).
 *   <li>{@link ClampedLogSign} — {@code clamped-log-sign(k=5)}, the official code:
 *       (max(log(|∇| + ε)/k, −1), clamp(∇·e^{k}, −1, 1)) with ε the float32 machine epsilon.
 * </ul>
 *
 * Features are written structure-of-arrays: feature {@code f} of local coordinate {@code i} goes
 * to {@code out[f * stride + i]}.
 */
public sealed interface Preprocessing {

  /** Number of features per coordinate. */
  int features();

  /** The spec string. */
  String spec();

  /**
   * Computes features for {@code grad[from..to)}.
   *
   * @param grad gradients (not modified)
   * @param out receives feature f of coordinate from+i at {@code out[f*stride + i]} (modified)
   */
  default void apply(float[] grad, int from, int to, float[] out, int stride) {
    apply(grad, from, to, out, 0, stride);
  }

  /**
   * Computes features for {@code grad[from..to)} into {@code out[offset + f*stride + i]}.
   *
   * @param grad gradients (not modified)
   * @param out receives the features (modified)
   */
  void apply(float[] grad, int from, int to, float[] out, int offset, int stride);

  /** Double-precision form of one feature, the reference for tests. */
  double feature(double g, int f);

  /** Parses {@code none}, {@code log-sign(p=..)} or {@code clamped-log-sign(k=..)}. */
  static Preprocessing parse(String text) {
    Spec s = Spec.parse(text);
    switch (s.name()) {
      case "none":
        s.requireOnly(Set.of());
        return new None();
      case "log-sign":
        s.requireOnly(Set.of("p"));
        return new LogSign(s.getPositive("p", 10));
      case "clamped-log-sign":
        s.requireOnly(Set.of("k"));
        return new ClampedLogSign(s.getPositive("k", 5));
      default:
        throw new SpecException(
            "unknown preprocessing '" + Text.excerpt(s.name()) + "'; known: none, log-sign(p=10),"
                + " clamped-log-sign(k=5)");
    }
  }

  /** The raw gradient as the only feature. */
  record None() implements Preprocessing {
    @Override
    public int features() {
      return 1;
    }

    @Override
    public String spec() {
      return "none";
    }

    @Override
    public void apply(float[] grad, int from, int to, float[] out, int offset, int stride) {
      System.arraycopy(grad, from, out, offset, to - from);
    }

    @Override
    public double feature(double g, int f) {
      return g;
    }
  }

  /** The paper's log-and-sign preprocessing with parameter p (p = 10 in the paper). */
  record LogSign(double p) implements Preprocessing {
    /** Validates p. */
    public LogSign {
      if (!(p > 0) || !Double.isFinite(p)) {
        throw new SpecException("log-sign: p must be > 0, got " + p);
      }
    }

    @Override
    public int features() {
      return 2;
    }

    @Override
    public String spec() {
      return "log-sign(p=" + fmt(p) + ")";
    }

    @Override
    public void apply(float[] grad, int from, int to, float[] out, int offset, int stride) {
      float threshold = (float) Math.exp(-p);
      float invP = (float) (1 / p);
      float expP = (float) Math.exp(p);
      for (int i = 0; i < to - from; i++) {
        float g = grad[from + i];
        float a = Math.abs(g);
        if (a >= threshold) {
          out[offset + i] = (float) Math.log(a) * invP;
          out[offset + stride + i] = Math.signum(g);
        } else {
          out[offset + i] = -1f;
          out[offset + stride + i] = expP * g;
        }
      }
    }

    @Override
    public double feature(double g, int f) {
      if (Math.abs(g) >= Math.exp(-p)) {
        return f == 0 ? Math.log(Math.abs(g)) / p : Math.signum(g);
      }
      return f == 0 ? -1 : Math.exp(p) * g;
    }
  }

  /** The official code's clamped log-and-sign preprocessing with parameter k (k = 5 there). */
  record ClampedLogSign(double k) implements Preprocessing {
    /** The float32 machine epsilon that the official code adds inside the log. */
    public static final float EPS = Math.ulp(1f);

    /** Validates k. */
    public ClampedLogSign {
      if (!(k > 0) || !Double.isFinite(k)) {
        throw new SpecException("clamped-log-sign: k must be > 0, got " + k);
      }
    }

    @Override
    public int features() {
      return 2;
    }

    @Override
    public String spec() {
      return "clamped-log-sign(k=" + fmt(k) + ")";
    }

    @Override
    public void apply(float[] grad, int from, int to, float[] out, int offset, int stride) {
      float invK = (float) (1 / k);
      float expK = (float) Math.exp(k);
      for (int i = 0; i < to - from; i++) {
        float g = grad[from + i];
        out[offset + i] = Math.max((float) Math.log(Math.abs(g) + EPS) * invK, -1f);
        out[offset + stride + i] = Math.max(-1f, Math.min(1f, g * expK));
      }
    }

    @Override
    public double feature(double g, int f) {
      if (f == 0) {
        return Math.max(Math.log(Math.abs(g) + EPS) / k, -1);
      }
      return Math.max(-1, Math.min(1, g * Math.exp(k)));
    }
  }
}
