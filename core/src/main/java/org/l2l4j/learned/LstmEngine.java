package org.l2l4j.learned;

import org.l2l4j.util.Parallel;

/**
 * The coordinatewise LSTM over all n coordinates of one run: a step of the optimizer and the
 * meta-gradient of an unroll, split over the worker pool in chunks whose boundaries do not depend
 * on the thread count, with reductions in chunk order, so results are bit-identical for any number
 * of threads. Plain configurations use {@link BlockedLstmEngine} (coordinates fully independent,
 * backward recomputed block by block); configurations with global averaging cells use {@link
 * GacLstmEngine} (layers synchronised across coordinates at every step, the kernel's {@link
 * GacCells} for the cell passes).
 */
public sealed interface LstmEngine permits BlockedLstmEngine, GacLstmEngine {
  /** Coordinates per parallel chunk. */
  int CHUNK = 2048;

  /** The engine for {@code config} over {@code n} coordinates. */
  static LstmEngine create(LstmConfig config, LstmKernel kernel, Parallel parallel, int n) {
    return config.gac() > 0
        ? new GacLstmEngine(config, kernel, parallel, n)
        : new BlockedLstmEngine(config, kernel, parallel, n);
  }

  /** Number of chunks for n coordinates. */
  static int chunks(int n) {
    return (n + CHUNK - 1) / CHUNK;
  }

  /**
   * One optimizer step over all coordinates.
   *
   * @param weights the weights (not modified)
   * @param state the recurrent state (modified)
   * @param grad ∇f(θ_t) (not modified)
   * @param update receives g_t (modified)
   */
  void step(float[] weights, LstmState state, float[] grad, float[] update);

  /**
   * The meta-gradient of one unroll (see {@link LstmKernel#unrollBackward}) over all coordinates.
   *
   * @param state0 the state at the start of the unroll (not modified)
   * @param grads ∇_0..∇_T (not modified)
   * @param dWeights receives ∂L/∂φ (overwritten)
   */
  void unrollBackward(float[] weights, LstmState state0, float[][] grads, int steps, double[] dWeights);
}
