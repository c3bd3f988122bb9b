package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.problem.QuadraticFamily;
import org.l2l4j.util.Parallel;

/** The LSTM with global averaging cells: reference forward, gradient check, permutation, threads. */
class GacTest {
  static final double REL_TOL = 2e-3;
  static final double FORWARD_TOL = 1e-5;
  static final double EPS = 1e-6;

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

  static double metaLoss(LstmConfig cfg, double[] w, QuadraticFamily.Quadratic q, int dim,
      double[] theta0, double[][] inputs, int steps) {
    ReferenceLstm ref = new ReferenceLstm(cfg, w);
    double[] theta = theta0.clone();
    double[][][][] states = zeroStates(ref, dim);
    double loss = 0;
    for (int t = 0; t < steps; t++) {
      double[] u = ref.stepAll(inputs[t], states);
      for (int i = 0; i < dim; i++) {
        theta[i] += u[i];
      }
      loss += LstmGradientCheckTest.quadValue(q, dim, theta, null);
    }
    return loss;
  }

  @ParameterizedTest(name = "{0}, T={1}")
  @MethodSource("configs")
  void unrollMetaGradientMatchesCentralDifferences(String spec, int steps) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode());
    float[] wf = LstmWeights.init(cfg, rng);
    double[] w = toDouble(wf);
    int dim = 6;
    QuadraticFamily family =
        new QuadraticFamily("paper", QuadraticFamily.Distribution.NORMAL, dim, 1, 0.01f);
    QuadraticFamily.Quadratic q = (QuadraticFamily.Quadratic) family.sample(rng);
    double[] theta0 = new double[dim];
    for (int i = 0; i < dim; i++) {
      theta0[i] = rng.nextGaussian() * 0.5;
    }
    ReferenceLstm ref = new ReferenceLstm(cfg, w);
    double[][] inputs = new double[steps + 1][dim];
    double[] theta = theta0.clone();
    double[][][][] states = zeroStates(ref, dim);
    LstmGradientCheckTest.quadValue(q, dim, theta, inputs[0]);
    for (int t = 0; t < steps; t++) {
      double[] u = ref.stepAll(inputs[t], states);
      for (int i = 0; i < dim; i++) {
        theta[i] += u[i];
      }
      LstmGradientCheckTest.quadValue(q, dim, theta, inputs[t + 1]);
    }
    double[] numeric = new double[w.length];
    for (int j = 0; j < w.length; j++) {
      double keep = w[j];
      w[j] = keep + EPS;
      double upv = metaLoss(cfg, w, q, dim, theta0, inputs, steps);
      w[j] = keep - EPS;
      double down = metaLoss(cfg, w, q, dim, theta0, inputs, steps);
      w[j] = keep;
      numeric[j] = (upv - down) / (2 * EPS);
    }
    float[][] grads = new float[steps + 1][dim];
    for (int t = 0; t <= steps; t++) {
      for (int i = 0; i < dim; i++) {
        grads[t][i] = (float) inputs[t][i];
      }
    }
    double[] analytic = new double[w.length];
    try (Parallel par = new Parallel(1)) {
      LstmEngine engine = LstmEngine.create(cfg, LstmKernels.best(), par, dim);
      assertThat(engine).isInstanceOf(GacLstmEngine.class);
      engine.unrollBackward(wf, new LstmState(cfg, dim), grads, steps, analytic);
    }
    for (LstmConfig.Tensor tensor : cfg.tensors()) {
      double num = 0;
      double den = 0;
      for (int j = tensor.offset(); j < tensor.offset() + tensor.size(); j++) {
        num += (analytic[j] - numeric[j]) * (analytic[j] - numeric[j]);
        den += numeric[j] * numeric[j];
      }
      double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-8);
      assertThat(rel).as("%s, tensor %s: relative error", spec, tensor.name()).isLessThan(REL_TOL);
    }
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
