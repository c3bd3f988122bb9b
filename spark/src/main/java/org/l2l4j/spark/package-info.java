/**
 * Meta-training on Apache Spark ({@code l2l4j train --spark MASTER}; artifact {@code
 * l2l4j-spark}, jar {@code spark/target/l2l4j-spark.jar}): the optimizees of each meta-batch
 * ({@link org.l2l4j.meta.MetaTrainerConfig#metaBatch}) are spread over the tasks of one barrier
 * stage. Each task owns its optimizees (θ, the LSTM state, the problem) for the whole run and
 * sends only their meta-gradients each unroll (over TCP through task 0, {@link SocketExchange};
 * or through {@link org.apache.spark.BarrierTaskContext#allGather}, {@link BarrierExchange});
 * every task then sums all of them in optimizee order and applies the same outer update, so every
 * task holds the same weights, the same bits as the local run with the same settings. A failed
 * task fails the stage; Spark retries it, and the retry starts from the newest checkpoint.
 * Baseline tuning and evaluation grids ({@code l2l4j tune --spark}, {@code l2l4j eval --spark})
 * are ordinary Spark jobs ({@link SparkGrids}): their (optimizer, problem) runs are spread over
 * tasks and the losses collected, the same bits as the local run. Depends
 * on core and cli, never the reverse; Spark itself is not in the jar ({@code provided}).
 */
package org.l2l4j.spark;
