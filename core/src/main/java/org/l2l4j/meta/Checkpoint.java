package org.l2l4j.meta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.optim.SavableState;
import org.l2l4j.util.AtomicFiles;
import org.l2l4j.util.InputFiles;
import org.l2l4j.util.Json;
import org.l2l4j.util.JsonException;
import org.l2l4j.util.SpecException;

/**
 * Training checkpoints. A checkpoint is a header line {@code l2l4j-checkpoint v2 crc32=XXXXXXXX
 * bytes=N} followed by N bytes of UTF-8 JSON holding a {@link TrainingState} and its {@link
 * CheckpointMeta}. Version 2 stores the outer optimizer generically as {@code "outer": {"spec":
 * SPEC, "state": {"learning_rate": LR, ...the state's own values}}}; version 1 (always Adam:
 * {@code meta_learning_rate}, {@code adam_t}, {@code adam_m}, {@code adam_v}) is still read, as
 * Adam with the learning rate of the {@code meta-lr} setting in {@code trainer}.
 *
 * <p>Writing: the new checkpoint goes to {@code <path>.tmp} and is forced to disk; then the
 * current checkpoint is renamed to {@code <path>.prev}, the temporary file renamed to {@code
 * path}, and the folder forced to disk. A kill at any moment leaves {@code path} or {@code
 * path.prev} complete (a stale {@code .tmp} is overwritten by the next write); {@link #readLatest}
 * falls back to {@code .prev} when {@code path} is missing, truncated or fails its checksum.
 *
 * <p>Test hook: when the system property {@value #TEST_WRITE_DELAY_PROPERTY} is a positive number
 * of milliseconds, {@link #write} sleeps that long after the temporary file is on disk and again
 * after the rotation to {@code .prev}, so that a test can kill the process inside a write. It
 * changes no content.
 */
public final class Checkpoint {
  /** The header's first word. */
  public static final String MAGIC = "l2l4j-checkpoint";
  /** The format version written. */
  public static final int VERSION = 2;
  /** The oldest format version read. */
  public static final int OLDEST_VERSION = 1;
  /** The largest checkpoint file accepted (bytes). */
  public static final long MAX_BYTES = 256L << 20;
  /** Test hook: milliseconds to sleep at the two steps of a write (unset or 0: none). */
  public static final String TEST_WRITE_DELAY_PROPERTY = "l2l4j.test.checkpointWriteDelayMs";

  private static final int MAX_HEADER = 200;
  private static final Pattern CRC = Pattern.compile("crc32=[0-9a-f]{8}");
  private static final Pattern BYTES = Pattern.compile("bytes=[0-9]{1,10}");

  private Checkpoint() {}

  /** A restored checkpoint; {@code warning} is non-null when it came from the fallback file. */
  public record Loaded(CheckpointMeta meta, TrainingState state, Path from, String warning) {}

  /** The fallback file kept beside {@code path}. */
  public static Path previous(Path path) {
    return path.resolveSibling(path.getFileName() + ".prev");
  }

