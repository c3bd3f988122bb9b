package org.l2l4j.learned;

import static org.l2l4j.learned.ScalarLstmKernel.FORGET_BIAS;
import static org.l2l4j.learned.ScalarLstmKernel.sigmoid;
import static org.l2l4j.learned.ScalarLstmKernel.tanh;

/**
 * The plain-loop pieces of one LSTM layer shared by {@link ScalarLstmKernel} (block-local arrays)
 * and {@link GacLstmEngine} (arrays over all coordinates). Every array argument is addressed as
 * {@code (array, offset, stride)}: unit (or row) k of local coordinate i is at {@code offset + k *
 * stride + i}. Gate pre-activations {@code z} and their gradients {@code dz} are always block-local
 * with stride {@link ScalarLstmKernel#BLOCK} or given explicitly.
 */
final class LstmCell {
  private LstmCell() {}

  /**
   * The cell: from pre-activations z (gates i, j, f, o in blocks of {@code hidden} rows, row stride
   * {@code zStride}) and c_prev, computes c = σ(f + 1)·c_prev + σ(i)·tanh(j) and h = tanh(c)·σ(o).
   * {@code gates} (σ(i), tanh(j), σ(f + 1), σ(o) in the same row order) and {@code tc} (tanh c)
   * are recorded when not null. Outputs may alias {@code cp}.
   */
  static void forward(float[] z, int zStride, int hidden, int count,
      float[] cp, int cpOff, int cpStride,
      float[] c, int cOff, int cStride,
      float[] h, int hOff, int hStride,
      float[] gates, int gOff, int gStride,
      float[] tc, int tOff, int tStride) {
    for (int k = 0; k < hidden; k++) {
      int zi = k * zStride;
      int zj = (hidden + k) * zStride;
      int zf = (2 * hidden + k) * zStride;
      int zo = (3 * hidden + k) * zStride;
      for (int i = 0; i < count; i++) {
        float ig = sigmoid(z[zi + i]);
        float jg = tanh(z[zj + i]);
        float fg = sigmoid(z[zf + i] + FORGET_BIAS);
        float og = sigmoid(z[zo + i]);
        float cv = fg * cp[cpOff + k * cpStride + i] + ig * jg;
        float tcv = tanh(cv);
        c[cOff + k * cStride + i] = cv;
        h[hOff + k * hStride + i] = tcv * og;
        if (gates != null) {
          gates[gOff + k * gStride + i] = ig;
          gates[gOff + (hidden + k) * gStride + i] = jg;
          gates[gOff + (2 * hidden + k) * gStride + i] = fg;
          gates[gOff + (3 * hidden + k) * gStride + i] = og;
          tc[tOff + k * tStride + i] = tcv;
        }
      }
    }
  }

  /**
   * Adds the layer's weight and bias gradients for {@code count} coordinates to {@code dW}: ∂b_g
   * += Σ_i dz_g, ∂W[r][g] += Σ_i in_r·dz_g, where the inputs are the rows of {@code x} (r &lt; din)
   * then of {@code hp} (the previous hidden state).
   */
  static void weightGradients(int wOff, int bOff, int din, int hidden, int count,
      float[] x, int xOff, int xStride,
      float[] hp, int hpOff, int hpStride,
      float[] dz, int dzOff, int dzStride, double[] dW) {
    int g4 = 4 * hidden;
    for (int g = 0; g < g4; g++) {
      float acc = 0;
      int zo = dzOff + g * dzStride;
      for (int i = 0; i < count; i++) {
        acc += dz[zo + i];
      }
      dW[bOff + g] += acc;
    }
    for (int r = 0; r < din + hidden; r++) {
      float[] src = r < din ? x : hp;
      int so = r < din ? xOff + r * xStride : hpOff + (r - din) * hpStride;
      int wr = wOff + r * g4;
      for (int g = 0; g < g4; g++) {
        float acc = 0;
        int zo = dzOff + g * dzStride;
        for (int i = 0; i < count; i++) {
          acc += src[so + i] * dz[zo + i];
        }
        dW[wr + g] += acc;
      }
    }
  }

  /**
   * Gradients into the layer's inputs, overwriting the destinations: rows r &lt; din (the layer
   * below's h) into {@code dx} unless {@code dx} is null (the first layer, whose inputs are
   * constants), rows din + k (the previous hidden state) into {@code dhPrev}.
   */
  static void inputGradients(float[] w, int wOff, int din, int hidden, int count,
      float[] dz, int dzOff, int dzStride,
      float[] dx, int dxOff, int dxStride,
      float[] dhPrev, int dhOff, int dhStride) {
    int g4 = 4 * hidden;
    for (int r = dx == null ? din : 0; r < din + hidden; r++) {
      float[] dst = r < din ? dx : dhPrev;
      int d = r < din ? dxOff + r * dxStride : dhOff + (r - din) * dhStride;
      java.util.Arrays.fill(dst, d, d + count, 0f);
      int wr = wOff + r * g4;
      for (int g = 0; g < g4; g++) {
        float wv = w[wr + g];
        int zo = dzOff + g * dzStride;
        for (int i = 0; i < count; i++) {
          dst[d + i] += wv * dz[zo + i];
        }
      }
    }
  }
}
