package org.l2l4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.problem.MlpFamily.Activation;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.problem.data.Dataset;
import org.l2l4j.problem.data.RealData;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.SpecException;

class MlpFamilyTest {
  /** Relative error allowed between the reference gradient and central differences (double). */
  private static final double FD_TOLERANCE = 1e-6;
  /** Central-difference step. */
  private static final double FD_STEP = 1e-5;
  /** Relative error allowed between the float implementation and the double reference. */
  private static final double FLOAT_TOLERANCE = 2e-5;
  /** Weight scale for the checks, larger than the 0.01 init so that nonlinearities matter. */
  private static final double CHECK_STD = 0.5;

  private static final int ROWS = 3;
  private static final int COLS = 4;
  private static final int COUNT = 30;
  private static final int BATCH = 7;

  /**
   * 30 images of 3x4 with about a third of the pixels zero and every fourth image blank, random
   * labels in 0..9.
   */
  private static Dataset smallData(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] px = new float[COUNT * ROWS * COLS];
    int[] lb = new int[COUNT];
    for (int i = 0; i < px.length; i++) {
      boolean blank = (i / (ROWS * COLS)) % 4 == 0;
      px[i] = blank || rng.nextInt(3) == 0 ? 0f : (float) rng.nextDouble();
    }
    for (int i = 0; i < COUNT; i++) {
      lb[i] = rng.nextInt(10);
    }
    return Dataset.of(px, lb, ROWS, COLS, 10, "synthetic");
  }

  /** A plain double-precision MLP over a fixed batch, same layout as {@link Mlp}. */
  private record Reference(Dataset data, int[] widths, Activation act, int[] rows) {
    static Reference of(Dataset data, int[] hidden, Activation act, long batchSeed) {
      int[] widths = new int[hidden.length + 2];
      widths[0] = data.pixels();
      System.arraycopy(hidden, 0, widths, 1, hidden.length);
      widths[widths.length - 1] = data.classes();
      SplittableRandom rng = new SplittableRandom(batchSeed);
      int[] rows = new int[BATCH];
      for (int b = 0; b < BATCH; b++) {
        rows[b] = rng.nextInt(data.count());
      }
      return new Reference(data, widths, act, rows);
    }

    double f(double[] a) {
      return valueAndGradient(a, null);
    }

    private double activate(double z) {
      return switch (act) {
        case SIGMOID -> 1 / (1 + Math.exp(-z));
        case TANH -> Math.tanh(z);
        case RELU -> Math.max(0, z);
      };
    }

    private double derivative(double a) {
      return switch (act) {
        case SIGMOID -> a * (1 - a);
        case TANH -> 1 - a * a;
        case RELU -> a > 0 ? 1 : 0;
      };
    }

    /** The mean loss over the batch; fills {@code grad} when it is not null. */
    double valueAndGradient(double[] p, double[] grad) {
      int layers = widths.length - 1;
      double total = 0;
      for (int b = 0; b < rows.length; b++) {
        double[][] a = new double[layers + 1][];
        a[0] = new double[widths[0]];
        for (int i = 0; i < widths[0]; i++) {
          a[0][i] = data.pixel(rows[b], i);
        }
        int off = 0;
        int[] wo = new int[layers + 1];
        for (int l = 1; l <= layers; l++) {
          wo[l] = off;
          int in = widths[l - 1];
          int out = widths[l];
          a[l] = new double[out];
          for (int j = 0; j < out; j++) {
            double z = p[off + in * out + j];
            for (int i = 0; i < in; i++) {
              z += a[l - 1][i] * p[off + i * out + j];
            }
            a[l][j] = l < layers ? activate(z) : z;
          }
          off += in * out + out;
        }
        double[] logits = a[layers];
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
          sum += Math.exp(v - max);
        }
        int y = data.label(rows[b]);
        total += max + Math.log(sum) - logits[y];
        if (grad == null) {
          continue;
        }
        double[] d = new double[logits.length];
        for (int c = 0; c < d.length; c++) {
          d[c] = (Math.exp(logits[c] - max) / sum - (c == y ? 1 : 0)) / rows.length;
        }
        for (int l = layers; l >= 1; l--) {
          int in = widths[l - 1];
          int out = widths[l];
          double[] prev = new double[in];
          for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
              grad[wo[l] + i * out + j] += a[l - 1][i] * d[j];
              prev[i] += p[wo[l] + i * out + j] * d[j];
            }
          }
          for (int j = 0; j < out; j++) {
            grad[wo[l] + in * out + j] += d[j];
          }
          if (l > 1) {
            for (int i = 0; i < in; i++) {
              prev[i] *= derivative(a[l - 1][i]);
            }
          }
          d = prev;
        }
      }
      return total / rows.length;
    }
  }

  static Stream<Arguments> nets() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (Activation act : Activation.values()) {
      s.add(Arguments.of(new int[] {5}, act));
      s.add(Arguments.of(new int[] {4, 3}, act));
    }
    return s.build();
  }

  private static float[] randomTheta(int dim, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] t = new float[dim];
    for (int i = 0; i < dim; i++) {
      t[i] = (float) (rng.nextGaussian() * CHECK_STD);
    }
    return t;
  }

  @ParameterizedTest
  @MethodSource("nets")
  void referenceGradientMatchesCentralDifferences(int[] hidden, Activation act) {
    Dataset data = smallData(1);
    Reference ref = Reference.of(data, hidden, act, 2);
    int dim = MlpFamily.parameterCount(ROWS * COLS, hidden, 10);
    float[] tf = randomTheta(dim, 3);
    double[] p = new double[dim];
    for (int i = 0; i < dim; i++) {
      p[i] = tf[i];
    }
    double[] g = new double[dim];
    ref.valueAndGradient(p, g);
    double maxG = 0;
    double maxErr = 0;
    for (int i = 0; i < dim; i++) {
      double keep = p[i];
      p[i] = keep + FD_STEP;
      double up = ref.f(p);
      p[i] = keep - FD_STEP;
      double down = ref.f(p);
      p[i] = keep;
      maxErr = Math.max(maxErr, Math.abs((up - down) / (2 * FD_STEP) - g[i]));
      maxG = Math.max(maxG, Math.abs(g[i]));
    }
    assertThat(maxErr / maxG).isLessThan(FD_TOLERANCE);
  }

  @ParameterizedTest
  @MethodSource("nets")
  void floatImplementationMatchesReference(int[] hidden, Activation act) {
    Dataset data = smallData(1);
    Mlp mlp = new Mlp(data, hidden, act, BATCH);
    int dim = mlp.dimension();
    assertThat(dim).isEqualTo(MlpFamily.parameterCount(ROWS * COLS, hidden, 10));
    float[] theta = randomTheta(dim, 3);
    float[] grad = new float[dim];
    for (int call = 0; call < 3; call++) {
      long batchSeed = 10 + call;
      float value = mlp.valueAndGradient(theta, grad, new SplittableRandom(batchSeed));
      Reference ref = Reference.of(data, hidden, act, batchSeed);
      double[] p = new double[dim];
      for (int i = 0; i < dim; i++) {
        p[i] = theta[i];
      }
      double[] g = new double[dim];
      double expected = ref.valueAndGradient(p, g);
      assertThat(Math.abs(value - expected) / Math.abs(expected)).isLessThan(FLOAT_TOLERANCE);
      double maxG = 0;
      double maxErr = 0;
      for (int i = 0; i < dim; i++) {
        maxErr = Math.max(maxErr, Math.abs(grad[i] - g[i]));
        maxG = Math.max(maxG, Math.abs(g[i]));
      }
      assertThat(maxErr / maxG).isLessThan(FLOAT_TOLERANCE);
    }
  }

  @Test
  void sameBatchSeedGivesSameBatch() {
    Mlp mlp = new Mlp(smallData(4), new int[] {5}, Activation.SIGMOID, BATCH);
    float[] theta = randomTheta(mlp.dimension(), 5);
    float[] g1 = new float[mlp.dimension()];
    float[] g2 = new float[mlp.dimension()];
    float v1 = mlp.valueAndGradient(theta, g1, new SplittableRandom(6));
    float other = mlp.valueAndGradient(theta, g2, new SplittableRandom(7));
    float v2 = mlp.valueAndGradient(theta, g2, new SplittableRandom(6));
    assertThat(v2).isEqualTo(v1);
    assertThat(g2).containsExactly(g1);
    assertThat(other).isNotEqualTo(v1);
  }

  @Test
  void initIsSmallGaussianAndSeeded() {
    Mlp mlp = new Mlp(smallData(4), new int[] {5}, Activation.SIGMOID, BATCH);
    float[] a = new float[mlp.dimension()];
    float[] b = new float[mlp.dimension()];
    mlp.init(new SplittableRandom(8), a);
    mlp.init(new SplittableRandom(8), b);
    assertThat(b).containsExactly(a);
    double sq = 0;
    for (float v : a) {
      sq += v * v;
    }
    assertThat(Math.sqrt(sq / a.length)).isBetween(0.005, 0.02);
  }

  @Test
  void parameterCountsOfThePaperNets() {
    assertThat(MlpFamily.parameterCount(784, new int[] {20}, 10)).isEqualTo(15_910);
    assertThat(MlpFamily.parameterCount(784, new int[] {40}, 10)).isEqualTo(31_810);
    assertThat(MlpFamily.parameterCount(784, new int[] {20, 20}, 10)).isEqualTo(16_330);
    assertThat(Problems.parse("mnist").dimension()).isEqualTo(15_910);
    assertThat(Problems.parse("mnist(hidden=40)").dimension()).isEqualTo(31_810);
    assertThat(Problems.parse("mlp(hidden=20x20,activation=relu)").dimension()).isEqualTo(16_330);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mlp",
        "mnist",
        "mnist(hidden=40,batch=32)",
        "mlp(data=fashion-mnist,hidden=20x20,activation=tanh,split=test)",
        "mlp(activation=relu,batch=1,dir=/data/mnist)",
        " mnist( split = test , hidden=20x5x3 ) "
      })
  void specRoundTrips(String text) {
    ProblemFamily f = Problems.parse(text);
    assertThat(f).isInstanceOf(MlpFamily.class);
    ProblemFamily again = Problems.parse(f.spec());
    assertThat(again.spec()).isEqualTo(f.spec());
    assertThat(again).isEqualTo(f);
  }

  @Test
  void specSpellsOutEverySetting() {
    assertThat(Problems.parse("mnist").spec())
        .isEqualTo("mlp(data=mnist,hidden=20,activation=sigmoid,batch=128,split=train)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mlp(hidden=0)|'hidden=0' in 'mlp(hidden=0)' must be 1 to 8 widths",
        "mlp(hidden=20x)|'hidden=20x' in",
        "mlp(activation=gelu)|unknown activation 'gelu'",
        "mlp(batch=0)|'batch' in 'mlp(batch=0)' must be in [1, 65536], got 0",
        "mlp(data=cifar)|unknown data 'cifar' in 'mlp(data=cifar)'; known: mnist, fashion-mnist",
        "mlp(split=valid)|unknown split 'valid'",
        "mnist(data=mnist)|unknown parameter 'data'",
        "mlp(lr=1)|unknown parameter 'lr'"
      })
  void badSpecsSayWhy(String caseText) {
    String[] parts = caseText.split("\\|");
    assertThatThrownBy(() -> Problems.parse(parts[0]))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(parts[1]);
  }

  @Test
  void realMnistStartsNearLogTen() {
    RealData.assumeNpmDigits();
    MlpFamily family = (MlpFamily) Problems.parse("mnist(split=test)");
    Problem p = family.sample(new SplittableRandom(9));
    assertThat(family.dataset().count()).isEqualTo(2000);
    assertThat(DataSets.load(DataSets.MNIST, null, Split.TEST)).isSameAs(family.dataset());
    float[] theta = new float[p.dimension()];
    float[] grad = new float[p.dimension()];
    p.init(new SplittableRandom(10), theta);
    float loss = p.valueAndGradient(theta, grad, new SplittableRandom(11));
    assertThat((double) loss).isCloseTo(Math.log(10), org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void groupsAreTheWeightsAndTheBiasesInTheLayoutOfMlp() {
    // Mlp's layout (its javadoc): W1 (784 x 3), b1 (3), W2 (3 x 10), b2 (10)
    ProblemFamily f = Problems.parse("mnist(hidden=3)");
    assertThat(f.dimension()).isEqualTo(2395);
    assertThat(f.groups()).containsExactly(
        new ParamGroup("weights", new int[] {0, 2352, 2355, 2385}),
        new ParamGroup("biases", new int[] {2352, 2355, 2385, 2395}));
    assertThat(f.groups().get(0).size() + f.groups().get(1).size()).isEqualTo(f.dimension());
    assertThat(Problems.parse("quadratic(dim=5)").groups()).containsExactly(ParamGroup.all(5));
  }
}
