package org.l2l4j.meta;

import org.l2l4j.optim.Adam;

/**
 * Everything meta-training needs to continue exactly where it stopped: the weights φ, the outer
 * Adam's moments and step count, the number of finished epochs, the best weights so far with
 * their validation score, the current meta learning rate and the divergence counters. Training
 * problems are drawn from streams derived from (seed, epoch), so no generator state is needed.
 */
public final class TrainingState {
  /** The current weights (modified by training). */
  public final float[] weights;
  /** The outer Adam's state (modified by training). */
  public final Adam.AdamState adam;
  /** Epochs completed. */
  public int epoch;
  /** The best weights by validation score (a copy). */
  public float[] bestWeights;
  /** The best validation score (lower is better); +∞ before the first validation. */
  public double bestScore = Double.POSITIVE_INFINITY;
  /** Epoch at which the best weights were found (0: none yet). */
  public int bestEpoch;
  /** The current outer learning rate (halved on repeated divergence). */
  public double metaLearningRate;
  /** Meta-updates skipped in a row. */
  public int badInARow;
  /** Meta-updates skipped in total. */
  public long skippedTotal;
  /** Meta-updates applied in total. */
  public long updates;

  /** A fresh state starting from {@code weights} (copied). */
  public TrainingState(float[] weights, double metaLearningRate) {
    this.weights = weights.clone();
    this.adam = new Adam.AdamState(weights.length);
    this.bestWeights = weights.clone();
    this.metaLearningRate = metaLearningRate;
  }
}
