package org.l2l4j.problem;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.problem.data.Dataset;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * Multilayer perceptron classifiers on an image data set (SPEC §5 "mnist" and its variants): the
 * optimizee is the network's mean softmax cross-entropy on a minibatch.
 *
 * <p>Spec: {@code mlp(data=mnist,hidden=20,activation=sigmoid,batch=128,split=train)}, every key
 * optional with these defaults, plus an optional {@code dir=PATH} (a folder that must hold the
 * data; otherwise {@link DataSets} searches its usual places). {@code data} is {@code mnist} or
 * {@code fashion-mnist}; {@code hidden} gives the hidden widths, e.g. {@code 40} or {@code 20x20};
 * {@code activation} is {@code sigmoid}, {@code relu} or {@code tanh}; {@code split} is {@code
 * train} (meta-training) or {@code test} (evaluation). The alias {@code mnist(...)} means {@code
 * mlp(data=mnist,...)}. The base net 784-20-10 has 15,910 parameters, 784-40-10 31,810 and
 * 784-20-20-10 16,330.
 *
 * <p>The data set is loaded on the first {@link #sample} (not on parsing) and shared by all sampled
 * problems; sampling draws nothing, since the MLP's randomness is its initialisation ({@link
 * Problem#init}) and its minibatches.
 */
public final class MlpFamily implements ProblemFamily {
  /** The hidden-layer nonlinearity. */
  public enum Activation {
    /** σ(z) = 1 / (1 + e^−z), the paper's choice. */
    SIGMOID,
    /** max(0, z). */
    RELU,
    /** tanh(z). */
    TANH;

    /** The lower-case name used in spec strings. */
    public String specName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The default data set. */
  public static final String DEFAULT_DATA = DataSets.MNIST;

  /** The default minibatch size (paper and official code). */
  public static final int DEFAULT_BATCH = 128;

  /** The default hidden widths: one layer of 20 (paper). */
  public static final String DEFAULT_HIDDEN = "20";

  /** The standard deviation of the N(0, σ²) initialisation of every weight and bias. */
  public static final float INIT_STD = 0.01f;

  /** The largest hidden width accepted. */
  public static final int MAX_WIDTH = 4096;

  /** The most hidden layers accepted. */
  public static final int MAX_LAYERS = 8;

  /** The largest minibatch accepted. */
  public static final int MAX_BATCH = 1 << 16;

  private static final Set<String> KEYS = Set.of("data", "hidden", "activation", "batch", "split",
      "dir");

  private final String data;
  private final Path dir;
  private final int[] hidden;
  private final Activation activation;
  private final int batch;
  private final Split split;
  private volatile Dataset loaded;

  /**
   * A family with explicit settings.
   *
   * @param data {@code mnist} or {@code fashion-mnist}
   * @param dir a folder that must hold the data, or null to let {@link DataSets} search
   * @param hidden the hidden widths, at least one (not modified)
   * @param activation the hidden nonlinearity
   * @param batch the minibatch size, ≥ 1
   * @param split the part of the data to draw minibatches from
   * @throws SpecException if a setting is out of range
   */
  public MlpFamily(
      String data, Path dir, int[] hidden, Activation activation, int batch, Split split) {
    if (!DataSets.names().contains(data)) {
      throw new SpecException(
          "mlp: unknown data '" + data + "'; known: " + String.join(", ", DataSets.names()));
    }
    if (hidden.length < 1 || hidden.length > MAX_LAYERS) {
      throw new SpecException("mlp: 1 to " + MAX_LAYERS + " hidden layers, got " + hidden.length);
    }
    for (int h : hidden) {
      if (h < 1 || h > MAX_WIDTH) {
        throw new SpecException("mlp: hidden widths must be in [1, " + MAX_WIDTH + "], got " + h);
      }
    }
    if (batch < 1 || batch > MAX_BATCH) {
      throw new SpecException("mlp: batch must be in [1, " + MAX_BATCH + "], got " + batch);
    }
    if (dir != null && dir.toString().matches(".*[,()=].*")) {
      throw new SpecException(
          "mlp: the data folder '" + dir + "' contains one of , ( ) = and cannot be written in a"
              + " spec; move or link it");
    }
    this.data = data;
    this.dir = dir;
    this.hidden = hidden.clone();
    this.activation = Objects.requireNonNull(activation);
    this.batch = batch;
    this.split = Objects.requireNonNull(split);
  }

  /** Parses {@code mlp(data=..,hidden=..,activation=..,batch=..,split=..,dir=..)}. */
  public static MlpFamily of(Spec spec) {
    spec.requireOnly(KEYS);
    return fromSpec(spec, spec.get("data", DEFAULT_DATA));
  }

  /** Parses the alias {@code mnist(hidden=..,activation=..,batch=..,split=..,dir=..)}. */
  public static MlpFamily ofMnist(Spec spec) {
    spec.requireOnly(Set.of("hidden", "activation", "batch", "split", "dir"));
    return fromSpec(spec, DataSets.MNIST);
  }

  private static MlpFamily fromSpec(Spec spec, String data) {
    if (!DataSets.names().contains(data)) {
      throw new SpecException(
          "unknown data '" + data + "' in '" + spec + "'; known: "
              + String.join(", ", DataSets.names()));
    }
    int[] hidden = parseHidden(spec);
    String act = spec.get("activation", Activation.SIGMOID.specName());
    Activation activation = null;
    for (Activation a : Activation.values()) {
      if (a.specName().equals(act)) {
        activation = a;
      }
    }
    if (activation == null) {
      throw new SpecException(
          "unknown activation '" + act + "' in '" + spec + "'; known: sigmoid, relu, tanh");
    }
    int batch = spec.getInt("batch", DEFAULT_BATCH, 1, MAX_BATCH);
    String s = spec.get("split", Split.TRAIN.specName());
    Split split;
    try {
      split = Split.parse(s);
    } catch (IllegalArgumentException e) {
      throw new SpecException("unknown split '" + s + "' in '" + spec + "'; known: train, test");
    }
    String d = spec.get("dir", null);
    return new MlpFamily(data, d == null ? null : Path.of(d), hidden, activation, batch, split);
  }

  private static int[] parseHidden(Spec spec) {
    String text = spec.get("hidden", DEFAULT_HIDDEN);
    String[] parts = text.split("x", -1);
    int[] widths = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        widths[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        widths[i] = -1;
      }
      if (widths[i] < 1 || widths[i] > MAX_WIDTH || parts.length > MAX_LAYERS) {
        throw new SpecException(
            "'hidden=" + text + "' in '" + spec + "' must be 1 to " + MAX_LAYERS
                + " widths in [1, " + MAX_WIDTH + "] joined by x, e.g. 20 or 20x20");
      }
    }
    return widths;
  }

  /**
   * The number of parameters of a net {@code inputs → hidden[0] → … → classes}: Σ (in+1)·out over
   * its layers.
   *
   * @param hidden the hidden widths (not modified)
   */
  public static int parameterCount(int inputs, int[] hidden, int classes) {
    long n = 0;
    int in = inputs;
    for (int h : hidden) {
      n += (long) (in + 1) * h;
      in = h;
    }
    n += (long) (in + 1) * classes;
    return Math.toIntExact(n);
  }

  @Override
  public org.l2l4j.problem.data.DataSource dataSource() {
    return org.l2l4j.problem.data.DataSets.source(data(), dir());
  }

  @Override
  public String spec() {
    StringBuilder sb = new StringBuilder("mlp(data=").append(data).append(",hidden=");
    for (int i = 0; i < hidden.length; i++) {
      sb.append(i > 0 ? "x" : "").append(hidden[i]);
    }
    sb.append(",activation=").append(activation.specName());
    sb.append(",batch=").append(batch);
    sb.append(",split=").append(split.specName());
    if (dir != null) {
      sb.append(",dir=").append(dir);
    }
    return sb.append(')').toString();
  }

  @Override
  public int dimension() {
    return parameterCount(DataSets.pixels(data), hidden, DataSets.classes(data));
  }

  /** The minibatch in three layouts, the first layer's weight gradient and the activations. */
  @Override
  public long sampleBytes() {
    long in = DataSets.pixels(data);
    long widths = in + DataSets.classes(data);
    for (int h : hidden) {
      widths += h;
    }
    long first = hidden.length > 0 ? hidden[0] : DataSets.classes(data);
    return 4L * (4L * batch * in + first * in + 2L * batch * widths);
  }

  /**
   * A fresh problem over the family's data set, which is loaded on the first call.
   *
   * @param rng not used: the problem's randomness is its init and its minibatches
   * @throws org.l2l4j.problem.data.DataException if the data cannot be found or read
   */
  @Override
  public Problem sample(RandomGenerator rng) {
    return new Mlp(dataset(), hidden, activation, batch);
  }

  /** The data set the family's problems draw minibatches from, loaded on first use. */
  public Dataset dataset() {
    Dataset d = loaded;
    if (d == null) {
      d = DataSets.load(data, dir, split);
      loaded = d;
    }
    return d;
  }

  /** The data set name. */
  public String data() {
    return data;
  }

  /** The folder that must hold the data, or null when {@link DataSets} searches. */
  public Path dir() {
    return dir;
  }

  /** The hidden widths (a copy). */
  public int[] hidden() {
    return hidden.clone();
  }

  /** The hidden nonlinearity. */
  public Activation activation() {
    return activation;
  }

  /** The minibatch size. */
  public int batch() {
    return batch;
  }

  /** The part of the data set minibatches come from. */
  public Split split() {
    return split;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MlpFamily f
        && data.equals(f.data)
        && Objects.equals(dir, f.dir)
        && Arrays.equals(hidden, f.hidden)
        && activation == f.activation
        && batch == f.batch
        && split == f.split;
  }

  @Override
  public int hashCode() {
    return Objects.hash(data, dir, Arrays.hashCode(hidden), activation, batch, split);
  }

  @Override
  public String toString() {
    return spec();
  }

  /**
   * One MLP classifier on a data set: f(θ) is the mean softmax cross-entropy over a minibatch of
   * {@code batch} images drawn with replacement, a fresh minibatch per call: row b is image {@code
   * batchRng.nextInt(count)}, drawn for b = 0, 1, … in order.
   *
   * <p>θ is laid out layer by layer: W₁ (inputs × h₁, row-major, so W₁[i][j] is at i·h₁ + j), b₁
   * (h₁), W₂ (h₁ × h₂), b₂, …, W_out (h_last × classes), b_out. Hidden layers compute a = act(a_prev
   * W + b); the output layer is linear (the logits). {@link #init} draws every weight and bias from
   * N(0, {@value #INIT_STD}²) (the official code).
   *
   * <p>Internally activations are feature-major (one row of {@code batch} values per unit), so
   * the hot inner loops run over the minibatch or over the pixels and the JIT vectorises them; the
   * first layer skips pixels that are zero in the whole minibatch. Buffers are allocated once per
   * instance, so an instance must be used by one thread at a time; sample one per thread.
   */
  public static final class Mlp implements Problem {
    private final Dataset data;
    private final int[] widths;
    private final Activation activation;
    private final int batch;
    private final int layers;
    private final int[] wOff;
    private final int[] bOff;
    private final int dim;
    private final int[] labels;
    private final int[] nzStart;
    private final int[] nzIndex;
    private final float[] nzValue;
    /** Inputs, one row per pixel: xt[i][b]; zero outside the current minibatch's non-zeros. */
    private final float[][] xt;
    /** Inputs, one row per image: xb[b][i]; zero outside the current minibatch's non-zeros. */
    private final float[][] xb;
    /** Pixels non-zero in at least one image of the minibatch, and their marks. */
    private final int[] active;
    private final boolean[] isActive;
    /** The number of entries of {@link #active} in use. */
    private int activeCount;
    /** The number of minibatch rows scattered into xt and xb. */
    private int drawn;
    /** ∂f/∂W₁ transposed: gradW1t[j][i]. */
    private final float[][] gradW1t;
    /** act[l][j][b]: pre-activation, then activation, of unit j of layer l for row b. */
    private final float[][][] act;
    /** delta[l][j][b]: ∂f/∂(pre-activation). */
    private final float[][][] delta;

    /**
     * A classifier {@code data.pixels() → hidden… → data.classes()}.
     *
     * @param data the images and labels (shared, not modified)
     * @param hidden the hidden widths (not modified)
     * @param activation the hidden nonlinearity
     * @param batch the minibatch size
     */
    public Mlp(Dataset data, int[] hidden, Activation activation, int batch) {
      if (batch < 1 || hidden.length < 1) {
        throw new IllegalArgumentException(
            "mlp: batch and the number of hidden layers must be >= 1");
      }
      this.data = Objects.requireNonNull(data);
      this.activation = Objects.requireNonNull(activation);
      this.batch = batch;
      this.layers = hidden.length + 1;
      this.widths = new int[layers + 1];
      widths[0] = data.pixels();
      System.arraycopy(hidden, 0, widths, 1, hidden.length);
      widths[layers] = data.classes();
      this.wOff = new int[layers + 1];
      this.bOff = new int[layers + 1];
      int off = 0;
      for (int l = 1; l <= layers; l++) {
        wOff[l] = off;
        off += widths[l - 1] * widths[l];
        bOff[l] = off;
        off += widths[l];
      }
      this.dim = off;
      int in = widths[0];
      this.labels = new int[batch];
      this.nzStart = new int[batch + 1];
      this.nzIndex = new int[batch * in];
      this.nzValue = new float[batch * in];
      this.xt = new float[in][batch];
      this.xb = new float[batch][in];
      this.active = new int[in];
      this.isActive = new boolean[in];
      this.gradW1t = new float[widths[1]][in];
      this.act = new float[layers + 1][][];
      this.delta = new float[layers + 1][][];
      for (int l = 1; l <= layers; l++) {
        act[l] = new float[widths[l]][batch];
        delta[l] = new float[widths[l]][batch];
      }
    }

    @Override
    public int dimension() {
      return dim;
    }

    /** The layer widths: inputs, hidden widths, classes (a copy). */
    public int[] widths() {
      return widths.clone();
    }

    @Override
    public void init(RandomGenerator rng, float[] thetaOut) {
      for (int i = 0; i < dim; i++) {
        thetaOut[i] = (float) (rng.nextGaussian() * INIT_STD);
      }
    }

    @Override
    public float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng) {
      try {
        drawBatch(batchRng);
        forwardFirst(theta);
        for (int l = 2; l <= layers; l++) {
          activate(act[l - 1], activation);
          forwardDense(theta, l);
        }
        float loss = softmaxCrossEntropy(act[layers], delta[layers]);
        for (int l = layers; l >= 2; l--) {
          gradientDense(l, gradOut);
          backToPrevious(theta, l);
        }
        gradientFirst(gradOut);
        return loss;
      } finally {
        clearBatch();
      }
    }

    /**
     * Draws the rows, records labels and non-zeros, scatters them into xt and xb; {@link #drawn}
     * and {@link #activeCount} always describe what was scattered, even after an exception.
     */
    private void drawBatch(RandomGenerator rng) {
      int n = data.count();
      nzStart[0] = 0;
      for (int b = 0; b < batch; b++) {
        int row = rng.nextInt(n);
        labels[b] = data.label(row);
        int nz = nzStart[b];
        int end = nz + data.nonZeros(row, nzIndex, nzValue, nz);
        float[] xr = xb[b];
        for (int k = nz; k < end; k++) {
          int i = nzIndex[k];
          float v = nzValue[k];
          xt[i][b] = v;
          xr[i] = v;
          if (!isActive[i]) {
            isActive[i] = true;
            active[activeCount++] = i;
          }
        }
        nzStart[b + 1] = end;
        drawn = b + 1;
      }
    }

    /** Restores xt, xb and the marks to all zero. */
    private void clearBatch() {
      for (int b = 0; b < drawn; b++) {
        float[] xr = xb[b];
        for (int k = nzStart[b], end = nzStart[b + 1]; k < end; k++) {
          xt[nzIndex[k]][b] = 0f;
          xr[nzIndex[k]] = 0f;
        }
      }
      for (int a = 0; a < activeCount; a++) {
        isActive[active[a]] = false;
      }
      drawn = 0;
      activeCount = 0;
    }

    /** act[1] = W₁ᵀ x + b₁ (pre-activation), over the active pixels. */
    private void forwardFirst(float[] theta) {
      int h = widths[1];
      float[][] z = act[1];
      for (int j = 0; j < h; j++) {
        Arrays.fill(z[j], theta[bOff[1] + j]);
      }
      int a = 0;
      for (; a + 3 < activeCount; a += 4) {
        int i0 = active[a];
        int i1 = active[a + 1];
        int i2 = active[a + 2];
        int i3 = active[a + 3];
        axpy4Rows(theta, wOff[1] + i0 * h, wOff[1] + i1 * h, wOff[1] + i2 * h, wOff[1] + i3 * h,
            z, xt[i0], xt[i1], xt[i2], xt[i3]);
      }
      for (; a < activeCount; a++) {
        int i = active[a];
        axpyRows(theta, wOff[1] + i * h, z, xt[i]);
      }
    }

    /**
     * out[j][b] += w[r0 + j]·x0[b] + … + w[r3 + j]·x3[b] for every row j of out: four rank-1
     * updates per pass over out.
     */
    private static void axpy4Rows(float[] w, int r0, int r1, int r2, int r3, float[][] out,
        float[] x0, float[] x1, float[] x2, float[] x3) {
      for (int j = 0; j < out.length; j++) {
        float w0 = w[r0 + j];
        float w1 = w[r1 + j];
        float w2 = w[r2 + j];
        float w3 = w[r3 + j];
        float[] o = out[j];
        for (int b = 0; b < o.length; b++) {
          o[b] += w0 * x0[b] + w1 * x1[b] + w2 * x2[b] + w3 * x3[b];
        }
      }
    }

    /** act[l] = W_lᵀ act[l-1] + b_l (pre-activation). */
    private void forwardDense(float[] theta, int l) {
      int wp = widths[l - 1];
      int wc = widths[l];
      float[][] a = act[l - 1];
      float[][] z = act[l];
      for (int j = 0; j < wc; j++) {
        Arrays.fill(z[j], theta[bOff[l] + j]);
      }
      for (int k = 0; k < wp; k++) {
        axpyRows(theta, wOff[l] + k * wc, z, a[k]);
      }
    }

    /** out[j][b] += w[wo + j]·x[b] for every row j of out. */
    private static void axpyRows(float[] w, int wo, float[][] out, float[] x) {
      for (int j = 0; j < out.length; j++) {
        float wj = w[wo + j];
        float[] o = out[j];
        for (int b = 0; b < o.length; b++) {
          o[b] += wj * x[b];
        }
      }
    }

    /** Writes (softmax − one-hot) / batch into {@code d}; returns the mean loss. */
    private float softmaxCrossEntropy(float[][] z, float[][] d) {
      int c = widths[layers];
      double total = 0;
      double inv = 1.0 / batch;
      for (int b = 0; b < batch; b++) {
        float max = z[0][b];
        for (int j = 1; j < c; j++) {
          max = Math.max(max, z[j][b]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
          double e = Math.exp(z[j][b] - max);
          d[j][b] = (float) e;
          sum += e;
        }
        total += Math.log(sum) + max - z[labels[b]][b];
        double scale = inv / sum;
        for (int j = 0; j < c; j++) {
          d[j][b] = (float) (d[j][b] * scale);
        }
        d[labels[b]][b] -= (float) inv;
      }
      return (float) (total * inv);
    }

    /** ∂f/∂W_l[k][j] = Σ_b act[l-1][k][b]·δ_l[j][b] and ∂f/∂b_l[j] = Σ_b δ_l[j][b]. */
    private void gradientDense(int l, float[] g) {
      int wp = widths[l - 1];
      int wc = widths[l];
      float[][] a = act[l - 1];
      float[][] d = delta[l];
      for (int j = 0; j < wc; j++) {
        g[bOff[l] + j] = sum(d[j]);
      }
      for (int k = 0; k < wp; k++) {
        for (int j = 0; j < wc; j++) {
          g[wOff[l] + k * wc + j] = dot(a[k], d[j]);
        }
      }
    }

    /** δ_{l-1} = (W_l δ_l) ⊙ act'(act[l-1]). */
    private void backToPrevious(float[] theta, int l) {
      int wp = widths[l - 1];
      int wc = widths[l];
      float[][] a = act[l - 1];
      float[][] d = delta[l];
      float[][] dp = delta[l - 1];
      for (int k = 0; k < wp; k++) {
        float[] p = dp[k];
        Arrays.fill(p, 0f);
        int r = wOff[l] + k * wc;
        for (int j = 0; j < wc; j++) {
          float wkj = theta[r + j];
          float[] dj = d[j];
          for (int b = 0; b < p.length; b++) {
            p[b] += wkj * dj[b];
          }
        }
        float[] ak = a[k];
        switch (activation) {
          case SIGMOID -> {
            for (int b = 0; b < p.length; b++) {
              p[b] *= ak[b] * (1f - ak[b]);
            }
          }
          case TANH -> {
            for (int b = 0; b < p.length; b++) {
              p[b] *= 1f - ak[b] * ak[b];
            }
          }
          case RELU -> {
            for (int b = 0; b < p.length; b++) {
              p[b] = ak[b] > 0f ? p[b] : 0f;
            }
          }
        }
      }
    }

    /**
     * ∂f/∂W₁[i][j] = Σ_b x[b][i]·δ₁[j][b], accumulated transposed (inner loop over the pixels of
     * one image, between its first and last non-zero), then written in θ's layout; and ∂f/∂b₁.
     */
    private void gradientFirst(float[] g) {
      int in = widths[0];
      int h = widths[1];
      float[][] d = delta[1];
      for (float[] row : gradW1t) {
        Arrays.fill(row, 0f);
      }
      int b = 0;
      for (; b + 3 < batch; b += 4) {
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        for (int q = b; q < b + 4; q++) {
          if (nzStart[q] < nzStart[q + 1]) {
            lo = Math.min(lo, nzIndex[nzStart[q]]);
            hi = Math.max(hi, nzIndex[nzStart[q + 1] - 1] + 1);
          }
        }
        float[] x0 = xb[b];
        float[] x1 = xb[b + 1];
        float[] x2 = xb[b + 2];
        float[] x3 = xb[b + 3];
        for (int j = 0; j < h; j++) {
          float[] dj = d[j];
          float d0 = dj[b];
          float d1 = dj[b + 1];
          float d2 = dj[b + 2];
          float d3 = dj[b + 3];
          float[] gr = gradW1t[j];
          for (int i = lo; i < hi; i++) {
            gr[i] += d0 * x0[i] + d1 * x1[i] + d2 * x2[i] + d3 * x3[i];
          }
        }
      }
      for (; b < batch; b++) {
        if (nzStart[b] == nzStart[b + 1]) {
          continue;
        }
        int lo = nzIndex[nzStart[b]];
        int hi = nzIndex[nzStart[b + 1] - 1] + 1;
        float[] xr = xb[b];
        for (int j = 0; j < h; j++) {
          float dj = d[j][b];
          float[] gr = gradW1t[j];
          for (int i = lo; i < hi; i++) {
            gr[i] += dj * xr[i];
          }
        }
      }
      int w = wOff[1];
      for (int j = 0; j < h; j++) {
        float[] gr = gradW1t[j];
        for (int i = 0; i < in; i++) {
          g[w + i * h + j] = gr[i];
        }
        g[bOff[1] + j] = sum(d[j]);
      }
    }

    private static float sum(float[] v) {
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      int n = v.length;
      int i = 0;
      for (; i + 3 < n; i += 4) {
        s0 += v[i];
        s1 += v[i + 1];
        s2 += v[i + 2];
        s3 += v[i + 3];
      }
      for (; i < n; i++) {
        s0 += v[i];
      }
      return (s0 + s1) + (s2 + s3);
    }

    private static float dot(float[] u, float[] v) {
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      int n = u.length;
      int i = 0;
      for (; i + 3 < n; i += 4) {
        s0 += u[i] * v[i];
        s1 += u[i + 1] * v[i + 1];
        s2 += u[i + 2] * v[i + 2];
        s3 += u[i + 3] * v[i + 3];
      }
      for (; i < n; i++) {
        s0 += u[i] * v[i];
      }
      return (s0 + s1) + (s2 + s3);
    }

    private static void activate(float[][] z, Activation activation) {
      for (float[] row : z) {
        switch (activation) {
          case SIGMOID -> {
            for (int i = 0; i < row.length; i++) {
              row[i] = (float) (1.0 / (1.0 + Math.exp(-row[i])));
            }
          }
          case TANH -> {
            for (int i = 0; i < row.length; i++) {
              double x = Math.max(-20.0, Math.min(20.0, 2.0 * row[i]));
              double e = Math.expm1(x);
              row[i] = (float) (e / (e + 2.0));
            }
          }
          case RELU -> {
            for (int i = 0; i < row.length; i++) {
              row[i] = Math.max(row[i], 0f);
            }
          }
        }
      }
    }
  }
}
