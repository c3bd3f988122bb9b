package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;

/**
 * The optimizers shipped in the jar ({@code general}, {@code general-long}, {@code general-v1}):
 * they load and they optimize.
 */
class PretrainedTest {

  @Test
  void theGeneralOptimizerIsInTheJarWithItsProvenance() {
    OptimizerFile.Loaded g = OptimizerFile.readPretrained("general");
    assertThat(g.nets().bare()).isTrue();
    assertThat(g.config()).isEqualTo(LstmConfig.parse("lstm(preset=general)"));
    assertThat(String.valueOf(g.provenance().get("problem"))).startsWith("mix(");
    assertThat(OptimizerFile.readFileOrPretrained("general").weights()).containsExactly(g.weights());
    assertThatThrownBy(() -> OptimizerFile.readPretrained("genral"))
        .isInstanceOf(OptimizerFileException.class)
        .hasMessageContaining("known: general, general-long, general-v1");
  }

  /** A bare name that is neither a file nor a shipped optimizer lists the shipped ones. */
  @Test
  void aMistypedNameListsTheShippedOptimizers() {
    assertThatThrownBy(() -> OptimizerFile.readFileOrPretrained("general-v2"))
        .isInstanceOf(OptimizerFileException.class)
        .hasMessage("general-v2: no such file, nor an optimizer shipped in the jar (those are:"
            + " general, general-long, general-v1)");
  }

  /** The earlier general optimizer stays loadable under its own name, with its own weights. */
  @Test
  void theFirstGeneralOptimizerIsKeptAsGeneralV1() {
    OptimizerFile.Loaded v1 = OptimizerFile.readPretrained("general-v1");
    OptimizerFile.Loaded now = OptimizerFile.readPretrained("general");
    assertThat(v1.config()).isEqualTo(LstmConfig.parse("lstm(preset=general)"));
    assertThat(String.valueOf(v1.provenance().get("problem"))).contains("m=mlp(data=mnist");
    assertThat(String.valueOf(now.provenance().get("problem"))).doesNotContain("mnist");
    assertThat(v1.weights()).hasSameSizeAs(now.weights()).isNotEqualTo(now.weights());
    assertThat(OptimizerFile.readFileOrPretrained("general-v1").weights())
        .containsExactly(v1.weights());
  }

  /**
   * The long-horizon optimizer is {@code general} fine-tuned (its provenance says so) on
   * 1,000-step episodes, with the same net.
   */
  @Test
  void theLongHorizonOptimizerStartedFromGeneral() {
    OptimizerFile.Loaded g = OptimizerFile.readPretrained("general-long");
    assertThat(g.config()).isEqualTo(LstmConfig.parse("lstm(preset=general)"));
    assertThat(g.provenance()).containsEntry("start", "pretrained:general");
    assertThat(String.valueOf(g.provenance().get("trainer"))).contains("steps=1000");
    assertThat(g.weights()).isNotEqualTo(OptimizerFile.readPretrained("general").weights());
  }

  /**
   * Over 1,000 steps on quadratics, {@code general-long} ends below its loss at step 100 (the
   * suite's "below its own step-100 loss"). It is not monotone once the loss is tiny: on one
   * 2-d problem here the loss is 3.0e-8 at step 300 and 1.6e-7 at step 1,000, so no later step is
   * asserted.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"quadratic(dim=2)",
      "quadratic(dim=10)", "quadratic(dim=100)", "quadratic(dim=10,scale=0.01)",
      "quadratic(preset=deepmind)"})
  void theLongHorizonOptimizerKeepsDescending(String spec) {
    ProblemFamily family = Problems.parse(spec);
    try (LearnedOptimizer opt = LearnedOptimizer.pretrained("general-long", 1, family)) {
      for (int k = 0; k < 3; k++) {
        float[] f = run(opt, family, 200 + k, 1000);
        assertThat(f[2]).as("%s problem %d: step 1000 vs 100", spec, k).isLessThan(f[1]);
      }
    }
  }

  /**
   * Runs {@code opt} for {@code steps} steps on the problem drawn with {@code seed}; returns the
   * loss at the start, at step 100 and at the last step.
   */
  private static float[] run(LearnedOptimizer opt, ProblemFamily family, long seed, int steps) {
    SplittableRandom rng = new SplittableRandom(seed);
    Problem p = family.sample(rng);
    int n = p.dimension();
    float[] theta = new float[n];
    float[] grad = new float[n];
    p.init(rng, theta);
    LearnedOptimizer.RunState s = opt.init(n);
    float start = p.valueAndGradient(theta, grad, rng);
    float at100 = Float.NaN;
    float f = start;
    for (int t = 1; t <= steps; t++) {
      opt.step(s, theta, grad);
      f = p.valueAndGradient(theta, grad, rng);
      if (t == 100) {
        at100 = f;
      }
    }
    return new float[] {start, at100, f};
  }

  /** A folder named like a pretrained optimizer (a run's output) does not hide it; a file does. */
  @Test
  void aFolderOfThatNameDoesNotHideThePretrainedOptimizer() throws Exception {
    java.nio.file.Path here = java.nio.file.Path.of("general");
    org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(here),
        "a file or folder 'general' already exists in the working directory");
    float[] shipped = OptimizerFile.readPretrained("general").weights();
    try {
      java.nio.file.Files.createDirectory(here);
      assertThat(OptimizerFile.readFileOrPretrained("general").weights()).containsExactly(shipped);
      java.nio.file.Files.delete(here);
      java.nio.file.Files.writeString(here, "{}");
      assertThatThrownBy(() -> OptimizerFile.readFileOrPretrained("general"))
          .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith("general: ");
    } finally {
      java.nio.file.Files.deleteIfExists(here);
    }
  }

  /**
   * On quadratics of several dimensions and loss scales, 300 steps end below the start (both
   * shipped optimizers) and, for {@code general-v1}, below the loss at step 100 as well (the
   * issue's "never diverges", on a few problems). The current {@code general} does not keep that
   * second property: after converging on a small quadratic its loss can rise again (on dim=2 from
   * 2e-7 at step 100 to 3e-5 at step 300; README "Generalisation" says so), so only the first is
   * asserted for it.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "general-v1, quadratic(dim=2)", "general-v1, quadratic(dim=10)",
      "general-v1, quadratic(dim=100)", "general-v1, quadratic(preset=deepmind)",
      "general, quadratic(dim=2)", "general, quadratic(dim=10)",
      "general, quadratic(dim=100)", "general, quadratic(preset=deepmind)"})
  void itKeepsDescendingBeyondItsTrainingHorizon(String name, String spec) {
    ProblemFamily family = Problems.parse(spec);
    try (LearnedOptimizer opt = LearnedOptimizer.pretrained(name, 1, family)) {
      for (int k = 0; k < 3; k++) {
        float[] f = run(opt, family, 100 + k, 300);
        assertThat(f[2]).as("%s, %s problem %d: final vs start", name, spec, k).isLessThan(f[0]);
        if (name.equals("general-v1")) {
          assertThat(f[2]).as("%s problem %d: final vs step 100", spec, k)
              .isLessThanOrEqualTo(f[1]);
        }
      }
    }
  }
}
