package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.l2l4j.problem.QuadraticFamily;

/**
 * The whole-unroll meta-gradient check shared by the plain and GAC tests: a random quadratic, T
 * steps of the double-precision {@link ReferenceLstm} from θ₀ recording the gradients ∇_0..∇_T
 * and losses f_1..f_T, and central differences of the meta-loss with those gradients held fixed
 * as the network's inputs (second derivatives dropped). The meta-loss is Σ_{t=1..T} w_t·f(θ_t),
 * or (1/T)·Σ_{t=1..T} w_t·log f(θ_t) with {@code log} (f, ∇f of the quadratic are exact here);
 * {@link #lossGrads} is what the trainer would hand the kernels for it: ∂L/∂θ_t = w_t·∇_t, or
 * w_t/(T·f_t)·∇_t, computed in double from the recorded f_t and ∇_t. With the input
 * normalisation of {@link LstmConfig#norm} the network's inputs are x_t = ∇_t/√(v̂_t + ε) (in
 * double, v from the recorded gradients), also held fixed, while ∂L/∂θ_t stays w_t·∇_t.
 *
 * @param weights the float weights the kernels use
 * @param grads the network's recorded inputs as floats, [T+1][dim]: the gradients, or their
 *     normalised copies
 * @param numeric the central-difference meta-gradient
 * @param lossGrads ∂L/∂θ_t as floats, [T+1][dim] (row 0 zero); {@code grads} itself for the plain
 *     sum
 */
record UnrollCheck(float[] weights, float[][] grads, double[] numeric, float[][] lossGrads) {
  /** Relative error allowed between a float kernel and the double central differences. */
  static final double REL_TOL = 2e-3;
  /** Central-difference step. */
  static final double EPS = 1e-6;

  /** The check of the plain meta-loss Σ_{t=1..T} f(θ_t). */
  static UnrollCheck of(LstmConfig cfg, float[] wf, SplittableRandom rng, int dim, int steps) {
    return of(cfg, wf, rng, dim, steps, null, false);
  }

  /**
   * The check of the meta-loss with step weights {@code stepWeights} (null: all 1, and then
   * {@code lossGrads == grads} without {@code log}), of log f with {@code log}.
   */
  static UnrollCheck of(LstmConfig cfg, float[] wf, SplittableRandom rng, int dim, int steps,
      double[] stepWeights, boolean log) {
    return of(cfg, wf, rng, dim, steps, stepWeights, log, 0);
  }

  /** As above, with the network's inputs normalised with β = {@code norm} (0: off). */
  static UnrollCheck of(LstmConfig cfg, float[] wf, SplittableRandom rng, int dim, int steps,
      double[] stepWeights, boolean log, double norm) {
    double[] sw = new double[steps + 1];
    for (int t = 1; t <= steps; t++) {
      sw[t] = stepWeights == null ? 1 : stepWeights[t - 1];
    }
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
    double[][] raw = norm > 0 ? new double[steps + 1][dim] : inputs;
    double[] fs = new double[steps + 1];
    run(cfg, w, q, dim, theta0, inputs, raw, norm, steps, sw, log, fs);
    double[] numeric = new double[w.length];
    for (int j = 0; j < w.length; j++) {
      double keep = w[j];
      w[j] = keep + EPS;
      double up = run(cfg, w, q, dim, theta0, inputs, raw, norm, steps, sw, log, null);
      w[j] = keep - EPS;
      double down = run(cfg, w, q, dim, theta0, inputs, raw, norm, steps, sw, log, null);
      w[j] = keep;
      numeric[j] = (up - down) / (2 * EPS);
    }
    float[][] grads = new float[steps + 1][dim];
    for (int t = 0; t <= steps; t++) {
      for (int i = 0; i < dim; i++) {
        grads[t][i] = (float) inputs[t][i];
      }
    }
    if (stepWeights == null && !log && norm == 0) {
      return new UnrollCheck(wf, grads, numeric, grads);
    }
    float[][] lossGrads = new float[steps + 1][dim];
    for (int t = 1; t <= steps; t++) {
      double c = log ? sw[t] / (steps * fs[t]) : sw[t];
      for (int i = 0; i < dim; i++) {
        lossGrads[t][i] = (float) (c * raw[t][i]);
      }
    }
    return new UnrollCheck(wf, grads, numeric, lossGrads);
  }

  /**
   * Runs the reference for T steps. With {@code fs} (record), the real gradients are written into
   * {@code inputs} and the losses into {@code fs}; otherwise {@code inputs} are the network's fixed
   * inputs. Returns the meta-loss Σ sw_t·f(θ_t), or (1/T)·Σ sw_t·log f(θ_t) with {@code log}.
   */
  private static double run(LstmConfig cfg, double[] w, QuadraticFamily.Quadratic q, int dim,
      double[] theta0, double[][] inputs, double[][] raw, double norm, int steps, double[] sw,
      boolean log, double[] fs) {
    boolean record = fs != null;
    double[] v = new double[dim];
    ReferenceLstm ref = new ReferenceLstm(cfg, w);
    double[] theta = theta0.clone();
    double[][][][] states = new double[dim][][][];
    for (int i = 0; i < dim; i++) {
      states[i] = ref.zeroState();
    }
    if (record) {
      quadValue(q, dim, theta, raw[0]);
      normalise(raw[0], inputs[0], v, norm, 1);
    }
    double loss = 0;
    for (int t = 0; t < steps; t++) {
      double[] u = ref.stepAll(inputs[t], states);
      for (int i = 0; i < dim; i++) {
        theta[i] += u[i];
      }
      double f = quadValue(q, dim, theta, record ? raw[t + 1] : null);
      if (record) {
        fs[t + 1] = f;
        normalise(raw[t + 1], inputs[t + 1], v, norm, t + 2);
      }
      loss += log ? sw[t + 1] * Math.log(f) / steps : sw[t + 1] * f;
    }
    return loss;
  }

  /** x = g/√(v̂ + ε) at step {@code t} (1-based) with the moments v advanced; a copy for β = 0. */
  static void normalise(double[] g, double[] x, double[] v, double beta, int t) {
    if (beta == 0) {
      return; // x is g itself
    }
    for (int i = 0; i < g.length; i++) {
      v[i] = beta * v[i] + (1 - beta) * g[i] * g[i];
      x[i] = g[i] / Math.sqrt(v[i] / (1 - Math.pow(beta, t)) + InputNorm.EPS);
    }
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
