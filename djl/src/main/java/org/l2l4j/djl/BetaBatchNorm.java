package org.l2l4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation with a learned shift β only and always the statistics of the current
 * minibatch (SPEC §5, the paper's conv net): y = (x − mean) / √(var + ε) + β per channel, the
 * mean and the biased variance over the batch (and, for N × C × H × W input, the pixels). It has
 * no scale γ and no running statistics, so training and inference compute the same thing. Takes
 * N × C or N × C × H × W input; β has C entries.
 */
public final class BetaBatchNorm extends AbstractBlock {
  /** ε, as PyTorch's and DJL's batch norm. */
  public static final float EPSILON = 1e-5f;

  private static final byte VERSION = 1;

  private final Parameter beta;

  /** A block whose β is initialised by its {@link Parameter.Type#BETA} initializer (zeros). */
  public BetaBatchNorm() {
    super(VERSION);
    beta = addParameter(
        Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optRequiresGrad(true)
            .build());
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    beta.setShape(new Shape(inputShapes[0].get(1)));
  }

  @Override
  protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    int dims = x.getShape().dimension();
    if (dims != 2 && dims != 4) {
      throw new IllegalArgumentException("BetaBatchNorm takes N x C or N x C x H x W input, got "
          + x.getShape());
    }
    int[] axes = dims == 4 ? new int[] {0, 2, 3} : new int[] {0};
    NDArray b = parameterStore.getValue(beta, x.getDevice(), training);
    NDArray bb = b.reshape(dims == 4 ? new Shape(1, -1, 1, 1) : new Shape(1, -1));
    bb.attach(x.getManager()); // a view made per call: freed with the input, not the parameter
    NDArray centred = x.sub(mean(x, axes));
    NDArray var = mean(centred.square(), axes);
    return new NDList(centred.div(var.add(EPSILON).sqrt()).add(bb));
  }

  /** The mean over {@code axes}, kept as size-1 axes (one axis at a time: the engine's limit). */
  private static NDArray mean(NDArray x, int[] axes) {
    NDArray m = x;
    for (int k = axes.length - 1; k >= 0; k--) {
      m = m.mean(new int[] {axes[k]}, true);
    }
    return m;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
