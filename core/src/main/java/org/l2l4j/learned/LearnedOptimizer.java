package org.l2l4j.learned;

import java.nio.file.Path;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.util.Parallel;

/**
 * The coordinatewise LSTM optimizer with frozen weights, as a plain {@link Optimizer}:
 * θ_{t+1} = θ_t + g_t with [g_t, h_{t+1}] = m(∇_t, h_t; φ) (Andrychowicz et al. 2016, eq. 1).
 * One network with shared weights φ runs on every coordinate, each with its own recurrent state.
 *
 * <p>The {@link Parallel} pool passed to the constructor is used, not owned: closing such an
 * optimizer does nothing. {@link #load(Path)} gives one that owns its pool; close it when done.
 */
public final class LearnedOptimizer implements Optimizer<LearnedOptimizer.RunState>, AutoCloseable {
  private final String name;
  private final LstmConfig config;
  private final float[] weights;
  private final LstmKernel kernel;
  private final Parallel parallel;
  /** The pool this optimizer created and closes ({@link #load}), or null. */
  private Parallel ownedPool;

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

  /**
   * Loads a trained optimizer file ({@link OptimizerFile}) as a ready optimizer with the fastest
   * kernel this JVM can run ({@link LstmKernels#best()}) and its own pool of one worker per
   * available processor. The results do not depend on the number of workers. Close it to stop
   * the workers; it must not be used afterwards.
   *
   * @param file the optimizer file, e.g. {@code optimizer.json} written by {@code l2l4j train}
   * @return the optimizer, named after {@code file}
   * @throws OptimizerFileException if the file cannot be read or is not a valid optimizer file;
   *     the message names the file
   */
  public static LearnedOptimizer load(Path file) {
    return load(file, Runtime.getRuntime().availableProcessors());
  }

  /**
   * As {@link #load(Path)}, with {@code threads} workers.
   *
   * @throws IllegalArgumentException if {@code threads} is not in [1, 1024]
   */
  public static LearnedOptimizer load(Path file, int threads) {
    OptimizerFile.Loaded loaded = OptimizerFile.read(file);
    LstmKernel kernel = LstmKernels.best();
    Parallel pool = new Parallel(threads);
    LearnedOptimizer optimizer =
        new LearnedOptimizer(file.toString(), loaded.config(), loaded.weights(), kernel, pool);
    optimizer.ownedPool = pool;
    return optimizer;
  }

  /** Stops the worker threads of an optimizer made by {@link #load}; otherwise does nothing. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
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
