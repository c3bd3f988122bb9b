package org.l2l4j.problem;

import java.util.random.RandomGenerator;

/**
 * A distribution over {@link Problem}s, e.g. "10-dimensional random quadratics". The learned
 * optimizer is meta-trained on problems sampled from a family and evaluated on fresh samples.
 */
public interface ProblemFamily {

  /** The spec string that {@link Problems#parse} turns back into an equal family. */
  String spec();

  /**
   * The dimension of every problem in the family; for a family whose problems differ in size (see
   * {@link #problemDimensions()}), the largest.
   */
  int dimension();

  /**
   * The distinct dimensions of the problems the family samples, each once; the default is
   * {@link #dimension()} alone. A mixture of families lists each member's.
   */
  default int[] problemDimensions() {
    return new int[] {dimension()};
  }

  /**
   * Whether meta-training's validation scores the mean log loss instead of the mean loss: true for a
   * family whose problems differ in loss scale (a mixture: a 30-d quadratic starts near 30, MNIST
   * near 2.3), so that every kind counts alike. The default is false.
   */
  default boolean validatesByLogLoss() {
    return false;
  }

  /**
   * The family whose problems meta-training validates on (and so picks its best weights by): the
   * default is this family itself; a mixture given {@code validation=SPEC} returns that family,
   * e.g. the training problems at a larger size or tasks outside the training mixture. The score
   * is still the mean loss or mean log loss as {@link #validatesByLogLoss()} of this family says.
   */
  default ProblemFamily validationFamily() {
    return this;
  }

  /**
   * Draws a fresh problem (new constants, new data view).
   *
   * @param rng the source of randomness (advanced)
   */
  Problem sample(RandomGenerator rng);

  /**
   * About how many bytes one sampled problem holds (its constants and work buffers, not the
   * parameters θ), for memory estimates made before a run. The default assumes a few buffers of
   * {@link #dimension()} floats.
   */
  default long sampleBytes() {
    return 16L * dimension();
  }

  /**
   * The named segments of θ that a learned optimizer may give one network each, in θ's order;
   * together they cover [0, {@link #dimension()}) exactly once. The default is one group
   * {@value ParamGroup#ALL}.
   */
  default java.util.List<ParamGroup> groups() {
    return java.util.List.of(ParamGroup.all(dimension()));
  }

  /**
   * Where the family's data comes from (files and their hash), for provenance; {@code null} for a
   * family without data (the default).
   */
  default org.l2l4j.problem.data.DataSource dataSource() {
    return null;
  }
}
