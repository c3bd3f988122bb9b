package org.l2l4j.djl.art;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.utils.Log;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A coverage-guided fuzz target (Jazzer) for {@link ArtImages#read}: any bytes give an 8-bit RGB
 * image with values in [0, 1] or an {@link ArtException} whose one-line message starts with the
 * file's name. A plain {@code mvn test} replays the inputs in {@code
 * src/test/resources/org/l2l4j/djl/art/ArtImagesFuzzTestInputs/image/}; {@code JAZZER_FUZZ=1}
 * fuzzes (see docs/reliability.md, "Running the fuzzers", with {@code -pl djl} and this class).
 */
class ArtImagesFuzzTest {
  static final int MAX_MESSAGE = 600;

  @BeforeAll
  static void silenceJazzerUnlessFuzzing() {
    String fuzz = System.getenv("JAZZER_FUZZ");
    if (fuzz == null || fuzz.isEmpty()) {
      PrintStream none = new PrintStream(OutputStream.nullOutputStream());
      Log.fixOutErr(none, none);
    }
  }

  /** The bytes are one image file. */
  @FuzzTest(maxDuration = "5m")
  void image(byte[] data) throws Exception {
    Path dir = Files.createTempDirectory("art-fuzz");
    Path f = dir.resolve("image.png");
    try {
      Files.write(f, data);
      check(f);
    } finally {
      Files.deleteIfExists(f);
      Files.delete(dir);
    }
  }

  static void check(Path f) {
    ArtImages.Image img;
    try {
      img = ArtImages.read(f);
    } catch (ArtException e) {
      String m = e.getMessage();
      if (m == null || !m.startsWith(f + ": ") || m.length() > MAX_MESSAGE + f.toString().length()
          || m.indexOf('\n') >= 0) {
        throw new AssertionError("bad message: " + m, e);
      }
      return;
    }
    if (img.rgb().length != 3 * img.height() * img.width()) {
      throw new AssertionError(img.rgb().length + " values for " + img.width() + "x"
          + img.height());
    }
    for (float v : img.rgb()) {
      if (!(v >= 0 && v <= 1)) {
        throw new AssertionError("pixel " + v);
      }
    }
  }

  /** Regenerates the seed corpus: {@code -Dl2l4j.writeSeeds=src/test/resources}. */
  @Test
  @EnabledIfSystemProperty(named = "l2l4j.writeSeeds", matches = ".+")
  void writeSeedCorpus() throws Exception {
    Path d = Files.createDirectories(Path.of(System.getProperty("l2l4j.writeSeeds"))
        .resolve("org/l2l4j/djl/art/ArtImagesFuzzTestInputs/image"));
    ArtImagesTest.png(d.resolve("rgb-8x8.png"), 8, 8, BufferedImage.TYPE_3BYTE_BGR, 1);
    ArtImagesTest.png(d.resolve("gray-8x8.png"), 8, 8, BufferedImage.TYPE_BYTE_GRAY, 2);
    ArtImagesTest.png(d.resolve("rgba-4x4.png"), 4, 4, BufferedImage.TYPE_4BYTE_ABGR, 3);
    BufferedImage j = ImageIO.read(d.resolve("rgb-8x8.png").toFile());
    ImageIO.write(j, "jpg", d.resolve("rgb-8x8.jpg").toFile());
  }
}
