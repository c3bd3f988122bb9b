package org.l2l4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2l4j.util.SpecException;

/**
 * Each baseline against its textbook update, two steps computed by hand (in double, written out
 * below), on θ₀ = (1, −2) with gradients g₁ = (0.5, −1), g₂ = (0.25, 2).
 */
class BaselineOptimizerTest {
  static final Offset<Float> TOL = Offset.offset(1e-6f);
  static final float[] G1 = {0.5f, -1f};
  static final float[] G2 = {0.25f, 2f};

  static <S extends Optimizer.State> float[] twoSteps(Optimizer<S> opt) {
    float[] theta = {1f, -2f};
    S s = opt.init(2);
    opt.step(s, theta, G1);
    opt.step(s, theta, G2);
    return theta;
  }

  @Test
  void sgd() {
    // θ -= 0.1 g: 1 - 0.05 - 0.025 = 0.925; -2 + 0.1 - 0.2 = -2.1
    float[] t = twoSteps(new Sgd(0.1));
    assertThat(t[0]).isCloseTo(0.925f, TOL);
    assertThat(t[1]).isCloseTo(-2.1f, TOL);
  }

  @Test
  void nag() {
    // lr 0.1, μ 0.9. Step 1: v = g1 = (0.5, -1); θ -= 0.1 (g1 + 0.9 v) = 0.1·1.9·g1
    //   θ = (1 - 0.095, -2 + 0.19) = (0.905, -1.81)
    // Step 2: v = 0.9 v + g2 = (0.45 + 0.25, -0.9 + 2) = (0.7, 1.1);
    //   θ -= 0.1 (g2 + 0.9 v) = 0.1 (0.25 + 0.63, 2 + 0.99) = (0.088, 0.299)
    //   θ = (0.817, -2.109)
    float[] t = twoSteps(new Nag(0.1, 0.9));
    assertThat(t[0]).isCloseTo(0.817f, TOL);
    assertThat(t[1]).isCloseTo(-2.109f, TOL);
  }

  @Test
  void rmsprop() {
    // lr 0.01, α 0.99, ε 1e-8. Step 1: m = 0.01 g1² = (0.0025, 0.01);
    //   θ -= 0.01 g1/√m = 0.01 (0.5/0.05, -1/0.1) = (0.1, -0.1) → (0.9, -1.9)
    // Step 2: m = 0.99 m + 0.01 g2² = (0.002475 + 0.000625, 0.0099 + 0.04) = (0.0031, 0.0499)
    //   θ -= 0.01 (0.25/√0.0031, 2/√0.0499)
    double m0 = 0.0031;
    double m1 = 0.0499;
    float[] t = twoSteps(new RmsProp(0.01, 0.99, 1e-8));
    assertThat(t[0]).isCloseTo((float) (0.9 - 0.01 * 0.25 / (Math.sqrt(m0) + 1e-8)), TOL);
    assertThat(t[1]).isCloseTo((float) (-1.9 - 0.01 * 2 / (Math.sqrt(m1) + 1e-8)), TOL);
  }

  @Test
  void adam() {
    // lr 0.1, β1 0.9, β2 0.999, ε 1e-8 (Torch7's form: step size lr·√(1-β2ᵗ)/(1-β1ᵗ)).
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    double[] theta = {1, -2};
    double[] m = new double[2];
    double[] v = new double[2];
    float[][] gs = {G1, G2};
    for (int t = 1; t <= 2; t++) {
      double step = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < 2; i++) {
        m[i] = b1 * m[i] + (1 - b1) * gs[t - 1][i];
        v[i] = b2 * v[i] + (1 - b2) * gs[t - 1][i] * gs[t - 1][i];
        theta[i] -= step * m[i] / (Math.sqrt(v[i]) + 1e-8);
      }
    }
    // first step of Adam moves each coordinate by ≈ lr against the gradient's sign
    assertThat(theta[0]).isLessThan(1 - 0.09);
    float[] got = twoSteps(new Adam(lr, b1, b2, 1e-8));
    assertThat(got[0]).isCloseTo((float) theta[0], TOL);
    assertThat(got[1]).isCloseTo((float) theta[1], TOL);
  }

  static Stream<String> specs() {
    return Stream.of("sgd(lr=0.01)", "nag(lr=0.3,momentum=0.5)", "rmsprop(lr=1e-4,alpha=0.9,eps=1e-6)",
        "adam(lr=0.001,b1=0.9,b2=0.999,eps=1e-8)");
  }

  @ParameterizedTest
  @MethodSource("specs")
  void specRoundTrip(String spec) {
    BaselineOptimizer<?> o = Optimizers.parseBaseline(spec);
    assertThat(o.spec()).isEqualTo(spec);
    assertThat(Optimizers.parseBaseline(o.spec())).isEqualTo(o);
    assertThat(o.withLearningRate(0.5).learningRate()).isEqualTo(0.5);
  }

  @Test
  void torchDefaults() {
    assertThat(Optimizers.parseBaseline("adam")).isEqualTo(new Adam(0.001, 0.9, 0.999, 1e-8));
    assertThat(Optimizers.parseBaseline("rmsprop")).isEqualTo(new RmsProp(0.001, 0.99, 1e-8));
    assertThat(Optimizers.parseBaseline("nag")).isEqualTo(new Nag(0.001, 0.9));
  }

  @Test
  void badSpecsAreRefusedWithClearMessages() {
    assertThatThrownBy(() -> Optimizers.parseBaseline("adamw(lr=1)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("unknown optimizer 'adamw'");
    assertThatThrownBy(() -> Optimizers.parseBaseline("sgd(lr=0)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("lr");
    assertThatThrownBy(() -> Optimizers.parseBaseline("sgd(lr=NaN)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("not finite");
    assertThatThrownBy(() -> Optimizers.parseBaseline("adam(lrr=0.1)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("unknown parameter 'lrr'");
    assertThatThrownBy(() -> Optimizers.parseBaseline("nag(momentum=1.5)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("momentum");
  }

  /**
   * Every baseline's state saves itself and loads into a fresh state from which the next steps are
   * bit-identical to the original's (what checkpoints of the outer optimizer rely on).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sgd(lr=0.1)",
      "nag(lr=0.1,momentum=0.9)", "rmsprop(lr=0.01)", "adam(lr=0.01)"})
  void statesSaveAndLoadExactly(String spec) {
    continueAfterLoad(Optimizers.parseBaseline(spec));
  }

  private static <S extends SavableState> void continueAfterLoad(BaselineOptimizer<S> opt) {
    float[] a = {1f, -2f};
    S s = opt.init(2);
    opt.step(s, a, G1);
    java.util.Map<String, Object> saved = SavableState.values(s::save);
    S t = opt.init(2);
    t.load(new SavableState.Reader() {
      @Override
      public float[] floats(String name, int length) {
        float[] v = (float[]) saved.get(name);
        assertThat(v).as(name).hasSize(length);
        return v;
      }

      @Override
      public long integer(String name, long min, long max) {
        return (Long) saved.get(name);
      }

      @Override
      public double number(String name) {
        return (Double) saved.get(name);
      }
    });
    float[] b = a.clone();
    opt.step(s, a, G2);
    opt.step(t, b, G2);
    assertThat(b).containsExactly(a);
    if (!(opt instanceof Sgd)) {
      assertThat(saved).as("a stateful optimizer saves something").isNotEmpty();
    }
  }
}
