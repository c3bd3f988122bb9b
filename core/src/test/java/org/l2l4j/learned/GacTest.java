package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.util.Parallel;

/** The LSTM with global averaging cells: reference forward, gradient check, permutation, threads. */
class GacTest {
  static final double FORWARD_TOL = 1e-5;

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of("lstm(layers=5x4,preproc=none,scale=1,gac=2)", 4),
        Arguments.of("lstm(layers=6,preproc=log-sign(p=10),scale=0.1,gac=6)", 3),
        Arguments.of("lstm(layers=4x3x3,preproc=clamped-log-sign(k=5),scale=0.5,gac=1)", 5));
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

  @ParameterizedTest(name = "{0}, T={1}")
  @MethodSource("configs")
  void unrollMetaGradientMatchesCentralDifferences(String spec, int steps) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode());
    float[] wf = LstmWeights.init(cfg, rng);
    UnrollCheck check = UnrollCheck.of(cfg, wf, rng, 6, steps);
    double[] analytic = new double[wf.length];
    try (Parallel par = new Parallel(1)) {
      LstmEngine engine = LstmEngine.create(cfg, LstmKernels.best(), par, 6);
      assertThat(engine).isInstanceOf(GacLstmEngine.class);
      engine.unrollBackward(wf, new LstmState(cfg, 6), check.grads(), steps, analytic);
    }
    check.assertMatches(cfg, analytic, spec);
  }

  @Test
  void forwardMatchesReferenceAndAveragedCellsAreShared() {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=paper,gac=5)");
    SplittableRandom rng = new SplittableRandom(9);
    float[] wf = LstmWeights.init(cfg, rng);
    ReferenceLstm ref = new ReferenceLstm(cfg, toDouble(wf));
    int n = 4500; // three chunks
    double[][][][] states = zeroStates(ref, n);
    try (Parallel par = new Parallel(2)) {
      LstmEngine engine = LstmEngine.create(cfg, LstmKernels.best(), par, n);
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

  @Test
  void permutingCoordinatesPermutesTheUpdateAndThreadsDoNotMatter() {
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
        LearnedOptimizer opt = new LearnedOptimizer("t", cfg, w, LstmKernels.best(), par);
        Optimizer.State s = opt.init(n);
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
}
