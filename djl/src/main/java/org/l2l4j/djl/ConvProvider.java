package org.l2l4j.djl;

import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.ProblemFamilyProvider;
import org.l2l4j.util.Spec;

/** Makes {@code conv(...)} ({@link ConvFamily}) a problem spec when this jar is on the class path. */
public final class ConvProvider implements ProblemFamilyProvider {
  /** For {@link java.util.ServiceLoader}. */
  public ConvProvider() {}

  @Override
  public String name() {
    return ConvFamily.NAME;
  }

  @Override
  public ProblemFamily create(Spec spec) {
    return ConvFamily.create(ConvFamily.parse(spec));
  }
}
