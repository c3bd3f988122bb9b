package org.l2l4j.djl.art;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2l4j.djl.DjlEngine;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * Neural art problems (paper §3.4) as the spec {@code
 * art(style=gravel.png,contents=train,size=64,alpha=A,beta=B,gamma=G,dir=PATH)}: problem i is a
 * content crop drawn from the set {@code contents} ({@link ArtData.Contents}) and the style image
 * {@code style} (the centred largest square shrunk to S × S), θ the S × S RGB image ({@link
 * ArtProblem}), f = α·content + β·style + γ·tv on the features of {@link
 * RandomFeatureNet#DEFAULT} ({@link ArtLoss}). {@link #dimension()} = 3·S·S; one group {@code
 * all}.
 *
 * <p>{@link #sample} draws a file of the set (uniform), then a random square crop of it ({@link
 * ArtImages#randomCrop}). The family holds one {@link ArtLoss} (created on first use; {@link
 * #close()} frees it, a later use makes a new one) shared by its problems.
 */
public final class ArtFamily implements ProblemFamily, AutoCloseable {
  /** The spec name. */
  public static final String NAME = "art";
  /** The default content weight. */
  public static final double ALPHA = 1;
  /** The default style weight. */
  public static final double BETA = 20000;
  /** The default total-variation weight. */
  public static final double GAMMA = 1;

  static {
    DjlEngine.configure();
  }

  private static final Set<String> KEYS =
      Set.of("style", "contents", "size", "alpha", "beta", "gamma", "dir");

  /** The settings of a family. */
  public record Settings(String style, ArtData.Contents contents, int size, double alpha,
      double beta, double gamma, Path dir) {
    /** Checks. */
    public Settings {
      ArtImages.checkSize("size", size);
      for (double w : new double[] {alpha, beta, gamma}) {
        if (!(w >= 0) || !Double.isFinite(w)) {
          throw new SpecException("art: the weights alpha, beta, gamma must be finite and >= 0");
        }
      }
      if (style.isEmpty() || style.matches(".*[,()=;/].*")) {
        throw new SpecException("art: style '" + style + "' must be a file name without , ( ) = ;"
            + " /; known: " + String.join(", ", ArtData.styles()));
      }
      if (dir != null && dir.toString().matches(".*[,()=;].*")) {
        throw new SpecException("art: the image folder '" + dir + "' contains one of , ( ) = ;"
            + " and cannot be written in a spec; move or link it");
      }
    }

    /** The defaults: the training style and weights, contents {@code train}, 64 × 64. */
    public static Settings defaults() {
      return new Settings(ArtData.TRAIN_STYLE, ArtData.Contents.TRAIN, 64, ALPHA, BETA, GAMMA,
          null);
    }

    /** The same with another style. */
    public Settings withStyle(String s) {
      return new Settings(s, contents, size, alpha, beta, gamma, dir);
    }

    /** The same with another content set. */
    public Settings withContents(ArtData.Contents c) {
      return new Settings(style, c, size, alpha, beta, gamma, dir);
    }

    /** The same with another size. */
    public Settings withSize(int s) {
      return new Settings(style, contents, s, alpha, beta, gamma, dir);
    }

    /**
     * The same with the weights α, β, γ multiplied by {@code c}: the same problems, f and its
     * gradient scaled by c (random loss scaling in meta-training).
     */
    public Settings withLossScale(double c) {
      return new Settings(style, contents, size, alpha * c, beta * c, gamma * c, dir);
    }

    /** The same with another image folder. */
    public Settings withDir(Path d) {
      return new Settings(style, contents, size, alpha, beta, gamma, d);
    }

    /** The spec string; every key but {@code dir} always written. */
    public String spec() {
      return String.format(Locale.ROOT, "%s(style=%s,contents=%s,size=%d,alpha=%s,beta=%s,"
          + "gamma=%s%s)", NAME, style, contents.specName(), size, num(alpha), num(beta),
          num(gamma), dir == null ? "" : ",dir=" + dir);
    }

    private static String num(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
          : Double.toString(v);
    }
  }

  private final Settings settings;
  private final FeatureNet net;
  private final String spec;
  private ArtLoss loss;
  private volatile float[][] styleTargets;
  private volatile List<ArtImages.Image> images;

  /** The family of {@code s} on the default feature net. */
  public static ArtFamily create(Settings s) {
    return new ArtFamily(s, RandomFeatureNet.DEFAULT);
  }

  /**
   * A family on another feature net (e.g. VGG-19); its spec names the net after a {@code #}, so
   * it does not parse back: for the API, not for checkpoints.
   */
  public ArtFamily(Settings settings, FeatureNet net) {
    this.settings = settings;
    this.net = net;
    this.spec = net == RandomFeatureNet.DEFAULT ? settings.spec()
        : settings.spec() + "#" + net.spec();
  }

  /** Parses {@code art(...)}. */
  public static Settings parse(Spec spec) {
    spec.requireOnly(KEYS);
    Settings d = Settings.defaults();
    String dir = spec.get("dir", null);
    int size = spec.getInt("size", d.size(), ArtImages.MIN_SIZE, ArtImages.MAX_SIZE);
    ArtData.Contents c;
    try {
      c = ArtData.Contents.of(spec.get("contents", d.contents().specName()));
      ArtImages.checkSize("size", size);
    } catch (ArtException e) {
      throw new SpecException("art: " + e.getMessage());
    }
    return new Settings(spec.get("style", d.style()), c, size,
        spec.getDouble("alpha", d.alpha()), spec.getDouble("beta", d.beta()),
        spec.getDouble("gamma", d.gamma()), dir == null ? null : Path.of(dir));
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /** The feature net. */
  public FeatureNet net() {
    return net;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public int dimension() {
    return 3 * settings.size() * settings.size();
  }

  @Override
  public long sampleBytes() {
    return 4L * dimension() * (1 + 8);
  }

  /** The style image at the working size (planar RGB). */
  public float[] styleImage() {
    return ArtImages.center(ArtData.style(settings.dir(), settings.style()), settings.size());
  }

  /**
   * Reads the style and content files now (each refused with one line naming it), so bad input
   * fails before any work.
   */
  public void check() {
    styleImage();
    contentImages();
  }

  private List<ArtImages.Image> contentImages() {
    List<ArtImages.Image> l = images;
    if (l == null) {
      l = ArtData.contents(settings.dir(), settings.contents());
      for (ArtImages.Image i : l) {
        ArtImages.center(i, settings.size()); // refuses a tiny image
      }
      images = l;
    }
    return l;
  }

  /** A content crop of the set and the style. */
  @Override
  public Problem sample(RandomGenerator rng) {
    List<ArtImages.Image> l = contentImages();
    ArtImages.Image img = l.get(rng.nextInt(l.size()));
    float[] c = ArtImages.randomCrop(img, settings.size(), rng);
    return new ArtProblem(this, c, img.name());
  }

  /** The loss, made on first use. */
  ArtLoss loss() {
    synchronized (DjlEngine.LOCK) {
      if (loss == null) {
        loss = new ArtLoss(net, DataType.FLOAT32, settings.alpha(), settings.beta(),
            settings.gamma());
      }
      return loss;
    }
  }

  float[][] styleTargets() {
    float[][] t = styleTargets;
    if (t == null) {
      t = loss().styleTargets(styleImage(), settings.size());
      styleTargets = t;
    }
    return t;
  }

  @Override
  public void close() {
    synchronized (DjlEngine.LOCK) {
      if (loss != null) {
        loss.close();
        loss = null;
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArtFamily f && f.spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }

  @Override
  public String toString() {
    return spec;
  }
}
