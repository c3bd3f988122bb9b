package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2l4j.problem.QuadraticFamily;

/**
 * Central-difference checks (double precision, {@link ReferenceLstm}) of the kernels' backward
 * passes: one step, and the whole meta-gradient of an unroll on a random quadratic with second
 * derivatives dropped (the optimizee gradients fed to the network are held at their values at
 * φ₀, which is what "dropped" means).
 */
class LstmGradientCheckTest {
  /** Relative error allowed between the float kernel and the double central differences. */
  static final double REL_TOL = 2e-3;
  /** Central-difference step. */
  static final double EPS = 1e-6;

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of("lstm(layers=5x4,preproc=none,scale=1)", 3),
        Arguments.of("lstm(layers=6,preproc=log-sign(p=10),scale=0.1)", 5),
        Arguments.of("lstm(layers=4x3x2,preproc=clamped-log-sign(k=5),scale=0.5)", 6),
        Arguments.of("lstm(layers=0,preproc=none,scale=1)", 5),
        Arguments.of("lstm(preset=quadratic)", 5));
  }

  static List<LstmKernel> kernels() {
    List<LstmKernel> ks = new ArrayList<>();
    ks.add(ScalarLstmKernel.INSTANCE);
    LstmKernel best = LstmKernels.best();
    if (best != ScalarLstmKernel.INSTANCE) {
      ks.add(best);
    }
    return ks;
  }

  /** The meta-loss Σ_{t=1..T} f(θ_t) of the reference with frozen gradient inputs. */
  static double metaLoss(
      LstmConfig cfg, double[] w, QuadraticFamily.Quadratic q, int dim, double[] theta0,
      double[][] inputs, int steps) {
    ReferenceLstm ref = new ReferenceLstm(cfg, w);
    double[] theta = theta0.clone();
    double[][][][] states = new double[dim][][][];
    for (int i = 0; i < dim; i++) {
      states[i] = ref.zeroState();
    }
    double loss = 0;
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < dim; i++) {
        theta[i] += ref.step(inputs[t][i], states[i]);
      }
      loss += quadValue(q, dim, theta, null);
    }
    return loss;
  }

  /** f(θ) = ‖Wθ − y‖² in double; writes ∇f when {@code grad} is not null. */
  static double quadValue(QuadraticFamily.Quadratic q, int dim, double[] theta, double[] grad) {
    double[] r = new double[dim];
    double f = 0;
    for (int row = 0; row < dim; row++) {
      double acc = -q.y(0, row);
      for (int col = 0; col < dim; col++) {
        acc += q.w(0, row, col) * theta[col];
      }
      r[row] = acc;
      f += acc * acc;
    }
    if (grad != null) {
      for (int col = 0; col < dim; col++) {
        double g = 0;
        for (int row = 0; row < dim; row++) {
          g += 2 * q.w(0, row, col) * r[row];
        }
        grad[col] = g;
      }
    }
    return f;
  }

  @ParameterizedTest(name = "{0}, T={1}")
  @MethodSource("configs")
  void unrollMetaGradientMatchesCentralDifferences(String spec, int steps) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode());
    float[] wf = LstmWeights.init(LstmConfig.parse(spec.replace(",scale", ",init=official,scale")), rng);
    // perturb so that no weight is exactly zero (zero-init configs) and biases are generic
    for (int j = 0; j < wf.length; j++) {
      wf[j] += (float) (0.05 * rng.nextGaussian());
    }
    double[] w = new double[wf.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = wf[j];
    }
    int dim = 6;
    QuadraticFamily family = new QuadraticFamily("paper", QuadraticFamily.Distribution.NORMAL, dim, 1, 0.01f);
    QuadraticFamily.Quadratic q = (QuadraticFamily.Quadratic) family.sample(rng);
    double[] theta0 = new double[dim];
    for (int i = 0; i < dim; i++) {
      theta0[i] = rng.nextGaussian() * 0.5;
    }
    // forward at φ0 with the reference, recording ∇_0..∇_T
    ReferenceLstm ref = new ReferenceLstm(cfg, w);
    double[][] inputs = new double[steps + 1][dim];
    double[] theta = theta0.clone();
    double[][][][] states = new double[dim][][][];
    for (int i = 0; i < dim; i++) {
      states[i] = ref.zeroState();
    }
    quadValue(q, dim, theta, inputs[0]);
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < dim; i++) {
        theta[i] += ref.step(inputs[t][i], states[i]);
      }
      quadValue(q, dim, theta, inputs[t + 1]);
    }
    // central differences of the meta-loss with the inputs frozen
    double[] numeric = new double[w.length];
    for (int j = 0; j < w.length; j++) {
      double keep = w[j];
      w[j] = keep + EPS;
      double up = metaLoss(cfg, w, q, dim, theta0, inputs, steps);
      w[j] = keep - EPS;
      double down = metaLoss(cfg, w, q, dim, theta0, inputs, steps);
      w[j] = keep;
      numeric[j] = (up - down) / (2 * EPS);
    }
    float[][] grads = new float[steps + 1][dim];
    for (int t = 0; t <= steps; t++) {
      for (int i = 0; i < dim; i++) {
        grads[t][i] = (float) inputs[t][i];
      }
    }
    for (LstmKernel kernel : kernels()) {
      double[] analytic = new double[w.length];
      kernel.unrollBackward(cfg, wf, new LstmState(cfg, dim), grads, steps, 0, dim, analytic,
          new LstmKernel.Workspace());
      for (LstmConfig.Tensor tensor : cfg.tensors()) {
        double num = 0;
        double den = 0;
        for (int j = tensor.offset(); j < tensor.offset() + tensor.size(); j++) {
          num += (analytic[j] - numeric[j]) * (analytic[j] - numeric[j]);
          den += numeric[j] * numeric[j];
        }
        double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-8);
        assertThat(rel)
            .as("%s kernel, %s, tensor %s: relative error", kernel.name(), spec, tensor.name())
            .isLessThan(REL_TOL);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void forwardMatchesReference(String spec, int steps) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode() + 1);
    float[] wf = LstmWeights.init(LstmConfig.parse(spec.replace(",scale", ",init=official,scale")), rng);
    double[] w = new double[wf.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = wf[j];
    }
    int n = 150; // more than two blocks, not a multiple of the block size
    for (LstmKernel kernel : kernels()) {
      ReferenceLstm ref = new ReferenceLstm(cfg, w);
      double[][][][] states = new double[n][][][];
      for (int i = 0; i < n; i++) {
        states[i] = ref.zeroState();
      }
      LstmState state = new LstmState(cfg, n);
      LstmKernel.Workspace ws = new LstmKernel.Workspace();
      float[] grad = new float[n];
      float[] update = new float[n];
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < n; i++) {
          // magnitudes from 1e-7 to 10, both signs
          grad[i] = (float) (Math.signum(rng.nextGaussian()) * Math.pow(10, rng.nextDouble(-7, 1)));
        }
        kernel.step(cfg, wf, state, grad, 0, n, update, ws);
        for (int i = 0; i < n; i++) {
          double want = ref.step(grad[i], states[i]);
          assertThat((double) update[i])
              .as("%s kernel, %s, step %d, coordinate %d", kernel.name(), spec, t, i)
              .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(want))));
        }
      }
    }
  }

  static double maxAbs(double[] a, ToDoubleFunction<Double> f) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(f.applyAsDouble(v)));
    }
    return m;
  }
}
