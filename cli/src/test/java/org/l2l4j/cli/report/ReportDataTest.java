package org.l2l4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.l2l4j.eval.Curve;

class ReportDataTest {
  private static Curve flat(String name, int steps) {
    return new Curve(name, name + "()", false, new double[2][steps + 1]);
  }

  @Test
  void rejectsCurvesOfAnotherLength() {
    assertThatThrownBy(() -> new ReportData("t", "p", 10, 2, List.of(flat("a", 9))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' has 9 steps");
  }

  @Test
  void rejectsDuplicateNamesAndUnknownRates() {
    assertThatThrownBy(() -> new ReportData("t", "p", 3, 2, List.of(flat("a", 3), flat("a", 3))))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(
            () ->
                new ReportData("t", "p", 3, 2, List.of(flat("a", 3)), Map.of("b", 0.1), List.of(),
                    Map.of()))
        .hasMessageContaining("unknown curve 'b'");
  }

  @Test
  void rejectsExtraFieldsThatShadowTheSchema() {
    assertThatThrownBy(
            () ->
                new ReportData("t", "p", 3, 2, List.of(flat("a", 3)), Map.of(), List.of(),
                    Map.of("steps", 5)))
        .hasMessageContaining("reserved");
  }

  @Test
  void formatsNumbersCompactly() {
    assertThat(Fmt.num(1.2345e-5, 3)).isEqualTo("1.23e-5");
    assertThat(Fmt.num(0.1234567, 4)).isEqualTo("0.1235");
    assertThat(Fmt.num(12345678, 3)).isEqualTo("1.23e7");
    assertThat(Fmt.num(100, 4)).isEqualTo("100");
    assertThat(Fmt.num(9999.7, 4)).isEqualTo("1e4");
    assertThat(Fmt.num(0.00099996, 4)).isEqualTo("0.001");
    assertThat(Fmt.num(-0.5, 2)).isEqualTo("-0.5");
    assertThat(Fmt.num(0, 3)).isEqualTo("0");
    assertThat(Fmt.num(Double.NaN, 3)).isEqualTo("nan");
    assertThat(Fmt.num(Double.NEGATIVE_INFINITY, 3)).isEqualTo("-inf");
    assertThat(Fmt.meanCi(0.5, 0.01234)).isEqualTo("0.5 ± 0.012");
  }
}
