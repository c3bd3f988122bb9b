package org.l2l4j.meta;

import org.l2l4j.optim.Adam;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.util.SpecException;

/**
 * The settings of meta-training (SPEC §4). Defaults are the paper's protocol: epochs of 100 steps
 * in unrolls of 20, outer Adam with learning rate 0.001 (the official code), no clipping.
 *
 * @param epochs number of epochs; each is one freshly sampled optimizee
 * @param stepsPerEpoch optimizee steps per epoch (100)
 * @param unroll steps per truncated-BPTT unroll, one meta-update each (20)
 * @param metaLearningRate the outer optimizer's learning rate (0.001)
 * @param clip meta-gradients are clipped elementwise to ±clip; 0 turns clipping off (default)
 * @param validateEvery validate every this many epochs (0: only at the end)
 * @param validationProblems held-out problems per validation
 * @param seed the root seed; training problems, validation problems and weight init derive from it
 * @param threads worker threads for the LSTM kernels (results do not depend on it)
 * @param maxBadInARow after this many skipped meta-updates in a row (non-finite loss or
 *     gradient), the best weights are restored and the meta learning rate halved
 * @param outer the outer optimizer (Adam by default); its learning rate is {@code
 *     metaLearningRate}
 */
public record MetaTrainerConfig(
    int epochs,
    int stepsPerEpoch,
    int unroll,
    double metaLearningRate,
    double clip,
    int validateEvery,
    int validationProblems,
    long seed,
    int threads,
    int maxBadInARow,
    BaselineOptimizer<?> outer) {

  /** Validates every field, naming it in the error. */
  public MetaTrainerConfig {
    if (epochs < 1) {
      throw new SpecException("epochs must be >= 1, got " + epochs);
    }
    if (stepsPerEpoch < 1) {
      throw new SpecException("steps per epoch must be >= 1, got " + stepsPerEpoch);
    }
    if (unroll < 1 || unroll > stepsPerEpoch) {
      throw new SpecException("unroll must be in [1, steps], got " + unroll);
    }
    if (!(metaLearningRate > 0) || !Double.isFinite(metaLearningRate)) {
      throw new SpecException("meta learning rate must be finite and > 0, got " + metaLearningRate);
    }
    if (!(clip >= 0) || !Double.isFinite(clip)) {
      throw new SpecException("clip must be finite and >= 0, got " + clip);
    }
    if (validateEvery < 0) {
      throw new SpecException("validate-every must be >= 0, got " + validateEvery);
    }
    if (validationProblems < 1) {
      throw new SpecException("validation problems must be >= 1, got " + validationProblems);
    }
    if (threads < 1 || threads > 1024) {
      throw new SpecException("threads must be in [1, 1024], got " + threads);
    }
    if (maxBadInARow < 1) {
      throw new SpecException("max-bad-in-a-row must be >= 1, got " + maxBadInARow);
    }
    if (outer == null) {
      throw new SpecException("outer optimizer missing");
    }
    if (outer.learningRate() != metaLearningRate) {
      throw new SpecException("meta learning rate " + metaLearningRate + " differs from the outer"
          + " optimizer's, " + outer.spec());
    }
  }

  /** The settings with the outer Adam at learning rate {@code metaLearningRate} (the default). */
  public MetaTrainerConfig(int epochs, int stepsPerEpoch, int unroll, double metaLearningRate,
      double clip, int validateEvery, int validationProblems, long seed, int threads,
      int maxBadInARow) {
    this(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery, validationProblems,
        seed, threads, maxBadInARow, new Adam(metaLearningRate));
  }

  /** The paper's protocol with {@code epochs} epochs and the given seed, one thread. */
  public static MetaTrainerConfig defaults(int epochs, long seed) {
    return new MetaTrainerConfig(epochs, 100, 20, 0.001, 0, 100, 20, seed, 1, 5);
  }

  /** A copy with another epoch count. */
  public MetaTrainerConfig withEpochs(int e) {
    return new MetaTrainerConfig(e, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery,
        validationProblems, seed, threads, maxBadInARow, outer);
  }

  /** A copy with another thread count. */
  public MetaTrainerConfig withThreads(int t) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip,
        validateEvery, validationProblems, seed, t, maxBadInARow, outer);
  }

  /** A copy with another meta learning rate. */
  public MetaTrainerConfig withMetaLearningRate(double lr) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, lr, clip, validateEvery,
        validationProblems, seed, threads, maxBadInARow, outer.withLearningRate(lr));
  }

  /** A copy with other validation settings. */
  public MetaTrainerConfig withValidation(int every, int problems) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, every,
        problems, seed, threads, maxBadInARow, outer);
  }

  /** A copy with another outer optimizer (and its learning rate as the meta learning rate). */
  public MetaTrainerConfig withOuter(BaselineOptimizer<?> o) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, o.learningRate(), clip,
        validateEvery, validationProblems, seed, threads, maxBadInARow, o);
  }
}
