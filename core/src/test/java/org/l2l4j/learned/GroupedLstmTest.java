package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.QuadraticFamily;
import org.l2l4j.util.Parallel;

/**
 * One net per parameter group ({@link GroupedLstm}): the whole-unroll meta-gradient of two nets
 * on a two-group quadratic against central differences of a double-precision reference (each
 * net's {@link ReferenceLstm} over its own coordinates, one loss), global averaging within a
 * group, and one group over all of θ giving the plain engine's bits.
 */
class GroupedLstmTest {
  static final int DIM = 7;
  /** Interleaved groups, as an MLP's weights and biases are. */
  static final List<ParamGroup> GROUPS = List.of(
      new ParamGroup("a", new int[] {0, 2, 4, 6}), new ParamGroup("b", new int[] {2, 4, 6, 7}));
  static final String SPEC = "groups(a=lstm(layers=5x4,preproc=none,scale=1,gac=2),"
      + "b=lstm(layers=4,preproc=log-sign(p=10),scale=0.1))";

  static float[] weights(NetGroups nets, SplittableRandom rng) {
    float[] w = new float[nets.parameterCount()];
    for (int g = 0; g < nets.size(); g++) {
      LstmConfig c = nets.configs().get(g);
      float[] part = LstmWeights.init(c, rng);
      System.arraycopy(part, 0, w, nets.offset(g), part.length);
    }
    for (int j = 0; j < w.length; j++) {
      w[j] += (float) (0.05 * rng.nextGaussian());
    }
    return w;
  }

