package org.l2l4j.optim;

/**
 * An update rule θ ← θ + g(∇, state). The optimizer itself is an immutable configuration; all
 * mutable state lives in the {@link State} object that {@link #init} returns and the caller owns,
 * so one optimizer can drive any number of independent runs.
 *
 * <p>Hand-designed rules ({@link Sgd}, {@link Nag}, {@link RmsProp}, {@link Adam}) and the learned
 * LSTM optimizer (once its weights are frozen) share this interface; evaluation never special-cases
 * either.
 *
 * <p>The type parameter is the state's class, so that {@link #step} needs no cast; code that holds
 * optimizers of several kinds uses {@code Optimizer<?>} and a generic method to run one.
 *
 * @param <S> the type of the per-run state
 */
public interface Optimizer<S extends Optimizer.State> {

  /** Mutable per-run state (moments, recurrent state). Owned by the caller. */
  interface State {}

  /** The state of an optimizer that keeps none ({@link Sgd}). */
  enum Stateless implements SavableState {
    /** The only value. */
    INSTANCE;

    @Override
    public void save(Writer out) {}

    @Override
    public void load(Reader in) {}
  }

  /**
   * The spec string: for a hand-designed optimizer {@link Optimizers#parseBaseline(String)} turns
   * it back into an equal optimizer; a learned one gives its configuration's spec.
   */
  String spec();

  /** Fresh state for a run over {@code n} coordinates. */
  S init(int n);

  /**
   * Applies one update in place.
   *
   * @param state the run's state from {@link #init} (modified)
   * @param theta the parameters (modified)
   * @param grad ∇f(θ) (not modified)
   */
  void step(S state, float[] theta, float[] grad);

  /** True for learned optimizers; reports draw them solid and baselines dashed. */
  default boolean learned() {
    return false;
  }
}
