package org.l2l4j.bench;

import java.util.concurrent.TimeUnit;
import org.l2l4j.learned.LstmConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One meta-training unroll of the paper's LSTM optimizer (T = 20 forward steps, then the unroll's
 * meta-gradient) at n coordinates, per kernel and worker-thread count. Run with
 * {@code java -jar bench/target/benchmarks.jar UnrollBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64"})
public class UnrollBenchmark {
  /** Kernel name (see {@link Kernels}). */
  @Param({"scalar", "vector"})
  public String kernel;

  /** Coordinates: a small net, the paper's MNIST net (15,910), and a larger one. */
  @Param({"1280", "15910", "100000"})
  public int n;

  /** Worker threads of the pool. */
  @Param({"1", "2"})
  public int threads;

  private UnrollHarness harness;

  @Setup
  public void setUp() {
    harness = new UnrollHarness(LstmConfig.paper(), Kernels.byName(kernel), threads, n, 20, 42);
  }

  @TearDown
  public void tearDown() {
    harness.close();
  }

  @Benchmark
  public double unroll() {
    return harness.unroll();
  }
}
