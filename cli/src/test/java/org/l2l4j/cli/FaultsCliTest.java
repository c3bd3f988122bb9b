package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.util.AtomicFiles;
import picocli.CommandLine;

/**
 * Resource limits and file-system faults at the command line: settings that cannot fit the heap
 * are refused before anything runs, with the flag and the estimate; devices and links to them
 * given as files; a full disk during each file the commands write; the last-resort handler of an
 * {@link OutOfMemoryError}. Every case ends in one {@code l2l4j: error:} line and exit code 1.
 */
class FaultsCliTest {
  /** Refusals come before any work: well under this. */
  static final Duration QUICK = Duration.ofSeconds(20);

  @TempDir Path dir;

  @AfterEach
  void clearHookAndLinks() throws IOException {
    System.clearProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Runs a command line (OUT stands for a folder that must not be created) and checks the one line. */
  private String oneLineError(String line) {
    Path out = dir.resolve("out");
    String[] args = line.replace("OUT", out.toString()).split(" ");
    CliTest.Run r = assertTimeoutPreemptively(QUICK, () -> CliTest.run(args));
    assertThat(r.code()).as(line + "\n" + r.err()).isEqualTo(1);
    assertThat(r.out()).as(line).isEmpty();
    assertThat(r.err().split("\\R")).as(line).hasSize(1);
    assertThat(r.err()).as(line).startsWith("l2l4j: error: ").doesNotContain("Exception");
    return r.err().strip();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "--validation-problems 1000000000 needs about |train --validation-problems 1000000000 --out OUT",
    "--validation-problems 2147483647 needs 2147483647 values in one array|train --validation-problems 2147483647 --out OUT",
    "--steps 2000000000 needs about |train --steps 2000000000 --out OUT",
    "--unroll 100000000 needs about |train --steps 100000000 --unroll 100000000 --out OUT",
    "--problems 2147483647 needs 2147483647 values in one array|eval --problems 2147483647 --baselines sgd --out OUT",
    "--problems 1000000000 needs about |eval --problems 1000000000 --baselines sgd --out OUT",
    "--steps 2000000000 needs about |eval --steps 2000000000 --baselines sgd --out OUT",
    "--steps 2147483647 needs 2147483648 values in one array|eval --steps 2147483647 --baselines sgd --out OUT",
    "--tune-problems 1000000000 needs about |tune --tune-problems 1000000000 --baselines sgd",
    "--problems 1000000000 needs about |demo --problems 1000000000 --epochs 1 --out OUT",
  })
  void settingsThatCannotFitTheHeapAreRefusedBeforeTheRun(String line) {
    String[] parts = line.split("\\|", 2);
    String err = oneLineError(parts[1]);
    assertThat(err).startsWith("l2l4j: error: " + parts[0]);
    if (err.contains("needs about")) {
      assertThat(err).contains("free heap ").endsWith("lower it or raise the heap (L2L4J_JAVA_OPTS=-Xmx16g)");
    } else {
      assertThat(err).contains("more than Java allows");
    }
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void refusalNamesTheEstimateAndTheHeap() {
    var e = org.l2l4j.meta.MemoryEstimate.training(org.l2l4j.problem.Problems.parse("quadratic"),
        org.l2l4j.learned.LstmConfig.parse("lstm(preset=quadratic)"),
        new org.l2l4j.meta.MetaTrainerConfig(10, 100, 20, 0.001, 0, 10, 1_000_000, 1, 1, 5));
    long gb = 1L << 30;
    assertThat(HeapCheck.refusal(e, 100 * gb, 200 * gb)).isNull();
    assertThat(HeapCheck.refusal(e, gb / 4, 2 * gb)).matches(
        "--validation-problems 1000000 needs about 7[0-9]{2} MB of memory, 7[0-9]{2} MB of it for"
            + " the validation losses \\(1000000 problems x 101 steps\\) \\(free heap 256 MB of"
            + " 2\\.0 GB\\); lower it or raise the heap \\(L2L4J_JAVA_OPTS=-Xmx16g\\)");
  }

  // ------------------------------------------------------------------ devices and links as files

  @Test
  void deviceOrLinkToADeviceAsOptimizerFileIsRefusedAtOnce() throws IOException {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "needs /dev/zero (Linux)");
    assertThat(oneLineError("eval --baselines none --optimizer /dev/zero --out OUT"))
        .isEqualTo("l2l4j: error: /dev/zero: not a regular file (a device, pipe or socket)");
    Path link = Files.createSymbolicLink(dir.resolve("optimizer.json"), zero);
    assertThat(oneLineError("eval --baselines none --optimizer " + link + " --out OUT"))
        .isEqualTo("l2l4j: error: " + link
            + ": not a regular file (a device, pipe or socket, a link to /dev/zero)");
    assertThat(oneLineError("eval --baselines none --optimizer " + dir + " --out OUT"))
        .isEqualTo("l2l4j: error: " + dir + ": not a regular file (a folder)");
  }

