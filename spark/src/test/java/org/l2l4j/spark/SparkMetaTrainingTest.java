package org.l2l4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointMeta;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

/**
 * Meta-training as a barrier stage on {@code local[4,3]} (four task slots; a task may fail twice):
 * the same bits as the local trainer, a failed task survived, the exchanged bytes counted.
 */
class SparkMetaTrainingTest {
  private static SparkSession session;
  private static JavaSparkContext spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    session = SparkSession.builder().master("local[4,3]").appName("l2l4j test")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark = JavaSparkContext.fromSparkContext(session.sparkContext());
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.stop();
    }
  }

  private static final ProblemFamily FAMILY = Problems.parse("quadratic");

  /** 4 optimizees per meta-update, 20 steps in unrolls of 5, validation every 2 epochs. */
  private static MetaTrainer trainer(int epochs) {
    MetaTrainerConfig mc = new MetaTrainerConfig(epochs, 20, 5, 0.003, 0, 2, 3, 11, 1, 3)
        .withMetaBatch(4);
    return new MetaTrainer(mc, NetGroups.single(LstmConfig.quadratic()), LstmKernels.best());
  }

  private static TrainingState local(int epochs) {
    MetaTrainer t = trainer(epochs);
    return t.train(FAMILY, t.freshState(), MetaListener.NONE, null);
  }

  /** Weights, best weights and score, outer optimizer state and counters: the same bits. */
  private static void assertSameBits(TrainingState a, TrainingState b) {
    assertThat(a.epoch).isEqualTo(b.epoch);
    assertThat(a.weights).containsExactly(b.weights);
    CheckpointMeta m = new CheckpointMeta("lstm", "problem", 0, "trainer");
    assertThat(Checkpoint.encode(m, a)).isEqualTo(Checkpoint.encode(m, b));
  }

  /** A run started with --init-from keeps its start in the job's (and task 0's) checkpoints. */
  @Test
  void theJobCarriesTheRunsStart() {
    MetaTrainer t = trainer(1);
    CheckpointMeta m = new CheckpointMeta(t.nets().spec(), FAMILY.spec(), t.config().seed(),
        t.config().spec(), "pretrained:general");
    SparkMetaTraining.Job job = SparkMetaTraining.job(t, FAMILY, t.freshState(),
        new MetaTrainer.Checkpointing(null, 1, m), null, 2);
    assertThat(job.meta()).isEqualTo(m);
    CheckpointMeta random = new CheckpointMeta(t.nets().spec(), FAMILY.spec(), t.config().seed(),
        t.config().spec());
    assertThat(SparkMetaTraining.job(t, FAMILY, t.freshState(),
        new MetaTrainer.Checkpointing(null, 1, random), null, 2).meta()).isEqualTo(random);
  }

  @Test
  void givesTheLocalRunsBitsAndCountsTheExchangedBytes() {
    TrainingState expected = local(3);
    for (int tasks : new int[] {4, 3}) {
      // 4 tasks exchange over TCP (raw bytes), 3 through allGather (base64)
      boolean allGather = tasks == 3;
      MetaTrainer t = trainer(3);
      SparkMetaTraining.Result r = SparkMetaTraining.run(spark, SparkMetaTraining.job(t, FAMILY,
          t.freshState(), null, null, tasks).quiet().withAllGather(allGather));
      assertSameBits(r.state(), expected);
      assertThat(r.exchanges()).as("one exchange per meta-update").isEqualTo(3 * 4);
      // per optimizee: index, flag, length (9 bytes), p doubles, loss sum and weight (16 bytes)
      int p = t.nets().parameterCount();
      long perExchange = 0;
      for (int task = 0; task < tasks; task++) {
        long raw = (4L - task + tasks - 1) / tasks * (25L + 8L * p);
        perExchange += allGather ? 4 * ((raw + 2) / 3) : raw;
      }
      assertThat(r.exchangedBytes()).isEqualTo(3 * 4 * perExchange);
    }
  }

  @Test
  void aFailedTaskIsRetriedFromTheLastCheckpointWithTheSameBits() {
    TrainingState expected = local(4);
    MetaTrainer t = trainer(4);
    Path ckpt = dir.resolve("checkpoint.ckpt");
    CheckpointMeta meta = new CheckpointMeta(t.nets().spec(), FAMILY.spec(), 11,
        t.config().spec());
    SparkMetaTraining.Job job = SparkMetaTraining.job(t, FAMILY, t.freshState(),
        new MetaTrainer.Checkpointing(ckpt, 1, meta), null, 4);
    SparkMetaTraining.Job failing = job.failingOnce(3, 1).quiet();
    int fired = SparkMetaTraining.HOOK_FIRED.get();
    SparkMetaTraining.Result r = SparkMetaTraining.run(spark, failing);
    assertThat(SparkMetaTraining.HOOK_FIRED.get()).as("task 1 failed once").isEqualTo(fired + 1);
    assertSameBits(r.state(), expected);
    // the retry resumed from a checkpoint, not from the start: at epoch 3 (task 0 wrote it before
    // it blocked in epoch 4's first exchange) or at epoch 2 (if the retry read it first)
    assertThat(r.exchanges()).as("exchanges of the retry").isIn(4L, 2L * 4);
  }
}
