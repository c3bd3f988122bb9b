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
    int runs = grid.length * problems;
    Evaluator ev = new Evaluator(family, problems, steps, seed, Evaluator.TUNE, parallel);
    BaselineOptimizer<?> best = null;
    double bestScore = Double.POSITIVE_INFINITY;
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < grid.length; i++) {
      double lr = grid[i];
      int before = i * problems;
      BaselineOptimizer<?> opt = base.withLearningRate(lr);
      Curve c = ev.run(opt.spec(), opt, (done, total) -> progress.problemDone(before + done, runs));
      double score = c.meanAt(steps);
      if (!Double.isFinite(score)) {
        score = Double.POSITIVE_INFINITY;
      }
      boolean diverged = c.diverged();
      points.add(new Point(lr, score, diverged));
      if (!diverged && (best == null || score < bestScore)) {
        bestScore = score;
        best = opt;
      }
    }
    return new Result(best, bestScore, List.copyOf(points));
  }
}