  /**
   * T steps of the reference nets, each on its group's coordinates; returns Σ_t f(θ_t). With
   * {@code record}, the real gradients are written into {@code inputs}; otherwise {@code inputs}
   * are the nets' fixed inputs.
   */
  static double run(NetGroups nets, List<ParamGroup> groups, double[] w,
      QuadraticFamily.Quadratic q, double[] theta0, double[][] inputs, int steps, boolean record) {
    ReferenceLstm[] refs = new ReferenceLstm[nets.size()];
    double[][][][][] states = new double[nets.size()][][][][];
    for (int g = 0; g < refs.length; g++) {
      LstmConfig c = nets.configs().get(g);
      double[] wg = new double[c.parameterCount()];
      System.arraycopy(w, nets.offset(g), wg, 0, wg.length);
      refs[g] = new ReferenceLstm(c, wg);
      states[g] = new double[groups.get(g).size()][][][];
      for (int i = 0; i < states[g].length; i++) {
        states[g][i] = refs[g].zeroState();
      }
    }
    double[] theta = theta0.clone();
    if (record) {
      UnrollCheck.quadValue(q, DIM, theta, inputs[0]);
    }
    double loss = 0;
    for (int t = 0; t < steps; t++) {
      double[] u = new double[DIM];
      for (int g = 0; g < refs.length; g++) {
        int[] idx = indices(groups.get(g));
        double[] in = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
          in[k] = inputs[t][idx[k]];
        }
        double[] ug = refs[g].stepAll(in, states[g]);
        for (int k = 0; k < idx.length; k++) {
          u[idx[k]] = ug[k];
        }
      }
      for (int i = 0; i < DIM; i++) {
        theta[i] += u[i];
      }
      loss += UnrollCheck.quadValue(q, DIM, theta, record ? inputs[t + 1] : null);
    }
    return loss;
  }

  static int[] indices(ParamGroup g) {
    int[] r = g.ranges();
    int[] out = new int[g.size()];
    int k = 0;
    for (int j = 0; j < r.length; j += 2) {
      for (int i = r[j]; i < r[j + 1]; i++) {
        out[k++] = i;
      }
    }
    return out;
  }

  @Test
  void twoGroupUnrollMetaGradientMatchesCentralDifferences() {
    NetGroups nets = NetGroups.parse(SPEC);
    SplittableRandom rng = new SplittableRandom(12);
    float[] wf = weights(nets, rng);
    double[] w = new double[wf.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = wf[j];
    }
    QuadraticFamily family =
        new QuadraticFamily("paper", QuadraticFamily.Distribution.NORMAL, DIM, 1, 0.01f);
    QuadraticFamily.Quadratic q = (QuadraticFamily.Quadratic) family.sample(rng);
    double[] theta0 = new double[DIM];
    for (int i = 0; i < DIM; i++) {
      theta0[i] = rng.nextGaussian() * 0.5;
    }
    int steps = 4;
    double[][] inputs = new double[steps + 1][DIM];
    run(nets, GROUPS, w, q, theta0, inputs, steps, true);
    double[] numeric = new double[w.length];
    for (int j = 0; j < w.length; j++) {
      double keep = w[j];
      w[j] = keep + UnrollCheck.EPS;
      double up = run(nets, GROUPS, w, q, theta0, inputs, steps, false);
      w[j] = keep - UnrollCheck.EPS;
      double down = run(nets, GROUPS, w, q, theta0, inputs, steps, false);
      w[j] = keep;
      numeric[j] = (up - down) / (2 * UnrollCheck.EPS);
    }
    float[][] grads = new float[steps + 1][DIM];
    float[][] lossGrads = new float[steps + 1][DIM];
    for (int t = 0; t <= steps; t++) {
      for (int i = 0; i < DIM; i++) {
        grads[t][i] = (float) inputs[t][i];
        lossGrads[t][i] = grads[t][i];
      }
    }
    for (LstmKernel kernel : LstmGradientCheckTest.kernels()) {
      try (Parallel parallel = new Parallel(2)) {
        GroupedLstm engine = new GroupedLstm(nets, GROUPS, kernel, parallel, DIM, 0);
        // the plain sum (lossGrads = grads) and the same values in separate arrays
        for (float[][] lg : List.of(grads, lossGrads)) {
          double[] analytic = new double[wf.length];
          engine.unrollBackward(wf, engine.newState(), grads, lg, steps, analytic);
          for (int g = 0; g < nets.size(); g++) {
            LstmConfig c = nets.configs().get(g);
            int off = nets.offset(g);
            for (LstmConfig.Tensor tensor : c.tensors()) {
              double num = 0;
              double den = 0;
              for (int j = off + tensor.offset(); j < off + tensor.offset() + tensor.size(); j++) {
                num += (analytic[j] - numeric[j]) * (analytic[j] - numeric[j]);
                den += numeric[j] * numeric[j];
              }
              double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-8);
              assertThat(rel).as("%s kernel, group %s, tensor %s: relative error",
                  kernel.name(), nets.names().get(g), tensor.name())
                  .isLessThan(UnrollCheck.REL_TOL);
            }
          }
        }
      }
    }
  }

  @Test
  void globalAveragingCellsAverageWithinTheGroupOnly() {
    // one net with GAC over both groups: its step must equal the reference run on each group's
    // coordinates separately, and differ from the reference averaging over all coordinates
    LstmConfig cfg = LstmConfig.parse("lstm(layers=4,preproc=none,scale=1,gac=3)");
    NetGroups two = NetGroups.parse("groups(a=" + cfg.spec() + ",b=" + cfg.spec() + ")");
    SplittableRandom rng = new SplittableRandom(5);
    float[] wOne = LstmWeights.init(cfg, rng);
    float[] wTwo = new float[two.parameterCount()];
    System.arraycopy(wOne, 0, wTwo, 0, wOne.length);
    System.arraycopy(wOne, 0, wTwo, wOne.length, wOne.length);
    float[] grad = new float[DIM];
    double[] gd = new double[DIM];
    for (int i = 0; i < DIM; i++) {
      grad[i] = (float) (rng.nextGaussian() * (i < 4 ? 3 : 0.1));
      gd[i] = grad[i];
    }
    double[] w = new double[wOne.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = wOne[j];
    }
    double[] grouped = new double[DIM];
    for (ParamGroup g : GROUPS) {
      int[] idx = indices(g);
      ReferenceLstm ref = new ReferenceLstm(cfg, w);
      double[][][][] states = new double[idx.length][][][];
      double[] in = new double[idx.length];
      for (int k = 0; k < idx.length; k++) {
        states[k] = ref.zeroState();
        in[k] = gd[idx[k]];
      }
      double[] u = ref.stepAll(in, states);
      for (int k = 0; k < idx.length; k++) {
        grouped[idx[k]] = u[k];
      }
    }
    ReferenceLstm all = new ReferenceLstm(cfg, w);
    double[][][][] states = new double[DIM][][][];
    for (int i = 0; i < DIM; i++) {
      states[i] = all.zeroState();
    }
    double[] overAll = all.stepAll(gd, states);
    double maxDiff = 0;
    for (int i = 0; i < DIM; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(grouped[i] - overAll[i]));
    }
    assertThat(maxDiff).as("the two references must differ for the test to mean anything")
        .isGreaterThan(1e-3);
    try (Parallel parallel = new Parallel(1)) {
      GroupedLstm engine = new GroupedLstm(two, GROUPS, ScalarLstmKernel.INSTANCE, parallel, DIM, 0);
      float[] update = new float[DIM];
      engine.step(wTwo, engine.newState(), grad, update);
      for (int i = 0; i < DIM; i++) {
        assertThat((double) update[i]).as("update %d", i)
            .isCloseTo(grouped[i], org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }

  @Test
  void oneGroupOverAllGivesThePlainEnginesBits() {
    LstmConfig cfg = LstmConfig.parse("lstm(layers=5x4,preproc=log-sign(p=10),scale=0.1)");
    SplittableRandom rng = new SplittableRandom(3);
    float[] w = LstmWeights.init(cfg, rng);
    int n = 5000;
    int steps = 3;
    float[][] grads = new float[steps + 1][n];
    for (float[] row : grads) {
      for (int i = 0; i < n; i++) {
        row[i] = (float) rng.nextGaussian();
      }
    }
    for (NetGroups nets : List.of(NetGroups.single(cfg),
        NetGroups.parse("groups(all=" + cfg.spec() + ")"))) {
      try (Parallel parallel = new Parallel(2)) {
        LstmEngine plain = LstmEngine.create(cfg, LstmKernels.best(), parallel, n);
        GroupedLstm grouped = new GroupedLstm(
            nets, List.of(ParamGroup.all(n)), LstmKernels.best(), parallel, n, 0);
        LstmState s = new LstmState(cfg, n);
        GroupedLstm.State gs = grouped.newState();
        float[] u1 = new float[n];
        float[] u2 = new float[n];
        for (int t = 0; t < steps; t++) {
          plain.step(w, s, grads[t], u1);
          grouped.step(w, gs, grads[t], u2);
          assertThat(u2).as("%s step %d", nets.spec(), t).containsExactly(u1);
        }
        double[] d1 = new double[w.length];
        double[] d2 = new double[w.length];
        plain.unrollBackward(w, new LstmState(cfg, n), grads, steps, d1);
        grouped.unrollBackward(w, grouped.newState(), grads, grads, steps, d2);
        assertThat(d2).as(nets.spec()).containsExactly(d1);
      }
    }
  }
}
