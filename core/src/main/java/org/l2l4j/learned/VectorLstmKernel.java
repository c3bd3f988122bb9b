package org.l2l4j.learned;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The coordinatewise LSTM on the Vector API ({@code jdk.incubator.vector}): the same network,
 * weight layout and gate order (i, j, f, o; forget bias {@value ScalarLstmKernel#FORGET_BIAS}) as
 * {@link ScalarLstmKernel}, computed on blocks of coordinates held as structure-of-arrays, one
 * coordinate per vector lane.
 *
 * <p>Per block and layer the kernels are fused: the four gate pre-activations of one unit are
 * accumulated for two vectors of coordinates in registers (eight accumulators, each loaded input
 * vector used by four multiply-adds) and turned into c, h without going through memory. The
 * backward pass recomputes the forward pass of the unroll for the block, keeps its activations
 * (the tape) and then, per step and layer, computes dz, adds the weight gradients as outer
 * products into per-lane float accumulators (reduced to the double accumulator, in a fixed order,
 * once per block) and the input gradients as W·dz.
 *
 * <p>Nonlinearities use a vectorised expm1 (Cody–Waite range reduction, Cephes polynomial, 2^n
 * from the exponent bits): σ(x) = 1/(2 + expm1(−x)) and tanh(x) = e/(e + 2) with e = expm1(2x),
 * a few float ulps from {@link Math#exp}/{@link Math#tanh}. Only fused multiply-adds, divisions
 * and exact operations are used, never lane reductions in floating point, so results are
 * bit-identical whichever JIT tier runs them. Each coordinate's forward result depends on that
 * coordinate only; weight gradients depend on the block partition, which starts at {@code from},
 * so calls on ranges that start at multiples of {@link #BLOCK} (as {@link
 * LearnedOptimizer#CHUNK} does) give the same bits as one call on their union.
 *
 * <p>This class names the Vector API: load it only when the module is present ({@link
 * LstmKernels#best()} checks).
 */
public final class VectorLstmKernel implements LstmKernel {
  /** Coordinates per block (divides {@link LearnedOptimizer#CHUNK}). */
  public static final int BLOCK = 128;

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** The shared instance (the kernel is stateless). */
  public static final VectorLstmKernel INSTANCE = new VectorLstmKernel(BLOCK);

  private final int block;

  private VectorLstmKernel(int block) {
    if (block < 2 * L || block % (2 * L) != 0) {
      throw new IllegalArgumentException(
          "block must be a positive multiple of " + 2 * L + ", got " + block);
    }
    this.block = block;
  }

  /**
   * A kernel with another block size, for benchmarks; {@code block} must be a multiple of twice
   * the vector length. Bit-identical chunking needs {@code block} to divide the chunk size.
   */
  public static VectorLstmKernel withBlock(int block) {
    return block == BLOCK ? INSTANCE : new VectorLstmKernel(block);
  }

  /** Coordinates per block. */
  public int block() {
    return block;
  }

  /** Lanes per vector on this JVM. */
  public static int lanes() {
    return L;
  }

  @Override
  public String name() {
    return "vector";
  }

  // ------------------------------------------------------------------ nonlinearities
  //
  // Mask-free on purpose: compares and blends cost several instructions each with the JDK 17
  // Vector API, lane-wise float MIN/MAX (NaN-correct) even more. |x| is clamped as an integer
  // on its bit pattern, the sign is handled with bit operations, and a NaN argument is put back
  // by OR-ing all ones (a NaN) into the result.

  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final int BITS_88 = 0x42b00000; // 88f: e^-88 underflows to 0 below
  private static final int BITS_44 = 0x42300000; // 44f: tanh(44) = 1 in float
  private static final int ONE_BITS = 0x3f800000;

  private static FloatVector bc(float v) {
    return FloatVector.broadcast(S, v);
  }

  /** All ones (a NaN) in the lanes where {@code absBits} is a NaN's |x|, else zero. */
  private static IntVector nanLanes(IntVector absBits) {
    return IntVector.broadcast(I, 0x7f800000).sub(absBits).lanewise(VectorOperators.ASHR, 31);
  }

  /** n + MAGIC with n = round(a·log2 e); exact for |a| < 2^22. */
  private static FloatVector roundLog2(FloatVector a) {
    return a.fma(LOG2E, MAGIC);
  }

  /** e^r − 1 for r = a − n ln 2 in [−ln2/2, ln2/2] (Cody–Waite reduction, Cephes polynomial). */
  private static FloatVector expm1Reduced(FloatVector a, FloatVector t) {
    FloatVector n = t.sub(MAGIC);
    FloatVector r = n.fma(bc(-LN2_HI), a);
    r = n.fma(bc(-LN2_LO), r);
    FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
    p = p.fma(r, bc(8.3334519073e-3f));
    p = p.fma(r, bc(4.1665795894e-2f));
    p = p.fma(r, bc(1.6666665459e-1f));
    p = p.fma(r, bc(5.0000001201e-1f));
    return p.fma(r.mul(r), r);
  }

  /** 2^n from t = n + MAGIC (n in [−127, 127]; 2^−127 gives 0). */
  private static FloatVector pow2(FloatVector t) {
    // the low bits of t hold n: shifted into the exponent field and biased they give 2^n
    return t.reinterpretAsInts()
        .lanewise(VectorOperators.LSHL, 23)
        .add(ONE_BITS)
        .reinterpretAsFloats();
  }

  /**
   * σ(x) = 1/(1 + e^−|x|) for x ≥ 0, e^−|x|/(1 + e^−|x|) for x < 0; within a few ulps of the
   * exact value for outputs above the smallest normal float, 0 below; NaN stays NaN.
   */
  static FloatVector sigmoid(FloatVector x) {
    IntVector xb = x.reinterpretAsInts();
    IntVector ab = xb.and(0x7fffffff);
    IntVector nan = nanLanes(ab);
    FloatVector a = ab.min(BITS_88).reinterpretAsFloats().neg(); // −min(|x|, 88)
    FloatVector t = roundLog2(a);
    FloatVector s = pow2(t);
    FloatVector e = expm1Reduced(a, t).fma(s, s); // e^a = 2^n (e^r − 1) + 2^n
    IntVector neg = xb.lanewise(VectorOperators.ASHR, 31); // all ones where x < 0
    IntVector one = IntVector.broadcast(I, ONE_BITS);
    IntVector num = one.lanewise(VectorOperators.XOR, one.lanewise(VectorOperators.XOR,
        e.reinterpretAsInts()).and(neg)); // e where x < 0, else 1
    return num.reinterpretAsFloats().div(e.add(1f)).reinterpretAsInts().or(nan)
        .reinterpretAsFloats();
  }

  /**
   * tanh(x) = sign(x)·(−m)/(m + 2) with m = e^−2|x| − 1; within a few ulps, also near 0; NaN
   * stays NaN.
   */
  static FloatVector tanh(FloatVector x) {
    IntVector xb = x.reinterpretAsInts();
    IntVector ab = xb.and(0x7fffffff);
    IntVector nan = nanLanes(ab);
    FloatVector a = ab.min(BITS_44).reinterpretAsFloats().mul(-2f); // −2 min(|x|, 44)
    FloatVector t = roundLog2(a);
    FloatVector s = pow2(t);
    FloatVector m = expm1Reduced(a, t).fma(s, s.sub(1f)); // e^a − 1 = 2^n (e^r − 1) + 2^n − 1
    FloatVector th = m.div(m.add(2f)); // −tanh|x|
    return th.reinterpretAsInts().and(0x7fffffff).or(xb.and(0x80000000)).or(nan)
        .reinterpretAsFloats();
  }

  /**
   * σ and tanh as the kernel computes them, for tests.
   *
   * @param x arguments (not modified)
   * @param sig receives σ(x) (modified)
   * @param th receives tanh(x) (modified)
   */
  static void nonlinearities(float[] x, float[] sig, float[] th) {
    float[] buf = new float[L];
    for (int i = 0; i < x.length; i += L) {
      int m = Math.min(L, x.length - i);
      Arrays.fill(buf, 0f);
      System.arraycopy(x, i, buf, 0, m);
      FloatVector v = FloatVector.fromArray(S, buf, 0);
      sigmoid(v).intoArray(buf, 0);
      System.arraycopy(buf, 0, sig, i, m);
      tanh(v).intoArray(buf, 0);
      System.arraycopy(buf, 0, th, i, m);
    }
  }

  // ------------------------------------------------------------------ scratch

  /** Scratch of one thread, sized for one configuration and block size. */
  private static final class Scratch {
    final LstmConfig config;
    final int block;
    final int depth;
    final int nf;
    final int[] hid;
    final int[] din;
    final int[] rows;
    /** Per layer: unit k's gate weights as [k][r][4] (r over inputs, then the bias row). */
    final float[][] packed;
    // forward
    final float[] feat;
    final float[][] xin;
    final float[][] cell;
    final float[] top;
    final float[] out;
    final float[] z;
    final float[] tc;
    // tape and backward, allocated on first use
    int tapeSteps;
    float[][] tFeat;
    float[][][] tX;
    float[][][] tG;
    float[][][] tC;
    float[][][] tTc;
    float[][] dx;
    float[][] dcn;
    float[] dz;
    float[] dh;
    float[][] dWv;
    float[] dWout;
    float[] up;
    float[] dout;

    Scratch(LstmConfig config, int block) {
      this.config = config;
      this.block = block;
      depth = config.depth();
      nf = config.preprocessing().features();
      hid = new int[depth];
      din = new int[depth];
      rows = new int[depth];
      packed = new float[depth][];
      xin = new float[depth][];
      cell = new float[depth][];
      for (int l = 0; l < depth; l++) {
        hid[l] = config.hidden(l);
        din[l] = config.inputWidth(l);
        rows[l] = din[l] + hid[l];
        packed[l] = new float[hid[l] * (rows[l] + 1) * 4];
        xin[l] = new float[rows[l] * block];
        cell[l] = new float[hid[l] * block];
      }
      feat = new float[nf * block];
      top = new float[config.outputInputs() * block];
      out = new float[block];
      int maxH = 1;
      for (int h : hid) {
        maxH = Math.max(maxH, h);
      }
      z = new float[4 * maxH * block];
      tc = new float[maxH * block];
    }

    void ensureTape(int steps) {
      if (tX != null && tapeSteps >= steps) {
        return;
      }
      tapeSteps = steps;
      int b = block;
      tFeat = new float[steps][nf * b];
      tX = new float[steps + 1][depth][];
      tC = new float[steps + 1][depth][];
      tG = new float[steps][depth][];
      tTc = new float[steps][depth][];
      for (int t = 0; t <= steps; t++) {
        for (int l = 0; l < depth; l++) {
          tX[t][l] = new float[rows[l] * b];
          tC[t][l] = new float[hid[l] * b];
          if (t < steps) {
            tG[t][l] = new float[4 * hid[l] * b];
            tTc[t][l] = new float[hid[l] * b];
          }
        }
      }
      dx = new float[depth][];
      dcn = new float[depth][];
      dWv = new float[depth][];
      int maxH = 1;
      for (int l = 0; l < depth; l++) {
        dx[l] = new float[rows[l] * b];
        dcn[l] = new float[hid[l] * b];
        dWv[l] = new float[(rows[l] + 1) * 4 * hid[l] * L];
        maxH = Math.max(maxH, hid[l]);
      }
      dz = new float[4 * maxH * b];
      dh = new float[maxH * b];
      dWout = new float[(config.outputInputs() + 1) * L];
      up = new float[b];
      dout = new float[b];
    }

    /** Repacks the gate weights of every layer so that one unit's four gates are adjacent. */
    void pack(float[] w) {
      for (int l = 0; l < depth; l++) {
        int h = hid[l];
        int r1 = rows[l] + 1;
        int g4 = 4 * h;
        int wOff = config.weightOffset(l); // bias row follows the weight rows
        float[] p = packed[l];
        for (int k = 0; k < h; k++) {
          for (int r = 0; r < r1; r++) {
            int src = wOff + r * g4 + k;
            int dst = (k * r1 + r) * 4;
            p[dst] = w[src];
            p[dst + 1] = w[src + h];
            p[dst + 2] = w[src + 2 * h];
            p[dst + 3] = w[src + 3 * h];
          }
        }
      }
    }
  }

  private Scratch scratch(LstmConfig config, Workspace ws) {
    if (ws.scratch instanceof Scratch s && s.block == block && s.config.equals(config)) {
      return s;
    }
    Scratch s = new Scratch(config, block);
    ws.scratch = s;
    return s;
  }

  /** Vectors to compute for a block of {@code bl} coordinates: whole vectors, an even count. */
  private static int vectors(int bl) {
    int nv = (bl + L - 1) / L;
    return (nv + 1) & ~1;
  }

  /** Copies {@code len} values of unit-major {@code src} into block rows, zeroing the padding. */
  private static void load(
      float[] src, int n, int b0, int bl, int units, float[] dst, int dstRow, int block, int pad) {
    for (int k = 0; k < units; k++) {
      int d = (dstRow + k) * block;
      System.arraycopy(src, k * n + b0, dst, d, bl);
      if (pad > bl) {
        Arrays.fill(dst, d + bl, d + pad, 0f);
      }
    }
  }

  private static void store(
      float[] src, int srcRow, int block, int units, float[] dst, int n, int b0, int bl) {
    for (int k = 0; k < units; k++) {
      System.arraycopy(src, (srcRow + k) * block, dst, k * n + b0, bl);
    }
  }

  private static void zeroPad(float[] a, int rowsCount, int block, int bl, int pad) {
    if (pad > bl) {
      for (int r = 0; r < rowsCount; r++) {
        Arrays.fill(a, r * block + bl, r * block + pad, 0f);
      }
    }
  }

  // ------------------------------------------------------------------ forward cell
  //
  // Every pass below takes arrays only and keeps its vector work small: C2 inlines the Vector API
  // into each pass; a vector passed to a method that is not inlined would be boxed.

  /**
   * Gate pre-activations of one layer for a block: z[g][i] = b[g] + Σ_r x[r][i]·W[r][g], with the
   * forget bias added to the f gates. For every unit the four gates of two coordinate vectors are
   * accumulated in eight registers.
   *
   * @param pk packed weights of the layer (not modified)
   * @param x inputs then previous hidden state, rows of {@code block} (not modified)
   * @param z receives the pre-activations [4H][block] (modified)
   */
  private static void gates(
      float[] pk, int rows, int hidden, int block, int nv, float[] x, float[] z) {
    int r1 = rows + 1;
    int hb = hidden * block;
    for (int k = 0; k < hidden; k++) {
      int wk = k * r1 * 4;
      int wb = wk + rows * 4;
      float bi = pk[wb];
      float bj = pk[wb + 1];
      float bf = pk[wb + 2] + ScalarLstmKernel.FORGET_BIAS;
      float bo = pk[wb + 3];
      int ko = k * block;
      for (int v = 0; v < nv; v += 2) {
        int i0 = v * L;
        int i1 = i0 + L;
        FloatVector zi0 = FloatVector.broadcast(S, bi);
        FloatVector zj0 = FloatVector.broadcast(S, bj);
        FloatVector zf0 = FloatVector.broadcast(S, bf);
        FloatVector zo0 = FloatVector.broadcast(S, bo);
        FloatVector zi1 = zi0;
        FloatVector zj1 = zj0;
        FloatVector zf1 = zf0;
        FloatVector zo1 = zo0;
        for (int r = 0; r < rows; r++) {
          int xo = r * block;
          FloatVector x0 = FloatVector.fromArray(S, x, xo + i0);
          FloatVector x1 = FloatVector.fromArray(S, x, xo + i1);
          int wr = wk + r * 4;
          FloatVector w0 = FloatVector.broadcast(S, pk[wr]);
          zi0 = x0.fma(w0, zi0);
          zi1 = x1.fma(w0, zi1);
          FloatVector w1 = FloatVector.broadcast(S, pk[wr + 1]);
          zj0 = x0.fma(w1, zj0);
          zj1 = x1.fma(w1, zj1);
          FloatVector w2 = FloatVector.broadcast(S, pk[wr + 2]);
          zf0 = x0.fma(w2, zf0);
          zf1 = x1.fma(w2, zf1);
          FloatVector w3 = FloatVector.broadcast(S, pk[wr + 3]);
          zo0 = x0.fma(w3, zo0);
          zo1 = x1.fma(w3, zo1);
        }
        zi0.intoArray(z, ko + i0);
        zi1.intoArray(z, ko + i1);
        zj0.intoArray(z, hb + ko + i0);
        zj1.intoArray(z, hb + ko + i1);
        zf0.intoArray(z, 2 * hb + ko + i0);
        zf1.intoArray(z, 2 * hb + ko + i1);
        zo0.intoArray(z, 3 * hb + ko + i0);
        zo1.intoArray(z, 3 * hb + ko + i1);
      }
    }
  }

  /** a[r][i] = σ(a[r][i]) for rows [r0, r1) and the block's vectors. */
  private static void sigmoidRows(float[] a, int r0, int r1, int block, int nv) {
    for (int r = r0; r < r1; r++) {
      for (int v = 0; v < nv; v++) {
        int at = r * block + v * L;
        sigmoid(FloatVector.fromArray(S, a, at)).intoArray(a, at);
      }
    }
  }

  /** dst[d0 + r][i] = tanh(src[s0 + r][i]) for r in [0, count) (in place if the same rows). */
  private static void tanhRows(
      float[] src, int s0, float[] dst, int d0, int count, int block, int nv) {
    int so = s0 * block;
    int dof = d0 * block;
    for (int r = 0; r < count; r++) {
      for (int v = 0; v < nv; v++) {
        int at = r * block + v * L;
        tanh(FloatVector.fromArray(S, src, so + at)).intoArray(dst, dof + at);
      }
    }
  }

  /** c = f·c_prev + i·j from the activated gates. */
  private static void cellState(
      float[] z, float[] cPrev, float[] cOut, int hidden, int block, int nv) {
    int hb = hidden * block;
    for (int k = 0; k < hidden; k++) {
      for (int v = 0; v < nv; v++) {
        int at = k * block + v * L;
        FloatVector ig = FloatVector.fromArray(S, z, at);
        FloatVector jg = FloatVector.fromArray(S, z, hb + at);
        FloatVector fg = FloatVector.fromArray(S, z, 2 * hb + at);
        fg.fma(FloatVector.fromArray(S, cPrev, at), ig.mul(jg)).intoArray(cOut, at);
      }
    }
  }

  /** h = tanh(c)·o, into {@code h[hOff + k*block + i]}. */
  private static void hiddenState(
      float[] z, float[] tc, float[] h, int hOff, int hidden, int block, int nv) {
    int o = 3 * hidden * block;
    for (int k = 0; k < hidden; k++) {
      for (int v = 0; v < nv; v++) {
        int at = k * block + v * L;
        FloatVector.fromArray(S, tc, at)
            .mul(FloatVector.fromArray(S, z, o + at))
            .intoArray(h, hOff + at);
      }
    }
  }

  /**
   * One LSTM layer for a block: c = σ(f + 1)·c_prev + σ(i)·tanh(j), h = tanh(c)·σ(o).
   *
   * @param pk packed weights of the layer (not modified)
   * @param x inputs then previous hidden state, rows of {@code block} (not modified)
   * @param z receives σ(i), tanh(j), σ(f+1), σ(o) as [4H][block] (modified)
   * @param cPrev previous cell state [H][block] (not modified unless it is {@code cOut})
   * @param cOut receives the cell state (modified; may be {@code cPrev})
   * @param tc receives tanh(c) (modified)
   * @param h1 receives h at {@code h1[h1Off + k*block + i]} (modified)
   * @param h2 if not null, also receives h at {@code h2[h2Off + k*block + i]} (modified)
   */
  private static void layer(
      float[] pk, int rows, int hidden, int block, int nv, float[] x, float[] z, float[] cPrev,
      float[] cOut, float[] tc, float[] h1, int h1Off, float[] h2, int h2Off) {
    // one σ or tanh per pass: C2 (JDK 17) stops inlining the Vector API beyond about two
    gates(pk, rows, hidden, block, nv, x, z);
    sigmoidRows(z, 0, hidden, block, nv);
    tanhRows(z, hidden, z, hidden, hidden, block, nv);
    sigmoidRows(z, 2 * hidden, 4 * hidden, block, nv);
    cellState(z, cPrev, cOut, hidden, block, nv);
    tanhRows(cOut, 0, tc, 0, hidden, block, nv);
    hiddenState(z, tc, h1, h1Off, hidden, block, nv);
    if (h2 != null) {
      for (int k = 0; k < hidden; k++) {
        System.arraycopy(h1, h1Off + k * block, h2, h2Off + k * block, nv * L);
      }
    }
  }

  /** u = scale·(b_out + Σ_k w_out[k]·top[k]) for the block's vectors, into {@code out}. */
  private static void output(
      float[] w, int owOff, int inputs, float ob, float scale, float[] top, int block, int nv,
      float[] out) {
    for (int v = 0; v < nv; v++) {
      int i = v * L;
      FloatVector acc = FloatVector.broadcast(S, ob);
      for (int k = 0; k < inputs; k++) {
        acc = FloatVector.fromArray(S, top, k * block + i).fma(bc(w[owOff + k]), acc);
      }
      acc.mul(scale).intoArray(out, i);
    }
  }

  @Override
  public void step(
      LstmConfig config, float[] w, LstmState state, float[] grad, int from, int to,
      float[] updateOut, Workspace ws) {
    Scratch s = scratch(config, ws);
    s.pack(w);
    int n = state.n;
    int b = block;
    int depth = s.depth;
    int nf = s.nf;
    float scale = (float) config.scale();
    int owOff = config.outputWeightOffset();
    float ob = w[config.outputBiasOffset()];
    for (int b0 = from; b0 < to; b0 += b) {
      int bl = Math.min(b, to - b0);
      int nv = vectors(bl);
      int pad = nv * L;
      float[] feat = depth == 0 ? s.feat : s.xin[0];
      config.preprocessing().apply(grad, b0, b0 + bl, feat, b);
      zeroPad(feat, nf, b, bl, pad);
      for (int l = 0; l < depth; l++) {
        int h = s.hid[l];
        load(state.h[l], n, b0, bl, h, s.xin[l], s.din[l], b, pad);
        load(state.c[l], n, b0, bl, h, s.cell[l], 0, b, pad);
        boolean last = l == depth - 1;
        layer(s.packed[l], s.rows[l], h, b, nv, s.xin[l], s.z, s.cell[l], s.cell[l], s.tc,
            last ? s.top : s.xin[l + 1], 0, null, 0);
        store(s.cell[l], 0, b, h, state.c[l], n, b0, bl);
        store(last ? s.top : s.xin[l + 1], 0, b, h, state.h[l], n, b0, bl);
      }
      output(w, owOff, config.outputInputs(), ob, scale, depth == 0 ? s.feat : s.top, b, nv,
          s.out);
      System.arraycopy(s.out, 0, updateOut, b0, bl);
    }
  }

  // ------------------------------------------------------------------ backward

  @Override
  public void unrollBackward(
      LstmConfig config, float[] w, LstmState state0, float[][] grads, int steps, int from,
      int to, double[] dW, Workspace ws) {
    Scratch s = scratch(config, ws);
    s.ensureTape(steps);
    s.pack(w);
    int n = state0.n;
    int b = block;
    int depth = s.depth;
    int nf = s.nf;
    float scale = (float) config.scale();
    int owOff = config.outputWeightOffset();
    int top = config.outputInputs();
    for (int b0 = from; b0 < to; b0 += b) {
      int bl = Math.min(b, to - b0);
      int nv = vectors(bl);
      int pad = nv * L;
      // ---- forward pass of the unroll for this block, keeping the tape
      for (int l = 0; l < depth; l++) {
        load(state0.h[l], n, b0, bl, s.hid[l], s.tX[0][l], s.din[l], b, pad);
        load(state0.c[l], n, b0, bl, s.hid[l], s.tC[0][l], 0, b, pad);
      }
      for (int t = 0; t < steps; t++) {
        float[] feat = depth == 0 ? s.tFeat[t] : s.tX[t][0];
        config.preprocessing().apply(grads[t], b0, b0 + bl, feat, b);
        zeroPad(feat, nf, b, bl, pad);
        for (int l = 0; l < depth; l++) {
          layer(s.packed[l], s.rows[l], s.hid[l], b, nv, s.tX[t][l], s.tG[t][l], s.tC[t][l],
              s.tC[t + 1][l], s.tTc[t][l], s.tX[t + 1][l], s.din[l] * b,
              l + 1 < depth ? s.tX[t][l + 1] : null, 0);
        }
      }
      // ---- backward through time
      for (int l = 0; l < depth; l++) {
        Arrays.fill(s.dx[l], 0f);
        Arrays.fill(s.dcn[l], 0f);
      }
      Arrays.fill(s.up, 0f);
      for (int t = steps - 1; t >= 0; t--) {
        float[] gnext = grads[t + 1];
        int full = bl / L * L;
        for (int i = 0; i < full; i += L) {
          FloatVector u = FloatVector.fromArray(S, s.up, i).add(FloatVector.fromArray(S, gnext, b0 + i));
          u.intoArray(s.up, i);
          u.mul(scale).intoArray(s.dout, i);
        }
        for (int i = full; i < pad; i++) {
          if (i < bl) {
            s.up[i] += gnext[b0 + i];
          }
          s.dout[i] = scale * s.up[i];
        }
        float[] xTop;
        int xTopOff;
        if (depth == 0) {
          xTop = s.tFeat[t];
          xTopOff = 0;
        } else {
          xTop = s.tX[t + 1][depth - 1];
          xTopOff = s.din[depth - 1] * b;
        }
        outputGrad(s.dout, xTop, xTopOff, top, b, nv, s.dWout);
        for (int l = depth - 1; l >= 0; l--) {
          int h = s.hid[l];
          int rows = s.rows[l];
          int dinL = s.din[l];
          boolean last = l == depth - 1;
          if (last) {
            dhTop(s.dout, w, owOff, s.dx[l], dinL * b, h, b, nv, s.dh);
          } else {
            dhSum(s.dx[l + 1], s.dx[l], dinL * b, h, b, nv, s.dh);
          }
          dz(s.dh, s.tG[t][l], s.tTc[t][l], s.tC[t][l], s.dcn[l], s.dz, h, b, nv);
          biasGrad(s.dz, 4 * h, b, nv, s.dWv[l], rows);
          weightGrad(s.tX[t][l], rows, h, b, nv, s.dz, s.dWv[l]);
          inputGrad(w, config.weightOffset(l), l == 0 ? dinL : 0, rows, h, b, nv, s.dz, s.dx[l]);
        }
      }
      // ---- per-block float sums into the double accumulator, lanes in a fixed order
      for (int l = 0; l < depth; l++) {
        flush(s.dWv[l], dW, config.weightOffset(l));
      }
      flush(s.dWout, dW, owOff);
    }
  }

  /** dW_out[k] += dout·top[k] and db_out += dout, per lane. */
  private static void outputGrad(
      float[] dout, float[] x, int xOff, int inputs, int block, int nv, float[] acc) {
    for (int k = 0; k <= inputs; k++) {
      FloatVector a = FloatVector.fromArray(S, acc, k * L);
      if (k < inputs) {
        int xo = xOff + k * block;
        for (int v = 0; v < nv; v++) {
          a = FloatVector.fromArray(S, dout, v * L).fma(FloatVector.fromArray(S, x, xo + v * L), a);
        }
      } else {
        for (int v = 0; v < nv; v++) {
          a = a.add(FloatVector.fromArray(S, dout, v * L));
        }
      }
      a.intoArray(acc, k * L);
    }
  }

  /** dh = dout·w_out[k] + dhNext for the top layer's units. */
  private static void dhTop(
      float[] dout, float[] w, int owOff, float[] dx, int dhnOff, int hidden, int block, int nv,
      float[] dh) {
    for (int k = 0; k < hidden; k++) {
      FloatVector wk = FloatVector.broadcast(S, w[owOff + k]);
      for (int v = 0; v < nv; v++) {
        int at = k * block + v * L;
        FloatVector.fromArray(S, dout, v * L)
            .fma(wk, FloatVector.fromArray(S, dx, dhnOff + at))
            .intoArray(dh, at);
      }
    }
  }

  /** dh = dhUp + dhNext for a layer below the top. */
  private static void dhSum(
      float[] dhUp, float[] dx, int dhnOff, int hidden, int block, int nv, float[] dh) {
    for (int k = 0; k < hidden; k++) {
      for (int v = 0; v < nv; v++) {
        int at = k * block + v * L;
        FloatVector.fromArray(S, dhUp, at)
            .add(FloatVector.fromArray(S, dx, dhnOff + at))
            .intoArray(dh, at);
      }
    }
  }

  /**
   * dz of one layer and step from dh = ∂L/∂h_t.
   *
   * @param dcn cell-state gradient from the next step (modified: becomes this step's ∂L/∂c_{t−1})
   * @param dz receives dz [4H][block] (modified)
   */
  private static void dz(
      float[] dh, float[] gates, float[] tc, float[] cPrev, float[] dcn, float[] dz, int hidden,
      int block, int nv) {
    int hb = hidden * block;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int k = 0; k < hidden; k++) {
      for (int v = 0; v < nv; v++) {
        int at = k * block + v * L;
        FloatVector dhv = FloatVector.fromArray(S, dh, at);
        FloatVector ig = FloatVector.fromArray(S, gates, at);
        FloatVector jg = FloatVector.fromArray(S, gates, hb + at);
        FloatVector fg = FloatVector.fromArray(S, gates, 2 * hb + at);
        FloatVector og = FloatVector.fromArray(S, gates, 3 * hb + at);
        FloatVector tcv = FloatVector.fromArray(S, tc, at);
        FloatVector dc =
            dhv.mul(og).fma(one.sub(tcv.mul(tcv)), FloatVector.fromArray(S, dcn, at));
        dc.mul(jg).mul(ig.mul(one.sub(ig))).intoArray(dz, at);
        dc.mul(ig).mul(one.sub(jg.mul(jg))).intoArray(dz, hb + at);
        dc.mul(FloatVector.fromArray(S, cPrev, at))
            .mul(fg.mul(one.sub(fg)))
            .intoArray(dz, 2 * hb + at);
        dhv.mul(tcv).mul(og.mul(one.sub(og))).intoArray(dz, 3 * hb + at);
        dc.mul(fg).intoArray(dcn, at);
      }
    }
  }

  /** Per-lane bias gradient: acc[(biasRow·4H + g)·L] += Σ_v dz[g][v]. */
  private static void biasGrad(float[] dz, int g4, int block, int nv, float[] dWv, int biasRow) {
    for (int g = 0; g < g4; g++) {
      int a = (biasRow * g4 + g) * L;
      FloatVector acc = FloatVector.fromArray(S, dWv, a);
      for (int v = 0; v < nv; v++) {
        acc = acc.add(FloatVector.fromArray(S, dz, g * block + v * L));
      }
      acc.intoArray(dWv, a);
    }
  }

  /** dW[r][g] += Σ_i x[r][i]·dz[g][i], per lane, in tiles of 4 rows × 4 gates. */
  private static void weightGrad(
      float[] x, int rows, int hidden, int block, int nv, float[] dz, float[] dWv) {
    int g4 = 4 * hidden;
    int r4 = rows & ~3;
    for (int r = 0; r < r4; r += 4) {
      int x0o = r * block;
      int x1o = x0o + block;
      int x2o = x1o + block;
      int x3o = x2o + block;
      for (int g = 0; g < g4; g += 4) {
        int d0o = g * block;
        int d1o = d0o + block;
        int d2o = d1o + block;
        int d3o = d2o + block;
        int a0 = (r * g4 + g) * L;
        int a1 = a0 + g4 * L;
        int a2 = a1 + g4 * L;
        int a3 = a2 + g4 * L;
        FloatVector c00 = FloatVector.fromArray(S, dWv, a0);
        FloatVector c01 = FloatVector.fromArray(S, dWv, a0 + L);
        FloatVector c02 = FloatVector.fromArray(S, dWv, a0 + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, dWv, a0 + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, dWv, a1);
        FloatVector c11 = FloatVector.fromArray(S, dWv, a1 + L);
        FloatVector c12 = FloatVector.fromArray(S, dWv, a1 + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, dWv, a1 + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, dWv, a2);
        FloatVector c21 = FloatVector.fromArray(S, dWv, a2 + L);
        FloatVector c22 = FloatVector.fromArray(S, dWv, a2 + 2 * L);
        FloatVector c23 = FloatVector.fromArray(S, dWv, a2 + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, dWv, a3);
        FloatVector c31 = FloatVector.fromArray(S, dWv, a3 + L);
        FloatVector c32 = FloatVector.fromArray(S, dWv, a3 + 2 * L);
        FloatVector c33 = FloatVector.fromArray(S, dWv, a3 + 3 * L);
        for (int v = 0; v < nv; v++) {
          int i = v * L;
          FloatVector d0 = FloatVector.fromArray(S, dz, d0o + i);
          FloatVector d1 = FloatVector.fromArray(S, dz, d1o + i);
          FloatVector d2 = FloatVector.fromArray(S, dz, d2o + i);
          FloatVector d3 = FloatVector.fromArray(S, dz, d3o + i);
          FloatVector x0 = FloatVector.fromArray(S, x, x0o + i);
          c00 = x0.fma(d0, c00);
          c01 = x0.fma(d1, c01);
          c02 = x0.fma(d2, c02);
          c03 = x0.fma(d3, c03);
          FloatVector x1 = FloatVector.fromArray(S, x, x1o + i);
          c10 = x1.fma(d0, c10);
          c11 = x1.fma(d1, c11);
          c12 = x1.fma(d2, c12);
          c13 = x1.fma(d3, c13);
          FloatVector x2 = FloatVector.fromArray(S, x, x2o + i);
          c20 = x2.fma(d0, c20);
          c21 = x2.fma(d1, c21);
          c22 = x2.fma(d2, c22);
          c23 = x2.fma(d3, c23);
          FloatVector x3 = FloatVector.fromArray(S, x, x3o + i);
          c30 = x3.fma(d0, c30);
          c31 = x3.fma(d1, c31);
          c32 = x3.fma(d2, c32);
          c33 = x3.fma(d3, c33);
        }
        c00.intoArray(dWv, a0);
        c01.intoArray(dWv, a0 + L);
        c02.intoArray(dWv, a0 + 2 * L);
        c03.intoArray(dWv, a0 + 3 * L);
        c10.intoArray(dWv, a1);
        c11.intoArray(dWv, a1 + L);
        c12.intoArray(dWv, a1 + 2 * L);
        c13.intoArray(dWv, a1 + 3 * L);
        c20.intoArray(dWv, a2);
        c21.intoArray(dWv, a2 + L);
        c22.intoArray(dWv, a2 + 2 * L);
        c23.intoArray(dWv, a2 + 3 * L);
        c30.intoArray(dWv, a3);
        c31.intoArray(dWv, a3 + L);
        c32.intoArray(dWv, a3 + 2 * L);
        c33.intoArray(dWv, a3 + 3 * L);
      }
    }
    for (int r = r4; r < rows; r++) {
      int xo = r * block;
      for (int g = 0; g < g4; g += 4) {
        int a0 = (r * g4 + g) * L;
        FloatVector c0 = FloatVector.fromArray(S, dWv, a0);
        FloatVector c1 = FloatVector.fromArray(S, dWv, a0 + L);
        FloatVector c2 = FloatVector.fromArray(S, dWv, a0 + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, dWv, a0 + 3 * L);
        int d0o = g * block;
        for (int v = 0; v < nv; v++) {
          int i = v * L;
          FloatVector xv = FloatVector.fromArray(S, x, xo + i);
          c0 = xv.fma(FloatVector.fromArray(S, dz, d0o + i), c0);
          c1 = xv.fma(FloatVector.fromArray(S, dz, d0o + block + i), c1);
          c2 = xv.fma(FloatVector.fromArray(S, dz, d0o + 2 * block + i), c2);
          c3 = xv.fma(FloatVector.fromArray(S, dz, d0o + 3 * block + i), c3);
        }
        c0.intoArray(dWv, a0);
        c1.intoArray(dWv, a0 + L);
        c2.intoArray(dWv, a0 + 2 * L);
        c3.intoArray(dWv, a0 + 3 * L);
      }
    }
  }

  /**
   * dx[r][i] = Σ_g W[r][g]·dz[g][i] for rows r in [r0, rows), in tiles of 4 rows × 2 vectors.
   * Rows below din are the gradient into the layer below; the others into h_prev.
   */
  private static void inputGrad(
      float[] w, int wOff, int r0, int rows, int hidden, int block, int nv, float[] dz,
      float[] dx) {
    int g4 = 4 * hidden;
    int r = r0;
    for (; r + 4 <= rows; r += 4) {
      int w0 = wOff + r * g4;
      int w1 = w0 + g4;
      int w2 = w1 + g4;
      int w3 = w2 + g4;
      for (int v = 0; v < nv; v += 2) {
        int i0 = v * L;
        int i1 = i0 + L;
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        for (int g = 0; g < g4; g++) {
          int d = g * block;
          FloatVector d0 = FloatVector.fromArray(S, dz, d + i0);
          FloatVector d1 = FloatVector.fromArray(S, dz, d + i1);
          FloatVector wv = FloatVector.broadcast(S, w[w0 + g]);
          a00 = d0.fma(wv, a00);
          a01 = d1.fma(wv, a01);
          wv = FloatVector.broadcast(S, w[w1 + g]);
          a10 = d0.fma(wv, a10);
          a11 = d1.fma(wv, a11);
          wv = FloatVector.broadcast(S, w[w2 + g]);
          a20 = d0.fma(wv, a20);
          a21 = d1.fma(wv, a21);
          wv = FloatVector.broadcast(S, w[w3 + g]);
          a30 = d0.fma(wv, a30);
          a31 = d1.fma(wv, a31);
        }
        int o = r * block;
        a00.intoArray(dx, o + i0);
        a01.intoArray(dx, o + i1);
        a10.intoArray(dx, o + block + i0);
        a11.intoArray(dx, o + block + i1);
        a20.intoArray(dx, o + 2 * block + i0);
        a21.intoArray(dx, o + 2 * block + i1);
        a30.intoArray(dx, o + 3 * block + i0);
        a31.intoArray(dx, o + 3 * block + i1);
      }
    }
    for (; r < rows; r++) {
      int w0 = wOff + r * g4;
      for (int v = 0; v < nv; v += 2) {
        int i0 = v * L;
        int i1 = i0 + L;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        for (int g = 0; g < g4; g++) {
          int d = g * block;
          FloatVector wv = FloatVector.broadcast(S, w[w0 + g]);
          a0 = FloatVector.fromArray(S, dz, d + i0).fma(wv, a0);
          a1 = FloatVector.fromArray(S, dz, d + i1).fma(wv, a1);
        }
        a0.intoArray(dx, r * block + i0);
        a1.intoArray(dx, r * block + i1);
      }
    }
  }

  /** dW[off + j] += Σ_lanes acc[j·L + lane] (double, lanes in order); zeroes {@code acc}. */
  private static void flush(float[] acc, double[] dW, int off) {
    int m = acc.length / L;
    for (int j = 0; j < m; j++) {
      double sum = 0;
      int a = j * L;
      for (int lane = 0; lane < L; lane++) {
        sum += acc[a + lane];
      }
      dW[off + j] += sum;
    }
    Arrays.fill(acc, 0f);
  }
}
