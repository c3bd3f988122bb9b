package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.l2l4j.problem.Mlp;
import org.l2l4j.problem.MlpFamily;
import org.l2l4j.problem.data.Dataset;

/**
 * The MLP 784-20-10 (sigmoid) through DJL against core's {@link Mlp}: the same weights and the same
 * minibatch give the same loss and gradient to float rounding.
 */
class MlpCrossCheckTest {
  /**
   * Both compute in float32 with sums of up to 784 (first layer) or 128 (minibatch) terms in
   * different orders; 1e-5 of the largest gradient coordinate is ~100 float roundings of it.
   */
  static final double GRAD_TOLERANCE = 1e-5;

  /** The mean cross-entropy agrees to a few float roundings of ln 10. */
  static final double LOSS_TOLERANCE = 1e-5;

  static final int HIDDEN = 20;
  static final int CLASSES = 10;
  static final int SIDE = 28;
  static final int BATCH = 128;

  /** 300 random 28x28 images, half their pixels zero, the rest multiples of 1/255. */
  static Dataset images(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int count = 300;
    float[] px = new float[count * SIDE * SIDE];
    int[] labels = new int[count];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextBoolean() ? 0f : r.nextInt(256) / 255f;
    }
    for (int i = 0; i < count; i++) {
      labels[i] = r.nextInt(CLASSES);
    }
    return Dataset.of(px, labels, SIDE, SIDE, CLASSES, "random images");
  }

  static DjlFamily djlMlp(Dataset d) {
    ImageData data = ImageData.of(d);
    return new DjlFamily("djl-mlp", () -> new SequentialBlock()
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::sigmoid)
        .add(Linear.builder().setUnits(CLASSES).build()),
        Loss.softmaxCrossEntropyLoss(), new Shape(1, SIDE, SIDE), () -> data, BATCH,
        Mlp.INIT_STD, DjlFamily.ONE_GROUP);
  }

  /** Core's θ (W₁ in × h row-major, b₁, W₂ h × out, b₂) in DJL's layout (W out × in). */
  static float[] toDjl(float[] core, int[] widths) {
    float[] out = new float[core.length];
    int off = 0;
    for (int l = 0; l + 1 < widths.length; l++) {
      int in = widths[l];
      int o = widths[l + 1];
      for (int i = 0; i < in; i++) {
        for (int j = 0; j < o; j++) {
          out[off + j * in + i] = core[off + i * o + j];
        }
      }
      off += in * o;
      System.arraycopy(core, off, out, off, o);
      off += o;
    }
    return out;
  }

  @Test
  void lossAndGradientMatchCoreMlp() {
    Dataset d = images(3);
    Mlp mlp = new Mlp(d, new int[] {HIDDEN}, MlpFamily.Activation.SIGMOID, BATCH);
    int[] widths = mlp.widths();
    try (DjlFamily family = djlMlp(d)) {
      assertThat(family.dimension()).isEqualTo(mlp.dimension()).isEqualTo(15_910);
      var djl = family.sample(new SplittableRandom(0));
      for (int trial = 0; trial < 3; trial++) {
        float[] theta = new float[mlp.dimension()];
        SplittableRandom init = new SplittableRandom(10 + trial);
        for (int i = 0; i < theta.length; i++) {
          theta[i] = (float) (init.nextGaussian() * 0.3); // large enough for non-trivial logits
        }
        float[] gCore = new float[theta.length];
        float[] gDjl = new float[theta.length];
        float fCore = mlp.valueAndGradient(theta, gCore, new SplittableRandom(100 + trial));
        float fDjl = djl.valueAndGradient(toDjl(theta, widths), gDjl, new SplittableRandom(100 + trial));
        assertThat((double) fDjl).isCloseTo(fCore, org.assertj.core.data.Offset.offset(
            LOSS_TOLERANCE * Math.max(1, Math.abs(fCore))));
        float[] expected = toDjl(gCore, widths);
        double max = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
          max = Math.max(max, Math.abs(expected[i]));
          worst = Math.max(worst, Math.abs(expected[i] - gDjl[i]));
        }
        assertThat(max).isGreaterThan(1e-3);
        assertThat(worst).as("max |Δgrad| against max |grad| %s", max)
            .isLessThanOrEqualTo(GRAD_TOLERANCE * max);
      }
    }
  }

  @Test
  void repeatedEvaluationGivesTheSameGradient() {
    // gradients must be zeroed between calls, not accumulated
    try (DjlFamily family = djlMlp(images(5))) {
      var p = family.sample(new SplittableRandom(0));
      float[] theta = new float[p.dimension()];
      p.init(new SplittableRandom(1), theta);
      float[] g1 = new float[theta.length];
      float[] g2 = new float[theta.length];
      float f1 = p.valueAndGradient(theta, g1, new SplittableRandom(2));
      float f2 = p.valueAndGradient(theta, g2, new SplittableRandom(2));
      assertThat(f2).isEqualTo(f1);
      assertThat(g2).containsExactly(g1);
    }
  }
}
