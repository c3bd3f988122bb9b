package org.l2l4j.learned;

/**
 * The coordinatewise LSTM in plain Java loops: coordinates are processed in blocks of
 * {@value #BLOCK}, with the coordinate index innermost so that the JIT can vectorise the
 * multiply-adds. This is the reference for the fast kernels and the fallback without the Vector
 * API.
 *
 * <p>Cell (Sonnet v1, the official code): z = [x, h_prev]·W + b split into gates i, j, f, o;
 * c = σ(f + 1)·c_prev + σ(i)·tanh(j); h = tanh(c)·σ(o). Output u = scale·(w_out·h_L + b_out).
 */
public final class ScalarLstmKernel implements LstmKernel {
  /** Coordinates per block. */
  public static final int BLOCK = 64;
  /** The forget-gate bias added at run time. */
  public static final float FORGET_BIAS = 1f;

  /** The shared instance (the kernel is stateless). */
  public static final ScalarLstmKernel INSTANCE = new ScalarLstmKernel();

  @Override
  public String name() {
    return "scalar";
  }

  static float sigmoid(float x) {
    return 1f / (1f + (float) Math.exp(-x));
  }

  static float tanh(float x) {
    return (float) Math.tanh(x);
  }

  /** Scratch of one thread. */
  private static final class Scratch {
    final LstmConfig config;
    final int maxIn;
    final int maxH;
    float[] feat;
    float[] xa;
    float[] xb;
    float[] z;
    Tape tape;
    float[][] h0;
    float[][] c0;
    float[][] dhNext;
    float[][] dcNext;
    float[] dh;
    float[] dhBelow;
    float[] dz;
    float[] upstream;
    float[] dout;

    Scratch(LstmConfig config) {
      this.config = config;
      int mi = config.preprocessing().features();
      int mh = 1;
      for (int l = 0; l < config.depth(); l++) {
        mi = Math.max(mi, config.inputWidth(l));
        mh = Math.max(mh, config.hidden(l));
      }
      maxIn = mi;
      maxH = mh;
      feat = new float[config.preprocessing().features() * BLOCK];
      xa = new float[Math.max(mi, mh) * BLOCK];
      xb = new float[Math.max(mi, mh) * BLOCK];
      z = new float[4 * mh * BLOCK];
    }

    void ensureTape(int steps) {
      if (tape != null && tape.steps >= steps) {
        return;
      }
      int depth = config.depth();
      tape = new Tape(config, steps, BLOCK);
      h0 = new float[depth][];
      c0 = new float[depth][];
      dhNext = new float[depth][];
      dcNext = new float[depth][];
      for (int l = 0; l < depth; l++) {
        int hb = config.hidden(l) * BLOCK;
        h0[l] = new float[hb];
        c0[l] = new float[hb];
        dhNext[l] = new float[hb];
        dcNext[l] = new float[hb];
      }
      dh = new float[maxH * BLOCK];
      dhBelow = new float[Math.max(maxIn, maxH) * BLOCK];
      dz = new float[4 * maxH * BLOCK];
      upstream = new float[BLOCK];
      dout = new float[BLOCK];
    }
  }

  private static Scratch scratch(LstmConfig config, Workspace ws) {
    if (ws.scratch instanceof Scratch s && s.config.equals(config)) {
      return s;
    }
    Scratch s = new Scratch(config);
    ws.scratch = s;
    return s;
  }

