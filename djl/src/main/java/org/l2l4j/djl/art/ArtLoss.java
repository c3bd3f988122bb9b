package org.l2l4j.djl.art;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.l2l4j.djl.DjlEngine;

/**
 * Gatys et al.'s loss on the features of a {@link FeatureNet}, for one image x (3 × S × S, planar
 * RGB as {@link ArtImages}), in float32 or float64:
 *
 * <ul>
 *   <li>content = Σ over the content layers of the mean over channels and positions of (F(x) −
 *       F(c))², c the content image;
 *   <li>style = Σ over the style layers of the mean over (i, j) of (G(x) − G(s))²ᵢⱼ with the
 *       normalised Gram matrix G = F Fᵀ / (H·W) of the C × (H·W) features F (so the squared
 *       Frobenius distance / C²), s the style image;
 *   <li>tv = mean of squared vertical neighbour differences + mean of squared horizontal ones;
 *   <li>f = α·content + β·style + γ·tv.
 * </ul>
 *
 * The gradient is wrt the pixels only, from DJL's autograd. One instance holds one block and its
 * manager; calls run under {@link DjlEngine#LOCK}.
 */
public final class ArtLoss implements AutoCloseable {
  /** The three terms, unweighted, and f. */
  public record Terms(double content, double style, double tv, double value) {}

  private final FeatureNet net;
  private final DataType type;
  private final double alpha;
  private final double beta;
  private final double gamma;
  private final NDManager manager;
  private final Block block;
  private final ParameterStore store;
  private final int[] content;
  private final int[] style;

  /**
   * A loss.
   *
   * @param net the features
   * @param type {@code FLOAT32} or {@code FLOAT64}
   */
  public ArtLoss(FeatureNet net, DataType type, double alpha, double beta, double gamma) {
    this.net = net;
    this.type = type;
    this.alpha = alpha;
    this.beta = beta;
    this.gamma = gamma;
    List<String> layers = net.layers();
    content = net.contentLayers().stream().mapToInt(layers::indexOf).toArray();
    style = net.styleLayers().stream().mapToInt(layers::indexOf).toArray();
    for (int i : content) {
      if (i < 0) {
        throw new IllegalArgumentException(net.spec() + ": a content layer is not a layer");
      }
    }
    for (int i : style) {
      if (i < 0) {
        throw new IllegalArgumentException(net.spec() + ": a style layer is not a layer");
      }
    }
    synchronized (DjlEngine.LOCK) {
      manager = DjlEngine.get().newBaseManager();
      try {
        block = net.create(manager, type);
        store = new ParameterStore(manager, false);
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }
  }

  /** The net. */
  public FeatureNet net() {
    return net;
  }

  /** The content targets of image {@code c} (side {@code size}): one float[] per content layer. */
  public float[][] contentTargets(float[] c, int size) {
    return targets(c, size, content, false);
  }

  /** The style targets of image {@code s}: one Gram matrix (row-major) per style layer. */
  public float[][] styleTargets(float[] s, int size) {
    return targets(s, size, style, true);
  }

  private float[][] targets(float[] img, int size, int[] which, boolean gram) {
    synchronized (DjlEngine.LOCK) {
      try (NDManager sub = manager.newSubManager()) {
        NDList f = block.forward(store, new NDList(image(sub, img, size)), false);
        float[][] out = new float[which.length][];
        for (int k = 0; k < which.length; k++) {
          NDArray a = f.get(which[k]);
          out[k] = (gram ? gram(a) : a).toType(DataType.FLOAT32, false).toFloatArray();
        }
        return out;
      }
    }
  }

  private NDArray image(NDManager sub, float[] img, int size) {
    return sub.create(img, new Shape(1, 3, size, size)).toType(type, false);
  }

  private static NDArray gram(NDArray f) {
    Shape s = f.getShape();
    long c = s.get(1);
    long hw = s.get(2) * s.get(3);
    NDArray m = f.reshape(c, hw);
    return m.matMul(m.transpose()).div(hw);
  }

  /**
   * f(x) and ∂f/∂x in double (a float32 loss rounds x to float).
   *
   * @param x the image, 3·S·S values (not modified)
   * @param gradOut receives ∂f/∂x, or null for none
   * @param contentT {@link #contentTargets}
   * @param styleT {@link #styleTargets}
   */
  public Terms evaluate(double[] x, double[] gradOut, int size, float[][] contentT,
      float[][] styleT) {
    return run(sub -> type == DataType.FLOAT64
            ? sub.create(x, new Shape(1, 3, size, size))
            : sub.create(toFloat(x), new Shape(1, 3, size, size)),
        gradOut == null ? null : g -> System.arraycopy(
            g.toType(DataType.FLOAT64, false).toDoubleArray(), 0, gradOut, 0, gradOut.length),
        contentT, styleT);
  }

  /** As {@link #evaluate(double[], double[], int, float[][], float[][])} on floats. */
  public Terms evaluate(float[] x, float[] gradOut, int size, float[][] contentT,
      float[][] styleT) {
    return run(sub -> sub.create(x, new Shape(1, 3, size, size)).toType(type, false),
        gradOut == null ? null : g -> System.arraycopy(
            g.toType(DataType.FLOAT32, false).toFloatArray(), 0, gradOut, 0, gradOut.length),
        contentT, styleT);
  }

  private Terms run(java.util.function.Function<NDManager, NDArray> input,
      java.util.function.Consumer<NDArray> gradSink, float[][] contentT, float[][] styleT) {
    synchronized (DjlEngine.LOCK) {
      try (NDManager sub = manager.newSubManager();
          GradientCollector gc = DjlEngine.get().newGradientCollector()) {
        NDArray in = input.apply(sub);
        in.setRequiresGradient(true);
        NDList f = block.forward(store, new NDList(in), false);
        NDArray c = null;
        for (int k = 0; k < content.length; k++) {
          NDArray a = f.get(content[k]);
          NDArray t = sub.create(contentT[k], a.getShape()).toType(type, false);
          NDArray d = a.sub(t).square().mean();
          c = c == null ? d : c.add(d);
        }
        NDArray st = null;
        for (int k = 0; k < style.length; k++) {
          NDArray g = gram(f.get(style[k]));
          NDArray t = sub.create(styleT[k], g.getShape()).toType(type, false);
          NDArray d = g.sub(t).square().mean();
          st = st == null ? d : st.add(d);
        }
        NDArray dv = in.get(new NDIndex(":, :, 1:, :")).sub(in.get(new NDIndex(":, :, :-1, :")));
        NDArray dh = in.get(new NDIndex(":, :, :, 1:")).sub(in.get(new NDIndex(":, :, :, :-1")));
        NDArray tv = dv.square().mean().add(dh.square().mean());
        NDArray value = c.mul(alpha).add(st.mul(beta)).add(tv.mul(gamma));
        if (gradSink != null) {
          gc.backward(value);
          gradSink.accept(in.getGradient());
        }
        return new Terms(scalar(c), scalar(st), scalar(tv), scalar(value));
      }
    }
  }

  private static double scalar(NDArray a) {
    return a.toType(DataType.FLOAT64, false).getDouble();
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /** Frees the block's native memory. */
  @Override
  public void close() {
    synchronized (DjlEngine.LOCK) {
      manager.close();
    }
  }
}
