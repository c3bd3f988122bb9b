package org.l2l4j.djl.art;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, cropping and refusing images: each refusal one line naming the file. */
public class ArtImagesTest {
  @TempDir Path dir;

  /** A w × h image of {@code type} with seeded random pixels, written as PNG. */
  public static Path png(Path file, int w, int h, int type, long seed) throws Exception {
    BufferedImage b = new BufferedImage(w, h, type);
    SplittableRandom r = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        b.getRaster().setPixel(x, y, pixel(b.getRaster().getNumBands(), r));
      }
    }
    assertThat(ImageIO.write(b, "png", file.toFile())).isTrue();
    return file;
  }

  private static int[] pixel(int bands, SplittableRandom r) {
    int[] p = new int[bands];
    for (int k = 0; k < bands; k++) {
      p[k] = r.nextInt(256);
    }
    return p;
  }

  @Test
  void rgbIsReadInChannelOrderAndGrayAsThreeEqualChannels() throws Exception {
    BufferedImage b = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
    b.setRGB(0, 0, 0xff0000);
    b.setRGB(1, 0, 0x00ff80);
    ImageIO.write(b, "png", dir.resolve("c.png").toFile());
    ArtImages.Image c = ArtImages.read(dir.resolve("c.png"));
    // planar: R plane, G plane, B plane; each row-major
    assertThat(c.rgb()).containsExactly(1f, 0f, 0f, 1f, 0f, 128 / 255f);
    ArtImages.Image g = ArtImages.read(png(dir.resolve("g.png"), 3, 2,
        BufferedImage.TYPE_BYTE_GRAY, 1));
    for (int i = 0; i < 6; i++) {
      assertThat(g.rgb()[i]).isEqualTo(g.rgb()[6 + i]).isEqualTo(g.rgb()[12 + i]);
    }
  }

  @Test
  void areaAveragingShrinksByExactMeans() throws Exception {
    Path f = png(dir.resolve("a.png"), 32, 48, BufferedImage.TYPE_BYTE_GRAY, 2);
    ArtImages.Image img = ArtImages.read(f);
    float[] s = ArtImages.center(img, 16); // the centred 32 x 32 square, 2 x 2 blocks
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        double m = 0;
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            m += img.rgb()[(8 + 2 * y + dy) * 32 + 2 * x + dx];
          }
        }
        assertThat(s[y * 16 + x]).isCloseTo((float) (m / 4), org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
    // a random crop keeps the working size and the value range
    float[] r = ArtImages.randomCrop(img, 16, new SplittableRandom(3));
    assertThat(r).hasSize(3 * 16 * 16);
    for (float v : r) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  @Test
  void badFilesAreRefusedWithOneLineNamingThem() throws Exception {
    Path missing = dir.resolve("missing.png");
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image\n");
    Path rgba = png(dir.resolve("rgba.png"), 20, 20, BufferedImage.TYPE_4BYTE_ABGR, 4);
    Path deep = png(dir.resolve("deep.png"), 20, 20, BufferedImage.TYPE_USHORT_GRAY, 5);
    Path indexed = png(dir.resolve("indexed.png"), 20, 20, BufferedImage.TYPE_BYTE_INDEXED, 6);
    Path tiny = png(dir.resolve("tiny.png"), 12, 40, BufferedImage.TYPE_3BYTE_BGR, 7);
    String[][] cases = {
      {missing.toString(), "no such image file"},
      {text.toString(), "not a readable image"},
      {rgba.toString(), "alpha channel"},
      {deep.toString(), "16-bit"},
      {indexed.toString(), "palette"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> ArtImages.read(Path.of(c[0])))
          .isInstanceOf(ArtException.class)
          .hasMessageStartingWith(c[0] + ": ").hasMessageContaining(c[1])
          .hasMessageNotContaining("\n");
    }
    ArtImages.Image t = ArtImages.read(tiny);
    assertThatThrownBy(() -> ArtImages.center(t, 16)).isInstanceOf(ArtException.class)
        .hasMessage("tiny.png: 12x40 pixels, too small for the working size 16x16");
    assertThatThrownBy(() -> ArtImages.checkSize("--size", 20))
        .hasMessage("--size: unsupported size 20; supported: multiples of 8 from 16 to 512");
    assertThatThrownBy(() -> ArtImages.checkSize("--size", 8)).hasMessageContaining("size 8;");
    assertThatThrownBy(() -> ArtImages.checkSize("--size", 520)).hasMessageContaining("520");
    assertThat(ArtImages.checkSize("--size", 64)).isEqualTo(64);
  }

  @Test
  void unknownStyleIsRefusedNamingIt() {
    assertThatThrownBy(() -> ArtData.style(dir, "nosuch.png")).isInstanceOf(ArtException.class)
        .hasMessageStartingWith("style: unknown style 'nosuch.png' (no file "
            + dir.resolve("nosuch.png") + "); known: gravel.png, grass.png, brick.png");
    assertThatThrownBy(() -> ArtData.style(dir, "../x.png"))
        .hasMessageStartingWith("style: '../x.png' is not a file name");
  }

  @Test
  void theContentSetsAreDisjointAndEveryFileIsListedOnce() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ArtData.File f : ArtData.FILES) {
      assertThat(seen.add(f.name())).as(f.name()).isTrue();
      assertThat(f.role()).isIn("style", "train", "tune", "test");
    }
    assertThat(ArtData.contents(ArtData.Contents.TRAIN)).hasSize(6);
    assertThat(ArtData.contents(ArtData.Contents.TUNE)).containsExactly("chelsea.png",
        "rocket.jpg");
    assertThat(ArtData.contents(ArtData.Contents.TEST)).containsExactly("coffee.png",
        "clock_motion.png");
    assertThat(ArtData.styles()).contains(ArtData.TRAIN_STYLE, ArtData.NEW_STYLE);
  }

  /** Seeded mutations of a PNG and a JPEG: every result is an image or one line naming the file. */
  @Test
  void mutatedFilesGiveAnImageOrOneLineNamingTheFile() throws Exception {
    Path png = png(dir.resolve("seed.png"), 20, 20, BufferedImage.TYPE_3BYTE_BGR, 8);
    BufferedImage j = ImageIO.read(png.toFile());
    Path jpg = dir.resolve("seed.jpg");
    assertThat(ImageIO.write(j, "jpg", jpg.toFile())).isTrue();
    SplittableRandom r = new SplittableRandom(9);
    Path f = dir.resolve("mutant.img");
    int images = 0;
    for (int k = 0; k < MUTANTS; k++) {
      byte[] b = Files.readAllBytes(k % 2 == 0 ? png : jpg);
      if (r.nextInt(4) == 0) {
        b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      } else {
        for (int m = 1 + r.nextInt(8); m > 0; m--) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
      }
      Files.write(f, b);
      try {
        ArtImages.Image i = ArtImages.read(f);
        assertThat(i.rgb()).hasSize(3 * i.height() * i.width());
        images++;
      } catch (ArtException e) {
        assertThat(e.getMessage()).startsWith(f + ": ").doesNotContain("\n");
      }
    }
    assertThat(images).as("some mutants still decode").isPositive();
  }

  static final int MUTANTS = 300;

  /** A PNG whose header claims 100,000 x 100,000 pixels is refused before decoding. */
  @Test
  void aHugeDeclaredImageIsRefusedBeforeDecoding() throws Exception {
    byte[] b = Files.readAllBytes(png(dir.resolve("small.png"), 20, 20,
        BufferedImage.TYPE_BYTE_GRAY, 1));
    // IHDR data starts at byte 16 (8 signature + 4 length + 4 type): width, height big-endian
    java.nio.ByteBuffer.wrap(b, 16, 8).putInt(100_000).putInt(100_000);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b, 12, 17);
    java.nio.ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
    Path f = Files.write(dir.resolve("huge.png"), b);
    assertThatThrownBy(() -> ArtImages.read(f)).isInstanceOf(ArtException.class)
        .hasMessage(f + ": 100000x100000 pixels, more than the 67108864 accepted");
  }
}
