package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2l4j.util.Parallel;

/**
 * The LSTM with global averaging cells, with the plain cell passes and (when the JVM has the
 * Vector API) the vectorised ones: reference forward, gradient check, permutation, threads, and
 * the vectorised passes against the plain ones on random inputs.
 */
class GacTest {
  static final double FORWARD_TOL = 1e-5;

  static final String[] SPECS = {
    "lstm(layers=5x4,preproc=none,scale=1,gac=2)",
    "lstm(layers=6,preproc=log-sign(p=10),scale=0.1,gac=6)",
    "lstm(layers=4x3x3,preproc=clamped-log-sign(k=5),scale=0.5,gac=1)",
  };
  static final int[] STEPS = {4, 3, 5};

  /** The kernels whose GAC passes are tested: the scalar one, and the vector one if present. */
  static List<LstmKernel> kernels() {
    List<LstmKernel> out = new ArrayList<>();
    out.add(ScalarLstmKernel.INSTANCE);
    if (LstmKernels.vectorApiAvailable()) {
      out.add(LstmKernels.best());
    }
    return out;
  }

  static Stream<Arguments> configs() {
    List<Arguments> out = new ArrayList<>();
    for (LstmKernel k : kernels()) {
      for (int i = 0; i < SPECS.length; i++) {
        out.add(Arguments.of(SPECS[i], STEPS[i], k));
      }
    }
    return out.stream();
  }

