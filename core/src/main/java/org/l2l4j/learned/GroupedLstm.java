package org.l2l4j.learned;

import java.util.List;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.util.Parallel;

/**
 * The nets of a {@link NetGroups} over one run's n coordinates: net g runs its own {@link
 * LstmEngine} on the coordinates of parameter group g only, with its own recurrent state and its
 * own slice of φ and of the meta-gradient. Each step gathers the group's gradients into a
 * contiguous buffer and scatters its updates back; global averaging cells average within the
 * group. One group that is all of θ runs its engine directly on the caller's arrays, exactly as
 * a plain {@link LstmEngine} does (same bits).
 */
public final class GroupedLstm {
  private final NetGroups nets;
  private final List<ParamGroup> groups;
  private final LstmEngine[] engines;
  private final int n;
  private final boolean direct;
  private final int[] offsets;
  private final float[][] gradBuf;
  private final float[][] updateBuf;
  private final float[][] weightBuf;
  private final double[][] dWeightBuf;
  private float[][][] gradsBuf = new float[0][][];
  private float[][][] lossBuf = new float[0][][];

  /** The recurrent state of all nets: one {@link LstmState} per group, over its coordinates. */
  public static final class State {
    final LstmState[] parts;

    State(LstmState[] parts) {
      this.parts = parts;
    }

    /** Sets h and c of every net to zero. */
    public void zero() {
      for (LstmState s : parts) {
        for (int l = 0; l < s.h.length; l++) {
          java.util.Arrays.fill(s.h[l], 0f);
          java.util.Arrays.fill(s.c[l], 0f);
        }
      }
    }

    /** Copies {@code other} (of the same nets) into this state. */
    public void copyFrom(State other) {
      for (int g = 0; g < parts.length; g++) {
        parts[g].copyFrom(other.parts[g]);
      }
    }
  }

  /**
   * @param groups the problem's groups in the order of {@code nets} ({@link NetGroups#bind});
   *     together they must cover [0, n) exactly once
   * @param tapeBudgetBytes as for {@link LstmEngine#create(LstmConfig, LstmKernel, Parallel, int,
   *     long)}, shared among the groups in proportion to their sizes
   */
  public GroupedLstm(NetGroups nets, List<ParamGroup> groups, LstmKernel kernel,
      Parallel parallel, int n, long tapeBudgetBytes) {
    if (groups.size() != nets.size()) {
      throw new IllegalArgumentException(nets.size() + " nets for " + groups.size() + " groups");
    }
    boolean[] seen = new boolean[n];
    long covered = 0;
    for (ParamGroup g : groups) {
      int[] r = g.ranges();
      if (r[r.length - 1] > n) {
        throw new IllegalArgumentException("group " + g + " exceeds dimension " + n);
      }
      for (int k = 0; k < r.length; k += 2) {
        for (int i = r[k]; i < r[k + 1]; i++) {
          if (seen[i]) {
            throw new IllegalArgumentException("groups " + groups + " overlap at " + i);
          }
          seen[i] = true;
        }
      }
      covered += g.size();
    }
    if (covered != n) {
      throw new IllegalArgumentException("groups " + groups + " do not cover dimension " + n);
    }
    this.nets = nets;
    this.groups = List.copyOf(groups);
    this.n = n;
    int k = nets.size();
    this.direct = k == 1 && groups.get(0).isWhole(n);
    engines = new LstmEngine[k];
    offsets = new int[k];
    gradBuf = new float[k][];
    updateBuf = new float[k][];
    weightBuf = new float[k][];
    dWeightBuf = new double[k][];
    for (int g = 0; g < k; g++) {
      int ng = groups.get(g).size();
      LstmConfig c = nets.configs().get(g);
      long budget = direct || tapeBudgetBytes <= 0
          ? tapeBudgetBytes : (long) ((double) tapeBudgetBytes * ng / n);
      engines[g] = LstmEngine.create(c, kernel, parallel, ng, budget);
      offsets[g] = nets.offset(g);
      if (!direct) {
        gradBuf[g] = new float[ng];
        updateBuf[g] = new float[ng];
        weightBuf[g] = new float[c.parameterCount()];
        dWeightBuf[g] = new double[c.parameterCount()];
      }
    }
  }

