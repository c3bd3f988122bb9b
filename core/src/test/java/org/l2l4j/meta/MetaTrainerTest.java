package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.ScalarLstmKernel;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.SimpleProblem;

class MetaTrainerTest {
  @TempDir Path dir;

  static MetaTrainerConfig small(int epochs, int threads) {
    return new MetaTrainerConfig(epochs, 20, 5, 0.003, 0, 2, 3, 11, threads, 3);
  }

  @Test
  void sameSeedGivesBitIdenticalWeightsWhateverTheThreadCount() {
    // 3,000 coordinates: two chunks of the parallel split
    ProblemFamily family = Problems.parse("quadratic(preset=paper,dim=10,batch=300)");
    LstmConfig cfg = LstmConfig.quadratic();
    float[] one = null;
    for (int threads : new int[] {1, 2, 3}) {
      MetaTrainer tr = new MetaTrainer(small(3, threads), cfg, LstmKernels.best());
      TrainingState s = tr.train(family, tr.freshState(), MetaListener.NONE, null);
      if (one == null) {
        one = s.weights;
      } else {
        assertThat(s.weights).as("threads=%d", threads).containsExactly(one);
      }
    }
  }

  /**
   * A mixture of members of different dimensions, with the general preset's input normalisation
   * and the log-mean meta-loss: bit-identical weights for any thread count, the weights move, and
   * validation runs on the mixture.
   */
  @Test
  void trainsOnAMixtureWithNormalisedInputsWhateverTheThreadCount() {
    ProblemFamily family =
        Problems.parse("mix(a=quadratic(dim=3),b=quadratic(dim=10,batch=300),param-scale=4)");
    LstmConfig cfg = LstmConfig.parse("lstm(preset=general)");
    float[] one = null;
    float[] start = null;
    for (int threads : new int[] {1, 2}) {
      MetaTrainer tr = new MetaTrainer(small(4, threads)
          .withMetaLoss(MetaLoss.parse("loss(transform=log-mean)")), cfg, LstmKernels.best());
      TrainingState fresh = tr.freshState();
      start = fresh.weights.clone();
      TrainingState s = tr.train(family, fresh, MetaListener.NONE, null);
      assertThat(s.skippedTotal).isZero();
      assertThat(s.bestScore).isFinite();
      if (one == null) {
        one = s.weights;
      } else {
        assertThat(s.weights).as("threads=%d", threads).containsExactly(one);
      }
    }
    assertThat(one).isNotEqualTo(start);
  }

  /**
   * A mixture with {@code validation=SPEC}: the meta-updates are those of the same mixture
   * without it (the validation family only picks the best weights), and every validation score,
   * the best one included, is the mean log loss of the frozen weights on problems of the
   * validation family (recomputed here with a plain evaluator), not on the mixture's.
   */
  @Test
  void aMixtureValidatesOnItsValidationFamily() {
    ProblemFamily train = Problems.parse("mix(a=quadratic(dim=3),validation=quadratic(dim=20))");
    ProblemFamily plain = Problems.parse("mix(a=quadratic(dim=3))");
    ProblemFamily valid = Problems.parse("quadratic(dim=20)");
    assertThat(train.validationFamily().spec()).isEqualTo(valid.spec());
    LstmConfig cfg = LstmConfig.quadratic();
    MetaTrainer tr = new MetaTrainer(small(4, 1), cfg, LstmKernels.best());
    TrainingState s = tr.train(train, tr.freshState(), MetaListener.NONE, null);
    TrainingState t = tr.train(plain, tr.freshState(), MetaListener.NONE, null);
    assertThat(s.weights).containsExactly(t.weights);
    try (org.l2l4j.util.Parallel parallel = new org.l2l4j.util.Parallel(1)) {
      double expected = 0;
      var opt = new org.l2l4j.learned.LearnedOptimizer("check",
          org.l2l4j.learned.NetGroups.single(cfg), null, s.bestWeights, LstmKernels.best(),
          parallel);
      double[][] runs = new org.l2l4j.eval.Evaluator(valid, 3, 20, 11, "valid", parallel)
          .run("check", opt).losses();
      for (double[] run : runs) {
        double sum = 0;
        for (int k = 1; k < run.length; k++) {
          sum += Math.log(run[k]);
        }
        expected += sum / 20;
      }
      expected /= runs.length;
      assertThat(s.bestScore).isEqualTo(expected);
      assertThat(tr.validate(train, s.bestWeights, parallel)).isEqualTo(expected);
      assertThat(tr.validate(plain, s.bestWeights, parallel)).isNotEqualTo(expected);
    }
  }

