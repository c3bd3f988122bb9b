package org.l2l4j.cli;

import org.l2l4j.eval.Comparison;
import org.l2l4j.problem.ProblemFamily;
import picocli.CommandLine.Option;

/** Flags of the baseline comparison, shared by {@code eval}, {@code tune} and {@code demo}. */
final class ComparisonOptions {
  @Option(names = "--baselines", paramLabel = "LIST", description = "Comma-separated hand-designed"
      + " optimizers whose learning rate is tuned on the grid, e.g. 'sgd,rmsprop,adam,nag' or"
      + " 'adam(b1=0.8),nag'; 'none' for no baseline. Default: ${DEFAULT-VALUE}.")
  String baselines = "sgd,rmsprop,adam,nag";

  @Option(names = "--grid", paramLabel = "LRS", description = "Learning-rate grid for the baselines. Default: ${DEFAULT-VALUE}.")
  String grid = Workflows.DEFAULT_GRID;

  @Option(names = "--steps", paramLabel = "N", description = "Steps per run. Default: ${DEFAULT-VALUE}.")
  int steps = 100;

  @Option(names = "--problems", paramLabel = "K", description = "Held-out test problems. Default: ${DEFAULT-VALUE}.")
  int problems = 100;

  @Option(names = "--tune-problems", paramLabel = "K", description = "Problems per grid point when tuning (a stream disjoint from the test problems). Default: ${DEFAULT-VALUE}.")
  int tuneProblems = 20;

  @Option(names = "--eval-seed", paramLabel = "S", description = "Seed of the tuning and test problems. Default: ${DEFAULT-VALUE}.")
  long evalSeed = 1000;

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
