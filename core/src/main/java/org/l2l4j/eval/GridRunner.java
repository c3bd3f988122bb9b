package org.l2l4j.eval;

import java.util.List;

/**
 * Where the runs of a grid go: every entry of a batch runs on every problem of one {@link
 * Evaluator}, and each entry's curve is handed to the {@link Listener} in entry order. {@link
 * #LOCAL} runs them in this JVM, one entry after another (each entry's problems on the evaluator's
 * pool), as {@link Tuner} and {@link Comparison} always did, and keeps no curve; another
 * implementation (the {@code l2l4j-spark} module's) may spread the (entry, problem) runs over a
 * cluster with {@link Evaluator#runProblem}. Every run is independent and seeded by its problem,
 * so any implementation hands over the same curves, bit for bit.
 */
public interface GridRunner {
  /** What a batch reports, one call at a time (possibly from a worker thread). */
  interface Listener {
    /** Entry {@code entry} (its index in the batch) has finished {@code done} of {@code total} problems. */
    default void runDone(int entry, int done, int total) {}

    /**
     * Entry {@code entry} is done and its curve is {@code curve}, as {@link Evaluator#run(String,
     * org.l2l4j.optim.Optimizer)} returns it. Called once per entry, in entry order.
     */
    void entryDone(int entry, Curve curve);
  }

  /** Runs every entry in this JVM, one after another, as {@link Evaluator#run(String,
   * org.l2l4j.optim.Optimizer, Evaluator.RunListener)} does. */
  GridRunner LOCAL = (evaluator, entries, listener) -> {
    for (int i = 0; i < entries.size(); i++) {
      int entry = i;
      Evaluator.Entry e = entries.get(i);
      Curve c = evaluator.run(e.name(), e.optimizer(),
          (done, total) -> listener.runDone(entry, done, total));
      listener.entryDone(entry, c);
    }
  };

  /** Runs every entry on every problem of {@code evaluator}, telling {@code listener}. */
  void run(Evaluator evaluator, List<Evaluator.Entry> entries, Listener listener);
}
