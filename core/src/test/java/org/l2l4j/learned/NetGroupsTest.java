package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.SpecException;

/** The spec of one net or one net per parameter group: round trip, bad specs, binding. */
class NetGroupsTest {
  @ParameterizedTest
  @ValueSource(strings = {
    "lstm(preset=paper)",
    "groups(weights=lstm(preset=paper),biases=lstm(preset=paper))",
    " groups( conv = lstm(layers=4,gac=2) , rest=lstm(preset=quadratic) ) ",
    "groups(all=lstm(preset=simple))",
  })
  void specRoundTrips(String text) {
    NetGroups n = NetGroups.parse(text);
    assertThat(NetGroups.parse(n.spec())).isEqualTo(n);
    assertThat(NetGroups.parse(n.spec()).spec()).isEqualTo(n.spec());
  }

  @Test
  void aBareLstmIsOneNetForAllWithItsOwnSpec() {
    NetGroups n = NetGroups.parse("lstm(preset=paper)");
    assertThat(n.bare()).isTrue();
    assertThat(n.names()).containsExactly(ParamGroup.ALL);
    assertThat(n.spec()).isEqualTo(LstmConfig.paper().spec());
    assertThat(n.parameterCount()).isEqualTo(LstmConfig.paper().parameterCount());
    NetGroups two = NetGroups.parse("groups(b=lstm(preset=paper),a=lstm(layers=0))");
    assertThat(two.bare()).isFalse();
    assertThat(two.names()).containsExactly("b", "a");
    assertThat(two.offset(1)).isEqualTo(LstmConfig.paper().parameterCount());
    assertThat(two.spec()).startsWith("groups(b=lstm(layers=20x20,");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "adam(lr=1)|expected an lstm(...) spec, got 'adam(lr=1)' (one net per parameter group: groups(",
    "groups()|groups(...) needs at least one NAME=lstm(...)",
    "groups|groups(...) needs at least one NAME=lstm(...)",
    "groups(a=lstm(preset=paper),a=lstm(preset=paper))|'a' given twice",
    "groups(A=lstm(preset=paper))|groups: bad group name 'A'",
    "groups(a=adam(lr=1))|groups: group 'a': expected an lstm(...) spec",
    "groups(a=lstm(layers=0),b=lstm(layers=9999))|groups: group 'b': lstm: layer widths",
    "groups(a=groups(b=lstm(layers=0)))|groups: group 'a': expected an lstm(...) spec",
  })
  void badSpecsAreRefusedWithOneLine(String row) {
    String[] kv = row.split("\\|");
    assertThatThrownBy(() -> NetGroups.parse(kv[0])).isInstanceOf(SpecException.class)
        .hasMessageContaining(kv[1]).extracting(Throwable::getMessage).asString()
        .doesNotContain("\n");
  }

  @Test
  void bindingFollowsTheSpecOrderAndNamesMissingGroups() {
    var mlp = Problems.parse("mnist(hidden=3)");
    NetGroups n = NetGroups.parse("groups(biases=lstm(layers=0),weights=lstm(layers=0))");
    List<ParamGroup> bound = n.bind(mlp.groups(), mlp.dimension());
    assertThat(bound).extracting(ParamGroup::name).containsExactly("biases", "weights");
    assertThat(NetGroups.parse("lstm(layers=0)").bind(mlp.groups(), mlp.dimension()))
        .containsExactly(ParamGroup.all(mlp.dimension()));
    assertThatThrownBy(() -> NetGroups.parse("groups(conv=lstm(layers=0),weights=lstm(layers=0),"
        + "biases=lstm(layers=0))").bind(mlp.groups(), mlp.dimension()))
        .hasMessage("optimizer group 'conv' is not a parameter group of the problem"
            + " (its groups: weights, biases)");
  }
}
