package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernel;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.ScalarLstmKernel;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

/**
 * Meta-training must not change by refactoring: short runs with the demo's settings give the same
 * bits as before the outer optimizer became configurable.
 *
 * <p>The expected SHA-256 values were produced by this test's {@link #digest} on commit 448f390
 * (main before the typed optimizer state, the configurable outer optimizer and the run settings in
 * core): the same test, run there once with the values printed instead of compared, gave them
 * ({@code mvn -pl core test -Dtest=GoldenTrainingTest}, JDK 17, Vector API kernel for
 * {@code best()}). They cover the current weights, the best
 * weights and the best validation score.
 */
class GoldenTrainingTest {
  /** The demo's settings (3,000 epochs there, fewer here), seed 1. */
  private static MetaTrainerConfig demo(int epochs) {
    return MetaTrainerConfig.defaults(epochs, 1).withMetaLearningRate(0.003);
  }

  static String digest(TrainingState s) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    ByteBuffer b = ByteBuffer.allocate(8 * (s.weights.length + s.bestWeights.length) + 8);
    for (float w : s.weights) {
      b.putInt(Float.floatToRawIntBits(w));
    }
    for (float w : s.bestWeights) {
      b.putInt(Float.floatToRawIntBits(w));
    }
    b.putLong(Double.doubleToRawLongBits(s.bestScore));
    md.update(b.array(), 0, b.position());
    return HexFormat.of().formatHex(md.digest());
  }

  private static String train(MetaTrainerConfig mc, ProblemFamily family, LstmKernel kernel)
      throws Exception {
    return train(mc, family, kernel, MetaListener.NONE);
  }

  private static String train(MetaTrainerConfig mc, ProblemFamily family, LstmKernel kernel,
      MetaListener listener) throws Exception {
    MetaTrainer tr = new MetaTrainer(mc, LstmConfig.parse("lstm(preset=quadratic)"), kernel);
    return digest(tr.train(family, tr.freshState(), listener, null));
  }

  @Test
  void demoSettingsGiveTheSameWeightsAsBefore() throws Exception {
    String vector = train(demo(200), Problems.parse("quadratic"), LstmKernels.best());
    String scalar = train(demo(60), Problems.parse("quadratic"), ScalarLstmKernel.INSTANCE);
    assertThat(vector).isEqualTo("f72c74eaa9bf2af1ea7de86edfe1f3fb66ce11e194d3a8fbf938756f95446da1");
    assertThat(scalar).isEqualTo("2c0ccf14113bc780c1728429ed35091f05b09f1e78786afe269d0062f7aa336c");
  }

  /**
   * Some epochs end in a non-finite loss (a quarter of the problems, drawn from the epoch's stream,
   * return NaN at step 50), and with max-bad 1 each one halves the meta learning rate and resets
   * the outer optimizer's moments: the recovery path keeps its bits too.
   */
  @Test
  void recoveringFromDivergenceGivesTheSameWeightsAsBefore() throws Exception {
    ProblemFamily quadratic = Problems.parse("quadratic");
    ProblemFamily sometimesNaN = new ProblemFamily() {
      @Override
      public String spec() {
        return "sometimes-nan";
      }

      @Override
      public int dimension() {
        return quadratic.dimension();
      }

      @Override
      public Problem sample(RandomGenerator rng) {
        boolean bad = rng.nextDouble() < 0.25;
        Problem p = quadratic.sample(rng);
        return new Problem() {
          int calls;

          @Override
          public int dimension() {
            return p.dimension();
          }

          @Override
          public void init(RandomGenerator r, float[] theta) {
            p.init(r, theta);
          }

          @Override
          public float valueAndGradient(float[] theta, float[] grad, RandomGenerator r) {
            float f = p.valueAndGradient(theta, grad, r);
            return bad && ++calls > 50 ? Float.NaN : f;
          }
        };
      }
    };
    MetaTrainerConfig mc = new MetaTrainerConfig(60, 100, 20, 0.003, 0, 20, 5, 1, 1, 1);
    java.util.List<Double> rates = new java.util.ArrayList<>();
    String d = train(mc, sometimesNaN, ScalarLstmKernel.INSTANCE, new MetaListener() {
      @Override
      public void recovered(int epoch, double lr) {
        rates.add(lr);
      }
    });
    assertThat(rates).hasSize(17).startsWith(0.0015, 0.00075);
    assertThat(d).isEqualTo("550f3fd8ad8d4b40e338fb2170d7df8d20b1f7d37daf2d3e0d9cbd36cec80f9c");
  }

  /**
   * A short MNIST-style run (the mnist command's LSTM, an MLP on 64 random 28x28 IDX images, 2
   * threads) gives the same bits as before. The expected value was printed by the same code run
   * against commit 448f390's classes (a throw-away program with this method's body, {@code java
   * --add-modules jdk.incubator.vector -cp core/target/classes MnistGolden.java}, once in a
   * worktree of 448f390 and once here: both printed it).
   */
  @Test
  void anMnistStyleRunGivesTheSameWeightsAsBefore(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path folder) throws Exception {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    for (String prefix : new String[] {"train", "t10k"}) {
      int count = prefix.equals("train") ? 64 : 32;
      ByteBuffer img = ByteBuffer.allocate(16 + count * 784);
      img.putInt(0x803).putInt(count).putInt(28).putInt(28);
      ByteBuffer lab = ByteBuffer.allocate(8 + count);
      lab.putInt(0x801).putInt(count);
      for (int i = 0; i < count; i++) {
        for (int p = 0; p < 784; p++) {
          img.put((byte) rng.nextInt(256));
        }
        lab.put((byte) rng.nextInt(10));
      }
      java.nio.file.Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), img.array());
      java.nio.file.Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
    }
    org.l2l4j.problem.data.DataSets.setDefaultDirectory(folder);
    try {
      ProblemFamily f = Problems.parse("mnist");
      LstmConfig cfg = LstmConfig.parse("lstm(preset=paper,init=zero-output)");
      MetaTrainerConfig mc = new MetaTrainerConfig(4, 20, 5, 0.001, 0, 2, 2, 1, 2, 5);
      MetaTrainer tr = new MetaTrainer(mc, cfg, LstmKernels.best());
      TrainingState s = tr.train(f, tr.freshState(), MetaListener.NONE, null);
      assertThat(digest(s))
          .isEqualTo("839feb77622b33ae77398712df67a7fb877e2f8f3ef6551c5eb9383cc3803b19");
    } finally {
      org.l2l4j.problem.data.DataSets.setDefaultDirectory(null);
      org.l2l4j.problem.data.DataSets.clearCache();
    }
  }
}
