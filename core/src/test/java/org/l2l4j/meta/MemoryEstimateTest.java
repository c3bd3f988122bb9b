package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.eval.Tuner;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

/** The memory estimate that commands check before a run: which setting it blames, and scaling. */
class MemoryEstimateTest {
  static final long MB = 1L << 20;
  static final long TB = 1L << 40;
  /** The paper's runs must fit a small heap with room to spare. */
  static final long DEFAULT_RUN_LIMIT = 256 * MB;

  static final ProblemFamily QUADRATIC = Problems.parse("quadratic");
  static final LstmConfig LSTM = LstmConfig.parse("lstm(preset=quadratic)");

  static MetaTrainerConfig config(int steps, int unroll, int validationProblems) {
    return new MetaTrainerConfig(100, steps, unroll, 0.001, 0, 10, validationProblems, 1, 2, 5);
  }

  @Test
  void thePapersRunsAreSmall() {
    assertThat(MemoryEstimate.training(QUADRATIC, LSTM, config(100, 20, 20)).bytes())
        .isPositive().isLessThan(DEFAULT_RUN_LIMIT);
    ProblemFamily mnist = Problems.parse("mnist"); // estimates never load the data
    LstmConfig paper = LstmConfig.parse("lstm(preset=paper)");
    assertThat(MemoryEstimate.training(mnist, paper, config(100, 20, 5)).bytes())
        .isPositive().isLessThan(DEFAULT_RUN_LIMIT);
    Comparison c = new Comparison(mnist, 200, 5, 20, Tuner.DEFAULT_GRID, 1000);
    assertThat(MemoryEstimate.comparison(c, List.of(), 6, 2).bytes())
        .isPositive().isLessThan(DEFAULT_RUN_LIMIT);
  }

  /** A meta-loss other than the plain sum keeps T·n floats of ∂L/∂θ_t beside the gradients. */
  @Test
  void aWeightedMetaLossCountsItsScaledGradients() {
    MetaTrainerConfig plain = config(100, 20, 20);
    long n = QUADRATIC.dimension();
    for (String loss : List.of("loss(weights=last)", "loss(transform=log-mean)")) {
      assertThat(MemoryEstimate.training(QUADRATIC, LSTM, plain.withMetaLoss(MetaLoss.parse(loss)))
          .bytes() - MemoryEstimate.training(QUADRATIC, LSTM, plain).bytes())
          .as(loss).isEqualTo(4 * 20 * n);
    }
  }

  @Test
  void hugeValidationIsBlamedOnTheValidationProblems() {
    MemoryEstimate e = MemoryEstimate.training(QUADRATIC, LSTM, config(100, 20, 1_500_000_000));
    assertThat(e.bytes()).isGreaterThan(TB).isLessThan(Long.MAX_VALUE);
    assertThat(e.largest().setting()).isEqualTo("validation-problems");
    assertThat(e.largest().value()).isEqualTo("1500000000");
    assertThat(e.impossible()).isNull();
    // 2^31 - 1 runs do not fit one Java array, whatever the heap
    MemoryEstimate max = MemoryEstimate.training(QUADRATIC, LSTM, config(100, 20, Integer.MAX_VALUE));
    assertThat(max.impossible()).isNotNull();
    assertThat(max.impossible().setting()).isEqualTo("validation-problems");
  }

  @Test
  void aLongUnrollIsBlamedOnTheUnroll() {
    MemoryEstimate e = MemoryEstimate.training(QUADRATIC, LSTM, config(100_000_000, 100_000_000, 20));
    assertThat(e.largest().setting()).isEqualTo("unroll");
    // recorded gradients alone: (T+1)·n floats
    assertThat(e.largest().bytes()).isGreaterThan(4L * 100_000_001 * QUADRATIC.dimension());
  }

  @Test
  void manyStepsAreBlamedOnTheSteps() {
    MemoryEstimate e = MemoryEstimate.training(QUADRATIC, LSTM, config(2_000_000_000, 20, 20));
    assertThat(e.largest().setting()).isEqualTo("steps");
    assertThat(e.largest().bytes()).isGreaterThan(8L * 20 * 2_000_000_000);
    // steps + 1 losses do not fit one Java array
    MemoryEstimate max = MemoryEstimate.training(QUADRATIC, LSTM, config(Integer.MAX_VALUE, 20, 1));
    assertThat(max.impossible()).isNotNull();
    assertThat(max.impossible().setting()).isEqualTo("steps");
    assertThat(e.impossible()).isNull();
  }

  @Test
  void validationMemoryGrowsLinearlyWithTheProblems() {
    long a = MemoryEstimate.training(QUADRATIC, LSTM, config(100, 20, 1_000_000)).largest().bytes();
    long b = MemoryEstimate.training(QUADRATIC, LSTM, config(100, 20, 2_000_000)).largest().bytes();
    assertThat((double) b / a).isBetween(1.99, 2.01);
  }

  @Test
  void comparisonBlamesTheSettingThatGrows() {
    Comparison problems = new Comparison(QUADRATIC, 100, 20, Integer.MAX_VALUE, new double[] {0.1}, 1);
    assertThat(MemoryEstimate.comparison(problems, List.of(), 4, 2).largest().setting())
        .isEqualTo("problems");
    Comparison steps = new Comparison(QUADRATIC, 2_000_000_000, 20, 100, new double[] {0.1}, 1);
    assertThat(MemoryEstimate.comparison(steps, List.of(), 4, 2).largest().setting())
        .isEqualTo("steps");
    assertThat(MemoryEstimate.tuning(QUADRATIC, Integer.MAX_VALUE, 100, 1).largest().setting())
        .isEqualTo("tune-problems");
  }

  @Test
  void aLearnedOptimizerCountsItsStatePerCoordinate() {
    ProblemFamily big = Problems.parse("quadratic(dim=10,batch=100000)");
    Comparison c = new Comparison(big, 10, 1, 2, new double[] {0.1}, 1);
    LstmConfig paper = LstmConfig.parse("lstm(preset=paper)");
    Evaluator.Entry lstm = new Evaluator.Entry("lstm", new LearnedOptimizer("lstm", paper,
        LstmWeights.init(paper, new java.util.SplittableRandom(1)), LstmKernels.best(), null));
    long withLstm = MemoryEstimate.comparison(c, List.of(lstm), 0, 2).bytes();
    long baselineOnly = MemoryEstimate.comparison(c, List.of(), 1, 2).bytes();
    // two running problems x 10^6 coordinates x 2 layers of 20 units x (h, c) floats
    assertThat(withLstm - baselineOnly).isGreaterThan(2L * 1_000_000 * 40 * 2 * 4 / 2);
  }

  @Test
  void formatsBytesShortly() {
    assertThat(MemoryEstimate.format(512)).isEqualTo("512 bytes");
    assertThat(MemoryEstimate.format(1536)).isEqualTo("1.5 KB");
    assertThat(MemoryEstimate.format(34L << 30)).isEqualTo("34 GB");
    assertThat(MemoryEstimate.format(Long.MAX_VALUE)).isEqualTo("more than a JVM can hold");
  }
}
