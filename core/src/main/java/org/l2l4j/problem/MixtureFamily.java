package org.l2l4j.problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.l2l4j.problem.data.DataSource;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * A mixture of problem families, for meta-training one optimizer on many kinds of problems
 * (README "Generalisation"): each {@link #sample} picks a member uniformly at random and draws a
 * problem from it. Members may differ in dimension; a sampled problem's {@link
 * Problem#dimension()} is its member's, and {@link #dimension()} is the largest.
 *
 * <p>With {@code param-scale=R} (R ≥ 1) every sampled problem f is reparametrised as g(φ) =
 * f(c·φ), φ₀ = θ₀/c, with c = e^u, u uniform on [−ln R, ln R] drawn per problem (the random
 * scaling of Lv et al. 2017, "Learning gradient descent: better generalization and longer
 * horizons"): the step that suits g differs from f's by the factor 1/c, so an optimizer cannot
 * learn one step size by heart. R = 1 (the default) leaves the problems as they are.
 *
 * <p>With {@code validation=SPEC} meta-training validates on that family instead of the
 * mixture ({@link #validationFamily()}): e.g. the training problems at the larger size an
 * optimizer is meant for, or tasks outside the training mixture. It may be a mixture itself,
 * but not one with its own {@code validation}.
 *
 * <p>Spec: {@code mix(NAME=SPEC,NAME=SPEC,...,param-scale=R,validation=SPEC)}, e.g. {@code
 * mix(q=quadratic(dim=20),m=mnist(),param-scale=3)}; NAME is any name other than {@code
 * param-scale} and {@code validation}, and a member may appear under several names to weight it.
 * Mixtures do not nest as members.
 * A mixture's parameters form one group ({@value ParamGroup#ALL}), so it is meta-trained with one
 * net.
 */
public final class MixtureFamily implements ProblemFamily {
  /** The key of the parameter-scale range. */
  public static final String PARAM_SCALE = "param-scale";

  /** The key of the validation family. */
  public static final String VALIDATION = "validation";

  /** The largest parameter-scale range accepted. */
  public static final double MAX_PARAM_SCALE = 1e6;

  private final Map<String, ProblemFamily> members;
  private final List<ProblemFamily> list;
  private final double paramScale;
  private final ProblemFamily validation;

  /**
   * A mixture of {@code members} (in order, by name), validated on itself.
   *
   * @param paramScale R ≥ 1: each problem's parameters are scaled by a factor in [1/R, R]
   * @throws SpecException for no member, a nested mixture or R out of range
   */
  public MixtureFamily(Map<String, ProblemFamily> members, double paramScale) {
    this(members, paramScale, null);
  }

  /**
   * A mixture of {@code members} (in order, by name) that meta-training validates on {@code
   * validation} (null: on the mixture itself).
   *
   * @param paramScale R ≥ 1: each problem's parameters are scaled by a factor in [1/R, R]
   * @throws SpecException for no member, a nested mixture, R out of range or a validation
   *     mixture with a validation family of its own
   */
  public MixtureFamily(Map<String, ProblemFamily> members, double paramScale,
      ProblemFamily validation) {
    if (members.isEmpty()) {
      throw new SpecException("mix: needs at least one NAME=problem member");
    }
    for (Map.Entry<String, ProblemFamily> e : members.entrySet()) {
      if (e.getValue() instanceof MixtureFamily) {
        throw new SpecException("mix: member '" + e.getKey() + "' is a mixture; mixtures do not"
            + " nest");
      }
    }
    if (!(paramScale >= 1 && paramScale <= MAX_PARAM_SCALE)) {
      throw new SpecException("mix: " + PARAM_SCALE + " must be in [1, " + Spec.fmt(MAX_PARAM_SCALE)
          + "], got " + paramScale);
    }
    if (validation instanceof MixtureFamily m && m.validation != null) {
      throw new SpecException("mix: " + VALIDATION + " is a mixture with a " + VALIDATION
          + " of its own; give one level");
    }
    this.members = new LinkedHashMap<>(members);
    this.list = new ArrayList<>(members.values());
    this.paramScale = paramScale;
    this.validation = validation;
  }

  /** Parses {@code mix(NAME=SPEC,...,param-scale=R,validation=SPEC)}. */
  public static MixtureFamily of(Spec spec) {
    Map<String, ProblemFamily> members = new LinkedHashMap<>();
    ProblemFamily validation = null;
    for (Map.Entry<String, String> e : spec.args().entrySet()) {
      if (e.getKey().equals(PARAM_SCALE)) {
        continue;
      }
      if (e.getKey().equals(VALIDATION)) {
        try {
          validation = Problems.parse(e.getValue());
        } catch (SpecException x) {
          throw new SpecException("mix: " + VALIDATION + ": " + x.getMessage());
        }
        continue;
      }
      try {
        members.put(e.getKey(), Problems.parse(e.getValue()));
      } catch (SpecException x) {
        throw new SpecException("mix: member '" + Text.excerpt(e.getKey()) + "': "
            + x.getMessage());
      }
    }
    return new MixtureFamily(members, spec.getDouble(PARAM_SCALE, 1), validation);
  }

  /** The members by name, in order. */
  public Map<String, ProblemFamily> members() {
    return java.util.Collections.unmodifiableMap(members);
  }

  /** The parameter-scale range R (1: off). */
  public double paramScale() {
    return paramScale;
  }

  /** The {@code validation} family when one was given, else this mixture. */
  @Override
  public ProblemFamily validationFamily() {
    return validation == null ? this : validation;
  }

  @Override
  public String spec() {
    StringBuilder sb = new StringBuilder("mix(");
    for (Map.Entry<String, ProblemFamily> e : members.entrySet()) {
      sb.append(e.getKey()).append('=').append(e.getValue().spec()).append(',');
    }
    if (paramScale != 1) {
      sb.append(PARAM_SCALE).append('=').append(Spec.fmt(paramScale)).append(',');
    }
    if (validation != null) {
      sb.append(VALIDATION).append('=').append(validation.spec()).append(',');
    }
    sb.setLength(sb.length() - 1);
    return sb.append(')').toString();
  }

  /** The largest member dimension. */
  @Override
  public int dimension() {
    int d = 0;
    for (ProblemFamily f : list) {
      d = Math.max(d, f.dimension());
    }
    return d;
  }

  /** Each member's dimension, once. */
  @Override
  public int[] problemDimensions() {
    return list.stream().mapToInt(ProblemFamily::dimension).distinct().toArray();
  }

  /** True: the members differ in loss scale, so validation scores the mean log loss. */
  @Override
  public boolean validatesByLogLoss() {
    return true;
  }

  /** The largest member's (or the validation family's) bytes per sample. */
  @Override
  public long sampleBytes() {
    long b = validation == null ? 0 : validation.sampleBytes();
    for (ProblemFamily f : list) {
      b = Math.max(b, f.sampleBytes());
    }
    return b;
  }

  /** The data source of the first member that has one (null when none has). */
  @Override
  public DataSource dataSource() {
    for (ProblemFamily f : list) {
      DataSource d = f.dataSource();
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  @Override
  public Problem sample(RandomGenerator rng) {
    ProblemFamily member = list.get(rng.nextInt(list.size()));
    Problem p = member.sample(rng);
    if (paramScale == 1) {
      return p;
    }
    double lnR = Math.log(paramScale);
    float c = (float) Math.exp(lnR * (2 * rng.nextDouble() - 1));
    return new Scaled(p, c);
  }

  /** g(φ) = f(c·φ): ∇g(φ) = c·∇f(c·φ), φ₀ = θ₀/c. */
  static final class Scaled implements Problem {
    private final Problem inner;
    private final float c;
    private final float[] x;

    Scaled(Problem inner, float c) {
      this.inner = inner;
      this.c = c;
      this.x = new float[inner.dimension()];
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public void init(RandomGenerator rng, float[] thetaOut) {
      inner.init(rng, thetaOut);
      for (int i = 0; i < thetaOut.length; i++) {
        thetaOut[i] /= c;
      }
    }

    @Override
    public float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng) {
      for (int i = 0; i < x.length; i++) {
        x[i] = c * theta[i];
      }
      float f = inner.valueAndGradient(x, gradOut, batchRng);
      for (int i = 0; i < gradOut.length; i++) {
        gradOut[i] *= c;
      }
      return f;
    }
  }
}
