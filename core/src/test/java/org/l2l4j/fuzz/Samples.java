package org.l2l4j.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointMeta;
import org.l2l4j.meta.OuterOptimizer;
import org.l2l4j.optim.Adam;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.data.IdxReader;

/** Small valid inputs: the starting points of truncation, byte flips and the seed corpus. */
final class Samples {
  /** A 35-weight optimizer (one LSTM layer of 2 cells), so that files stay around 2 kB. */
  static final LstmConfig TINY = LstmConfig.parse("lstm(layers=2,preproc=none,scale=1)");

  static final List<String> SPECS = List.of(
      "lstm(preset=paper)", "lstm(layers=3x4,preproc=clamped-log-sign(k=2.5),scale=0.05,init=zero)",
      "lstm(preset=simple)", "lstm(preset=quadratic,gac=5)", "log-sign(p=10)", "none",
      "quadratic(preset=deepmind,dim=5,batch=3)", "simple", "sgd(lr=0.01)", "nag(lr=1,momentum=0.9)",
      "rmsprop(lr=0.01,alpha=0.99,eps=1e-8)", "adam(lr=0.001,b1=0.9,b2=0.999,eps=1e-8)");

  static final List<String> JSON = List.of(
      "{\"a\": [1, -2.5e-3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}}",
      "[[], {\"k\": [0, -0, 1E+2]}]", "\"\\ud83d\\ude00 \\\" \\\\ \\/\"", "-0.0e0");

  private Samples() {}

  /** The provenance of a short made-up run. */
  static org.l2l4j.learned.Provenance provenance() {
    return new org.l2l4j.learned.Provenance("quadratic(preset=paper)", null, 1,
        "meta(epochs=3,seed=1)", 3, 2, 0.5, 0, 1.5, "l2l4j test", "scalar", "jvm", "os",
        "2026-01-01T00:00:00Z");
  }

  /** The text of a valid optimizer file for {@link #TINY}. */
  static String optimizerFile() {
    float[] w = LstmWeights.init(TINY, new SplittableRandom(5));
    org.l2l4j.learned.Provenance provenance = provenance();
    try {
      Path tmp = Files.createTempFile("l2l4j-sample", ".json");
      try {
        OptimizerFile.write(tmp, TINY, w, provenance);
        return Files.readString(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid checkpoint file for {@link #TINY} with every field away from its default. */
  static byte[] checkpoint() {
    SplittableRandom rng = new SplittableRandom(7);
    OuterOptimizer<Adam.AdamState> outer =
        OuterOptimizer.start(new Adam(0.003), TINY.parameterCount());
    outer.halveLearningRate();
    TrainingState s = new TrainingState(LstmWeights.init(TINY, rng), outer);
    s.epoch = 12;
    s.bestEpoch = 10;
    s.bestScore = 0.25;
    s.bestWeights = LstmWeights.init(TINY, rng);
    s.updates = 60;
    outer.state().t = 60;
    s.skippedTotal = 1;
    s.badInARow = 1;
    for (int i = 0; i < outer.state().m.length; i++) {
      outer.state().m[i] = (float) rng.nextGaussian() * 1e-3f;
      outer.state().v[i] = (float) rng.nextDouble() * 1e-6f;
    }
    CheckpointMeta meta = new CheckpointMeta(TINY.spec(), "quadratic(preset=paper)", 1, "epochs=20");
    return Checkpoint.encode(meta, s);
  }

  /** Images in {@link #idxImages}: 3 of 4x3 pixels. */
  static final int IDX_COUNT = 3;

  /** A valid IDX image file of {@link #IDX_COUNT} 4x3 images, every pixel value present. */
  static byte[] idxImages() {
    ByteBuffer b = ByteBuffer.allocate(16 + IDX_COUNT * 12);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(IDX_COUNT).putInt(4).putInt(3);
    for (int i = 0; i < IDX_COUNT * 12; i++) {
      b.put((byte) (i * 7 == 0 ? 255 : i * 7));
    }
    return b.array();
  }

  /** A valid IDX label file for {@link #idxImages}: labels 0, 9, 5. */
  static byte[] idxLabels() {
    ByteBuffer b = ByteBuffer.allocate(8 + IDX_COUNT);
    return b.putInt(IdxReader.LABELS_MAGIC).putInt(IDX_COUNT).put(new byte[] {0, 9, 5}).array();
  }

  static byte[] gzip(byte[] data) {
    return org.l2l4j.problem.data.IdxFiles.gzip(data);
  }

  /** The input of the {@code idx} fuzz target: a 2-byte label file length, labels, images. */
  static byte[] idxPair(byte[] images, byte[] labels) {
    return ByteBuffer.allocate(2 + labels.length + images.length).putShort((short) labels.length)
        .put(labels).put(images).array();
  }

  /**
   * A valid npm digit file of one 28x28 image with every number form of the package and of
   * JSON: 0, 1, decimals, exponents, -0, whitespace between values.
   */
  static byte[] digitFile() {
    StringBuilder sb = new StringBuilder("{ \"data\": [");
    String[] forms = {"0", "1", "0.5", "5e-1", "0.011764705882352941", "1E0", "-0", "0.0e+0",
        "2.5E-1"};
    for (int p = 0; p < 784; p++) {
      sb.append(p == 0 ? "" : p % 100 == 0 ? ",\n " : ",");
      sb.append(p % 13 == 0 ? forms[(p / 13) % forms.length] : "0");
    }
    return sb.append("]}\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Writes the Jazzer seed corpus under {@code resources}
   * ({@code org/l2l4j/fuzz/ParsersFuzzTestInputs/<method>/}).
   */
  static void writeSeedCorpus(Path resources) throws IOException {
    Path base = resources.resolve("org/l2l4j/fuzz/ParsersFuzzTestInputs");
    write(base.resolve("optimizerFile/valid.json"), optimizerFile().getBytes(StandardCharsets.UTF_8));
    write(base.resolve("checkpoint/valid.ckpt"), checkpoint());
    write(base.resolve("checkpointBody/valid.json"), Contract.body(checkpoint()));
    for (int i = 0; i < SPECS.size(); i++) {
      write(base.resolve("specs/spec" + i), SPECS.get(i).getBytes(StandardCharsets.UTF_8));
    }
    byte[] im = idxImages();
    byte[] lb = idxLabels();
    write(base.resolve("idx/valid"), idxPair(im, lb));
    write(base.resolve("idx/valid-gzip"), idxPair(gzip(im), gzip(lb)));
    write(base.resolve("idx/swapped"), idxPair(lb, im));
    byte[] fewer = lb.clone();
    fewer[7] = 2;
    write(base.resolve("idx/count-mismatch"), idxPair(im, Arrays.copyOf(fewer, fewer.length - 1)));
    write(base.resolve("mnistJson/valid.json"), digitFile());
    write(base.resolve("mnistJson/empty.json"), Contract.EMPTY_DIGITS);
    write(base.resolve("mnistJson/out-of-range.json"),
        "{\"data\":[1e400, -1, NaN]}".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < JSON.size(); i++) {
      write(base.resolve("json/doc" + i), JSON.get(i).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void write(Path p, byte[] bytes) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }
}
