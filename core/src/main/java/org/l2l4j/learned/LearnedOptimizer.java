package org.l2l4j.learned;

import java.nio.file.Path;
import java.util.List;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.Parallel;
import org.l2l4j.util.SpecException;

/**
 * The coordinatewise LSTM optimizer with frozen weights, as a plain {@link Optimizer}:
 * θ_{t+1} = θ_t + g_t with [g_t, h_{t+1}] = m(∇_t, h_t; φ) (Andrychowicz et al. 2016, eq. 1).
 * One network with shared weights φ runs on every coordinate, each with its own recurrent state;
 * with one net per parameter group ({@link NetGroups}), net g runs on the coordinates of group g.
 *
 * <p>The {@link Parallel} pool passed to the constructor is used, not owned: closing such an
 * optimizer does nothing. {@link #load(Path)} gives one that owns its pool; close it when done.
 */
public final class LearnedOptimizer implements Optimizer<LearnedOptimizer.RunState>, AutoCloseable {
  private final String name;
  private final NetGroups nets;
  /** The problem's groups in the nets' order; null for a bare net (all of θ, any n). */
  private final List<ParamGroup> groups;
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
    this(name, NetGroups.single(config), null, weights, kernel, parallel);
  }

  /**
   * An optimizer with one net per parameter group.
   *
   * @param name a label for reports (e.g. the file it was loaded from)
   * @param groups the problem's groups in the order of {@code nets} ({@link NetGroups#bind});
   *     null for a bare net, which runs on all of θ for any dimension
   * @param weights the weights of all nets (copied)
   * @param parallel the worker pool to run chunks on (not owned)
   */
  public LearnedOptimizer(String name, NetGroups nets, List<ParamGroup> groups, float[] weights,
      LstmKernel kernel, Parallel parallel) {
    if (weights.length != nets.parameterCount()) {
      throw new IllegalArgumentException(
          "weights have " + weights.length + " values, config " + nets.spec() + " needs "
              + nets.parameterCount());
    }
    if (groups == null ? !nets.bare() : groups.size() != nets.size()) {
      throw new IllegalArgumentException("groups " + groups + " do not fit " + nets.spec());
    }
    this.name = name;
    this.nets = nets;
    this.groups = groups == null ? null : List.copyOf(groups);
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
    return load(file, threads, null);
  }

  /**
   * As {@link #load(Path, int)}, for the parameter groups of {@code family}: a file with one net
   * per group must name exactly the family's groups (a bare net fits any family).
   *
   * @param family the problems it will run on, or null (then the file must hold a bare net)
   * @throws OptimizerFileException if the file cannot be read, or its groups do not match the
   *     family's; the message names the file
   */
  public static LearnedOptimizer load(Path file, int threads, ProblemFamily family) {
    return of(file.toString(), OptimizerFile.read(file), threads, family);
  }

  private static LearnedOptimizer of(String file, OptimizerFile.Loaded loaded, int threads,
      ProblemFamily family) {
    List<ParamGroup> groups = null;
    if (!loaded.nets().bare()) {
      if (family == null) {
        throw new OptimizerFileException(file + ": holds nets for parameter groups "
            + loaded.nets().names() + "; load it for a problem family");
      }
      try {
        groups = loaded.nets().bind(family.groups(), family.dimension());
      } catch (SpecException e) {
        throw new OptimizerFileException(file + ": " + e.getMessage());
      }
    }
    LstmKernel kernel = LstmKernels.best();
    Parallel pool = new Parallel(threads);
    LearnedOptimizer optimizer = new LearnedOptimizer(
        file, loaded.nets(), groups, loaded.weights(), kernel, pool);
    optimizer.ownedPool = pool;
    return optimizer;
  }

  /**
   * The optimizer shipped in the jar under {@code name} ({@link OptimizerFile#PRETRAINED}, e.g.
   * {@code general}: meta-trained to work beyond its training problems, see the README's
   * "Generalisation"), for the parameter groups of {@code family} (null for a bare net), with
   * {@code threads} workers. Close it to stop the workers.
   *
   * @throws OptimizerFileException for an unknown name or groups that do not match
   */
  public static LearnedOptimizer pretrained(String name, int threads, ProblemFamily family) {
    return of("pretrained:" + name, OptimizerFile.readPretrained(name), threads, family);
  }

  /** {@link #pretrained(String, int, ProblemFamily)} with one worker per processor, a bare net. */
  public static LearnedOptimizer pretrained(String name) {
    return pretrained(name, Runtime.getRuntime().availableProcessors(), null);
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

  /** The architecture of the first net (the only one of a bare net). */
  public LstmConfig config() {
    return nets.configs().get(0);
  }

  /** The nets. */
  public NetGroups nets() {
    return nets;
  }

  /** A copy of the weights. */
  public float[] weights() {
    return weights.clone();
  }

  @Override
  public String spec() {
    return nets.spec();
  }

  @Override
  public boolean learned() {
    return true;
  }

  /** Recurrent state plus the engine of one run. */
  public static final class RunState implements State {
    final GroupedLstm.State lstm;
    final float[] update;
    final GroupedLstm engine;
    /** The input normalisation ({@link LstmConfig#norm}), or null. */
    final InputNorm norm;
    /** The LSTM's input when {@link #norm} is on, else null. */
    final float[] input;

    RunState(int n, GroupedLstm engine, InputNorm norm) {
      lstm = engine.newState();
      update = new float[n];
      this.engine = engine;
      this.norm = norm;
      this.input = norm == null ? null : new float[n];
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the optimizer has groups and they do not cover [0, n)
   */
  @Override
  public RunState init(int n) {
    List<ParamGroup> g = groups == null ? List.of(ParamGroup.all(n)) : groups;
    return new RunState(n, new GroupedLstm(nets, g, kernel, parallel, n, 0),
        InputNorm.of(nets, g, n));
  }

  @Override
  public void step(RunState s, float[] theta, float[] grad) {
    float[] x = grad;
    if (s.norm != null) {
      s.norm.apply(grad, s.input);
      x = s.input;
    }
    s.engine.step(weights, s.lstm, x, s.update);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += s.update[i];
    }
  }
}
