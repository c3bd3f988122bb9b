package org.l2l4j.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --optimizer FILE|general} (repeatable): the trained optimizers that {@code eval} and
 * {@code suite} evaluate, read by {@link org.l2l4j.learned.OptimizerFile#readFileOrPretrained}.
 */
final class TrainedOptimizerOption {
  @Option(names = "--optimizer", paramLabel = "FILE", description = "A trained optimizer file, or"
      + " 'general': the optimizer shipped in the jar (used when no file of that name exists)."
      + " Repeatable.")
  List<String> optimizers = new ArrayList<>();
}
