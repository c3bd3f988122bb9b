package org.l2l4j.learned;

/**
 * The two hot operations of the coordinatewise LSTM over a contiguous range of coordinates. Every
 * coordinate is independent of the others, so callers split [0, n) into ranges and run them on
 * any number of threads. Implementations: {@link ScalarLstmKernel} (plain loops; the oracle and
 * the fallback) and a Vector API kernel where {@code jdk.incubator.vector} is available.
 */
public interface LstmKernel {

  /** A short name for logs and benchmarks. */
  String name();

  /**
   * One optimizer step for coordinates [from, to): preprocesses {@code grad}, advances the
   * recurrent state and writes the proposed update g_t.
   *
   * @param config the architecture
   * @param weights the flat weights (not modified)
   * @param state the recurrent state (modified in [from, to))
   * @param grad ∇f(θ_t) (not modified)
   * @param updateOut receives the update for [from, to) (modified)
   * @param ws scratch owned by the calling thread (modified)
   */
  void step(
      LstmConfig config,
      float[] weights,
      LstmState state,
      float[] grad,
      int from,
      int to,
      float[] updateOut,
      Workspace ws);

  /**
   * The meta-gradient of one unroll of T steps for coordinates [from, to), with second derivatives
   * of f dropped (SPEC §1). The forward pass of the unroll is recomputed from {@code state0} and
   * the recorded gradients, block by block, so that only the gradients need to be kept between
   * the forward and the backward pass. The kernel only backpropagates the meta-loss derivative it
   * is given: the upstream gradient of the update g_t (θ_{t+1} = θ_t + g_t) is Σ_{s=t+1..T}
   * {@code lossGrads[s]}, where {@code lossGrads[s]} = ∂L/∂θ_s with the dependence of ∇_s on θ_s
   * dropped. For the plain meta-loss L = Σ_{s=1..T} f(θ_s) that is ∇_s, so {@code lossGrads} may
   * be {@code grads} itself; the trainer's {@code MetaLoss} supplies weighted or transformed ones.
   *
   * @param state0 the recurrent state at the start of the unroll (not modified)
   * @param grads {@code grads[t]} = ∇_t for t = 0..T, the LSTM's inputs (not modified)
   * @param lossGrads {@code lossGrads[t]} = ∂L/∂θ_t for t = 1..T, indexed as {@code grads} (not
   *     modified; entry 0 is never read)
   * @param steps T
   * @param dWeights accumulates ∂L/∂φ (modified: the range's contribution is added)
   * @param ws scratch owned by the calling thread (modified)
   */
  void unrollBackward(
      LstmConfig config,
      float[] weights,
      LstmState state0,
      float[][] grads,
      float[][] lossGrads,
      int steps,
      int from,
      int to,
      double[] dWeights,
      Workspace ws);

  /**
   * Bytes per coordinate and step that {@link #recordStep} keeps when it records the layers from
   * {@code firstLayer} on (a layer index in [0, depth]; depth records nothing): 0 if this kernel
   * never records, in which case {@link #unrollBackward(LstmConfig, float[], LstmState, float[][],
   * float[][], int, int, int, double[], Workspace, Recording)} always recomputes.
   */
  default long recordBytesPerCoordinateStep(LstmConfig config, int firstLayer) {
    return 0;
  }

  /**
   * {@link #step} that also records in {@code rec}, as step {@code t} of an unroll, what the
   * backward pass would otherwise recompute for layers [{@code rec.firstLayer}, depth). The
   * results (update, state) are bit-identical to {@link #step}. The default records nothing.
   *
   * @param rec the recording of this range (modified; the kernel owns {@link Recording#data})
   * @param t the step's index in the unroll; step t = 0 starts a new recording
   */
  default void recordStep(
      LstmConfig config,
      float[] weights,
      LstmState state,
      float[] grad,
      int from,
      int to,
      float[] updateOut,
      Workspace ws,
      Recording rec,
      int t) {
    step(config, weights, state, grad, from, to, updateOut, ws);
  }

  /**
   * {@link #unrollBackward(LstmConfig, float[], LstmState, float[][], float[][], int, int, int,
   * double[], Workspace)} with the activations recorded by {@link #recordStep} for steps
   * 0..steps−1 of this range, which the caller guarantees were run from {@code state0} with {@code
   * weights} and {@code grads} ({@code lossGrads} is not recorded and may be anything); the result
   * is bit-identical to the recomputing pass. With {@code rec == null}, or a recording this kernel
   * did not make, it recomputes.
   *
   * @param rec the recording of this range (not modified)
   */
  default void unrollBackward(
      LstmConfig config,
      float[] weights,
      LstmState state0,
      float[][] grads,
      float[][] lossGrads,
      int steps,
      int from,
      int to,
      double[] dWeights,
      Workspace ws,
      Recording rec) {
    unrollBackward(config, weights, state0, grads, lossGrads, steps, from, to, dWeights, ws);
  }

  /**
   * The cell passes {@link GacLstmEngine} runs for configurations with global averaging cells
   * (which couple the coordinates, so they cannot use {@link #unrollBackward}): plain loops unless
   * the kernel has faster ones.
   */
  default GacCells gacCells() {
    return ScalarGacCells.INSTANCE;
  }

  /**
   * What {@link #recordStep} kept of one unroll over one range of coordinates, owned by the caller
   * (one per range) and filled by the kernel.
   */
  final class Recording {
    /** Layers from this one on are recorded (depth: none). */
    public final int firstLayer;
    /** The kernel's arrays, grown on demand and reused by later unrolls. */
    public Object data;

    /** An empty recording of the layers from {@code firstLayer} on. */
    public Recording(int firstLayer) {
      this.firstLayer = firstLayer;
    }
  }

  /** Per-thread scratch; a kernel may keep anything in it. */
  final class Workspace {
    /** Scratch arrays, grown on demand by the kernel that owns them. */
    public Object scratch;
  }
}
