package org.l2l4j.cli.report;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.l2l4j.eval.Curve;

/**
 * Everything one report shows: the learning curves of several optimizers run on the same test
 * problems, with the context needed to read them.
 *
 * @param title the heading of the page and plot, and the prefix of {@link Report#winnerLine}
 * @param problemSpec the spec string of the problem family the curves were measured on
 * @param steps N: every curve has N + 1 points, the loss at steps 0..N
 * @param testProblems K: the number of test problems each mean is taken over
 * @param curves one curve per optimizer, names unique and non-blank, at least one
 * @param tunedLearningRates the chosen learning rate of each tuned optimizer, keyed by curve name
 *     (absent for learned optimizers and untuned ones)
 * @param notes free text lines shown under the table (console and HTML), e.g. meta-training time
 * @param extra fields merged into {@code summary.json}; may not reuse its reserved keys
 * @param notEvaluated optimizers that have no curve, with the reason (e.g. a baseline that
 *     diverged at every grid point), shown under the table and in {@code summary.json}
 */
public record ReportData(
    String title,
    String problemSpec,
    int steps,
    int testProblems,
    List<Curve> curves,
    Map<String, Double> tunedLearningRates,
    List<String> notes,
    Map<String, Object> extra,
    Map<String, String> notEvaluated) {

  /** The top-level keys {@code summary.json} always uses, which {@code extra} may not override. */
  public static final Set<String> RESERVED_KEYS =
      Set.of(
          "title",
          "problem",
          "steps",
          "test_problems",
          "optimizers",
          "notes",
          "best_final",
          "learned_lowest_steps",
          "not_evaluated");

  /**
   * Validates and copies the lists and maps (keeping their iteration order).
   *
   * @throws IllegalArgumentException if a curve has another number of steps, a name is blank or
   *     repeated, a learning rate names no curve, an extra field uses a reserved key, or a name
   *     not evaluated also has a curve
   */
  public ReportData {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(problemSpec, "problemSpec");
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    if (testProblems < 1) {
      throw new IllegalArgumentException("testProblems must be >= 1, got " + testProblems);
    }
    curves = List.copyOf(curves);
    if (curves.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one curve");
    }
    Set<String> names = new HashSet<>();
    for (Curve c : curves) {
      if (c.name() == null || c.name().isBlank()) {
        throw new IllegalArgumentException("a curve has a blank name");
      }
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("duplicate curve name '" + c.name() + "'");
      }
      if (c.steps() != steps) {
        throw new IllegalArgumentException(
            "curve '" + c.name() + "' has " + c.steps() + " steps, the report " + steps);
      }
    }
    tunedLearningRates = Collections.unmodifiableMap(new LinkedHashMap<>(tunedLearningRates));
    for (String k : tunedLearningRates.keySet()) {
      if (!names.contains(k)) {
        throw new IllegalArgumentException("learning rate given for unknown curve '" + k + "'");
      }
    }
    notes = List.copyOf(notes);
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    for (String k : extra.keySet()) {
      if (RESERVED_KEYS.contains(k)) {
        throw new IllegalArgumentException("extra field '" + k + "' is reserved in summary.json");
      }
    }
    notEvaluated = Collections.unmodifiableMap(new LinkedHashMap<>(notEvaluated));
    for (String k : notEvaluated.keySet()) {
      if (names.contains(k)) {
        throw new IllegalArgumentException("'" + k + "' has a curve but is listed as not evaluated");
      }
    }
  }

  /** A report in which every optimizer was evaluated. */
  public ReportData(String title, String problemSpec, int steps, int testProblems,
      List<Curve> curves, Map<String, Double> tunedLearningRates, List<String> notes,
      Map<String, Object> extra) {
    this(title, problemSpec, steps, testProblems, curves, tunedLearningRates, notes, extra,
        Map.of());
  }

  /** A report with no tuned rates, notes or extra fields. */
  public ReportData(
      String title, String problemSpec, int steps, int testProblems, List<Curve> curves) {
    this(title, problemSpec, steps, testProblems, curves, Map.of(), List.of(), Map.of(), Map.of());
  }
}
