package org.l2l4j.optim;

import static org.l2l4j.util.Spec.fmt;

/**
 * Adam (Kingma and Ba 2015) as in Torch7's {@code optim.adam}: m ← β₁m + (1 − β₁)∇;
 * v ← β₂v + (1 − β₂)∇²; θ ← θ − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε). Spec
 * {@code adam(lr=0.001,b1=0.9,b2=0.999,eps=1e-8)}; those are the defaults.
 *
 * <p>{@link #update} is also the outer (meta-) optimizer of the learned optimizer's weights.
 */
public record Adam(double learningRate, double beta1, double beta2, double eps)
    implements BaselineOptimizer<Adam.AdamState> {

  /** Validates the settings. */
  public Adam {
    BaselineOptimizer.checkLr("adam", learningRate);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
      throw new org.l2l4j.util.SpecException("adam: need b1, b2 in [0, 1) and eps > 0");
    }
  }

  /** Adam with Torch7's defaults and learning rate {@code lr}. */
  public Adam(double lr) {
    this(lr, 0.9, 0.999, 1e-8);
  }

  /** Adam's moments and step count; public so that checkpoints can save and restore them. */
  public static final class AdamState implements SavableState {
    /** First moment (modified by steps). */
    public final float[] m;
    /** Second moment (modified by steps). */
    public final float[] v;
    /** Steps taken so far. */
    public long t;

    /** Zero moments for {@code n} coordinates. */
    public AdamState(int n) {
      m = new float[n];
      v = new float[n];
    }

    /** Saves {@code t}, {@code m} and {@code v}. */
    @Override
    public void save(Writer out) {
      out.integer("t", t);
      out.floats("m", m);
      out.floats("v", v);
    }

    @Override
    public void load(Reader in) {
      long steps = in.integer("t", 0, Long.MAX_VALUE >> 11);
      float[] first = in.floats("m", m.length);
      float[] second = SavableState.requireNonNegative("v", in.floats("v", v.length));
      t = steps;
      System.arraycopy(first, 0, m, 0, m.length);
      System.arraycopy(second, 0, v, 0, v.length);
    }
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public String spec() {
    return "adam(lr=" + fmt(learningRate) + ",b1=" + fmt(beta1) + ",b2=" + fmt(beta2) + ",eps="
        + fmt(eps) + ")";
  }

  @Override
  public AdamState init(int n) {
    return new AdamState(n);
  }

  @Override
  public void step(AdamState state, float[] theta, float[] grad) {
    update(state, theta, grad, learningRate);
  }

  /**
   * One Adam step with learning rate {@code lr} (which may differ from this record's, e.g. after a
   * halving on divergence).
   *
   * @param s the moments (modified)
   * @param theta parameters (modified)
   * @param grad gradient (not modified)
   */
  public void update(AdamState s, float[] theta, float[] grad, double lr) {
    s.t++;
    double bc1 = 1 - Math.pow(beta1, s.t);
    double bc2 = 1 - Math.pow(beta2, s.t);
    float stepSize = (float) (lr * Math.sqrt(bc2) / bc1);
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float c1 = (float) (1 - beta1); // in double: 1 - 0.999f would lose 5 digits
    float c2 = (float) (1 - beta2);
    float e = (float) eps;
    for (int i = 0; i < theta.length; i++) {
      float g = grad[i];
      float mi = b1 * s.m[i] + c1 * g;
      float vi = b2 * s.v[i] + c2 * g * g;
      s.m[i] = mi;
      s.v[i] = vi;
      theta[i] -= stepSize * mi / ((float) Math.sqrt(vi) + e);
    }
  }

  @Override
  public Adam withLearningRate(double lr) {
    return new Adam(lr, beta1, beta2, eps);
  }
}
