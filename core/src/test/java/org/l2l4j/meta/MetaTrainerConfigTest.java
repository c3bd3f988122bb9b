package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.l2l4j.optim.Nag;
import org.l2l4j.optim.RmsProp;
import org.l2l4j.util.SpecException;

/** The run settings as a spec, the presets, and the resume check. */
class MetaTrainerConfigTest {

  @Test
  void theSpecNamesEverySettingButThreadsAndParsesBackEqual() {
    MetaTrainerConfig demo = MetaTrainerConfig.preset("demo", 1);
    assertThat(demo.spec()).isEqualTo("meta(epochs=3000,steps=100,unroll=20,"
        + "outer=adam(lr=0.003,b1=0.9,b2=0.999,eps=1e-8),clip=0,validate-every=100,"
        + "validation-problems=20,max-bad=5,seed=1,meta-loss=loss(weights=uniform,transform=sum),"
        + "meta-batch=1)");
    assertThat(MetaTrainerConfig.parse(demo.spec())).isEqualTo(demo);
    assertThat(demo.withThreads(4).spec()).isEqualTo(demo.spec());
    assertThat(MetaTrainerConfig.parse(demo.withThreads(4).spec())).isEqualTo(demo);
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      int steps = 1 + rng.nextInt(300);
      MetaTrainerConfig c = new MetaTrainerConfig(1 + rng.nextInt(10_000), steps,
          1 + rng.nextInt(steps), 0.001, rng.nextInt(3) == 0 ? 0 : rng.nextDouble() * 10,
          rng.nextInt(500), 1 + rng.nextInt(100), rng.nextLong(), 1, 1 + rng.nextInt(9));
      if (i % 3 == 1) {
        c = c.withOuter(new Nag(rng.nextDouble(), rng.nextDouble()));
      } else if (i % 3 == 2) {
        c = c.withOuter(new RmsProp(1e-4, 0.95, 1e-6));
      }
      MetaLoss.Transform tr = rng.nextBoolean() ? MetaLoss.Transform.SUM
          : MetaLoss.Transform.LOG_MEAN;
      if (i % 4 == 1) {
        c = c.withMetaLoss(new MetaLoss(MetaLoss.Weighting.LAST, List.of(), tr));
      } else if (i % 4 == 2) {
        double[] w = new double[c.unroll()];
        for (int t = 0; t < w.length; t++) {
          w[t] = rng.nextInt(4) == 0 ? 0 : rng.nextDouble() * 3;
        }
        w[w.length - 1] = 1;
        c = c.withMetaLoss(MetaLoss.given(w, tr));
      }
      if (i % 5 == 3) {
        c = c.withMaxSteps(steps + rng.nextInt(10_000));
      }
      if (i % 7 == 2) {
        c = c.withValidationSteps(1 + rng.nextInt(10_000));
      }
      assertThat(MetaTrainerConfig.parse(c.spec())).as(c.spec()).isEqualTo(c);
    }
  }

  /**
   * Drawn horizons: within [steps, max-steps], multiples of the unroll, the same for the same
   * seed and epoch, log-uniform (the median near √(steps·max)); max-steps appears in the spec
   * only when set and is refused below steps.
   */
  @Test
  void horizonsAreHeavyTailedMultiplesOfTheUnrollAndSeeded() {
    MetaTrainerConfig fixed = MetaTrainerConfig.preset("train", 3);
    assertThat(fixed.horizon(0)).isEqualTo(100);
    assertThat(fixed.horizon(12345)).isEqualTo(100);
    assertThat(fixed.spec()).doesNotContain("max-steps");
    MetaTrainerConfig c = fixed.withMaxSteps(10_000);
    assertThat(c.spec()).endsWith(",meta-batch=1,max-steps=10000)");
    int n = 20_000;
    int[] h = new int[n];
    int above1000 = 0;
    for (int e = 0; e < n; e++) {
      h[e] = c.horizon(e);
      assertThat(h[e]).isBetween(100, 10_000);
      assertThat(h[e] % 20).isZero();
      if (h[e] >= 1000) {
        above1000++;
      }
    }
    assertThat(c.horizon(77)).isEqualTo(h[77]);
    assertThat(MetaTrainerConfig.preset("train", 4).withMaxSteps(10_000).horizon(77))
        .as("another seed, another draw (of this epoch)").isNotEqualTo(h[77]);
    java.util.Arrays.sort(h);
    // log-uniform on [100, 10000]: median 1000, P(h >= 1000) = 1/2 (before rounding down)
    assertThat(h[n / 2]).isBetween(900, 1100);
    assertThat(above1000 / (double) n).isBetween(0.47, 0.53);
    assertThatThrownBy(() -> fixed.withMaxSteps(99))
        .isInstanceOf(SpecException.class).hasMessageContaining("max-steps");
    assertThat(fixed.withMaxSteps(100).horizon(5)).isEqualTo(100);
  }

  @Test
  void aRunWithoutMaxStepsResumesOnlyWithoutIt() {
    MetaTrainerConfig fixed = MetaTrainerConfig.preset("train", 3);
    MetaTrainerConfig drawn = fixed.withMaxSteps(1000);
    assertThat(fixed.resumeMismatches(MetaTrainerConfig.recorded(fixed.spec()))).isEmpty();
    assertThat(drawn.resumeMismatches(MetaTrainerConfig.recorded(drawn.spec()))).isEmpty();
    assertThat(drawn.resumeMismatches(MetaTrainerConfig.recorded(fixed.spec())))
        .containsExactly(new MetaTrainerConfig.Mismatch("max-steps", "0", "1000"));
    assertThat(fixed.resumeMismatches(MetaTrainerConfig.recorded(drawn.spec())))
        .containsExactly(new MetaTrainerConfig.Mismatch("max-steps", "1000", "0"));
    assertThatThrownBy(() -> drawn.requireResumableFrom(MetaTrainerConfig.recorded(fixed.spec())))
        .isInstanceOf(SpecException.class).hasMessageContaining("max-steps 0 (now 1000)");
  }

  /**
   * {@code validation-steps}: the validation horizon (0: steps), in the spec only when set,
   * checked on resume like max-steps, refused below 0.
   */
  @Test
  void validationStepsSetTheValidationHorizon() {
    MetaTrainerConfig plain = MetaTrainerConfig.preset("train", 3);
    assertThat(plain.validationHorizon()).isEqualTo(100);
    assertThat(plain.spec()).doesNotContain("validation-steps");
    MetaTrainerConfig longer = plain.withValidationSteps(1000);
    assertThat(longer.validationHorizon()).isEqualTo(1000);
    assertThat(longer.spec()).endsWith(",meta-batch=1,validation-steps=1000)");
    assertThat(longer.withMaxSteps(500).spec())
        .endsWith(",meta-batch=1,max-steps=500,validation-steps=1000)");
    assertThat(longer.resumeMismatches(MetaTrainerConfig.recorded(plain.spec())))
        .containsExactly(new MetaTrainerConfig.Mismatch("validation-steps", "0", "1000"));
    assertThat(longer.resumeMismatches(MetaTrainerConfig.recorded(longer.spec()))).isEmpty();
    assertThatThrownBy(() -> plain.withValidationSteps(-1))
        .isInstanceOf(SpecException.class).hasMessageContaining("validation-steps");
  }

  @Test
  void presetsAreTheCommandsDefaults() {
    assertThat(MetaTrainerConfig.preset("train", 7)).isEqualTo(
        new MetaTrainerConfig(2000, 100, 20, 0.001, 0, 100, 20, 7, 1, 5));
    assertThat(MetaTrainerConfig.preset("mnist", 1).epochs()).isEqualTo(4000);
    assertThat(MetaTrainerConfig.preset("mnist", 1).validateEvery()).isEqualTo(25);
    assertThat(MetaTrainerConfig.preset("mnist", 1).validationProblems()).isEqualTo(5);
    assertThat(MetaTrainerConfig.preset("demo", 1).metaLearningRate()).isEqualTo(0.003);
    assertThatThrownBy(() -> MetaTrainerConfig.preset("paper", 1))
        .hasMessage("unknown meta-training preset 'paper'; known: train, demo, mnist");
    assertThat(MetaTrainerConfig.parse("meta(seed=1)"))
        .isEqualTo(MetaTrainerConfig.preset("train", 1));
  }

  @Test
  void badSpecsNameTheSetting() {
    assertThatThrownBy(() -> MetaTrainerConfig.parse("meta(epochs=0)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("'epochs'");
    assertThatThrownBy(() -> MetaTrainerConfig.parse("meta(seed=x)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("'seed=x'");
    assertThatThrownBy(() -> MetaTrainerConfig.parse("meta(threads=2)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("unknown parameter 'threads'");
    assertThatThrownBy(() -> MetaTrainerConfig.parse("meta(outer=adamw)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("unknown optimizer 'adamw'");
    assertThatThrownBy(() -> MetaTrainerConfig.parse("lstm(epochs=1)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("expected a meta(...) spec");
  }

  @Test
  void resumingNamesEveryDifferentSettingWithBothValues() {
    MetaTrainerConfig saved = MetaTrainerConfig.preset("train", 1);
    MetaTrainerConfig same = saved.withEpochs(5000).withThreads(2);
    assertThat(same.resumeMismatches(MetaTrainerConfig.recorded(saved.spec()))).isEmpty();
    same.requireResumableFrom(MetaTrainerConfig.recorded(saved.spec()));

    MetaTrainerConfig other = new MetaTrainerConfig(2000, 50, 10, 0.001, 1, 100, 20, 2, 1, 5)
        .withOuter(new Nag(0.001, 0.9));
    assertThat(other.resumeMismatches(MetaTrainerConfig.recorded(saved.spec()))).containsExactly(
        new MetaTrainerConfig.Mismatch("steps", "100", "50"),
        new MetaTrainerConfig.Mismatch("unroll", "20", "10"),
        new MetaTrainerConfig.Mismatch("outer", "adam(lr=0.001,b1=0.9,b2=0.999,eps=1e-8)",
            "nag(lr=0.001,momentum=0.9)"),
        new MetaTrainerConfig.Mismatch("clip", "0", "1"),
        new MetaTrainerConfig.Mismatch("seed", "1", "2"));
    assertThatThrownBy(() -> other.requireResumableFrom(MetaTrainerConfig.recorded(saved.spec())))
        .isInstanceOf(SpecException.class)
        .hasMessage("cannot resume: the checkpoint was trained with steps 100 (now 50), unroll 20"
            + " (now 10), outer adam(lr=0.001,b1=0.9,b2=0.999,eps=1e-8) (now"
            + " nag(lr=0.001,momentum=0.9)), clip 0 (now 1), seed 1 (now 2)");
  }

  /**
   * The meta-batch is a resume-checked setting; a recorded run without one (an older l2l4j)
   * trained with one optimizee per meta-update, so only another meta-batch is a mismatch.
   */
  @Test
  void resumingChecksTheMetaBatch() {
    MetaTrainerConfig saved = MetaTrainerConfig.preset("train", 1);
    MetaTrainerConfig four = saved.withMetaBatch(4);
    assertThat(four.spec()).endsWith(",meta-batch=4)");
    assertThat(MetaTrainerConfig.parse(four.spec())).isEqualTo(four);
    assertThat(four.resumeMismatches(MetaTrainerConfig.recorded(saved.spec()))).containsExactly(
        new MetaTrainerConfig.Mismatch("meta-batch", "1", "4"));
    String before = saved.spec().replace(",meta-batch=1", "");
    assertThat(before).doesNotContain("meta-batch");
    assertThat(saved.resumeMismatches(MetaTrainerConfig.recorded(before))).isEmpty();
    assertThat(four.resumeMismatches(MetaTrainerConfig.recorded(before))).containsExactly(
        new MetaTrainerConfig.Mismatch("meta-batch", "1", "4"));
    assertThatThrownBy(() -> four.requireResumableFrom(MetaTrainerConfig.recorded(saved.spec())))
        .isInstanceOf(SpecException.class)
        .hasMessage("cannot resume: the checkpoint was trained with meta-batch 1 (now 4)");
    assertThatThrownBy(() -> saved.withMetaBatch(0))
        .isInstanceOf(SpecException.class)
        .hasMessage("meta-batch must be in [1, 4096], got 0");
    assertThatThrownBy(() -> MetaTrainerConfig.parse("meta(meta-batch=0)"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("meta-batch");
  }

  /**
   * The meta-loss is a resume-checked setting; a recorded run without one (an older l2l4j) trained
   * with the plain sum, so only another meta-loss is a mismatch.
   */
  @Test
  void resumingChecksTheMetaLoss() {
    MetaTrainerConfig saved = MetaTrainerConfig.preset("train", 1);
    MetaTrainerConfig last =
        saved.withMetaLoss(MetaLoss.parse("loss(weights=last,transform=log-mean)"));
    assertThat(last.resumeMismatches(MetaTrainerConfig.recorded(saved.spec()))).containsExactly(
        new MetaTrainerConfig.Mismatch("meta-loss", "loss(weights=uniform,transform=sum)",
            "loss(weights=last,transform=log-mean)"));
    String before = saved.spec().replace(",meta-loss=loss(weights=uniform,transform=sum)", "");
    assertThat(before).doesNotContain("meta-loss");
    assertThat(saved.resumeMismatches(MetaTrainerConfig.recorded(before))).isEmpty();
    assertThat(last.resumeMismatches(MetaTrainerConfig.recorded(before))).containsExactly(
        new MetaTrainerConfig.Mismatch("meta-loss", "loss(weights=uniform,transform=sum)",
            "loss(weights=last,transform=log-mean)"));
    // the same loss written differently is no mismatch
    assertThat(saved.resumeMismatches(MetaTrainerConfig.recorded(
        saved.spec().replace("loss(weights=uniform,transform=sum)", "loss()")))).isEmpty();
    // given weights must number the unroll
    assertThatThrownBy(() -> MetaTrainerConfig.parse("meta(unroll=3,meta-loss=loss(weights=1;2))"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("has 2 step weights; it needs one per unroll step, 3");
    assertThat(MetaTrainerConfig.parse("meta(unroll=3,meta-loss=loss(weights=1;2;0))").metaLoss())
        .isEqualTo(MetaLoss.given(new double[] {1, 2, 0}, MetaLoss.Transform.SUM));
  }

  /** The form checkpoints recorded before the settings had a spec (TrainingOptions.describe()). */
  @Test
  void theOlderRecordedFormIsReadWithMetaLrAsTheOuterAdam() {
    String old = "epochs=3,steps=20,unroll=5,meta-lr=0.003,clip=0.0,validate-every=2,"
        + "validation-problems=3";
    MetaTrainerConfig now = new MetaTrainerConfig(6, 20, 5, 0.003, 0, 2, 3, 11, 1, 3);
    List<MetaTrainerConfig.Mismatch> m = now.resumeMismatches(MetaTrainerConfig.recorded(old));
    // seed is recorded beside it in a checkpoint; max-bad is missing from the oldest files
    assertThat(m).containsExactly(new MetaTrainerConfig.Mismatch("max-bad", null, "3"),
        new MetaTrainerConfig.Mismatch("seed", null, "11"));
    assertThat(MetaTrainerConfig.recorded(old)).containsEntry("clip", "0")
        .containsEntry("outer", "adam(lr=0.003,b1=0.9,b2=0.999,eps=1e-8)");
  }
}
