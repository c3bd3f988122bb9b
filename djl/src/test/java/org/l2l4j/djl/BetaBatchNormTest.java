package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link BetaBatchNorm}: batch statistics, a shift β and nothing else, in training and inference. */
class BetaBatchNormTest {
  /** Float32 sums over 2·5·5 = 50 values per channel. */
  static final double TOLERANCE = 1e-4;

  @Test
  void normalisesEachChannelOverBatchAndPixelsThenShiftsByBeta() {
    DjlEngine.configure();
    try (NDManager m = NDManager.newBaseManager(DjlEngine.NAME)) {
      BetaBatchNorm bn = new BetaBatchNorm();
      bn.initialize(m, DataType.FLOAT32, new Shape(2, 3, 5, 5));
      assertThat(bn.getParameters().size()).as("β only").isEqualTo(1);
      // β given through the parameter store (writing into the parameter would make libtorch warn)
      NDArray beta = m.create(new float[] {0.5f, -1f, 2f});
      ParameterStore store = new ParameterStore(m, false) {
        @Override
        public NDArray getValue(ai.djl.nn.Parameter p, ai.djl.Device d, boolean training) {
          return beta;
        }
      };
      SplittableRandom r = new SplittableRandom(4);
      float[] x = new float[2 * 3 * 5 * 5];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (3 + 2 * r.nextGaussian()) * (1 + i % 3);
      }
      for (boolean training : new boolean[] {true, false}) {
        float[] y = bn.forward(store,
            new NDList(m.create(x, new Shape(2, 3, 5, 5))), training).singletonOrThrow()
            .toFloatArray();
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          double sq = 0;
          for (int n = 0; n < 2; n++) {
            for (int p = 0; p < 25; p++) {
              double v = y[(n * 3 + c) * 25 + p];
              sum += v;
              sq += v * v;
            }
          }
          double mean = sum / 50;
          double var = sq / 50 - mean * mean;
          assertThat(mean).as("channel %d mean = β", c).isCloseTo(new double[] {0.5, -1, 2}[c],
              within(TOLERANCE));
          // (biased) variance 1 up to ε = 1e-5 against variances of 4..36
          assertThat(var).as("channel %d variance", c).isCloseTo(1.0, within(1e-3));
        }
      }
    }
  }
}
