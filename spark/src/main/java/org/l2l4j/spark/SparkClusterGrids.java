package org.l2l4j.spark;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.l2l4j.cli.ClusterGrids;
import org.l2l4j.eval.Evaluator;

/**
 * {@code l2l4j tune --spark MASTER} and {@code l2l4j eval --spark MASTER}: starts (or, under
 * {@code spark-submit} with MASTER {@code submit}, joins) a Spark session whose {@link
 * SparkGrids} runs the grids; closing the session stops it.
 */
public final class SparkClusterGrids implements ClusterGrids {
  @Override
  public Session open(String master, String dataDirectory) {
    SparkSession.Builder builder = SparkSession.builder().appName("l2l4j grids");
    if (!master.equals(SparkClusterTraining.SUBMIT)) {
      builder.master(master);
    }
    if (master.startsWith("local")) {
      builder.config("spark.ui.enabled", "false");
    }
    SparkSession session = builder.getOrCreate();
    SparkGrids grids = new SparkGrids(JavaSparkContext.fromSparkContext(session.sparkContext()),
        dataDirectory);
    return new Session() {
      @Override
      public void run(Evaluator evaluator, List<Evaluator.Entry> entries, Listener listener) {
        grids.run(evaluator, entries, listener);
      }

      @Override
      public void close() {
        session.stop();
      }
    };
  }
}
