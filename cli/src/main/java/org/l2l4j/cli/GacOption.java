package org.l2l4j.cli;

import picocli.CommandLine.Option;

/** {@code --gac G}: also meta-train an LSTM with global averaging cells ({@code demo}, {@code mnist}). */
final class GacOption {
  @Option(names = "--gac", paramLabel = "G", description = "Also meta-train an LSTM with G global"
      + " averaging cells per layer (paper appendix; same settings) and include it in the"
      + " comparison as 'lstm+gac'. Default: ${DEFAULT-VALUE} (none).")
  int gac = 0;
}
