package org.l2l4j.learned;

import static org.l2l4j.learned.VectorLstmKernel.BASE;
import static org.l2l4j.learned.VectorLstmKernel.L;
import static org.l2l4j.learned.VectorLstmKernel.load;
import static org.l2l4j.learned.VectorLstmKernel.store;
import static org.l2l4j.learned.VectorLstmKernel.vectors;

import java.util.Arrays;

/**
 * The Vector API {@link GacCells}: each range is cut into blocks of {@value
 * VectorLstmKernel#BLOCK} coordinates that are copied into block rows and run through the passes
 * of {@link VectorLstmKernel} (register-blocked gates and input gradients, vectorised σ/tanh, the
 * per-lane weight-gradient tiles). The per-lane weight-gradient sums of a range are added to the
 * double accumulator once per call, lanes in a fixed order, so a chunk's contribution does not
 * depend on which thread ran it. Lanes past the range's end get zero inputs and zero gradients.
 *
 * <p>Names the Vector API: only {@link VectorLstmKernel#gacCells} creates it.
 */
final class VectorGacCells implements GacCells {
  static final VectorGacCells INSTANCE = new VectorGacCells();
  private static final int B = VectorLstmKernel.BLOCK;

  private VectorGacCells() {}

  @Override
  public Worker worker(LstmConfig config, int n) {
    return new VectorWorker(config, n);
  }

  private static final class VectorWorker implements Worker {
    private final LstmConfig config;
    private final int n;
    private final int[] hid;
    private final int[] din;
    private final int[] rows;
    private final float[][] packed;
    /** Per layer: {@link #packed} bound with the layer's shape. */
    private final VectorLstmKernel.PackedLayer[] layers;
    /** Per layer: [inputs, h_prev, 1] rows of a block (the ones row for the bias gradient). */
    private final float[][] xb;
    /** Per layer: per-lane weight-gradient accumulators [paddedRows(rows + 1)][4H][L]. */
    private final float[][] acc;
    /** Per layer: {@link #xb}'s rows at the weight-gradient pass's row stride. */
    private final float[][] xWide;
    /** dz's rows at the weight-gradient pass's row stride ({@link VectorLstmKernel#WIDE}). */
    private final float[] dzWide;
    private final float[] cell;
    private final float[] z;
    private final float[] tc;
    private final float[] h;
    private final float[] dz;
    private final float[] dx;
    private float[] w;

    VectorWorker(LstmConfig config, int n) {
      this.config = config;
      this.n = n;
      int depth = config.depth();
      hid = new int[depth];
      din = new int[depth];
      rows = new int[depth];
      packed = new float[depth][];
      layers = new VectorLstmKernel.PackedLayer[depth];
      xb = new float[depth][];
      acc = new float[depth][];
      xWide = new float[depth][];
      int maxH = 1;
      int maxRows = 1;
      for (int l = 0; l < depth; l++) {
        hid[l] = config.hidden(l);
        din[l] = config.inputWidth(l);
        rows[l] = din[l] + hid[l];
        packed[l] = new float[hid[l] * (rows[l] + 1) * 4];
        layers[l] = new VectorLstmKernel.PackedLayer(packed[l], rows[l], hid[l]);
        xb[l] = new float[BASE + (rows[l] + 1) * B];
        Arrays.fill(xb[l], BASE + rows[l] * B, xb[l].length, 1f);
        // padded for the weight-gradient tiles: the padding rows of xWide stay zero
        int padded = VectorLstmKernel.paddedRows(rows[l] + 1);
        acc[l] = new float[BASE + padded * 4 * hid[l] * L];
        xWide[l] = new float[BASE + padded * VectorLstmKernel.WIDE];
        maxH = Math.max(maxH, hid[l]);
        maxRows = Math.max(maxRows, rows[l]);
      }
      // block buffers, their data from VectorLstmKernel.BASE on
      cell = new float[BASE + maxH * B];
      z = new float[BASE + 4 * maxH * B];
      tc = new float[BASE + maxH * B];
      h = new float[BASE + maxH * B];
      dz = new float[BASE + 4 * maxH * B];
      dzWide = new float[BASE + 4 * maxH * VectorLstmKernel.WIDE];
      dx = new float[BASE + maxRows * B];
    }

