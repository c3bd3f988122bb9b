package org.l2l4j.cli;

import org.l2l4j.eval.Comparison;
import org.l2l4j.problem.ProblemFamily;
import picocli.CommandLine.Option;

/**
 * Flags of the baseline comparison of {@code eval} and {@code tune} ({@code demo} builds one with
 * its {@code --problems}): {@link BaselineOptions} and {@code --steps}.
 */
final class ComparisonOptions extends BaselineOptions {
  @Option(names = "--steps", paramLabel = "N", description = "Steps per run. Default: ${DEFAULT-VALUE}.")
  int steps = 100;

  /** The defaults: 100 test problems, 20 tuning problems per grid point, the default grid. */
  ComparisonOptions() {
    super(100, 20, Workflows.DEFAULT_GRID);
  }

  Comparison comparison(ProblemFamily family) {
    return comparison(family, family);
  }

  /** The comparison on {@code family}, tuning the baselines on {@code tuningFamily}. */
  Comparison comparison(ProblemFamily family, ProblemFamily tuningFamily) {
    if (steps < 1) {
      throw new UserException("--steps must be >= 1, got " + steps);
    }
    if (problems < 1) {
      throw new UserException("--problems must be >= 1, got " + problems);
    }
    if (tuneProblems < 1) {
      throw new UserException("--tune-problems must be >= 1, got " + tuneProblems);
    }
    return new Comparison(family, tuningFamily, steps, tuneProblems, problems,
        Workflows.grid(grid), evalSeed);
  }
}
