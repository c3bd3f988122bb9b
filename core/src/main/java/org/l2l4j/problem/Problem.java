package org.l2l4j.problem;

import java.util.random.RandomGenerator;

/**
 * One optimizee: a differentiable function f of a flat float parameter vector θ. Instances are
 * drawn from a {@link ProblemFamily}; they hold their constants (a quadratic's W and y, a data
 * view) and no mutable state, so one instance may be optimized by several optimizers in turn.
 *
 * <p>Buffers are owned by the caller; implementations allocate nothing per call on their hot
 * path.
 */
public interface Problem {

  /** The number of scalar parameters (coordinates). */
  int dimension();

  /**
   * Draws the initial parameters θ₀.
   *
   * @param rng the source of randomness (advanced)
   * @param thetaOut receives θ₀; length {@link #dimension()} (modified)
   */
  void init(RandomGenerator rng, float[] thetaOut);

  /**
   * Evaluates f and ∇f at θ on one minibatch (for stochastic problems) drawn from {@code batchRng}.
   *
   * @param theta the parameters (not modified)
   * @param gradOut receives ∇f(θ) (modified)
   * @param batchRng the source of the minibatch; deterministic problems ignore it
   * @return f(θ)
   */
  float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng);
}
