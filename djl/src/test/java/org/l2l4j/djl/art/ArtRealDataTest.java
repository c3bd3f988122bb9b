package org.l2l4j.djl.art;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scikit-image files that {@code scripts/setup-data.sh} installs: every file of {@link
 * ArtData#FILES} reads, the styles are grayscale (R = G = B), and each family at 64 × 64 gives a
 * finite loss. Skipped when the files are missing, failed instead when {@code
 * L2L4J_REQUIRE_DATA=1} (or {@code -Dl2l4j.requireData=true}), like core's {@code RealData}.
 */
class ArtRealDataTest {
  static void assumeImages() {
    Path folder = ArtData.folder(null);
    boolean present = Files.isRegularFile(folder.resolve(ArtData.TRAIN_STYLE));
    String v = System.getProperty("l2l4j.requireData", System.getenv("L2L4J_REQUIRE_DATA"));
    boolean required = v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    String message = "skimage images not installed in " + folder + " (run scripts/setup-data.sh)";
    if (!present && required) {
      fail(message + "; L2L4J_REQUIRE_DATA is set, so the test fails instead of skipping");
    }
    assumeTrue(present, message);
  }

  @Test
  void everyListedFileReadsAndEverySetGivesProblems() {
    assumeImages();
    for (ArtData.File f : ArtData.FILES) {
      ArtImages.Image img = ArtData.load(ArtData.folder(null).resolve(f.name()));
      assertThat(Math.min(img.height(), img.width())).as(f.name()).isGreaterThanOrEqualTo(128);
      assertThat(f.what()).contains(img.width() + "x" + img.height());
      if (f.role().equals("style")) {
        int n = img.height() * img.width();
        for (int i = 0; i < n; i += 97) {
          assertThat(img.rgb()[i]).isEqualTo(img.rgb()[n + i]).isEqualTo(img.rgb()[2 * n + i]);
        }
      }
    }
    for (ArtData.Contents c : ArtData.Contents.values()) {
      try (ArtFamily fam = ArtFamily.create(ArtFamily.Settings.defaults().withContents(c))) {
        fam.check();
        ArtProblem p = (ArtProblem) fam.sample(new SplittableRandom(1));
        float[] theta = new float[p.dimension()];
        p.init(new SplittableRandom(2), theta);
        ArtLoss.Terms t = p.terms(theta, null);
        assertThat(t.value()).as(c.specName()).isPositive().isFinite();
      }
    }
  }
}
