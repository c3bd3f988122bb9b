package org.l2l4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --out DIR} and {@code --overwrite}: the folder a command writes its results into, and
 * whether an earlier run's results there may be deleted ({@link RunFolder}).
 */
final class OutputOptions {
  @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--overwrite", description = "Delete the results of an earlier run in --out"
      + " (checkpoints included) and start afresh; without it such a folder is refused.")
  boolean overwrite;

  /**
   * @param command the command's name: the default folder is {@code l2l4j-out/<command>}
   */
  OutputOptions(String command) {
    out = Path.of("l2l4j-out", command);
  }

  /** What {@link RunFolder#open} does with an earlier run's results: delete or refuse them. */
  RunFolder.Existing existing() {
    return overwrite ? RunFolder.Existing.OVERWRITE : RunFolder.Existing.REFUSE;
  }
}
