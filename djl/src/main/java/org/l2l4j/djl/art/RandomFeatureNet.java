package org.l2l4j.djl.art;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fixed random multi-scale convolution features (Ustyuzhaninov et al. 2017, "What does it take to
 * generate natural textures?"): the input minus 0.5, then one layer of parallel convolutions, one
 * per kernel size k, each with {@code channels} filters, stride 1, zero padding k/2 (same size),
 * bias, followed by ReLU. Layer {@code kK} is the branch of kernel size K. Weights are drawn from
 * N(0, 2 / (3·k²)) (He initialisation) by a {@link SplittableRandom} of the seed, parameter by
 * parameter in block order, row-major; biases are 0. All layers give style; the two smallest
 * kernels give content.
 *
 * <p>{@link #DEFAULT}: kernels 3, 5, 7, 11, 16 channels each, seed 1: 3·16·(9 + 25 + 49 + 121) =
 * 9,792 weights and 64 biases, 64 feature maps.
 */
public final class RandomFeatureNet implements FeatureNet {
  /** The default net: kernels 3, 5, 7, 11; 16 channels each; seed 1. */
  public static final RandomFeatureNet DEFAULT = new RandomFeatureNet(new int[] {3, 5, 7, 11}, 16, 1);

  private final int[] kernels;
  private final int channels;
  private final long seed;

  /**
   * A net.
   *
   * @param kernels the odd kernel sizes, one branch each (at least two)
   * @param channels filters per branch
   * @param seed the weights' seed
   */
  public RandomFeatureNet(int[] kernels, int channels, long seed) {
    if (kernels.length < 2 || channels < 1) {
      throw new IllegalArgumentException("random features: at least two kernels and one channel");
    }
    for (int k : kernels) {
      if (k < 1 || k % 2 == 0) {
        throw new IllegalArgumentException("random features: kernel sizes must be odd, got " + k);
      }
    }
    this.kernels = kernels.clone();
    this.channels = channels;
    this.seed = seed;
  }

  @Override
  public String spec() {
    StringBuilder b = new StringBuilder("random-k");
    for (int i = 0; i < kernels.length; i++) {
      b.append(i == 0 ? "" : "-").append(kernels[i]);
    }
    return b.append("-c").append(channels).append("-s").append(seed).toString();
  }

  @Override
  public List<String> layers() {
    List<String> l = new ArrayList<>();
    for (int k : kernels) {
      l.add("k" + k);
    }
    return List.copyOf(l);
  }

  @Override
  public List<String> styleLayers() {
    return layers();
  }

  @Override
  public List<String> contentLayers() {
    return layers().subList(0, 2);
  }

  @Override
  public Block create(NDManager manager, DataType type) {
    List<Block> branches = new ArrayList<>();
    for (int k : kernels) {
      branches.add(new SequentialBlock()
          .add(Conv2d.builder().setKernelShape(new Shape(k, k)).setFilters(channels)
              .optPadding(new Shape(k / 2, k / 2)).optBias(true).build())
          .add(Activation::relu));
    }
    Block block = new SequentialBlock()
        .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().sub(0.5))))
        .add(new ParallelBlock(outs -> {
          NDList all = new NDList();
          for (NDList o : outs) {
            all.addAll(o);
          }
          return all;
        }, branches));
    block.initialize(manager, type, new Shape(1, 3, 16, 16));
    SplittableRandom rng = new SplittableRandom(seed);
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray a = p.getValue().getArray();
      Shape s = a.getShape();
      int n = Math.toIntExact(s.size());
      double[] v = new double[n];
      if (s.dimension() == 4) {
        double std = Math.sqrt(2.0 / (s.get(1) * s.get(2) * s.get(3)));
        for (int i = 0; i < n; i++) {
          v[i] = nextGaussian(rng) * std;
        }
      }
      if (type == DataType.FLOAT64) {
        a.set(DoubleBuffer.wrap(v));
      } else {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = (float) v[i];
        }
        a.set(FloatBuffer.wrap(f));
      }
    }
    block.freezeParameters(true);
    return block;
  }

  /** A standard normal by Box–Muller (same bits on every JVM). */
  private static double nextGaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
