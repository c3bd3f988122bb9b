package org.l2l4j.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.OptimizerFileException;
import org.l2l4j.learned.Preprocessing;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointException;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.DataException;
import org.l2l4j.problem.data.Dataset;
import org.l2l4j.problem.data.IdxReader;
import org.l2l4j.problem.data.MnistJsonReader;
import org.l2l4j.util.Json;
import org.l2l4j.util.JsonException;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * What every reader of outside input promises, whatever the input: it returns a valid result or
 * throws its documented exception (an {@link IllegalArgumentException} subclass) with a one-line
 * message that starts with the file's name. Never another exception, never a non-finite weight.
 * The seeded tests ({@link MalformedInputTest}) and the Jazzer targets ({@link ParsersFuzzTest})
 * check the same contract.
 */
final class Contract {
  /** The name that the file readers are given; their messages must start with it. */
  static final String WHERE = "fuzzed.file";
  /** The longest message accepted (beyond the file name). */
  static final int MAX_MESSAGE = 600;

  private Contract() {}

  /**
   * Runs {@code parse}: returns its result, or {@code null} when it threw {@code expected} with a
   * good message. Anything else is an {@link AssertionError}.
   */
  static <T> T result(Class<? extends IllegalArgumentException> expected, String where,
      Callable<T> parse) {
    try {
      return parse.call();
    } catch (Throwable e) {
      if (!expected.isInstance(e)) {
        throw new AssertionError("expected a result or " + expected.getSimpleName() + ", got " + e,
            e);
      }
      String m = e.getMessage();
      if (m == null || (where != null && !m.startsWith(where + ": "))
          || m.length() > MAX_MESSAGE + (where == null ? 0 : where.length())
          || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
        throw new AssertionError("bad message from " + expected.getSimpleName() + ": " + m, e);
      }
      return null;
    }
  }

