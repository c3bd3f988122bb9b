package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.problem.data.DataException;
import org.l2l4j.problem.data.Split;

/** {@link CifarReader} on files the test writes in the CIFAR-10 binary format. */
class CifarReaderTest {
  @TempDir Path dir;

  /** {@code records} records with labels {@code r % 10} and pixels from a seeded generator. */
  static byte[] records(int records, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = new byte[records * CifarReader.RECORD_BYTES];
    for (int i = 0; i < records; i++) {
      b[i * CifarReader.RECORD_BYTES] = (byte) (i % 10);
      for (int p = 1; p < CifarReader.RECORD_BYTES; p++) {
        b[i * CifarReader.RECORD_BYTES + p] = (byte) r.nextInt(256);
      }
    }
    return b;
  }

  /** Writes a CIFAR-10 folder: five training files of {@code perFile} records and a test file. */
  static Path writeFolder(Path root, int perFile) throws Exception {
    Path d = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
    for (int k = 0; k < 5; k++) {
      Files.write(d.resolve(CifarReader.TRAIN_FILES.get(k)), records(perFile, k));
    }
    Files.write(d.resolve(CifarReader.TEST_FILE), records(perFile, 99));
    return d;
  }

  @Test
  void readsLabelsAndPlanesInOrder() throws Exception {
    writeFolder(dir, 12);
    ImageData train = CifarReader.load(dir, Split.TRAIN);
    ImageData test = CifarReader.load(dir, Split.TEST);
    assertThat(train.count()).isEqualTo(60);
    assertThat(test.count()).isEqualTo(12);
    assertThat(train.channels()).isEqualTo(3);
    assertThat(train.height()).isEqualTo(32);
    assertThat(train.label(13)).isEqualTo(1); // record 1 of the second file
    byte[] second = records(12, 1);
    float[] img = new float[3 * 32 * 32];
    train.copyImage(13, img, 0);
    int base = CifarReader.RECORD_BYTES;
    // red plane first, then green (pixel 1024), then blue (2048), row-major
    for (int p : new int[] {0, 31, 32, 1023, 1024, 2048, 3071}) {
      assertThat(img[p]).isEqualTo((second[base + 1 + p] & 0xff) / 255f);
    }
  }

  @Test
  void wrongLengthNamesTheFile() throws Exception {
    Path d = writeFolder(dir, 3);
    Path bad = d.resolve("data_batch_3.bin");
    Files.write(bad, new byte[3 * CifarReader.RECORD_BYTES - 1]);
    assertThatThrownBy(() -> CifarReader.load(dir, Split.TRAIN)).isInstanceOf(DataException.class)
        .hasMessage(bad + ": 9218 bytes is not a whole number of 3073-byte CIFAR-10 records");
    Files.write(bad, new byte[0]);
    assertThatThrownBy(() -> CifarReader.load(dir, Split.TRAIN))
        .hasMessageStartingWith(bad + ": 0 bytes");
  }

  @Test
  void badLabelAndMissingFilesNameTheFile() throws Exception {
    Path d = writeFolder(dir, 2);
    Path t = d.resolve(CifarReader.TEST_FILE);
    byte[] b = records(2, 5);
    b[CifarReader.RECORD_BYTES] = 10;
    Files.write(t, b);
    assertThatThrownBy(() -> CifarReader.load(dir, Split.TEST))
        .hasMessage(t + ": record 1 has label 10, outside 0..9");
    Files.delete(d.resolve("data_batch_5.bin"));
    assertThatThrownBy(() -> CifarReader.load(dir, Split.TRAIN))
        .hasMessage(d.resolve("data_batch_5.bin") + ": file not found");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> CifarReader.load(empty, Split.TRAIN)).isInstanceOf(DataException.class)
        .hasMessageStartingWith("dir=" + empty + ": no CIFAR-10 binary files");
  }

  @Test
  void aFolderIsNotAFile() throws Exception {
    Path d = writeFolder(dir, 2);
    Path t = d.resolve(CifarReader.TEST_FILE);
    Files.delete(t);
    Files.createDirectory(t);
    assertThatThrownBy(() -> CifarReader.read(List.of(t), "x"))
        .hasMessageStartingWith(t + ": not a regular file");
  }

  @Test
  void convFamilyTrainsOnWrittenCifarFiles() throws Exception {
    writeFolder(dir, 30);
    try (DjlFamily f = (DjlFamily) org.l2l4j.problem.Problems.parse(
        "conv(data=cifar10,classes=0-4,batch=8,dir=" + dir + ")")) {
      var p = f.sample(new SplittableRandom(0));
      assertThat(f.data().count()).isEqualTo(75); // 150 records, labels 0..9 evenly
      float[] theta = new float[p.dimension()];
      float[] grad = new float[theta.length];
      p.init(new SplittableRandom(1), theta);
      float loss = p.valueAndGradient(theta, grad, new SplittableRandom(2));
      assertThat((double) loss).isCloseTo(Math.log(5), org.assertj.core.data.Offset.offset(0.05));
    }
  }
}
