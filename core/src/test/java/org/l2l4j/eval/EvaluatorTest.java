package org.l2l4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

class EvaluatorTest {
  @Test
  void optimizersArePairedOnTheSameProblems() {
    ProblemFamily f = Problems.parse("quadratic");
    Evaluator ev = new Evaluator(f, 7, 10, 5, Evaluator.TEST);
    List<Curve> cs = ev.run(List.of(new Evaluator.Entry("a", new Sgd(0.01)),
        new Evaluator.Entry("b", new Adam(0.1))));
    // same problems and θ₀: identical losses at step 0, different afterwards
    for (int k = 0; k < 7; k++) {
      assertThat(cs.get(0).losses()[k][0]).isEqualTo(cs.get(1).losses()[k][0]);
      assertThat(cs.get(0).losses()[k][10]).isNotEqualTo(cs.get(1).losses()[k][10]);
    }
    // another purpose draws other problems
    Curve tune = new Evaluator(f, 7, 10, 5, Evaluator.TUNE).run("a", new Sgd(0.01));
    assertThat(tune.losses()[0][0]).isNotEqualTo(cs.get(0).losses()[0][0]);
  }

  @Test
  void meanAndIntervalAreComputedPerStep() {
    Curve c = new Curve("x", "x", false, new double[][] {{1, 2}, {3, 6}});
    assertThat(c.mean()).containsExactly(2, 4);
    // sd of {1,3} = √2; t_0.975(1)·√2/√2 = tan(0.475π) = 12.7062 (one degree of freedom: Cauchy)
    assertThat(c.ci95()[0])
        .isCloseTo(Math.tan(0.475 * Math.PI), org.assertj.core.data.Offset.offset(1e-12));
    // sd of {2,6} = 2√2; 12.7062·2√2/√2
    assertThat(c.ci95()[1])
        .isCloseTo(2 * Math.tan(0.475 * Math.PI), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void twentyRunsUseTWithNineteenDegrees() {
    // losses 0..19 at step 0: sd = √35, so the half-width is 2.0930240544·√35/√20 (t from SciPy)
    double[][] runs = new double[20][1];
    for (int k = 0; k < 20; k++) {
      runs[k][0] = k;
    }
    Curve c = new Curve("x", "x", false, runs);
    assertThat(c.ci95()[0])
        .isCloseTo(
            2.0930240544083087 * Math.sqrt(35) / Math.sqrt(20),
            org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void tunerPicksTheBestRateAndSkipsDivergence() {
    ProblemFamily f = Problems.parse("quadratic");
    Tuner.Result r = Tuner.tune(new Sgd(1), new double[] {1e-4, 0.01, 10}, f, 5, 50, 3);
    assertThat(r.best().learningRate()).isEqualTo(0.01);
    assertThat(r.grid().get(2).finalLoss()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void tunerSkipsAPointWhoseLossEndsAboveItsStart() {
    // f(x) = x², x₀ = 1: SGD multiplies x by 1 - 2·lr, so lr 1.5 quadruples the loss each step
    ProblemFamily f = Problems.parse("simple");
    Tuner.Result r = Tuner.tune(new Sgd(1), new double[] {1.5, 0.25}, f, 2, 3, 3);
    assertThat(r.grid().get(0).finalLoss()).isEqualTo(64.0);
    assertThat(r.grid().get(0).diverged()).isTrue();
    assertThat(r.grid().get(1).diverged()).isFalse();
    assertThat(r.best().learningRate()).isEqualTo(0.25);
    assertThat(r.divergedRates()).containsExactly(1.5);
  }

  @Test
  void tunerChoosesNothingWhenEveryPointDiverges() {
    ProblemFamily f = Problems.parse("simple");
    Tuner.Result r = Tuner.tune(new Sgd(1), new double[] {1.5, 3}, f, 2, 3, 3);
    assertThat(r.allDiverged()).isTrue();
    assertThat(r.best()).isNull();
    assertThat(r.bestFinalLoss()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void comparisonDoesNotEvaluateABaselineThatDivergedEverywhere() {
    ProblemFamily f = Problems.parse("simple");
    Comparison c = new Comparison(f, 3, 2, 2, new double[] {1.5, 3}, 7);
    Comparison.Result r = c.run(List.of(new Evaluator.Entry("good", new Sgd(0.25))),
        List.of(new Sgd(1), new Adam(1)), new Comparison.Listener() {});
    assertThat(r.divergedEverywhere()).containsExactly("sgd");
    assertThat(r.curves()).extracting(Curve::name).doesNotContain("sgd").contains("good");
    assertThat(r.learningRates()).doesNotContainKey("sgd");
  }

  @Test
  void divergedMeansTheFinalMeanIsAboveTheStartOrNotFinite() {
    assertThat(new Curve("a", "a", false, new double[][] {{1, 2}}).diverged()).isTrue();
    assertThat(new Curve("a", "a", false, new double[][] {{1, 1}}).diverged()).isFalse();
    assertThat(new Curve("a", "a", false, new double[][] {{1, Double.NaN}}).diverged()).isTrue();
    assertThat(new Curve("a", "a", false, new double[][] {{1, 0.5}, {1, 3}}).diverged()).isTrue();
  }

  @Test
  void oneRunHasNoInterval() {
    Curve c = new Curve("x", "x", false, new double[][] {{1, 2}});
    assertThat(c.ci95()).containsExactly(Double.NaN, Double.NaN);
  }
}
