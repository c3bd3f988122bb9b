package org.l2l4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The learning-rate grids are defined once, in {@link Tuner}; the flags show them as text. */
class TunerGridTest {
  @Test
  void gridsAndTheirText() {
    assertThat(Tuner.gridText(Tuner.DEFAULT_GRID))
        .isEqualTo("1e-4,3e-4,0.001,0.003,0.01,0.03,0.1,0.3,1,3,10");
    assertThat(Tuner.gridText(Tuner.MNIST_GRID)).isEqualTo("0.001,0.003,0.01,0.03,0.1,0.3,1,3,10");
  }
}
