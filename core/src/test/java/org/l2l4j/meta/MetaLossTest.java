package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.util.SpecException;

/** The meta-loss value: spec round trip, bad specs, weights and the derivative ∂L/∂f_t. */
class MetaLossTest {
  /** Relative error allowed between ∂L/∂f_t and central differences of L in f (double). */
  static final double DERIVATIVE_TOL = 1e-7;

  @Test
  void specsParseBackEqual() {
    assertThat(MetaLoss.DEFAULT.spec()).isEqualTo("loss(weights=uniform,transform=sum)");
    assertThat(MetaLoss.parse("loss()")).isEqualTo(MetaLoss.DEFAULT);
    assertThat(MetaLoss.parse("loss")).isEqualTo(MetaLoss.DEFAULT);
    assertThat(MetaLoss.parse(" loss( transform=log-mean , weights=last ) "))
        .isEqualTo(new MetaLoss(MetaLoss.Weighting.LAST, List.of(), MetaLoss.Transform.LOG_MEAN));
    assertThat(MetaLoss.parse("loss(weights=0;.5;1e1;-0)").spec())
        .isEqualTo("loss(weights=0;0.5;10;0,transform=sum)");
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      double[] w = new double[1 + rng.nextInt(30)];
      for (int t = 0; t < w.length; t++) {
        w[t] = rng.nextInt(3) == 0 ? 0 : Math.pow(10, rng.nextDouble(-8, 8));
      }
      w[rng.nextInt(w.length)] = rng.nextDouble(0.1, 5);
      MetaLoss l = MetaLoss.given(w,
          rng.nextBoolean() ? MetaLoss.Transform.SUM : MetaLoss.Transform.LOG_MEAN);
      assertThat(MetaLoss.parse(l.spec())).as(l.spec()).isEqualTo(l);
      assertThat(l.isPlainSum()).isFalse();
    }
    assertThat(MetaLoss.DEFAULT.isPlainSum()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "lossy()", "loss(weights=)", "loss(weights=first)",
      "loss(weights=1;;2)", "loss(weights=1;-2)", "loss(weights=0;0)", "loss(weights=nan)",
      "loss(weights=1e999)", "loss(transform=log)", "loss(scale=2)", "loss(weights=1,2)",
      "loss(weights=0x1p3)"})
  void badSpecsAreRefusedWithOneMessage(String text) {
    assertThatThrownBy(() -> MetaLoss.parse(text)).isInstanceOf(SpecException.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"));
  }

  @Test
  void badSpecsNameThePart() {
    assertThatThrownBy(() -> MetaLoss.parse("loss(weights=1;-2)"))
        .hasMessageContaining("'weights=1;-2'");
    assertThatThrownBy(() -> MetaLoss.parse("loss(transform=log)"))
        .hasMessageContaining("'transform=log'").hasMessageContaining("sum or log-mean");
    assertThatThrownBy(() -> MetaLoss.parse("loss(scale=2)"))
        .hasMessageContaining("unknown parameter 'scale'");
    assertThatThrownBy(() -> MetaLoss.parse("loss(weights=0;0)"))
        .hasMessageContaining("must not be empty or all 0");
  }

  @Test
  void weightsOfEachKind() {
    MetaLoss last = MetaLoss.parse("loss(weights=last)");
    assertThat(last.weight(4, 5)).isZero();
    assertThat(last.weight(5, 5)).isEqualTo(1);
    assertThat(last.weight(3, 3)).isEqualTo(1); // a shorter last unroll: its last step
    MetaLoss given = MetaLoss.parse("loss(weights=0.5;0;2)");
    assertThat(given.weight(1, 3)).isEqualTo(0.5);
    assertThat(given.weight(3, 3)).isEqualTo(2);
    assertThat(given.weight(2, 2)).isZero(); // a shorter last unroll: w_1..w_T
    assertThat(MetaLoss.DEFAULT.weight(7, 20)).isEqualTo(1);
  }

  /** ∂L/∂f_t against central differences of L's term of step t, for both transforms. */
  @Test
  void derivativeIsTheDerivativeOfTheTerm() {
    SplittableRandom rng = new SplittableRandom(8);
    for (String spec : List.of("loss(weights=0.3;1.7;0;2.5)",
        "loss(weights=0.3;1.7;0;2.5,transform=log-mean)", "loss(transform=log-mean)",
        "loss(weights=last,transform=log-mean)")) {
      MetaLoss l = MetaLoss.parse(spec);
      for (int t = 1; t <= 4; t++) {
        double f = Math.pow(10, rng.nextDouble(-3, 3));
        double h = 1e-6 * f;
        double numeric = (l.term(t, 4, f + h) - l.term(t, 4, f - h)) / (2 * h);
        double analytic = l.derivative(t, 4, f);
        assertThat(Math.abs(analytic - numeric))
            .as("%s, t=%d, f=%g", spec, t, f)
            .isLessThanOrEqualTo(DERIVATIVE_TOL * Math.max(Math.abs(numeric), 1e-12));
      }
    }
    // log-mean of the uniform weights: (1/T)·(1/f)
    assertThat(MetaLoss.parse("loss(transform=log-mean)").derivative(2, 4, 0.5)).isEqualTo(0.5);
  }
}
