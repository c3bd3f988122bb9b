package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The optimizer shipped in the jar ({@code general}): it loads and it optimizes. */
class PretrainedTest {

  @Test
  void theGeneralOptimizerIsInTheJarWithItsProvenance() {
    OptimizerFile.Loaded g = OptimizerFile.readPretrained("general");
    assertThat(g.nets().bare()).isTrue();
    assertThat(g.config()).isEqualTo(LstmConfig.parse("lstm(preset=general)"));
    assertThat(String.valueOf(g.provenance().get("problem"))).startsWith("mix(");
    assertThat(OptimizerFile.readFileOrPretrained("general").weights()).containsExactly(g.weights());
    assertThatThrownBy(() -> OptimizerFile.readPretrained("genral"))
        .isInstanceOf(OptimizerFileException.class).hasMessageContaining("known: general");
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
   * On quadratics of several dimensions and loss scales, 300 steps end below the start and below
   * the loss at step 100 (the "never diverges", on a few problems).
   */
  @ParameterizedTest
  @ValueSource(strings = {"quadratic(dim=2)", "quadratic(dim=10)", "quadratic(dim=100)",
      "quadratic(preset=deepmind)"})
  void itKeepsDescendingBeyondItsTrainingHorizon(String spec) {
    ProblemFamily family = Problems.parse(spec);
    try (LearnedOptimizer opt = LearnedOptimizer.pretrained("general", 1, family)) {
      for (int k = 0; k < 3; k++) {
        SplittableRandom rng = new SplittableRandom(100 + k);
        Problem p = family.sample(rng);
        int n = p.dimension();
        float[] theta = new float[n];
        float[] grad = new float[n];
        p.init(rng, theta);
        LearnedOptimizer.RunState s = opt.init(n);
        float start = p.valueAndGradient(theta, grad, rng);
        float at100 = Float.NaN;
        float f = start;
        for (int t = 1; t <= 300; t++) {
          opt.step(s, theta, grad);
          f = p.valueAndGradient(theta, grad, rng);
          if (t == 100) {
            at100 = f;
          }
        }
        assertThat(f).as("%s problem %d: final vs start", spec, k).isLessThan(start);
        assertThat(f).as("%s problem %d: final vs step 100", spec, k).isLessThanOrEqualTo(at100);
      }
    }
  }
}