  /**
   * Writes {@code state} to {@code path}, keeping the previous checkpoint as {@code .prev}.
   *
   * @throws IOException naming {@code path} when the write fails (a full disk); the temporary
   *     file is then deleted, and the last complete checkpoint is still {@code path} or {@code
   *     path.prev}
   */
  public static void write(Path path, CheckpointMeta meta, TrainingState state) throws IOException {
    Path tmp = AtomicFiles.writeTemporary(path, encode(meta, state));
    testDelay();
    if (Files.exists(path)) {
      try {
        Files.move(path, previous(path), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        AtomicFiles.deleteQuietly(tmp);
        throw AtomicFiles.failure(path, e);
      }
    }
    testDelay();
    AtomicFiles.commit(tmp, path);
  }

  /** The bytes of a checkpoint file: header line and JSON body. */
  public static byte[] encode(CheckpointMeta meta, TrainingState state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lstm", meta.lstmSpec());
    m.put("problem", meta.problemSpec());
    m.put("seed", Long.toString(meta.seed()));
    m.put("trainer", meta.trainer());
    if (meta.start() != null) {
      m.put("start", meta.start());
    }
    m.put("epoch", state.epoch);
    m.put("bad_in_a_row", state.badInARow);
    m.put("skipped_total", state.skippedTotal);
    m.put("updates", state.updates);
    m.put("best_score", Double.isFinite(state.bestScore) ? state.bestScore : null);
    m.put("best_epoch", state.bestEpoch);
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("spec", state.outer.optimizer().spec());
    outer.put("state", state.outer.values());
    m.put("outer", outer);
    m.put("weights", state.weights);
    m.put("best_weights", state.bestWeights);
    byte[] body = Json.write(m).getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    String header = String.format(Locale.ROOT, "%s v%d crc32=%08x bytes=%d\n", MAGIC, VERSION,
        crc.getValue(), body.length);
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  private static void testDelay() {
    long ms = Long.getLong(TEST_WRITE_DELAY_PROPERTY, 0L);
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Reads the newest good checkpoint: {@code path}, or {@code path.prev} when {@code path} is
   * missing or corrupt (the returned warning then says why).
   *
   * @throws CheckpointException when neither can be read; the message names both files
   */
  public static Loaded readLatest(Path path) {
    try {
      return read(path, null);
    } catch (CheckpointException first) {
      Path prev = previous(path);
      if (!Files.exists(prev)) {
        throw first;
      }
      try {
        return read(prev, first.getMessage() + "; using the previous checkpoint " + prev);
      } catch (CheckpointException second) {
        throw new CheckpointException(first.getMessage() + "; and " + second.getMessage());
      }
    }
  }

  /**
   * Reads and verifies one checkpoint file.
   *
   * @param warning carried into the result
   * @throws CheckpointException naming {@code path} when it is missing, unreadable or invalid
   */
  public static Loaded read(Path path, String warning) {
    byte[] all;
    try {
      long size = InputFiles.requireRegularFile(path);
      if (size > MAX_BYTES) {
        throw new CheckpointException(path + ": " + size + " bytes is too large for a checkpoint");
      }
      all = InputFiles.read(path, MAX_BYTES);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(path + ": no such checkpoint");
    } catch (InputFiles.RefusedException e) {
      throw new CheckpointException(path + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CheckpointException(path + ": cannot read (" + e.getMessage() + ")");
    }
    Parsed p = parse(path.toString(), all);
    return new Loaded(p.meta(), p.state(), path, warning);
  }

  /** A parsed checkpoint. */
  public record Parsed(CheckpointMeta meta, TrainingState state) {}

  /**
   * Parses and verifies the bytes of a checkpoint file: header, length, checksum, then every
   * field (sizes against the configuration, finite numbers, ranges).
   *
   * @param where names the source in errors
   * @throws CheckpointException whose message starts with {@code where}
   */
  public static Parsed parse(String where, byte[] all) {
    int nl = -1;
    for (int i = 0; i < Math.min(all.length, MAX_HEADER); i++) {
      if (all[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      throw new CheckpointException(where + ": not an l2l4j checkpoint (no header line)");
    }
    String header = new String(all, 0, nl, StandardCharsets.US_ASCII).strip();
    String[] parts = header.split(" ", -1);
    if (parts.length != 4 || !parts[0].equals(MAGIC)) {
      throw new CheckpointException(where + ": not an l2l4j checkpoint (bad header '"
          + printable(header) + "')");
    }
    int version;
    if (parts[1].equals("v" + VERSION)) {
      version = VERSION;
    } else if (parts[1].equals("v" + OLDEST_VERSION)) {
      version = OLDEST_VERSION;
    } else {
      throw new CheckpointException(where + ": unsupported checkpoint version '"
          + printable(parts[1]) + "' (this build reads v" + OLDEST_VERSION + " and v" + VERSION
          + ")");
    }
    if (!CRC.matcher(parts[2]).matches() || !BYTES.matcher(parts[3]).matches()) {
      throw new CheckpointException(where + ": bad checkpoint header '" + printable(header) + "'");
    }
    long crcWant = Long.parseLong(parts[2].substring("crc32=".length()), 16);
    long bytes = Long.parseLong(parts[3].substring("bytes=".length()));
    if (bytes != all.length - nl - 1) {
      throw new CheckpointException(
          where + ": truncated or padded checkpoint (header says " + bytes + " bytes, found "
              + (all.length - nl - 1) + ")");
    }
    CRC32 crc = new CRC32();
    crc.update(all, nl + 1, (int) bytes);
    if (crc.getValue() != crcWant) {
      throw new CheckpointException(where + ": checksum mismatch (corrupt checkpoint)");
    }
    try {
      return body(where, new String(all, nl + 1, (int) bytes, StandardCharsets.UTF_8), version);
    } catch (JsonException | SpecException e) {
      throw new CheckpointException(
          e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
    }
  }

  private static Parsed body(String where, String text, int version) {
    Json.Reader r = new Json.Reader(where);
    Map<String, Object> m = r.object(Json.parse(text), "top level");
    long seed;
    try {
      seed = Long.parseLong(r.string(m, "seed"));
    } catch (NumberFormatException e) {
      throw new CheckpointException(where + ": field 'seed' is not an integer");
    }
    CheckpointMeta meta = new CheckpointMeta(r.string(m, "lstm"), r.string(m, "problem"), seed,
        r.string(m, "trainer"), m.get("start") == null ? null : r.string(m, "start"));
    int parameterCount = org.l2l4j.learned.NetGroups.parse(meta.lstmSpec()).parameterCount();
    float[] weights = r.floats(m, "weights", parameterCount);
    OuterOptimizer<?> outer = version == OLDEST_VERSION
        ? outerV1(where, r, m, meta, parameterCount)
        : outer(where, r, r.object(r.field(m, "outer"), "outer"), parameterCount);
    TrainingState s = new TrainingState(weights, outer);
    s.epoch = (int) r.integer(m, "epoch", 0, Integer.MAX_VALUE);
    s.badInARow = (int) r.integer(m, "bad_in_a_row", 0, Integer.MAX_VALUE);
    s.skippedTotal = r.integer(m, "skipped_total", 0, Long.MAX_VALUE >> 11);
    s.updates = r.integer(m, "updates", 0, Long.MAX_VALUE >> 11);
    Object best = r.field(m, "best_score");
    s.bestScore = best == null ? Double.POSITIVE_INFINITY : r.number(m, "best_score");
    s.bestEpoch = (int) r.integer(m, "best_epoch", 0, s.epoch);
    s.bestWeights = r.floats(m, "best_weights", parameterCount);
    return new Parsed(meta, s);
  }

  /** The v2 {@code outer} object: the optimizer's spec and its saved state. */
  private static OuterOptimizer<?> outer(String where, Json.Reader r, Map<String, Object> o,
      int parameterCount) {
    String spec = r.string(o, "spec");
    OuterOptimizer<?> outer =
        OuterOptimizer.start(Optimizers.parseBaseline(spec), parameterCount);
    String at = where + ": outer optimizer state";
    Json.Reader sr = new Json.Reader(at);
    Map<String, Object> values = sr.object(r.field(o, "state"), "outer.state");
    load(at, outer, new SavableState.Reader() {
      @Override
      public float[] floats(String name, int length) {
        return sr.floats(values, name, length);
      }

      @Override
      public long integer(String name, long min, long max) {
        return sr.integer(values, name, min, max);
      }

      @Override
      public double number(String name) {
        return sr.number(values, name);
      }
    });
    return outer;
  }

  /**
   * The v1 fields as the outer Adam: its configured learning rate is the {@code meta-lr} setting
   * recorded in {@code trainer} (the current one, {@code meta_learning_rate}, when absent).
   */
  private static OuterOptimizer<?> outerV1(String where, Json.Reader r, Map<String, Object> m,
      CheckpointMeta meta, int parameterCount) {
    double current = r.number(m, "meta_learning_rate");
    if (!(current > 0)) {
      throw new CheckpointException(where + ": meta_learning_rate must be > 0");
    }
    double configured = current;
    for (String part : meta.trainer().split(",")) {
      if (part.startsWith("meta-lr=")) {
        try {
          configured = Double.parseDouble(part.substring("meta-lr=".length()));
        } catch (NumberFormatException e) {
          throw new CheckpointException(where + ": setting 'meta-lr' in field 'trainer' is not a"
              + " number");
        }
      }
    }
    OuterOptimizer<?> outer = OuterOptimizer.start(new Adam(configured), parameterCount);
    Map<String, String> names = Map.of("t", "adam_t", "m", "adam_m", "v", "adam_v");
    load(where, outer, new SavableState.Reader() {
      @Override
      public float[] floats(String name, int length) {
        float[] a = r.floats(m, names.get(name), length);
        for (int i = 0; i < a.length && name.equals("v"); i++) {
          if (!(a[i] >= 0)) {
            throw new CheckpointException(where + ": field 'adam_v' element " + i + " is negative");
          }
        }
        return a;
      }

      @Override
      public long integer(String name, long min, long max) {
        return r.integer(m, names.get(name), min, max);
      }

      @Override
      public double number(String name) {
        return current; // learning_rate
      }
    });
    return outer;
  }

  private static void load(String at, OuterOptimizer<?> outer, SavableState.Reader in) {
    try {
      outer.load(in);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(at + ": " + e.getMessage());
    }
  }

  /** The header text with anything but printable ASCII replaced, and at most 80 characters. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return s.length() > 80 ? sb.append("...").toString() : sb.toString();
  }
}
