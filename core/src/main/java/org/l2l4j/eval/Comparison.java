package org.l2l4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.problem.ProblemFamily;

/**
 * The paper's comparison in one call: tune each baseline's learning rate on tuning problems, then
 * run the learned optimizers and the tuned baselines on the same held-out test problems.
 *
 * @param family the test problems
 * @param tuningFamily the problems the baselines are tuned on (the same family, or e.g. the
 *     training split of a data set so that test images are never used for tuning)
 * @param steps N, steps per run (for tuning and test)
 * @param tuningProblems problems per grid point (stream "tune")
 * @param testProblems K, held-out problems (stream "test")
 * @param grid the learning-rate grid
 * @param seed the root seed of both streams
 */
public record Comparison(
    ProblemFamily family,
    ProblemFamily tuningFamily,
    int steps,
    int tuningProblems,
    int testProblems,
    double[] grid,
    long seed) {

  /** A comparison that tunes on the test family's "tune" stream. */
  public Comparison(
      ProblemFamily family, int steps, int tuningProblems, int testProblems, double[] grid, long seed) {
    this(family, family, steps, tuningProblems, testProblems, grid, seed);
  }

  /**
   * The outcome: curves in input order (learned first), and each baseline's tuning result. A
   * baseline that diverged at every grid point has no curve.
   */
  public record Result(List<Curve> curves, Map<String, Tuner.Result> tuning) {

    /** The tuned learning rate of each baseline curve, by curve name. */
    public Map<String, Double> learningRates() {
      Map<String, Double> m = new LinkedHashMap<>();
      for (Map.Entry<String, Tuner.Result> e : tuning.entrySet()) {
        if (!e.getValue().allDiverged()) {
          m.put(e.getKey(), e.getValue().best().learningRate());
        }
      }
      return m;
    }

    /** The baselines that diverged at every grid point (and were not evaluated), in order. */
    public List<String> divergedEverywhere() {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, Tuner.Result> e : tuning.entrySet()) {
        if (e.getValue().allDiverged()) {
          out.add(e.getKey());
        }
      }
      return out;
    }
  }

  /** Progress of a comparison. */
  public interface Listener {
    /**
     * Tuning of baseline {@code name} has finished {@code runsDone} of its {@code runs} runs (grid
     * points times tuning problems). Called one at a time, possibly from a worker thread.
     */
    default void tuning(String name, int runsDone, int runs) {}

    /** A baseline was tuned. */
    default void tuned(String name, Tuner.Result result) {}

    /**
     * Optimizer {@code name} has finished {@code runsDone} of its {@code runs} runs on the test
     * problems. Called one at a time, possibly from a worker thread.
     */
    default void evaluating(String name, int runsDone, int runs) {}

    /** An optimizer was evaluated on the test problems. */
    default void evaluated(Curve curve) {}
  }

  /**
   * Tunes {@code baselines} (learning rates in their specs are ignored) and evaluates them with
   * {@code learned} on the test problems; a baseline that diverged at every grid point is not
   * evaluated.
   */
  public Result run(List<Evaluator.Entry> learned, List<BaselineOptimizer<?>> baselines, Listener listener) {
    return run(learned, baselines, listener, null);
  }

  /** As {@link #run(List, List, Listener)}, with the problems of each run spread over {@code
   * parallel} (may be null); the results do not depend on it. */
  public Result run(List<Evaluator.Entry> learned, List<BaselineOptimizer<?>> baselines,
      Listener listener, org.l2l4j.util.Parallel parallel) {
    return run(learned, baselines, listener, parallel, GridRunner.LOCAL);
  }

  /**
   * As {@link #run(List, List, Listener, org.l2l4j.util.Parallel)}, with each baseline's grid and
   * the test runs done by {@code runner}; the result does not depend on it.
   */
  public Result run(List<Evaluator.Entry> learned, List<BaselineOptimizer<?>> baselines,
      Listener listener, org.l2l4j.util.Parallel parallel, GridRunner runner) {
    Map<String, Tuner.Result> tuning = new LinkedHashMap<>();
    for (BaselineOptimizer<?> b : baselines) {
      Tuner.Result r = Tuner.tuneHorizons(b, grid, tuningFamily, tuningProblems,
          new int[] {steps}, seed, parallel,
          (done, total) -> listener.tuning(b.name(), done, total), runner).get(0);
      tuning.put(b.name(), r);
      listener.tuned(b.name(), r);
    }
    return evaluate(learned, tuning, listener, parallel, runner);
  }

  /**
   * Evaluates {@code learned} and the baselines already tuned in {@code tuning} (by name, e.g.
   * by {@link Tuner#tuneHorizons} for this comparison's steps) on the test problems: the second
   * half of {@link #run(List, List, Listener, org.l2l4j.util.Parallel)}. A baseline that diverged
   * at every grid point is not evaluated.
   *
   * @param parallel where the problems run (may be null); the results do not depend on it
   */
  public Result evaluate(List<Evaluator.Entry> learned, Map<String, Tuner.Result> tuning,
      Listener listener, org.l2l4j.util.Parallel parallel) {
    return evaluate(learned, tuning, listener, parallel, GridRunner.LOCAL);
  }

  /**
   * As {@link #evaluate(List, Map, Listener, org.l2l4j.util.Parallel)}, with the test runs (all
   * optimizers at once) done by {@code runner}; the result does not depend on it.
   */
  public Result evaluate(List<Evaluator.Entry> learned, Map<String, Tuner.Result> tuning,
      Listener listener, org.l2l4j.util.Parallel parallel, GridRunner runner) {
    List<Evaluator.Entry> entries = new ArrayList<>(learned);
    for (Map.Entry<String, Tuner.Result> t : tuning.entrySet()) {
      if (!t.getValue().allDiverged()) {
        entries.add(new Evaluator.Entry(t.getKey(), t.getValue().best()));
      }
    }
    Evaluator ev = new Evaluator(family, testProblems, steps, seed, Evaluator.TEST, parallel);
    List<Curve> curves = new ArrayList<>();
    runner.run(ev, entries, new GridRunner.Listener() {
      @Override
      public void runDone(int entry, int done, int total) {
        listener.evaluating(entries.get(entry).name(), done, total);
      }

      @Override
      public void entryDone(int entry, Curve curve) {
        listener.evaluated(curve);
        curves.add(curve);
      }
    });
    return new Result(curves, new LinkedHashMap<>(tuning));
  }
}
