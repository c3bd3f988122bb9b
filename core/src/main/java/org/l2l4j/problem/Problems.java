package org.l2l4j.problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * The registry of problem families by spec name: {@code simple}, {@code quadratic}, {@code mlp}
 * (with the alias {@code mnist}), and whatever other modules {@link #register register}.
 */
public final class Problems {
  private static final Map<String, Function<Spec, ProblemFamily>> REGISTRY = new LinkedHashMap<>();

  static {
    register("simple", spec -> {
      spec.requireOnly(java.util.Set.of());
      return new SimpleProblem();
    });
    register("quadratic", QuadraticFamily::of);
    register("mlp", MlpFamily::of);
    register("mnist", MlpFamily::ofMnist);
  }

  private Problems() {}

  /** Adds a family constructor under {@code name}. */
  public static synchronized void register(String name, Function<Spec, ProblemFamily> factory) {
    REGISTRY.put(name, factory);
  }

  /** The registered names. */
  public static synchronized List<String> names() {
    return new ArrayList<>(REGISTRY.keySet());
  }

  /** Parses a problem spec such as {@code quadratic(preset=deepmind)}. */
  public static ProblemFamily parse(String text) {
    Spec spec = Spec.parse(text);
    Function<Spec, ProblemFamily> f;
    synchronized (Problems.class) {
      f = REGISTRY.get(spec.name());
    }
    if (f == null) {
      throw new SpecException(
          "unknown problem '" + Text.excerpt(spec.name()) + "'; known: "
              + String.join(", ", names()));
    }
    return f.apply(spec);
  }
}
