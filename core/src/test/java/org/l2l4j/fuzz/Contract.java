package org.l2l4j.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
      check(l.weights().length == l.config().parameterCount(), "weight count", text);
      check(allFinite(l.weights()), "finite weights", text);
    }
  }

  /** Checkpoint.parse: a valid state, or a CheckpointException naming the file. */
  static void checkpoint(byte[] data) {
    Checkpoint.Parsed p = result(CheckpointException.class, WHERE, () -> Checkpoint.parse(WHERE, data));
    if (p != null) {
      TrainingState s = p.state();
      int n = LstmConfig.parse(p.meta().lstmSpec()).parameterCount();
      String what = new String(data, StandardCharsets.UTF_8);
      check(s.weights.length == n && s.bestWeights.length == n && s.adam.m.length == n
          && s.adam.v.length == n, "array lengths", what);
      check(allFinite(s.weights) && allFinite(s.bestWeights) && allFinite(s.adam.m)
          && allFinite(s.adam.v), "finite arrays", what);
      for (float v : s.adam.v) {
        check(v >= 0, "adam_v >= 0", what);
      }
      check(s.metaLearningRate > 0 && Double.isFinite(s.metaLearningRate), "meta lr", what);
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
    BaselineOptimizer o = result(SpecException.class, null, () -> Optimizers.parseBaseline(text));
    if (o != null) {
      check(Optimizers.parseBaseline(o.spec()).equals(o), "optimizer round trip", text);
      check(o.learningRate() > 0 && Double.isFinite(o.learningRate()), "learning rate", text);
    }
    Preprocessing p = result(SpecException.class, null, () -> Preprocessing.parse(text));
    if (p != null) {
      check(Preprocessing.parse(p.spec()).equals(p), "preprocessing round trip", text);
    }
  }

  // ------------------------------------------------------------------ helpers

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