  /** {@code validation-steps}: validation scores runs of that many steps, not of --steps. */
  @Test
  void validationRunsValidationStepsSteps() {
    ProblemFamily family = Problems.parse("quadratic(dim=5)");
    LstmConfig cfg = LstmConfig.quadratic();
    float[] w = new MetaTrainer(small(1, 1), cfg, LstmKernels.best()).freshState().weights;
    MetaTrainer twenty = new MetaTrainer(small(1, 1), cfg, LstmKernels.best());
    MetaTrainer fifty = new MetaTrainer(small(1, 1).withValidationSteps(50), cfg,
        LstmKernels.best());
    try (org.l2l4j.util.Parallel parallel = new org.l2l4j.util.Parallel(1)) {
      var opt = new org.l2l4j.learned.LearnedOptimizer("check",
          org.l2l4j.learned.NetGroups.single(cfg), null, w, LstmKernels.best(), parallel);
      double[][] runs = new org.l2l4j.eval.Evaluator(family, 3, 50, 11, "valid", parallel)
          .run("check", opt).losses();
      double expected = 0;
      for (double[] run : runs) {
        double sum = 0;
        for (int k = 1; k < run.length; k++) {
          sum += run[k];
        }
        expected += sum / 50;
      }
      expected /= runs.length;
      assertThat(runs[0]).hasSize(51);
      assertThat(fifty.validate(family, w, parallel)).isEqualTo(expected);
      assertThat(twenty.validate(family, w, parallel)).isNotEqualTo(expected);
    }
  }

