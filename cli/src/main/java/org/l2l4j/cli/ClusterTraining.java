package org.l2l4j.cli;

import java.util.ServiceLoader;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.ProblemFamily;

/**
 * Meta-training on a cluster ({@code train --spark MASTER}): an implementation found by {@link
 * ServiceLoader} trains as {@link MetaTrainer#train(ProblemFamily, TrainingState, MetaListener,
 * MetaTrainer.Checkpointing)} does, with the same result bit for bit, but with the optimizees of
 * each meta-batch spread over the cluster. The {@code l2l4j-spark} module provides one (in its own
 * jar, {@code spark/target/l2l4j-spark.jar}); the {@code l2l4j} jar has none.
 */
public interface ClusterTraining {
  /**
   * Trains {@code state} (modified and returned) until the trainer's epochs are done.
   *
   * @param master where to run, e.g. a Spark master URL ({@code local[2]}, {@code
   *     spark://host:7077}), as {@code --spark} gives it
   * @param checkpointing where to checkpoint; the path must be readable and writable from the
   *     cluster's workers
   * @param dataDirectory the {@code --data} folder, or null
   */
  TrainingState train(String master, MetaTrainer trainer, ProblemFamily family,
      TrainingState state, MetaListener listener, MetaTrainer.Checkpointing checkpointing,
      String dataDirectory);

  /**
   * The implementation on the class path, or a one-line error naming {@code --spark} when there
   * is none (the plain {@code l2l4j} jar).
   */
  static ClusterTraining find() {
    return ServiceLoader.load(ClusterTraining.class).findFirst().orElseThrow(() ->
        new UserException("--spark needs the l2l4j-spark jar (spark/target/l2l4j-spark.jar):"
            + " run ./l2l4j, which builds it on first use, or spark-submit that jar"));
  }
}
