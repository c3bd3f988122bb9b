package org.l2l4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StudentTTest {
  /** The precision of printed t tables (three decimals). */
  private static final double TABLE_TOLERANCE = 1e-3;
  /** Relative agreement with closed forms and with SciPy's 16-digit values. */
  private static final double EXACT_TOLERANCE = 1e-12;
  /** Relative agreement of the exact sum and the Cornish–Fisher expansion at df = 1000. */
  private static final double SWITCH_TOLERANCE = 1e-12;

  /** t_{0.975} from any printed t table (e.g. Abramowitz &amp; Stegun, Table 26.10). */
  @ParameterizedTest
  @CsvSource({"1, 12.706", "2, 4.303", "5, 2.571", "19, 2.093", "99, 1.984"})
  void matchesThePrintedTable(int df, double t) {
    assertThat(StudentT.quantile(0.975, df)).isCloseTo(t, within(TABLE_TOLERANCE));
  }

  @Test
  void infiniteDegreesOfFreedomIsTheNormal() {
    assertThat(StudentT.normalQuantile(0.975)).isCloseTo(1.960, within(TABLE_TOLERANCE));
    // at df = 2^31 - 1 the quantile exceeds z by the leading term (z^3 + z)/(4 df), about 1.1e-9
    double z = StudentT.normalQuantile(0.975);
    double gap = StudentT.quantile(0.975, Integer.MAX_VALUE) - z;
    assertThat(gap).isCloseTo((z * z * z + z) / (4.0 * Integer.MAX_VALUE), within(1e-15));
  }

  /**
   * 16-digit values from SciPy 1.17.1, made by {@code python3 -c "from scipy.stats import t, norm;
   * print(repr(float(t.ppf(P, DF))), repr(float(norm.ppf(P))))"} (df = 0 below: the normal).
   */
  @ParameterizedTest
  @CsvSource({
    "0.975, 1, 12.706204736174694",
    "0.975, 2, 4.302652729749462",
    "0.975, 3, 3.1824463052837078",
    "0.975, 4, 2.7764451051977934",
    "0.975, 5, 2.5705818356363146",
    "0.975, 9, 2.262157162798205",
    "0.975, 10, 2.228138851986274",
    "0.975, 19, 2.0930240544083087",
    "0.975, 20, 2.085963447265864",
    "0.975, 29, 2.045229642132703",
    "0.975, 30, 2.0422724563012378",
    "0.975, 99, 1.9842169515864174",
    "0.975, 100, 1.9839715185235518",
    "0.975, 999, 1.9623414611334493",
    "0.975, 1000, 1.9623390808264083",
    "0.975, 1001, 1.9623367052808798",
    "0.975, 5000, 1.9604385517065073",
    "0.975, 100000, 1.9599877075346095",
    "0.975, 0, 1.959963984540054",
    "0.6, 3, 0.2766706623326898",
    "0.6, 19, 0.25692281979615467",
    "0.6, 1001, 0.25341444848349826",
    "0.9, 3, 1.637744353696209",
    "0.9, 50, 1.2987136941948096",
    "0.9, 1001, 1.2823978745810514",
    "0.995, 19, 2.8609346064649794",
    "0.995, 1000, 2.580754698065951",
    "0.9995, 3, 12.923978636687961",
    "0.9995, 50, 3.496012881811176",
    "0.9995, 1001, 3.3002728760660403",
    "0.999999, 2, 707.1057205157672",
    "0.999999, 19, 6.7233942821860095",
    "0.999999, 100000, 4.753704716385476"
  })
  void matchesScipy(double p, int df, double expected) {
    double t = df == 0 ? StudentT.normalQuantile(p) : StudentT.quantile(p, df);
    // 1 - 1e-6 is not exact in double: allow for the quantile's slope there
    double tolerance = p > 0.9999 ? 1e-9 : EXACT_TOLERANCE;
    assertThat(t).isCloseTo(expected, within(tolerance * expected));
    double negative = df == 0 ? StudentT.normalQuantile(1 - p) : StudentT.quantile(1 - p, df);
    assertThat(negative).isCloseTo(-expected, within(tolerance * expected));
  }

  /** Closed forms: df 1 is Cauchy, tan(π(p − ½)); df 2 is (2p − 1)/√(2p(1 − p)). */
  @Test
  void matchesTheClosedFormsForOneAndTwoDegrees() {
    for (int i = 1; i < 200; i++) {
      double p = i / 200.0;
      double cauchy = Math.tan(Math.PI * (p - 0.5));
      double two = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      assertThat(StudentT.quantile(p, 1))
          .as("p=%s df=1", p)
          .isCloseTo(cauchy, within(EXACT_TOLERANCE * Math.max(1, Math.abs(cauchy))));
      assertThat(StudentT.quantile(p, 2))
          .as("p=%s df=2", p)
          .isCloseTo(two, within(EXACT_TOLERANCE * Math.max(1, Math.abs(two))));
    }
  }

  /** The exact sum and the expansion, two independent methods, agree where the code switches. */
  @Test
  void exactSumAndExpansionAgreeAtTheSwitch() {
    int df = StudentT.EXACT_MAX_DF;
    for (double p : new double[] {0.55, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999}) {
      double exact = StudentT.quantile(p, df);
      double expansion = StudentT.cornishFisher(StudentT.normalQuantile(p), df);
      assertThat(expansion).as("p=%s", p).isCloseTo(exact, within(SWITCH_TOLERANCE * exact));
    }
  }

  @Test
  void decreasesTowardsTheNormalAsDegreesGrow() {
    double previous = Double.POSITIVE_INFINITY;
    for (int df = 1; df <= 2000; df++) {
      double t = StudentT.quantile(0.975, df);
      assertThat(t).as("df=%d", df).isLessThan(previous);
      previous = t;
    }
    assertThat(previous).isGreaterThan(StudentT.normalQuantile(0.975));
    assertThat(StudentT.quantile(0.5, 7)).isZero();
  }

  @Test
  void refusesBadArguments() {
    assertThatThrownBy(() -> StudentT.quantile(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p must be in (0, 1)");
    assertThatThrownBy(() -> StudentT.quantile(1, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StudentT.quantile(Double.NaN, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StudentT.quantile(0.975, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("df must be at least 1");
    assertThatThrownBy(() -> StudentT.normalQuantile(1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
