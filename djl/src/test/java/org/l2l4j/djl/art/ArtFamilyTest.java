package org.l2l4j.djl.art;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

/**
 * The art family on images the test writes: spec round trip, problems, determinism, the
 * feature-net interface with a second net of another shape, and bad input.
 */
public class ArtFamilyTest {
  @TempDir Path dir;

  /** Every file of {@link ArtData#FILES} as a random 40 × 40 RGB (or gray) PNG in {@code d}. */
  public static Path images(Path d) throws Exception {
    long seed = 1;
    for (ArtData.File f : ArtData.FILES) {
      ArtImagesTest.png(d.resolve(f.name()), 40 + (int) seed, 40,
          seed % 2 == 0 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR, seed);
      seed++;
    }
    return d;
  }

  @Test
  void specRoundTripsAndProblemsAreDeterministic() throws Exception {
    images(dir);
    String spec = "art(style=grass.png,contents=tune,size=16,alpha=1,beta=20000,gamma=0.5,dir="
        + dir + ")";
    ProblemFamily f = Problems.parse(spec);
    assertThat(f.spec()).isEqualTo(spec);
    assertThat(f.dimension()).isEqualTo(3 * 16 * 16);
    assertThat(Problems.parse(f.spec())).isEqualTo(f);
    float[] v = new float[2];
    for (int k = 0; k < 2; k++) {
      Problem p = f.sample(new SplittableRandom(9));
      float[] theta = new float[p.dimension()];
      p.init(new SplittableRandom(10), theta);
      float[] g = new float[theta.length];
      v[k] = p.valueAndGradient(theta, g, null);
      assertThat(v[k]).isPositive().isFinite();
    }
    assertThat(v[1]).isEqualTo(v[0]);
    ((ArtFamily) f).close();
    assertThatThrownBy(() -> Problems.parse("art(size=20,dir=" + dir + ")"))
        .hasMessageContaining("unsupported size 20");
    assertThatThrownBy(() -> Problems.parse("art(contents=all)"))
        .hasMessageContaining("unknown set 'all'");
  }

  @Test
  void aLossScaleScalesTheValueAndTheGradient() throws Exception {
    images(dir);
    ArtFamily.Settings base = ArtFamily.Settings.defaults().withSize(16).withDir(dir);
    float[][] v = new float[2][];
    float[] f = new float[2];
    for (int k = 0; k < 2; k++) {
      try (ArtFamily fam = ArtFamily.create(k == 0 ? base : base.withLossScale(0.25))) {
        Problem p = fam.sample(new SplittableRandom(4));
        float[] theta = new float[p.dimension()];
        p.init(new SplittableRandom(5), theta);
        v[k] = new float[theta.length];
        f[k] = p.valueAndGradient(theta, v[k], null);
      }
    }
    assertThat(base.withLossScale(0.25).spec()).contains("alpha=0.25,beta=5000,gamma=0.25");
    assertThat((double) f[1]).isCloseTo(0.25 * f[0], org.assertj.core.data.Percentage.withPercentage(1e-4));
    double maxRel = 0;
    double norm = 0;
    for (int i = 0; i < v[0].length; i++) {
      norm = Math.max(norm, Math.abs(v[0][i]));
    }
    for (int i = 0; i < v[0].length; i++) {
      maxRel = Math.max(maxRel, Math.abs(v[1][i] - 0.25 * v[0][i]) / norm);
    }
    assertThat(norm).isPositive();
    assertThat(maxRel).isLessThan(1e-5);
  }

  @Test
  void gradientStepsLowerTheLoss() throws Exception {
    images(dir);
    try (ArtFamily f = ArtFamily.create(ArtFamily.Settings.defaults().withSize(16)
        .withDir(dir))) {
      Problem p = f.sample(new SplittableRandom(1));
      float[] theta = new float[p.dimension()];
      p.init(new SplittableRandom(2), theta);
      float[] g = new float[theta.length];
      float f0 = p.valueAndGradient(theta, g, null);
      float last = f0;
      for (int t = 0; t < 30; t++) {
        last = p.valueAndGradient(theta, g, null);
        float max = 0;
        for (float x : g) {
          max = Math.max(max, Math.abs(x));
        }
        // normalised gradient steps: no pixel moves more than 0.01 per step
        for (int i = 0; i < theta.length; i++) {
          theta[i] -= 0.01f * g[i] / max;
        }
      }
      assertThat(last).isLessThan(0.9f * f0);
    }
  }

  /**
   * The interface with a second net of another shape and other layer names, standing in for a
   * user's VGG-19: three branches (kernels 1, 3, 9; 6 channels), style from two of them,
   * content from one.
   */
  @Test
  void anotherFeatureNetPlugsInThroughTheInterface() throws Exception {
    images(dir);
    RandomFeatureNet inner = new RandomFeatureNet(new int[] {1, 3, 9}, 6, 42);
    FeatureNet other = new FeatureNet() {
      @Override
      public String spec() {
        return "user-net";
      }

      @Override
      public List<String> layers() {
        return List.of("relu1_1", "relu2_1", "relu3_1");
      }

      @Override
      public List<String> styleLayers() {
        return List.of("relu3_1", "relu1_1");
      }

      @Override
      public List<String> contentLayers() {
        return List.of("relu2_1");
      }

      @Override
      public Block create(NDManager manager, DataType type) {
        return inner.create(manager, type);
      }
    };
    try (ArtFamily f = new ArtFamily(ArtFamily.Settings.defaults().withSize(24).withDir(dir),
        other)) {
      assertThat(f.spec()).endsWith("#user-net");
      ArtProblem p = (ArtProblem) f.sample(new SplittableRandom(3));
      float[] theta = new float[p.dimension()];
      p.init(new SplittableRandom(4), theta);
      ArtLoss.Terms t = p.terms(theta, new float[theta.length]);
      assertThat(t.content()).isPositive();
      assertThat(t.style()).isPositive();
      // its content term: the 3x3 branch only (6 maps of 24 x 24), checked against the loss on
      // the same net with only that term weighted
      try (ArtLoss l = new ArtLoss(other, DataType.FLOAT64, 1, 0, 0)) {
        float[] c = p.content();
        double[] x = new double[theta.length];
        for (int i = 0; i < x.length; i++) {
          x[i] = theta[i];
        }
        ArtLoss.Terms t64 = l.evaluate(x, null, 24, l.contentTargets(c, 24),
            l.styleTargets(f.styleImage(), 24));
        assertThat(t64.content()).isCloseTo(t.content(),
            org.assertj.core.data.Offset.offset(1e-5 * t.content()));
        assertThat(t64.value()).isEqualTo(t64.content());
      }
    }
  }

  @Test
  void badImagesInTheSetAreRefusedNamingTheFile() throws Exception {
    images(dir);
    ArtImagesTest.png(dir.resolve("coffee.png"), 40, 40, BufferedImage.TYPE_4BYTE_ABGR, 3);
    ArtFamily f = ArtFamily.create(ArtFamily.Settings.defaults().withSize(16).withDir(dir)
        .withContents(ArtData.Contents.TEST));
    assertThatThrownBy(f::check).isInstanceOf(ArtException.class)
        .hasMessage(dir.resolve("coffee.png") + ": has an alpha channel; only 8-bit RGB or"
            + " grayscale images are accepted");
    ArtFamily tiny = ArtFamily.create(ArtFamily.Settings.defaults().withSize(48).withDir(dir));
    assertThatThrownBy(tiny::check).hasMessageContaining("too small for the working size 48x48");
  }
}
