package org.l2l4j.optim;

/**
 * A hand-designed optimizer with a learning rate that can be tuned on a grid. Its state saves
 * itself ({@link SavableState}), so any of them can be the meta-trainer's outer optimizer.
 *
 * @param <S> the type of the per-run state
 */
public interface BaselineOptimizer<S extends SavableState> extends Optimizer<S> {

  /** The learning rate. */
  double learningRate();

  /** A copy with learning rate {@code lr}, every other setting unchanged. */
  BaselineOptimizer<S> withLearningRate(double lr);

  /** The optimizer's short name in spec strings ({@code sgd}, {@code adam}, ...). */
  String name();

  /** Checks a learning rate, naming the optimizer in the error. */
  static double checkLr(String name, double lr) {
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new org.l2l4j.util.SpecException(name + ": learning rate must be finite and > 0, got " + lr);
    }
    return lr;
  }
}
