package org.l2l4j.eval;

import java.util.ArrayList;
import java.util.List;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.problem.ProblemFamily;

/**
 * Grid search of a baseline's learning rate (SPEC §6): each candidate runs on the same tuning
 * problems (stream "tune" of the seed, disjoint from the test problems) and the one with the
 * lowest mean final loss wins; a candidate with any non-finite final loss scores +∞.
 */
public final class Tuner {
  /** The default grid: 10^-4 to 10^1 in half-decade steps. */
  public static final double[] DEFAULT_GRID = {
    1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1, 3, 10
  };

  /** One grid point's score. */
  public record Point(double learningRate, double finalLoss) {}

  /** The result: the winner and every point. */
  public record Result(BaselineOptimizer best, double bestFinalLoss, List<Point> grid) {}

  private Tuner() {}

  /** Tunes {@code base}'s learning rate over {@code grid}. */
  public static Result tune(
      BaselineOptimizer base, double[] grid, ProblemFamily family, int problems, int steps, long seed) {
    return tune(base, grid, family, problems, steps, seed, null);
  }

  /** As {@link #tune(BaselineOptimizer, double[], ProblemFamily, int, int, long)}, problems run on
   * {@code parallel} (may be null). */
  public static Result tune(BaselineOptimizer base, double[] grid, ProblemFamily family,
      int problems, int steps, long seed, org.l2l4j.util.Parallel parallel) {
    return tune(base, grid, family, problems, steps, seed, parallel, Evaluator.RunListener.NONE);
  }

  /**
   * As {@link #tune(BaselineOptimizer, double[], ProblemFamily, int, int, long,
   * org.l2l4j.util.Parallel)}, telling {@code progress} of each finished run, counted over the
   * whole grid ({@code grid.length * problems} runs).
   */
  public static Result tune(BaselineOptimizer base, double[] grid, ProblemFamily family,
      int problems, int steps, long seed, org.l2l4j.util.Parallel parallel,
      Evaluator.RunListener progress) {
    int runs = grid.length * problems;
    Evaluator ev = new Evaluator(family, problems, steps, seed, Evaluator.TUNE, parallel);
    BaselineOptimizer best = null;
    double bestScore = Double.POSITIVE_INFINITY;
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < grid.length; i++) {
      double lr = grid[i];
      int before = i * problems;
      BaselineOptimizer opt = base.withLearningRate(lr);
      Curve c = ev.run(opt.spec(), opt, (done, total) -> progress.problemDone(before + done, runs));
      double score = c.meanAt(steps);
      if (!Double.isFinite(score)) {
        score = Double.POSITIVE_INFINITY;
      }
      points.add(new Point(lr, score));
      if (score < bestScore || best == null) {
        if (score < bestScore) {
          bestScore = score;
        }
        best = opt;
      }
    }
    return new Result(best, bestScore, points);
  }
}
