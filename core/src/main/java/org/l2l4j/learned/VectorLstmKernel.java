package org.l2l4j.learned;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The coordinatewise LSTM on the Vector API ({@code jdk.incubator.vector}): the same network,
 * weight layout and gate order (i, j, f, o; forget bias {@value ScalarLstmKernel#FORGET_BIAS}) as
 * {@link ScalarLstmKernel}, computed on blocks of {@value #BLOCK} coordinates held as
 * structure-of-arrays, one coordinate per vector lane ({@code FloatVector.SPECIES_PREFERRED}).
 *
 * <p>Forward, per block and layer: the gate pre-activations z = b + [x, h_prev]·W with sixteen
 * accumulators in registers (the four gates of one unit for four coordinate vectors, each loaded
 * input vector feeding four multiply-adds), then σ/tanh passes over z in place, then c, tanh(c)
 * and h; everything of a block stays in the first-level cache. The backward pass recomputes the
 * unroll's forward pass for the block, keeping its activations (the tape), then per step and
 * layer computes dz, the input gradients W·dz (sixteen accumulators: four rows of W by four
 * coordinate vectors), and every {@code WIDE / block} steps (4 at the default block) adds the
 * weight and bias gradients Σ x⊗dz over those steps and the block's coordinates into per-lane
 * float accumulators (tiles of six rows by four gates). The per-lane sums go to the double
 * accumulator once per block, lanes in a fixed order. A recorded unroll ({@link #recordStep})
 * keeps the activated gates of the forward steps (640 bytes per coordinate and step for 20x20);
 * its backward pass takes them from the record and only rebuilds c, tanh(c) and h ({@link
 * #cell}), with the same bits.
 *
 * <p>σ and tanh use a vectorised exponential (Cody–Waite range reduction, Cephes's expf
 * polynomial, 2^n from the exponent bits), at most 2.5 float ulps from the exact values (see
 * {@link #activate}); the log of the gradient preprocessing likewise (at most 2 ulps, {@link
 * #logPass}). Only lane-wise operations, fused multiply-adds and divisions are
 * used, never floating-point lane reductions, so the results are bit-identical whichever JIT tier
 * runs them. A coordinate's forward result depends on that coordinate only; weight gradients
 * depend on the block partition, which starts at {@code from}, so ranges that start at multiples
 * of {@value #BLOCK} (as {@link LstmEngine#CHUNK} does) give the same bits as one call on
 * their union, the contributions being added in the same order.
 *
 * <p>How the code is cut is part of the design: on JDK 17, C2 stops inlining once a compilation
 * grows past a node budget (about two inlined σ/tanh), and a vector that crosses a call that was
 * not inlined, a branch merge or an outer loop is allocated on the heap, which costs ten times
 * the arithmetic. So every pass is a static method that takes arrays only (or, for {@link
 * #layer} and {@link #cell}, small records of arrays and ints that it unpacks on entry), holds at
 * most one σ/tanh, and keeps its vectors within one innermost loop; and the passes that compute
 * σ, tanh and ln ({@link #activate}, {@link #logPass}) are written out in full and are too large
 * for C2 to inline into their callers, so each is compiled on its own (see the note on the
 * nonlinearities below).
 *
 * <p>This class names the Vector API: load it only when the module is present ({@link
 * LstmKernels#best()} checks).
 */
public final class VectorLstmKernel implements LstmKernel {
  /** Coordinates per block (divides {@link LstmEngine#CHUNK}). */
  public static final int BLOCK = 128;
  /**
   * Row length, in floats, of the buffers the weight-gradient pass reads: the x and dz rows of
   * {@code WIDE / block} backward steps side by side (4 steps at the default block). A constant
   * row stride lets the compiler address a tile's rows from one register with constant
   * displacements (a variable stride spilled the row offsets: 6-row tiles ran at 4.45 against
   * 3.4 G vector multiply-adds per second with a variable stride and 4-row tiles).
   */
  static final int WIDE = 512;
  /**
   * Where the data starts in every block buffer of the passes (scratch rows, gates, tapes,
   * accumulators; not the caller's state, gradient and update arrays), in floats: a float
   * array's elements start 16 bytes after the object, so with objects aligned to 64 bytes ({@code
   * -XX:ObjectAlignmentInBytes=64}, which the launcher and the benchmarks set) element 12 starts a
   * cache line, and since rows are whole multiples of 16 floats no vector load or store of the
   * passes crosses a cache line (a split 512-bit load costs about twice an aligned one here).
   * Without the option the alignment is whatever the heap gives, as it was before; the results
   * are the same bits either way. Offsets that the passes take as parameters are relative to it.
   */
  static final int BASE = 12;

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();
  /** Coordinate vectors processed together by the register-blocked passes. */
  private static final int GROUP = 4;

  /** The shared instance (the kernel is stateless). */
  public static final VectorLstmKernel INSTANCE = new VectorLstmKernel(BLOCK);

  private final int block;

  private VectorLstmKernel(int block) {
    if (block < GROUP * L || block % (GROUP * L) != 0 || WIDE % block != 0) {
      throw new IllegalArgumentException("block must be a positive multiple of " + GROUP * L
          + " that divides " + WIDE + ", got " + block);
    }
    this.block = block;
  }

  /**
   * A kernel with another block size, for benchmarks: {@code block} must be a multiple of four
   * times the vector length that divides {@value #WIDE}; bit-identical chunking needs it to divide
   * the chunk size.
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

  @Override
  public GacCells gacCells() {
    return VectorGacCells.INSTANCE;
  }

  // ------------------------------------------------------------------ nonlinearities
  //
  // Mask-free on purpose: compares and blends cost several instructions each with the JDK 17
  // Vector API, lane-wise float MIN/MAX (NaN-correct) even more. |x| is clamped as an integer
  // on its bit pattern, the sign is handled with bit operations, and a NaN argument is put back
  // by OR-ing all ones (a NaN) into the result.
  //
  // Each function is written out in full in one pass method over an array range (activate,
  // logPass), calling nothing but the Vector API, whose methods are force-inlined. Two
  // reasons, both measured (JFR): (1) C2 stops inlining ordinary methods once a compilation
  // passes its node budget, and a vector handed to a method that was not inlined
  // is boxed and computed by the API's slow Java fallback (a helper of the nonlinearity left
  // out of line made whole steps 2-3 times slower, in some runs only: it depended on the order
  // in which methods were compiled); (2) each pass is larger than C2's FreqInlineSize (325
  // bytecodes), so it is never inlined into its caller and is compiled on its own, with a node
  // budget of its own, whatever the order of compilation. KernelInliningTest checks the sizes.

  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final int BITS_88 = 0x42b00000; // 88f: e^-88 underflows to 0 below
  private static final int BITS_44 = 0x42300000; // 44f: tanh(44) = 1 in float
  private static final int ONE_BITS = 0x3f800000;
  private static final int SQRT_HALF_BITS = 0x3f3504f3; // √½

  /**
   * The largest subnormal float's bits. Java has no flush-to-zero mode, and on the README's Xeon
   * an arithmetic operation on a subnormal float costs a microcode assist (an unroll whose
   * optimizee gradients were all subnormal took 8.4 s instead of 0.22 s). So the optimizee
   * gradients entering the forward steps and the backward pass, and the backward pass's upstream
   * gradients, are taken as zero where they are subnormal (|g| &lt; 2^−126 ≈ 1.2e-38): the
   * features and updates change by less than a float's resolution of them (the scalar kernel,
   * which keeps them, agrees to float rounding).
   */
  private static final int SUBNORMAL_BITS = 0x007fffff;

  /** {@link #activate} computes σ. */
  static final int SIGMOID = 0;
  /** {@link #activate} computes tanh. */
  static final int TANH = 1;

  private static FloatVector bc(float v) {
    return FloatVector.broadcast(S, v);
  }

  /**
   * dst[d0 + i] = σ(src[s0 + i]) (kind {@link #SIGMOID}) or tanh(src[s0 + i]) ({@link #TANH})
   * for i in [0, len), len a multiple of L (in place if the same range).
   *
   * <p>Both from E = e^a − δ with a = −k·min(|x|, m): a Cody–Waite reduction a = n ln 2 + r
   * (n = round(a·log2 e) through the magic constant, 2^n from the exponent bits), Cephes's expf
   * polynomial for e^r − 1, then E = 2^n (e^r − 1) + (2^n − δ). σ (k = 1, m = 88, δ = 0):
   * 1/(1 + E) for x ≥ 0, E/(1 + E) for x &lt; 0, within a few ulps for outputs above the
   * smallest normal float, 0 below. tanh (k = 2, m = 44, δ = 1): sign(x)·(−E)/(E + 2), within a
   * few ulps, also near 0. NaN stays NaN.
   */
  static void activate(int kind, float[] src, int s0, float[] dst, int d0, int len) {
    boolean tanh = kind == TANH;
    int clampBits = tanh ? BITS_44 : BITS_88;
    float k = tanh ? -2f : -1f;
    float delta = tanh ? 1f : 0f;
    float gamma = tanh ? 2f : 1f;
    for (int i = 0; i < len; i += L) {
      IntVector xb = FloatVector.fromArray(S, src, s0 + i).reinterpretAsInts();
      IntVector ab = xb.and(0x7fffffff);
      // all ones (a NaN) in the lanes where x is a NaN, else zero
      IntVector nan = IntVector.broadcast(I, 0x7f800000).sub(ab)
          .lanewise(VectorOperators.ASHR, 31);
      FloatVector a = ab.min(clampBits).reinterpretAsFloats().mul(k); // −k·min(|x|, m)
      FloatVector t = a.fma(LOG2E, MAGIC); // n + MAGIC, n = round(a·log2 e)
      // 2^n: the low bits of t hold n, shifted into the exponent field and biased
      FloatVector s = t.reinterpretAsInts()
          .lanewise(VectorOperators.LSHL, 23)
          .add(ONE_BITS)
          .reinterpretAsFloats();
      FloatVector n = t.sub(MAGIC);
      FloatVector r = n.fma(bc(-LN2_HI), a);
      r = n.fma(bc(-LN2_LO), r);
      FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
      p = p.fma(r, bc(8.3334519073e-3f));
      p = p.fma(r, bc(4.1665795894e-2f));
      p = p.fma(r, bc(1.6666665459e-1f));
      p = p.fma(r, bc(5.0000001201e-1f));
      FloatVector e = p.fma(r.mul(r), r).fma(s, s.sub(delta)); // e^a − δ
      FloatVector den = e.add(gamma);
      if (tanh) {
        e.div(den) // −tanh|x|
            .reinterpretAsInts().and(0x7fffffff).or(xb.and(0x80000000)).or(nan)
            .reinterpretAsFloats()
            .intoArray(dst, d0 + i);
      } else {
        IntVector neg = xb.lanewise(VectorOperators.ASHR, 31); // all ones where x < 0
        IntVector one = IntVector.broadcast(I, ONE_BITS);
        IntVector num = one.lanewise(VectorOperators.XOR, one.lanewise(VectorOperators.XOR,
            e.reinterpretAsInts()).and(neg)); // e where x < 0, else 1
        num.reinterpretAsFloats().div(den).reinterpretAsInts().or(nan).reinterpretAsFloats()
            .intoArray(dst, d0 + i);
      }
    }
  }

  /**
   * dst[d0 + i] = ln(src[s0 + i]) for i in [0, len), len a multiple of L: for arguments &gt; 0
   * (normal) within 2 ulps; +∞ for +∞, NaN for NaN. Mantissa m in [√½, √2) and exponent e with
   * a = m·2^e from the bits (mask-free), then ln m = f − f²/2 + f³·P(f) with f = m − 1 (Cephes
   * logf), plus e·ln 2.
   */
  static void logPass(float[] src, int s0, float[] dst, int d0, int len) {
    for (int i = 0; i < len; i += L) {
      FloatVector a = FloatVector.fromArray(S, src, s0 + i);
      IntVector bits = a.reinterpretAsInts();
      IntVector ab = bits.add(ONE_BITS - SQRT_HALF_BITS);
      IntVector e = ab.lanewise(VectorOperators.ASHR, 23).sub(127);
      FloatVector f =
          ab.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f); // m − 1
      FloatVector p = f.fma(7.0376836292e-2f, -1.1514610310e-1f);
      p = p.fma(f, bc(1.1676998740e-1f));
      p = p.fma(f, bc(-1.2420140846e-1f));
      p = p.fma(f, bc(1.4249322787e-1f));
      p = p.fma(f, bc(-1.6668057665e-1f));
      p = p.fma(f, bc(2.0000714765e-1f));
      p = p.fma(f, bc(-2.4999993993e-1f));
      p = p.fma(f, bc(3.3333331174e-1f));
      FloatVector f2 = f.mul(f);
      FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
      FloatVector y = p.mul(f2).fma(f, ef.mul(LN2_LO)); // f³P + e·ln2_lo
      y = f2.fma(bc(-0.5f), y).add(f); // + f − f²/2
      y = ef.fma(bc(LN2_HI), y);
      y = y.blend(Float.POSITIVE_INFINITY, a.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
      // all ones (a NaN) in the lanes where the argument is a NaN
      IntVector nan = IntVector.broadcast(I, 0x7f800000).sub(bits.and(0x7fffffff))
          .lanewise(VectorOperators.ASHR, 31);
      y.reinterpretAsInts().or(nan).reinterpretAsFloats().intoArray(dst, d0 + i);
    }
  }

  /**
   * σ and tanh as the kernel computes them, for tests.
   *
   * @param x arguments (not modified)
   * @param sig receives σ(x) (modified)
   * @param th receives tanh(x) (modified)
   */
  static void nonlinearities(float[] x, float[] sig, float[] th) {
    int padded = (x.length + L - 1) / L * L;
    float[] buf = Arrays.copyOf(x, padded);
    float[] out = new float[padded];
    activate(SIGMOID, buf, 0, out, 0, padded);
    System.arraycopy(out, 0, sig, 0, x.length);
    activate(TANH, buf, 0, out, 0, padded);
    System.arraycopy(out, 0, th, 0, x.length);
  }

  /**
   * ln as the kernel's preprocessing computes it, for tests.
   *
   * @param x arguments (not modified)
   * @param out receives ln(x) (modified)
   */
  static void logarithms(float[] x, float[] out) {
    int padded = (x.length + L - 1) / L * L;
    float[] buf = Arrays.copyOf(x, padded);
    Arrays.fill(buf, x.length, padded, 1f);
    logPass(buf, 0, buf, 0, padded);
    System.arraycopy(buf, 0, out, 0, x.length);
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
    /** Per layer: {@link #packed} bound with the layer's shape. */
    final PackedLayer[] layers;
    // forward
    final float[] feat;
    final float[][] xin;
    final float[][] cell;
    final float[] top;
    final float[] out;
    final float[] gbuf;
    final float[] z;
    final float[] tc;
    // tape and backward, allocated on first use
    int tapeSteps;
    float[][] tFeat;
    float[][][] tX;
    float[][][] tG;
    /** Per step and layer: the gates the backward pass reads (tG's arrays or recorded ones). */
    float[][][] gRef;
    float[][][] tC;
    float[][][] tTc;
    float[][] dx;
    float[][] dcn;
    float[] dz;
    float[] dh;
    /** Per layer: x of {@code WIDE / block} steps side by side (rows of {@link #WIDE}), 1s. */
    float[][] xWide;
    /** Per layer: dz of {@code WIDE / block} steps side by side. */
    float[][] dzWide;
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
      layers = new PackedLayer[depth];
      xin = new float[depth][];
      cell = new float[depth][];
      int maxH = 1;
      for (int l = 0; l < depth; l++) {
        hid[l] = config.hidden(l);
        din[l] = config.inputWidth(l);
        rows[l] = din[l] + hid[l];
        packed[l] = new float[hid[l] * (rows[l] + 1) * 4];
        layers[l] = new PackedLayer(packed[l], rows[l], hid[l]);
        xin[l] = new float[BASE + rows[l] * block];
        cell[l] = new float[BASE + hid[l] * block];
        maxH = Math.max(maxH, hid[l]);
      }
      feat = new float[BASE + nf * block];
      top = new float[BASE + config.outputInputs() * block];
      out = new float[BASE + block];
      gbuf = new float[BASE + block];
      z = new float[BASE + 4 * maxH * block];
      tc = new float[BASE + maxH * block];
    }

    void ensureTape(int steps) {
      if (tX != null && tapeSteps >= steps) {
        return;
      }
      tapeSteps = steps;
      int b = block;
      tFeat = new float[steps][BASE + nf * b];
      tX = new float[steps + 1][depth][];
      tC = new float[steps + 1][depth][];
      tG = new float[steps][depth][];
      gRef = new float[steps][depth][];
      tTc = new float[steps][depth][];
      for (int t = 0; t <= steps; t++) {
        for (int l = 0; l < depth; l++) {
          tX[t][l] = new float[BASE + rows[l] * b];
          tC[t][l] = new float[BASE + hid[l] * b];
          if (t < steps) {
            tG[t][l] = new float[BASE + 4 * hid[l] * b];
            tTc[t][l] = new float[BASE + hid[l] * b];
          }
        }
      }
      int wide = WIDE;
      dx = new float[depth][];
      dcn = new float[depth][];
      xWide = new float[depth][];
      dzWide = new float[depth][];
      dWv = new float[depth][];
      int maxH = 1;
      for (int l = 0; l < depth; l++) {
        dx[l] = new float[BASE + rows[l] * b];
        dcn[l] = new float[BASE + hid[l] * b];
        // padded rows for the weight-gradient tiles stay zero; the bias "input" row is ones
        xWide[l] = new float[BASE + paddedRows(rows[l] + 1) * wide];
        Arrays.fill(xWide[l], BASE + rows[l] * wide, BASE + (rows[l] + 1) * wide, 1f);
        dzWide[l] = new float[BASE + 4 * hid[l] * wide];
        dWv[l] = new float[BASE + paddedRows(rows[l] + 1) * 4 * hid[l] * L];
        maxH = Math.max(maxH, hid[l]);
      }
      dz = new float[BASE + 4 * maxH * b];
      dh = new float[BASE + maxH * b];
      dWout = new float[BASE + (config.outputInputs() + 1) * L];
      up = new float[BASE + b];
      dout = new float[BASE + b];
    }

    /** Repacks the gate weights of every layer so that one unit's four gates are adjacent. */
    void pack(float[] w) {
      for (int l = 0; l < depth; l++) {
        packLayer(w, config.weightOffset(l), rows[l], hid[l], packed[l]);
      }
    }
  }

  /**
   * Repacks one layer's gate weights (rows of 4H starting at {@code wOff}, the bias row after the
   * {@code rows} weight rows) as [k][r][4] into {@code p} of {@code hidden·(rows + 1)·4} floats,
   * the layout {@link #gates} reads.
   */
  static void packLayer(float[] w, int wOff, int rows, int hidden, float[] p) {
    int r1 = rows + 1;
    int g4 = 4 * hidden;
    for (int k = 0; k < hidden; k++) {
      for (int r = 0; r < r1; r++) {
        int src = wOff + r * g4 + k;
        int dst = (k * r1 + r) * 4;
        p[dst] = w[src];
        p[dst + 1] = w[src + hidden];
        p[dst + 2] = w[src + 2 * hidden];
        p[dst + 3] = w[src + 3 * hidden];
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

  /**
   * Vectors computed for a block of {@code bl} coordinates: whole vectors, a multiple of {@link
   * #GROUP}. Lanes in [bl, vectors·L) get zero inputs, so their values are finite and their
   * gradients exactly zero. Lanes beyond that hold stale values; the elementwise passes run over
   * whole rows and compute on them, but no pass mixes lanes, and every sum over coordinates
   * stops at vectors·L.
   */
  static int vectors(int bl) {
    int nv = (bl + L - 1) / L;
    return (nv + GROUP - 1) / GROUP * GROUP;
  }

  /**
   * Copies {@code bl} values per unit of unit-major {@code src} into block rows (from row {@code
   * dstRow} of the block buffer {@code dst}), zero-padded.
   */
  static void load(
      float[] src, int n, int b0, int bl, int units, float[] dst, int dstRow, int block, int pad) {
    for (int k = 0; k < units; k++) {
      int d = BASE + (dstRow + k) * block;
      System.arraycopy(src, k * n + b0, dst, d, bl);
      if (pad > bl) {
        Arrays.fill(dst, d + bl, d + pad, 0f);
      }
    }
  }

  /** Copies {@code bl} values per unit from block rows of {@code src} into unit-major {@code dst}. */
  static void store(
      float[] src, int srcRow, int block, int units, float[] dst, int n, int b0, int bl) {
    for (int k = 0; k < units; k++) {
      System.arraycopy(src, BASE + (srcRow + k) * block, dst, k * n + b0, bl);
    }
  }

  // ------------------------------------------------------------------ forward

  /**
   * Gate pre-activations of one layer for a block: z[g][i] = b[g] + Σ_r x[r][i]·W[r][g], with the
   * forget bias added to the f gates. Per unit, the four gates of four coordinate vectors are
   * accumulated in sixteen registers.
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
      for (int v = 0; v < nv; v += GROUP) {
        int i0 = v * L;
        int i1 = i0 + L;
        int i2 = i1 + L;
        int i3 = i2 + L;
        FloatVector zi0 = FloatVector.broadcast(S, bi);
        FloatVector zj0 = FloatVector.broadcast(S, bj);
        FloatVector zf0 = FloatVector.broadcast(S, bf);
        FloatVector zo0 = FloatVector.broadcast(S, bo);
        FloatVector zi1 = zi0;
        FloatVector zj1 = zj0;
        FloatVector zf1 = zf0;
        FloatVector zo1 = zo0;
        FloatVector zi2 = zi0;
        FloatVector zj2 = zj0;
        FloatVector zf2 = zf0;
        FloatVector zo2 = zo0;
        FloatVector zi3 = zi0;
        FloatVector zj3 = zj0;
        FloatVector zf3 = zf0;
        FloatVector zo3 = zo0;
        for (int r = 0; r < rows; r++) {
          int xo = BASE + r * block;
          FloatVector x0 = FloatVector.fromArray(S, x, xo + i0);
          FloatVector x1 = FloatVector.fromArray(S, x, xo + i1);
          FloatVector x2 = FloatVector.fromArray(S, x, xo + i2);
          FloatVector x3 = FloatVector.fromArray(S, x, xo + i3);
          int wr = wk + r * 4;
          FloatVector w0 = FloatVector.broadcast(S, pk[wr]);
          zi0 = x0.fma(w0, zi0);
          zi1 = x1.fma(w0, zi1);
          zi2 = x2.fma(w0, zi2);
          zi3 = x3.fma(w0, zi3);
          FloatVector w1 = FloatVector.broadcast(S, pk[wr + 1]);
          zj0 = x0.fma(w1, zj0);
          zj1 = x1.fma(w1, zj1);
          zj2 = x2.fma(w1, zj2);
          zj3 = x3.fma(w1, zj3);
          FloatVector w2 = FloatVector.broadcast(S, pk[wr + 2]);
          zf0 = x0.fma(w2, zf0);
          zf1 = x1.fma(w2, zf1);
          zf2 = x2.fma(w2, zf2);
          zf3 = x3.fma(w2, zf3);
          FloatVector w3 = FloatVector.broadcast(S, pk[wr + 3]);
          zo0 = x0.fma(w3, zo0);
          zo1 = x1.fma(w3, zo1);
          zo2 = x2.fma(w3, zo2);
          zo3 = x3.fma(w3, zo3);
        }
        int a = BASE + ko + i0;
        zi0.intoArray(z, a);
        zi1.intoArray(z, a + L);
        zi2.intoArray(z, a + 2 * L);
        zi3.intoArray(z, a + 3 * L);
        a += hb;
        zj0.intoArray(z, a);
        zj1.intoArray(z, a + L);
        zj2.intoArray(z, a + 2 * L);
        zj3.intoArray(z, a + 3 * L);
        a += hb;
        zf0.intoArray(z, a);
        zf1.intoArray(z, a + L);
        zf2.intoArray(z, a + 2 * L);
        zf3.intoArray(z, a + 3 * L);
        a += hb;
        zo0.intoArray(z, a);
        zo1.intoArray(z, a + L);
        zo2.intoArray(z, a + 2 * L);
        zo3.intoArray(z, a + 3 * L);
      }
    }
  }

  /** c = f·c_prev + i·j from the activated gates, over whole rows. */
  private static void cellState(float[] z, float[] cPrev, float[] cOut, int hb) {
    for (int i = BASE; i < BASE + hb; i += L) {
      FloatVector ig = FloatVector.fromArray(S, z, i);
      FloatVector jg = FloatVector.fromArray(S, z, hb + i);
      FloatVector fg = FloatVector.fromArray(S, z, 2 * hb + i);
      fg.fma(FloatVector.fromArray(S, cPrev, i), ig.mul(jg)).intoArray(cOut, i);
    }
  }

  /** h = tanh(c)·o into the block buffer {@code h} from {@code hOff} on, over whole rows. */
  private static void hiddenState(float[] z, float[] tc, float[] h, int hOff, int hb) {
    int o = 3 * hb;
    for (int i = BASE; i < BASE + hb; i += L) {
      FloatVector.fromArray(S, tc, i)
          .mul(FloatVector.fromArray(S, z, o + i))
          .intoArray(h, hOff + i);
    }
  }

  /**
   * One layer's packed weights and shape, bound once per scratch.
   *
   * @param weights packed weights as {@link #packLayer} writes them
   * @param rows input rows: the layer's inputs plus its hidden width
   * @param hidden the layer's hidden width
   */
  record PackedLayer(float[] weights, int rows, int hidden) {}

  /**
   * Where one layer's cell reads c_prev and writes c, tanh(c) and h, for a block.
   *
   * @param cPrev previous cell state [H][block] (not modified unless it is {@code cOut})
   * @param cOut receives the cell state (modified; may be {@code cPrev})
   * @param tc receives tanh(c) (modified)
   * @param h1 receives h at {@code h1[h1Off + k*block + i]} (modified)
   * @param h1Off offset of h in {@code h1}
   * @param h2 if not null, also receives h at {@code h2[h2Off + k*block + i]} (modified)
   * @param h2Off offset of h in {@code h2}
   */
  record CellBuffers(
      float[] cPrev, float[] cOut, float[] tc, float[] h1, int h1Off, float[] h2, int h2Off) {}

  /**
   * One LSTM layer for a block: c = σ(f + 1)·c_prev + σ(i)·tanh(j), h = tanh(c)·σ(o).
   *
   * @param p the layer's packed weights and shape (not modified)
   * @param x inputs then previous hidden state, rows of {@code block} (not modified)
   * @param z receives σ(i), tanh(j), σ(f+1), σ(o) as [4H][block] (modified)
   * @param out where c_prev is read and c, tanh(c) and h are written
   */
  static void layer(PackedLayer p, int block, int nv, float[] x, float[] z, CellBuffers out) {
    int hidden = p.hidden();
    int hb = hidden * block;
    gates(p.weights(), p.rows(), hidden, block, nv, x, z);
    activate(SIGMOID, z, BASE, z, BASE, hb);
    activate(TANH, z, BASE + hb, z, BASE + hb, hb);
    activate(SIGMOID, z, BASE + 2 * hb, z, BASE + 2 * hb, 2 * hb);
    cell(hidden, block, nv, z, out);
  }

  /**
   * The part of {@link #layer} after the gates: c, tanh(c) and h from the activated gates {@code
   * z} (not modified); the other parameters as there. The backward pass of a recorded unroll
   * rebuilds c and h with it from the recorded gates.
   */
  static void cell(int hidden, int block, int nv, float[] z, CellBuffers out) {
    float[] h1 = out.h1();
    int h1Off = out.h1Off();
    float[] h2 = out.h2();
    int hb = hidden * block;
    cellState(z, out.cPrev(), out.cOut(), hb);
    activate(TANH, out.cOut(), BASE, out.tc(), BASE, hb);
    hiddenState(z, out.tc(), h1, h1Off, hb);
    if (h2 != null) {
      int h2Off = out.h2Off();
      for (int k = 0; k < hidden; k++) {
        System.arraycopy(h1, BASE + h1Off + k * block, h2, BASE + h2Off + k * block, nv * L);
      }
    }
  }

  // ------------------------------------------------------------------ preprocessing

  /**
   * The features of grad[b0, b0 + bl) (SPEC §3), vectorised, as {@link Preprocessing#apply}
   * computes them up to the last ulp of the logarithm: feature f of local coordinate i at {@code
   * out[f·block + i]}, for lanes [0, pad) (the gradient is taken as zero beyond bl).
   *
   * @param gbuf scratch of {@code block} floats (modified)
   */
  private static void features(
      Preprocessing pre, float[] grad, int b0, int bl, int pad, float[] gbuf, float[] out,
      int block) {
    System.arraycopy(grad, b0, gbuf, BASE, bl);
    if (pad > bl) {
      Arrays.fill(gbuf, BASE + bl, BASE + pad, 0f);
    }
    // subnormal gradients are taken as zero (see SUBNORMAL_BITS)
    IntVector sub = IntVector.broadcast(I, SUBNORMAL_BITS);
    for (int i = BASE; i < BASE + pad; i += L) {
      IntVector gb = FloatVector.fromArray(S, gbuf, i).reinterpretAsInts();
      gb.and(sub.sub(gb.and(0x7fffffff)).lanewise(VectorOperators.ASHR, 31)).reinterpretAsFloats()
          .intoArray(gbuf, i);
    }
    if (pre instanceof Preprocessing.LogSign ls) {
      logSign(gbuf, pad, out, block, (float) Math.exp(-ls.p()), (float) (1 / ls.p()),
          (float) Math.exp(ls.p()));
    } else if (pre instanceof Preprocessing.ClampedLogSign cs) {
      clampedLogSign(gbuf, pad, out, block, (float) (1 / cs.k()), (float) Math.exp(cs.k()));
    } else if (pre instanceof Preprocessing.None) {
      System.arraycopy(gbuf, BASE, out, BASE, pad);
    } else {
      pre.apply(gbuf, BASE, BASE + pad, out, BASE, block);
    }
  }

  /**
   * (ln|g|/p, sign g) where |g| ≥ e^−p, else (−1, e^p·g); NaN takes the second branch. Three
   * passes: |g| and the second feature, the logarithm in place ({@link #logPass}), the first
   * feature.
   */
  private static void logSign(
      float[] g, int pad, float[] out, int block, float threshold, float invP, float expP) {
    for (int i = BASE; i < BASE + pad; i += L) {
      FloatVector gv = FloatVector.fromArray(S, g, i);
      IntVector gb = gv.reinterpretAsInts();
      FloatVector a = gb.and(0x7fffffff).reinterpretAsFloats();
      a.intoArray(out, i);
      VectorMask<Float> small = a.compare(VectorOperators.GE, threshold).not();
      gb.and(0x80000000).or(ONE_BITS).reinterpretAsFloats() // ±1
          .blend(gv.mul(expP), small)
          .intoArray(out, block + i);
    }
    logPass(out, BASE, out, BASE, pad);
    for (int i = BASE; i < BASE + pad; i += L) {
      FloatVector a = FloatVector.fromArray(S, g, i).abs();
      VectorMask<Float> small = a.compare(VectorOperators.GE, threshold).not();
      FloatVector.fromArray(S, out, i).mul(invP).blend(-1f, small).intoArray(out, i);
    }
  }

  /**
   * (max(ln(|g| + ε)/k, −1), clamp(g·e^k, −1, 1)) with ε the float epsilon; passes as in {@link
   * #logSign}.
   */
  private static void clampedLogSign(
      float[] g, int pad, float[] out, int block, float invK, float expK) {
    for (int i = BASE; i < BASE + pad; i += L) {
      FloatVector gv = FloatVector.fromArray(S, g, i);
      gv.abs().add(Preprocessing.ClampedLogSign.EPS).intoArray(out, i);
      FloatVector f1 = gv.mul(expK);
      f1 = f1.blend(1f, f1.compare(VectorOperators.GT, 1f));
      f1.blend(-1f, f1.compare(VectorOperators.LT, -1f)).intoArray(out, block + i);
    }
    logPass(out, BASE, out, BASE, pad);
    for (int i = BASE; i < BASE + pad; i += L) {
      FloatVector f0 = FloatVector.fromArray(S, out, i).mul(invK);
      f0.blend(-1f, f0.compare(VectorOperators.LT, -1f)).intoArray(out, i);
    }
  }

  /** u = scale·(b_out + Σ_k w_out[k]·top[k]) for the block's vectors, into {@code out}. */
  private static void output(
      float[] w, int owOff, int inputs, float ob, float scale, float[] top, int block, int nv,
      float[] out) {
    for (int v = 0; v < nv; v++) {
      int i = BASE + v * L;
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
    forward(config, w, state, grad, from, to, updateOut, ws, null, 0);
  }

  @Override
  public long recordBytesPerCoordinateStep(LstmConfig config, int firstLayer) {
    long floats = 0;
    for (int l = Math.max(0, firstLayer); l < config.depth(); l++) {
      floats += 4L * config.hidden(l);
    }
    return Float.BYTES * floats;
  }

  @Override
  public void recordStep(
      LstmConfig config, float[] w, LstmState state, float[] grad, int from, int to,
      float[] updateOut, Workspace ws, Recording rec, int t) {
    GateTape g = GateTape.of(rec, config, block, from, to);
    if (g == null) {
      step(config, w, state, grad, from, to, updateOut, ws);
      return;
    }
    g.grow(t);
    forward(config, w, state, grad, from, to, updateOut, ws, g.gates[t], g.first);
    g.recorded = t + 1;
  }

  /**
   * The gate activations (σ(i), tanh(j), σ(f + 1), σ(o) as [4H][block]) of the recorded layers
   * of one range and unroll: {@code gates[t][l − first][k]} for step t, layer l and the range's
   * block k; all the backward pass cannot rebuild cheaply (c, tanh(c) and h follow from them and
   * the unroll's initial state with elementwise passes).
   */
  private static final class GateTape {
    final LstmConfig config;
    final int block;
    final int from;
    final int to;
    final int first;
    float[][][][] gates = new float[0][][][];
    /** Steps 0..recorded−1 of the current unroll are recorded. */
    int recorded;

    private GateTape(LstmConfig config, int block, int from, int to, int first) {
      this.config = config;
      this.block = block;
      this.from = from;
      this.to = to;
      this.first = first;
    }

    /** The recording's tape, made on first use; null if it records no layer. */
    static GateTape of(Recording rec, LstmConfig config, int block, int from, int to) {
      if (rec == null || rec.firstLayer >= config.depth()) {
        return null;
      }
      if (rec.data instanceof GateTape g && g.block == block && g.from == from && g.to == to
          && g.first == rec.firstLayer && g.config.equals(config)) {
        return g;
      }
      GateTape g = new GateTape(config, block, from, to, Math.max(0, rec.firstLayer));
      rec.data = g;
      return g;
    }

    /** Makes room for step t; step 0 starts a new unroll. */
    void grow(int t) {
      if (t == 0) {
        recorded = 0;
      }
      if (t != recorded) {
        throw new IllegalStateException("recorded step " + t + " after " + recorded + " steps");
      }
      if (t < gates.length) {
        return;
      }
      int blocks = (to - from + block - 1) / block;
      int depth = config.depth();
      float[][][][] grown = Arrays.copyOf(gates, t + 1);
      for (int u = gates.length; u <= t; u++) {
        grown[u] = new float[depth - first][blocks][];
        for (int l = first; l < depth; l++) {
          for (int k = 0; k < blocks; k++) {
            grown[u][l - first][k] = new float[BASE + 4 * config.hidden(l) * block];
          }
        }
      }
      gates = grown;
    }
  }

  /**
   * One step for [from, to); with {@code tapeGates} (not null), the gate activations of layers
   * from {@code first} on go to {@code tapeGates[l − first][block index]} instead of scratch.
   */
  private void forward(
      LstmConfig config, float[] w, LstmState state, float[] grad, int from, int to,
      float[] updateOut, Workspace ws, float[][][] tapeGates, int first) {
    Scratch s = scratch(config, ws);
    s.pack(w);
    int n = state.n;
    int b = block;
    int depth = s.depth;
    float scale = (float) config.scale();
    int owOff = config.outputWeightOffset();
    float ob = w[config.outputBiasOffset()];
    for (int b0 = from; b0 < to; b0 += b) {
      int bl = Math.min(b, to - b0);
      int nv = vectors(bl);
      int pad = nv * L;
      features(config.preprocessing(), grad, b0, bl, pad, s.gbuf, depth == 0 ? s.feat : s.xin[0],
          b);
      for (int l = 0; l < depth; l++) {
        int h = s.hid[l];
        load(state.h[l], n, b0, bl, h, s.xin[l], s.din[l], b, pad);
        load(state.c[l], n, b0, bl, h, s.cell[l], 0, b, pad);
        float[] hOut = l == depth - 1 ? s.top : s.xin[l + 1];
        layer(s.layers[l], b, nv, s.xin[l], s.z,
            new CellBuffers(s.cell[l], s.cell[l], s.tc, hOut, 0, null, 0));
        if (tapeGates != null && l >= first) {
          System.arraycopy(s.z, BASE, tapeGates[l - first][(b0 - from) / b], BASE, 4 * h * b);
        }
        store(s.cell[l], 0, b, h, state.c[l], n, b0, bl);
        store(hOut, 0, b, h, state.h[l], n, b0, bl);
      }
      output(w, owOff, config.outputInputs(), ob, scale, depth == 0 ? s.feat : s.top, b, nv,
          s.out);
      System.arraycopy(s.out, BASE, updateOut, b0, bl);
    }
  }

  // ------------------------------------------------------------------ backward

  @Override
  public void unrollBackward(
      LstmConfig config, float[] w, LstmState state0, float[][] grads, float[][] lossGrads,
      int steps, int from, int to, double[] dW, Workspace ws) {
    backward(config, w, state0, grads, lossGrads, steps, from, to, dW, ws, null);
  }

  @Override
  public void unrollBackward(
      LstmConfig config, float[] w, LstmState state0, float[][] grads, float[][] lossGrads,
      int steps, int from, int to, double[] dW, Workspace ws, Recording rec) {
    GateTape g = rec != null && rec.data instanceof GateTape gt ? gt : null;
    boolean usable = g != null && g.block == block && g.from == from && g.to == to
        && g.config.equals(config) && g.recorded == steps;
    backward(config, w, state0, grads, lossGrads, steps, from, to, dW, ws, usable ? g : null);
  }

  /**
   * The meta-gradient of one unroll for [from, to): the block's forward pass is recomputed, except
   * that the layers recorded in {@code tape} (if not null) take their gates from it and only
   * rebuild c, tanh(c) and h; then backward through time.
   */
  private void backward(
      LstmConfig config, float[] w, LstmState state0, float[][] grads, float[][] lossGrads,
      int steps, int from, int to, double[] dW, Workspace ws, GateTape tape) {
    Scratch s = scratch(config, ws);
    s.ensureTape(steps);
    s.pack(w);
    int n = state0.n;
    int b = block;
    int perFlush = WIDE / b; // steps per weight-gradient pass
    int depth = s.depth;
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
        features(config.preprocessing(), grads[t], b0, bl, pad, s.gbuf,
            depth == 0 ? s.tFeat[t] : s.tX[t][0], b);
        for (int l = 0; l < depth; l++) {
          float[] h2 = l + 1 < depth ? s.tX[t][l + 1] : null;
          if (tape != null && l >= tape.first) {
            float[] z = tape.gates[t][l - tape.first][(b0 - from) / b];
            s.gRef[t][l] = z;
            cell(s.hid[l], b, nv, z, new CellBuffers(s.tC[t][l], s.tC[t + 1][l], s.tTc[t][l],
                s.tX[t + 1][l], s.din[l] * b, h2, 0));
          } else {
            s.gRef[t][l] = s.tG[t][l];
            layer(s.layers[l], b, nv, s.tX[t][l], s.tG[t][l], new CellBuffers(s.tC[t][l],
                s.tC[t + 1][l], s.tTc[t][l], s.tX[t + 1][l], s.din[l] * b, h2, 0));
          }
        }
      }
      // ---- backward through time
      for (int l = 0; l < depth; l++) {
        Arrays.fill(s.dx[l], 0f);
        Arrays.fill(s.dcn[l], 0f);
      }
      Arrays.fill(s.up, 0f);
      int slot = 0; // steps collected in xWide/dzWide
      for (int t = steps - 1; t >= 0; t--) {
        upstream(lossGrads[t + 1], b0, bl, pad, scale, s.up, s.dout);
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
        boolean flushWide = slot + 1 == perFlush || t == 0;
        for (int l = depth - 1; l >= 0; l--) {
          int h = s.hid[l];
          int rows = s.rows[l];
          int dinL = s.din[l];
          int hb = h * b;
          if (l == depth - 1) {
            dhTop(s.dout, w, owOff, s.dx[l], dinL * b, h, b, s.dh);
          } else {
            dhSum(s.dx[l + 1], s.dx[l], dinL * b, hb, s.dh);
          }
          dz(s.dh, s.gRef[t][l], s.tTc[t][l], s.tC[t][l], s.dcn[l], s.dz, hb);
          inputGrad(w, config.weightOffset(l), l == 0 ? dinL : 0, rows, h, b, nv, s.dz, s.dx[l]);
          // weight and bias gradients, WIDE / b steps at a time
          toWide(s.tX[t][l], rows, b, pad, s.xWide[l], slot * b);
          toWide(s.dz, 4 * h, b, pad, s.dzWide[l], slot * b);
          if (flushWide) {
            weightGrad(s.xWide[l], rows + 1, h, (slot + 1) * (b / L), s.dzWide[l], s.dWv[l]);
          }
        }
        slot = flushWide ? 0 : slot + 1;
      }
      // ---- per-block float sums into the double accumulator, lanes in a fixed order
      for (int l = 0; l < depth; l++) {
        flush(s.dWv[l], (s.rows[l] + 1) * 4 * s.hid[l], dW, config.weightOffset(l));
      }
      flush(s.dWout, top + 1, dW, owOff);
    }
  }

  /**
   * up += ∂L/∂θ_{t+1} over the block (zero beyond bl); dout = scale·up. Subnormal gradients and
   * results are taken as zero (see {@link #SUBNORMAL_BITS}).
   */
  private static void upstream(
      float[] g, int b0, int bl, int pad, float scale, float[] up, float[] dout) {
    int full = bl / L * L;
    IntVector sub = IntVector.broadcast(I, SUBNORMAL_BITS);
    for (int i = 0; i < full; i += L) {
      IntVector gb = FloatVector.fromArray(S, g, b0 + i).reinterpretAsInts();
      // all ones where |g| is a normal number, ∞ or NaN; zero where g is zero or subnormal
      gb = gb.and(sub.sub(gb.and(0x7fffffff)).lanewise(VectorOperators.ASHR, 31));
      FloatVector u = FloatVector.fromArray(S, up, BASE + i).add(gb.reinterpretAsFloats());
      u.intoArray(up, BASE + i);
      IntVector db = u.mul(scale).reinterpretAsInts();
      db.and(sub.sub(db.and(0x7fffffff)).lanewise(VectorOperators.ASHR, 31)).reinterpretAsFloats()
          .intoArray(dout, BASE + i);
    }
    for (int i = full; i < pad; i++) {
      if (i < bl) {
        up[BASE + i] += GacLstmEngine.normalOrZero(g[b0 + i]);
      }
      dout[BASE + i] = GacLstmEngine.normalOrZero(scale * up[BASE + i]);
    }
  }

  /**
   * Copies {@code rowsCount} rows of {@code src} (the first {@code pad} lanes, zeros after, to
   * {@code block}) into the rows of {@code wideBuf} (stride {@link #WIDE}), starting at {@code
   * at}.
   */
  static void toWide(float[] src, int rowsCount, int block, int pad, float[] wideBuf, int at) {
    for (int r = 0; r < rowsCount; r++) {
      int d = BASE + at + r * WIDE;
      System.arraycopy(src, BASE + r * block, wideBuf, d, pad);
      if (pad < block) {
        Arrays.fill(wideBuf, d + pad, d + block, 0f);
      }
    }
  }

  /** dW_out[k] += dout·top[k] and db_out += dout, per lane. */
  private static void outputGrad(
      float[] dout, float[] x, int xOff, int inputs, int block, int nv, float[] acc) {
    for (int k = 0; k < inputs; k++) {
      FloatVector a = FloatVector.fromArray(S, acc, BASE + k * L);
      int xo = BASE + xOff + k * block;
      for (int v = 0; v < nv; v++) {
        a = FloatVector.fromArray(S, dout, BASE + v * L)
            .fma(FloatVector.fromArray(S, x, xo + v * L), a);
      }
      a.intoArray(acc, BASE + k * L);
    }
    int at = BASE + inputs * L;
    FloatVector a = FloatVector.fromArray(S, acc, at);
    for (int v = 0; v < nv; v++) {
      a = a.add(FloatVector.fromArray(S, dout, BASE + v * L));
    }
    a.intoArray(acc, at);
  }

  /** dh = dout·w_out[k] + dhNext for the top layer's units. */
  private static void dhTop(
      float[] dout, float[] w, int owOff, float[] dx, int dhnOff, int hidden, int block,
      float[] dh) {
    for (int k = 0; k < hidden; k++) {
      FloatVector wk = FloatVector.broadcast(S, w[owOff + k]);
      int ko = BASE + k * block;
      for (int i = 0; i < block; i += L) {
        FloatVector.fromArray(S, dout, BASE + i)
            .fma(wk, FloatVector.fromArray(S, dx, dhnOff + ko + i))
            .intoArray(dh, ko + i);
      }
    }
  }

  /** dh = dhUp + dhNext for a layer below the top, over whole rows. */
  private static void dhSum(float[] dhUp, float[] dx, int dhnOff, int hb, float[] dh) {
    for (int i = BASE; i < BASE + hb; i += L) {
      FloatVector.fromArray(S, dhUp, i)
          .add(FloatVector.fromArray(S, dx, dhnOff + i))
          .intoArray(dh, i);
    }
  }

  /**
   * dz of one layer and step from dh = ∂L/∂h_t, over whole rows.
   *
   * @param dcn cell-state gradient from the next step (modified: becomes ∂L/∂c_{t−1})
   * @param dz receives dz [4H][block] (modified)
   */
  static void dz(
      float[] dh, float[] gates, float[] tc, float[] cPrev, float[] dcn, float[] dz, int hb) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int i = BASE; i < BASE + hb; i += L) {
      FloatVector dhv = FloatVector.fromArray(S, dh, i);
      FloatVector ig = FloatVector.fromArray(S, gates, i);
      FloatVector jg = FloatVector.fromArray(S, gates, hb + i);
      FloatVector fg = FloatVector.fromArray(S, gates, 2 * hb + i);
      FloatVector og = FloatVector.fromArray(S, gates, 3 * hb + i);
      FloatVector tcv = FloatVector.fromArray(S, tc, i);
      FloatVector dc = dhv.mul(og).fma(one.sub(tcv.mul(tcv)), FloatVector.fromArray(S, dcn, i));
      dc.mul(jg).mul(ig.mul(one.sub(ig))).intoArray(dz, i);
      dc.mul(ig).mul(one.sub(jg.mul(jg))).intoArray(dz, hb + i);
      dc.mul(FloatVector.fromArray(S, cPrev, i)).mul(fg.mul(one.sub(fg))).intoArray(dz, 2 * hb + i);
      dhv.mul(tcv).mul(og.mul(one.sub(og))).intoArray(dz, 3 * hb + i);
      dc.mul(fg).intoArray(dcn, i);
    }
  }

  /** Rows of x per tile of {@link #weightGrad}. */
  static final int TILE_ROWS = 6;

  /** {@code rows} rounded up to a multiple of {@link #TILE_ROWS}. */
  static int paddedRows(int rows) {
    return (rows + TILE_ROWS - 1) / TILE_ROWS * TILE_ROWS;
  }

  /**
   * Per-lane weight gradients acc[(r·4H + g)·L + lane] += Σ_v x[r][v·L + lane]·dz[g][v·L + lane],
   * in tiles of {@value #TILE_ROWS} rows × 4 gates (twenty-four accumulators; ten loads per
   * twenty-four multiply-adds, four of them from the dz rows that stream through the cache). The
   * rows are processed up to {@link #paddedRows}{@code (rows)}: x's rows beyond {@code rows} must
   * be zero, so that their accumulators only receive zeros. Every accumulator adds its terms in v
   * order.
   *
   * @param x {@code paddedRows(rows)} rows of length ≥ nv·L at stride {@link #WIDE} (not
   *     modified)
   * @param dz 4H rows at the same stride (not modified)
   * @param acc per-lane accumulators [paddedRows(rows)][4H][L] (modified)
   */
  static void weightGrad(float[] x, int rows, int hidden, int nv, float[] dz, float[] acc) {
    int g4 = 4 * hidden;
    int padded = paddedRows(rows);
    for (int r = 0; r < padded; r += TILE_ROWS) {
      int xo = BASE + r * WIDE;
      for (int g = 0; g < g4; g += 4) {
        int d0 = BASE + g * WIDE;
        int a = BASE + (r * g4 + g) * L;
        int rs = g4 * L; // accumulator row stride
        FloatVector c00 = FloatVector.fromArray(S, acc, a);
        FloatVector c01 = FloatVector.fromArray(S, acc, a + L);
        FloatVector c02 = FloatVector.fromArray(S, acc, a + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, acc, a + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, acc, a + rs);
        FloatVector c11 = FloatVector.fromArray(S, acc, a + rs + L);
        FloatVector c12 = FloatVector.fromArray(S, acc, a + rs + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, acc, a + rs + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, acc, a + 2 * rs);
        FloatVector c21 = FloatVector.fromArray(S, acc, a + 2 * rs + L);
        FloatVector c22 = FloatVector.fromArray(S, acc, a + 2 * rs + 2 * L);
        FloatVector c23 = FloatVector.fromArray(S, acc, a + 2 * rs + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, acc, a + 3 * rs);
        FloatVector c31 = FloatVector.fromArray(S, acc, a + 3 * rs + L);
        FloatVector c32 = FloatVector.fromArray(S, acc, a + 3 * rs + 2 * L);
        FloatVector c33 = FloatVector.fromArray(S, acc, a + 3 * rs + 3 * L);
        FloatVector c40 = FloatVector.fromArray(S, acc, a + 4 * rs);
        FloatVector c41 = FloatVector.fromArray(S, acc, a + 4 * rs + L);
        FloatVector c42 = FloatVector.fromArray(S, acc, a + 4 * rs + 2 * L);
        FloatVector c43 = FloatVector.fromArray(S, acc, a + 4 * rs + 3 * L);
        FloatVector c50 = FloatVector.fromArray(S, acc, a + 5 * rs);
        FloatVector c51 = FloatVector.fromArray(S, acc, a + 5 * rs + L);
        FloatVector c52 = FloatVector.fromArray(S, acc, a + 5 * rs + 2 * L);
        FloatVector c53 = FloatVector.fromArray(S, acc, a + 5 * rs + 3 * L);
        for (int i = 0; i < nv * L; i += L) {
          FloatVector d0v = FloatVector.fromArray(S, dz, d0 + i);
          FloatVector d1v = FloatVector.fromArray(S, dz, d0 + WIDE + i);
          FloatVector d2v = FloatVector.fromArray(S, dz, d0 + 2 * WIDE + i);
          FloatVector d3v = FloatVector.fromArray(S, dz, d0 + 3 * WIDE + i);
          FloatVector x0 = FloatVector.fromArray(S, x, xo + i);
          c00 = x0.fma(d0v, c00);
          c01 = x0.fma(d1v, c01);
          c02 = x0.fma(d2v, c02);
          c03 = x0.fma(d3v, c03);
          FloatVector x1 = FloatVector.fromArray(S, x, xo + WIDE + i);
          c10 = x1.fma(d0v, c10);
          c11 = x1.fma(d1v, c11);
          c12 = x1.fma(d2v, c12);
          c13 = x1.fma(d3v, c13);
          FloatVector x2 = FloatVector.fromArray(S, x, xo + 2 * WIDE + i);
          c20 = x2.fma(d0v, c20);
          c21 = x2.fma(d1v, c21);
          c22 = x2.fma(d2v, c22);
          c23 = x2.fma(d3v, c23);
          FloatVector x3 = FloatVector.fromArray(S, x, xo + 3 * WIDE + i);
          c30 = x3.fma(d0v, c30);
          c31 = x3.fma(d1v, c31);
          c32 = x3.fma(d2v, c32);
          c33 = x3.fma(d3v, c33);
          FloatVector x4 = FloatVector.fromArray(S, x, xo + 4 * WIDE + i);
          c40 = x4.fma(d0v, c40);
          c41 = x4.fma(d1v, c41);
          c42 = x4.fma(d2v, c42);
          c43 = x4.fma(d3v, c43);
          FloatVector x5 = FloatVector.fromArray(S, x, xo + 5 * WIDE + i);
          c50 = x5.fma(d0v, c50);
          c51 = x5.fma(d1v, c51);
          c52 = x5.fma(d2v, c52);
          c53 = x5.fma(d3v, c53);
        }
        c00.intoArray(acc, a);
        c01.intoArray(acc, a + L);
        c02.intoArray(acc, a + 2 * L);
        c03.intoArray(acc, a + 3 * L);
        c10.intoArray(acc, a + rs);
        c11.intoArray(acc, a + rs + L);
        c12.intoArray(acc, a + rs + 2 * L);
        c13.intoArray(acc, a + rs + 3 * L);
        c20.intoArray(acc, a + 2 * rs);
        c21.intoArray(acc, a + 2 * rs + L);
        c22.intoArray(acc, a + 2 * rs + 2 * L);
        c23.intoArray(acc, a + 2 * rs + 3 * L);
        c30.intoArray(acc, a + 3 * rs);
        c31.intoArray(acc, a + 3 * rs + L);
        c32.intoArray(acc, a + 3 * rs + 2 * L);
        c33.intoArray(acc, a + 3 * rs + 3 * L);
        c40.intoArray(acc, a + 4 * rs);
        c41.intoArray(acc, a + 4 * rs + L);
        c42.intoArray(acc, a + 4 * rs + 2 * L);
        c43.intoArray(acc, a + 4 * rs + 3 * L);
        c50.intoArray(acc, a + 5 * rs);
        c51.intoArray(acc, a + 5 * rs + L);
        c52.intoArray(acc, a + 5 * rs + 2 * L);
        c53.intoArray(acc, a + 5 * rs + 3 * L);
      }
    }
  }


  /**
   * dx[r][i] = Σ_g W[r][g]·dz[g][i] for rows r in [r0, rows), in tiles of 4 rows × 4 vectors.
   * Rows below din are the gradient into the layer below; the others into h_prev.
   */
  static void inputGrad(
      float[] w, int wOff, int r0, int rows, int hidden, int block, int nv, float[] dz,
      float[] dx) {
    int g4 = 4 * hidden;
    int r = r0;
    for (; r + 4 <= rows; r += 4) {
      int w0 = wOff + r * g4;
      int w1 = w0 + g4;
      int w2 = w1 + g4;
      int w3 = w2 + g4;
      for (int v = 0; v < nv; v += GROUP) {
        int i0 = v * L;
        int i1 = i0 + L;
        int i2 = i1 + L;
        int i3 = i2 + L;
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        for (int g = 0; g < g4; g++) {
          int d = BASE + g * block;
          FloatVector d0 = FloatVector.fromArray(S, dz, d + i0);
          FloatVector d1 = FloatVector.fromArray(S, dz, d + i1);
          FloatVector d2 = FloatVector.fromArray(S, dz, d + i2);
          FloatVector d3 = FloatVector.fromArray(S, dz, d + i3);
          FloatVector wv = FloatVector.broadcast(S, w[w0 + g]);
          a00 = d0.fma(wv, a00);
          a01 = d1.fma(wv, a01);
          a02 = d2.fma(wv, a02);
          a03 = d3.fma(wv, a03);
          wv = FloatVector.broadcast(S, w[w1 + g]);
          a10 = d0.fma(wv, a10);
          a11 = d1.fma(wv, a11);
          a12 = d2.fma(wv, a12);
          a13 = d3.fma(wv, a13);
          wv = FloatVector.broadcast(S, w[w2 + g]);
          a20 = d0.fma(wv, a20);
          a21 = d1.fma(wv, a21);
          a22 = d2.fma(wv, a22);
          a23 = d3.fma(wv, a23);
          wv = FloatVector.broadcast(S, w[w3 + g]);
          a30 = d0.fma(wv, a30);
          a31 = d1.fma(wv, a31);
          a32 = d2.fma(wv, a32);
          a33 = d3.fma(wv, a33);
        }
        int o = BASE + r * block + i0;
        a00.intoArray(dx, o);
        a01.intoArray(dx, o + L);
        a02.intoArray(dx, o + 2 * L);
        a03.intoArray(dx, o + 3 * L);
        o += block;
        a10.intoArray(dx, o);
        a11.intoArray(dx, o + L);
        a12.intoArray(dx, o + 2 * L);
        a13.intoArray(dx, o + 3 * L);
        o += block;
        a20.intoArray(dx, o);
        a21.intoArray(dx, o + L);
        a22.intoArray(dx, o + 2 * L);
        a23.intoArray(dx, o + 3 * L);
        o += block;
        a30.intoArray(dx, o);
        a31.intoArray(dx, o + L);
        a32.intoArray(dx, o + 2 * L);
        a33.intoArray(dx, o + 3 * L);
      }
    }
    for (; r < rows; r++) {
      int w0 = wOff + r * g4;
      for (int v = 0; v < nv; v += GROUP) {
        int i0 = v * L;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int g = 0; g < g4; g++) {
          int d = BASE + g * block + i0;
          FloatVector wv = FloatVector.broadcast(S, w[w0 + g]);
          a0 = FloatVector.fromArray(S, dz, d).fma(wv, a0);
          a1 = FloatVector.fromArray(S, dz, d + L).fma(wv, a1);
          a2 = FloatVector.fromArray(S, dz, d + 2 * L).fma(wv, a2);
          a3 = FloatVector.fromArray(S, dz, d + 3 * L).fma(wv, a3);
        }
        int o = BASE + r * block + i0;
        a0.intoArray(dx, o);
        a1.intoArray(dx, o + L);
        a2.intoArray(dx, o + 2 * L);
        a3.intoArray(dx, o + 3 * L);
      }
    }
  }

  /**
   * dW[off + j] += Σ_lanes acc[j·L + lane] (double, lanes in order) for j in [0, m) of the block
   * buffer {@code acc} (entries past m are padding); zeroes the whole buffer.
   */
  static void flush(float[] acc, int m, double[] dW, int off) {
    for (int j = 0; j < m; j++) {
      double sum = 0;
      int a = BASE + j * L;
      for (int lane = 0; lane < L; lane++) {
        sum += acc[a + lane];
      }
      dW[off + j] += sum;
    }
    Arrays.fill(acc, BASE, acc.length, 0f);
  }
}
