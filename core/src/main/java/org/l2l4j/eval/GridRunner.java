package org.l2l4j.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the runs of a grid go: every entry of a batch runs on every problem of one {@link
 * Evaluator}, and the curves come back in entry order. {@link #LOCAL} runs them in this JVM, one
 * entry after another (each entry's problems on the evaluator's pool), as {@link Tuner} and
 * {@link Comparison} always did; another implementation (the {@code l2l4j-spark} module's) may
 * spread the (entry, problem) runs over a cluster with {@link Evaluator#runProblem}. Every run is
 * independent and seeded by its problem, so any implementation returns the same curves, bit for
 * bit.
 */
public interface GridRunner {
  /**
   * Progress of a batch: entry {@code entry} has finished {@code done} of its {@code total}
   * problems ({@link #runDone}), or all of them ({@link #entryDone}). Called one at a time.
   */
  interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = (entry, done, total) -> {};

    /** Entry {@code entry} (its index in the batch) has finished {@code done} of {@code total} problems. */
    void runDone(int entry, int done, int total);

    /** Entry {@code entry} is done; its curve is {@code curve}. */
    default void entryDone(int entry, Curve curve) {}
  }

  /** Runs every entry in this JVM, one after another, as {@link Evaluator#run(String,
   * org.l2l4j.optim.Optimizer, Evaluator.RunListener)} does. */
  GridRunner LOCAL = (evaluator, entries, listener) -> {
    List<Curve> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      int entry = i;
      Evaluator.Entry e = entries.get(i);
      Curve c = evaluator.run(e.name(), e.optimizer(),
          (done, total) -> listener.runDone(entry, done, total));
      listener.entryDone(entry, c);
      out.add(c);
    }
    return List.copyOf(out);
  };

  /**
   * Runs every entry on every problem of {@code evaluator}.
   *
   * @return one curve per entry, in the order of {@code entries}, as {@link Evaluator#run(String,
   *     org.l2l4j.optim.Optimizer)} returns it
   */
  List<Curve> run(Evaluator evaluator, List<Evaluator.Entry> entries, Listener listener);
}
