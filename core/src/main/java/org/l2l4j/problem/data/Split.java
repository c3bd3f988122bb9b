package org.l2l4j.problem.data;

import java.util.Locale;

/**
 * Which part of a data set to use. Images of {@link #TRAIN} (meta-training, tuning, validation)
 * never appear in {@link #TEST} (evaluation); {@link DataSets} documents how each source is split.
 */
public enum Split {
  /** For meta-training, baseline tuning and validation. */
  TRAIN,
  /** For evaluation only; disjoint from {@link #TRAIN}. */
  TEST;

  /** The lower-case name used in spec strings: {@code train} or {@code test}. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The split of a problem spec's {@code split} key ({@link #TRAIN} when absent).
   *
   * @throws org.l2l4j.util.SpecException naming the value and the spec when it is neither
   */
  public static Split of(org.l2l4j.util.Spec spec) {
    String s = spec.get("split", TRAIN.specName());
    try {
      return parse(s);
    } catch (IllegalArgumentException e) {
      throw new org.l2l4j.util.SpecException(
          "unknown split '" + s + "' in '" + spec + "'; known: train, test");
    }
  }

  /** Parses a split's spec name, {@code train} or {@code test}, ignoring case. */
  public static Split parse(String text) {
    for (Split s : values()) {
      if (s.specName().equalsIgnoreCase(text.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown split '" + text + "'; known: train, test");
  }
}
