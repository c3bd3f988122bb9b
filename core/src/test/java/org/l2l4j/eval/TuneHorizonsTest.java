package org.l2l4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Nag;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;

/**
 * Tuning for several horizons from one set of runs ({@link Tuner#tuneHorizons}) chooses what
 * tuning for each horizon separately chooses; {@link Curve#prefix}; {@link Comparison#evaluate}.
 */
class TuneHorizonsTest {
  private static final long SEED = 77;
  /** Rates from too small to diverging (SGD at 3 blows up on these quadratics). */
  private static final double[] GRID = {0.001, 0.01, 0.1, 0.3, 3};
  private static final int PROBLEMS = 3;

  private static final ProblemFamily FAMILY = Problems.parse("quadratic(dim=4)");

  @Test
  void eachHorizonGetsWhatTuningForItAloneGives() {
    int[] horizons = {20, 3, 8};
    for (BaselineOptimizer<?> b : List.<BaselineOptimizer<?>>of(new Sgd(1), new Adam(1),
        new Nag(1, 0.9))) {
      List<Tuner.Result> together = Tuner.tuneHorizons(b, GRID, FAMILY, PROBLEMS, horizons, SEED,
          null, Evaluator.RunListener.NONE);
      assertThat(together).hasSize(horizons.length);
      for (int j = 0; j < horizons.length; j++) {
        Tuner.Result alone = Tuner.tune(b, GRID, FAMILY, PROBLEMS, horizons[j], SEED);
        assertThat(together.get(j).grid()).as("%s at %d", b.name(), horizons[j])
            .isEqualTo(alone.grid());
        assertThat(together.get(j).best()).isEqualTo(alone.best());
        assertThat(together.get(j).bestFinalLoss()).isEqualTo(alone.bestFinalLoss());
      }
    }
  }

  @Test
  void theChoiceDependsOnTheHorizonAndDivergenceIsJudgedAtIt() {
    List<Tuner.Result> r = Tuner.tuneHorizons(new Sgd(1), GRID, FAMILY, PROBLEMS,
        new int[] {1, 200}, SEED, null, Evaluator.RunListener.NONE);
    // SGD at lr 3 blows up over 200 steps: skipped there; every horizon's winner has the lowest
    // mean at that horizon among the points that did not diverge
    assertThat(r.get(1).divergedRates()).contains(3.0);
    for (Tuner.Result x : r) {
      for (Tuner.Point p : x.grid()) {
        if (!p.diverged()) {
          assertThat(x.bestFinalLoss()).isLessThanOrEqualTo(p.finalLoss());
        }
      }
    }
  }

  @Test
  void progressCountsTheLongRunsOnce() {
    int[] calls = {0};
    int[] last = {0};
    Tuner.tuneHorizons(new Adam(1), GRID, FAMILY, PROBLEMS, new int[] {5, 10}, SEED, null,
        (done, total) -> {
          calls[0]++;
          last[0] = done;
          assertThat(total).isEqualTo(GRID.length * PROBLEMS);
        });
    assertThat(calls[0]).isEqualTo(GRID.length * PROBLEMS);
    assertThat(last[0]).isEqualTo(GRID.length * PROBLEMS);
  }

  @Test
  void badHorizonsAreRefused() {
    assertThatThrownBy(() -> Tuner.tuneHorizons(new Sgd(1), GRID, FAMILY, 1, new int[] {},
        SEED, null, Evaluator.RunListener.NONE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tuner.tuneHorizons(new Sgd(1), GRID, FAMILY, 1, new int[] {5, 0},
        SEED, null, Evaluator.RunListener.NONE)).hasMessageContaining("horizons");
  }

  @Test
  void prefixIsTheShorterRunExactly() {
    Curve longRun = new Evaluator(FAMILY, PROBLEMS, 30, SEED, Evaluator.TEST)
        .run("adam", new Adam(0.1));
    Curve shortRun = new Evaluator(FAMILY, PROBLEMS, 12, SEED, Evaluator.TEST)
        .run("adam", new Adam(0.1));
    Curve p = longRun.prefix(12);
    assertThat(p.losses()).isDeepEqualTo(shortRun.losses());
    assertThat(p.name()).isEqualTo("adam");
    assertThat(p.steps()).isEqualTo(12);
    assertThat(longRun.prefix(30).losses()).isDeepEqualTo(longRun.losses());
    assertThatThrownBy(() -> longRun.prefix(31)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> longRun.prefix(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void evaluateWithGivenTuningIsTheSecondHalfOfRun() {
    Comparison c = new Comparison(FAMILY, 15, PROBLEMS, 4, GRID, SEED);
    List<BaselineOptimizer<?>> baselines = List.of(new Sgd(1), new Adam(1));
    try (Parallel p = new Parallel(2)) {
      Comparison.Result whole = c.run(List.of(), baselines, new Comparison.Listener() {}, p);
      Map<String, Tuner.Result> tuning = new java.util.LinkedHashMap<>();
      for (BaselineOptimizer<?> b : baselines) {
        tuning.put(b.name(), Tuner.tuneHorizons(b, GRID, FAMILY, PROBLEMS, new int[] {40, 15},
            SEED, null, Evaluator.RunListener.NONE).get(1));
      }
      Comparison.Result half = c.evaluate(List.of(), tuning, new Comparison.Listener() {}, null);
      assertThat(half.learningRates()).isEqualTo(whole.learningRates());
      assertThat(half.curves()).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat(half.curves().get(i).losses()).isDeepEqualTo(whole.curves().get(i).losses());
      }
    }
  }
}
