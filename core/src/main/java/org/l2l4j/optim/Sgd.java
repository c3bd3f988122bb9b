package org.l2l4j.optim;

import static org.l2l4j.util.Spec.fmt;

/** Plain gradient descent: θ ← θ − lr·∇. Spec {@code sgd(lr=0.01)}. */
public record Sgd(double learningRate) implements BaselineOptimizer<Optimizer.Stateless> {

  /** Validates the learning rate. */
  public Sgd {
    BaselineOptimizer.checkLr("sgd", learningRate);
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public String spec() {
    return "sgd(lr=" + fmt(learningRate) + ")";
  }

  @Override
  public Stateless init(int n) {
    return Stateless.INSTANCE;
  }

  @Override
  public void step(Stateless state, float[] theta, float[] grad) {
    float lr = (float) learningRate;
    for (int i = 0; i < theta.length; i++) {
      theta[i] -= lr * grad[i];
    }
  }

  @Override
  public Sgd withLearningRate(double lr) {
    return new Sgd(lr);
  }
}
