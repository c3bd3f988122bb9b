package org.l2l4j.meta;

/**
 * Everything meta-training needs to continue exactly where it stopped: the weights φ, the outer
 * optimizer's state and current learning rate, the number of finished epochs, the best weights so
 * far with their validation score and the divergence counters. Training
 * problems are drawn from streams derived from (seed, epoch), so no generator state is needed.
 */
public final class TrainingState {
  /** The current weights (modified by training). */
  public final float[] weights;
  /** The outer optimizer, its state and current learning rate (modified by training). */
  public final OuterOptimizer<?> outer;
  /** Epochs completed. */
  public int epoch;
  /** The best weights by validation score (a copy). */
  public float[] bestWeights;
  /** The best validation score (lower is better); +∞ before the first validation. */
  public double bestScore = Double.POSITIVE_INFINITY;
  /** Epoch at which the best weights were found (0: none yet). */
  public int bestEpoch;
  /** Meta-updates skipped in a row. */
  public int badInARow;
  /** Meta-updates skipped in total. */
  public long skippedTotal;
  /** Meta-updates applied in total. */
  public long updates;

  /**
   * A fresh state starting from {@code weights} (copied) and {@code outer}.
   *
   * @throws IllegalArgumentException when {@code outer} does not cover every weight
   */
  public TrainingState(float[] weights, OuterOptimizer<?> outer) {
    if (outer.size() != weights.length) {
      throw new IllegalArgumentException(
          "outer optimizer has " + outer.size() + " values, weights " + weights.length);
    }
    this.weights = weights.clone();
    this.outer = outer;
    this.bestWeights = weights.clone();
  }

  /** The current learning rate of the outer optimizer (halved on repeated divergence). */
  public double metaLearningRate() {
    return outer.learningRate();
  }
}
