package org.l2l4j.learned;

import java.util.List;
import org.l2l4j.problem.ParamGroup;

/**
 * The input normalisation of {@link LstmConfig#norm}: per coordinate, the running second moment
 * v_t = β·v_{t−1} + (1 − β)·∇_t² (v_0 = 0) and the LSTM's input x_t = ∇_t / √(v_t / (1 − β^t) +
 * ε). One instance follows one optimizee run; each parameter group uses its own net's β, and
 * coordinates of a group whose net has {@code norm=0} pass through unchanged.
 *
 * <p>Computed in double precision per coordinate and stored in float, in a fixed order: the
 * results do not depend on threads.
 */
public final class InputNorm {
  /** ε under the square root; it only matters for gradients of exactly zero. */
  public static final double EPS = 1e-16;

  private final int[] ranges;
  private final double[] betas;
  private final float[] v;
  private final double[] decay;
  private int t;

  private InputNorm(int[] ranges, double[] betas, int n) {
    this.ranges = ranges;
    this.betas = betas;
    this.v = new float[n];
    this.decay = new double[betas.length];
    java.util.Arrays.fill(decay, 1.0);
  }

  /**
   * The normalisation for {@code nets} bound to {@code groups} over [0, n), or {@code null} when
   * no net normalises its input.
   *
   * @param groups the bound groups, one per net in the nets' order
   */
  public static InputNorm of(NetGroups nets, List<ParamGroup> groups, int n) {
    int count = 0;
    for (int g = 0; g < nets.size(); g++) {
      if (nets.configs().get(g).norm() > 0) {
        count += groups.get(g).ranges().length / 2;
      }
    }
    if (count == 0) {
      return null;
    }
    int[] ranges = new int[2 * count];
    double[] betas = new double[count];
    int k = 0;
    for (int g = 0; g < nets.size(); g++) {
      double beta = nets.configs().get(g).norm();
      if (beta > 0) {
        int[] r = groups.get(g).ranges();
        for (int j = 0; j < r.length; j += 2) {
          ranges[2 * k] = r[j];
          ranges[2 * k + 1] = r[j + 1];
          betas[k++] = beta;
        }
      }
    }
    return new InputNorm(ranges, betas, n);
  }

  /** Starts a new run: v = 0, t = 0. */
  public void reset() {
    java.util.Arrays.fill(v, 0f);
    java.util.Arrays.fill(decay, 1.0);
    t = 0;
  }

  /** The number of steps normalised since the last {@link #reset}. */
  public int steps() {
    return t;
  }

  /**
   * Advances the moments by one step and writes the LSTM's input.
   *
   * @param grad ∇_t (not modified)
   * @param out receives x_t; coordinates outside the normalised groups get ∇_t (modified; may be
   *     {@code grad} itself)
   */
  public void apply(float[] grad, float[] out) {
    if (out != grad) {
      System.arraycopy(grad, 0, out, 0, grad.length);
    }
    t++;
    for (int k = 0; k < betas.length; k++) {
      double beta = betas[k];
      decay[k] *= beta;
      double correction = 1.0 / (1.0 - decay[k]);
      for (int i = ranges[2 * k]; i < ranges[2 * k + 1]; i++) {
        double g = grad[i];
        double vi = beta * v[i] + (1 - beta) * g * g;
        v[i] = (float) vi;
        out[i] = (float) (g / Math.sqrt(vi * correction + EPS));
      }
    }
  }
}
