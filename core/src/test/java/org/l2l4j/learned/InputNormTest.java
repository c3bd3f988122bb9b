package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.QuadraticFamily;
import org.l2l4j.util.Parallel;
import org.junit.jupiter.api.Test;

/** The input normalisation of {@link LstmConfig#norm}: formula, groups, and scale invariance. */
class InputNormTest {

  @Test
  void matchesTheDoubleFormulaStepByStep() {
    InputNorm norm = InputNorm.of(NetGroups.single(LstmConfig.parse("lstm(preset=general)")),
        List.of(ParamGroup.all(5)), 5);
    SplittableRandom rng = new SplittableRandom(1);
    double[] v = new double[5];
    float[] g = new float[5];
    float[] x = new float[5];
    for (int t = 1; t <= 30; t++) {
      double[] gd = new double[5];
      double[] want = new double[5];
      for (int i = 0; i < 5; i++) {
        g[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 6)));
        gd[i] = g[i];
      }
      g[0] = 0; // a zero gradient stays zero, never NaN
      gd[0] = 0;
      UnrollCheck.normalise(gd, want, v, 0.99, t);
      norm.apply(g, x);
      for (int i = 0; i < 5; i++) {
        assertThat((double) x[i]).as("t=%d i=%d", t, i).isCloseTo(want[i],
            within(1e-5 * Math.max(1, Math.abs(want[i]))));
      }
      assertThat(x[0]).isZero();
    }
    assertThat(norm.steps()).isEqualTo(30);
    // the first step sees sign(g) (v̂_1 = g_1²)
    norm.reset();
    norm.apply(new float[] {3, -2e-5f, 0, 5e6f, -1}, x);
    assertThat(x).containsExactly(new float[] {1, -1, 0, 1, -1}, org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void onlyTheGroupsOfNormalisingNetsAreNormalised() {
    NetGroups nets = NetGroups.parse("groups(weights=lstm(preset=general),"
        + "biases=lstm(preset=paper))");
    List<ParamGroup> groups = List.of(new ParamGroup("weights", new int[] {0, 2, 3, 4}),
        new ParamGroup("biases", new int[] {2, 3}));
    InputNorm norm = InputNorm.of(nets, groups, 4);
    float[] x = new float[4];
    norm.apply(new float[] {4, -4, 7, 9}, x);
    assertThat(x).containsExactly(1, -1, 7, 1);
    assertThat(InputNorm.of(NetGroups.single(LstmConfig.paper()), List.of(ParamGroup.all(4)), 4))
        .isNull();
  }

  /** Multiplying the loss by 1e-3 or 1e3 leaves the general optimizer's trajectory unchanged. */
  @Test
  void updatesDoNotDependOnTheLossScale() {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=general,init=official)");
    float[] w = LstmWeights.init(cfg, new SplittableRandom(5));
    QuadraticFamily family =
        new QuadraticFamily("paper", QuadraticFamily.Distribution.NORMAL, 10, 1, 0.01f);
    Problem q = family.sample(new SplittableRandom(6));
    float[][] finals = new float[3][];
    double[] scales = {1, 1e-3, 1e3};
    try (Parallel parallel = new Parallel(1)) {
      for (int k = 0; k < 3; k++) {
        LearnedOptimizer opt = new LearnedOptimizer("t", NetGroups.single(cfg), null, w,
            LstmKernels.best(), parallel);
        float[] theta = new float[10];
        q.init(new SplittableRandom(7), theta);
        float[] grad = new float[10];
        LearnedOptimizer.RunState s = opt.init(10);
        for (int t = 0; t < 50; t++) {
          q.valueAndGradient(theta, grad, null);
          for (int i = 0; i < 10; i++) {
            grad[i] *= (float) scales[k];
          }
          opt.step(s, theta, grad);
        }
        finals[k] = theta;
      }
    }
    for (int k = 1; k < 3; k++) {
      for (int i = 0; i < 10; i++) {
        assertThat(finals[k][i]).as("scale %s, θ[%d]", scales[k], i)
            .isCloseTo(finals[0][i], org.assertj.core.data.Offset.offset(1e-3f * Math.max(1, Math.abs(finals[0][i]))));
      }
    }
    // and the trajectory moved: the test is not vacuous
    float[] start = new float[10];
    q.init(new SplittableRandom(7), start);
    assertThat(finals[0]).isNotEqualTo(start);
  }
}
