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
    // sd of {1,3} = √2; 1.96·√2/√2 = 1.96
    assertThat(c.ci95()[0]).isCloseTo(1.96, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void tunerPicksTheBestRateAndSkipsDivergence() {
    ProblemFamily f = Problems.parse("quadratic");
    Tuner.Result r = Tuner.tune(new Sgd(1), new double[] {1e-4, 0.01, 10}, f, 5, 50, 3);
    assertThat(r.best().learningRate()).isEqualTo(0.01);
    assertThat(r.grid().get(2).finalLoss()).isEqualTo(Double.POSITIVE_INFINITY);
  }
}
