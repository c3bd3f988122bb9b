package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;

/**
 * {@link LearnedOptimizer#load}: the same steps as an optimizer built by hand from the file's
 * contents, its own workers stopped by close(); and the warning {@link LstmKernels} logs once when
 * it falls back to the plain-Java kernel.
 */
class LearnedOptimizerLoadTest {
  /** Steps compared; enough for the recurrent state to matter. */
  static final int STEPS = 15;
  /** How long stopped workers may take to end. */
  static final long THREAD_END_MILLIS = 10_000;

  @TempDir Path dir;

  Path writeFile(LstmConfig config, float[] weights) throws Exception {
    Path p = dir.resolve("optimizer.json");
    OptimizerFile.write(p, config, weights, new Provenance("quadratic", null, 1, "meta(seed=1)", 10, 5,
        0.25, 0, 2.5, "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z"));
    return p;
  }

  /** θ after {@link #STEPS} steps of {@code opt} on a 5,000-coordinate quadratic (3 chunks). */
  static float[] run(Optimizer opt) {
    Problem f = Problems.parse("quadratic(dim=10,batch=500)").sample(new SplittableRandom(11));
    float[] theta = new float[f.dimension()];
    float[] grad = new float[f.dimension()];
    f.init(new SplittableRandom(12), theta);
    var state = opt.init(theta.length);
    for (int t = 0; t < STEPS; t++) {
      f.valueAndGradient(theta, grad, null);
      opt.step(state, theta, grad);
    }
    return theta;
  }

  @Test
  void loadStepsExactlyAsTheFileContentsAndCloseStopsItsWorkers() throws Exception {
    LstmConfig config = LstmConfig.paper();
    float[] weights = LstmWeights.init(config, new SplittableRandom(3));
    Path file = writeFile(config, weights);
    float[] expected;
    try (Parallel one = new Parallel(1)) {
      expected = run(new LearnedOptimizer("x", config, weights, LstmKernels.best(), one));
    }
    Set<Thread> before = workers();
    float[] got;
    Set<Thread> own;
    try (LearnedOptimizer loaded = LearnedOptimizer.load(file, 2)) {
      assertThat(loaded.config()).isEqualTo(config);
      assertThat(loaded.name()).isEqualTo(file.toString());
      assertThat(loaded.learned()).isTrue();
      got = run(loaded);
      own = workers();
      own.removeAll(before);
    }
    assertThat(got).as("same bits on 2 workers as on 1").containsExactly(expected);
    Problem f = Problems.parse("quadratic(dim=10,batch=500)").sample(new SplittableRandom(11));
    float[] theta0 = new float[f.dimension()];
    f.init(new SplittableRandom(12), theta0);
    assertThat(got).as("the optimizer moved θ").isNotEqualTo(theta0);
    assertThat(own).as("load started its own worker").isNotEmpty();
    for (Thread t : own) {
      t.join(THREAD_END_MILLIS);
      assertThat(t.isAlive()).as("worker %s after close()", t).isFalse();
    }
  }

  @Test
  void closingAnOptimizerBuiltOnAGivenPoolLeavesThePoolRunning() {
    LstmConfig config = LstmConfig.paper();
    try (Parallel pool = new Parallel(2)) {
      new LearnedOptimizer("x", config, LstmWeights.init(config, new SplittableRandom(3)),
          LstmKernels.best(), pool).close();
      AtomicInteger chunks = new AtomicInteger();
      pool.run(8, (c, w) -> chunks.incrementAndGet());
      assertThat(chunks).hasValue(8);
    }
  }

  @Test
  void aBadFileIsRefusedNamingIt() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"l2l4j-optimizer\", \"version\": 1");
    assertThatThrownBy(() -> LearnedOptimizer.load(bad))
        .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith(bad.toString());
    assertThatThrownBy(() -> LearnedOptimizer.load(dir.resolve("missing.json")))
        .isInstanceOf(OptimizerFileException.class).hasMessageContaining("no such file");
  }

  @Test
  void theFallbackForWantOfTheVectorModuleIsLoggedOnce() {
    Recording log = new Recording();
    AtomicBoolean warned = new AtomicBoolean();
    assertThat(LstmKernels.choose("auto", false, log, warned)).isSameAs(ScalarLstmKernel.INSTANCE);
    assertThat(LstmKernels.choose("auto", false, log, warned)).isSameAs(ScalarLstmKernel.INSTANCE);
    assertThat(log.records).hasSize(1);
    assertThat(log.records.get(0))
        .startsWith("WARNING l2l4j: using the plain-Java LSTM kernel, about 25x slower")
        .contains("jdk.incubator.vector is missing", "--add-modules jdk.incubator.vector");
  }

  @Test
  void noWarningWhenTheVectorKernelIsUsedOrScalarIsAskedFor() {
    Recording log = new Recording();
    AtomicBoolean warned = new AtomicBoolean();
    assertThat(LstmKernels.choose("scalar", false, log, warned)).isSameAs(ScalarLstmKernel.INSTANCE);
    assertThat(LstmKernels.choose("scalar", true, log, warned)).isSameAs(ScalarLstmKernel.INSTANCE);
    // the tests run with --add-modules jdk.incubator.vector (Surefire argLine)
    assertThat(LstmKernels.vectorApiAvailable()).isTrue();
    assertThat(LstmKernels.choose("auto", true, log, warned)).isSameAs(VectorLstmKernel.INSTANCE);
    assertThat(log.records).isEmpty();
    assertThat(warned).isFalse();
  }

  private static Set<Thread> workers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("l2l4j-worker") && t.isAlive())
        .collect(Collectors.toSet());
  }

  /** A {@link System.Logger} that keeps "LEVEL message" lines. */
  static final class Recording implements System.Logger {
    final List<String> records = new ArrayList<>();

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      records.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      records.add(level + " " + (params == null || params.length == 0
          ? format : java.text.MessageFormat.format(format, params)));
    }
  }
}
