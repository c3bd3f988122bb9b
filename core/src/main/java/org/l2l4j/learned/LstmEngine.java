package org.l2l4j.learned;

import org.l2l4j.util.Parallel;

/**
 * The coordinatewise LSTM over all n coordinates of one run: a step of the optimizer and the
 * meta-gradient of an unroll, split over the worker pool in chunks whose boundaries do not depend
 * on the thread count, with reductions in chunk order, so results are bit-identical for any number
 * of threads. Plain configurations use {@link BlockedLstmEngine} (coordinates fully independent,
 * backward block by block from the recorded gates or by recomputing); configurations with global averaging cells use {@link
 * GacLstmEngine} (layers synchronised across coordinates at every step, the kernel's {@link
 * GacCells} for the cell passes).
 */
public sealed interface LstmEngine permits BlockedLstmEngine, GacLstmEngine {
  /** Coordinates per parallel chunk. */
  int CHUNK = 2048;

  /** The engine for {@code config} over {@code n} coordinates; it never records (tape budget 0). */
  static LstmEngine create(LstmConfig config, LstmKernel kernel, Parallel parallel, int n) {
    return create(config, kernel, parallel, n, 0);
  }

  /**
   * The engine for {@code config} over {@code n} coordinates that records the steps of an unroll
   * begun with {@link #beginUnroll} when their tape fits in {@code tapeBudgetBytes} (see {@link
   * BlockedLstmEngine}); 0 always recomputes.
   */
  static LstmEngine create(
      LstmConfig config, LstmKernel kernel, Parallel parallel, int n, long tapeBudgetBytes) {
    return config.gac() > 0
        ? new GacLstmEngine(config, kernel, parallel, n)
        : new BlockedLstmEngine(config, kernel, parallel, n, tapeBudgetBytes);
  }

  /** Number of chunks for n coordinates. */
  static int chunks(int n) {
    return (n + CHUNK - 1) / CHUNK;
  }

  /**
   * Starts an unroll of {@code steps} steps from {@code state0}: the next {@code steps} calls of
   * {@link #step} are steps 0..steps−1 of it and may be recorded, so that {@link #unrollBackward}
   * with the same {@code state0} (the same object, unmodified), weights and gradients need not
   * recompute them. Results are bit-identical either way. The default records nothing.
   *
   * @param state0 the state before step 0 (kept by the caller, not modified)
   */
  default void beginUnroll(LstmState state0, int steps) {}

  /** Bytes of recorded activations the engine holds now (0 when it recomputes). */
  default long recordedBytes() {
    return 0;
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
   * @param grads ∇_0..∇_T, the LSTM's inputs (not modified)
   * @param lossGrads {@code lossGrads[t]} = ∂L/∂θ_t for t = 1..T, indexed as {@code grads}
   *     (not modified; may be {@code grads} itself, for L = Σ_t f(θ_t))
   * @param dWeights receives ∂L/∂φ (overwritten)
   */
  void unrollBackward(
      float[] weights, LstmState state0, float[][] grads, float[][] lossGrads, int steps,
      double[] dWeights);

  /**
   * The meta-gradient of one unroll for the plain meta-loss L = Σ_{t=1..T} f(θ_t): {@link
   * #unrollBackward(float[], LstmState, float[][], float[][], int, double[])} with {@code
   * lossGrads = grads}.
   */
  default void unrollBackward(
      float[] weights, LstmState state0, float[][] grads, int steps, double[] dWeights) {
    unrollBackward(weights, state0, grads, grads, steps, dWeights);
  }
}
