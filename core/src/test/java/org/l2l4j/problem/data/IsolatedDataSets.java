package org.l2l4j.problem.data;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that look data sets up through {@link DataSets}: each test gets an empty
 * data cache ({@link #cache}) and a user folder ({@link #user}), no default folder and no cached
 * data sets, and leaves the defaults as they were.
 */
abstract class IsolatedDataSets {
  @TempDir Path cache;
  @TempDir Path user;

  @BeforeEach
  void isolate() {
    DataSets.setCacheDirectory(cache);
    DataSets.setDefaultDirectory(null);
    DataSets.clearCache();
  }

  @AfterEach
  void restore() {
    DataSets.setCacheDirectory(null);
    DataSets.setDefaultDirectory(null);
    DataSets.clearCache();
  }

  /** Writes npm-style digit files with {@code perDigit} images of each digit into the cache. */
  void writeNpm(int perDigit) {
    int[] per = new int[10];
    Arrays.fill(per, perDigit);
    NpmDigits.write(cache.resolve(DataSets.NPM_DIGITS), per);
  }
}
