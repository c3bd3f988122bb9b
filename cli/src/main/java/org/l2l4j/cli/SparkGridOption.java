package org.l2l4j.cli;

import java.nio.file.Path;
import org.l2l4j.eval.GridRunner;
import org.l2l4j.problem.data.DataSets;
import picocli.CommandLine.Option;

/** {@code --spark MASTER} of {@code tune} and {@code eval}: where the grids' runs go. */
final class SparkGridOption {
  @Option(names = "--spark", paramLabel = "MASTER", description = "Run the tuning grid (every"
      + " learning rate x tuning problem) and the evaluation runs (every optimizer x test problem)"
      + " as Apache Spark jobs; the same numbers as without --spark, bit for bit. MASTER: a Spark"
      + " master URL (local[2], spark://host:7077, ...), or 'submit' under spark-submit. Needs the"
      + " l2l4j-spark jar: ./l2l4j runs it when --spark is given (README: Scale-out).")
  String spark;

  /** local, local[N], local[*], local[N,F], local[*,F], local-cluster[N,C,M]. */
  private static final java.util.regex.Pattern LOCAL = java.util.regex.Pattern.compile(
      "local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?\\])?|local-cluster\\[[0-9]+,[0-9]+,[0-9]+\\]");

  /**
   * Fails with a one-line error, before anything runs, when the --spark value is not a master
   * URL (a local form, SCHEME://..., yarn, or submit) or no cluster runner is on the class path.
   */
  void check() {
    if (spark == null) {
      return;
    }
    if (!(LOCAL.matcher(spark).matches() || spark.matches("[a-z][a-z0-9+.-]*://.+")
        || spark.equals("yarn") || spark.equals("submit"))) {
      throw new UserException("--spark " + spark + ": not a Spark master URL (local[N],"
          + " local[N,F], spark://HOST:PORT, yarn, k8s://..., or submit under spark-submit)");
    }
    ClusterGrids.find();
  }

  /** The runner: a cluster session for --spark (after {@code --data} is applied), else local. */
  ClusterGrids.Session open() {
    if (spark == null) {
      return new ClusterGrids.Session() {
        @Override
        public void run(org.l2l4j.eval.Evaluator evaluator,
            java.util.List<org.l2l4j.eval.Evaluator.Entry> entries, GridRunner.Listener listener) {
          GridRunner.LOCAL.run(evaluator, entries, listener);
        }

        @Override
        public void close() {}
      };
    }
    Path data = DataSets.defaultDirectory();
    return ClusterGrids.find().open(spark, data == null ? null : data.toAbsolutePath().toString());
  }
}
