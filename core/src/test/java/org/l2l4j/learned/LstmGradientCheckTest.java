package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central-difference checks (double precision, {@link ReferenceLstm}) of the kernels' backward
 * passes: one step, and the whole meta-gradient of an unroll on a random quadratic with second
 * derivatives dropped (the optimizee gradients fed to the network are held at their values at
 * φ₀, which is what "dropped" means).
 */
class LstmGradientCheckTest {
  /** Forward tolerance, relative, between the float kernels and the double reference. */
  static final double FORWARD_TOL = 1e-5;

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of("lstm(layers=5x4,preproc=none,scale=1)", 3),
        Arguments.of("lstm(layers=6,preproc=log-sign(p=10),scale=0.1)", 5),
        Arguments.of("lstm(layers=4x3x2,preproc=clamped-log-sign(k=5),scale=0.5)", 6),
        Arguments.of("lstm(layers=0,preproc=none,scale=1)", 5),
        Arguments.of("lstm(preset=quadratic)", 5),
        // T = 1: the backward pass of one optimizer step of the paper's network
        Arguments.of("lstm(preset=paper)", 1));
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
    UnrollCheck check = UnrollCheck.of(cfg, wf, rng, 6, steps);
    for (LstmKernel kernel : kernels()) {
      double[] analytic = new double[wf.length];
      kernel.unrollBackward(cfg, wf, new LstmState(cfg, 6), check.grads(), check.grads(), steps,
          0, 6, analytic, new LstmKernel.Workspace());
      check.assertMatches(cfg, analytic, kernel.name() + " kernel, " + spec);
      // the same unroll with its forward steps recorded (all layers, then the top one only)
      for (long budget : new long[] {1L << 40,
          kernel.recordBytesPerCoordinateStep(cfg, Math.max(0, cfg.depth() - 1)) * 6 * steps}) {
        RecordedUnrollTest.Run r = RecordedUnrollTest.run(
            cfg, kernel, 1, budget, wf, new LstmState(cfg, 6), check.grads(), steps);
        if (kernel != ScalarLstmKernel.INSTANCE && cfg.depth() > 0) {
          assertThat(r.recordedBytes()).as("%s recorded bytes", spec).isPositive();
        }
        check.assertMatches(cfg, r.metaGradient(),
            kernel.name() + " kernel, recorded (budget " + budget + "), " + spec);
      }
    }
  }

  static Stream<Arguments> lossCases() {
    List<Arguments> out = new ArrayList<>();
    for (String spec : List.of("lstm(layers=6,preproc=log-sign(p=10),scale=0.1)",
        "lstm(layers=4x3x2,preproc=clamped-log-sign(k=5),scale=0.5)", "lstm(preset=quadratic)")) {
      for (String weights : List.of("last", "random", "uniform")) {
        for (boolean log : new boolean[] {false, true}) {
          if (weights.equals("uniform") && !log) {
            continue; // the plain sum: unrollMetaGradientMatchesCentralDifferences
          }
          out.add(Arguments.of(spec, 5, weights, log));
        }
      }
    }
    return out.stream();
  }

  /** Step weights for the loss cases: null (uniform), last-only, or random in [0, 2). */
  static double[] stepWeights(String weights, int steps, SplittableRandom rng) {
    if (weights.equals("uniform")) {
      return null;
    }
    double[] w = new double[steps];
    for (int t = 0; t < steps; t++) {
      w[t] = weights.equals("last") ? (t == steps - 1 ? 1 : 0) : rng.nextDouble(0, 2);
    }
    return w;
  }

  /**
   * The meta-gradient of an unroll for a weighted and/or log-transformed meta-loss, the kernels
   * given ∂L/∂θ_t ({@link UnrollCheck#lossGrads}), recomputing and recorded.
   */
  @ParameterizedTest(name = "{0}, T={1}, weights={2}, log={3}")
  @MethodSource("lossCases")
  void weightedUnrollMetaGradientMatchesCentralDifferences(
      String spec, int steps, String weights, boolean log) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(spec.hashCode() + 31L * weights.hashCode());
    float[] wf = LstmWeights.init(LstmConfig.parse(spec.replace(",scale", ",init=official,scale")), rng);
    for (int j = 0; j < wf.length; j++) {
      wf[j] += (float) (0.05 * rng.nextGaussian());
    }
    UnrollCheck check =
        UnrollCheck.of(cfg, wf, rng, 6, steps, stepWeights(weights, steps, rng), log);
    assertThat(check.lossGrads()).isNotSameAs(check.grads());
    String label = spec + ", weights=" + weights + ", log=" + log;
    for (LstmKernel kernel : kernels()) {
      double[] analytic = new double[wf.length];
      kernel.unrollBackward(cfg, wf, new LstmState(cfg, 6), check.grads(), check.lossGrads(),
          steps, 0, 6, analytic, new LstmKernel.Workspace());
      check.assertMatches(cfg, analytic, kernel.name() + " kernel, " + label);
      for (long budget : new long[] {1L << 40,
          kernel.recordBytesPerCoordinateStep(cfg, Math.max(0, cfg.depth() - 1)) * 6 * steps}) {
        RecordedUnrollTest.Run r = RecordedUnrollTest.run(cfg, kernel, 1, budget, wf,
            new LstmState(cfg, 6), check.grads(), check.lossGrads(), steps);
        if (kernel != ScalarLstmKernel.INSTANCE) {
          assertThat(r.recordedBytes()).as("%s recorded bytes", label).isPositive();
        }
        check.assertMatches(cfg, r.metaGradient(),
            kernel.name() + " kernel, recorded (budget " + budget + "), " + label);
      }
    }
  }

  /**
   * With input normalisation (the {@code general} preset: inputs x_t = ∇_t/√(v̂_t + ε), ∂L/∂θ_t =
   * ∇_t), plain and log-mean meta-losses: every kernel against central differences.
   */
  @ParameterizedTest(name = "log={0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void normalisedInputsMetaGradientMatchesCentralDifferences(boolean log) {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=general,scale=0.3)");
    assertThat(cfg.norm()).isEqualTo(0.99);
    SplittableRandom rng = new SplittableRandom(log ? 71 : 72);
    float[] wf = LstmWeights.init(LstmConfig.parse("lstm(preset=general,init=official)"), rng);
    for (int j = 0; j < wf.length; j++) {
      wf[j] += (float) (0.05 * rng.nextGaussian());
    }
    int steps = 7;
    UnrollCheck check = UnrollCheck.of(cfg, wf, rng, 6, steps, null, log, cfg.norm());
    assertThat(check.lossGrads()).isNotSameAs(check.grads());
    for (LstmKernel kernel : kernels()) {
      double[] analytic = new double[wf.length];
      kernel.unrollBackward(cfg, wf, new LstmState(cfg, 6), check.grads(), check.lossGrads(),
          steps, 0, 6, analytic, new LstmKernel.Workspace());
      check.assertMatches(cfg, analytic, kernel.name() + " kernel, norm, log=" + log);
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
              .isCloseTo(want, org.assertj.core.data.Offset.offset(FORWARD_TOL * (1 + Math.abs(want))));
        }
      }
    }
  }

}
