package org.l2l4j.problem;

import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * Random quadratics f(θ) = (1/B) Σ_b ‖W_b θ_b − y_b‖² over B independent functions, each with its
 * own d-dimensional block θ_b of the parameter vector (dimension B·d).
 *
 * <p>Presets (SPEC §5):
 *
 * <ul>
 *   <li>{@code paper} (default): W and y IID N(0, 1), d = 10, B = 1.
 *   <li>{@code deepmind} (the official code): W, y ~ U[0, 1), d = 10, a batch of B = 128
 *       functions with the loss averaged.
 * </ul>
 *
 * Both draw θ₀ ~ N(0, 0.01²) (the official code's initialisation; the paper does not state one).
 * Spec: {@code quadratic(preset=paper,dim=10,batch=1)}.
 *
 * <p>{@code scale=S} (default 1, between {@value #MIN_SCALE} and {@value #MAX_SCALE}) multiplies
 * f and ∇f by S, S·(1/B) Σ_b ‖W_b θ_b − y_b‖², the same minimiser with gradients S times as large:
 * {@code quadratic(dim=10,scale=0.01)} tests whether an optimizer copes with small gradients.
 */
public final class QuadraticFamily implements ProblemFamily {
  /** How W and y are drawn. */
  public enum Distribution {
    /** IID standard normal. */
    NORMAL,
    /** IID uniform on [0, 1). */
    UNIFORM
  }

  /** The most matrix entries (batch·dim²) a family may have: 2^26, 256 MB of floats. */
  public static final long MAX_MATRIX_ENTRIES = 1L << 26;

  /** The smallest {@code scale=} accepted (its float is still a normal number). */
  public static final double MIN_SCALE = 1e-30;

  /** The largest {@code scale=} accepted. */
  public static final double MAX_SCALE = 1e30;

  private final String preset;
  private final Distribution distribution;
  private final int dim;
  private final int batch;
  private final float initStd;
  private final double scale;

  /** A family with explicit settings and scale 1. */
  public QuadraticFamily(String preset, Distribution distribution, int dim, int batch, float initStd) {
    this(preset, distribution, dim, batch, initStd, 1);
  }

  /**
   * A family with explicit settings whose loss and gradient are multiplied by {@code scale}.
   *
   * @throws SpecException if dim or batch is below 1, the matrices are too large, or scale is not
   *     in [{@value #MIN_SCALE}, {@value #MAX_SCALE}]
   */
  public QuadraticFamily(String preset, Distribution distribution, int dim, int batch, float initStd,
      double scale) {
    if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) {
      throw new SpecException("quadratic: scale must be in [" + Spec.fmt(MIN_SCALE) + ", "
          + Spec.fmt(MAX_SCALE) + "], got " + Spec.fmt(scale));
    }
    if (dim < 1 || batch < 1) {
      throw new SpecException("quadratic: dim and batch must be >= 1");
    }
    if ((long) batch * dim * dim > MAX_MATRIX_ENTRIES) {
      throw new SpecException("quadratic: batch·dim² = " + (long) batch * dim * dim
          + " matrix entries is more than the limit of " + MAX_MATRIX_ENTRIES);
    }
    this.preset = preset;
    this.distribution = distribution;
    this.dim = dim;
    this.batch = batch;
    this.initStd = initStd;
    this.scale = scale;
  }

  /** Parses {@code quadratic(preset=paper|deepmind,dim=10,batch=B,scale=1)}. */
  public static QuadraticFamily of(Spec spec) {
    spec.requireOnly(Set.of("preset", "dim", "batch", "scale"));
    String preset = spec.get("preset", "paper");
    Distribution dist;
    int defaultBatch;
    switch (preset) {
      case "paper" -> {
        dist = Distribution.NORMAL;
        defaultBatch = 1;
      }
      case "deepmind" -> {
        dist = Distribution.UNIFORM;
        defaultBatch = 128;
      }
      default -> throw new SpecException(
          "unknown quadratic preset '" + Text.excerpt(preset) + "' in '" + Text.excerpt(spec)
              + "'; known: paper, deepmind");
    }
    int dim = spec.getInt("dim", 10, 1, 1 << 12);
    int batch = spec.getInt("batch", defaultBatch, 1, 1 << 24);
    double scale = spec.getPositive("scale", 1);
    if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) {
      throw new SpecException("'scale' in '" + Text.excerpt(spec) + "' must be in ["
          + Spec.fmt(MIN_SCALE) + ", " + Spec.fmt(MAX_SCALE) + "], got " + Spec.fmt(scale));
    }
    return new QuadraticFamily(preset, dist, dim, batch, 0.01f, scale);
  }

  /** The factor S on f and ∇f (1 unless {@code scale=} says otherwise). */
  public double scale() {
    return scale;
  }

  @Override
  public String spec() {
    StringBuilder sb = new StringBuilder("quadratic(preset=").append(preset);
    if (dim != 10) {
      sb.append(",dim=").append(dim);
    }
    if (batch != ("deepmind".equals(preset) ? 128 : 1)) {
      sb.append(",batch=").append(batch);
    }
    if (scale != 1) {
      sb.append(",scale=").append(Spec.fmt(scale));
    }
    return sb.append(')').toString();
  }

  @Override
  public int dimension() {
    return dim * batch;
  }

  /** W (batch·dim² floats), y and the residual. */
  @Override
  public long sampleBytes() {
    return 4L * ((long) batch * dim * dim + 2L * batch * dim);
  }

  @Override
  public Problem sample(RandomGenerator rng) {
    float[] w = new float[batch * dim * dim];
    float[] y = new float[batch * dim];
    for (int i = 0; i < w.length; i++) {
      w[i] = draw(rng);
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = draw(rng);
    }
    return new Quadratic(w, y, dim, batch, initStd, scale);
  }

  private float draw(RandomGenerator rng) {
    return distribution == Distribution.NORMAL
        ? (float) rng.nextGaussian()
        : (float) rng.nextDouble();
  }

  /** One sampled quadratic; W is stored row-major per function. */
  public static final class Quadratic implements Problem {
    private final float[] w;
    private final float[] y;
    private final int dim;
    private final int batch;
    private final float initStd;
    private final double scale;
    private final float[] residual;

    /**
     * A quadratic with scale 1.
     *
     * @param w B row-major d×d matrices (not copied, not modified)
     * @param y B vectors of length d (not copied, not modified)
     */
    public Quadratic(float[] w, float[] y, int dim, int batch, float initStd) {
      this(w, y, dim, batch, initStd, 1);
    }

    /**
     * A quadratic whose loss and gradient are multiplied by {@code scale}: the loss is the double
     * sum times scale, rounded once to float; each gradient coordinate is the scale-1 float
     * gradient times {@code (float) scale}, so a power-of-two scale gives exactly scaled bits.
     *
     * @param w B row-major d×d matrices (not copied, not modified)
     * @param y B vectors of length d (not copied, not modified)
     */
    public Quadratic(float[] w, float[] y, int dim, int batch, float initStd, double scale) {
      this.w = w;
      this.y = y;
      this.dim = dim;
      this.batch = batch;
      this.initStd = initStd;
      this.scale = scale;
      this.residual = new float[dim];
    }

    @Override
    public int dimension() {
      return dim * batch;
    }

    @Override
    public void init(RandomGenerator rng, float[] thetaOut) {
      for (int i = 0; i < dim * batch; i++) {
        thetaOut[i] = (float) (rng.nextGaussian() * initStd);
      }
    }

    /** W of function b, entry (row, col). */
    public float w(int b, int row, int col) {
      return w[(b * dim + row) * dim + col];
    }

    /** y of function b, entry row. */
    public float y(int b, int row) {
      return y[b * dim + row];
    }

    @Override
    public float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng) {
      double total = 0;
      float twoOverB = 2f / batch;
      float s = (float) scale;
      for (int b = 0; b < batch; b++) {
        int tOff = b * dim;
        int wOff = b * dim * dim;
        double sum = 0;
        for (int r = 0; r < dim; r++) {
          float acc = -y[tOff + r];
          int row = wOff + r * dim;
          for (int c = 0; c < dim; c++) {
            acc += w[row + c] * theta[tOff + c];
          }
          residual[r] = acc;
          sum += (double) acc * acc;
        }
        total += sum;
        for (int c = 0; c < dim; c++) {
          float g = 0;
          for (int r = 0; r < dim; r++) {
            g += w[wOff + r * dim + c] * residual[r];
          }
          gradOut[tOff + c] = twoOverB * g * s;
        }
      }
      return (float) (total / batch * scale);
    }
  }
}