  /** The nets. */
  public NetGroups nets() {
    return nets;
  }

  /** A zero state. */
  public State newState() {
    LstmState[] parts = new LstmState[engines.length];
    for (int g = 0; g < parts.length; g++) {
      parts[g] = new LstmState(nets.configs().get(g), groups.get(g).size());
    }
    return new State(parts);
  }

  /** As {@link LstmEngine#beginUnroll}, for every net. */
  public void beginUnroll(State state0, int steps) {
    for (int g = 0; g < engines.length; g++) {
      engines[g].beginUnroll(state0.parts[g], steps);
    }
  }

  /** Bytes of recorded activations all engines hold now. */
  public long recordedBytes() {
    long b = 0;
    for (LstmEngine e : engines) {
      b += e.recordedBytes();
    }
    return b;
  }

  private float[] weightsOf(float[] weights, int g) {
    System.arraycopy(weights, offsets[g], weightBuf[g], 0, weightBuf[g].length);
    return weightBuf[g];
  }

  /**
   * One optimizer step over all n coordinates: each net on its group.
   *
   * @param weights φ, all nets (not modified)
   * @param state the recurrent state (modified)
   * @param grad ∇f(θ_t) over all coordinates (not modified)
   * @param update receives g_t over all coordinates (modified)
   */
  public void step(float[] weights, State state, float[] grad, float[] update) {
    if (direct) {
      engines[0].step(weights, state.parts[0], grad, update);
      return;
    }
    for (int g = 0; g < engines.length; g++) {
      ParamGroup group = groups.get(g);
      group.gather(grad, gradBuf[g]);
      engines[g].step(weightsOf(weights, g), state.parts[g], gradBuf[g], updateBuf[g]);
      group.scatter(updateBuf[g], update);
    }
  }

  /**
   * The meta-gradient of one unroll (see {@link LstmEngine#unrollBackward(float[], LstmState,
   * float[][], float[][], int, double[])}): each net's part written into its slice of {@code
   * dWeights} (overwritten).
   */
  public void unrollBackward(float[] weights, State state0, float[][] grads, float[][] lossGrads,
      int steps, double[] dWeights) {
    if (direct) {
      engines[0].unrollBackward(weights, state0.parts[0], grads, lossGrads, steps, dWeights);
      return;
    }
    for (int g = 0; g < engines.length; g++) {
      ParamGroup group = groups.get(g);
      int ng = group.size();
      if (gradsBuf.length < engines.length || gradsBuf[g] == null
          || gradsBuf[g].length < steps + 1) {
        ensure(steps);
      }
      float[][] gg = gradsBuf[g];
      for (int t = 0; t <= steps; t++) {
        group.gather(grads[t], gg[t]);
      }
      float[][] lg = gg;
      if (lossGrads != grads) {
        lg = lossBuf[g];
        for (int t = 1; t <= steps; t++) {
          group.gather(lossGrads[t], lg[t]);
        }
      }
      engines[g].unrollBackward(weightsOf(weights, g), state0.parts[g], gg, lg, steps,
          dWeightBuf[g]);
      System.arraycopy(dWeightBuf[g], 0, dWeights, offsets[g], dWeightBuf[g].length);
      assert ng == gg[0].length;
    }
  }

  private void ensure(int steps) {
    int k = engines.length;
    gradsBuf = new float[k][][];
    lossBuf = new float[k][][];
    for (int g = 0; g < k; g++) {
      int ng = groups.get(g).size();
      gradsBuf[g] = new float[steps + 1][ng];
      lossBuf[g] = new float[steps + 1][ng];
    }
  }

  /** The dimension. */
  public int dimension() {
    return n;
  }
}
