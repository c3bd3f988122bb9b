package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.optim.Adam;

/** Checkpoint files: exact round trip, and what a kill at each step of a write leaves behind. */
class CheckpointTest {
  static final LstmConfig TINY = LstmConfig.parse("lstm(layers=2,preproc=none,scale=1)");
  static final CheckpointMeta META = new CheckpointMeta(TINY.spec(), "quadratic(preset=paper)", -3,
      "epochs=10");

  @TempDir Path dir;

  /** A state with every field set to something other than its default. */
  static TrainingState state(int epoch) {
    SplittableRandom rng = new SplittableRandom(epoch);
    OuterOptimizer<Adam.AdamState> outer =
        OuterOptimizer.start(new Adam(0.003 / (epoch + 1)), TINY.parameterCount());
    TrainingState s = new TrainingState(LstmWeights.init(TINY, rng), outer);
    s.epoch = epoch;
    s.bestScore = 1.0 / 3 + epoch;
    s.bestEpoch = epoch / 2;
    s.bestWeights = LstmWeights.init(TINY, rng);
    s.badInARow = 2;
    s.skippedTotal = 7;
    s.updates = 5L * epoch;
    outer.state().t = 5L * epoch;
    for (int i = 0; i < outer.state().m.length; i++) {
      outer.state().m[i] = (float) rng.nextGaussian();
      outer.state().v[i] = (float) rng.nextDouble();
    }
    return s;
  }

  static void assertSameState(TrainingState got, TrainingState want) {
    assertThat(bits(got.weights)).isEqualTo(bits(want.weights));
    assertThat(bits(got.bestWeights)).isEqualTo(bits(want.bestWeights));
    assertThat(got.outer.optimizer()).isEqualTo(want.outer.optimizer());
    assertThat(comparable(got.outer.values())).isEqualTo(comparable(want.outer.values()));
    assertThat(got.epoch).isEqualTo(want.epoch);
    assertThat(got.bestScore).isEqualTo(want.bestScore);
    assertThat(got.bestEpoch).isEqualTo(want.bestEpoch);
    assertThat(got.metaLearningRate()).isEqualTo(want.metaLearningRate());
    assertThat(got.badInARow).isEqualTo(want.badInARow);
    assertThat(got.skippedTotal).isEqualTo(want.skippedTotal);
    assertThat(got.updates).isEqualTo(want.updates);
  }

