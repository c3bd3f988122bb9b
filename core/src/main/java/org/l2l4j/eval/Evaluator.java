package org.l2l4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.Seeds;

/**
 * Runs optimizers on the same held-out problems, paired by seed: problem k of every optimizer is
 * drawn from stream ({@code purpose}, k) of the seed, so all optimizers see the same functions,
 * the same θ₀ and, for stochastic problems, the same minibatch sequence.
 */
public final class Evaluator {
  /** The stream purpose of test problems. */
  public static final String TEST = "test";
  /** The stream purpose of baseline-tuning problems. */
  public static final String TUNE = "tune";

  private final ProblemFamily family;
  private final int problems;
  private final int steps;
  private final long seed;
  private final String purpose;
  private final org.l2l4j.util.Parallel parallel;

  /**
   * @param problems K, the number of held-out problems
   * @param steps N, the number of steps per run
   * @param purpose the seed stream ({@link #TEST}, {@link #TUNE})
   */
  public Evaluator(ProblemFamily family, int problems, int steps, long seed, String purpose) {
    this(family, problems, steps, seed, purpose, null);
  }

  /**
   * An evaluator that runs the problems in parallel on {@code parallel} (results are the same as
   * with one thread: every problem is independent); {@code null} runs them one after another.
   */
  public Evaluator(ProblemFamily family, int problems, int steps, long seed, String purpose,
      org.l2l4j.util.Parallel parallel) {
    if (problems < 1 || steps < 1) {
      throw new IllegalArgumentException("need at least one problem and one step");
    }
    this.family = family;
    this.problems = problems;
    this.steps = steps;
    this.seed = seed;
    this.purpose = purpose;
    this.parallel = parallel;
  }

  /**
   * Progress of one {@link #run(String, Optimizer, RunListener)}: {@link #problemDone} is called
   * once per finished problem, one call at a time (possibly from a worker thread), with {@code
   * done} counting 1, 2, ..., {@code total}.
   */
  @FunctionalInterface
  public interface RunListener {
    /** A listener that ignores everything. */
    RunListener NONE = (done, total) -> {};

    /** {@code done} of {@code total} problems have finished. */
    void problemDone(int done, int total);
  }

  /** Runs one optimizer on every problem; called for each in turn by {@link #run(List)}. */
  public Curve run(String name, Optimizer<?> optimizer) {
    return run(name, optimizer, RunListener.NONE);
  }

  /** As {@link #run(String, Optimizer)}, telling {@code listener} of each finished problem. */
  public Curve run(String name, Optimizer<?> optimizer, RunListener listener) {
    double[][] losses = new double[problems][];
    if (parallel == null) {
      for (int k = 0; k < problems; k++) {
        losses[k] = runOne(optimizer, k);
        listener.problemDone(k + 1, problems);
      }
    } else {
      Object lock = new Object();
      int[] done = {0};
      parallel.run(problems, (k, worker) -> {
        losses[k] = runOne(optimizer, k);
        synchronized (lock) {
          listener.problemDone(++done[0], problems);
        }
      });
    }
    return new Curve(name, optimizer.spec(), optimizer.learned(), losses);
  }

  /** The problems' family. */
  public ProblemFamily family() {
    return family;
  }

  /** K, the number of problems. */
  public int problems() {
    return problems;
  }

  /** N, the number of steps per run. */
  public int steps() {
    return steps;
  }

  /** The root seed. */
  public long seed() {
    return seed;
  }

  /** The seed stream's purpose ({@link #TEST}, {@link #TUNE}). */
  public String purpose() {
    return purpose;
  }

  /**
   * Losses at steps 0..N of {@code optimizer} on problem {@code k} (0 &le; k &lt; K): one element
   * of {@link #run(String, Optimizer)}'s curve, the same bits wherever it runs.
   */
  public double[] runProblem(Optimizer<?> optimizer, int k) {
    if (k < 0 || k >= problems) {
      throw new IllegalArgumentException("problem " + k + " not in [0, " + problems + ")");
    }
    return runOne(optimizer, k);
  }

  /** Losses at steps 0..N of one run on problem k. */
  private <S extends Optimizer.State> double[] runOne(Optimizer<S> optimizer, int k) {
    double[] losses = new double[steps + 1];
    SplittableRandom rng = Seeds.stream(seed, purpose, k);
    Problem problem = family.sample(rng);
    int n = problem.dimension(); // a mixture's members differ in dimension
    float[] theta = new float[n];
    float[] grad = new float[n];
    problem.init(rng, theta);
    S state = optimizer.init(n);
    losses[0] = problem.valueAndGradient(theta, grad, rng);
    boolean dead = !Double.isFinite(losses[0]);
    for (int t = 1; t <= steps; t++) {
      if (dead) {
        losses[t] = Double.NaN;
        continue;
      }
      optimizer.step(state, theta, grad);
      double f = problem.valueAndGradient(theta, grad, rng);
      losses[t] = f;
      dead = !Double.isFinite(f);
    }
    return losses;
  }

  /** A named optimizer for {@link #run(List)}. */
  public record Entry(String name, Optimizer<?> optimizer) {}

  /** Runs every optimizer on the same problems. */
  public List<Curve> run(List<Entry> optimizers) {
    List<Curve> out = new ArrayList<>();
    for (Entry e : optimizers) {
      out.add(run(e.name(), e.optimizer()));
    }
    return out;
  }
}
