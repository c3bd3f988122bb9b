package org.l2l4j.eval;

import java.util.ArrayList;
import java.util.List;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.problem.ProblemFamily;

/**
 * Grid search of a baseline's learning rate (SPEC §6): each candidate runs on the same tuning
 * problems (stream "tune" of the seed, disjoint from the test problems) and the one with the
 * lowest mean final loss wins. A candidate whose mean loss diverged ({@link Curve#diverged}: the
 * final mean is not finite or above the mean at step 0) is skipped; when every candidate
 * diverged there is no winner ({@link Result#allDiverged}).
 */
public final class Tuner {
  /** The default grid: 10^-4 to 10^1 in half-decade steps (the demo's, eval's and tune's). */
  public static final double[] DEFAULT_GRID = {
    1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1, 3, 10
  };

  /** The MNIST grid: {@link #DEFAULT_GRID} from 10^-3 (smaller rates barely move a net in 100 steps). */
  public static final double[] MNIST_GRID = java.util.Arrays.copyOfRange(DEFAULT_GRID, 2,
      DEFAULT_GRID.length);

  /** A grid as the comma-separated text that the {@code --grid} flag takes ({@code 1e-4,3e-4,...}). */
  public static String gridText(double[] grid) {
    StringBuilder sb = new StringBuilder();
    for (double g : grid) {
      sb.append(sb.length() == 0 ? "" : ",").append(org.l2l4j.util.Spec.fmt(g));
    }
    return sb.toString();
  }

  /**
   * One grid point's score.
   *
   * @param learningRate the candidate
   * @param finalLoss the mean loss at the last step (+∞ when not finite)
   * @param diverged whether the point was skipped as diverged
   */
  public record Point(double learningRate, double finalLoss, boolean diverged) {}

  /**
   * The result.
   *
   * @param best the winner, or null when every point diverged
   * @param bestFinalLoss the winner's mean final loss (+∞ when there is none)
   * @param grid every point, in grid order
   */
  public record Result(BaselineOptimizer<?> best, double bestFinalLoss, List<Point> grid) {
    /** Whether every grid point diverged, so that no learning rate was chosen. */
    public boolean allDiverged() {
      return best == null;
    }

    /** The learning rates of the diverged points, in grid order. */
    public List<Double> divergedRates() {
      List<Double> out = new ArrayList<>();
      for (Point p : grid) {
        if (p.diverged()) {
          out.add(p.learningRate());
        }
      }
      return out;
    }
  }

  private Tuner() {}

  /** Tunes {@code base}'s learning rate over {@code grid}. */
  public static Result tune(
      BaselineOptimizer<?> base, double[] grid, ProblemFamily family, int problems, int steps, long seed) {
    return tune(base, grid, family, problems, steps, seed, null);
  }

  /** As {@link #tune(BaselineOptimizer, double[], ProblemFamily, int, int, long)}, problems run on
   * {@code parallel} (may be null). */
  public static Result tune(BaselineOptimizer<?> base, double[] grid, ProblemFamily family,
      int problems, int steps, long seed, org.l2l4j.util.Parallel parallel) {
    return tune(base, grid, family, problems, steps, seed, parallel, Evaluator.RunListener.NONE);
  }

  /**
   * As {@link #tune(BaselineOptimizer, double[], ProblemFamily, int, int, long,
   * org.l2l4j.util.Parallel)}, telling {@code progress} of each finished run, counted over the
   * whole grid ({@code grid.length * problems} runs).
   */
  public static Result tune(BaselineOptimizer<?> base, double[] grid, ProblemFamily family,
      int problems, int steps, long seed, org.l2l4j.util.Parallel parallel,
      Evaluator.RunListener progress) {
    return tuneHorizons(base, grid, family, problems, new int[] {steps}, seed, parallel, progress)
        .get(0);
  }

