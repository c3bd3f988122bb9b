package org.l2l4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Goals} on hand-made curves whose means are known. */
class GoalsTest {
  /** One run whose losses are {@code values} (so the mean is {@code values}). */
  private static Curve curve(String name, boolean learned, double... values) {
    return new Curve(name, name, learned, new double[][] {values});
  }

  /** A curve of {@code n} steps: {@code start} at 0, {@code at100} at step 100, {@code last} at n. */
  private static Curve shaped(String name, boolean learned, int n, double start, double at100,
      double last) {
    double[] v = new double[n + 1];
    for (int t = 0; t <= n; t++) {
      v[t] = t < Math.min(n, 100) ? start : (t < n ? at100 : last);
    }
    if (n >= 100) {
      v[100] = n == 100 ? last : at100;
    }
    return curve(name, learned, v);
  }

  @Test
  void horizon100ComparesWithAdamAndTheBestBaseline() {
    Curve l = shaped("lstm", true, 100, 10, 0.5, 0.5);
    Goals g = Goals.of(l, List.of(shaped("sgd", false, 100, 10, 2, 2),
        shaped("adam", false, 100, 10, 0.6, 0.6), shaped("nag", false, 100, 10, 0.3, 0.3)));
    assertThat(g.belowStart()).isTrue();
    assertThat(g.belowOwnStep100()).isNull(); // H = 100: no later step to compare
    assertThat(g.belowAdamAtStep100()).isTrue(); // 0.5 < 0.6
    assertThat(g.best()).isEqualTo("nag");
    assertThat(g.bestLast()).isEqualTo(0.3);
    assertThat(g.ratio()).isEqualTo(0.5 / 0.3);
    assertThat(g.nearBest()).isTrue(); // 0.5 <= 2 * 0.3
    assertThat(g.adamLast()).isEqualTo(0.6);
    assertThat(g.diverged()).isFalse();
  }

  @Test
  void longHorizonChecksTheOwnStep100AndTheFactorTwo() {
    Curve l = shaped("lstm", true, 300, 10, 0.5, 0.7); // worse at 300 than at 100
    Goals g = Goals.of(l, List.of(shaped("adam", false, 300, 10, 1, 0.3)));
    assertThat(g.belowStart()).isTrue();
    assertThat(g.belowOwnStep100()).isFalse();
    assertThat(g.belowAdamAtStep100()).isNull(); // only at H = 100
    assertThat(g.nearBest()).isFalse(); // 0.7 > 2 * 0.3
    assertThat(g.ratio()).isEqualTo(0.7 / 0.3);
  }

  @Test
  void bothTinyCountsAsNearEvenBeyondTheFactor() {
    Curve l = shaped("lstm", true, 200, 1, 1e-3, 5e-5);
    Goals g = Goals.of(l, List.of(shaped("adam", false, 200, 1, 1e-3, 1e-6)));
    assertThat(g.ratio()).isEqualTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(g.nearBest()).isTrue(); // 5e-5 and 1e-6 both below 1e-4 x 1
    Goals notTiny = Goals.of(shaped("lstm", true, 200, 1, 1e-3, 2e-4),
        List.of(shaped("adam", false, 200, 1, 1e-3, 1e-6)));
    assertThat(notTiny.nearBest()).isFalse();
  }

  @Test
  void aDivergedRunFailsAndDivergedBaselinesAreNotTheBest() {
    Curve l = shaped("lstm", true, 20, 1, 1, 5);
    Goals g = Goals.of(l, List.of(shaped("sgd", false, 20, 1, 1, 9),
        shaped("adam", false, 20, 1, 1, 0.5)));
    assertThat(g.diverged()).isTrue();
    assertThat(g.belowStart()).isFalse();
    assertThat(g.best()).isEqualTo("adam");
    assertThat(g.nearBest()).isFalse();
    assertThat(g.belowAdamAtStep100()).isNull();
    Goals none = Goals.of(l, List.of(shaped("sgd", false, 20, 1, 1, 9)));
    assertThat(none.best()).isNull();
    assertThat(none.nearBest()).isNull();
    assertThat(none.ratio()).isNaN();
    assertThat(none.adamLast()).isNaN();
    Goals nan = Goals.of(curve("lstm", true, 1, Double.NaN), List.of());
    assertThat(nan.belowStart()).isFalse();
    assertThat(nan.diverged()).isTrue();
  }

  @Test
  void baselinesMustHaveTheSameSteps() {
    assertThatThrownBy(() -> Goals.of(curve("lstm", true, 1, 0.5),
        List.of(curve("adam", false, 1, 0.5, 0.2)))).hasMessageContaining("steps");
  }
}
