package org.l2l4j.learned;

import java.util.Arrays;
import org.l2l4j.util.Parallel;

/**
 * The engine for the plain coordinatewise LSTM: every chunk of coordinates runs the {@link
 * LstmKernel} independently; the weight gradients of the chunks are summed in chunk order.
 */
public final class BlockedLstmEngine implements LstmEngine {
  private final LstmConfig config;
  private final LstmKernel kernel;
  private final Parallel parallel;
  private final int n;
  private final LstmKernel.Workspace[] workspaces;
  private double[][] partial;

  BlockedLstmEngine(LstmConfig config, LstmKernel kernel, Parallel parallel, int n) {
    if (config.gac() > 0) {
      throw new IllegalArgumentException("global averaging cells need GacLstmEngine");
    }
    this.config = config;
    this.kernel = kernel;
    this.parallel = parallel;
    this.n = n;
    this.workspaces = new LstmKernel.Workspace[parallel.threads()];
    for (int i = 0; i < workspaces.length; i++) {
      workspaces[i] = new LstmKernel.Workspace();
    }
  }

  @Override
  public void step(float[] weights, LstmState state, float[] grad, float[] update) {
    parallel.run(
        LstmEngine.chunks(n),
        (c, worker) ->
            kernel.step(config, weights, state, grad, c * CHUNK, Math.min(n, (c + 1) * CHUNK),
                update, workspaces[worker]));
  }

  @Override
  public void unrollBackward(
      float[] weights, LstmState state0, float[][] grads, int steps, double[] dWeights) {
    int chunks = LstmEngine.chunks(n);
    int p = config.parameterCount();
    if (partial == null) {
      partial = new double[chunks][p];
    }
    for (double[] a : partial) {
      Arrays.fill(a, 0);
    }
    parallel.run(
        chunks,
        (c, worker) ->
            kernel.unrollBackward(config, weights, state0, grads, steps, c * CHUNK,
                Math.min(n, (c + 1) * CHUNK), partial[c], workspaces[worker]));
    Arrays.fill(dWeights, 0);
    for (int c = 0; c < chunks; c++) {
      double[] a = partial[c];
      for (int j = 0; j < p; j++) {
        dWeights[j] += a[j];
      }
    }
  }
}
