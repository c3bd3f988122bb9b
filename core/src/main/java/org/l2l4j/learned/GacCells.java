package org.l2l4j.learned;

/**
 * The per-layer work of {@link GacLstmEngine} on a range of coordinates: the cell forward and the
 * cell backward of one layer at one step. Every array is unit-major over all {@code n}
 * coordinates (unit k of coordinate i at {@code k·n + i}); a worker touches coordinates [from,
 * to) only, so workers run on disjoint ranges in parallel. {@link ScalarGacCells} is the plain
 * oracle and fallback; the Vector API kernel supplies a vectorised one ({@link
 * LstmKernel#gacCells}).
 */
public interface GacCells {
  /** A worker for one thread: it owns its scratch. */
  Worker worker(LstmConfig config, int n);

  /** Per-thread state of a {@link GacCells}. */
  interface Worker {
    /** Called before the parallel passes of an engine call with the weights they will use. */
    void prepare(float[] w);

    /**
     * Layer l for coordinates [from, to): c = σ(f + 1)·c_prev + σ(i)·tanh(j), h = tanh(c)·σ(o)
     * from the inputs {@code x} (the features or the layer below's h) and the previous {@code hp},
     * {@code cp}. The gates σ(i), tanh(j), σ(f + 1), σ(o) and tanh(c) are recorded when {@code
     * gOut} is not null. Outputs may alias {@code hp} / {@code cp}.
     */
    void forward(int l, float[] x, float[] hp, float[] cp, float[] cOut, float[] hOut,
        float[] gOut, float[] tcOut, int from, int to);

    /**
     * The backward pass of layer l at one step for coordinates [from, to). The gradient of the
     * outgoing h is {@code dhOut}, except for the first {@code gac} units, whose gradient is
     * {@code means[k]} for every coordinate (the averaged cell's gradient shared out equally).
     * {@code dcn} holds ∂L/∂c_t and becomes ∂L/∂c_{t−1}; the gradients of the inputs go to
     * {@code dhBelow} (rows of the layer below's h; not written for l = 0) and of h_prev to
     * {@code dhPrev} (overwritten); the weight and bias gradients are added to {@code dW}.
     */
    void backward(int l, int gac, float[] means, float[] dhOut, float[] gates, float[] tc,
        float[] cp, float[] hp, float[] x, float[] dcn, float[] dhBelow, float[] dhPrev,
        int from, int to, double[] dW);
  }
}