  /**
   * Tunes {@code base}'s learning rate for several horizons from the same runs: each grid point
   * runs once for the longest horizon H_max on the tuning problems, and for each horizon H the
   * winner is chosen as {@link #tune} would choose it for runs of H steps, by the mean loss at
   * step H among the points whose mean at step H is finite and not above the start. A run of
   * H_max steps contains its first H steps exactly (a baseline's update does not depend on the
   * run's length), so the result for each H is the one {@link #tune} gives with {@code steps = H}.
   *
   * @param horizons the horizons, each at least 1, in any order
   * @param progress told of each finished run, counted over the whole grid ({@code grid.length
   *     * problems} runs of H_max steps)
   * @return one result per horizon, in the order of {@code horizons}
   */
  public static List<Result> tuneHorizons(BaselineOptimizer<?> base, double[] grid,
      ProblemFamily family, int problems, int[] horizons, long seed,
      org.l2l4j.util.Parallel parallel, Evaluator.RunListener progress) {
    return tuneHorizons(base, grid, family, problems, horizons, seed, parallel, progress,
        GridRunner.LOCAL);
  }

  /**
   * As {@link #tuneHorizons(BaselineOptimizer, double[], ProblemFamily, int, int[], long,
   * org.l2l4j.util.Parallel, Evaluator.RunListener)}, with the grid's runs (all points at once)
   * done by {@code runner}; the result does not depend on it.
   */
  public static List<Result> tuneHorizons(BaselineOptimizer<?> base, double[] grid,
      ProblemFamily family, int problems, int[] horizons, long seed,
      org.l2l4j.util.Parallel parallel, Evaluator.RunListener progress, GridRunner runner) {
    if (horizons.length == 0) {
      throw new IllegalArgumentException("need at least one horizon");
    }
    int longest = 0;
    for (int h : horizons) {
      if (h < 1) {
        throw new IllegalArgumentException("horizons must be >= 1, got " + h);
      }
      longest = Math.max(longest, h);
    }
    int runs = grid.length * problems;
    Evaluator ev = new Evaluator(family, problems, longest, seed, Evaluator.TUNE, parallel);
    int hs = horizons.length;
    BaselineOptimizer<?>[] best = new BaselineOptimizer<?>[hs];
    double[] bestScore = new double[hs];
    java.util.Arrays.fill(bestScore, Double.POSITIVE_INFINITY);
    List<List<Point>> points = new ArrayList<>();
    for (int j = 0; j < hs; j++) {
      points.add(new ArrayList<>());
    }
    int top = longest;
    List<Evaluator.Entry> candidates = new ArrayList<>();
    for (double lr : grid) {
      BaselineOptimizer<?> opt = base.withLearningRate(lr);
      candidates.add(new Evaluator.Entry(opt.spec(), opt));
    }
    runner.run(ev, candidates, new GridRunner.Listener() {
      @Override
      public void runDone(int entry, int done, int total) {
        progress.problemDone(entry * problems + done, runs);
      }

      @Override
      public void entryDone(int entry, Curve full) {
        double lr = grid[entry];
        BaselineOptimizer<?> opt = (BaselineOptimizer<?>) candidates.get(entry).optimizer();
        for (int j = 0; j < hs; j++) {
          Curve c = horizons[j] == top ? full : full.prefix(horizons[j]);
          double score = c.meanAt(horizons[j]);
          if (!Double.isFinite(score)) {
            score = Double.POSITIVE_INFINITY;
          }
          boolean diverged = c.diverged();
          points.get(j).add(new Point(lr, score, diverged));
          if (!diverged && (best[j] == null || score < bestScore[j])) {
            bestScore[j] = score;
            best[j] = opt;
          }
        }
      }
    });
    List<Result> out = new ArrayList<>();
    for (int j = 0; j < hs; j++) {
      out.add(new Result(best[j], bestScore[j], List.copyOf(points.get(j))));
    }
    return List.copyOf(out);
  }
}
