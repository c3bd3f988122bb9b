package org.l2l4j.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.problem.Problems;

class SpecAndJsonTest {

  @Test
  void parsesNestedSpecs() {
    Spec s = Spec.parse(" lstm(layers=20x20, preproc=log-sign(p=10),scale=0.1) ");
    assertThat(s.name()).isEqualTo("lstm");
    assertThat(s.args()).containsExactly(Map.entry("layers", "20x20"),
        Map.entry("preproc", "log-sign(p=10)"), Map.entry("scale", "0.1"));
    assertThat(Spec.parse(s.toString())).isEqualTo(s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "(a=1)", "x(a=1", "x(a)", "x(a=1,a=2)", "x(a=1))", "x(a=(1)", "x(,)"})
  void refusesMalformedSpecs(String text) {
    assertThatThrownBy(() -> Spec.parse(text)).isInstanceOf(SpecException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "lstm(preset=paper)", "lstm(preset=deepmind)", "lstm(preset=quadratic)", "lstm(preset=simple)",
    "lstm(layers=3x4x5,preproc=clamped-log-sign(k=2.5),scale=0.05,init=zero)",
    "lstm(preset=paper,init=zero-output,gac=3)"
  })
  void lstmSpecsRoundTrip(String text) {
    LstmConfig c = LstmConfig.parse(text);
    assertThat(LstmConfig.parse(c.spec())).isEqualTo(c);
    assertThat(LstmConfig.parse(c.spec()).spec()).isEqualTo(c.spec());
  }

  @Test
  void paperParameterCount() {
    assertThat(LstmConfig.paper().parameterCount()).isEqualTo(5141);
    assertThat(LstmConfig.quadratic().parameterCount()).isEqualTo(5061);
    assertThat(LstmConfig.parse("lstm(preset=simple)").parameterCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "quadratic(preset=paper)", "quadratic(preset=deepmind)",
      "quadratic(preset=paper,dim=5,batch=3)"})
  void problemSpecsRoundTrip(String text) {
    assertThat(Problems.parse(Problems.parse(text).spec()).spec()).isEqualTo(Problems.parse(text).spec());
  }

  @Test
  void unknownProblemNamesTheKnownOnes() {
    assertThatThrownBy(() -> Problems.parse("quadric"))
        .hasMessageContaining("unknown problem 'quadric'").hasMessageContaining("quadratic");
    assertThatThrownBy(() -> Problems.parse("quadratic(preset=foo)")).hasMessageContaining("preset");
  }

  @Test
  void jsonRoundTripsFloatsExactly() {
    float[] values = {0f, -1.5f, 1e-30f, Float.MIN_VALUE, Float.MAX_VALUE, 0.1f, 123456.79f, 3e7f};
    Object parsed = Json.parse(Json.write(Map.of("v", values, "s", "a\"b\\c\n\u0001")));
    Json.Reader r = new Json.Reader("test");
    Map<String, Object> m = r.object(parsed, "top");
    assertThat(r.floats(m, "v", values.length)).containsExactly(values);
    assertThat(m.get("s")).isEqualTo("a\"b\\c\n\u0001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "\"abc", "tru",
      "{\"a\":1,\"a\":2}", "[1] 2", "\"\\x\""})
  void refusesMalformedJson(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class)
        .hasMessageContaining("offset");
  }

  @Test
  void refusesDeepNesting() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting");
  }

  @Test
  void seedsAreStableAndDistinct() {
    assertThat(Seeds.derive(1, "train", 0)).isEqualTo(Seeds.derive(1, "train", 0));
    assertThat(List.of(Seeds.derive(1, "train", 0), Seeds.derive(1, "valid", 0),
        Seeds.derive(1, "train", 1), Seeds.derive(2, "train", 0))).doesNotHaveDuplicates();
  }
}
