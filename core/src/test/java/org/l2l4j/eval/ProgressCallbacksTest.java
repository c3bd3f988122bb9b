package org.l2l4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;

/** Progress callbacks of {@link Evaluator}, {@link Tuner} and {@link Comparison}. */
class ProgressCallbacksTest {
  @Test
  void evaluatorCountsEveryProblemOnceInOrderWithAndWithoutThreads() {
    ProblemFamily family = Problems.parse("quadratic");
    for (int threads : new int[] {0, 2}) {
      List<String> calls = new ArrayList<>();
      try (Parallel parallel = threads == 0 ? null : new Parallel(threads)) {
        Curve c = new Evaluator(family, 7, 5, 3, Evaluator.TEST, parallel)
            .run("sgd", new Sgd(0.01), (done, total) -> calls.add(done + "/" + total));
        assertThat(c.losses()).hasNumberOfRows(7);
      }
      assertThat(calls).as("threads %d", threads)
          .containsExactly("1/7", "2/7", "3/7", "4/7", "5/7", "6/7", "7/7");
    }
  }

  @Test
  void comparisonReportsTuningAndEvaluationRunsBeforeEachResult() {
    ProblemFamily family = Problems.parse("quadratic");
    double[] grid = {0.01, 0.1, 1};
    Comparison cmp = new Comparison(family, 5, 2, 4, grid, 9);
    List<BaselineOptimizer<?>> baselines = List.of(new Sgd(1), new Adam(1));
    List<String> calls = new ArrayList<>();
    Comparison.Result r;
    try (Parallel parallel = new Parallel(2)) {
      r = cmp.run(List.of(), baselines, new Comparison.Listener() {
        @Override
        public void tuning(String name, int runsDone, int runs) {
          calls.add("tuning " + name + " " + runsDone + "/" + runs);
        }

        @Override
        public void tuned(String name, Tuner.Result result) {
          calls.add("tuned " + name);
        }

        @Override
        public void evaluating(String name, int runsDone, int runs) {
          calls.add("evaluating " + name + " " + runsDone + "/" + runs);
        }

        @Override
        public void evaluated(Curve curve) {
          calls.add("evaluated " + curve.name());
        }
      }, parallel);
    }
    List<String> expected = new ArrayList<>();
    for (String b : List.of("sgd", "adam")) {
      for (int i = 1; i <= grid.length * 2; i++) {
        expected.add("tuning " + b + " " + i + "/" + grid.length * 2);
      }
      expected.add("tuned " + b);
    }
    for (String b : List.of("sgd", "adam")) {
      for (int i = 1; i <= 4; i++) {
        expected.add("evaluating " + b + " " + i + "/4");
      }
      expected.add("evaluated " + b);
    }
    assertThat(calls).containsExactlyElementsOf(expected);
    // the callbacks change nothing: the same comparison without them picks the same rates
    assertThat(cmp.run(List.of(), baselines, new Comparison.Listener() {}).learningRates())
        .isEqualTo(r.learningRates());
  }
}
