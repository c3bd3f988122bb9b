package org.l2l4j.bench;

import java.util.SplittableRandom;
import org.l2l4j.learned.BlockedLstmEngine;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmEngine;
import org.l2l4j.learned.LstmKernel;
import org.l2l4j.learned.LstmState;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.util.Parallel;

/**
 * One meta-training unroll of the coordinatewise LSTM as {@link org.l2l4j.meta.MetaTrainer} runs
 * it, without the optimizee: {@code steps} forward steps over n coordinates (chunks of {@link
 * LstmEngine#CHUNK} on a {@link Parallel} pool, through {@link LstmEngine}), then the unroll's
 * meta-gradient ({@link LstmKernel#unrollBackward}) per chunk, reduced over chunks in chunk order. The
 * optimizee gradients are fixed random numbers (magnitudes 10^U(lo, hi), by default 1e-7..10, both
 * signs); every unroll starts from the same recurrent state. The forward steps are recorded for the backward pass as
 * {@link org.l2l4j.meta.MetaTrainer} does it (tape budget from {@code -Dl2l4j.tapeMemory}, default
 * automatic). Close it to stop the pool.
 */
public final class UnrollHarness implements AutoCloseable {
  private final LstmConfig config;
  private final LstmKernel kernel;
  private final Parallel parallel;
  private final int n;
  private final int steps;
  private final float[] weights;
  private final LstmState start;
  private final LstmState state;
  private final float[][] grads;
  private final float[] update;
  private final double[] metaGradient;
  private final LstmEngine engine;

  /**
   * @param config the LSTM architecture
   * @param kernel the kernel to time
   * @param threads worker threads
   * @param n coordinates
   * @param steps unroll length T
   * @param seed seed of the weights, state and gradients
   */
  public UnrollHarness(
      LstmConfig config, LstmKernel kernel, int threads, int n, int steps, long seed) {
    this(config, kernel, threads, n, steps, seed, -7, 1);
  }

  /**
   * As {@link #UnrollHarness(LstmConfig, LstmKernel, int, int, int, long)} with gradient
   * magnitudes 10^U(lo, hi) (e.g. −44, −38: subnormal floats).
   */
  public UnrollHarness(
      LstmConfig config, LstmKernel kernel, int threads, int n, int steps, long seed, double lo,
      double hi) {
    this.config = config;
    this.kernel = kernel;
    this.parallel = new Parallel(threads);
    this.n = n;
    this.steps = steps;
    SplittableRandom rng = new SplittableRandom(seed);
    weights = LstmWeights.init(config, rng);
    start = new LstmState(config, n);
    for (int l = 0; l < config.depth(); l++) {
      for (int i = 0; i < start.h[l].length; i++) {
        start.h[l][i] = (float) Math.tanh(rng.nextGaussian());
        start.c[l][i] = (float) rng.nextGaussian();
      }
    }
    state = start.copy(config);
    grads = new float[steps + 1][n];
    for (float[] g : grads) {
      for (int i = 0; i < n; i++) {
        g[i] = (float) ((rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(lo, hi)));
      }
    }
    update = new float[n];
    metaGradient = new double[config.parameterCount()];
    long budget = MetaTrainer.tapeBudgetFromProperty();
    engine = LstmEngine.create(config, kernel, parallel, n,
        budget >= 0 ? budget : BlockedLstmEngine.automaticTapeBudget());
  }

  /** Runs one unroll (forward steps, then the meta-gradient); returns a checksum of the result. */
  public double unroll() {
    state.copyFrom(start);
    engine.beginUnroll(start, steps);
    for (int t = 0; t < steps; t++) {
      engine.step(weights, state, grads[t], update);
    }
    engine.unrollBackward(weights, start, grads, steps, metaGradient);
    double check = 0;
    for (double g : metaGradient) {
      check += g;
    }
    return check + update[0];
  }

  /** Bytes the engine keeps for recorded unrolls (0: the backward pass recomputes). */
  public long recordedBytes() {
    return engine.recordedBytes();
  }

  /**
   * Floating-point operations of one coordinate in one forward step: 2·(in + H)·4H per layer for
   * the gate pre-activations, 10 per unit for the cell (σ, tanh and the products, each counted as
   * one), 2·H + 1 for the output map.
   */
  public static double forwardFlops(LstmConfig config) {
    double f = 0;
    for (int l = 0; l < config.depth(); l++) {
      int h = config.hidden(l);
      f += 2.0 * (config.inputWidth(l) + h) * 4 * h + 10.0 * h;
    }
    return f + 2.0 * config.outputInputs() + 1;
  }

  /**
   * Operations of one unroll: T forward steps, and the backward pass counted as its recomputed
   * forward pass plus twice a forward pass (weight gradients and input gradients), so 4·T·n times
   * {@link #forwardFlops}.
   */
  public static double unrollFlops(LstmConfig config, int n, int steps) {
    return 4.0 * steps * n * forwardFlops(config);
  }

  /**
   * The useful operations of one unroll: T forward steps and the backward pass as twice a forward
   * pass, 3·T·n times {@link #forwardFlops} (what a recorded unroll computes, up to the cheap
   * rebuilding of c and h).
   */
  public static double usefulUnrollFlops(LstmConfig config, int n, int steps) {
    return 3.0 * steps * n * forwardFlops(config);
  }

  @Override
  public void close() {
    parallel.close();
  }
}