    @Override
    public void prepare(float[] weights) {
      this.w = weights;
      for (int l = 0; l < packed.length; l++) {
        VectorLstmKernel.packLayer(weights, config.weightOffset(l), rows[l], hid[l], packed[l]);
      }
    }

    /** Loads [x, h_prev] of a block into the layer's input rows, zero-padded to {@code pad}. */
    private void loadInputs(int l, float[] x, float[] hp, int b0, int bl, int pad) {
      load(x, n, b0, bl, din[l], xb[l], 0, B, pad);
      load(hp, n, b0, bl, hid[l], xb[l], din[l], B, pad);
    }

    @Override
    public void forward(int l, float[] x, float[] hp, float[] cp, float[] cOut, float[] hOut,
        float[] gOut, float[] tcOut, int from, int to) {
      int hidden = hid[l];
      for (int b0 = from; b0 < to; b0 += B) {
        int bl = Math.min(B, to - b0);
        int nv = vectors(bl);
        int pad = nv * L;
        loadInputs(l, x, hp, b0, bl, pad);
        load(cp, n, b0, bl, hidden, cell, 0, B, pad);
        VectorLstmKernel.layer(layers[l], B, nv, xb[l], z,
            new VectorLstmKernel.CellBuffers(cell, cell, tc, h, 0, null, 0));
        store(cell, 0, B, hidden, cOut, n, b0, bl);
        store(h, 0, B, hidden, hOut, n, b0, bl);
        if (gOut != null) {
          store(z, 0, B, 4 * hidden, gOut, n, b0, bl);
          store(tc, 0, B, hidden, tcOut, n, b0, bl);
        }
      }
    }

    @Override
    public void backward(int l, int gac, float[] means, float[] dhOut, float[] gt, float[] tct,
        float[] cp, float[] hp, float[] x, float[] dcn, float[] dhBelow, float[] dhPrev,
        int from, int to, double[] dW) {
      int hidden = hid[l];
      int hb = hidden * B;
      // block buffers: dh in h, gates in z, tanh(c) in tc, c_prev in cell, ∂L/∂c in the dx rows
      float[] dcb = dx;
      for (int b0 = from; b0 < to; b0 += B) {
        int bl = Math.min(B, to - b0);
        int nv = vectors(bl);
        int pad = nv * L;
        int averaged = Math.min(gac, hidden);
        for (int k = 0; k < averaged; k++) {
          int row = BASE + k * B;
          Arrays.fill(h, row, row + bl, means[k]);
          Arrays.fill(h, row + bl, row + pad, 0f);
        }
        for (int k = averaged; k < hidden; k++) {
          int row = BASE + k * B;
          System.arraycopy(dhOut, k * n + b0, h, row, bl);
          Arrays.fill(h, row + bl, row + pad, 0f);
        }
        load(gt, n, b0, bl, 4 * hidden, z, 0, B, pad);
        load(tct, n, b0, bl, hidden, tc, 0, B, pad);
        load(cp, n, b0, bl, hidden, cell, 0, B, pad);
        load(dcn, n, b0, bl, hidden, dcb, 0, B, pad);
        VectorLstmKernel.dz(h, z, tc, cell, dcb, dz, hb);
        store(dcb, 0, B, hidden, dcn, n, b0, bl);
        // weight and bias gradients: Σ [x, h_prev, 1] ⊗ dz into the per-lane accumulators
        loadInputs(l, x, hp, b0, bl, pad);
        VectorLstmKernel.toWide(xb[l], rows[l] + 1, B, pad, xWide[l], 0);
        VectorLstmKernel.toWide(dz, 4 * hidden, B, pad, dzWide, 0);
        VectorLstmKernel.weightGrad(xWide[l], rows[l] + 1, hidden, nv, dzWide, acc[l]);
        // input gradients (this overwrites the ∂L/∂c rows, already stored)
        VectorLstmKernel.inputGrad(w, config.weightOffset(l), l == 0 ? din[l] : 0, rows[l], hidden,
            B, nv, dz, dx);
        if (l > 0) {
          store(dx, 0, B, din[l], dhBelow, n, b0, bl);
        }
        store(dx, din[l], B, hidden, dhPrev, n, b0, bl);
      }
      VectorLstmKernel.flush(acc[l], (rows[l] + 1) * 4 * hidden, dW, config.weightOffset(l));
    }
  }
}
