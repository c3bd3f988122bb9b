package org.l2l4j.problem.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetTest {
  private static final float[] IMAGES = {
    0f, 0.5f, 0f, 1f, //
    0f, 0f, 0f, 0f, //
    0.25f, 0f, 0f, 0.75f
  };

  private static Dataset data() {
    return Dataset.of(IMAGES, new int[] {3, 0, 9}, 2, 2, 10, "test data");
  }

  @Test
  void accessorsSeeTheDenseImages() {
    Dataset d = data();
    assertThat(d.count()).isEqualTo(3);
    assertThat(d.pixels()).isEqualTo(4);
    assertThat(d.labelCounts()).containsExactly(1, 0, 0, 1, 0, 0, 0, 0, 0, 1);
    for (int i = 0; i < 3; i++) {
      float[] out = new float[6];
      d.copyImage(i, out, 1);
      for (int p = 0; p < 4; p++) {
        assertThat(d.pixel(i, p)).isEqualTo(IMAGES[4 * i + p]);
        assertThat(out[1 + p]).isEqualTo(IMAGES[4 * i + p]);
      }
    }
  }

  @Test
  void nonZerosListsIndexValuePairs() {
    Dataset d = data();
    int[] idx = new int[8];
    float[] val = new float[8];
    assertThat(d.nonZeros(0, idx, val, 2)).isEqualTo(2);
    assertThat(idx).startsWith(0, 0, 1, 3);
    assertThat(val).startsWith(0f, 0f, 0.5f, 1f);
    assertThat(d.nonZeros(1, idx, val, 0)).isZero();
    assertThat(d.nonZeroCount(2)).isEqualTo(2);
  }

  @Test
  void subsetKeepsOrderAndRepeats() {
    Dataset s = data().subset(new int[] {2, 0, 2}, "sub");
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.source()).isEqualTo("sub");
    assertThat(s.label(0)).isEqualTo(9);
    assertThat(s.label(1)).isEqualTo(3);
    assertThat(s.pixel(2, 3)).isEqualTo(0.75f);
    assertThat(s.pixel(1, 1)).isEqualTo(0.5f);
  }

  @Test
  void badInputsAreRefused() {
    assertThatThrownBy(() -> Dataset.of(new float[] {0, 2f, 0, 0}, new int[] {1}, 2, 2, 10, "x"))
        .hasMessage("x: pixel value 2.0 at index 1 is outside [0, 1]");
    assertThatThrownBy(
            () -> Dataset.of(new float[] {0, Float.NaN, 0, 0}, new int[] {1}, 2, 2, 10, "x"))
        .hasMessage("x: pixel value NaN at index 1 is outside [0, 1]");
    assertThatThrownBy(() -> Dataset.of(new float[4], new int[] {10}, 2, 2, 10, "x"))
        .hasMessage("x: label 10 of image 0 is outside 0..9");
    assertThatThrownBy(() -> Dataset.of(new float[5], new int[] {1}, 2, 2, 10, "x"))
        .hasMessage("x: 5 pixel values for 1 images of 2x2");
    assertThatThrownBy(() -> data().label(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
