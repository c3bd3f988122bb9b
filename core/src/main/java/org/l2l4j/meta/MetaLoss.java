package org.l2l4j.meta;

import static org.l2l4j.util.Text.excerpt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * The meta-loss of one unroll of T steps, which the trainer differentiates (SPEC §1): with step
 * weights w_1..w_T and the optimizee losses f_t = f(θ_t),
 *
 * <ul>
 *   <li>{@code transform=sum}: L = Σ_{t=1..T} w_t·f_t, so ∂L/∂θ_t = w_t·∇_t;
 *   <li>{@code transform=log-mean}: L = (1/T)·Σ_{t=1..T} w_t·log f_t (Wichrowska et al. 2017,
 *       "Learned optimizers that scale and generalize", meta-train on the mean log loss), so
 *       ∂L/∂θ_t = w_t/(T·f_t)·∇_t; it needs f_t &gt; 0.
 * </ul>
 *
 * Second derivatives of f are dropped, as everywhere (∇_t is an input of the LSTM). The weights
 * are {@code uniform} (w_t = 1: the paper's meta-loss and the default), {@code last} (w_T = 1,
 * the others 0) or a given vector of one weight per unroll step, each ≥ 0, not all 0. A shorter
 * last unroll of an epoch (when the unroll does not divide the steps) uses w_1..w_T of its T
 * steps, and {@code last} means its last step.
 *
 * <p>Spec: {@code loss(weights=uniform,transform=sum)} (the default), {@code
 * loss(weights=last,transform=log-mean)}, {@code loss(weights=0;0.5;1,transform=sum)} (weights
 * separated by {@code ;}); left-out keys take the default's values. {@link #spec} parses back to
 * an equal value.
 *
 * @param weighting how the step weights are chosen
 * @param stepWeights the weights for {@link Weighting#GIVEN} (one per unroll step), else empty
 * @param transform what is summed
 */
public record MetaLoss(Weighting weighting, List<Double> stepWeights, Transform transform) {

  /** The paper's meta-loss Σ_t f(θ_t): uniform weights, no transform. */
  public static final MetaLoss DEFAULT =
      new MetaLoss(Weighting.UNIFORM, List.of(), Transform.SUM);

  /** How the step weights are chosen. */
  public enum Weighting {
    /** w_t = 1. */
    UNIFORM,
    /** w_T = 1, the others 0. */
    LAST,
    /** The given vector. */
    GIVEN
  }

  /** What the weighted sum runs over. */
  public enum Transform {
    /** Σ w_t f_t. */
    SUM,
    /** (1/T) Σ w_t log f_t. */
    LOG_MEAN
  }

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  /** Validates the weights; the list is copied, −0 becomes 0. */
  public MetaLoss {
    if (weighting == null || transform == null || stepWeights == null) {
      throw new SpecException("meta-loss: weighting, step weights and transform must be given");
    }
    List<Double> copy = new ArrayList<>(stepWeights.size());
    double sum = 0;
    for (Double w : stepWeights) {
      if (w == null || !Double.isFinite(w) || w < 0) {
        throw new SpecException("meta-loss: step weights must be finite and >= 0, got " + w);
      }
      copy.add(w + 0.0);
      sum += w;
    }
    if (weighting == Weighting.GIVEN && (copy.isEmpty() || !(sum > 0))) {
      throw new SpecException("meta-loss: given step weights must not be empty or all 0");
    }
    if (weighting != Weighting.GIVEN && !copy.isEmpty()) {
      throw new SpecException("meta-loss: step weights are only given with weights=w1;w2;...");
    }
    stepWeights = List.copyOf(copy);
  }

  /** Given step weights, one per unroll step, with the transform {@code transform}. */
  public static MetaLoss given(double[] weights, Transform transform) {
    List<Double> w = new ArrayList<>(weights.length);
    for (double x : weights) {
      w.add(x);
    }
    return new MetaLoss(Weighting.GIVEN, w, transform);
  }

  /** True for the default Σ_t f(θ_t), whose loss derivatives are the gradients themselves. */
  public boolean isPlainSum() {
    return weighting == Weighting.UNIFORM && transform == Transform.SUM;
  }

  /**
   * Checks the weights against the unroll length.
   *
   * @throws SpecException when given weights are not one per unroll step
   */
  public void requireUnroll(int unroll) {
    if (weighting == Weighting.GIVEN && stepWeights.size() != unroll) {
      throw new SpecException("meta-loss '" + excerpt(spec()) + "' has " + stepWeights.size()
          + " step weights; it needs one per unroll step, " + unroll);
    }
  }

  /** w_t for step t (1..steps) of an unroll of {@code steps} steps. */
  public double weight(int t, int steps) {
    return switch (weighting) {
      case UNIFORM -> 1;
      case LAST -> t == steps ? 1 : 0;
      case GIVEN -> stepWeights.get(t - 1);
    };
  }

  /** The term of step t in L: w_t·f (sum) or w_t·log(f)/steps (log-mean). */
  public double term(int t, int steps, double f) {
    return transform == Transform.SUM
        ? weight(t, steps) * f
        : weight(t, steps) * Math.log(f) / steps;
  }

  /**
   * ∂L/∂f_t, the factor that turns ∇_t into ∂L/∂θ_t: w_t (sum) or w_t/(steps·f) (log-mean).
   */
  public double derivative(int t, int steps, double f) {
    return transform == Transform.SUM ? weight(t, steps) : weight(t, steps) / (steps * f);
  }

  /** The spec, e.g. {@code loss(weights=uniform,transform=sum)}. */
  public String spec() {
    String w = switch (weighting) {
      case UNIFORM -> "uniform";
      case LAST -> "last";
      case GIVEN -> {
        StringBuilder sb = new StringBuilder();
        for (double x : stepWeights) {
          sb.append(sb.isEmpty() ? "" : ";").append(Spec.fmt(x));
        }
        yield sb.toString();
      }
    };
    return "loss(weights=" + w + ",transform="
        + (transform == Transform.SUM ? "sum" : "log-mean") + ")";
  }

  @Override
  public String toString() {
    return spec();
  }

  /**
   * Parses a {@link #spec}.
   *
   * @throws SpecException naming the bad part
   */
  public static MetaLoss parse(String text) {
    Spec s = Spec.parse(text);
    if (!s.name().equals("loss")) {
      throw new SpecException("expected a loss(weights=...,transform=...) spec, got '"
          + excerpt(text) + "'");
    }
    s.requireOnly(Set.of("weights", "transform"));
    Transform transform = switch (s.get("transform", "sum")) {
      case "sum" -> Transform.SUM;
      case "log-mean" -> Transform.LOG_MEAN;
      default -> throw new SpecException("'transform=" + excerpt(s.get("transform", ""))
          + "' in '" + excerpt(text) + "': expected sum or log-mean");
    };
    String w = s.get("weights", "uniform");
    switch (w) {
      case "uniform":
        return new MetaLoss(Weighting.UNIFORM, List.of(), transform);
      case "last":
        return new MetaLoss(Weighting.LAST, List.of(), transform);
      default:
        break;
    }
    List<Double> weights = new ArrayList<>();
    for (String part : w.split(";", -1)) {
      String p = part.strip();
      if (!DECIMAL.matcher(p).matches()) {
        throw new SpecException("'weights=" + excerpt(w) + "' in '" + excerpt(text)
            + "': expected uniform, last or numbers separated by ';'");
      }
      double d = Double.parseDouble(p);
      if (!Double.isFinite(d) || d < 0) {
        throw new SpecException("'weights=" + excerpt(w) + "' in '" + excerpt(text)
            + "': every weight must be finite and >= 0, got " + excerpt(p));
      }
      weights.add(d);
    }
    try {
      return new MetaLoss(Weighting.GIVEN, weights, transform);
    } catch (SpecException e) {
      throw new SpecException("'" + excerpt(text) + "': " + e.getMessage());
    }
  }
}
