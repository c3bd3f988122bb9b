package org.l2l4j.spark;

import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.l2l4j.cli.ClusterTraining;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.ProblemFamily;

/**
 * {@code l2l4j train --spark MASTER}: starts (or, under {@code spark-submit} with MASTER {@code
 * submit}, joins) a Spark session and runs {@link SparkMetaTraining} with min(meta-batch, the
 * session's default parallelism) tasks.
 */
public final class SparkClusterTraining implements ClusterTraining {
  /** The master value that means "the master spark-submit gave". */
  public static final String SUBMIT = "submit";

  @Override
  public TrainingState train(String master, MetaTrainer trainer, ProblemFamily family,
      TrainingState state, MetaListener listener, MetaTrainer.Checkpointing checkpointing,
      String dataDirectory) {
    SparkSession.Builder builder = SparkSession.builder().appName("l2l4j train");
    if (!master.equals(SUBMIT)) {
      builder.master(master);
    }
    if (master.startsWith("local")) {
      builder.config("spark.ui.enabled", "false");
    }
    SparkSession session = builder.getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
      int tasks = Math.max(1, Math.min(trainer.config().metaBatch(), sc.defaultParallelism()));
      long t0 = System.nanoTime();
      SparkMetaTraining.Result r = SparkMetaTraining.run(sc,
          SparkMetaTraining.job(trainer, family, state, checkpointing, dataDirectory, tasks));
      double seconds = (System.nanoTime() - t0) / 1e9;
      long updates = r.state().updates - state.updates;
      System.err.printf(Locale.ROOT, "l2l4j spark: %d tasks, %d meta-updates in %.1f s"
          + " (%.1f ms each), %.0f bytes of meta-gradient messages per exchange%n", tasks,
          updates, seconds, updates > 0 ? 1e3 * seconds / updates : 0.0, r.bytesPerExchange());
      return r.state();
    } finally {
      session.stop();
    }
  }
}