  @Test
  void checkpointLinkedToADeviceIsRefusedAtOnce() throws IOException {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "needs /dev/zero (Linux)");
    Path run = Files.createDirectories(dir.resolve("run"));
    Path ckpt = Files.createSymbolicLink(run.resolve("checkpoint.ckpt"), zero);
    assertThat(oneLineError("train --epochs 2 --steps 4 --unroll 2 --out " + run + " --resume --quiet"))
        .isEqualTo("l2l4j: error: " + ckpt
            + ": not a regular file (a device, pipe or socket, a link to /dev/zero)");
  }

  // ------------------------------------------------------------------ a full disk

  @ParameterizedTest
  @ValueSource(strings = {"0:checkpoint.ckpt", "50:checkpoint.ckpt", "0:optimizer.json",
      "100:optimizer.json"})
  void fullDiskDuringTrainingNamesTheFileAndLeavesNoTemporary(String hook) throws IOException {
    Path out = dir.resolve("t");
    System.setProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY, hook);
    String err = oneLineError("train --epochs 2 --steps 4 --unroll 2 --validation-problems 1"
        + " --out " + out + " --quiet");
    String file = hook.substring(hook.indexOf(':') + 1);
    assertThat(err).isEqualTo("l2l4j: error: cannot write " + out.resolve(file)
        + ": No space left on device");
    assertNoTemporary(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"curves.csv", "summary.json", "plot.png", "index.html"})
  void fullDiskDuringAReportNamesTheFileAndLeavesNoTemporary(String file) throws IOException {
    Path out = dir.resolve("r");
    System.setProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY, "10:" + file);
    String err = oneLineError("eval --baselines sgd --grid 0.001 --steps 3 --problems 2"
        + " --tune-problems 1 --out " + out + " --quiet");
    assertThat(err).isEqualTo("l2l4j: error: cannot write " + out.resolve(file)
        + ": No space left on device");
    assertNoTemporary(out);
  }

  static void assertNoTemporary(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      List<String> names = s.map(p -> p.getFileName().toString()).toList();
      assertThat(names).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  // ------------------------------------------------------------------ out of memory, last resort

  @CommandLine.Command(name = "oom")
  static final class OutOfMemory implements Callable<Integer> {
    @CommandLine.Option(names = "--in-worker")
    boolean inWorker;

    @Override
    public Integer call() {
      OutOfMemoryError e = new OutOfMemoryError("Java heap space");
      if (inWorker) {
        throw new IllegalStateException(e); // as Parallel rethrows a worker's error
      }
      throw e;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"oom", "oom --in-worker"})
  void outOfMemoryIsOneLine(String line) {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cl = Main.commandLine();
    cl.addSubcommand("oom", new OutOfMemory());
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
    int code = cl.execute(line.split(" "));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().split("\\R")).hasSize(1);
    assertThat(err.toString()).startsWith("l2l4j: error: out of memory (heap ")
        .contains(Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)");
  }
}
