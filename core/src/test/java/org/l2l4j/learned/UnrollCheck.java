package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.l2l4j.problem.QuadraticFamily;

/**
 * The whole-unroll meta-gradient check shared by the plain and GAC tests: a random quadratic, T
 * steps of the double-precision {@link ReferenceLstm} from θ₀ recording the gradients ∇_0..∇_T,
 * and central differences of the meta-loss Σ_{t=1..T} f(θ_t) with those gradients held fixed as
 * the network's inputs (second derivatives dropped).
 *
 * @param weights the float weights the kernels use
 * @param grads the recorded gradients as floats, [T+1][dim]
 * @param numeric the central-difference meta-gradient
 */
record UnrollCheck(float[] weights, float[][] grads, double[] numeric) {
  /** Relative error allowed between a float kernel and the double central differences. */
  static final double REL_TOL = 2e-3;
  /** Central-difference step. */
  static final double EPS = 1e-6;

  static UnrollCheck of(LstmConfig cfg, float[] wf, SplittableRandom rng, int dim, int steps) {
    double[] w = new double[wf.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = wf[j];
    }
    QuadraticFamily family =
        new QuadraticFamily("paper", QuadraticFamily.Distribution.NORMAL, dim, 1, 0.01f);
    QuadraticFamily.Quadratic q = (QuadraticFamily.Quadratic) family.sample(rng);
    double[] theta0 = new double[dim];
    for (int i = 0; i < dim; i++) {
      theta0[i] = rng.nextGaussian() * 0.5;
    }
    double[][] inputs = new double[steps + 1][dim];
    run(cfg, w, q, dim, theta0, inputs, steps, true);
    double[] numeric = new double[w.length];
    for (int j = 0; j < w.length; j++) {
      double keep = w[j];
      w[j] = keep + EPS;
      double up = run(cfg, w, q, dim, theta0, inputs, steps, false);
      w[j] = keep - EPS;
      double down = run(cfg, w, q, dim, theta0, inputs, steps, false);
      w[j] = keep;
      numeric[j] = (up - down) / (2 * EPS);
    }
    float[][] grads = new float[steps + 1][dim];
    for (int t = 0; t <= steps; t++) {
      for (int i = 0; i < dim; i++) {
        grads[t][i] = (float) inputs[t][i];
      }
    }
    return new UnrollCheck(wf, grads, numeric);
  }

  /**
   * Runs the reference for T steps. With {@code record}, the real gradients are written into
   * {@code inputs}; otherwise {@code inputs} are the network's fixed inputs. Returns Σ f(θ_t).
   */
  private static double run(LstmConfig cfg, double[] w, QuadraticFamily.Quadratic q, int dim,
      double[] theta0, double[][] inputs, int steps, boolean record) {
    ReferenceLstm ref = new ReferenceLstm(cfg, w);
    double[] theta = theta0.clone();
    double[][][][] states = new double[dim][][][];
    for (int i = 0; i < dim; i++) {
      states[i] = ref.zeroState();
    }
    if (record) {
      quadValue(q, dim, theta, inputs[0]);
    }
    double loss = 0;
    for (int t = 0; t < steps; t++) {
      double[] u = ref.stepAll(inputs[t], states);
      for (int i = 0; i < dim; i++) {
        theta[i] += u[i];
      }
      loss += quadValue(q, dim, theta, record ? inputs[t + 1] : null);
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

  /** Asserts the relative error of every tensor of {@code analytic} against the numeric gradient. */
  void assertMatches(LstmConfig cfg, double[] analytic, String label) {
    for (LstmConfig.Tensor tensor : cfg.tensors()) {
      double num = 0;
      double den = 0;
      for (int j = tensor.offset(); j < tensor.offset() + tensor.size(); j++) {
        num += (analytic[j] - numeric[j]) * (analytic[j] - numeric[j]);
        den += numeric[j] * numeric[j];
      }
      double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-8);
      assertThat(rel).as("%s, tensor %s: relative error", label, tensor.name()).isLessThan(REL_TOL);
    }
  }
}
