package org.l2l4j.djl.art;

import java.util.random.RandomGenerator;
import org.l2l4j.problem.Problem;

/**
 * One art problem of an {@link ArtFamily}: θ = the pixels of an S × S RGB image, planar and
 * channel-major ({@code θ[c·S·S + y·S + x]}, c = R, G, B; values nominally in [0, 1], never
 * clipped), f = the family's {@link ArtLoss} against this problem's content crop and the family's
 * style. θ₀ = 0.5 + N(0, 0.1²) per pixel (seeded noise around grey). Deterministic: the batch
 * generator is not used.
 */
public final class ArtProblem implements Problem {
  /** The standard deviation of θ₀'s noise. */
  public static final float INIT_NOISE = 0.1f;

  private final ArtFamily family;
  private final float[] content;
  private final String source;
  private volatile float[][] contentTargets;

  ArtProblem(ArtFamily family, float[] content, String source) {
    this.family = family;
    this.content = content;
    this.source = source;
  }

  /** The content image (a copy), planar RGB. */
  public float[] content() {
    return content.clone();
  }

  /** Where the content crop comes from (file name, square, side). */
  public String source() {
    return source;
  }

  @Override
  public int dimension() {
    return content.length;
  }

  @Override
  public void init(RandomGenerator rng, float[] thetaOut) {
    for (int i = 0; i < content.length; i++) {
      thetaOut[i] = (float) (0.5 + INIT_NOISE * rng.nextGaussian());
    }
  }

  @Override
  public float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng) {
    return (float) terms(theta, gradOut).value();
  }

  /** The terms at θ, and the gradient into {@code gradOut} unless null. */
  public ArtLoss.Terms terms(float[] theta, float[] gradOut) {
    ArtLoss loss = family.loss();
    return loss.evaluate(theta, gradOut, family.settings().size(), contentTargets(loss),
        family.styleTargets());
  }

  private float[][] contentTargets(ArtLoss loss) {
    float[][] t = contentTargets;
    if (t == null) {
      t = loss.contentTargets(content, family.settings().size());
      contentTargets = t;
    }
    return t;
  }
}
