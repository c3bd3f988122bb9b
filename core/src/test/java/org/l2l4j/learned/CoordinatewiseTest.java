package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.util.Parallel;

/** Permuting the coordinates permutes the updates: the optimizer is coordinatewise. */
class CoordinatewiseTest {

  @ParameterizedTest
  @ValueSource(strings = {"lstm(preset=paper)", "lstm(preset=quadratic)", "lstm(preset=deepmind)"})
  void permutingCoordinatesPermutesTheUpdate(String spec) {
    LstmConfig cfg = LstmConfig.parse(spec);
    SplittableRandom rng = new SplittableRandom(5);
    float[] w = LstmWeights.init(cfg, rng);
    int n = 5000; // several chunks and blocks, not a multiple of either
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    try (Parallel par = new Parallel(2)) {
      LearnedOptimizer opt = new LearnedOptimizer("t", cfg, w, LstmKernels.best(), par);
      LearnedOptimizer.RunState a = opt.init(n);
      LearnedOptimizer.RunState b = opt.init(n);
      float[] thetaA = new float[n];
      float[] thetaB = new float[n];
      for (int step = 0; step < 4; step++) {
        float[] g = new float[n];
        float[] gp = new float[n];
        for (int i = 0; i < n; i++) {
          g[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 2)));
        }
        for (int i = 0; i < n; i++) {
          gp[i] = g[perm[i]];
        }
        opt.step(a, thetaA, g);
        opt.step(b, thetaB, gp);
        for (int i = 0; i < n; i++) {
          assertThat(thetaB[i]).as("step %d coordinate %d", step, i).isEqualTo(thetaA[perm[i]]);
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void zeroOutputInitProposesNoUpdate() {
    LstmConfig cfg = LstmConfig.parse("lstm(preset=paper,init=zero-output)");
    float[] w = LstmWeights.init(cfg, new SplittableRandom(1));
    assertThat(w[cfg.weightOffset(0)]).isNotZero();
    try (Parallel par = new Parallel(1)) {
      LearnedOptimizer opt = new LearnedOptimizer("t", cfg, w, LstmKernels.best(), par);
      float[] theta = {1, 2, 3};
      opt.step(opt.init(3), theta, new float[] {0.5f, -1e-3f, 0});
      assertThat(theta).containsExactly(1, 2, 3);
    }
  }
}
