package org.l2l4j.cli;

import picocli.CommandLine.Option;

/** {@code --quiet}: no progress on standard error. */
final class QuietOption {
  @Option(names = "--quiet", description = "No progress on standard error; warnings, errors and"
      + " results are still printed.")
  boolean quiet;
}
