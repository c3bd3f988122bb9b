package org.l2l4j.cli;

import picocli.CommandLine.Option;

/** {@code --problem SPEC}: the problem family of {@code train}, {@code demo}, {@code eval}, {@code tune}. */
final class ProblemOption {
  @Option(names = "--problem", paramLabel = "SPEC", description = "Problem family, e.g. quadratic,"
      + " 'quadratic(preset=deepmind)', simple, mnist, 'mlp(hidden=40)'. Default: ${DEFAULT-VALUE}.")
  String problem = "quadratic";
}
