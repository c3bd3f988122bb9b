package org.l2l4j.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The l2l4j command in child JVMs, for the tests that need real processes (kills, locks, class
 * paths): each child runs {@link Main} with the test class path (plus extra entries), a small
 * heap, the Vector API module, and its standard output and error in {@code dir/NAME.out} and
 * {@code dir/NAME.err}. {@link #killAll} ends every child still running.
 */
final class ChildJvms {
  private final Path dir;
  private final List<Process> children = new ArrayList<>();

  /** @param dir where the children's output files go */
  ChildJvms(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts {@code l2l4j ARGS} in a child JVM.
   *
   * @param name the output files' base name
   * @param jvmOptions extra JVM options (system properties), before the main class
   * @param extraClassPath entries appended to the class path (may be empty)
   * @param args the command line
   */
  Process start(String name, List<String> jvmOptions, List<Path> extraClassPath,
      List<String> args) throws IOException {
    StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
    for (Path p : extraClassPath) {
      cp.append(File.pathSeparator).append(p);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xmx256m", "-XX:+UseSerialGC",
        "-Djava.awt.headless=true"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", cp.toString(), Main.class.getName()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile())
        .start();
    children.add(p);
    return p;
  }

  /** How many children were started. */
  int started() {
    return children.size();
  }

  /** A child's standard output so far. */
  String out(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".out"));
  }

  /** A child's standard error so far. */
  String err(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".err"));
  }

  /** Kills every child still running. */
  void killAll() {
    for (Process p : children) {
      p.destroyForcibly();
    }
  }
}
