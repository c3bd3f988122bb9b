package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.TrainingState;

/**
 * Kill-and-resume: {@code l2l4j train} runs in a child JVM and is killed with SIGKILL at random
 * moments (during JVM start, during training, inside a checkpoint write before and after the
 * rotation to {@code .prev}), restarted with {@code --resume} each time, until it finishes. The
 * trained weights must be bit-identical to an uninterrupted run with the same seed.
 *
 * <p>The killed runs set {@link Checkpoint#TEST_WRITE_DELAY_PROPERTY} so that a checkpoint write
 * lasts long enough to be hit; the reference run does not (it changes no content).
 */
class KillResumeTest extends ChildJvmTest {
  static final int EPOCHS = 100;
  static final int KILLS = 24;
  static final int MIN_KILLS = 20;
  static final long WRITE_DELAY_MS = 8;
  static final long SEED = 20_260_528L;
  static final long RUN_LIMIT_SECONDS = 60;

  enum Moment { JVM_START, TRAINING, WRITING_TEMPORARY, AFTER_ROTATION }

  @Test
  @Timeout(value = 110, unit = TimeUnit.SECONDS)
  void killedAndResumedTrainingEndsBitIdenticalToAnUninterruptedRun() throws Exception {
    Path reference = dir.resolve("reference");
    Process ref = start(reference, false, false, "reference");
    assertThat(ref.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)).as("reference run finished")
        .isTrue();
    assertThat(ref.exitValue()).as(log("reference")).isZero();

