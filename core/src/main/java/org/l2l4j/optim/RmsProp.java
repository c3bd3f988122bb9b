package org.l2l4j.optim;

import static org.l2l4j.util.Spec.fmt;

/**
 * RMSprop as in Torch7's {@code optim.rmsprop}: m ← α·m + (1 − α)·∇²; θ ← θ − lr·∇ / (√m + ε),
 * with m₀ = 0. Spec {@code rmsprop(lr=0.01,alpha=0.99,eps=1e-8)}; defaults α 0.99, ε 1e-8.
 */
public record RmsProp(double learningRate, double alpha, double eps) implements BaselineOptimizer<RmsProp.RmsPropState> {

  /** Validates the settings. */
  public RmsProp {
    BaselineOptimizer.checkLr("rmsprop", learningRate);
    if (!(alpha >= 0 && alpha < 1) || !(eps > 0)) {
      throw new org.l2l4j.util.SpecException("rmsprop: need alpha in [0, 1) and eps > 0");
    }
  }

  /** The mean square m of one run. */
  public static final class RmsPropState implements SavableState {
    final float[] m;

    RmsPropState(int n) {
      m = new float[n];
    }

    /** Saves {@code m}. */
    @Override
    public void save(Writer out) {
      out.floats("m", m);
    }

    @Override
    public void load(Reader in) {
      float[] a = SavableState.requireNonNegative("m", in.floats("m", m.length));
      System.arraycopy(a, 0, m, 0, m.length);
    }
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  public String spec() {
    return "rmsprop(lr=" + fmt(learningRate) + ",alpha=" + fmt(alpha) + ",eps=" + fmt(eps) + ")";
  }

  @Override
  public RmsPropState init(int n) {
    return new RmsPropState(n);
  }

  @Override
  public void step(RmsPropState state, float[] theta, float[] grad) {
    float[] m = state.m;
    float lr = (float) learningRate;
    float a = (float) alpha;
    float c = (float) (1 - alpha); // in double, not 1 - (float) alpha
    float e = (float) eps;
    for (int i = 0; i < theta.length; i++) {
      float g = grad[i];
      float mi = a * m[i] + c * g * g;
      m[i] = mi;
      theta[i] -= lr * g / ((float) Math.sqrt(mi) + e);
    }
  }

  @Override
  public RmsProp withLearningRate(double lr) {
    return new RmsProp(lr, alpha, eps);
  }
}
