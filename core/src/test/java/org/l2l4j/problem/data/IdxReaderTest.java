package org.l2l4j.problem.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
  private static final long SEED = 42;
  private static final int COUNT = 5;
  private static final int ROWS = 3;
  private static final int COLS = 4;

  @TempDir Path dir;

  private byte[] pixels;
  private byte[] labels;

  private byte[] imageFile() {
    SplittableRandom rng = new SplittableRandom(SEED);
    pixels = new byte[COUNT * ROWS * COLS];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) rng.nextInt(256);
    }
    pixels[0] = (byte) 255;
    pixels[1] = 0;
    return IdxFiles.images(COUNT, ROWS, COLS, pixels);
  }

  private byte[] labelFile() {
    labels = new byte[] {3, 0, 9, 1, 3};
    return IdxFiles.labels(COUNT, labels);
  }

  private void assertContents(Dataset d) {
    assertThat(d.count()).isEqualTo(COUNT);
    assertThat(d.rows()).isEqualTo(ROWS);
    assertThat(d.cols()).isEqualTo(COLS);
    assertThat(d.classes()).isEqualTo(10);
    for (int i = 0; i < COUNT; i++) {
      assertThat(d.label(i)).isEqualTo(labels[i]);
      for (int p = 0; p < ROWS * COLS; p++) {
        assertThat(d.pixel(i, p)).isEqualTo((pixels[i * ROWS * COLS + p] & 0xff) / 255f);
      }
    }
    assertThat(d.pixel(0, 0)).isEqualTo(1f);
    assertThat(d.pixel(0, 1)).isEqualTo(0f);
  }

  @Test
  void readsPlainFiles() {
    Path im = IdxFiles.write(dir.resolve("im"), imageFile());
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    Dataset d = IdxReader.read(im, lb);
    assertContents(d);
    assertThat(d.source()).contains(im.toString());
  }

  @Test
  void detectsGzipByMagicNotByName() {
    Path im = IdxFiles.write(dir.resolve("images-no-extension"), IdxFiles.gzip(imageFile()));
    Path lb = IdxFiles.write(dir.resolve("plain-labels.gz"), labelFile());
    assertContents(IdxReader.read(im, lb));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 7, 8, 15, 16, 17, 30, 75})
  void truncatedPlainImageFileIsNamed(int length) {
    byte[] full = imageFile();
    Path im = IdxFiles.write(dir.resolve("t-images"), Arrays.copyOf(full, length));
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(im.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void truncatedLabelsSayHowMany() {
    Path im = IdxFiles.write(dir.resolve("im"), imageFile());
    Path lb = IdxFiles.write(dir.resolve("t-labels"), Arrays.copyOf(labelFile(), 8 + 2));
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(lb + ": truncated: header declares 5 labels, file ends after 2");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 5, 10, 20, 30, 40})
  void truncatedGzipFileIsNamed(int cut) {
    byte[] gz = IdxFiles.gzip(imageFile());
    Path im = IdxFiles.write(dir.resolve("t-images.gz"), Arrays.copyOf(gz, Math.max(0, gz.length - 1 - cut * gz.length / 41)));
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(im.toString());
  }

  @Test
  void gzipWithDataShorterThanDeclaredIsTruncated() {
    byte[] full = imageFile();
    Path im =
        IdxFiles.write(dir.resolve("short.gz"), IdxFiles.gzip(Arrays.copyOf(full, full.length - 7)));
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(
            im + ": truncated: header declares 5 images of 3x4 (60 bytes), gzip stream ends"
                + " after 53 bytes");
  }

  @Test
  void wrongMagicIsNamed() {
    Path im = IdxFiles.write(dir.resolve("swapped"), labelFile());
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(
            im + ": not an IDX images file: magic 0x00000801, expected 0x00000803 (this is an IDX"
                + " labels file)");
    Path text = IdxFiles.write(dir.resolve("text"), "hello world, not idx".getBytes());
    assertThatThrownBy(() -> IdxReader.read(IdxFiles.write(dir.resolve("im"), imageFile()), text))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(text + ": not an IDX labels file");
  }

  @Test
  void countMismatchNamesBothFiles() {
    Path im = IdxFiles.write(dir.resolve("im"), imageFile());
    Path lb = IdxFiles.write(dir.resolve("lb"), IdxFiles.labels(4, new byte[] {1, 2, 3, 4}));
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(im + " holds 5 images but " + lb + " holds 4 labels");
  }

  @Test
  void hugeDeclaredSizeFailsBeforeAllocating() {
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    byte[] huge = IdxFiles.images(Integer.MAX_VALUE, 60000, 28 * 28, new byte[10]);
    for (byte[] content : new byte[][] {huge, IdxFiles.gzip(huge)}) {
      Path im = IdxFiles.write(dir.resolve("huge"), content);
      assertThatThrownBy(() -> IdxReader.read(im, lb))
          .isInstanceOf(DataException.class)
          .hasMessageStartingWith(im + ": header declares 2147483647 images of 60000x784")
          .hasMessageEndingWith("more than the limit of 100000000 bytes");
    }
  }

  @Test
  void largeDeclaredSizeInTinyFileIsTruncated() {
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    byte[] big = IdxFiles.images(120_000, 28, 28, new byte[10]);
    Path plain = IdxFiles.write(dir.resolve("big"), big);
    assertThatThrownBy(() -> IdxReader.read(plain, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(
            plain + ": truncated: header declares 120000 images of 28x28 (94080000 bytes), file"
                + " ends after 10 bytes");
    Path gz = IdxFiles.write(dir.resolve("big.gz"), IdxFiles.gzip(big));
    assertThatThrownBy(() -> IdxReader.read(gz, lb))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(gz + ": truncated: header declares 120000 images");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void nonPositiveDimensionIsRefused(int rows) {
    Path im = IdxFiles.write(dir.resolve("im"), IdxFiles.images(COUNT, rows, COLS, new byte[0]));
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(im + ": bad header: dimension 2 is " + rows + ", must be > 0");
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] full = imageFile();
    byte[] longer = Arrays.copyOf(full, full.length + 3);
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    Path plain = IdxFiles.write(dir.resolve("long"), longer);
    assertThatThrownBy(() -> IdxReader.read(plain, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(plain + ": 3 unexpected bytes after the 5 images of 3x4 (60 bytes)");
    Path gz = IdxFiles.write(dir.resolve("long.gz"), IdxFiles.gzip(longer));
    assertThatThrownBy(() -> IdxReader.read(gz, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(gz + ": unexpected bytes after the 5 images of 3x4 (60 bytes)");
  }

  @Test
  void labelOutOfRangeIsNamed() {
    Path im = IdxFiles.write(dir.resolve("im"), imageFile());
    Path lb = IdxFiles.write(dir.resolve("lb"), IdxFiles.labels(5, new byte[] {1, 2, 10, 4, 5}));
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(lb + ": label 10 at index 2 is outside 0..9");
  }

  @Test
  void missingFileIsNamed() {
    Path im = dir.resolve("nope-images");
    Path lb = IdxFiles.write(dir.resolve("lb"), labelFile());
    assertThatThrownBy(() -> IdxReader.read(im, lb))
        .isInstanceOf(DataException.class)
        .hasMessage(im + ": file not found");
  }
}
