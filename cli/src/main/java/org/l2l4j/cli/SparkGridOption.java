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

  /** Fails with a one-line error when --spark is given but no cluster runner is on the class path. */
  void check() {
    if (spark != null) {
      ClusterGrids.find();
    }
  }

  /** The runner: a cluster session for --spark (after {@code --data} is applied), else local. */
  ClusterGrids.Session open() {
    if (spark == null) {
      return new ClusterGrids.Session() {
        @Override
        public java.util.List<org.l2l4j.eval.Curve> run(org.l2l4j.eval.Evaluator evaluator,
            java.util.List<org.l2l4j.eval.Evaluator.Entry> entries, GridRunner.Listener listener) {
          return GridRunner.LOCAL.run(evaluator, entries, listener);
        }

        @Override
        public void close() {}
      };
    }
    Path data = DataSets.defaultDirectory();
    return ClusterGrids.find().open(spark, data == null ? null : data.toAbsolutePath().toString());
  }
}
