package org.l2l4j.learned;

import java.util.Arrays;
import org.l2l4j.util.Parallel;

/**
 * The LSTM with global averaging cells (GAC; Andrychowicz et al. 2016, appendix): in every layer
 * the outgoing activation h of the first G cells is replaced, at every step, by its average over
 * all coordinates, both where it feeds the next layer and where it feeds the cell's own next step.
 * This couples the coordinates, so the engine runs layer by layer over all coordinates with a
 * reduction after each layer, and the backward pass runs step by step over all coordinates with
 * the full tape of the unroll in memory: the gradient reaching an averaged cell is summed over all
 * coordinates and shared out equally (÷ n). Sums over coordinates are taken per chunk in double
 * and added in chunk order, so results do not depend on the thread count. The cell passes of each
 * layer come from the kernel's {@link GacCells} (vectorised with the Vector API kernel).
 */
public final class GacLstmEngine implements LstmEngine {
  private final LstmConfig config;
  private final Parallel parallel;
  private final int n;
  private final int chunks;
  private final int gac;
  private final int depth;
  private final int nf;
  private final int maxH;
  private final GacCells.Worker[] workers;
  private final double[][] sums;
  private final float[] means;
  private final float[] feat;
  /** The step's optimizee gradients with subnormal entries as zero (see {@link #normalOrZero}). */
  private final float[] gradIn;
  private Tape tape;
  // backward buffers
  private float[][] dhNext;
  private float[][] dcNext;
  private float[] dhAbove;
  private float[] dhBelow;
  private float[] dhOut;
  private float[] up;
  private double[][] partial;

  GacLstmEngine(LstmConfig config, LstmKernel kernel, Parallel parallel, int n) {
    this.config = config;
    this.parallel = parallel;
    this.n = n;
    this.chunks = LstmEngine.chunks(n);
    this.gac = config.gac();
    this.depth = config.depth();
    this.nf = config.preprocessing().features();
    int mh = 1;
    for (int l = 0; l < depth; l++) {
      mh = Math.max(mh, config.hidden(l));
    }
    this.maxH = mh;
    workers = new GacCells.Worker[parallel.threads()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = kernel.gacCells().worker(config, n);
    }
    sums = new double[chunks][mh];
    means = new float[mh];
    feat = new float[nf * n];
    gradIn = new float[n];
  }

  // ------------------------------------------------------------------ forward

  private void prepare(float[] w) {
    for (GacCells.Worker worker : workers) {
      worker.prepare(w);
    }
  }

  /** means[k] = Σ_c sums[c][k] / n for the averaged units, chunks added in order. */
  private void reduceMeans() {
    for (int k = 0; k < gac; k++) {
      double s = 0;
      for (int c = 0; c < chunks; c++) {
        s += sums[c][k];
      }
      means[k] = (float) (s / n);
    }
  }

  /** Replaces the first G units of {@code h} by their mean over all coordinates. */
  private void average(float[] h) {
    parallel.run(chunks, (c, worker) -> {
      int from = c * CHUNK;
      int to = Math.min(n, from + CHUNK);
      for (int k = 0; k < gac; k++) {
        double s = 0;
        for (int i = from; i < to; i++) {
          s += h[k * n + i];
        }
        sums[c][k] = s;
      }
    });
    reduceMeans();
    parallel.run(chunks, (c, worker) -> {
      int from = c * CHUNK;
      int to = Math.min(n, from + CHUNK);
      for (int k = 0; k < gac; k++) {
        Arrays.fill(h, k * n + from, k * n + to, means[k]);
      }
    });
  }

