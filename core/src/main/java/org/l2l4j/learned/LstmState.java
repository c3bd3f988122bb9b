package org.l2l4j.learned;

import org.l2l4j.optim.Optimizer;

/**
 * The recurrent state of the coordinatewise LSTM for n coordinates: for each layer l the hidden
 * state {@code h[l]} and cell state {@code c[l]}, stored unit-major with the coordinate innermost
 * (unit k of coordinate i at {@code k * n + i}), so that kernels read a contiguous run of
 * coordinates per unit. A new state is all zeros, as in the paper.
 */
public final class LstmState implements Optimizer.State {
  /** Number of coordinates. */
  public final int n;
  /** Hidden state per layer, [H_l · n] (modified by steps). */
  public final float[][] h;
  /** Cell state per layer, [H_l · n] (modified by steps). */
  public final float[][] c;

  /** A zero state for {@code n} coordinates. */
  public LstmState(LstmConfig config, int n) {
    this.n = n;
    int depth = config.depth();
    h = new float[depth][];
    c = new float[depth][];
    for (int l = 0; l < depth; l++) {
      long size = (long) config.hidden(l) * n;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "lstm state of " + size + " floats per layer exceeds a Java array; n = " + n);
      }
      h[l] = new float[(int) size];
      c[l] = new float[(int) size];
    }
  }

  /** Copies {@code other} (same shape) into this state. */
  public void copyFrom(LstmState other) {
    for (int l = 0; l < h.length; l++) {
      System.arraycopy(other.h[l], 0, h[l], 0, h[l].length);
      System.arraycopy(other.c[l], 0, c[l], 0, c[l].length);
    }
  }

  /** A deep copy. */
  public LstmState copy(LstmConfig config) {
    LstmState s = new LstmState(config, n);
    s.copyFrom(this);
    return s;
  }
}
