package org.l2l4j.cli;

import java.util.ServiceLoader;
import org.l2l4j.eval.GridRunner;

/**
 * Tuning and evaluation grids on a cluster ({@code tune --spark MASTER}, {@code eval --spark
 * MASTER}): an implementation found by {@link ServiceLoader} opens a {@link Session}, a {@link
 * GridRunner} whose (optimizer, problem) runs go to the cluster, with the same curves bit for bit
 * as {@link GridRunner#LOCAL}. The {@code l2l4j-spark} module provides one (in its own jar, {@code
 * spark/target/l2l4j-spark.jar}); the {@code l2l4j} jar has none.
 */
public interface ClusterGrids {
  /** A runner on an open cluster session; {@link #close} ends the session. */
  interface Session extends GridRunner, AutoCloseable {
    @Override
    void close();
  }

  /**
   * Opens a session.
   *
   * @param master where to run, e.g. a Spark master URL ({@code local[2]}, {@code
   *     spark://host:7077}), as {@code --spark} gives it
   * @param dataDirectory the {@code --data} folder, or null
   */
  Session open(String master, String dataDirectory);

  /**
   * The implementation on the class path, or a one-line error naming {@code --spark} when there
   * is none (the plain {@code l2l4j} jar).
   */
  static ClusterGrids find() {
    return ServiceLoader.load(ClusterGrids.class).findFirst().orElseThrow(() ->
        new UserException("--spark needs the l2l4j-spark jar (spark/target/l2l4j-spark.jar):"
            + " run ./l2l4j, which builds it on first use, or spark-submit that jar"));
  }
}
