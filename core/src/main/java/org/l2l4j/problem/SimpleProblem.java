package org.l2l4j.problem;

import java.util.random.RandomGenerator;

/**
 * The official code's sanity problem {@code simple}: f(x) = x² for a scalar x with x₀ = 1. The
 * family has a single member.
 */
public final class SimpleProblem implements Problem, ProblemFamily {

  @Override
  public String spec() {
    return "simple";
  }

  @Override
  public int dimension() {
    return 1;
  }

  @Override
  public Problem sample(RandomGenerator rng) {
    return this;
  }

  @Override
  public void init(RandomGenerator rng, float[] thetaOut) {
    thetaOut[0] = 1f;
  }

  @Override
  public float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng) {
    float x = theta[0];
    gradOut[0] = 2f * x;
    return x * x;
  }
}
