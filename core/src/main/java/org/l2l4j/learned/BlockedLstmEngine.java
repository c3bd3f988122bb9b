package org.l2l4j.learned;

import java.util.Arrays;
import org.l2l4j.util.Parallel;

/**
 * The engine for the plain coordinatewise LSTM: every chunk of coordinates runs the {@link
 * LstmKernel} independently; the weight gradients of the chunks are summed in chunk order.
 *
 * <p>Recording: after {@link #beginUnroll}, the steps of the unroll keep what the kernel's
 * backward pass would otherwise recompute ({@link LstmKernel#recordStep}), for as many of the top
 * layers as fit in the tape budget: all layers if n·T·{@link
 * LstmKernel#recordBytesPerCoordinateStep} ≤ budget, else the top layers only, else none (the
 * backward pass recomputes the whole forward pass), T being the longest unroll begun so far. The
 * tape is kept and reused by later unrolls.
 */
public final class BlockedLstmEngine implements LstmEngine {
  private final LstmConfig config;
  private final LstmKernel kernel;
  private final Parallel parallel;
  private final int n;
  private final long tapeBudget;
  private final LstmKernel.Workspace[] workspaces;
  private double[][] partial;
  /** Per chunk, or null when the current unroll is not recorded. */
  private LstmKernel.Recording[] recordings;
  private int firstRecorded = -1;
  /** The longest unroll begun so far; the recorded layers are chosen for it. */
  private int maxSteps;
  private long recordedBytes;
  // the unroll being recorded
  private LstmState unrollState0;
  private int unrollSteps;
  private int stepsDone;
  private float[][] unrollGrads = new float[0][];
  private float[] unrollWeights;

  BlockedLstmEngine(
      LstmConfig config, LstmKernel kernel, Parallel parallel, int n, long tapeBudget) {
    if (config.gac() > 0) {
      throw new IllegalArgumentException("global averaging cells need GacLstmEngine");
    }
    if (tapeBudget < 0) {
      throw new IllegalArgumentException("tape budget must be >= 0, got " + tapeBudget);
    }
    this.config = config;
    this.kernel = kernel;
    this.parallel = parallel;
    this.n = n;
    this.tapeBudget = tapeBudget;
    this.workspaces = new LstmKernel.Workspace[parallel.threads()];
    for (int i = 0; i < workspaces.length; i++) {
      workspaces[i] = new LstmKernel.Workspace();
    }
  }

  /**
   * The first layer recorded for an unroll of {@code steps} steps within {@code budget} bytes
   * (depth: none), as {@link BlockedLstmEngine} chooses it.
   */
  public static int firstRecordedLayer(
      LstmConfig config, LstmKernel kernel, int n, int steps, long budget) {
    for (int l = 0; l < config.depth(); l++) {
      long per = kernel.recordBytesPerCoordinateStep(config, l);
      if (per > 0 && per <= budget / ((long) n * steps)) {
        return l;
      }
    }
    return config.depth();
  }

  /**
   * The automatic tape budget: 0, so the backward pass recomputes. Measured on the README's
   * Xeon (one thread, about 7 GB/s to memory, the kernel with aligned buffers): recording at best
   * broke even at n = 1,280 (16 MB of tape: 15.5 against 15.8 ms per unroll at best, 18.9 against
   * 17.6 ms on average over 300) and lost at n = 15,910 (204 MB: 271 against 214 ms, best of 40),
   * writing the tape slowing the forward steps more than reading it speeds up the backward pass. A budget set
   * explicitly ({@code -Dl2l4j.tapeMemory=MB}) still records, for machines where memory is faster.
   */
  public static long automaticTapeBudget() {
    return 0;
  }

  @Override
  public void beginUnroll(LstmState state0, int steps) {
    maxSteps = Math.max(maxSteps, steps);
    int first = firstRecordedLayer(config, kernel, n, maxSteps, tapeBudget);
    if (first >= config.depth()) {
      recordings = null;
      recordedBytes = 0;
      unrollState0 = null;
      return;
    }
    if (recordings == null || first != firstRecorded) {
      recordings = new LstmKernel.Recording[LstmEngine.chunks(n)];
      for (int c = 0; c < recordings.length; c++) {
        recordings[c] = new LstmKernel.Recording(first);
      }
      firstRecorded = first;
    }
    recordedBytes = kernel.recordBytesPerCoordinateStep(config, first) * n * maxSteps;
    unrollState0 = state0;
    unrollSteps = steps;
    stepsDone = 0;
    if (unrollGrads.length < steps) {
      unrollGrads = new float[steps][];
    }
  }

  @Override
  public long recordedBytes() {
    return recordings == null ? 0 : recordedBytes;
  }

  @Override
  public void step(float[] weights, LstmState state, float[] grad, float[] update) {
    if (unrollState0 != null && stepsDone < unrollSteps) {
      int t = stepsDone;
      if (t == 0) {
        unrollWeights = weights.clone();
      }
      unrollGrads[t] = grad;
      parallel.run(
          LstmEngine.chunks(n),
          (c, worker) ->
              kernel.recordStep(config, weights, state, grad, c * CHUNK,
                  Math.min(n, (c + 1) * CHUNK), update, workspaces[worker], recordings[c], t));
      stepsDone = t + 1;
      return;
    }
    unrollState0 = null; // a step beyond the unroll: the recording no longer matches
    parallel.run(
        LstmEngine.chunks(n),
        (c, worker) ->
            kernel.step(config, weights, state, grad, c * CHUNK, Math.min(n, (c + 1) * CHUNK),
                update, workspaces[worker]));
  }

  /** True if the current recording is exactly the unroll {@code unrollBackward} is asked for. */
  private boolean recordingMatches(float[] weights, LstmState state0, float[][] grads, int steps) {
    if (unrollState0 == null || state0 != unrollState0 || steps != stepsDone
        || grads.length < steps || !Arrays.equals(weights, unrollWeights)) {
      return false;
    }
    for (int t = 0; t < steps; t++) {
      if (grads[t] != unrollGrads[t]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void unrollBackward(
      float[] weights, LstmState state0, float[][] grads, float[][] lossGrads, int steps,
      double[] dWeights) {
    int chunks = LstmEngine.chunks(n);
    int p = config.parameterCount();
    if (partial == null) {
      partial = new double[chunks][p];
    }
    for (double[] a : partial) {
      Arrays.fill(a, 0);
    }
    LstmKernel.Recording[] rec =
        recordingMatches(weights, state0, grads, steps) ? recordings : null;
    unrollState0 = null;
    Arrays.fill(unrollGrads, null);
    parallel.run(
        chunks,
        (c, worker) ->
            kernel.unrollBackward(config, weights, state0, grads, lossGrads, steps, c * CHUNK,
                Math.min(n, (c + 1) * CHUNK), partial[c], workspaces[worker],
                rec == null ? null : rec[c]));
    Arrays.fill(dWeights, 0);
    for (int c = 0; c < chunks; c++) {
      double[] a = partial[c];
      for (int j = 0; j < p; j++) {
        dWeights[j] += a[j];
      }
    }
  }
}
