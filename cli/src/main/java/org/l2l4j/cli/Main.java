package org.l2l4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.l2l4j.util.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code l2l4j} command. */
@Command(
    name = "l2l4j",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "Learned optimizers: meta-train a coordinatewise LSTM optimizer (Andrychowicz et al. 2016) and"
          + " compare it with tuned SGD, RMSprop, Adam and NAG.",
      "The commands conv (the paper's conv-net experiment) and easytrain (a learned optimizer in"
          + " DJL's own training loop) come with the DJL module, which the l2l4j launcher builds"
          + " and runs for them: ./l2l4j conv --help."
    },
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      TuneCommand.class,
      MnistCommand.class,
      SuiteCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Prints the version. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"l2l4j " + Version.get() + " (Java " + Runtime.version() + ")"};
    }
  }

  /** The command line with l2l4j's error handling: one line per error, non-zero exit. */
  public static CommandLine commandLine() {
    System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("l2l4j: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (outOfMemory(ex)) {
            err.println(OUT_OF_MEMORY.get());
          } else if (ex instanceof java.nio.file.FileSystemException fse) {
            err.println("l2l4j: error: " + (fse.getFile() != null ? fse.getFile() + ": " : "")
                + org.l2l4j.util.AtomicFiles.reason(fse));
          } else if (ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException
              || ex instanceof java.io.IOException || ex instanceof UserException) {
            err.println("l2l4j: error: " + ex.getMessage());
          } else {
            err.println("l2l4j: internal error: " + ex);
            if (System.getenv("L2L4J_DEBUG") != null) {
              ex.printStackTrace(err);
            } else {
              err.println("(set L2L4J_DEBUG=1 for the stack trace)");
            }
          }
          err.flush();
          return 1;
        });
    // an OutOfMemoryError is an Error, not an Exception: catch it around the command as well
    CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
    cl.setExecutionStrategy(
        parseResult -> {
          try {
            return run.execute(parseResult);
          } catch (OutOfMemoryError e) {
            PrintWriter err = parseResult.commandSpec().commandLine().getErr();
            err.println(OUT_OF_MEMORY.get());
            err.flush();
            return 1;
          }
        });
    return cl;
  }

  /**
   * The last-resort message for an {@link OutOfMemoryError} ({@link HeapCheck} refuses the known
   * large settings before a run starts): one line with the heap size.
   */
  static final java.util.function.Supplier<String> OUT_OF_MEMORY =
      () -> "l2l4j: error: out of memory (heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
          + " MB); use fewer problems or steps or a shorter --unroll, or raise the heap"
          + " (L2L4J_JAVA_OPTS=-Xmx16g)";

  /** Whether {@code ex} is, or was caused by, an {@link OutOfMemoryError} (e.g. in a worker). */
  static boolean outOfMemory(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  /** Entry point. */
  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
