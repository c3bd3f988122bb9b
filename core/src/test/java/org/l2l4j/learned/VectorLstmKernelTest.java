package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API kernel against {@link ScalarLstmKernel} (itself gradient-checked against a
 * double-precision reference in {@link LstmGradientCheckTest}) on random weights, states and
 * gradients; skipped when the JVM runs without {@code --add-modules jdk.incubator.vector}.
 */
class VectorLstmKernelTest {
  /** Relative error (‖vector − scalar‖ / ‖scalar‖) allowed per output of the forward steps. */
  static final double STEP_REL_TOL = 1e-5;
  /** Relative error allowed per weight tensor of the unroll's meta-gradient. */
  static final double GRAD_REL_TOL = 1e-4;
  /** Largest error of the vectorised σ and tanh, in float ulps of the exact result. */
  static final int NONLINEARITY_ULPS = 4;
  /** Largest error of the vectorised logarithm of the preprocessing, in float ulps. */
  static final int LOG_ULPS = 2;

  static final int STEPS = 6;
  /** Unroll length: two full weight-gradient passes of WIDE / BLOCK = 4 steps and a partial one. */
  static final int UNROLL = 11;

  static LstmKernel vector;

  @BeforeAll
  static void loadKernel() throws ReflectiveOperationException {
    assumeTrue(LstmKernels.vectorApiAvailable(), "jdk.incubator.vector is not in the boot layer");
    // loaded directly, not via LstmKernels.best(), so that a broken kernel fails here loudly
    vector =
        (LstmKernel)
            Class.forName("org.l2l4j.learned.VectorLstmKernel").getField("INSTANCE").get(null);
  }

