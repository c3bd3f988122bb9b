package org.l2l4j.learned;

import static org.l2l4j.learned.ScalarLstmKernel.FORGET_BIAS;
import static org.l2l4j.learned.ScalarLstmKernel.sigmoid;
import static org.l2l4j.learned.ScalarLstmKernel.tanh;

/**
 * The plain-loop pieces of one LSTM layer shared by {@link ScalarLstmKernel} (block-local arrays)
 * and {@link GacLstmEngine} (arrays over all coordinates). Every array argument but the forward
 * pre-activations arrives as a {@link Rows} view: unit (or row) k of local coordinate i is at
 * {@code offset + k * stride + i}; a layer's weight layout arrives as a {@link LayerShape}.
 */
final class LstmCell {
  private LstmCell() {}

  /**
   * The cell: from pre-activations z (gates i, j, f, o in blocks of {@code hidden} rows, row stride
   * {@code zStride}) and c_prev, computes c = σ(f + 1)·c_prev + σ(i)·tanh(j) and h = tanh(c)·σ(o).
   * The gates (σ(i), tanh(j), σ(f + 1), σ(o) in the same row order, into {@code gRows}) and
   * tanh c (into {@code tRows}) are recorded when {@code gRows} is not null. Outputs may alias
   * {@code cpRows}.
   */
  static void forward(float[] z, int zStride, int hidden, int count,
      Rows cpRows, Rows cRows, Rows hRows, Rows gRows, Rows tRows) {
    float[] cp = cpRows.array();
    int cpOff = cpRows.offset();
    int cpStride = cpRows.stride();
    float[] c = cRows.array();
    int cOff = cRows.offset();
    int cStride = cRows.stride();
    float[] h = hRows.array();
    int hOff = hRows.offset();
    int hStride = hRows.stride();
    float[] gates = gRows == null ? null : gRows.array();
    int gOff = gRows == null ? 0 : gRows.offset();
    int gStride = gRows == null ? 0 : gRows.stride();
    float[] tc = tRows == null ? null : tRows.array();
    int tOff = tRows == null ? 0 : tRows.offset();
    int tStride = tRows == null ? 0 : tRows.stride();
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
   * += Σ_i dz_g, ∂W[r][g] += Σ_i in_r·dz_g, where the inputs are the rows of {@code xRows} (r &lt;
   * inputs) then of {@code hpRows} (the previous hidden state).
   */
  static void weightGradients(LayerShape layer, int count, Rows xRows, Rows hpRows, Rows dzRows,
      double[] dW) {
    int wOff = layer.weightOffset();
    int bOff = layer.biasOffset();
    int din = layer.inputs();
    int hidden = layer.hidden();
    float[] x = xRows.array();
    int xOff = xRows.offset();
    int xStride = xRows.stride();
    float[] hp = hpRows.array();
    int hpOff = hpRows.offset();
    int hpStride = hpRows.stride();
    float[] dz = dzRows.array();
    int dzOff = dzRows.offset();
    int dzStride = dzRows.stride();
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
   * Gradients into the layer's inputs, overwriting the destinations: rows r &lt; inputs (the layer
   * below's h) into {@code dxRows} unless it is null (the first layer, whose inputs are
   * constants), rows inputs + k (the previous hidden state) into {@code dhRows}.
   */
  static void inputGradients(float[] w, LayerShape layer, int count, Rows dzRows, Rows dxRows,
      Rows dhRows) {
    int wOff = layer.weightOffset();
    int din = layer.inputs();
    int hidden = layer.hidden();
    float[] dz = dzRows.array();
    int dzOff = dzRows.offset();
    int dzStride = dzRows.stride();
    float[] dx = dxRows == null ? null : dxRows.array();
    int dxOff = dxRows == null ? 0 : dxRows.offset();
    int dxStride = dxRows == null ? 0 : dxRows.stride();
    float[] dhPrev = dhRows.array();
    int dhOff = dhRows.offset();
    int dhStride = dhRows.stride();
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