    Path out = dir.resolve("killed");
    Path ckpt = out.resolve(Workflows.CHECKPOINT_FILE);
    Path prev = Checkpoint.previous(ckpt);
    Path tmp = ckpt.resolveSibling(ckpt.getFileName() + ".tmp");
    Random random = new Random(SEED);
    List<Moment> plan = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      plan.add(Moment.values()[i % Moment.values().length]);
    }
    Collections.shuffle(plan, random);
    int kills = 0;
    int leftTemporary = 0;
    int leftOnlyPrevious = 0;
    int resumedFromPrevious = 0;
    boolean lastLeftOnlyPrevious = false;
    for (int attempt = 0; attempt < plan.size(); attempt++) {
      String name = "attempt" + attempt;
      // spread the kills over the training: about an equal share of the remaining epochs each
      int remaining = EPOCHS - (hasCheckpoint(out) ? Checkpoint.readLatest(ckpt).state().epoch : 0);
      long progressing = plan.subList(attempt, plan.size()).stream()
          .filter(m -> m != Moment.JVM_START).count();
      int share = (int) Math.max(1, 2 * remaining / Math.max(1, progressing));
      int epochs = Math.max(0, Math.min(remaining - 2, random.nextInt(share)));
      Object ckptBefore = identity(ckpt);
      Object tmpBefore = identity(tmp);
      Process p = start(out, hasCheckpoint(out), true, name);
      switch (plan.get(attempt)) {
        case JVM_START -> p.waitFor(random.nextInt(150), TimeUnit.MILLISECONDS);
        case TRAINING -> {
          awaitWrites(p, ckpt, ckptBefore, epochs + 1);
          p.waitFor(random.nextInt((int) (3 * WRITE_DELAY_MS)), TimeUnit.MILLISECONDS);
        }
        case WRITING_TEMPORARY -> {
          awaitWrites(p, ckpt, ckptBefore, epochs);
          poll(p, () -> Files.exists(ckpt) && !Objects.equals(identity(tmp), tmpBefore)
              && identity(tmp) != null);
          p.waitFor(random.nextInt((int) WRITE_DELAY_MS), TimeUnit.MILLISECONDS);
        }
        case AFTER_ROTATION -> {
          awaitWrites(p, ckpt, ckptBefore, epochs);
          poll(p, () -> !Files.exists(ckpt) && Files.exists(prev));
        }
      }
      if (p.isAlive()) {
        p.destroyForcibly();
        kills++;
      }
      assertThat(p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      if (lastLeftOnlyPrevious && log(name).contains("using the previous checkpoint")) {
        resumedFromPrevious++;
      }
      lastLeftOnlyPrevious = !Files.exists(ckpt) && Files.exists(prev);
      leftOnlyPrevious += lastLeftOnlyPrevious ? 1 : 0;
      leftTemporary += Files.exists(tmp) && Files.exists(ckpt) ? 1 : 0;
    }
    Process last = start(out, hasCheckpoint(out), true, "final");
    assertThat(last.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)).as("final run finished").isTrue();
    assertThat(last.exitValue()).as(log("final")).isZero();

    assertThat(kills).as("kills delivered").isGreaterThanOrEqualTo(MIN_KILLS);
    assertThat(leftTemporary).as("kills inside a checkpoint write (temporary file left)")
        .isPositive();
    assertThat(leftOnlyPrevious).as("kills between the rotation to .prev and the rename")
        .isPositive();
    assertThat(resumedFromPrevious).as("resumes that fell back to .prev").isPositive();

    OptimizerFile.Loaded want = OptimizerFile.read(reference.resolve(Workflows.OPTIMIZER_FILE));
    OptimizerFile.Loaded got = OptimizerFile.read(out.resolve(Workflows.OPTIMIZER_FILE));
    assertBitIdentical("optimizer.json weights", got.weights(), want.weights());
    TrainingState a = Checkpoint.readLatest(reference.resolve(Workflows.CHECKPOINT_FILE)).state();
    Checkpoint.Loaded loaded = Checkpoint.readLatest(ckpt);
    assertThat(loaded.warning()).isNull();
    TrainingState b = loaded.state();
    assertThat(b.epoch).isEqualTo(EPOCHS);
    assertBitIdentical("weights", b.weights, a.weights);
    assertBitIdentical("best weights", b.bestWeights, a.bestWeights);
    assertThat(b.outer.optimizer()).isEqualTo(a.outer.optimizer());
    Map<String, Object> outerA = a.outer.values();
    Map<String, Object> outerB = b.outer.values();
    assertThat(outerB.keySet()).containsExactlyElementsOf(outerA.keySet()).contains("m", "v", "t");
    for (String k : outerA.keySet()) {
      if (outerA.get(k) instanceof float[] fa) {
        assertBitIdentical("outer " + k, (float[]) outerB.get(k), fa);
      } else {
        assertThat(outerB.get(k)).as("outer " + k).isEqualTo(outerA.get(k));
      }
    }
    assertThat(b.bestScore).isEqualTo(a.bestScore);
    assertThat(b.bestEpoch).isEqualTo(a.bestEpoch);
    assertThat(b.metaLearningRate()).isEqualTo(a.metaLearningRate());
    assertThat(b.updates).isEqualTo(a.updates);
    assertThat(b.skippedTotal).isEqualTo(a.skippedTotal);
    assertThat(b.badInARow).isEqualTo(a.badInARow);
  }

  private static boolean hasCheckpoint(Path out) {
    Path ckpt = out.resolve(Workflows.CHECKPOINT_FILE);
    return Files.exists(ckpt) || Files.exists(Checkpoint.previous(ckpt));
  }

  /** The file's identity (inode and modification time), or null when it does not exist. */
  private static Object identity(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime());
    } catch (IOException e) {
      return null;
    }
  }

  /** Waits while {@code p} lives until {@code file} has been replaced {@code writes} times. */
  private static void awaitWrites(Process p, Path file, Object before, int writes)
      throws InterruptedException {
    Object last = before;
    int seen = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (seen < writes && p.isAlive() && System.nanoTime() < end) {
      Object now = identity(file);
      if (now != null && !now.equals(last)) {
        seen++;
        last = now;
      }
      Thread.sleep(1);
    }
  }

  /** Polls {@code condition} every millisecond while {@code p} lives (at most 20 s). */
  private static void poll(Process p, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (p.isAlive() && !condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(1);
    }
  }

  private Process start(Path out, boolean resume, boolean slowWrites, String name)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("train", "--problem", "quadratic", "--seed", "7",
        "--steps", "10", "--unroll", "5", "--epochs", Integer.toString(EPOCHS), "--validate-every",
        "5", "--validation-problems", "2", "--checkpoint-every", "1", "--threads", "1", "--quiet",
        "--out", out.toString()));
    if (resume) {
      args.add("--resume");
    }
    return jvms.start(name, slowWrites
        ? List.of("-D" + Checkpoint.TEST_WRITE_DELAY_PROPERTY + "=" + WRITE_DELAY_MS)
        : List.of(), List.of(), args);
  }

  private String log(String name) throws IOException {
    return jvms.err(name);
  }

  /** Fails with the first differing index (not the whole arrays) unless the bits agree. */
  static void assertBitIdentical(String what, float[] got, float[] want) {
    assertThat(got.length).as(what + " length").isEqualTo(want.length);
    int differing = 0;
    int first = -1;
    for (int i = 0; i < got.length; i++) {
      if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
        differing++;
        first = first < 0 ? i : first;
      }
    }
    if (differing > 0) {
      throw new AssertionError(String.format(java.util.Locale.ROOT,
          "%s: %d of %d values differ; first at %d: %s, uninterrupted run %s", what, differing,
          got.length, first, got[first], want[first]));
    }
  }
}
