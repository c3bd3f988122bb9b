package org.l2l4j.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.l2l4j.learned.OptimizerFile;

/**
 * A meta-training in a second JVM beside this one: the same java, class path and JVM options,
 * running {@link DjlMain} with the given arguments, its progress and errors on this process's
 * standard error. DJL allows one gradient computation at a time per JVM ({@link
 * org.l2l4j.djl.DjlEngine#LOCK}), so two meta-trainings on DJL problems only run side by side in
 * two processes. The child is stopped when this process ends or {@link #stop()} is called; its
 * checkpoints are written atomically, so a stop loses at most the epochs since the last one.
 */
final class SideProcess {
  private final Process process;
  private final Path dir;
  private final Thread hook;

  private SideProcess(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
    this.hook = new Thread(process::destroy, "l2l4j-stop-side-process");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code DjlMain args} in a second JVM that writes its optimizer file into {@code dir}.
   *
   * @throws UserException with one line if the JVM cannot be started
   */
  static SideProcess start(List<String> args, Path dir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // a debugger port, an agent or a flight recording belong to this JVM only
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrun")
          && !a.startsWith("-Xdebug") && !a.startsWith("-XX:StartFlightRecording")
          && !a.startsWith("-XX:FlightRecorderOptions")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DjlMain.class.getName());
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return new SideProcess(p, dir);
    } catch (IOException e) {
      throw new UserException("cannot start a second java process for meta-training beside this"
          + " one (" + e.getMessage() + "); run with --threads 1 to meta-train one after the"
          + " other");
    }
  }

  /**
   * Waits for the child and reads the optimizer file it wrote.
   *
   * @param what names the training in an error (e.g. "meta-training LSTM-sub")
   * @throws UserException with one line if the child failed (its own error is above it)
   */
  OptimizerFile.Loaded await(String what) throws InterruptedException {
    int rc = process.waitFor();
    Path file = dir.resolve(Workflows.OPTIMIZER_FILE);
    if (rc != 0 || !Files.isRegularFile(file)) {
      throw new UserException(what + " (a second java process) failed with exit code " + rc
          + (rc == 0 ? " and wrote no " + file : "; its error is printed above"));
    }
    return OptimizerFile.read(file);
  }

  /** Stops the child if it still runs (it checkpointed atomically), and forgets the hook. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // this JVM is shutting down: the hook stops the child anyway
    }
  }
}
