package org.l2l4j.cli;

import org.l2l4j.optim.Adam;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.util.SpecException;
import picocli.CommandLine.Option;

/**
 * {@code --epochs}, {@code --meta-lr}, {@code --meta-optimizer}, {@code --meta-batch} and
 * (inherited) {@code --threads}:
 * the meta-training flags of {@code demo}; {@link TrainingOptions} adds the rest for {@code train}
 * and {@code mnist}. Each command gives its own defaults.
 */
class BasicTrainingOptions extends ThreadsOption {
  @Option(names = "--epochs", paramLabel = "N", description = "Meta-training epochs (each a fresh"
      + " optimizee). Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--meta-lr", paramLabel = "LR", description = "Learning rate of the default"
      + " outer optimizer, Adam (refused with --meta-optimizer). Default: 0.001 for train and mnist"
      + " (the official code's), 0.003 for demo, 0.0001 for art's fine-tuning (its default, or"
      + " any --init-from).")
  Double metaLr;

  @Option(names = "--meta-optimizer", paramLabel = "OPT", description = "The outer optimizer"
      + " that updates the learned optimizer's weights: any of sgd, nag, rmsprop, adam with its"
      + " settings, e.g. 'adam(lr=0.001,b1=0.9)' or 'nag(lr=1e-4,momentum=0.9)'; a missing lr is"
      + " the --meta-lr default. Default: 'adam' at --meta-lr.")
  String metaOptimizer;

  @Option(names = "--meta-batch", paramLabel = "B", description = "Optimizees per meta-update:"
      + " each meta-update applies the mean of the meta-gradients of B optimizees (distinct seed"
      + " streams) run through the same unroll in parallel over --threads; one epoch runs B"
      + " optimizees. The weights are the same bits for any --threads. Default: 1 (the paper's).")
  int metaBatch = 1;

  /** The meta learning rate when neither --meta-lr nor an lr in --meta-optimizer is given. */
  double defaultMetaLr;

  /**
   * @param epochs the default of {@code --epochs}
   * @param metaLr the default meta learning rate (of {@code --meta-lr}, and of a
   *     {@code --meta-optimizer} without an lr)
   */
  BasicTrainingOptions(int epochs, double metaLr) {
    this.epochs = epochs;
    this.defaultMetaLr = metaLr;
  }

  /** The meta learning rate in use: the flag's, or the default (for messages and notes). */
  double metaLearningRate() {
    return metaLr != null ? metaLr : defaultMetaLr;
  }

  /** The outer optimizer: --meta-optimizer, or Adam at --meta-lr; both given is refused. */
  BaselineOptimizer<?> outer() {
    if (metaOptimizer != null) {
      if (metaLr != null) {
        throw new UserException("give --meta-lr or --meta-optimizer, not both (--meta-lr is the"
            + " learning rate of the default Adam; put lr=... into --meta-optimizer)");
      }
      try {
        return Optimizers.parseBaseline(metaOptimizer, defaultMetaLr);
      } catch (SpecException e) {
        throw new UserException("--meta-optimizer: " + e.getMessage());
      }
    }
    double lr = metaLearningRate();
    if (!(lr > 0 && Double.isFinite(lr))) {
      throw new UserException("--meta-lr must be finite and > 0, got " + lr);
    }
    return new Adam(lr);
  }
}