  /**
   * Gate pre-activations of a block: z[g*B + i] = b[g] + Σ_r x[r*B + i]·W[r][g] +
   * Σ_k hPrev[k][i]·W[din + k][g].
   *
   * @param layer the layer's weight layout; din is its input width
   * @param x block-local inputs [din·B] (not modified)
   * @param hRows previous hidden state, unit k of coordinate i at row k (not modified)
   * @param bl the block's coordinate count
   * @param z receives the pre-activations [4H·B] (modified)
   */
  static void gates(float[] w, LayerShape layer, float[] x, Rows hRows, int bl, float[] z) {
    int wOff = layer.weightOffset();
    int bOff = layer.biasOffset();
    int din = layer.inputs();
    int hidden = layer.hidden();
    float[] hPrev = hRows.array();
    int hOff = hRows.offset();
    int hStride = hRows.stride();
    int g4 = 4 * hidden;
    for (int g = 0; g < g4; g++) {
      float bias = w[bOff + g];
      int zo = g * BLOCK;
      for (int i = 0; i < bl; i++) {
        z[zo + i] = bias;
      }
    }
    for (int r = 0; r < din; r++) {
      int xo = r * BLOCK;
      int wr = wOff + r * g4;
      for (int g = 0; g < g4; g++) {
        float wv = w[wr + g];
        int zo = g * BLOCK;
        for (int i = 0; i < bl; i++) {
          z[zo + i] += wv * x[xo + i];
        }
      }
    }
    for (int k = 0; k < hidden; k++) {
      int ho = hOff + k * hStride;
      int wr = wOff + (din + k) * g4;
      for (int g = 0; g < g4; g++) {
        float wv = w[wr + g];
        int zo = g * BLOCK;
        for (int i = 0; i < bl; i++) {
          z[zo + i] += wv * hPrev[ho + i];
        }
      }
    }
  }

  @Override
  public void step(
      LstmConfig config, float[] w, LstmState state, float[] grad, int from, int to,
      float[] updateOut, Workspace ws) {
    Scratch s = scratch(config, ws);
    int n = state.n;
    int depth = config.depth();
    int nf = config.preprocessing().features();
    float scale = (float) config.scale();
    int owOff = config.outputWeightOffset();
    float ob = w[config.outputBiasOffset()];
    for (int b0 = from; b0 < to; b0 += BLOCK) {
      int bl = Math.min(BLOCK, to - b0);
      config.preprocessing().apply(grad, b0, b0 + bl, s.feat, BLOCK);
      float[] x = s.feat;
      int din = nf;
      for (int l = 0; l < depth; l++) {
        int hidden = config.hidden(l);
        float[] hs = state.h[l];
        float[] cs = state.c[l];
        gates(w, LayerShape.of(config, l), x, new Rows(hs, b0, n), bl, s.z);
        float[] out = (x == s.xa) ? s.xb : s.xa;
        Rows cRows = new Rows(cs, b0, n);
        LstmCell.forward(s.z, BLOCK, hidden, bl, cRows, cRows, new Rows(hs, b0, n), null, null);
        for (int k = 0; k < hidden; k++) {
          System.arraycopy(hs, k * n + b0, out, k * BLOCK, bl);
        }
        x = out;
        din = hidden;
      }
      for (int i = 0; i < bl; i++) {
        float acc = ob;
        for (int k = 0; k < din; k++) {
          acc += w[owOff + k] * x[k * BLOCK + i];
        }
        updateOut[b0 + i] = scale * acc;
      }
    }
  }

