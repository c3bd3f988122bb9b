package org.l2l4j.djl;

import java.util.random.RandomGenerator;
import org.l2l4j.problem.Problem;

/**
 * One optimizee of a {@link DjlFamily}: the family's model and loss on its data set. It holds no
 * state of its own (the model is the family's workspace), so many problems of one family can be
 * optimized in turn; evaluations of one JVM run one at a time.
 */
public final class DjlProblem implements Problem {
  private final DjlFamily family;
  private final ImageData data;
  private final int dimension;
  private final float initStd;

  DjlProblem(DjlFamily family, ImageData data, int dimension, float initStd) {
    this.family = family;
    this.data = data;
    this.dimension = dimension;
    this.initStd = initStd;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** Draws every coordinate from N(0, initStd²). */
  @Override
  public void init(RandomGenerator rng, float[] thetaOut) {
    for (int i = 0; i < dimension; i++) {
      thetaOut[i] = (float) (rng.nextGaussian() * initStd);
    }
  }

  @Override
  public float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng) {
    return family.valueAndGradient(data, theta, gradOut, batchRng);
  }
}
