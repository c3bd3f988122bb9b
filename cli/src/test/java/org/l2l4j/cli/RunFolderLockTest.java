package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.l2l4j.learned.OptimizerFile;

/**
 * The run folder lock across processes: while one {@code l2l4j train} (a child JVM) runs, a
 * second child JVM on the same {@code --out} is refused with the holder's pid; once the first is
 * killed with SIGKILL, its lock is gone and the next run proceeds.
 */
class RunFolderLockTest extends ChildJvmTest {
  static final long LIMIT_SECONDS = 60;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aSecondProcessIsRefusedAndAKilledHolderBlocksNothing() throws Exception {
    Path out = dir.resolve("run");
    Path lock = out.resolve(RunFolder.LOCK_FILE);
    // far more epochs than it can finish: it runs until it is killed
    Process first = start(out, "1", "1000000", "first");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    while (!(Files.exists(lock) && Files.readString(lock).startsWith("pid "))
        && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(first.isAlive()).as(log("first")).isTrue();
    assertThat(Files.readString(lock)).startsWith("pid " + first.pid() + ", l2l4j train since ");

    Process second = start(out, "2", "3", "second");
    assertThat(second.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isEqualTo(1);
    String err = log("second");
    assertThat(err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")))
        .containsExactly("l2l4j: error: --out " + out + ": in use by another l2l4j run (pid "
            + first.pid() + ", l2l4j train since " + Files.readString(lock).split(" since ")[1]
                .strip() + "); wait for it to end or choose another --out");
    assertThat(first.isAlive()).as("the holder runs on").isTrue();

    // the same from this JVM (a lock held by another process, not by this one)
    CliTest.Run here = CliTest.run(CliTest.tinyTrain(out, 3, "--overwrite"));
    assertThat(here.code()).isEqualTo(1);
    assertThat(here.err()).contains("in use by another l2l4j run (pid " + first.pid() + ",");

    first.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup, the lock file stays
    assertThat(first.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(lock).exists();
    Process third = start(out, "3", "2", "third", "--overwrite");
    assertThat(third.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(third.exitValue()).as(log("third")).isZero();
    assertThat(OptimizerFile.read(out.resolve(Workflows.OPTIMIZER_FILE)).provenance())
        .containsEntry("seed", "3");
    assertThat(lock).isEmptyFile();
  }

  private Process start(Path out, String seed, String epochs, String name, String... more)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("train", "--problem", "quadratic", "--seed", seed,
        "--steps", "10", "--unroll", "5", "--epochs", epochs, "--validate-every", "5",
        "--validation-problems", "1", "--checkpoint-every", "1", "--threads", "1", "--quiet",
        "--out", out.toString()));
    args.addAll(List.of(more));
    return jvms.start(name, List.of(), List.of(), args);
  }

  private String log(String name) throws IOException {
    return jvms.err(name);
  }
}