  /**
   * One step over all coordinates. With {@code t < 0} it advances {@code state} in place; with
   * {@code t >= 0} it records step t of the tape, reading the previous step from the tape (or
   * {@code state} for t = 0), and leaves {@code state} alone.
   */
  private void forward(float[] w, float[] grad, LstmState state, int t, float[] update) {
    float[] f = t < 0 ? feat : tape.feat[t];
    parallel.run(chunks, (c, worker) -> {
      int from = c * CHUNK;
      int to = Math.min(n, from + CHUNK);
      for (int i = from; i < to; i++) {
        gradIn[i] = normalOrZero(grad[i]);
      }
      config.preprocessing().apply(gradIn, from, to, f, from, n);
    });
    float[] x = f;
    for (int l = 0; l < depth; l++) {
      final int layer = l;
      final float[] in = x;
      float[] hp = t <= 0 ? state.h[l] : tape.h[t - 1][l];
      float[] cp = t <= 0 ? state.c[l] : tape.c[t - 1][l];
      float[] hOut = t < 0 ? state.h[l] : tape.h[t][l];
      float[] cOut = t < 0 ? state.c[l] : tape.c[t][l];
      float[] gOut = t < 0 ? null : tape.gate[t][l];
      float[] tcOut = t < 0 ? null : tape.tc[t][l];
      parallel.run(chunks, (c, worker) -> workers[worker].forward(layer, in, hp, cp, cOut, hOut,
          gOut, tcOut, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
      average(hOut);
      x = hOut;
    }
    if (update != null) {
      final float[] top = x;
      int owOff = config.outputWeightOffset();
      int width = config.outputInputs();
      float ob = w[config.outputBiasOffset()];
      float scale = (float) config.scale();
      parallel.run(chunks, (c, worker) -> {
        for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
          float acc = ob;
          for (int k = 0; k < width; k++) {
            acc += w[owOff + k] * top[k * n + i];
          }
          update[i] = scale * acc;
        }
      });
    }
  }

  @Override
  public void step(float[] weights, LstmState state, float[] grad, float[] update) {
    prepare(weights);
    forward(weights, grad, state, -1, update);
  }

  // ------------------------------------------------------------------ backward

  private void ensureTape(int steps) {
    if (tape != null && tape.steps >= steps) {
      return;
    }
    tape = new Tape(config, steps, n);
    dhNext = new float[depth][];
    dcNext = new float[depth][];
    for (int l = 0; l < depth; l++) {
      dhNext[l] = new float[config.hidden(l) * n];
      dcNext[l] = new float[config.hidden(l) * n];
    }
    int mi = nf;
    for (int l = 0; l < depth; l++) {
      mi = Math.max(mi, config.inputWidth(l));
    }
    dhAbove = new float[Math.max(mi, maxH) * n];
    dhBelow = new float[Math.max(mi, maxH) * n];
    dhOut = new float[maxH * n];
    up = new float[n];
    partial = new double[chunks][config.parameterCount()];
  }

  @Override
  public void unrollBackward(
      float[] w, LstmState state0, float[][] grads, float[][] lossGrads, int steps,
      double[] dW) {
    ensureTape(steps);
    prepare(w);
    for (int t = 0; t < steps; t++) {
      forward(w, grads[t], state0, t, null);
    }
    for (int l = 0; l < depth; l++) {
      Arrays.fill(dhNext[l], 0f);
      Arrays.fill(dcNext[l], 0f);
    }
    Arrays.fill(up, 0f);
    for (double[] a : partial) {
      Arrays.fill(a, 0);
    }
    float scale = (float) config.scale();
    int owOff = config.outputWeightOffset();
    int obOff = config.outputBiasOffset();
    int top = config.outputInputs();
    for (int t = steps - 1; t >= 0; t--) {
      final float[] xTop = tape.h[t][depth - 1];
      final float[] gnext = lossGrads[t + 1];
      final float[] above = dhAbove;
      parallel.run(chunks, (c, worker) -> {
        int from = c * CHUNK;
        int to = Math.min(n, from + CHUNK);
        double[] pw = partial[c];
        double sumOut = 0;
        for (int i = from; i < to; i++) {
          up[i] += normalOrZero(gnext[i]);
          sumOut += normalOrZero(scale * up[i]);
        }
        pw[obOff] += sumOut;
        for (int k = 0; k < top; k++) {
          float wk = w[owOff + k];
          double acc = 0;
          for (int i = from; i < to; i++) {
            float dout = normalOrZero(scale * up[i]);
            acc += dout * xTop[k * n + i];
            above[k * n + i] = dout * wk;
          }
          pw[owOff + k] += acc;
        }
      });
      for (int l = depth - 1; l >= 0; l--) {
        final int layer = l;
        final int hidden = config.hidden(l);
        final float[] dhAboveL = dhAbove;
        final float[] dhBelowL = dhBelow;
        // pass A: gradient w.r.t. the outgoing h, and its sums over coordinates for the GAC cells
        parallel.run(chunks, (c, worker) -> {
          int from = c * CHUNK;
          int to = Math.min(n, from + CHUNK);
          float[] dhn = dhNext[layer];
          for (int k = 0; k < hidden; k++) {
            double s = 0;
            for (int i = from; i < to; i++) {
              float v = dhAboveL[k * n + i] + dhn[k * n + i];
              dhOut[k * n + i] = v;
              s += v;
            }
            if (k < gac) {
              sums[c][k] = s;
            }
          }
        });
        reduceMeans();
        // pass B: the cell's backward per coordinate, weight gradients per chunk
        final float[] gt = tape.gate[t][l];
        final float[] tct = tape.tc[t][l];
        final float[] cp = t == 0 ? state0.c[l] : tape.c[t - 1][l];
        final float[] hp = t == 0 ? state0.h[l] : tape.h[t - 1][l];
        final float[] x = l == 0 ? tape.feat[t] : tape.h[t][l - 1];
        parallel.run(chunks, (c, worker) -> workers[worker].backward(layer, gac, means, dhOut, gt,
            tct, cp, hp, x, dcNext[layer], dhBelowL, dhNext[layer], c * CHUNK,
            Math.min(n, (c + 1) * CHUNK), partial[c]));
        float[] tmp = dhAbove;
        dhAbove = dhBelow;
        dhBelow = tmp;
      }
    }
    Arrays.fill(dW, 0);
    for (int c = 0; c < chunks; c++) {
      double[] a = partial[c];
      for (int j = 0; j < dW.length; j++) {
        dW[j] += a[j];
      }
    }
  }

  /**
   * v, or zero where v is subnormal (|v| &lt; 2^−126). The engine takes subnormal optimizee
   * gradients (before the preprocessing) and upstream gradients (in the backward pass) as zero, as
   * {@link VectorLstmKernel} does: Java has no flush-to-zero mode, and subnormal values flowing
   * into dz made every multiply-add of the weight and input gradients a microcode assist (an unroll
   * with subnormal gradients took 9.4 s instead of 0.51 s, n = 15,910, one thread). The updates
   * and the meta-gradient change by less than a float's resolution of them. The vector kernel's
   * scalar tails call it too (this class, unlike that one, loads without the Vector API).
   */
  static float normalOrZero(float v) {
    return Math.abs(v) < Float.MIN_NORMAL ? 0f : v;
  }
}
