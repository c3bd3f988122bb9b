package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.l2l4j.problem.ParamGroup;

/** {@link DjlFamily}: layout and groups, no leaks, bad models and data refused. */
class DjlFamilyTest {
  /** 40 random 2x4x4 images of 3 classes. */
  static ImageData tiny(int count) {
    SplittableRandom r = new SplittableRandom(1);
    byte[] px = new byte[count * 32];
    byte[] lb = new byte[count];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < count; i++) {
      lb[i] = (byte) r.nextInt(3);
    }
    return new ImageData(px, lb, 2, 4, 4, 3, "tiny");
  }

  static DjlFamily tinyMlp(ImageData data, int batch) {
    return new DjlFamily("tiny-mlp", () -> new SequentialBlock()
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(5).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(3).build()),
        Loss.softmaxCrossEntropyLoss(), new Shape(2, 4, 4), () -> data, batch, 0.1f,
        (name, shape) -> shape.dimension() == 2 ? "weights" : "biases");
  }

  @Test
  void layoutAndGroupsFollowTheBlocksParameters() {
    try (DjlFamily f = tinyMlp(tiny(40), 8)) {
      // Linear(32 -> 5): weight 5x32, bias 5; Linear(5 -> 3): weight 3x5, bias 3
      assertThat(f.dimension()).isEqualTo(160 + 5 + 15 + 3);
      assertThat(f.parameters()).extracting(DjlFamily.Param::offset).containsExactly(0, 160, 165, 180);
      assertThat(f.groups()).containsExactly(
          new ParamGroup("weights", new int[] {0, 160, 165, 180}),
          new ParamGroup("biases", new int[] {160, 165, 180, 183}));
    }
  }

  @Test
  void tenThousandStepsLeaveNoNativeArraysBehind() {
    try (DjlFamily f = tinyMlp(tiny(40), 4)) {
      var p = f.sample(new SplittableRandom(0));
      float[] theta = new float[p.dimension()];
      float[] grad = new float[theta.length];
      p.init(new SplittableRandom(1), theta);
      SplittableRandom batches = new SplittableRandom(2);
      p.valueAndGradient(theta, grad, batches);
      int before = f.liveArrays();
      float first = 0;
      float last = 0;
      for (int t = 0; t < 10_000; t++) {
        float v = p.valueAndGradient(theta, grad, batches);
        for (int i = 0; i < theta.length; i++) {
          theta[i] -= 0.05f * grad[i];
        }
        first = t == 0 ? v : first;
        last = v;
      }
      assertThat(f.liveArrays()).isEqualTo(before);
      assertThat(last).isFinite();
      assertThat(first).isGreaterThan(0);
    }
  }

  @Test
  void modelWithoutTrainableParametersIsRefused() {
    ImageData d = tiny(40);
    try (DjlFamily f = new DjlFamily("flat", () -> new SequentialBlock()
        .add(Blocks.batchFlattenBlock()), Loss.softmaxCrossEntropyLoss(), new Shape(2, 4, 4),
        () -> d, 8, 0.1f, DjlFamily.ONE_GROUP)) {
      assertThatThrownBy(f::dimension).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("flat: the model has no trainable parameters");
    }
  }

  @Test
  void dataSetSmallerThanABatchIsRefused() {
    try (DjlFamily f = tinyMlp(tiny(5), 8)) {
      assertThatThrownBy(() -> f.sample(new SplittableRandom(0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("tiny-mlp: the data set has 5 images, fewer than a minibatch of 8 (tiny)");
    }
  }

  @Test
  void sameSeedsGiveTheSameBits() {
    float[][] out = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (DjlFamily f = tinyMlp(tiny(40), 8)) {
        var p = f.sample(new SplittableRandom(0));
        float[] theta = new float[p.dimension()];
        float[] grad = new float[theta.length];
        p.init(new SplittableRandom(3), theta);
        SplittableRandom batches = new SplittableRandom(4);
        for (int t = 0; t < 20; t++) {
          p.valueAndGradient(theta, grad, batches);
          for (int i = 0; i < theta.length; i++) {
            theta[i] -= 0.1f * grad[i];
          }
        }
        out[run] = theta;
      }
    }
    assertThat(out[1]).containsExactly(out[0]);
  }
}
