package org.l2l4j.meta;

import java.util.function.DoubleSupplier;

/**
 * How the optimizees of a meta-batch ({@link MetaTrainerConfig#metaBatch}) are shared among
 * processes that train the same weights in lock step: each process runs some of them, and after
 * every unroll {@link #exchange} gives every process the results of all of them, so that every
 * process applies the same outer update to the same weights. {@link #LOCAL} runs them all in this
 * process; the {@code l2l4j-spark} module spreads them over the tasks of a barrier stage.
 */
public interface MetaBatchExchange {
  /**
   * The result of one optimizee's unroll.
   *
   * @param failure why the optimizee diverged in this unroll (the meta-batch then skips the rest
   *     of the epoch), or null
   * @param metaGradient the unroll's meta-gradient ∂L/∂φ (null with a failure); not modified by
   *     the trainer
   * @param lossSum Σ w_t·f_t (or of log f_t) over the optimizee's steps of this epoch so far
   * @param lossWeight Σ w_t over the same steps
   */
  record UnrollResult(String failure, double[] metaGradient, double lossSum, double lossWeight) {}

  /** Whether this process runs optimizee {@code b} of each meta-batch of {@code metaBatch}. */
  boolean runs(int b, int metaBatch);

  /**
   * Called by every process after each unroll with the results of the optimizees it runs; fills
   * the other entries (modified) so that every process ends with the same array.
   */
  void exchange(UnrollResult[] results);

  /**
   * The validation score of the current weights, the same in every process: computes {@code
   * score} here, or in one process and shares it.
   */
  double validation(DoubleSupplier score);

  /** Every optimizee runs in this process. */
  MetaBatchExchange LOCAL = new MetaBatchExchange() {
    @Override
    public boolean runs(int b, int metaBatch) {
      return true;
    }

    @Override
    public void exchange(UnrollResult[] results) {}

    @Override
    public double validation(DoubleSupplier score) {
      return score.getAsDouble();
    }
  };
}
