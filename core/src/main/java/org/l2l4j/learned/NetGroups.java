package org.l2l4j.learned;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * A learned optimizer's networks: one {@link LstmConfig} for all of θ (spec {@code lstm(...)}, a
 * "bare" net), or one per named parameter group (spec {@code
 * groups(weights=lstm(preset=paper),biases=lstm(preset=paper))}; see {@link ParamGroup}). Each
 * net has its own weights; the flat weight vector φ is the nets' weights concatenated in the
 * order of the spec.
 *
 * @param names the group names, in spec order ({@value ParamGroup#ALL} for a bare net)
 * @param configs the nets, one per name
 * @param bare whether this is one net for all of θ written as a plain {@code lstm(...)}
 */
public record NetGroups(List<String> names, List<LstmConfig> configs, boolean bare) {
  /** The most groups accepted. */
  public static final int MAX_GROUPS = 64;

  /** Validates and copies. */
  public NetGroups {
    names = List.copyOf(names);
    configs = List.copyOf(configs);
    if (names.isEmpty() || names.size() != configs.size()) {
      throw new SpecException("groups: need one net per group, at least one");
    }
    if (names.size() > MAX_GROUPS) {
      throw new SpecException("groups: at most " + MAX_GROUPS + " groups, got " + names.size());
    }
    if (bare && !(names.size() == 1 && names.get(0).equals(ParamGroup.ALL))) {
      throw new IllegalArgumentException("a bare net is one group 'all'");
    }
    Set<String> seen = new HashSet<>();
    long total = 0;
    for (int g = 0; g < names.size(); g++) {
      String name = names.get(g);
      if (!name.matches("[a-z][a-z0-9_-]*")) {
        throw new SpecException("groups: bad group name '" + Text.excerpt(name) + "'");
      }
      if (!seen.add(name)) {
        throw new SpecException("groups: group '" + name + "' given twice");
      }
      total += configs.get(g).parameterCount();
    }
    if (total > LstmConfig.MAX_PARAMETERS) {
      throw new SpecException("groups: " + total + " weights in all exceed the limit of "
          + LstmConfig.MAX_PARAMETERS);
    }
  }

  /** One bare net for all of θ. */
  public static NetGroups single(LstmConfig config) {
    return new NetGroups(List.of(ParamGroup.ALL), List.of(config), true);
  }

  /**
   * Parses {@code lstm(...)} (one bare net) or {@code groups(NAME=lstm(...),...)}.
   *
   * @throws SpecException on a bad spec
   */
  public static NetGroups parse(String text) {
    Spec s = Spec.parse(text);
    if (s.name().equals("lstm")) {
      return single(LstmConfig.parse(text));
    }
    if (!s.name().equals("groups")) {
      throw new SpecException(
          "expected an lstm(...) spec, got '" + Text.excerpt(text)
          + "' (one net per parameter group: groups(NAME=lstm(...),...))");
    }
    if (s.args().isEmpty()) {
      throw new SpecException("groups(...) needs at least one NAME=lstm(...)");
    }
    List<String> names = new ArrayList<>();
    List<LstmConfig> configs = new ArrayList<>();
    for (Map.Entry<String, String> e : s.args().entrySet()) {
      names.add(e.getKey());
      try {
        configs.add(LstmConfig.parse(e.getValue()));
      } catch (SpecException ex) {
        throw new SpecException("groups: group '" + Text.excerpt(e.getKey()) + "': "
            + ex.getMessage());
      }
    }
    return new NetGroups(names, configs, false);
  }

  /** The spec string that {@link #parse} turns back into an equal value. */
  public String spec() {
    if (bare) {
      return configs.get(0).spec();
    }
    StringBuilder b = new StringBuilder("groups(");
    for (int g = 0; g < names.size(); g++) {
      b.append(g == 0 ? "" : ",").append(names.get(g)).append('=').append(configs.get(g).spec());
    }
    return b.append(')').toString();
  }

  /** The number of nets. */
  public int size() {
    return names.size();
  }

  /** The total number of weights (all nets). */
  public int parameterCount() {
    int total = 0;
    for (LstmConfig c : configs) {
      total += c.parameterCount();
    }
    return total;
  }

  /** Where net {@code g}'s weights start in φ. */
  public int offset(int g) {
    int off = 0;
    for (int k = 0; k < g; k++) {
      off += configs.get(k).parameterCount();
    }
    return off;
  }

  /** Fresh weights for all nets: net g from {@code rngs[g]}'s draws ({@link LstmWeights#init}). */
  public float[] init(java.util.function.IntFunction<java.util.random.RandomGenerator> rngs) {
    float[] w = new float[parameterCount()];
    for (int g = 0; g < size(); g++) {
      float[] part = LstmWeights.init(configs.get(g), rngs.apply(g));
      System.arraycopy(part, 0, w, offset(g), part.length);
    }
    return w;
  }

  /**
   * The problem's groups in this spec's order: for a bare net, one group {@value ParamGroup#ALL}
   * = [0, n); otherwise the named groups, which must be exactly the problem's.
   *
   * @param problemGroups the problem's groups ({@link org.l2l4j.problem.ProblemFamily#groups})
   * @param n the problem's dimension
   * @throws SpecException naming the group that the problem lacks or that the spec leaves out,
   *     and the problem's groups
   */
  public List<ParamGroup> bind(List<ParamGroup> problemGroups, int n) {
    if (bare) {
      return List.of(ParamGroup.all(n));
    }
    List<ParamGroup> out = new ArrayList<>();
    for (String name : names) {
      ParamGroup found = null;
      for (ParamGroup p : problemGroups) {
        if (p.name().equals(name)) {
          found = p;
        }
      }
      if (found == null) {
        throw new SpecException("optimizer group '" + name + "' is not a parameter group of the"
            + " problem (its groups: " + ParamGroup.names(problemGroups) + ")");
      }
      out.add(found);
    }
    for (ParamGroup p : problemGroups) {
      if (!names.contains(p.name())) {
        throw new SpecException("the optimizer has no net for the problem's parameter group '" + p.name() + "' (its groups: "
            + ParamGroup.names(problemGroups) + ")");
      }
    }
    return List.copyOf(out);
  }
}
