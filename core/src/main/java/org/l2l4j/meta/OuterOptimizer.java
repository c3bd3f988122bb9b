package org.l2l4j.meta;

import java.util.Map;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.SavableState;

/**
 * The meta-trainer's outer optimizer with its state: the configured optimizer (any {@link
 * BaselineOptimizer}, by default Adam), its state over the learned optimizer's weights, and the
 * current learning rate, which starts at the configured one and is halved on repeated divergence
 * (so it is state, and checkpointed with the moments).
 *
 * @param <S> the type of the optimizer's state
 */
public final class OuterOptimizer<S extends SavableState> {
  private final BaselineOptimizer<S> optimizer;
  private final int n;
  private BaselineOptimizer<S> current;
  private S state;

  private OuterOptimizer(BaselineOptimizer<S> optimizer, int n) {
    this.optimizer = optimizer;
    this.n = n;
    this.current = optimizer;
    this.state = optimizer.init(n);
  }

  /** Fresh state over {@code n} weights, at the configured learning rate. */
  public static <S extends SavableState> OuterOptimizer<S> start(
      BaselineOptimizer<S> optimizer, int n) {
    return new OuterOptimizer<>(optimizer, n);
  }

  /** The optimizer as configured (its spec is what a resumed run must ask for). */
  public BaselineOptimizer<S> optimizer() {
    return optimizer;
  }

  /** The current learning rate. */
  public double learningRate() {
    return current.learningRate();
  }

  /** The state (moments), modified by {@link #step}. */
  public S state() {
    return state;
  }

  /** The number of weights the state covers. */
  public int size() {
    return n;
  }

  /**
   * One update at the current learning rate.
   *
   * @param weights the learned optimizer's weights (modified)
   * @param grad the meta-gradient (not modified)
   */
  public void step(float[] weights, float[] grad) {
    current.step(state, weights, grad);
  }

  /** Halves the learning rate and starts the state afresh (after repeated divergence). */
  public void halveLearningRate() {
    current = optimizer.withLearningRate(current.learningRate() / 2);
    state = optimizer.init(n);
  }

  /** Writes {@code learning_rate} and then the state's own values. */
  public void save(SavableState.Writer out) {
    out.number("learning_rate", learningRate());
    state.save(out);
  }

  /**
   * What {@link #save} writes, as a map in order: {@code float[]} copies, {@code Long} and {@code
   * Double} values.
   */
  public Map<String, Object> values() {
    return SavableState.values(this::save);
  }

  /**
   * Restores what {@link #save} wrote.
   *
   * @throws IllegalArgumentException naming the entry when a value is out of range
   */
  public void load(SavableState.Reader in) {
    double lr = in.number("learning_rate");
    if (!(lr > 0)) {
      throw new IllegalArgumentException("'learning_rate' must be > 0, got " + lr);
    }
    S fresh = optimizer.init(n);
    fresh.load(in);
    current = optimizer.withLearningRate(lr);
    state = fresh;
  }
}