  static Stream<LstmKernel> kernelStream() {
    return kernels().stream();
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  static double[][][][] zeroStates(ReferenceLstm ref, int n) {
    double[][][][] s = new double[n][][][];
    for (int i = 0; i < n; i++) {
      s[i] = ref.zeroState();
    }
    return s;
  }

  @ParameterizedTest(name = "{0}, T={1}, {2}")
  @MethodSource("configs")
  void unrollMetaGradientMatchesCentralDifferences(String spec, int steps, LstmKernel kernel) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode());
    float[] wf = LstmWeights.init(cfg, rng);
    UnrollCheck check = UnrollCheck.of(cfg, wf, rng, 6, steps);
    double[] analytic = new double[wf.length];
    try (Parallel par = new Parallel(1)) {
      LstmEngine engine = LstmEngine.create(cfg, kernel, par, 6);
      assertThat(engine).isInstanceOf(GacLstmEngine.class);
      engine.unrollBackward(wf, new LstmState(cfg, 6), check.grads(), steps, analytic);
    }
    check.assertMatches(cfg, analytic, spec);
  }

  /** The GAC engine's meta-gradient for weighted and log-transformed meta-losses. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelStream")
  void weightedUnrollMetaGradientMatchesCentralDifferences(LstmKernel kernel) {
    LstmConfig cfg = LstmConfig.parse("lstm(layers=5x4,preproc=log-sign(p=10),scale=0.1,gac=2)");
    int steps = 4;
    for (String weights : List.of("last", "random", "uniform")) {
      for (boolean log : new boolean[] {false, true}) {
        if (weights.equals("uniform") && !log) {
          continue;
        }
        SplittableRandom rng = new SplittableRandom(weights.hashCode() + (log ? 1 : 0));
        float[] wf = LstmWeights.init(cfg, rng);
        UnrollCheck check = UnrollCheck.of(cfg, wf, rng, 6, steps,
            LstmGradientCheckTest.stepWeights(weights, steps, rng), log);
        double[] analytic = new double[wf.length];
        try (Parallel par = new Parallel(1)) {
          LstmEngine engine = LstmEngine.create(cfg, kernel, par, 6);
          assertThat(engine).isInstanceOf(GacLstmEngine.class);
          engine.unrollBackward(wf, new LstmState(cfg, 6), check.grads(), check.lossGrads(), steps,
              analytic);
        }
        check.assertMatches(cfg, analytic, "gac, weights=" + weights + ", log=" + log);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelStream")
  void forwardMatchesReferenceAndAveragedCellsAreShared(LstmKernel kernel) {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=paper,gac=5)");
    SplittableRandom rng = new SplittableRandom(9);
    float[] wf = LstmWeights.init(cfg, rng);
    ReferenceLstm ref = new ReferenceLstm(cfg, toDouble(wf));
    int n = 4500; // three chunks
    double[][][][] states = zeroStates(ref, n);
    try (Parallel par = new Parallel(2)) {
      LstmEngine engine = LstmEngine.create(cfg, kernel, par, n);
      LstmState state = new LstmState(cfg, n);
      float[] grad = new float[n];
      double[] gd = new double[n];
      float[] update = new float[n];
      for (int t = 0; t < 3; t++) {
        for (int i = 0; i < n; i++) {
          grad[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 1)));
          gd[i] = grad[i];
        }
        engine.step(wf, state, grad, update);
        double[] want = ref.stepAll(gd, states);
        for (int i = 0; i < n; i += 7) {
          assertThat((double) update[i]).as("step %d coordinate %d", t, i)
              .isCloseTo(want[i], org.assertj.core.data.Offset.offset(FORWARD_TOL * (1 + Math.abs(want[i]))));
        }
        for (int l = 0; l < 2; l++) {
          for (int k = 0; k < 5; k++) {
            for (int i = 1; i < n; i++) {
              assertThat(state.h[l][k * n + i]).isEqualTo(state.h[l][k * n]);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelStream")
  void permutingCoordinatesPermutesTheUpdateAndThreadsDoNotMatter(LstmKernel kernel) {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=quadratic,gac=4)");
    SplittableRandom rng = new SplittableRandom(4);
    float[] w = LstmWeights.init(cfg, rng);
    int n = 2500;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = (i * 7 + 3) % n; // 7 is coprime with 2500: a permutation
    }
    float[][] gs = new float[3][n];
    for (float[] g : gs) {
      for (int i = 0; i < n; i++) {
        g[i] = (float) rng.nextGaussian();
      }
    }
    float[][] results = new float[3][];
    for (int run = 0; run < 3; run++) {
      try (Parallel par = new Parallel(run == 2 ? 2 : 1)) {
        LearnedOptimizer opt = new LearnedOptimizer("t", cfg, w, kernel, par);
        LearnedOptimizer.RunState s = opt.init(n);
        float[] theta = new float[n];
        for (float[] g : gs) {
          float[] in = g;
          if (run == 1) {
            in = new float[n];
            for (int i = 0; i < n; i++) {
              in[i] = g[perm[i]];
            }
          }
          opt.step(s, theta, in);
        }
        results[run] = theta;
      }
    }
    for (int i = 0; i < n; i++) {
      // the mean is summed in another order after a permutation: equal up to rounding
      assertThat(results[1][i]).isCloseTo(results[0][perm[i]], org.assertj.core.data.Offset.offset(1e-6f));
    }
    assertThat(results[2]).containsExactly(results[0]);
  }

  static Stream<Arguments> vectorCases() {
    List<Arguments> out = new ArrayList<>();
    for (String spec : new String[] {
        "lstm(preset=paper,gac=5)", "lstm(preset=quadratic,gac=20)", SPECS[0], SPECS[2]}) {
      for (int n : new int[] {1, 7, 129, 2049, 4500}) {
        out.add(Arguments.of(spec, n));
      }
    }
    return out.stream();
  }

  /**
   * The vectorised GAC passes against the plain ones (themselves gradient-checked above) on random
   * weights, states and gradients: the updates and state of several steps, and the meta-gradient
   * of an unroll per weight tensor, to the tolerances of {@link VectorLstmKernelTest}; sizes
   * cover a partial block, several chunks and a partial last chunk.
   */
  @ParameterizedTest(name = "{0}, n={1}")
  @MethodSource("vectorCases")
  void vectorPassesMatchPlainPasses(String spec, int n) {
    assumeTrue(LstmKernels.vectorApiAvailable(), "jdk.incubator.vector is not in the boot layer");
    LstmKernel vector = LstmKernels.best();
    assertThat(vector.gacCells()).isNotSameAs(ScalarGacCells.INSTANCE);
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(13L * spec.hashCode() + n);
    float[] w = VectorLstmKernelTest.weights(cfg, rng);
    LstmState state0 = VectorLstmKernelTest.randomState(cfg, n, rng);
    int steps = 6;
    float[][] grads = new float[steps + 1][];
    for (int t = 0; t <= steps; t++) {
      grads[t] = VectorLstmKernelTest.randomGrad(n, rng);
    }
    try (Parallel par = new Parallel(2)) {
      LstmEngine ev = LstmEngine.create(cfg, vector, par, n);
      LstmEngine es = LstmEngine.create(cfg, ScalarLstmKernel.INSTANCE, par, n);
      LstmState sv = state0.copy(cfg);
      LstmState ss = state0.copy(cfg);
      float[] uv = new float[n];
      float[] us = new float[n];
      for (int t = 0; t < steps; t++) {
        ev.step(w, sv, grads[t], uv);
        es.step(w, ss, grads[t], us);
        assertThat(VectorLstmKernelTest.relError(uv, us)).as("%s n=%d step %d", spec, n, t)
            .isLessThan(VectorLstmKernelTest.STEP_REL_TOL);
      }
      for (int l = 0; l < cfg.depth(); l++) {
        assertThat(VectorLstmKernelTest.relError(sv.h[l], ss.h[l])).as("h[%d]", l)
            .isLessThan(VectorLstmKernelTest.STEP_REL_TOL);
        assertThat(VectorLstmKernelTest.relError(sv.c[l], ss.c[l])).as("c[%d]", l)
            .isLessThan(VectorLstmKernelTest.STEP_REL_TOL);
      }
      double[] dv = new double[cfg.parameterCount()];
      double[] ds = new double[cfg.parameterCount()];
      ev.unrollBackward(w, state0, grads, steps, dv);
      es.unrollBackward(w, state0, grads, steps, ds);
      VectorLstmKernelTest.assertGradientsMatch(cfg, dv, ds, spec, n);
    }
  }

  /** The meta-gradient of an unroll has the same bits on 1, 2 and 3 threads. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelStream")
  void unrollGradientIsBitIdenticalAcrossThreadCounts(LstmKernel kernel) {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=paper,gac=5)");
    int n = 2 * LstmEngine.CHUNK + 777;
    SplittableRandom rng = new SplittableRandom(77);
    float[] w = VectorLstmKernelTest.weights(cfg, rng);
    LstmState state0 = VectorLstmKernelTest.randomState(cfg, n, rng);
    float[][] grads = new float[6][];
    for (int t = 0; t < grads.length; t++) {
      grads[t] = VectorLstmKernelTest.randomGrad(n, rng);
    }
    double[][] d = new double[3][cfg.parameterCount()];
    for (int threads = 1; threads <= 3; threads++) {
      try (Parallel par = new Parallel(threads)) {
        LstmEngine.create(cfg, kernel, par, n).unrollBackward(w, state0, grads, 5, d[threads - 1]);
      }
    }
    assertThat(d[1]).containsExactly(d[0]);
    assertThat(d[2]).containsExactly(d[0]);
  }

  /**
   * Subnormal gradients count as zero (GacLstmEngine.normalOrZero): as loss gradients the
   * meta-gradient is exactly zero, as with zero loss gradients (without the flush it is a tiny
   * nonzero); as optimizee gradients the forward steps give the updates of zero gradients (this
   * part holds with or without the flush before the preprocessing, which is there for speed: the
   * features of a subnormal gradient are within rounding of those of zero); for each kernel's GAC
   * cells.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelStream")
  void subnormalGradientsCountAsZero(LstmKernel kernel) {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=paper,gac=5)");
    int n = 300;
    int steps = 5;
    SplittableRandom rng = new SplittableRandom(78);
    float[] w = VectorLstmKernelTest.weights(cfg, rng);
    LstmState state0 = VectorLstmKernelTest.randomState(cfg, n, rng);
    float[][] grads = new float[steps + 1][];
    float[][] sub = new float[steps + 1][];
    float[][] zero = new float[steps + 1][];
    for (int t = 0; t <= steps; t++) {
      grads[t] = VectorLstmKernelTest.randomGrad(n, rng);
      // every loss gradient subnormal: normal ones would drown the subnormals' contributions
      sub[t] = new float[n];
      zero[t] = new float[n];
      for (int i = 0; i < n; i++) {
        float tiny = Float.MIN_NORMAL * (float) rng.nextDouble(0, 0.999);
        sub[t][i] = i % 2 == 0 ? tiny : -tiny;
      }
    }
    double[] ds = new double[cfg.parameterCount()];
    double[] dz = new double[cfg.parameterCount()];
    try (Parallel par = new Parallel(1)) {
      LstmEngine.create(cfg, kernel, par, n).unrollBackward(w, state0, grads, sub, steps, ds);
      LstmEngine.create(cfg, kernel, par, n).unrollBackward(w, state0, grads, zero, steps, dz);
      // and as optimizee gradients in the forward steps: the same updates as zero gradients
      LstmEngine es = LstmEngine.create(cfg, kernel, par, n);
      LstmEngine ez = LstmEngine.create(cfg, kernel, par, n);
      LstmState ss = state0.copy(cfg);
      LstmState sz = state0.copy(cfg);
      float[] us = new float[n];
      float[] uz = new float[n];
      for (int t = 0; t < steps; t++) {
        es.step(w, ss, sub[t], us);
        ez.step(w, sz, zero[t], uz);
        assertThat(us).as("step %d", t).containsExactly(uz);
      }
    }
    assertThat(ds).containsExactly(dz);
  }
}
