package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;
import org.l2l4j.util.SpecException;

/**
 * Recorded unrolls ({@link LstmEngine#beginUnroll}, {@link LstmKernel#recordStep}): the backward
 * pass from the tape gives the same bits as the recomputing one, for every kernel, number of
 * recorded layers and thread count, and matches the scalar kernel to float rounding (the central
 * differences are in {@link LstmGradientCheckTest}); a recording that does not match the unroll
 * asked for is not used.
 */
class RecordedUnrollTest {
  static final String[] CONFIGS = {
    "lstm(preset=paper)",
    "lstm(preset=quadratic)",
    "lstm(preset=paper,layers=0)",
    "lstm(layers=3x5x2,preproc=log-sign(p=10),scale=0.5)",
    "lstm(preset=deepmind)",
  };
  /** One partial block, a block boundary, several chunks with a partial last one. */
  static final int[] SIZES = {1, 129, 2 * LstmEngine.CHUNK + 77};
  static final int STEPS = 7;
  static final long HUGE = 1L << 40;

  static List<LstmKernel> kernels() {
    List<LstmKernel> ks = new ArrayList<>();
    ks.add(ScalarLstmKernel.INSTANCE);
    LstmKernel best = LstmKernels.best();
    if (best != ScalarLstmKernel.INSTANCE) {
      ks.add(best);
    }
    return ks;
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String c : CONFIGS) {
      for (int n : SIZES) {
        out.add(Arguments.of(c, n));
      }
    }
    return out.stream();
  }

  /** The update of every step, the final state and the meta-gradient of one engine's unroll. */
  record Run(float[][] updates, LstmState end, double[] metaGradient, long recordedBytes) {}

  static Run run(LstmConfig cfg, LstmKernel kernel, int threads, long budget, float[] w,
      LstmState start, float[][] grads, int steps) {
    return run(cfg, kernel, threads, budget, w, start, grads, grads, steps);
  }

  /** {@link #run} backpropagating {@code lossGrads} as ∂L/∂θ_t. */
  static Run run(LstmConfig cfg, LstmKernel kernel, int threads, long budget, float[] w,
      LstmState start, float[][] grads, float[][] lossGrads, int steps) {
    try (Parallel par = new Parallel(threads)) {
      LstmEngine engine = LstmEngine.create(cfg, kernel, par, start.n, budget);
      LstmState state0 = start.copy(cfg);
      LstmState state = start.copy(cfg);
      float[][] updates = new float[steps][start.n];
      double[] dw = new double[cfg.parameterCount()];
      // two unrolls, so that the second reuses the first one's tape
      for (int unroll = 0; unroll < 2; unroll++) {
        state.copyFrom(start);
        engine.beginUnroll(state0, steps);
        for (int t = 0; t < steps; t++) {
          engine.step(w, state, grads[t], updates[t]);
        }
        engine.unrollBackward(w, state0, grads, lossGrads, steps, dw);
      }
      return new Run(updates, state, dw, engine.recordedBytes());
    }
  }

  static float[][] grads(int n, int steps, SplittableRandom rng) {
    float[][] g = new float[steps + 1][];
    for (int t = 0; t <= steps; t++) {
      g[t] = VectorLstmKernelTest.randomGrad(n, rng);
    }
    return g;
  }

  static void assertSameBits(LstmConfig cfg, Run got, Run want, String label) {
    for (int t = 0; t < want.updates().length; t++) {
      assertBits(got.updates()[t], want.updates()[t],
          String.format("%s: update of step %d", label, t));
    }
    for (int l = 0; l < cfg.depth(); l++) {
      assertBits(got.end().h[l], want.end().h[l], String.format("%s: h[%d]", label, l));
      assertBits(got.end().c[l], want.end().c[l], String.format("%s: c[%d]", label, l));
    }
    assertBits(got.metaGradient(), want.metaGradient(),
        String.format("%s: meta-gradient", label));
  }

  /** Fails at the first index where {@code got} and {@code want} differ in bits. */
  static void assertBits(float[] got, float[] want, String label) {
    assertThat(got.length).as(label).isEqualTo(want.length);
    int i = Arrays.mismatch(got, want);
    assertThat(i).as("%s: first differing index (got %s, want %s)", label,
        i < 0 ? "" : got[i], i < 0 ? "" : want[i]).isEqualTo(-1);
  }

  /** Fails at the first index where {@code got} and {@code want} differ in bits. */
  static void assertBits(double[] got, double[] want, String label) {
    assertThat(got.length).as(label).isEqualTo(want.length);
    int i = Arrays.mismatch(got, want);
    assertThat(i).as("%s: first differing index (got %s, want %s)", label,
        i < 0 ? "" : got[i], i < 0 ? "" : want[i]).isEqualTo(-1);
  }

  /**
   * Tape of all layers, of the top layer only, none: the same bits on 1 and 3 threads, and the
   * vector kernel's tape within float rounding of the scalar kernel.
   */
  @ParameterizedTest(name = "{0}, n={1}")
  @MethodSource("cases")
  void recordingDoesNotChangeBits(String spec, int n) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(41L * spec.hashCode() + n);
    float[] w = VectorLstmKernelTest.weights(cfg, rng);
    LstmState start = VectorLstmKernelTest.randomState(cfg, n, rng);
    float[][] grads = grads(n, STEPS, rng);
    // the plain-Java kernel is slow: it is the oracle for the small sizes only (VectorLstmKernelTest
    // compares the kernels on several chunks)
    boolean small = n <= 200;
    Run scalar = small ? run(cfg, ScalarLstmKernel.INSTANCE, 1, 0, w, start, grads, STEPS) : null;
    for (LstmKernel kernel : small ? kernels() : List.of(LstmKernels.best())) {
      Run recompute =
          kernel == ScalarLstmKernel.INSTANCE && scalar != null ? scalar : run(cfg, kernel, 1, 0, w, start, grads, STEPS);
      assertThat(recompute.recordedBytes()).isZero();
      long all = kernel.recordBytesPerCoordinateStep(cfg, 0) * n * STEPS;
      long top = kernel.recordBytesPerCoordinateStep(cfg, Math.max(0, cfg.depth() - 1)) * n * STEPS;
      // the scalar kernel records nothing: one budget is enough (and it is slow)
      long[] budgets = kernel == ScalarLstmKernel.INSTANCE
          ? new long[] {HUGE} : new long[] {HUGE, all, top, Math.max(0, all - 1)};
      for (long budget : budgets) {
        for (int threads : kernel == ScalarLstmKernel.INSTANCE ? new int[] {3} : new int[] {1, 3}) {
          Run taped = run(cfg, kernel, threads, budget, w, start, grads, STEPS);
          String label = String.format("%s kernel, %s, n=%d, budget %d, %d threads",
              kernel.name(), spec, n, budget, threads);
          if (kernel != ScalarLstmKernel.INSTANCE && cfg.depth() > 0) {
            int first = BlockedLstmEngine.firstRecordedLayer(cfg, kernel, n, STEPS, budget);
            // as many layers from the top as fit in the budget
            long used = kernel.recordBytesPerCoordinateStep(cfg, first) * n * STEPS;
            assertThat(used).as(label).isLessThanOrEqualTo(budget);
            if (first > 0) {
              assertThat(kernel.recordBytesPerCoordinateStep(cfg, first - 1) * n * STEPS)
                  .as(label).isGreaterThan(budget);
            }
            assertThat(first).as(label).isEqualTo(budget >= all ? 0 : budget >= top
                ? Math.min(first, cfg.depth() - 1) : cfg.depth());
            assertThat(taped.recordedBytes()).as(label)
                .isEqualTo(kernel.recordBytesPerCoordinateStep(cfg, first) * n * STEPS);
          }
          assertSameBits(cfg, taped, recompute, label);
        }
      }
      if (cfg.depth() > 0 && kernel != ScalarLstmKernel.INSTANCE && scalar != null) {
        VectorLstmKernelTest.assertGradientsMatch(
            cfg, run(cfg, kernel, 2, HUGE, w, start, grads, STEPS).metaGradient(),
            scalar.metaGradient(), kernel.name() + " recorded, " + spec, n);
      }
    }
  }

  /**
   * A recording is used only for the unroll it recorded: other weights, another initial state
   * object, a step too many or too few, or another gradient array make the backward pass
   * recompute, with the recomputed result.
   */
  @Test
  void mismatchedRecordingIsNotUsed() {
    LstmConfig cfg = LstmConfig.paper();
    int n = 300;
    SplittableRandom rng = new SplittableRandom(5);
    float[] w = VectorLstmKernelTest.weights(cfg, rng);
    LstmState start = VectorLstmKernelTest.randomState(cfg, n, rng);
    float[][] grads = grads(n, STEPS + 1, rng);
    float[] w2 = w.clone();
    w2[3] += 0.25f;
    for (LstmKernel kernel : List.of(LstmKernels.best())) {
      for (int variant = 0; variant < 5; variant++) {
        try (Parallel par = new Parallel(1)) {
          LstmEngine engine = LstmEngine.create(cfg, kernel, par, n, HUGE);
          LstmState state0 = start.copy(cfg);
          LstmState state = start.copy(cfg);
          float[] update = new float[n];
          engine.beginUnroll(state0, STEPS);
          int run = variant == 2 ? STEPS + 1 : variant == 3 ? STEPS - 1 : STEPS;
          for (int t = 0; t < run; t++) {
            engine.step(w, state, grads[t], update);
          }
          float[] wb = variant == 0 ? w2 : w;
          LstmState s0 = variant == 1 ? start.copy(cfg) : state0;
          float[][] g = grads;
          if (variant == 4) {
            g = grads.clone();
            g[2] = grads[2].clone();
          }
          int steps = variant == 3 ? STEPS - 1 : STEPS;
          double[] got = new double[cfg.parameterCount()];
          engine.unrollBackward(wb, s0, g, steps, got);
          double[] want = new double[cfg.parameterCount()];
          try (Parallel p2 = new Parallel(1)) {
            LstmEngine.create(cfg, kernel, p2, n).unrollBackward(wb, start, grads, steps, want);
          }
          assertBits(got, want, String.format("%s kernel, variant %d", kernel.name(), variant));
        }
      }
    }
  }

  /** The layers recorded for a budget; n = 1,000,000 in a 1.5 GB heap recomputes. */
  @Test
  void budgetChoosesRecordedLayers() {
    LstmConfig cfg = LstmConfig.paper(); // 20x20: 4·20 floats of gates per layer
    LstmKernel kernel = LstmKernels.best();
    if (kernel == ScalarLstmKernel.INSTANCE) {
      assertThat(BlockedLstmEngine.firstRecordedLayer(cfg, kernel, 100, 20, HUGE)).isEqualTo(2);
      return;
    }
    assertThat(kernel.recordBytesPerCoordinateStep(cfg, 0)).isEqualTo(640);
    assertThat(kernel.recordBytesPerCoordinateStep(cfg, 1)).isEqualTo(320);
    assertThat(kernel.recordBytesPerCoordinateStep(cfg, 2)).isZero();
    int n = 15910;
    assertThat(BlockedLstmEngine.firstRecordedLayer(cfg, kernel, n, 20, 640L * n * 20))
        .isEqualTo(0);
    assertThat(BlockedLstmEngine.firstRecordedLayer(cfg, kernel, n, 20, 640L * n * 20 - 1))
        .isEqualTo(1);
    assertThat(BlockedLstmEngine.firstRecordedLayer(cfg, kernel, n, 20, 320L * n * 20 - 1))
        .isEqualTo(2);
    assertThat(BlockedLstmEngine.firstRecordedLayer(cfg, kernel, n, 20, 0)).isEqualTo(2);
    assertThat(BlockedLstmEngine.firstRecordedLayer(cfg, kernel, 1_000_000, 20, 750L << 20))
        .isEqualTo(2);
  }

  /**
   * Meta-training with a tape (all layers; the top layer only), with the automatic budget and
   * without one ends with the same weights, on 1 and 2 threads; 20 steps in unrolls of 6 (the
   * last unroll is shorter), 2,000 coordinates.
   */
  @Test
  void metaTrainingDoesNotDependOnTheTape() {
    ProblemFamily family = Problems.parse("quadratic(preset=paper,dim=10,batch=200)");
    LstmConfig cfg = LstmConfig.paper();
    LstmKernel kernel = LstmKernels.best();
    long top = kernel.recordBytesPerCoordinateStep(cfg, 1) * family.dimension() * 6;
    float[] want = null;
    for (long budget : new long[] {0, HUGE, top, -1}) {
      for (int threads : new int[] {1, 2}) {
        MetaTrainerConfig mc = new MetaTrainerConfig(3, 20, 6, 0.003, 0, 0, 1, 7, threads, 3);
        MetaTrainer trainer = new MetaTrainer(mc, cfg, kernel, budget);
        TrainingState s = trainer.train(family, trainer.freshState(), MetaListener.NONE, null);
        assertThat(s.updates).isEqualTo(12);
        if (want == null) {
          want = s.weights;
        } else {
          assertBits(s.weights, want, "budget " + budget + ", " + threads + " threads");
        }
      }
    }
  }

  @Test
  void tapeMemoryPropertyIsChecked() {
    String key = MetaTrainer.TAPE_MEMORY_PROPERTY;
    String old = System.getProperty(key);
    try {
      System.clearProperty(key);
      assertThat(MetaTrainer.tapeBudgetFromProperty()).isEqualTo(-1);
      System.setProperty(key, "auto");
      assertThat(MetaTrainer.tapeBudgetFromProperty()).isEqualTo(-1);
      System.setProperty(key, "0");
      assertThat(MetaTrainer.tapeBudgetFromProperty()).isZero();
      System.setProperty(key, "512");
      assertThat(MetaTrainer.tapeBudgetFromProperty()).isEqualTo(512L << 20);
      for (String bad : new String[] {"-1", "1.5", "", "12x", "9999999999"}) {
        System.setProperty(key, bad);
        assertThatThrownBy(MetaTrainer::tapeBudgetFromProperty).as(bad)
            .isInstanceOf(SpecException.class)
            .hasMessageContaining(key);
      }
    } finally {
      if (old == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, old);
      }
    }
  }
}
