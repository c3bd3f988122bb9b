package org.l2l4j.cli;

import picocli.CommandLine;

/**
 * The {@code l2l4j} command with the DJL module's subcommands {@code conv} ({@link ConvCommand}),
 * {@code easytrain} ({@link EasyTrainCommand}) and {@code art} ({@link ArtCommand}) added: the main
 * class of {@code djl/target/l2l4j-djl.jar}, which the {@code l2l4j} launcher runs for {@code l2l4j
 * conv ...}, {@code l2l4j easytrain ...} and {@code l2l4j art ...}. It lives in the cli's package (a split package on the class path) so
 * that they reuse the other commands' options and reports without making them public.
 */
public final class DjlMain {
  private DjlMain() {}

  /** The command line of {@link Main#commandLine()} plus {@code conv}, {@code easytrain} and {@code art}. */
  public static CommandLine commandLine() {
    CommandLine cl = Main.commandLine();
    cl.addSubcommand("conv", new CommandLine(new ConvCommand()));
    cl.addSubcommand("easytrain", new CommandLine(new EasyTrainCommand()));
    cl.addSubcommand("art", new CommandLine(new ArtCommand()));
    return cl;
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
