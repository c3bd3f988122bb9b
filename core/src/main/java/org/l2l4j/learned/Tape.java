package org.l2l4j.learned;

/**
 * What the backward pass of an unroll needs from its forward pass, for {@code width} coordinates
 * (a block in {@link ScalarLstmKernel}, all coordinates in {@link GacLstmEngine}), stored
 * unit-major with row stride {@code width}: per step t the input features, and per step t and layer
 * l the gate activations (σ(i), tanh(j), σ(f + 1), σ(o) in blocks of H rows), the cell state c,
 * tanh(c) and the outgoing hidden state h.
 */
final class Tape {
  final int steps;
  final float[][] feat;
  final float[][][] gate;
  final float[][][] c;
  final float[][][] tc;
  final float[][][] h;

  Tape(LstmConfig config, int steps, int width) {
    int depth = config.depth();
    this.steps = steps;
    feat = new float[steps][config.preprocessing().features() * width];
    gate = new float[steps][depth][];
    c = new float[steps][depth][];
    tc = new float[steps][depth][];
    h = new float[steps][depth][];
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < depth; l++) {
        int size = config.hidden(l) * width;
        gate[t][l] = new float[4 * size];
        c[t][l] = new float[size];
        tc[t][l] = new float[size];
        h[t][l] = new float[size];
      }
    }
  }
}
