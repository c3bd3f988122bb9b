package org.l2l4j.djl.art;

import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.ProblemFamilyProvider;
import org.l2l4j.util.Spec;

/** Makes {@code art(...)} ({@link ArtFamily}) a problem spec when this jar is on the class path. */
public final class ArtProvider implements ProblemFamilyProvider {
  /** For {@link java.util.ServiceLoader}. */
  public ArtProvider() {}

  @Override
  public String name() {
    return ArtFamily.NAME;
  }

  @Override
  public ProblemFamily create(Spec spec) {
    return ArtFamily.create(ArtFamily.parse(spec));
  }
}
