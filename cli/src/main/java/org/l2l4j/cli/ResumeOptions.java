package org.l2l4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --resume} and {@code --checkpoint-every E} of the commands that meta-train with
 * checkpoints ({@code train}, {@code mnist}); each command's description says what must match.
 */
final class ResumeOptions {
  @Option(names = "--checkpoint-every", paramLabel = "E", description = "Write a checkpoint every E epochs. Default: ${DEFAULT-VALUE}.")
  int checkpointEvery;

  @Option(names = "--resume", description = "Continue meta-training exactly from the checkpoint in"
      + " --out (the same settings; see above).")
  boolean resume;

  /**
   * @param checkpointEvery the default of {@code --checkpoint-every}
   */
  ResumeOptions(int checkpointEvery) {
    this.checkpointEvery = checkpointEvery;
  }

  /**
   * What {@link RunFolder#open} does with an earlier run's results: keep them with {@code
   * --resume}, else as {@code output} says.
   *
   * @throws UserException if both {@code --resume} and {@code --overwrite} are given
   */
  RunFolder.Existing existing(OutputOptions output) {
    if (resume && output.overwrite) {
      throw new UserException("--resume and --overwrite exclude each other");
    }
    return resume ? RunFolder.Existing.KEEP : output.existing();
  }

  /** Checks the interval; a bad one is reported by the flag's name. */
  void check() {
    if (checkpointEvery < 1) {
      throw new UserException("--checkpoint-every must be >= 1, got " + checkpointEvery);
    }
  }
}
