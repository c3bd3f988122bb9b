package org.l2l4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --problems K}: how many held-out test problems an evaluation runs ({@code demo}; with
 * {@link BaselineOptions} {@code eval}, {@code tune} and {@code mnist}). Each command gives its
 * own default.
 */
class ProblemsOption {
  @Option(names = "--problems", paramLabel = "K", description = "Held-out test problems (fresh"
      + " nets for mnist and mlp problems). Default: ${DEFAULT-VALUE}.")
  int problems;

  /**
   * @param problems the default of {@code --problems}
   */
  ProblemsOption(int problems) {
    this.problems = problems;
  }
}
