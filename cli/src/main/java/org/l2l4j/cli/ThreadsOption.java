package org.l2l4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --threads N}: worker threads; results do not depend on them. A mixin of {@code demo} and
 * {@code eval}, and through {@link TrainingOptions} of {@code train} and {@code mnist}.
 */
class ThreadsOption {
  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (results do not"
      + " depend on them). Default: available processors.")
  int threads = Runtime.getRuntime().availableProcessors();
}
