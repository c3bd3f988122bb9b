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

/**
 * A {@link GridRunner} that runs the (entry, problem) pairs one by one, in reverse order, through
 * {@link Evaluator#runProblem} (as a cluster may) gives the tuning and the comparison of {@link
 * GridRunner#LOCAL}, bit for bit; the local runner reports progress as the tuner always did.
 */
class GridRunnerTest {
  private static final ProblemFamily FAMILY = Problems.parse("quadratic(dim=4)");
  /** SGD diverges at 3 on these quadratics, so the grid has skipped points. */
  private static final double[] GRID = {0.001, 0.01, 0.1, 3};

  /** Every (entry, problem) pair separately, last pair first. */
  private static final GridRunner REVERSED = (ev, entries, listener) -> {
    double[][][] losses = new double[entries.size()][ev.problems()][];
    for (int i = entries.size() - 1; i >= 0; i--) {
      for (int k = ev.problems() - 1; k >= 0; k--) {
        losses[i][k] = ev.runProblem(entries.get(i).optimizer(), k);
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      Evaluator.Entry e = entries.get(i);
      listener.entryDone(i,
          new Curve(e.name(), e.optimizer().spec(), e.optimizer().learned(), losses[i]));
    }
  };

  @Test
  void aRunnerThatSplitsEveryRunTunesAndComparesWithTheSameBits() {
    Comparison c = new Comparison(FAMILY, 30, 3, 4, GRID, 5);
    List<BaselineOptimizer<?>> baselines = List.of(new Sgd(1), new Adam(1));
    Comparison.Result local = c.run(List.of(), baselines, new Comparison.Listener() {}, null,
        GridRunner.LOCAL);
    Comparison.Result split = c.run(List.of(), baselines, new Comparison.Listener() {}, null,
        REVERSED);
    // the comparison covers skipped points: SGD at 3 (and 0.1 here) blows up on these quadratics
    assertThat(local.tuning().get("sgd").divergedRates()).contains(3.0);
    assertThat(split.tuning()).isEqualTo(local.tuning());
    assertThat(split.learningRates()).isEqualTo(local.learningRates());
    assertThat(split.curves()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(split.curves().get(i).name()).isEqualTo(local.curves().get(i).name());
      assertThat(split.curves().get(i).losses()).isDeepEqualTo(local.curves().get(i).losses());
    }
  }

  @Test
  void theLocalRunnerCountsRunsOverTheWholeGrid() {
    List<Integer> seen = new ArrayList<>();
    Tuner.tuneHorizons(new Sgd(1), GRID, FAMILY, 3, new int[] {10}, 5, null,
        (done, total) -> {
          assertThat(total).isEqualTo(12);
          seen.add(done);
        }, GridRunner.LOCAL);
    assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
  }
}
