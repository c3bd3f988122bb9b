package org.l2l4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.util.SpecException;

/** {@code quadratic(scale=S)}: f and ∇f multiplied by S, the spec and its limits. */
class QuadraticScaleTest {
  /**
   * Relative error allowed for a scale that is not a power of two: the loss is rounded once from
   * double (half an ulp), each gradient coordinate twice (two float multiplications, ≤ 2 ulps).
   */
  private static final double NON_POWER_TOLERANCE = 3e-7;

  private static final int DIM = 7;
  private static final int BATCH = 3;
  private static final int STEPS = 5;

  /** Loss and gradient of {@code spec}'s problem from seed 11 at θ₀ and after a few moves. */
  private static float[][] run(String spec) {
    ProblemFamily family = Problems.parse(spec);
    SplittableRandom rng = new SplittableRandom(11);
    Problem p = family.sample(rng);
    float[] theta = new float[p.dimension()];
    p.init(rng, theta);
    float[][] out = new float[STEPS][];
    float[] grad = new float[p.dimension()];
    SplittableRandom moves = new SplittableRandom(12);
    for (int s = 0; s < STEPS; s++) {
      float f = p.valueAndGradient(theta, grad, rng);
      float[] row = new float[grad.length + 1];
      row[0] = f;
      System.arraycopy(grad, 0, row, 1, grad.length);
      out[s] = row;
      for (int i = 0; i < theta.length; i++) {
        theta[i] = (float) (moves.nextGaussian()); // the same points for every scale
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.25, 4, 1024, 0.0078125})
  void powerOfTwoScaleMultipliesLossAndGradientExactly(double scale) {
    String base = "quadratic(dim=" + DIM + ",batch=" + BATCH + ")";
    String scaled = "quadratic(dim=" + DIM + ",batch=" + BATCH + ",scale="
        + org.l2l4j.util.Spec.fmt(scale) + ")";
    float[][] a = run(base);
    float[][] b = run(scaled);
    for (int s = 0; s < STEPS; s++) {
      for (int i = 0; i < a[s].length; i++) {
        assertThat(b[s][i]).as("step %d entry %d", s, i).isEqualTo((float) (a[s][i] * scale));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 100, 3})
  void otherScalesMultiplyToFloatRounding(double scale) {
    float[][] a = run("quadratic(dim=" + DIM + ",batch=" + BATCH + ")");
    float[][] b = run("quadratic(dim=" + DIM + ",batch=" + BATCH + ",scale="
        + org.l2l4j.util.Spec.fmt(scale) + ")");
    for (int s = 0; s < STEPS; s++) {
      for (int i = 0; i < a[s].length; i++) {
        double want = a[s][i] * scale;
        assertThat((double) b[s][i]).as("step %d entry %d", s, i)
            .isCloseTo(want, org.assertj.core.data.Offset.offset(
                Math.abs(want) * NON_POWER_TOLERANCE + Float.MIN_NORMAL));
      }
    }
  }

  @Test
  void scaleOneIsTheDefaultAndGivesTheSameBits() {
    float[][] a = run("quadratic(dim=5)");
    float[][] b = run("quadratic(dim=5,scale=1)");
    assertThat(b).isDeepEqualTo(a);
    assertThat(Problems.parse("quadratic(dim=5,scale=1)").spec())
        .isEqualTo("quadratic(preset=paper,dim=5)");
  }

  @Test
  void specWritesScaleAndParsesBackEqual() {
    for (String s : new String[] {"quadratic(preset=paper,scale=0.01)",
        "quadratic(preset=paper,scale=100)", "quadratic(preset=deepmind,dim=4,scale=1e-5)"}) {
      ProblemFamily f = Problems.parse(s);
      assertThat(f.spec()).isEqualTo(s);
      assertThat(Problems.parse(f.spec()).spec()).isEqualTo(s);
    }
    assertThat(((QuadraticFamily) Problems.parse("quadratic(scale=0.01)")).scale()).isEqualTo(0.01);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quadratic(scale=0)", "quadratic(scale=-1)", "quadratic(scale=nan)",
      "quadratic(scale=inf)", "quadratic(scale=1e-40)", "quadratic(scale=1e31)",
      "quadratic(scale=x)"})
  void badScalesAreRefusedNamingTheField(String spec) {
    assertThatThrownBy(() -> Problems.parse(spec)).isInstanceOf(SpecException.class)
        .hasMessageContaining("scale");
  }
}
