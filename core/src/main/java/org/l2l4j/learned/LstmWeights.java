package org.l2l4j.learned;

import java.util.random.RandomGenerator;

/** Creation and checks of the flat weight array described in {@link LstmConfig}. */
public final class LstmWeights {
  private LstmWeights() {}

  /**
   * Fresh weights as the configuration's {@link LstmConfig.Init} says: for {@code OFFICIAL}, every
   * gate weight and gate bias of layer l from a normal truncated at two standard deviations
   * (redrawn beyond), std 1/√(in_l + H_l); output weights the same with std 1/√(fan-in); output
   * bias 0. For {@code ZERO}, all zeros; for {@code ZERO_OUTPUT}, as {@code OFFICIAL} with zero
   * output weights.
   */
  public static float[] init(LstmConfig config, RandomGenerator rng) {
    float[] w = new float[config.parameterCount()];
    if (config.init() == LstmConfig.Init.ZERO) {
      return w;
    }
    for (int l = 0; l < config.depth(); l++) {
      int fanIn = config.inputWidth(l) + config.hidden(l);
      double std = 1 / Math.sqrt(fanIn);
      int from = config.weightOffset(l);
      int to = config.biasOffset(l) + 4 * config.hidden(l);
      for (int i = from; i < to; i++) {
        w[i] = (float) (truncatedNormal(rng) * std);
      }
    }
    if (config.init() == LstmConfig.Init.ZERO_OUTPUT) {
      return w;
    }
    double std = 1 / Math.sqrt(config.outputInputs());
    for (int i = 0; i < config.outputInputs(); i++) {
      w[config.outputWeightOffset() + i] = (float) (truncatedNormal(rng) * std);
    }
    return w;
  }

  /** A standard normal draw, redrawn until it lies within two standard deviations. */
  public static double truncatedNormal(RandomGenerator rng) {
    while (true) {
      double g = rng.nextGaussian();
      if (Math.abs(g) <= 2) {
        return g;
      }
    }
  }

  /** Index of the first non-finite weight, or -1. */
  public static int firstNonFinite(float[] w) {
    for (int i = 0; i < w.length; i++) {
      if (!Float.isFinite(w[i])) {
        return i;
      }
    }
    return -1;
  }
}
