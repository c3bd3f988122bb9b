package org.l2l4j.bench;

import java.util.concurrent.TimeUnit;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One meta-training epoch of the paper's MNIST task as {@code l2l4j mnist} runs it: the base net
 * (784-20-10 MLP, sigmoid, batch 128, 15,910 coordinates), 100 steps in 5 unrolls of 20, the
 * MLP's gradients, the LSTM's meta-gradient and the outer Adam step. Each invocation trains the
 * next {@value #EPOCHS} epochs of one continuing run (a fresh optimizee each epoch, as in
 * meta-training); the trainer validates once at the end of every call, on one problem (100 forward
 * steps, about 2% of the {@value #EPOCHS} epochs' work), which is included in the time: a
 * conservative bias. Needs the MNIST digits ({@code scripts/setup-data.sh}). Run with {@code java
 * -jar bench/target/benchmarks.jar MnistEpochBenchmark}; the score is per epoch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@OperationsPerInvocation(MnistEpochBenchmark.EPOCHS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64"})
public class MnistEpochBenchmark {
  /** Epochs per benchmark invocation. */
  public static final int EPOCHS = 10;

  /** Worker threads of the trainer's pool. */
  @Param({"1", "2"})
  public int threads;

  private ProblemFamily family;
  private MetaTrainerConfig config;
  private LstmConfig lstm;
  private TrainingState state;

  @Setup
  public void setUp() {
    family = Problems.parse("mnist");
    lstm = LstmConfig.parse("lstm(preset=paper,init=zero-output)");
    config = MetaTrainerConfig.defaults(1, 1).withThreads(threads).withValidation(0, 1);
    state = new MetaTrainer(config, lstm, LstmKernels.best()).freshState();
  }

  /** Trains {@value #EPOCHS} more epochs; returns the number of finished epochs. */
  @Benchmark
  public int epochs() {
    MetaTrainer trainer =
        new MetaTrainer(config.withEpochs(state.epoch + EPOCHS), lstm, LstmKernels.best());
    trainer.train(family, state, MetaListener.NONE, null);
    return state.epoch;
  }
}