  /**
   * Like {@link #result} for readers of several files (or a folder of files): the message must
   * start with one of {@code wheres} followed by {@code ": "} or, for a message about two files
   * ({@code "A holds 5 images but B holds 4 labels"}), by a space. The length limit allows for
   * two file names.
   */
  static <T> T resultNaming(Class<? extends IllegalArgumentException> expected,
      List<String> wheres, Callable<T> parse) {
    try {
      return parse.call();
    } catch (Throwable e) {
      if (!expected.isInstance(e)) {
        throw new AssertionError("expected a result or " + expected.getSimpleName() + ", got " + e,
            e);
      }
      String m = e.getMessage();
      int longest = 0;
      boolean named = false;
      for (String w : wheres) {
        longest = Math.max(longest, w.length());
        named |= m != null && (m.startsWith(w + ": ") || m.startsWith(w + " "));
      }
      if (!named || m.length() > MAX_MESSAGE + 2 * longest || m.indexOf('\n') >= 0
          || m.indexOf('\r') >= 0) {
        throw new AssertionError("bad message from " + expected.getSimpleName() + ": " + m, e);
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ targets

  /** Json.parse: a value, or a JsonException; writing is stable after one round. */
  static void json(String text) {
    Object v = result(JsonException.class, null, () -> Json.parse(text));
    if (v != null) {
      String once = Json.write(v);
      check(once.equals(Json.write(Json.parse(once))), "JSON round trip", text);
    }
  }

  /** OptimizerFile.parse: a valid optimizer, or an OptimizerFileException naming the file. */
  static void optimizerFile(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    OptimizerFile.Loaded l =
        result(OptimizerFileException.class, WHERE, () -> OptimizerFile.parse(WHERE, text));
    if (l != null) {
      check(l.weights().length == l.nets().parameterCount(), "weight count", text);
      check(allFinite(l.weights()), "finite weights", text);
    }
  }

  /** Checkpoint.parse: a valid state, or a CheckpointException naming the file. */
  static void checkpoint(byte[] data) {
    Checkpoint.Parsed p = result(CheckpointException.class, WHERE, () -> Checkpoint.parse(WHERE, data));
    if (p != null) {
      TrainingState s = p.state();
      int n = org.l2l4j.learned.NetGroups.parse(p.meta().lstmSpec()).parameterCount();
      String what = new String(data, StandardCharsets.UTF_8);
      check(s.weights.length == n && s.bestWeights.length == n && s.outer.size() == n,
          "array lengths", what);
      check(allFinite(s.weights) && allFinite(s.bestWeights), "finite arrays", what);
      for (Object v : s.outer.values().values()) {
        if (v instanceof float[] a) {
          check(a.length == n && allFinite(a), "outer state arrays", what);
        }
      }
      if (s.outer.state() instanceof org.l2l4j.optim.Adam.AdamState adam) {
        for (float v : adam.v) {
          check(v >= 0, "adam v >= 0", what);
        }
      }
      check(s.metaLearningRate() > 0 && Double.isFinite(s.metaLearningRate()), "meta lr", what);
      check(Double.isFinite(s.bestScore) || s.bestScore == Double.POSITIVE_INFINITY, "best score",
          what);
      check(s.epoch >= 0 && s.bestEpoch >= 0 && s.bestEpoch <= s.epoch, "epochs", what);
    }
  }

  /** A checkpoint around {@code body} with a correct header, so that fuzzing reaches the JSON. */
  static void checkpointBody(byte[] body) {
    checkpoint(withHeader(body));
  }

  /** Every spec parser: a value whose spec parses back to an equal value, or a SpecException. */
  static void specs(String text) {
    Spec s = result(SpecException.class, null, () -> Spec.parse(text));
    if (s != null) {
      check(Spec.parse(s.toString()).equals(s), "Spec round trip", text);
    }
    LstmConfig c = result(SpecException.class, null, () -> LstmConfig.parse(text));
    if (c != null) {
      check(LstmConfig.parse(c.spec()).equals(c), "LstmConfig round trip", text);
      check(c.parameterCount() <= LstmConfig.MAX_PARAMETERS, "parameter limit", text);
    }
    ProblemFamily f = result(SpecException.class, null, () -> Problems.parse(text));
    if (f != null) {
      check(Problems.parse(f.spec()).spec().equals(f.spec()), "problem round trip", text);
    }
    BaselineOptimizer<?> o = result(SpecException.class, null, () -> Optimizers.parseBaseline(text));
    if (o != null) {
      check(Optimizers.parseBaseline(o.spec()).equals(o), "optimizer round trip", text);
      check(o.learningRate() > 0 && Double.isFinite(o.learningRate()), "learning rate", text);
    }
    Preprocessing p = result(SpecException.class, null, () -> Preprocessing.parse(text));
    if (p != null) {
      check(Preprocessing.parse(p.spec()).equals(p), "preprocessing round trip", text);
    }
  }

  /**
   * IdxReader.read: a valid 10-class data set whose pixels are finite and in [0, 1], or a
   * DataException whose message starts with one of the two files.
   */
  static Dataset idx(Path images, Path labels) {
    Dataset d = resultNaming(DataException.class, List.of(images.toString(), labels.toString()),
        () -> IdxReader.read(images, labels));
    if (d != null) {
      checkDataset(d, images.toString());
    }
    return d;
  }

  /**
   * IdxReader.read of fuzzed bytes: the first two bytes give the length L of the label file (big
   * endian, cut to what is left), the next L bytes are the label file, the rest the image file.
   */
  static Dataset idxBytes(byte[] data) {
    int len = data.length < 2 ? 0 : ((data[0] & 0xff) << 8) | (data[1] & 0xff);
    int from = Math.min(2, data.length);
    int cut = Math.min(data.length, from + len);
    Path dir = scratch();
    return idx(write(dir.resolve("images"), Arrays.copyOfRange(data, cut, data.length)),
        write(dir.resolve("labels"), Arrays.copyOfRange(data, from, cut)));
  }

  /** The contents of a digit file of the npm folder made by {@link #mnistJsonBytes}. */
  static final byte[] EMPTY_DIGITS = "{\"data\":[]}".getBytes(StandardCharsets.US_ASCII);

  /**
   * MnistJsonReader.read: a valid data set of 28x28 images with pixels finite and in [0, 1], or
   * a DataException whose message starts with the folder or one of its digit files.
   */
  static Dataset mnistJson(Path digits) {
    List<String> wheres = new ArrayList<>();
    wheres.add(digits.toString());
    for (int d = 0; d < 10; d++) {
      wheres.add(digits.resolve(d + ".json").toString());
    }
    Dataset ds = resultNaming(DataException.class, wheres, () -> MnistJsonReader.read(digits));
    if (ds != null) {
      check(ds.rows() == 28 && ds.cols() == 28, "28x28 images", digits.toString());
      checkDataset(ds, digits.toString());
    }
    return ds;
  }

  /** MnistJsonReader.read of a folder whose {@code 3.json} is {@code data}, the others empty. */
  static Dataset mnistJsonBytes(byte[] data) {
    Path dir = scratch().resolve("digits");
    for (int d = 0; d < 10; d++) {
      Path f = dir.resolve(d + ".json");
      if (d == 3 || !Files.exists(f)) {
        write(f, d == 3 ? data : EMPTY_DIGITS);
      }
    }
    return mnistJson(dir);
  }

  /** Every label in [0, classes), every pixel finite and in [0, 1], at least one image. */
  static void checkDataset(Dataset d, String what) {
    check(d.count() >= 1 && d.classes() == 10 && d.pixels() == d.rows() * d.cols(), "shape",
        what);
    float[] img = new float[d.pixels()];
    for (int i = 0; i < d.count(); i++) {
      check(d.label(i) >= 0 && d.label(i) < d.classes(), "label range", what);
      d.copyImage(i, img, 0);
      for (float v : img) {
        check(v >= 0f && v <= 1f, "pixel in [0, 1]", what); // false for NaN
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Path scratch;

  /** A temporary folder for the file readers' fuzz targets, deleted when the JVM exits. */
  static synchronized Path scratch() {
    if (scratch == null) {
      try {
        Path dir = Files.createTempDirectory("l2l4j-fuzz");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        scratch = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return scratch;
  }

  static Path write(Path file, byte[] data) {
    return org.l2l4j.problem.data.IdxFiles.write(file, data);
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  /** {@code body} behind a checkpoint header with its true length and CRC-32. */
  static byte[] withHeader(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    byte[] head = String.format(Locale.ROOT, "%s v%d crc32=%08x bytes=%d\n", Checkpoint.MAGIC,
        Checkpoint.VERSION, crc.getValue(), body.length).getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** The JSON body of a checkpoint file (after the header line). */
  static byte[] body(byte[] checkpoint) {
    int nl = 0;
    while (checkpoint[nl] != '\n') {
      nl++;
    }
    return java.util.Arrays.copyOfRange(checkpoint, nl + 1, checkpoint.length);
  }

  /** The body of a checkpoint file as a mutable JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> bodyObject(byte[] checkpoint) {
    return new LinkedHashMap<>(
        (Map<String, Object>) Json.parse(new String(body(checkpoint), StandardCharsets.UTF_8)));
  }

  static boolean allFinite(float[] a) {
    for (float v : a) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static void check(boolean ok, String what, String input) {
    if (!ok) {
      throw new AssertionError(what + " violated for input: "
          + (input.length() > 300 ? input.substring(0, 300) + "..." : input));
    }
  }
}
