package org.l2l4j.learned;

import org.l2l4j.optim.Optimizer;
import org.l2l4j.util.Parallel;

/**
 * The coordinatewise LSTM optimizer with frozen weights, as a plain {@link Optimizer}:
 * θ_{t+1} = θ_t + g_t with [g_t, h_{t+1}] = m(∇_t, h_t; φ) (Andrychowicz et al. 2016, eq. 1).
 * One network with shared weights φ runs on every coordinate, each with its own recurrent state.
 *
 * <p>The {@link Parallel} pool passed in is used, not owned: closing this optimizer is not needed.
 */
public final class LearnedOptimizer implements Optimizer<LearnedOptimizer.RunState> {
  private final String name;
  private final LstmConfig config;
  private final float[] weights;
  private final LstmKernel kernel;
  private final Parallel parallel;

  /**
   * @param name a label for reports (e.g. the file it was loaded from)
   * @param weights the weights (copied)
   * @param parallel the worker pool to run chunks on (not owned)
   */
  public LearnedOptimizer(
      String name, LstmConfig config, float[] weights, LstmKernel kernel, Parallel parallel) {
    if (weights.length != config.parameterCount()) {
      throw new IllegalArgumentException(
          "weights have " + weights.length + " values, config " + config.spec() + " needs "
              + config.parameterCount());
    }
    this.name = name;
    this.config = config;
    this.weights = weights.clone();
    this.kernel = kernel;
    this.parallel = parallel;
  }

  /** The label given at construction. */
  public String name() {
    return name;
  }

  /** The architecture. */
  public LstmConfig config() {
    return config;
  }

  /** A copy of the weights. */
  public float[] weights() {
    return weights.clone();
  }

  @Override
  public String spec() {
    return config.spec();
  }

  @Override
  public boolean learned() {
    return true;
  }

  /** Recurrent state plus the engine of one run. */
  public static final class RunState implements State {
    final LstmState lstm;
    final float[] update;
    final LstmEngine engine;

    RunState(LstmConfig config, int n, LstmEngine engine) {
      lstm = new LstmState(config, n);
      update = new float[n];
      this.engine = engine;
    }
  }

  @Override
  public RunState init(int n) {
    return new RunState(config, n, LstmEngine.create(config, kernel, parallel, n));
  }

  @Override
  public void step(RunState s, float[] theta, float[] grad) {
    s.engine.step(weights, s.lstm, grad, s.update);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += s.update[i];
    }
  }
}