  /** The outer optimizer's values with arrays as lists of their bits, so that equals compares. */
  static java.util.Map<String, Object> comparable(java.util.Map<String, Object> values) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v instanceof float[] a
        ? java.util.Arrays.stream(bits(a)).boxed().toList() : v));
    return out;
  }

  static int[] bits(float[] a) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Float.floatToRawIntBits(a[i]);
    }
    return b;
  }

  @Test
  void everyFieldRoundTripsBitExactlyIncludingNegativeZeroAndExtremeFloats() {
    TrainingState s = state(4);
    s.weights[0] = -0.0f;
    s.weights[1] = Float.MIN_VALUE;
    s.weights[2] = -Float.MAX_VALUE;
    s.weights[3] = 16_777_217f; // not an exact float: rounds to 2^24
    s.weights[4] = 1e-40f;
    ((Adam.AdamState) s.outer.state()).m[0] = -0.0f;
    s.bestScore = -0.0;
    Checkpoint.Parsed p = Checkpoint.parse("c", Checkpoint.encode(META, s));
    assertThat(p.meta()).isEqualTo(META);
    assertSameState(p.state(), s);
    assertThat(Double.doubleToRawLongBits(p.state().bestScore))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));

    s.bestScore = Double.POSITIVE_INFINITY; // before the first validation: written as null
    assertThat(Checkpoint.parse("c", Checkpoint.encode(META, s)).state().bestScore)
        .isEqualTo(Double.POSITIVE_INFINITY);

    // a warm start's description round-trips; a random start writes no field
    CheckpointMeta warm = new CheckpointMeta(META.lstmSpec(), META.problemSpec(), META.seed(),
        META.trainer(), "pretrained:general");
    assertThat(Checkpoint.parse("c", Checkpoint.encode(warm, s)).meta()).isEqualTo(warm);
    assertThat(new String(Checkpoint.encode(META, s), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("\"start\"");
  }

  @Test
  void killAfterTheRotationFallsBackToThePreviousCheckpoint() throws Exception {
    Path ckpt = dir.resolve("c.ckpt");
    Path prev = Checkpoint.previous(ckpt);
    Path tmp = dir.resolve("c.ckpt.tmp");
    Checkpoint.write(ckpt, META, state(1));
    Checkpoint.write(ckpt, META, state(2));
    assertThat(Checkpoint.readLatest(ckpt).state().epoch).isEqualTo(2);
    assertThat(Checkpoint.read(prev, null).state().epoch).isEqualTo(1);
    assertThat(tmp).doesNotExist();

    // what a kill between "rotate to .prev" and "rename the temporary file" leaves behind
    Files.write(tmp, Checkpoint.encode(META, state(3)));
    Files.move(ckpt, prev, StandardCopyOption.REPLACE_EXISTING);
    Checkpoint.Loaded l = Checkpoint.readLatest(ckpt);
    assertThat(l.from()).isEqualTo(prev);
    assertThat(l.warning()).contains(ckpt + ": no such checkpoint")
        .contains("using the previous checkpoint " + prev);
    assertSameState(l.state(), state(2));

    // training resumes from epoch 2 and writes epoch 3 again: no rotation (nothing to rotate)
    Checkpoint.write(ckpt, META, state(3));
    assertThat(Checkpoint.readLatest(ckpt).warning()).isNull();
    assertSameState(Checkpoint.readLatest(ckpt).state(), state(3));
    assertThat(Checkpoint.read(prev, null).state().epoch).isEqualTo(2);
    assertThat(tmp).doesNotExist();
  }

  @Test
  void aStaleTemporaryFileDoesNotBreakTheNextWrite() throws Exception {
    Path ckpt = dir.resolve("c.ckpt");
    Path tmp = dir.resolve("c.ckpt.tmp");
    Checkpoint.write(ckpt, META, state(1));
    // a kill during the temporary write: a longer, half-written file (garbage past the new length)
    byte[] stale = new byte[3 * Checkpoint.encode(META, state(2)).length];
    Arrays.fill(stale, (byte) '{');
    Files.write(tmp, stale);
    assertSameState(Checkpoint.readLatest(ckpt).state(), state(1)); // never read
    Checkpoint.write(ckpt, META, state(2));
    assertThat(tmp).doesNotExist();
    Checkpoint.Loaded l = Checkpoint.readLatest(ckpt);
    assertThat(l.warning()).isNull();
    assertSameState(l.state(), state(2));
  }

  @Test
  void corruptNewestUsesThePreviousWithAWarningAndBothCorruptNamesBothFiles() throws Exception {
    Path ckpt = dir.resolve("c.ckpt");
    Path prev = Checkpoint.previous(ckpt);
    Checkpoint.write(ckpt, META, state(1));
    assertThatThrownBy(() -> Checkpoint.read(prev, null)).isInstanceOf(CheckpointException.class)
        .hasMessage(prev + ": no such checkpoint");
    Files.write(ckpt, Arrays.copyOf(Files.readAllBytes(ckpt), 300));
    // no .prev yet: the error names the file
    assertThatThrownBy(() -> Checkpoint.readLatest(ckpt)).isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(ckpt + ": truncated");

    Checkpoint.write(ckpt, META, state(2));
    Checkpoint.write(ckpt, META, state(3));
    byte[] b = Files.readAllBytes(ckpt);
    b[b.length - 20] ^= 1;
    Files.write(ckpt, b);
    Checkpoint.Loaded l = Checkpoint.readLatest(ckpt);
    assertThat(l.warning()).startsWith(ckpt + ": checksum mismatch");
    assertSameState(l.state(), state(2));

    Files.writeString(prev, "not a checkpoint\n");
    assertThatThrownBy(() -> Checkpoint.readLatest(ckpt)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(ckpt + ": checksum mismatch")
        .hasMessageContaining(prev + ": not an l2l4j checkpoint");
  }

  @Test
  void theTestHookDelaysWritesButChangesNoContent() throws Exception {
    Path a = dir.resolve("a.ckpt");
    Path b = dir.resolve("b.ckpt");
    Checkpoint.write(a, META, state(5));
    System.setProperty(Checkpoint.TEST_WRITE_DELAY_PROPERTY, "30");
    long t0 = System.nanoTime();
    try {
      Checkpoint.write(b, META, state(5));
      Checkpoint.write(b, META, state(5));
    } finally {
      System.clearProperty(Checkpoint.TEST_WRITE_DELAY_PROPERTY);
    }
    assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(4 * 30);
    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
  }

  /**
   * Every hand-designed optimizer can be the outer optimizer: its spec, state and current (halved)
   * learning rate round-trip through a version-2 checkpoint.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sgd(lr=0.02)",
      "nag(lr=0.01,momentum=0.5)", "rmsprop(lr=0.001,alpha=0.9,eps=1e-6)", "adam(lr=0.003,b1=0.8)"})
  void everyOuterOptimizerRoundTrips(String spec) {
    int n = TINY.parameterCount();
    OuterOptimizer<?> outer = OuterOptimizer.start(
        org.l2l4j.optim.Optimizers.parseBaseline(spec), n);
    outer.halveLearningRate();
    SplittableRandom rng = new SplittableRandom(3);
    float[] w = LstmWeights.init(TINY, rng);
    for (int k = 0; k < 3; k++) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = (float) rng.nextGaussian();
      }
      outer.step(w, g);
    }
    TrainingState s = new TrainingState(w, outer);
    byte[] bytes = Checkpoint.encode(META, s);
    assertThat(new String(bytes, 0, 20, java.nio.charset.StandardCharsets.US_ASCII))
        .startsWith("l2l4j-checkpoint v2 ");
    TrainingState got = Checkpoint.parse("c", bytes).state();
    assertSameState(got, s);
    assertThat(got.outer.optimizer().spec()).isEqualTo(
        org.l2l4j.optim.Optimizers.parseBaseline(spec).spec());
    assertThat(got.metaLearningRate()).isEqualTo(outer.optimizer().learningRate() / 2);
  }

  /**
   * A version-1 checkpoint (written before the outer optimizer was configurable; see
   * v1-tiny-epoch3.md beside it) loads as Adam with the recorded meta learning rate, and resuming
   * it gives the same weights as an uninterrupted run of the same settings.
   */
  @Test
  void aVersionOneCheckpointLoadsAndResumesExactly() throws Exception {
    Path v1 = dir.resolve("v1.ckpt");
    try (java.io.InputStream in = getClass().getResourceAsStream("v1-tiny-epoch3.ckpt")) {
      Files.write(v1, in.readAllBytes());
    }
    assertThat(Files.readString(v1)).startsWith("l2l4j-checkpoint v1 ").contains("\"adam_m\"");
    Checkpoint.Loaded l = Checkpoint.readLatest(v1);
    assertThat(l.state().epoch).isEqualTo(3);
    assertThat(l.state().outer.optimizer()).isEqualTo(new Adam(0.003));
    assertThat(l.state().metaLearningRate()).isEqualTo(0.003);
    assertThat(((Adam.AdamState) l.state().outer.state()).t).isEqualTo(l.state().updates);

    MetaTrainerConfig six = new MetaTrainerConfig(6, 20, 5, 0.003, 0, 2, 3, 11, 1, 3);
    MetaTrainer tr = new MetaTrainer(six, TINY, org.l2l4j.learned.ScalarLstmKernel.INSTANCE);
    org.l2l4j.problem.ProblemFamily family = org.l2l4j.problem.Problems.parse("quadratic");
    TrainingState straight = tr.train(family, tr.freshState(), MetaListener.NONE, null);
    TrainingState resumed = tr.train(family, l.state(), MetaListener.NONE, null);
    assertSameState(resumed, straight);
  }
}
