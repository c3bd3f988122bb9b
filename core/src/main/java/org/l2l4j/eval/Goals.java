package org.l2l4j.eval;

import java.util.List;

/**
 * The generalisation goals (issue 13) checked for one learned optimizer on one task at one horizon
 * H, from mean losses over the same test problems: the learned optimizer's curve and the curves of
 * the baselines tuned for this task and this horizon. A goal that does not apply is {@code null}.
 *
 * <ul>
 *   <li>{@link #belowStart}: the mean at step H is below the mean at step 0 (finite).
 *   <li>{@link #belowOwnStep100}: the mean at step H is below its own mean at step {@value
 *       #STEP}; only for H &gt; {@value #STEP}.
 *   <li>{@link #belowAdamAtStep100}: at H = {@value #STEP}, the mean at step H is below tuned
 *       Adam's (the baseline named {@value #ADAM}); null at other horizons or without Adam.
 *   <li>{@link #nearBest}: the mean at step H is at most {@value #FACTOR}× the best baseline's, or
 *       both are below {@value #TINY} × the mean at step 0; null when no baseline has a curve
 *       that did not diverge.
 * </ul>
 *
 * @param learned the learned optimizer's curve name
 * @param steps H
 * @param start the learned optimizer's mean loss at step 0 (the task's initial loss: every
 *     optimizer starts from the same problems)
 * @param last its mean at step H
 * @param diverged whether its curve {@linkplain Curve#diverged diverged}
 * @param best the best baseline's name (lowest mean at step H among the baselines that did not
 *     diverge), or null
 * @param bestLast the best baseline's mean at step H (NaN without one)
 * @param ratio last / bestLast (NaN without a best baseline)
 * @param adamLast tuned Adam's mean at step H (NaN without Adam)
 * @param belowStart see above
 * @param belowOwnStep100 see above
 * @param belowAdamAtStep100 see above
 * @param nearBest see above
 */
public record Goals(String learned, int steps, double start, double last, boolean diverged,
    String best, double bestLast, double ratio, double adamLast, Boolean belowStart,
    Boolean belowOwnStep100, Boolean belowAdamAtStep100, Boolean nearBest) {

  /** The step of the "at step 100" goals. */
  public static final int STEP = 100;

  /** The factor of "within 2× of the best tuned baseline". */
  public static final double FACTOR = 2;

  /** The fraction of the initial loss below which two losses count as equally tiny. */
  public static final double TINY = 1e-4;

  /** The baseline name whose loss the "below tuned Adam" goal compares with. */
  public static final String ADAM = "adam";

  /**
   * Checks the goals for {@code learned} against {@code baselines} (curves of the same steps,
   * each tuned for them).
   *
   * @throws IllegalArgumentException if a baseline has another number of steps
   */
  public static Goals of(Curve learned, List<Curve> baselines) {
    int h = learned.steps();
    double[] m = learned.mean();
    double start = m[0];
    double last = m[h];
    String best = null;
    double bestLast = Double.NaN;
    double adamLast = Double.NaN;
    for (Curve b : baselines) {
      if (b.steps() != h) {
        throw new IllegalArgumentException("baseline '" + b.name() + "' has " + b.steps()
            + " steps, the learned optimizer " + h);
      }
      double bl = b.meanAt(h);
      if (b.name().equals(ADAM)) {
        adamLast = bl;
      }
      if (!b.diverged() && (best == null || bl < bestLast)) {
        best = b.name();
        bestLast = bl;
      }
    }
    Boolean belowStart = last < start;
    Boolean belowOwn = h > STEP ? (Boolean) (last < m[STEP]) : null;
    Boolean belowAdam = (h == STEP && !Double.isNaN(adamLast)) ? (Boolean) (last < adamLast) : null;
    Boolean near = null;
    if (best != null) {
      near = (last <= FACTOR * bestLast) || (last < TINY * start && bestLast < TINY * start);
    }
    double ratio = best == null ? Double.NaN : last / bestLast;
    return new Goals(learned.name(), h, start, last, learned.diverged(), best, bestLast, ratio,
        adamLast, belowStart, belowOwn, belowAdam, near);
  }
}
