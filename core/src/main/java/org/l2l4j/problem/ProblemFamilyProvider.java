package org.l2l4j.problem;

import org.l2l4j.util.Spec;

/**
 * A problem family from another jar, found through {@link java.util.ServiceLoader}: a jar on the
 * class path that holds an implementation (public, with a public no-argument constructor) and
 * names it in {@code META-INF/services/org.l2l4j.problem.ProblemFamilyProvider} makes
 * {@code name(key=value,...)} a problem spec that {@link Problems#parse} accepts, and so a
 * {@code --problem} of every {@code l2l4j} command. A name that a built-in family or another
 * provider also uses is refused.
 */
public interface ProblemFamilyProvider {

  /** The spec name, e.g. {@code myfamily}: letters, digits, {@code _ . -}, a letter first. */
  String name();

  /**
   * The family that {@code spec} describes. Its {@link ProblemFamily#spec()} must start with
   * {@link #name()} and parse back to an equal family (checkpoints and reports record it).
   *
   * @param spec the parsed spec; its name is {@link #name()}
   * @throws org.l2l4j.util.SpecException for an unknown parameter or a bad value, naming it
   */
  ProblemFamily create(Spec spec);
}
