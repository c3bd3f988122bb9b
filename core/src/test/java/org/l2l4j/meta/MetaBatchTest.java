package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.ScalarLstmKernel;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

/** Meta-batches ({@link MetaTrainerConfig#metaBatch}): B optimizees per meta-update. */
class MetaBatchTest {
  @TempDir Path dir;

  private static MetaTrainerConfig small(int epochs, int threads, int batch) {
    return new MetaTrainerConfig(epochs, 20, 5, 0.003, 0, 2, 3, 11, threads, 3)
        .withMetaBatch(batch);
  }

  @Test
  void aMetaBatchGivesTheSameBitsWithAnyThreadCount() {
    // 3,000 coordinates: two chunks of the parallel split inside each optimizee
    ProblemFamily family = Problems.parse("quadratic(preset=paper,dim=10,batch=300)");
    TrainingState one = null;
    for (int threads : new int[] {1, 2, 3}) {
      MetaTrainer tr = new MetaTrainer(small(3, threads, 4), LstmConfig.quadratic(),
          LstmKernels.best());
      TrainingState fresh = tr.freshState();
      float[] start = fresh.weights.clone();
      TrainingState s = tr.train(family, fresh, MetaListener.NONE, null);
      assertThat(s.updates).isEqualTo(3 * 4); // 3 epochs of 4 unrolls, one update each
      assertThat(s.weights).isNotEqualTo(start);
      if (one == null) {
        one = s;
      } else {
        assertThat(s.weights).as("threads=%d", threads).containsExactly(one.weights);
        assertThat(s.bestWeights).as("threads=%d", threads).containsExactly(one.bestWeights);
        assertThat(s.bestScore).isEqualTo(one.bestScore);
      }
    }
  }

  @Test
  void aMixtureMetaBatchGivesTheSameBitsWithAnyThreadCount() {
    // members of different dimensions within one meta-batch
    ProblemFamily family =
        Problems.parse("mix(a=quadratic(dim=3),b=quadratic(dim=10,batch=300),param-scale=4)");
    float[] one = null;
    for (int threads : new int[] {1, 2}) {
      MetaTrainer tr = new MetaTrainer(small(2, threads, 3), LstmConfig.parse(
          "lstm(preset=general)"), LstmKernels.best());
      TrainingState s = tr.train(family, tr.freshState(), MetaListener.NONE, null);
      assertThat(s.skippedTotal).isZero();
      if (one == null) {
        one = s.weights;
      } else {
        assertThat(s.weights).as("threads=%d", threads).containsExactly(one);
      }
    }
  }

  /** Records every optimizee's result of the first unroll; runs the optimizees it is told to. */
  private static final class Recorder implements MetaBatchExchange {
    final int only;
    final MetaBatchExchange.UnrollResult[] fill;
    MetaBatchExchange.UnrollResult[] first;

    Recorder(int only, MetaBatchExchange.UnrollResult[] fill) {
      this.only = only;
      this.fill = fill;
    }

    @Override
    public boolean runs(int b, int metaBatch) {
      return only < 0 || b == only;
    }

    @Override
    public void exchange(MetaBatchExchange.UnrollResult[] results) {
      for (int b = 0; b < results.length; b++) {
        if (results[b] == null) {
          results[b] = fill[b];
        }
      }
      if (first == null) {
        first = new MetaBatchExchange.UnrollResult[results.length];
        for (int b = 0; b < results.length; b++) {
          MetaBatchExchange.UnrollResult r = results[b];
          first[b] = new MetaBatchExchange.UnrollResult(r.failure(), r.metaGradient().clone(),
              r.lossSum(), r.lossWeight());
        }
      }
    }

    @Override
    public double validation(DoubleSupplier score) {
      return score.getAsDouble();
    }
  }