  @Override
  public void unrollBackward(
      LstmConfig config, float[] w, LstmState state0, float[][] grads, float[][] lossGrads,
      int steps, int from, int to, double[] dW, Workspace ws) {
    Scratch s = scratch(config, ws);
    s.ensureTape(steps);
    int n = state0.n;
    int depth = config.depth();
    float scale = (float) config.scale();
    int owOff = config.outputWeightOffset();
    int obOff = config.outputBiasOffset();
    int top = config.outputInputs();
    for (int b0 = from; b0 < to; b0 += BLOCK) {
      int bl = Math.min(BLOCK, to - b0);
      // ---- recompute the forward pass of the unroll for this block, recording the tape
      for (int l = 0; l < depth; l++) {
        int hidden = config.hidden(l);
        for (int k = 0; k < hidden; k++) {
          System.arraycopy(state0.h[l], k * n + b0, s.h0[l], k * BLOCK, bl);
          System.arraycopy(state0.c[l], k * n + b0, s.c0[l], k * BLOCK, bl);
        }
      }
      for (int t = 0; t < steps; t++) {
        config.preprocessing().apply(grads[t], b0, b0 + bl, s.tape.feat[t], BLOCK);
        float[] x = s.tape.feat[t];
        for (int l = 0; l < depth; l++) {
          int hidden = config.hidden(l);
          float[] hp = t == 0 ? s.h0[l] : s.tape.h[t - 1][l];
          float[] cp = t == 0 ? s.c0[l] : s.tape.c[t - 1][l];
          gates(w, LayerShape.of(config, l), x, new Rows(hp, 0, BLOCK), bl, s.z);
          float[] ht = s.tape.h[t][l];
          LstmCell.forward(s.z, BLOCK, hidden, bl, new Rows(cp, 0, BLOCK),
              new Rows(s.tape.c[t][l], 0, BLOCK), new Rows(ht, 0, BLOCK),
              new Rows(s.tape.gate[t][l], 0, BLOCK), new Rows(s.tape.tc[t][l], 0, BLOCK));
          x = ht;
        }
      }
      // ---- backward through time
      for (int l = 0; l < depth; l++) {
        java.util.Arrays.fill(s.dhNext[l], 0f);
        java.util.Arrays.fill(s.dcNext[l], 0f);
      }
      float[] up = s.upstream;
      java.util.Arrays.fill(up, 0f);
      for (int t = steps - 1; t >= 0; t--) {
        float[] gnext = lossGrads[t + 1];
        float[] dout = s.dout;
        float sumOut = 0;
        for (int i = 0; i < bl; i++) {
          up[i] += gnext[b0 + i];
          dout[i] = scale * up[i];
          sumOut += dout[i];
        }
        dW[obOff] += sumOut;
        float[] xTop = depth == 0 ? s.tape.feat[t] : s.tape.h[t][depth - 1];
        for (int k = 0; k < top; k++) {
          float acc = 0;
          int ko = k * BLOCK;
          for (int i = 0; i < bl; i++) {
            acc += dout[i] * xTop[ko + i];
          }
          dW[owOff + k] += acc;
        }
        if (depth == 0) {
          continue;
        }
        // gradient into the top layer's h from the output map
        float[] dh = s.dh;
        for (int k = 0; k < top; k++) {
          float wk = w[owOff + k];
          int ko = k * BLOCK;
          for (int i = 0; i < bl; i++) {
            dh[ko + i] = dout[i] * wk;
          }
        }
        for (int l = depth - 1; l >= 0; l--) {
          int hidden = config.hidden(l);
          int din = config.inputWidth(l);
          float[] gt = s.tape.gate[t][l];
          float[] tct = s.tape.tc[t][l];
          float[] cp = t == 0 ? s.c0[l] : s.tape.c[t - 1][l];
          float[] hp = t == 0 ? s.h0[l] : s.tape.h[t - 1][l];
          float[] x = l == 0 ? s.tape.feat[t] : s.tape.h[t][l - 1];
          float[] dhn = s.dhNext[l];
          float[] dcn = s.dcNext[l];
          float[] dz = s.dz;
          for (int k = 0; k < hidden; k++) {
            int zi = k * BLOCK;
            int zj = (hidden + k) * BLOCK;
            int zf = (2 * hidden + k) * BLOCK;
            int zo = (3 * hidden + k) * BLOCK;
            int ko = k * BLOCK;
            for (int i = 0; i < bl; i++) {
              float dhv = dh[ko + i] + dhn[ko + i];
              float ig = gt[zi + i];
              float jg = gt[zj + i];
              float fg = gt[zf + i];
              float og = gt[zo + i];
              float tc = tct[ko + i];
              float dc = dcn[ko + i] + dhv * og * (1 - tc * tc);
              dz[zi + i] = dc * jg * ig * (1 - ig);
              dz[zj + i] = dc * ig * (1 - jg * jg);
              dz[zf + i] = dc * cp[ko + i] * fg * (1 - fg);
              dz[zo + i] = dhv * tc * og * (1 - og);
              dcn[ko + i] = dc * fg;
            }
          }
          LayerShape shape = LayerShape.of(config, l);
          Rows dzRows = new Rows(dz, 0, BLOCK);
          LstmCell.weightGradients(shape, bl, new Rows(x, 0, BLOCK), new Rows(hp, 0, BLOCK), dzRows,
              dW);
          // gradients into the inputs: the layer below's h (none below layer 0) and h_prev
          Rows below = l == 0 ? null : new Rows(s.dhBelow, 0, BLOCK);
          LstmCell.inputGradients(w, shape, bl, dzRows, below, new Rows(dhn, 0, BLOCK));
          if (l > 0) {
            float[] tmp = s.dh;
            s.dh = s.dhBelow;
            s.dhBelow = tmp;
            dh = s.dh;
          }
        }
      }
    }
  }
}
