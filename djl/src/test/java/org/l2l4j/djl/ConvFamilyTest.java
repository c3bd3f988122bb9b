package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.SpecException;

/** The paper's conv net as {@code conv(...)}: coordinate counts, groups, specs, a gradient check. */
class ConvFamilyTest {
  /** Relative tolerance of the float32 central-difference check below (h = 1e-3 on biases and β). */
  static final double FD_TOLERANCE = 2e-2;

  @Test
  void coordinateCountsAreThePapers() {
    // SPEC §5: 22,682 coordinates on 32x32x3 with 10 classes, 14,000 of them conv kernel weights
    try (DjlFamily cifar = ConvFamily.create(ConvFamily.parse(
        org.l2l4j.util.Spec.parse("conv(data=cifar10)")))) {
      assertThat(cifar.dimension()).isEqualTo(22_682);
      assertThat(cifar.groups().get(0).name()).isEqualTo("conv");
      assertThat(cifar.groups().get(0).size()).isEqualTo(14_000);
      assertThat(cifar.groups().get(1).name()).isEqualTo("fc");
      assertThat(cifar.groups().get(1).size()).isEqualTo(22_682 - 14_000);
    }
    // 28x28x1 (computed by hand in ConvFamily's javadoc)
    try (DjlFamily fashion = ConvFamily.create(ConvFamily.parse(
        org.l2l4j.util.Spec.parse("conv")))) {
      assertThat(fashion.dimension()).isEqualTo(18_298);
      assertThat(fashion.groups().get(0).size()).isEqualTo(13_200);
    }
    try (DjlFamily five = ConvFamily.create(ConvFamily.parse(
        org.l2l4j.util.Spec.parse("conv(classes=0-4)")))) {
      assertThat(five.dimension()).isEqualTo(18_298 - 5 * 33);
    }
  }

  @Test
  void layoutOfTheParameters() {
    try (DjlFamily f = ConvFamily.create(ConvFamily.parse(org.l2l4j.util.Spec.parse("conv")))) {
      // conv kernel, conv bias, beta, ... ; the kernels are the 4-D parameters
      List<DjlFamily.Param> p = f.parameters();
      assertThat(p).hasSize(3 * 3 + 2 + 1 + 2);
      assertThat(p.get(0).shape().getShape()).containsExactly(16, 1, 5, 5);
      assertThat(p.get(3).shape().getShape()).containsExactly(16, 16, 5, 5);
      assertThat(p).filteredOn(q -> q.group().equals("conv")).hasSize(3);
      ParamGroup conv = f.groups().get(0);
      assertThat(conv.ranges()).containsExactly(0, 400, 432, 432 + 6400, 6864, 6864 + 6400);
    }
  }

  @Test
  void specsParseBackEqual() {
    for (String s : List.of("conv", "conv(classes=0;1)", "conv(data=mnist,classes=0-2;7,batch=16)",
        "conv(data=cifar10,classes=5-9,split=test,dir=/tmp/x)")) {
      ProblemFamily f = Problems.parse(s);
      assertThat(f).isInstanceOf(DjlFamily.class);
      assertThat(Problems.parse(f.spec())).isEqualTo(f);
      assertThat(f.spec()).startsWith("conv(data=");
    }
    assertThat(Problems.parse("conv(classes=1;0)").spec())
        .isEqualTo("conv(data=fashion-mnist,classes=0-1,batch=128,split=train)");
  }

  @Test
  void badSpecsAreRefusedWithOneLine() {
    assertThatThrownBy(() -> Problems.parse("conv(classes=3)")).isInstanceOf(SpecException.class)
        .hasMessageContaining("at least 2 labels");
    assertThatThrownBy(() -> Problems.parse("conv(classes=0-10)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("classes='0-10'");
    assertThatThrownBy(() -> Problems.parse("conv(classes=1;1)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("distinct");
    assertThatThrownBy(() -> Problems.parse("conv(data=svhn)")).isInstanceOf(SpecException.class)
        .hasMessageContaining("unknown data 'svhn'");
    assertThatThrownBy(() -> Problems.parse("conv(width=3)")).isInstanceOf(SpecException.class);
  }

  @Test
  void labelSubsetKeepsOnlyThoseImagesRelabelled() {
    ImageData d = DjlFamilyTest.tiny(60).withLabels(new int[] {2, 0});
    assertThat(d.classes()).isEqualTo(2);
    int[] all = DjlFamilyTest.tiny(60).labelCounts();
    assertThat(d.count()).isEqualTo(all[0] + all[2]);
    // label 2 -> 0, label 0 -> 1 (position in the given list)
    assertThat(d.labelCounts()).containsExactly(all[2], all[0]);
  }

  @Test
  void gradientAgreesWithCentralDifferencesOnBeta() {
    // a smaller conv net on 3x8x8 images keeps this fast; the batch-norm β of the last block
    ImageData data = cifarLike(64, 8);
    try (DjlFamily f = new DjlFamily("conv-small", () -> ConvFamily.net(10),
        ai.djl.training.loss.Loss.softmaxCrossEntropyLoss(), new ai.djl.ndarray.types.Shape(3, 8, 8),
        () -> data, 16, 0.3f, ConvFamily.GROUPING)) {
      var p = f.sample(new SplittableRandom(0));
      float[] theta = new float[p.dimension()];
      p.init(new SplittableRandom(1), theta);
      float[] g = new float[theta.length];
      p.valueAndGradient(theta, g, new SplittableRandom(7));
      float[] scratch = new float[theta.length];
      int checked = 0;
      for (DjlFamily.Param q : f.parameters()) {
        if (!q.name().endsWith("beta") && !q.name().endsWith("bias")) {
          continue;
        }
        int i = q.offset();
        float h = 1e-3f;
        float keep = theta[i];
        theta[i] = keep + h;
        double up = p.valueAndGradient(theta, scratch, new SplittableRandom(7));
        theta[i] = keep - h;
        double down = p.valueAndGradient(theta, scratch, new SplittableRandom(7));
        theta[i] = keep;
        double fd = (up - down) / (2 * h);
        assertThat(g[i]).as(q.name()).isCloseTo((float) fd,
            org.assertj.core.data.Offset.offset((float) (FD_TOLERANCE * Math.max(1e-2, Math.abs(fd)))));
        checked++;
      }
      assertThat(checked).isGreaterThanOrEqualTo(6);
    }
  }

  static ImageData cifarLike(int count, int side) {
    SplittableRandom r = new SplittableRandom(9);
    byte[] px = new byte[count * 3 * side * side];
    byte[] lb = new byte[count];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < count; i++) {
      lb[i] = (byte) r.nextInt(10);
    }
    return new ImageData(px, lb, 3, side, side, 10, "random");
  }

  @Test
  void splitsOfFashionMnistAreDisjointFiles() {
    ConvFamily.Settings s = ConvFamily.parse(org.l2l4j.util.Spec.parse("conv(classes=0-4)"));
    assertThat(s.withSplit(Split.TEST).spec()).contains("split=test").contains("classes=0-4");
  }
}
