package org.l2l4j.learned;

import static org.l2l4j.learned.ScalarLstmKernel.BLOCK;

/** The plain-loop {@link GacCells}: {@link LstmCell} over blocks of {@value ScalarLstmKernel#BLOCK}. */
final class ScalarGacCells implements GacCells {
  static final ScalarGacCells INSTANCE = new ScalarGacCells();

  private ScalarGacCells() {}

  @Override
  public Worker worker(LstmConfig config, int n) {
    return new ScalarWorker(config, n);
  }

  private static final class ScalarWorker implements Worker {
    private final LstmConfig config;
    private final int n;
    private final float[] xb;
    private final float[] z;
    private float[] w;

    ScalarWorker(LstmConfig config, int n) {
      this.config = config;
      this.n = n;
      int maxIn = 1;
      int maxH = 1;
      for (int l = 0; l < config.depth(); l++) {
        maxIn = Math.max(maxIn, config.inputWidth(l));
        maxH = Math.max(maxH, config.hidden(l));
      }
      xb = new float[maxIn * BLOCK];
      z = new float[4 * maxH * BLOCK];
    }

    @Override
    public void prepare(float[] weights) {
      this.w = weights;
    }

    @Override
    public void forward(int l, float[] x, float[] hp, float[] cp, float[] cOut, float[] hOut,
        float[] gOut, float[] tcOut, int from, int to) {
      LayerShape shape = LayerShape.of(config, l);
      int hidden = shape.hidden();
      int din = shape.inputs();
      for (int b0 = from; b0 < to; b0 += BLOCK) {
        int bl = Math.min(BLOCK, to - b0);
        for (int r = 0; r < din; r++) {
          System.arraycopy(x, r * n + b0, xb, r * BLOCK, bl);
        }
        ScalarLstmKernel.gates(w, shape, xb, new Rows(hp, b0, n), bl, z);
        LstmCell.forward(z, BLOCK, hidden, bl, new Rows(cp, b0, n), new Rows(cOut, b0, n),
            new Rows(hOut, b0, n), gOut == null ? null : new Rows(gOut, b0, n),
            tcOut == null ? null : new Rows(tcOut, b0, n));
      }
    }

    @Override
    public void backward(int l, int gac, float[] means, float[] dhOut, float[] gt, float[] tct,
        float[] cp, float[] hp, float[] x, float[] dcn, float[] dhBelow, float[] dhPrev,
        int from, int to, double[] dW) {
      int hidden = config.hidden(l);
      int din = config.inputWidth(l);
      for (int b0 = from; b0 < to; b0 += BLOCK) {
        int bl = Math.min(BLOCK, to - b0);
        for (int k = 0; k < hidden; k++) {
          int ko = k * n;
          boolean averaged = k < gac;
          float shared = averaged ? means[k] : 0f;
          for (int j = 0; j < bl; j++) {
            int i = b0 + j;
            float dhv = averaged ? shared : dhOut[ko + i];
            float ig = gt[ko + i];
            float jg = gt[(hidden + k) * n + i];
            float fg = gt[(2 * hidden + k) * n + i];
            float og = gt[(3 * hidden + k) * n + i];
            float tc = tct[ko + i];
            float dc = dcn[ko + i] + dhv * og * (1 - tc * tc);
            z[k * BLOCK + j] = dc * jg * ig * (1 - ig);
            z[(hidden + k) * BLOCK + j] = dc * ig * (1 - jg * jg);
            z[(2 * hidden + k) * BLOCK + j] = dc * cp[ko + i] * fg * (1 - fg);
            z[(3 * hidden + k) * BLOCK + j] = dhv * tc * og * (1 - og);
            dcn[ko + i] = dc * fg;
          }
        }
        LayerShape shape = LayerShape.of(config, l);
        Rows dz = new Rows(z, 0, BLOCK);
        LstmCell.weightGradients(shape, bl, new Rows(x, b0, n), new Rows(hp, b0, n), dz, dW);
        LstmCell.inputGradients(w, shape, bl, dz, l == 0 ? null : new Rows(dhBelow, b0, n),
            new Rows(dhPrev, b0, n));
      }
    }
  }
}
