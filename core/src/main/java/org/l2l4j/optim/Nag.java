package org.l2l4j.optim;

import static org.l2l4j.util.Spec.fmt;

/**
 * Nesterov's accelerated gradient in the form that evaluates the gradient at the stored
 * parameters (Sutskever et al. 2013; the form PyTorch uses): v ← μ·v + ∇; θ ← θ − lr·(∇ + μ·v),
 * with v₀ = 0. Torch7's {@code optim.nag}, which steps to the look-ahead point before evaluating, has
 * the same iterates up to that shift. Spec {@code nag(lr=0.01,momentum=0.9)}; momentum default 0.9.
 */
public record Nag(double learningRate, double momentum) implements BaselineOptimizer<Nag.NagState> {

  /** Validates the settings. */
  public Nag {
    BaselineOptimizer.checkLr("nag", learningRate);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new org.l2l4j.util.SpecException("nag: momentum must be in [0, 1), got " + momentum);
    }
  }

  /** The velocity v of one run. */
  public static final class NagState implements SavableState {
    final float[] v;

    NagState(int n) {
      v = new float[n];
    }

    /** Saves {@code v}. */
    @Override
    public void save(Writer out) {
      out.floats("v", v);
    }

    @Override
    public void load(Reader in) {
      System.arraycopy(in.floats("v", v.length), 0, v, 0, v.length);
    }
  }

  @Override
  public String name() {
    return "nag";
  }

  @Override
  public String spec() {
    return "nag(lr=" + fmt(learningRate) + ",momentum=" + fmt(momentum) + ")";
  }

  @Override
  public NagState init(int n) {
    return new NagState(n);
  }

  @Override
  public void step(NagState state, float[] theta, float[] grad) {
    float[] v = state.v;
    float lr = (float) learningRate;
    float mu = (float) momentum;
    for (int i = 0; i < theta.length; i++) {
      float vi = mu * v[i] + grad[i];
      v[i] = vi;
      theta[i] -= lr * (grad[i] + mu * vi);
    }
  }

  @Override
  public Nag withLearningRate(double lr) {
    return new Nag(lr, momentum);
  }
}
