package org.l2l4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --epochs}, {@code --meta-lr} and (inherited) {@code --threads}: the meta-training flags of
 * {@code demo}; {@link TrainingOptions} adds the rest for {@code train} and {@code mnist}. Each
 * command gives its own defaults.
 */
class BasicTrainingOptions extends ThreadsOption {
  @Option(names = "--epochs", paramLabel = "N", description = "Meta-training epochs (each a fresh"
      + " optimizee). Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--meta-lr", paramLabel = "LR", description = "Learning rate of the outer Adam."
      + " Default: ${DEFAULT-VALUE}.")
  double metaLr;

  /**
   * @param epochs the default of {@code --epochs}
   * @param metaLr the default of {@code --meta-lr}
   */
  BasicTrainingOptions(int epochs, double metaLr) {
    this.epochs = epochs;
    this.metaLr = metaLr;
  }
}