  static final String[] CONFIGS = {
    "lstm(preset=paper)",
    "lstm(preset=quadratic)",
    "lstm(preset=paper,layers=0)",
    "lstm(layers=3x5x2,preproc=log-sign(p=10),scale=0.5)",
    "lstm(preset=deepmind)",
  };
  static final int[] SIZES = {1, 7, 63, 64, 65, 255, 1000, 2049};

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String c : CONFIGS) {
      for (int n : SIZES) {
        out.add(Arguments.of(c, n));
      }
    }
    return out.stream();
  }

  /** Official-init weights, perturbed so that biases and the output bias are generic. */
  static float[] weights(LstmConfig cfg, SplittableRandom rng) {
    float[] w = LstmWeights.init(cfg, rng);
    for (int j = 0; j < w.length; j++) {
      w[j] += (float) (0.1 * rng.nextGaussian());
    }
    return w;
  }

  /** A state as after some steps: h in (−1, 1), c of a few units. */
  static LstmState randomState(LstmConfig cfg, int n, SplittableRandom rng) {
    LstmState s = new LstmState(cfg, n);
    for (int l = 0; l < cfg.depth(); l++) {
      for (int i = 0; i < s.h[l].length; i++) {
        s.h[l][i] = (float) Math.tanh(rng.nextGaussian());
        s.c[l][i] = (float) (2 * rng.nextGaussian());
      }
    }
    return s;
  }

  /** Gradients of magnitude 1e-7..10 and both signs, so every preprocessing branch is taken. */
  static float[] randomGrad(int n, SplittableRandom rng) {
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (float) ((rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(-7, 1)));
    }
    return g;
  }

  static double relError(float[] got, float[] want) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < want.length; i++) {
      double d = (double) got[i] - want[i];
      num += d * d;
      den += (double) want[i] * want[i];
    }
    return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
  }

  @ParameterizedTest(name = "{0}, n={1}")
  @MethodSource("cases")
  void stepsMatchScalarKernel(String spec, int n) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(31L * spec.hashCode() + n);
    float[] w = weights(cfg, rng);
    LstmState sv = randomState(cfg, n, rng);
    LstmState ss = sv.copy(cfg);
    LstmKernel.Workspace wv = new LstmKernel.Workspace();
    LstmKernel.Workspace wsc = new LstmKernel.Workspace();
    float[] uv = new float[n];
    float[] us = new float[n];
    for (int t = 0; t < STEPS; t++) {
      float[] g = randomGrad(n, rng);
      vector.step(cfg, w, sv, g, 0, n, uv, wv);
      ScalarLstmKernel.INSTANCE.step(cfg, w, ss, g, 0, n, us, wsc);
      assertThat(relError(uv, us)).as("%s n=%d step %d: update", spec, n, t)
          .isLessThan(STEP_REL_TOL);
    }
    for (int l = 0; l < cfg.depth(); l++) {
      assertThat(relError(sv.h[l], ss.h[l])).as("%s n=%d: h[%d]", spec, n, l)
          .isLessThan(STEP_REL_TOL);
      assertThat(relError(sv.c[l], ss.c[l])).as("%s n=%d: c[%d]", spec, n, l)
          .isLessThan(STEP_REL_TOL);
    }
  }

  @ParameterizedTest(name = "{0}, n={1}")
  @MethodSource("cases")
  void unrollGradientMatchesScalarKernel(String spec, int n) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(17L * spec.hashCode() + n);
    float[] w = weights(cfg, rng);
    LstmState state0 = randomState(cfg, n, rng);
    float[][] grads = new float[UNROLL + 1][];
    for (int t = 0; t <= UNROLL; t++) {
      grads[t] = randomGrad(n, rng);
    }
    double[] dv = new double[cfg.parameterCount()];
    double[] ds = new double[cfg.parameterCount()];
    vector.unrollBackward(cfg, w, state0, grads, grads, UNROLL, 0, n, dv, new LstmKernel.Workspace());
    ScalarLstmKernel.INSTANCE.unrollBackward(
        cfg, w, state0, grads, grads, UNROLL, 0, n, ds, new LstmKernel.Workspace());
    assertGradientsMatch(cfg, dv, ds, spec, n);
  }

  /**
   * Vector vs scalar kernel with ∂L/∂θ_t that are not the gradients (random step weights times
   * the gradients, as a weighted meta-loss gives them); and a copy of the gradients as {@code
   * lossGrads} gives the same bits as the gradients themselves.
   */
  @ParameterizedTest(name = "{0}, n={1}")
  @MethodSource("cases")
  void weightedUnrollGradientMatchesScalarKernel(String spec, int n) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(19L * spec.hashCode() + n);
    float[] w = weights(cfg, rng);
    LstmState state0 = randomState(cfg, n, rng);
    float[][] grads = new float[UNROLL + 1][];
    float[][] lossGrads = new float[UNROLL + 1][n];
    float[][] copy = new float[UNROLL + 1][];
    for (int t = 0; t <= UNROLL; t++) {
      grads[t] = randomGrad(n, rng);
      copy[t] = grads[t].clone();
      float c = (float) rng.nextDouble(0, 2);
      for (int i = 0; i < n; i++) {
        lossGrads[t][i] = c * grads[t][i];
      }
    }
    double[] dv = new double[cfg.parameterCount()];
    double[] ds = new double[cfg.parameterCount()];
    vector.unrollBackward(cfg, w, state0, grads, lossGrads, UNROLL, 0, n, dv,
        new LstmKernel.Workspace());
    ScalarLstmKernel.INSTANCE.unrollBackward(
        cfg, w, state0, grads, lossGrads, UNROLL, 0, n, ds, new LstmKernel.Workspace());
    assertGradientsMatch(cfg, dv, ds, spec, n);
    for (LstmKernel k : List.of(vector, ScalarLstmKernel.INSTANCE)) {
      double[] same = new double[cfg.parameterCount()];
      double[] copied = new double[cfg.parameterCount()];
      k.unrollBackward(cfg, w, state0, grads, grads, UNROLL, 0, n, same, new LstmKernel.Workspace());
      k.unrollBackward(cfg, w, state0, grads, copy, UNROLL, 0, n, copied,
          new LstmKernel.Workspace());
      assertThat(copied).as("%s n=%d %s: lossGrads = a copy of grads", spec, n, k.name())
          .containsExactly(same);
    }
  }

  /**
   * Per weight tensor: the reference gradient {@code want} is non-zero and {@code got} is within
   * {@value #GRAD_REL_TOL} of it (relative L2 error).
   */
  static void assertGradientsMatch(LstmConfig cfg, double[] got, double[] want, String spec, int n) {
    for (LstmConfig.Tensor tensor : cfg.tensors()) {
      double num = 0;
      double den = 0;
      for (int j = tensor.offset(); j < tensor.offset() + tensor.size(); j++) {
        num += (got[j] - want[j]) * (got[j] - want[j]);
        den += want[j] * want[j];
      }
      assertThat(den).as("%s n=%d: tensor %s has a gradient", spec, n, tensor.name())
          .isGreaterThan(0);
      assertThat(Math.sqrt(num / den))
          .as("%s n=%d: tensor %s relative error", spec, n, tensor.name())
          .isLessThan(GRAD_REL_TOL);
    }
  }

  /** One call on [0, n) and calls chunk by chunk (LstmEngine.CHUNK) give the same bits. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void chunkingDoesNotChangeBits(String spec) {
    LstmConfig cfg = LstmConfig.parse(spec);
    int chunk = LstmEngine.CHUNK;
    int n = 2 * chunk + 123;
    SplittableRandom rng = new SplittableRandom(spec.hashCode());
    float[] w = weights(cfg, rng);
    LstmState state0 = randomState(cfg, n, rng);
    float[][] grads = new float[4][];
    for (int t = 0; t < grads.length; t++) {
      grads[t] = randomGrad(n, rng);
    }
    LstmState one = state0.copy(cfg);
    LstmState chunked = state0.copy(cfg);
    float[] u1 = new float[n];
    float[] u2 = new float[n];
    LstmKernel.Workspace ws1 = new LstmKernel.Workspace();
    List<LstmKernel.Workspace> ws2 =
        List.of(new LstmKernel.Workspace(), new LstmKernel.Workspace());
    for (int t = 0; t < grads.length - 1; t++) {
      vector.step(cfg, w, one, grads[t], 0, n, u1, ws1);
      // chunks in reverse order on alternating workspaces, as worker threads might take them
      for (int c = (n - 1) / chunk; c >= 0; c--) {
        vector.step(cfg, w, chunked, grads[t], c * chunk, Math.min(n, (c + 1) * chunk), u2,
            ws2.get(c % 2));
      }
      assertThat(u2).as("%s step %d: update", spec, t).containsExactly(u1);
    }
    for (int l = 0; l < cfg.depth(); l++) {
      assertThat(chunked.h[l]).as("h[%d]", l).containsExactly(one.h[l]);
      assertThat(chunked.c[l]).as("c[%d]", l).containsExactly(one.c[l]);
    }
    int steps = grads.length - 1;
    double[] d1 = new double[cfg.parameterCount()];
    double[] d2 = new double[cfg.parameterCount()];
    vector.unrollBackward(cfg, w, state0, grads, grads, steps, 0, n, d1, ws1);
    for (int c = 0; c * chunk < n; c++) {
      vector.unrollBackward(cfg, w, state0, grads, grads, steps, c * chunk, Math.min(n, (c + 1) * chunk),
          d2, ws2.get(1 - c % 2));
    }
    assertThat(d2).as("%s: meta-gradient", spec).containsExactly(d1);
  }

  static Stream<String> configs() {
    return Stream.of(CONFIGS);
  }

  /** σ and tanh of the kernel within {@value #NONLINEARITY_ULPS} ulps of the exact values. */
  @Test
  void nonlinearitiesAreAccurate() {
    List<Float> xs = new ArrayList<>();
    for (float x = -80f; x <= 80f; x += 0.001953125f) {
      xs.add(x);
    }
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 20000; i++) {
      xs.add((float) ((rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(-30, 1.9))));
    }
    xs.add(0f);
    xs.add(-0f);
    float[] x = new float[xs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = xs.get(i);
    }
    float[] sig = new float[x.length];
    float[] th = new float[x.length];
    VectorLstmKernel.nonlinearities(x, sig, th);
    for (int i = 0; i < x.length; i++) {
      double s = 1 / (1 + Math.exp(-(double) x[i]));
      double t = Math.tanh(x[i]);
      assertThat(Math.abs(sig[i] - s) / Math.ulp((float) s))
          .as("sigmoid(%s) = %s, exact %s", x[i], sig[i], s)
          .isLessThanOrEqualTo(NONLINEARITY_ULPS);
      assertThat(Math.abs(th[i] - t) / Math.ulp((float) t))
          .as("tanh(%s) = %s, exact %s", x[i], th[i], t)
          .isLessThanOrEqualTo(NONLINEARITY_ULPS);
    }
    // beyond ±87 the argument is clamped: σ stays within 1e-37 of 0 (or 1), tanh at ±1
    float[] far = {
      -1e30f, -200f, -88f, 88f, 200f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY
    };
    float[] fs = new float[far.length];
    float[] ft = new float[far.length];
    VectorLstmKernel.nonlinearities(far, fs, ft);
    for (int i = 0; i < far.length; i++) {
      assertThat((double) fs[i]).as("sigmoid(%s)", far[i])
          .isCloseTo(far[i] > 0 ? 1 : 0, org.assertj.core.data.Offset.offset(1e-37));
      assertThat(ft[i]).as("tanh(%s)", far[i]).isEqualTo(far[i] > 0 ? 1f : -1f);
    }
    float[] nan = new float[1];
    VectorLstmKernel.nonlinearities(new float[] {Float.NaN}, nan, new float[1]);
    assertThat(nan[0]).isNaN();
  }

  /** The preprocessing's logarithm within {@value #LOG_ULPS} ulps; ∞ and NaN pass through. */
  @Test
  void logarithmIsAccurate() {
    SplittableRandom rng = new SplittableRandom(11);
    int m = 200_000;
    float[] x = new float[m + 4];
    for (int i = 0; i < m; i++) {
      x[i] = (float) Math.pow(2, rng.nextDouble(-126, 128));
    }
    x[m] = 1f;
    x[m + 1] = Float.MIN_NORMAL;
    x[m + 2] = Float.MAX_VALUE;
    x[m + 3] = Math.nextUp(1f);
    float[] y = new float[x.length];
    VectorLstmKernel.logarithms(x, y);
    for (int i = 0; i < x.length; i++) {
      double exact = Math.log(x[i]);
      assertThat(Math.abs(y[i] - exact) / Math.ulp((float) exact))
          .as("log(%s) = %s, exact %s", x[i], y[i], exact)
          .isLessThanOrEqualTo(LOG_ULPS);
    }
    float[] special = {Float.POSITIVE_INFINITY, Float.NaN};
    float[] out = new float[2];
    VectorLstmKernel.logarithms(special, out);
    assertThat(out[0]).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(out[1]).isNaN();
  }

  /** NaN, ±∞, zeros, denormals and huge gradients: the scalar kernel's NaNs, and its values. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void extremeGradientsBehaveLikeScalarKernel(String spec) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode() + 5);
    float[] w = weights(cfg, rng);
    float[] specials = {
      Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
      -Float.MIN_VALUE, Float.MIN_NORMAL, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
      (float) Math.exp(-10), -(float) Math.exp(-10), 1e-5f, 1f
    };
    int n = 3 * specials.length + 5;
    LstmState sv = randomState(cfg, n, rng);
    LstmState ss = sv.copy(cfg);
    float[] uv = new float[n];
    float[] us = new float[n];
    LstmKernel.Workspace wv = new LstmKernel.Workspace();
    LstmKernel.Workspace wsc = new LstmKernel.Workspace();
    for (int t = 0; t < 3; t++) {
      float[] g = randomGrad(n, rng);
      for (int i = 0; i < specials.length; i++) {
        g[(i * 3 + t) % n] = specials[i];
      }
      vector.step(cfg, w, sv, g, 0, n, uv, wv);
      ScalarLstmKernel.INSTANCE.step(cfg, w, ss, g, 0, n, us, wsc);
      for (int i = 0; i < n; i++) {
        if (Float.isNaN(us[i])) {
          assertThat(uv[i]).as("%s step %d coordinate %d (grad %s)", spec, t, i, g[i]).isNaN();
        } else {
          assertThat((double) uv[i])
              .as("%s step %d coordinate %d (grad %s)", spec, t, i, g[i])
              .isCloseTo(us[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(us[i]))));
        }
      }
    }
  }

  /**
   * Subnormal optimizee gradients count as zero in the vector kernel (Java has no flush-to-zero
   * mode; arithmetic on subnormals is ~40 times slower on x86): the steps' updates and the
   * unroll's meta-gradient are the same bits as with zeros in their place, and the scalar kernel,
   * which keeps them, agrees to float rounding (extremeGradientsBehaveLikeScalarKernel).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void subnormalGradientsCountAsZero(String spec) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode() + 9);
    float[] w = weights(cfg, rng);
    int n = 150;
    int steps = 5;
    float[][] sub = new float[steps + 1][];
    float[][] zero = new float[steps + 1][];
    for (int t = 0; t <= steps; t++) {
      sub[t] = randomGrad(n, rng);
      zero[t] = sub[t].clone();
      for (int i = t % 3; i < n; i += 3) {
        float tiny = Float.MIN_NORMAL * (float) rng.nextDouble(0, 0.999);
        sub[t][i] = i % 2 == 0 ? tiny : -tiny;
        zero[t][i] = 0f;
      }
    }
    LstmState s0 = randomState(cfg, n, rng);
    LstmState a = s0.copy(cfg);
    LstmState b = s0.copy(cfg);
    float[] ua = new float[n];
    float[] ub = new float[n];
    LstmKernel.Workspace wa = new LstmKernel.Workspace();
    LstmKernel.Workspace wb = new LstmKernel.Workspace();
    for (int t = 0; t < steps; t++) {
      vector.step(cfg, w, a, sub[t], 0, n, ua, wa);
      vector.step(cfg, w, b, zero[t], 0, n, ub, wb);
      assertThat(ua).as("%s step %d", spec, t).containsExactly(ub);
    }
    double[] da = new double[w.length];
    double[] db = new double[w.length];
    vector.unrollBackward(cfg, w, s0, sub, sub, steps, 0, n, da, wa);
    vector.unrollBackward(cfg, w, s0, zero, zero, steps, 0, n, db, wb);
    assertThat(da).as(spec).containsExactly(db);
  }

  /**
   * The weight-gradient pass against a plain loop, for rows 1–13 (every padding to the 6-row
   * tiles): each per-lane accumulator of a real row must be the fused multiply-add chain over the
   * vectors in order, to the bit, and the padding rows' accumulators unchanged.
   */
  @Test
  void weightGradMatchesPlainLoopForEveryRowPadding() {
    SplittableRandom rng = new SplittableRandom(11);
    int lanes = VectorLstmKernel.L;
    int base = VectorLstmKernel.BASE;
    int wide = VectorLstmKernel.WIDE;
    for (int rows = 1; rows <= 13; rows++) {
      for (int hidden = 1; hidden <= 3; hidden++) {
        int g4 = 4 * hidden;
        int nv = 1 + rng.nextInt(wide / lanes);
        int padded = VectorLstmKernel.paddedRows(rows);
        float[] x = new float[base + padded * wide]; // padding rows zero
        float[] dz = new float[base + g4 * wide];
        float[] acc = new float[base + padded * g4 * lanes];
        for (int j = base; j < base + rows * wide; j++) {
          x[j] = (float) rng.nextGaussian();
        }
        for (int j = 0; j < dz.length; j++) {
          dz[j] = (float) rng.nextGaussian();
        }
        for (int j = 0; j < acc.length; j++) {
          acc[j] = (float) rng.nextGaussian();
        }
        float[] expected = acc.clone();
        for (int r = 0; r < rows; r++) {
          for (int g = 0; g < g4; g++) {
            for (int lane = 0; lane < lanes; lane++) {
              int a = base + (r * g4 + g) * lanes + lane;
              for (int v = 0; v < nv; v++) {
                int i = v * lanes + lane;
                expected[a] = Math.fma(x[base + r * wide + i], dz[base + g * wide + i], expected[a]);
              }
            }
          }
        }
        VectorLstmKernel.weightGrad(x, rows, hidden, nv, dz, acc);
        assertThat(acc).as("rows %d, hidden %d, nv %d", rows, hidden, nv).isEqualTo(expected);
      }
    }
  }
}
