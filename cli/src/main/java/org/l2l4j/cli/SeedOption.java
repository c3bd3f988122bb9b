package org.l2l4j.cli;

import picocli.CommandLine.Option;

/** {@code --seed S}: the root seed of meta-training ({@code train}, {@code demo}, {@code mnist}). */
final class SeedOption {
  @Option(names = "--seed", paramLabel = "S", description = "Root seed of meta-training. Default: ${DEFAULT-VALUE}.")
  long seed = 1;
}