  /**
   * A warm start: the trainer starts from the given weights (copied), validated first as the best
   * so far, so the returned best validates at least as well as the start; a run from the same
   * weights given as a plain state takes the same meta-updates.
   */
  @Test
  void aWarmStartIsValidatedFirstAndNeverReturnsWorseWeights() {
    ProblemFamily family = Problems.parse("quadratic(dim=3)");
    LstmConfig cfg = LstmConfig.quadratic();
    MetaTrainer pre = new MetaTrainer(small(6, 1), cfg, LstmKernels.best());
    float[] start = pre.train(family, pre.freshState(), MetaListener.NONE, null).bestWeights;
    float[] copy = start.clone();
    MetaTrainer tr = new MetaTrainer(small(4, 1), cfg, LstmKernels.best());
    TrainingState s = tr.stateFrom(family, start);
    assertThat(s.weights).containsExactly(start).isNotSameAs(start);
    assertThat(s.bestWeights).containsExactly(start);
    assertThat(s.bestEpoch).isZero();
    double startScore;
    try (org.l2l4j.util.Parallel p = new org.l2l4j.util.Parallel(1)) {
      startScore = tr.validate(family, start, p);
    }
    assertThat(s.bestScore).isEqualTo(startScore).isFinite();
    tr.train(family, s, MetaListener.NONE, null);
    assertThat(start).containsExactly(copy);
    assertThat(s.bestScore).isLessThanOrEqualTo(startScore);
    if (s.bestEpoch == 0) {
      assertThat(s.bestWeights).containsExactly(start);
    }
    // the same meta-updates as a plain state holding the start
    TrainingState plain = tr.stateFrom(start);
    assertThat(plain.bestScore).isInfinite();
    tr.train(family, plain, MetaListener.NONE, null);
    assertThat(plain.weights).containsExactly(s.weights);
    assertThatThrownBy(() -> tr.stateFrom(new float[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 3 weights");
    float[] bad = start.clone();
    bad[7] = Float.NaN;
    assertThatThrownBy(() -> tr.stateFrom(bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight 7");
  }

  @Test
  void resumingFromACheckpointGivesTheSameWeightsAsOneRun() throws Exception {
    ProblemFamily family = Problems.parse("quadratic");
    LstmConfig cfg = LstmConfig.quadratic();
    CheckpointMeta meta = new CheckpointMeta(cfg.spec(), family.spec(), 11, "test");
    MetaTrainer full = new MetaTrainer(small(6, 1), cfg, ScalarLstmKernel.INSTANCE);
    TrainingState straight = full.train(family, full.freshState(), MetaListener.NONE, null);

    Path ckpt = dir.resolve("c.ckpt");
    MetaTrainer first = new MetaTrainer(small(3, 1), cfg, ScalarLstmKernel.INSTANCE);
    first.train(family, first.freshState(), MetaListener.NONE,
        new MetaTrainer.Checkpointing(ckpt, 1, meta));
    Checkpoint.Loaded loaded = Checkpoint.readLatest(ckpt);
    assertThat(loaded.state().epoch).isEqualTo(3);
    assertThat(loaded.meta()).isEqualTo(meta);
    TrainingState resumed = full.train(family, loaded.state(), MetaListener.NONE, null);
    assertThat(resumed.weights).containsExactly(straight.weights);
    assertThat(resumed.bestWeights).containsExactly(straight.bestWeights);
    assertThat(resumed.bestScore).isEqualTo(straight.bestScore);
  }

  /**
   * Drawn horizons ({@code max-steps}): each epoch runs horizon(epoch)/unroll unrolls, the same
   * bits with 1 or 2 threads, and resuming from a checkpoint continues exactly.
   */
  @Test
  void drawnHorizonsRunTheirUnrollsAndResumeExactly() throws Exception {
    ProblemFamily family = Problems.parse("quadratic(preset=paper,dim=10,batch=300)");
    LstmConfig cfg = LstmConfig.quadratic();
    MetaTrainerConfig six = small(6, 1).withMaxSteps(200);
    int expectedUnrolls = 0;
    boolean varies = false;
    for (int e = 0; e < 6; e++) {
      expectedUnrolls += six.horizon(e) / 5;
      varies |= six.horizon(e) != six.horizon(0);
    }
    assertThat(varies).as("the draws differ between epochs").isTrue();
    float[] one = null;
    for (int threads : new int[] {1, 2}) {
      MetaTrainer tr = new MetaTrainer(six.withThreads(threads), cfg, LstmKernels.best());
      TrainingState s = tr.train(family, tr.freshState(), MetaListener.NONE, null);
      assertThat(s.updates).isEqualTo(expectedUnrolls);
      if (one == null) {
        one = s.weights;
      } else {
        assertThat(s.weights).as("threads=%d", threads).containsExactly(one);
      }
    }
    CheckpointMeta meta = new CheckpointMeta(cfg.spec(), family.spec(), 11, "test");
    Path ckpt = dir.resolve("h.ckpt");
    MetaTrainer first = new MetaTrainer(small(3, 1).withMaxSteps(200), cfg, LstmKernels.best());
    first.train(family, first.freshState(), MetaListener.NONE,
        new MetaTrainer.Checkpointing(ckpt, 1, meta));
    MetaTrainer rest = new MetaTrainer(six, cfg, LstmKernels.best());
    TrainingState resumed = rest.train(family, Checkpoint.readLatest(ckpt).state(),
        MetaListener.NONE, null);
    assertThat(resumed.weights).containsExactly(one);
  }

  @Test
  void corruptCheckpointFallsBackToThePreviousOne() throws Exception {
    ProblemFamily family = Problems.parse("quadratic");
    LstmConfig cfg = LstmConfig.quadratic();
    CheckpointMeta meta = new CheckpointMeta(cfg.spec(), family.spec(), 11, "test");
    Path ckpt = dir.resolve("c.ckpt");
    MetaTrainer tr = new MetaTrainer(small(2, 1), cfg, ScalarLstmKernel.INSTANCE);
    tr.train(family, tr.freshState(), MetaListener.NONE, new MetaTrainer.Checkpointing(ckpt, 1, meta));
    byte[] b = Files.readAllBytes(ckpt);
    b[b.length / 2] ^= 0x20;
    Files.write(ckpt, b);
    Checkpoint.Loaded l = Checkpoint.readLatest(ckpt);
    assertThat(l.state().epoch).isEqualTo(1);
    assertThat(l.warning()).contains("checksum");
    Files.write(ckpt, java.util.Arrays.copyOf(b, 100));
    assertThat(Checkpoint.readLatest(ckpt).warning()).contains("truncated");
  }

  /** The zero-layer optimizer on f(x) = x² learns an update close to −x (the ideal is −0.5·∇). */
  @Test
  void learnsTheStepSizeOnTheSimpleProblem() {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=simple)");
    MetaTrainerConfig mc = new MetaTrainerConfig(300, 10, 5, 0.01, 0, 50, 1, 3, 1, 3);
    MetaTrainer tr = new MetaTrainer(mc, cfg, LstmKernels.best());
    TrainingState s = tr.train(new SimpleProblem(), tr.freshState(), MetaListener.NONE, null);
    // update = w·∇ + b; with ∇ = 2x, the optimum of Σ f is w = −0.5, b = 0
    assertThat(s.bestWeights[0]).isBetween(-0.6f, -0.4f);
    assertThat(Math.abs(s.bestWeights[1])).isLessThan(0.05f);
    assertThat(s.bestScore).isLessThan(0.01);
  }

  /** A problem that returns NaN once x grows: the meta-update is skipped, never applied. */
  @Test
  void divergenceNeverReachesTheWeights() {
    ProblemFamily exploding = new ProblemFamily() {
      @Override
      public String spec() {
        return "exploding";
      }

      @Override
      public int dimension() {
        return 4;
      }

      @Override
      public Problem sample(RandomGenerator rng) {
        return new Problem() {
          @Override
          public int dimension() {
            return 4;
          }

          @Override
          public void init(RandomGenerator r, float[] theta) {
            java.util.Arrays.fill(theta, 1f);
          }

          @Override
          public float valueAndGradient(float[] theta, float[] grad, RandomGenerator r) {
            java.util.Arrays.fill(grad, Float.NaN);
            return Float.NaN;
          }
        };
      }
    };
    LstmConfig cfg = LstmConfig.quadratic();
    MetaTrainer tr = new MetaTrainer(new MetaTrainerConfig(7, 10, 5, 0.01, 0, 0, 1, 3, 1, 3), cfg,
        ScalarLstmKernel.INSTANCE);
    TrainingState fresh = tr.freshState();
    float[] before = fresh.weights.clone();
    List<String> events = new ArrayList<>();
    TrainingState s = tr.train(exploding, fresh, new MetaListener() {
      @Override
      public void skipped(int epoch, int unroll, String why) {
        events.add("skip");
      }

      @Override
      public void recovered(int epoch, double lr) {
        events.add("recover " + lr);
      }
    }, null);
    assertThat(s.weights).containsExactly(before);
    assertThat(s.skippedTotal).isEqualTo(7);
    assertThat(s.updates).isZero();
    assertThat(events).containsSubsequence("skip", "skip", "skip", "recover 0.005", "skip", "skip",
        "skip", "recover 0.0025");
  }

  /**
   * Any hand-designed optimizer can be the outer one: a run with outer NAG differs from one with
   * Adam, and on divergence its learning rate is halved just the same.
   */
  @Test
  void theOuterOptimizerIsConfigurable() {
    ProblemFamily family = Problems.parse("quadratic");
    LstmConfig cfg = LstmConfig.quadratic();
    MetaTrainerConfig adam = small(2, 1);
    MetaTrainerConfig nag = adam.withOuter(new org.l2l4j.optim.Nag(0.01, 0.9));
    assertThat(nag.metaLearningRate()).isEqualTo(0.01);
    MetaTrainer a = new MetaTrainer(adam, cfg, ScalarLstmKernel.INSTANCE);
    MetaTrainer b = new MetaTrainer(nag, cfg, ScalarLstmKernel.INSTANCE);
    TrainingState sa = a.train(family, a.freshState(), MetaListener.NONE, null);
    TrainingState sb = b.train(family, b.freshState(), MetaListener.NONE, null);
    assertThat(sb.outer.optimizer()).isEqualTo(new org.l2l4j.optim.Nag(0.01, 0.9));
    assertThat(sb.updates).isPositive();
    assertThat(sb.weights).isNotEqualTo(sa.weights);
    assertThatThrownBy(() -> new MetaTrainerConfig(2, 20, 5, 0.003, 0, 2, 3, 11, 1, 3,
        new org.l2l4j.optim.Sgd(0.1)))
        .hasMessageContaining("meta learning rate 0.003 differs from the outer optimizer's");
  }

  /**
   * The meta-loss reaches the meta-gradient: given weights of all 1 (the scaled-copy path) train
   * the same bits as the default (which hands the kernels the gradients themselves) and report the
   * same epoch losses; {@code last} and {@code log-mean} train other weights; with {@code
   * log-mean} the reported epoch loss is the mean of log f.
   */
  @Test
  void theMetaLossChangesTheMetaGradientAndOnlyThat() {
    ProblemFamily family = Problems.parse("quadratic");
    LstmConfig cfg = LstmConfig.quadratic();
    MetaTrainerConfig plain = small(2, 1);
    List<Double> plainLosses = new ArrayList<>();
    List<Double> onesLosses = new ArrayList<>();
    List<Double> logLosses = new ArrayList<>();
    TrainingState a = train(plain, cfg, family, plainLosses);
    TrainingState ones = train(plain.withMetaLoss(
        MetaLoss.given(new double[] {1, 1, 1, 1, 1}, MetaLoss.Transform.SUM)), cfg, family,
        onesLosses);
    assertThat(ones.weights).containsExactly(a.weights);
    assertThat(onesLosses).isEqualTo(plainLosses);
    TrainingState last = train(plain.withMetaLoss(MetaLoss.parse("loss(weights=last)")), cfg,
        family, new ArrayList<>());
    TrainingState log = train(plain.withMetaLoss(MetaLoss.parse("loss(transform=log-mean)")),
        cfg, family, logLosses);
    for (TrainingState s : List.of(last, log)) {
      assertThat(s.updates).isEqualTo(a.updates);
      assertThat(s.weights).isNotEqualTo(a.weights);
      assertThat(org.l2l4j.learned.LstmWeights.firstNonFinite(s.weights)).isNegative();
    }
    // one unroll per epoch: epoch 1 runs the same optimizee steps under both losses, and the
    // reported mean of log f is below the log of the mean f (Jensen; the f_t differ)
    MetaTrainerConfig whole = new MetaTrainerConfig(1, 20, 20, 0.003, 0, 2, 3, 11, 1, 3);
    List<Double> sum1 = new ArrayList<>();
    List<Double> log1 = new ArrayList<>();
    train(whole, cfg, family, sum1);
    train(whole.withMetaLoss(MetaLoss.parse("loss(transform=log-mean)")), cfg, family, log1);
    assertThat(log1.get(0)).isFinite().isLessThan(Math.log(sum1.get(0)));
    assertThat(logLosses).hasSize(2).allSatisfy(x -> assertThat(x).isFinite());
  }

  private static TrainingState train(MetaTrainerConfig c, LstmConfig cfg, ProblemFamily family,
      List<Double> epochLosses) {
    MetaTrainer tr = new MetaTrainer(c, cfg, ScalarLstmKernel.INSTANCE);
    return tr.train(family, tr.freshState(), new MetaListener() {
      @Override
      public void epochDone(int epoch, int totalEpochs, double meanLoss) {
        epochLosses.add(meanLoss);
      }
    }, null);
  }

  /** The trainer fills the provenance: the settings' spec, the problem, the kernel, the system. */
  @Test
  void provenanceRecordsTheRunSettingsAndTheSystem() {
    ProblemFamily family = Problems.parse("quadratic");
    MetaTrainer tr = new MetaTrainer(small(1, 1), LstmConfig.quadratic(), ScalarLstmKernel.INSTANCE);
    TrainingState s = tr.train(family, tr.freshState(), MetaListener.NONE, null);
    org.l2l4j.learned.Provenance p = tr.provenance(family, s, 1.5);
    assertThat(p.trainer()).isEqualTo(small(1, 1).spec());
    assertThat(org.l2l4j.meta.MetaTrainerConfig.parse(p.trainer())).isEqualTo(small(1, 1));
    assertThat(p.problem()).isEqualTo("quadratic(preset=paper)");
    assertThat(p.data()).isNull();
    assertThat(p.seed()).isEqualTo(11);
    assertThat(p.epochs()).isEqualTo(1);
    assertThat(p.kernel()).isEqualTo(ScalarLstmKernel.INSTANCE.name());
    assertThat(p.jvm()).contains(System.getProperty("java.runtime.version"));
    assertThat(p.os()).startsWith(System.getProperty("os.name"));
    assertThat(p.toMap()).containsKeys("problem", "seed", "trainer", "library", "kernel", "jvm",
        "os", "date").doesNotContainKey("data");
  }
}
