package org.l2l4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Curve;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.eval.GridRunner;
import org.l2l4j.eval.Tuner;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Nag;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;

/**
 * Tuning and evaluation grids as Spark jobs on {@code local[2]} ({@link SparkGrids}): the same
 * chosen rates, scores and curves, bit for bit, as {@link GridRunner#LOCAL}.
 */
class SparkGridsTest {
  private static SparkSession session;
  private static SparkGrids grids;

  @BeforeAll
  static void start() {
    session = SparkSession.builder().master("local[2]").appName("l2l4j grids test")
        .config("spark.ui.enabled", "false").getOrCreate();
    grids = new SparkGrids(JavaSparkContext.fromSparkContext(session.sparkContext()), null);
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.stop();
    }
  }

  private static final ProblemFamily FAMILY = Problems.parse("quadratic(dim=4)");
  /** From too small to diverging (SGD blows up at 3 on these quadratics). */
  private static final double[] GRID = {0.001, 0.01, 0.1, 3};

  /** Every loss of every curve, as raw bits. */
  private static void assertSameBits(List<Curve> actual, List<Curve> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Curve a = actual.get(i);
      Curve e = expected.get(i);
      assertThat(a.name()).isEqualTo(e.name());
      assertThat(a.spec()).isEqualTo(e.spec());
      assertThat(a.losses().length).isEqualTo(e.losses().length);
      for (int k = 0; k < e.losses().length; k++) {
        assertThat(bits(a.losses()[k])).as("%s, problem %d", e.name(), k)
            .containsExactly(bits(e.losses()[k]));
      }
    }
  }

  private static long[] bits(double[] x) {
    long[] out = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Double.doubleToRawLongBits(x[i]);
    }
    return out;
  }

  @Test
  void aTuningGridOnSparkChoosesTheLocalRatesWithTheSameScores() {
    int[] horizons = {25, 5};
    for (BaselineOptimizer<?> b : List.<BaselineOptimizer<?>>of(new Sgd(1), new Adam(1),
        new Nag(1, 0.9))) {
      List<Tuner.Result> local = Tuner.tuneHorizons(b, GRID, FAMILY, 3, horizons, 9, null,
          Evaluator.RunListener.NONE, GridRunner.LOCAL);
      List<Integer> seen = new java.util.ArrayList<>();
      List<Tuner.Result> spark = Tuner.tuneHorizons(b, GRID, FAMILY, 3, horizons, 9, null,
          (done, total) -> seen.add(done), grids);
      assertThat(seen).as("progress counts every run once").hasSize(GRID.length * 3)
          .endsWith(GRID.length * 3);
      for (int j = 0; j < horizons.length; j++) {
        Tuner.Result l = local.get(j);
        Tuner.Result s = spark.get(j);
        assertThat(s.grid()).as("%s at %d", b.name(), horizons[j]).isEqualTo(l.grid());
        assertThat(s.allDiverged()).isEqualTo(l.allDiverged());
        if (!l.allDiverged()) {
          assertThat(s.best().spec()).isEqualTo(l.best().spec());
        }
        assertThat(Double.doubleToRawLongBits(s.bestFinalLoss()))
            .isEqualTo(Double.doubleToRawLongBits(l.bestFinalLoss()));
      }
    }
    // the grid has a skipped point, so the comparison covers the divergence rule
    assertThat(Tuner.tuneHorizons(new Sgd(1), GRID, FAMILY, 3, new int[] {25}, 9, null,
        Evaluator.RunListener.NONE, grids).get(0).divergedRates()).contains(3.0);
  }

  @Test
  void anEvaluationGridWithALearnedOptimizerGivesTheLocalCurves() {
    // one net for the group 'all' (bound to the family's groups on the executors), random weights
    NetGroups nets = NetGroups.parse("groups(all=lstm(preset=quadratic))");
    float[] w = new float[nets.parameterCount()];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (0.1 * rng.nextGaussian());
    }
    try (Parallel pool = new Parallel(1)) {
      LearnedOptimizer lstm = new LearnedOptimizer("lstm", nets,
          nets.bind(FAMILY.groups(), FAMILY.dimension()), w, LstmKernels.best(), pool);
      Comparison c = new Comparison(FAMILY, 20, 2, 3, GRID, 4);
      List<Evaluator.Entry> learned = List.of(new Evaluator.Entry("lstm", lstm));
      List<BaselineOptimizer<?>> baselines = List.of(new Sgd(1), new Adam(1));
      Comparison.Result local = c.run(learned, baselines, new Comparison.Listener() {}, null,
          GridRunner.LOCAL);
      List<String> evaluated = new java.util.ArrayList<>();
      Comparison.Result spark = c.run(learned, baselines, new Comparison.Listener() {
        @Override
        public void evaluated(Curve curve) {
          evaluated.add(curve.name());
        }
      }, null, grids);
      assertThat(spark.learningRates()).isEqualTo(local.learningRates());
      assertThat(local.curves()).hasSize(3);
      assertSameBits(spark.curves(), local.curves());
      assertThat(evaluated).containsExactly("lstm", "sgd", "adam");
    }
  }
}
