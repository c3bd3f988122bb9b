package org.l2l4j.cli;

import picocli.CommandLine.Option;

/**
 * The baselines, their learning-rate grid and the tuning and test problems: the comparison flags
 * of {@code mnist}; {@link ComparisonOptions} adds {@code --steps} for {@code eval} and
 * {@code tune}. Each command gives its own defaults.
 */
class BaselineOptions extends ProblemsOption {
  @Option(names = "--baselines", paramLabel = "LIST", description = "Comma-separated hand-designed"
      + " optimizers whose learning rate is tuned on the grid, e.g. 'sgd,rmsprop,adam,nag' or"
      + " 'adam(b1=0.8),nag'; 'none' for no baseline. Default: ${DEFAULT-VALUE}.")
  String baselines = "sgd,rmsprop,adam,nag";

  @Option(names = "--grid", paramLabel = "LRS", description = "Learning-rate grid for the"
      + " baselines. Default: ${DEFAULT-VALUE}.")
  String grid;

  @Option(names = "--tune-problems", paramLabel = "K", description = "Problems per grid point when"
      + " tuning (a stream disjoint from the test problems; for mnist and mlp problems the"
      + " training images). Default: ${DEFAULT-VALUE}.")
  int tuneProblems;

  @Option(names = "--eval-seed", paramLabel = "S", description = "Seed of the tuning and test"
      + " problems. Default: ${DEFAULT-VALUE}.")
  long evalSeed = 1000;

  /**
   * @param problems the default of {@code --problems}
   * @param tuneProblems the default of {@code --tune-problems}
   * @param grid the default of {@code --grid}
   */
  BaselineOptions(int problems, int tuneProblems, String grid) {
    super(problems);
    this.tuneProblems = tuneProblems;
    this.grid = grid;
  }
}