  /**
   * One epoch of one unroll with outer SGD at learning rate 1: the update is φ₁ = φ₀ − mean of
   * the four optimizees' meta-gradients; optimizee 0's meta-gradient is the one B = 1 computes
   * (the same stream), and each optimizee's is the same when it runs alone.
   */
  @Test
  void theMetaGradientOfAMetaBatchIsTheMeanOfTheSingleOnes() {
    ProblemFamily family = Problems.parse("quadratic");
    MetaTrainerConfig base = new MetaTrainerConfig(1, 5, 5, 1, 0, 0, 2, 7, 1, 3)
        .withOuter(new Sgd(1));
    MetaTrainer single = new MetaTrainer(base, LstmConfig.quadratic(), ScalarLstmKernel.INSTANCE);
    Recorder one = new Recorder(-1, null);
    single.train(family, single.freshState(), MetaListener.NONE, null, one);

    MetaTrainer four = new MetaTrainer(base.withMetaBatch(4), LstmConfig.quadratic(),
        ScalarLstmKernel.INSTANCE);
    TrainingState fresh = four.freshState();
    float[] w0 = fresh.weights.clone();
    Recorder all = new Recorder(-1, null);
    TrainingState s = four.train(family, fresh, MetaListener.NONE, null, all);
    double[][] g = new double[4][];
    for (int b = 0; b < 4; b++) {
      g[b] = all.first[b].metaGradient();
    }
    assertThat(g[0]).containsExactly(one.first[0].metaGradient());
    assertThat(g[1]).isNotEqualTo(g[0]);
    float[] expected = new float[w0.length];
    for (int j = 0; j < w0.length; j++) {
      float mean = (float) ((g[0][j] + g[1][j] + g[2][j] + g[3][j]) / 4);
      expected[j] = w0[j] - 1f * mean;
    }
    assertThat(s.weights).containsExactly(expected);
    for (int b = 0; b < 4; b++) {
      Recorder alone = new Recorder(b, all.first);
      TrainingState sb = four.train(family, four.freshState(), MetaListener.NONE, null, alone);
      assertThat(alone.first[b].metaGradient()).as("optimizee %d alone", b).containsExactly(g[b]);
      assertThat(sb.weights).containsExactly(expected);
    }
  }

  @Test
  void resumingAMetaBatchGivesTheSameBitsAsOneRun() throws Exception {
    ProblemFamily family = Problems.parse("quadratic");
    LstmConfig cfg = LstmConfig.quadratic();
    CheckpointMeta meta = new CheckpointMeta(cfg.spec(), family.spec(), 11, "test");
    MetaTrainer full = new MetaTrainer(small(4, 2, 3), cfg, ScalarLstmKernel.INSTANCE);
    TrainingState straight = full.train(family, full.freshState(), MetaListener.NONE, null);
    Path ckpt = dir.resolve("c.ckpt");
    MetaTrainer first = new MetaTrainer(small(2, 1, 3), cfg, ScalarLstmKernel.INSTANCE);
    first.train(family, first.freshState(), MetaListener.NONE,
        new MetaTrainer.Checkpointing(ckpt, 1, meta));
    TrainingState resumed =
        full.train(family, Checkpoint.readLatest(ckpt).state(), MetaListener.NONE, null);
    assertThat(resumed.weights).containsExactly(straight.weights);
    assertThat(resumed.bestWeights).containsExactly(straight.bestWeights);
    assertThat(resumed.bestScore).isEqualTo(straight.bestScore);
  }

  @Test
  void theMemoryEstimateGrowsWithTheMetaBatch() {
    ProblemFamily family = Problems.parse("quadratic(preset=paper,dim=10,batch=300)");
    MemoryEstimate one = MemoryEstimate.training(family, LstmConfig.quadratic(), small(3, 1, 1));
    MemoryEstimate sixteen =
        MemoryEstimate.training(family, LstmConfig.quadratic(), small(3, 1, 16));
    assertThat(one.parts()).noneMatch(p -> p.setting().equals("meta-batch"));
    MemoryEstimate.Part batch = sixteen.parts().stream()
        .filter(p -> p.setting().equals("meta-batch")).findFirst().orElseThrow();
    MemoryEstimate.Part unroll = one.parts().stream()
        .filter(p -> p.setting().equals("unroll")).findFirst().orElseThrow();
    assertThat(batch.bytes()).isGreaterThan(15 * unroll.bytes());
    assertThat(sixteen.bytes()).isEqualTo(one.bytes() + batch.bytes());
  }
}
