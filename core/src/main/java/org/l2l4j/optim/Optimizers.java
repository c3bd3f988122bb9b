package org.l2l4j.optim;

import java.util.List;
import java.util.Set;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/** Parses hand-designed optimizer specs; every optimizer's {@code spec()} parses back to it. */
public final class Optimizers {
  /** The names of the hand-designed optimizers, in report order. */
  public static final List<String> BASELINES = List.of("sgd", "rmsprop", "adam", "nag");

  private Optimizers() {}

  /**
   * Parses {@code sgd(lr=..)}, {@code nag(lr=..,momentum=..)}, {@code rmsprop(lr=..,alpha=..,eps=..)}
   * or {@code adam(lr=..,b1=..,b2=..,eps=..)}. A missing {@code lr} takes {@code defaultLr}.
   */
  public static BaselineOptimizer<?> parseBaseline(String text, double defaultLr) {
    Spec s = Spec.parse(text);
    switch (s.name()) {
      case "sgd":
        s.requireOnly(Set.of("lr"));
        return new Sgd(s.getPositive("lr", defaultLr));
      case "nag":
        s.requireOnly(Set.of("lr", "momentum"));
        return new Nag(s.getPositive("lr", defaultLr), s.getInRange("momentum", 0.9, 0, 1));
      case "rmsprop":
        s.requireOnly(Set.of("lr", "alpha", "eps"));
        return new RmsProp(
            s.getPositive("lr", defaultLr), s.getInRange("alpha", 0.99, 0, 1),
            s.getPositive("eps", 1e-8));
      case "adam":
        s.requireOnly(Set.of("lr", "b1", "b2", "eps"));
        return new Adam(
            s.getPositive("lr", defaultLr), s.getInRange("b1", 0.9, 0, 1),
            s.getInRange("b2", 0.999, 0, 1), s.getPositive("eps", 1e-8));
      default:
        throw new SpecException(
            "unknown optimizer '" + Text.excerpt(s.name()) + "'; known: "
                + String.join(", ", BASELINES));
    }
  }

  /** Parses a baseline spec; {@code lr} defaults to 0.001. */
  public static BaselineOptimizer<?> parseBaseline(String text) {
    return parseBaseline(text, 0.001);
  }
}
