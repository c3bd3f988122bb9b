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
import java.util.zip.CRC32;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.util.AtomicFiles;
import org.l2l4j.util.Json;
import org.l2l4j.util.JsonException;
import org.l2l4j.util.SpecException;

/**
 * Training checkpoints. A checkpoint is a header line {@code l2l4j-checkpoint v1 crc32=XXXXXXXX
 * bytes=N} followed by N bytes of UTF-8 JSON holding a {@link TrainingState} and its {@link
 * CheckpointMeta}. It is written atomically (temporary file, fsync, rename) after the previous
 * checkpoint has been moved to {@code <path>.prev}; {@link #readLatest} falls back to that one when
 * the newest is missing or fails its checksum.
 */
public final class Checkpoint {
  /** The header's first word. */
  public static final String MAGIC = "l2l4j-checkpoint";
  /** The format version written. */
  public static final int VERSION = 1;
  /** The largest checkpoint body accepted (bytes). */
  public static final long MAX_BYTES = 256L << 20;

  private Checkpoint() {}

  /** A restored checkpoint. */
  public record Loaded(CheckpointMeta meta, TrainingState state, Path from, String warning) {}

  /** The fallback file kept beside {@code path}. */
  public static Path previous(Path path) {
    return path.resolveSibling(path.getFileName() + ".prev");
  }

  /** Writes {@code state} to {@code path}, keeping the previous checkpoint as {@code .prev}. */
  public static void write(Path path, CheckpointMeta meta, TrainingState state) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lstm", meta.lstmSpec());
    m.put("problem", meta.problemSpec());
    m.put("seed", Long.toString(meta.seed()));
    m.put("trainer", meta.trainer());
    m.put("epoch", state.epoch);
    m.put("meta_learning_rate", state.metaLearningRate);
    m.put("bad_in_a_row", state.badInARow);
    m.put("skipped_total", state.skippedTotal);
    m.put("updates", state.updates);
    m.put("best_score", Double.isFinite(state.bestScore) ? state.bestScore : null);
    m.put("best_epoch", state.bestEpoch);
    m.put("adam_t", state.adam.t);
    m.put("weights", state.weights);
    m.put("adam_m", state.adam.m);
    m.put("adam_v", state.adam.v);
    m.put("best_weights", state.bestWeights);
    byte[] body = Json.write(m).getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    String header =
        String.format(Locale.ROOT, "%s v%d crc32=%08x bytes=%d%n", MAGIC, VERSION, crc.getValue(),
            body.length);
    byte[] head = header.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    if (Files.exists(path)) {
      Files.move(path, previous(path), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    AtomicFiles.write(path, all);
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

  /** Reads and verifies one checkpoint file. */
  public static Loaded read(Path path, String warning) {
    byte[] all;
    try {
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw new CheckpointException(path + ": " + size + " bytes is too large for a checkpoint");
      }
      all = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(path + ": no such checkpoint");
    } catch (IOException e) {
      throw new CheckpointException(path + ": cannot read (" + e.getMessage() + ")");
    }
    int nl = -1;
    for (int i = 0; i < Math.min(all.length, 200); i++) {
      if (all[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      throw new CheckpointException(path + ": not an l2l4j checkpoint (no header line)");
    }
    String header = new String(all, 0, nl, StandardCharsets.US_ASCII).strip();
    String[] parts = header.split(" ");
    if (parts.length != 4 || !parts[0].equals(MAGIC)) {
      throw new CheckpointException(path + ": not an l2l4j checkpoint (bad header '" + header + "')");
    }
    if (!parts[1].equals("v" + VERSION)) {
      throw new CheckpointException(path + ": unsupported checkpoint version " + parts[1]);
    }
    long crcWant;
    long bytes;
    try {
      crcWant = Long.parseLong(parts[2].substring("crc32=".length()), 16);
      bytes = Long.parseLong(parts[3].substring("bytes=".length()));
    } catch (RuntimeException e) {
      throw new CheckpointException(path + ": bad checkpoint header '" + header + "'");
    }
    if (bytes != all.length - nl - 1) {
      throw new CheckpointException(
          path + ": truncated or padded checkpoint (header says " + bytes + " bytes, found "
              + (all.length - nl - 1) + ")");
    }
    CRC32 crc = new CRC32();
    crc.update(all, nl + 1, (int) bytes);
    if (crc.getValue() != crcWant) {
      throw new CheckpointException(path + ": checksum mismatch (corrupt checkpoint)");
    }
    try {
      Json.Reader r = new Json.Reader(path.toString());
      Map<String, Object> m =
          r.object(Json.parse(new String(all, nl + 1, (int) bytes, StandardCharsets.UTF_8)), "top");
      long seed;
      try {
        seed = Long.parseLong(r.string(m, "seed"));
      } catch (NumberFormatException e) {
        throw new CheckpointException(path + ": field 'seed' is not an integer");
      }
      CheckpointMeta meta =
          new CheckpointMeta(r.string(m, "lstm"), r.string(m, "problem"), seed, r.string(m, "trainer"));
      int parameterCount = LstmConfig.parse(meta.lstmSpec()).parameterCount();
      float[] w = r.floats(m, "weights", parameterCount);
      TrainingState s = new TrainingState(w, r.number(m, "meta_learning_rate"));
      s.epoch = (int) r.integer(m, "epoch", 0, Integer.MAX_VALUE);
      s.badInARow = (int) r.integer(m, "bad_in_a_row", 0, Integer.MAX_VALUE);
      s.skippedTotal = r.integer(m, "skipped_total", 0, Long.MAX_VALUE >> 11);
      s.updates = r.integer(m, "updates", 0, Long.MAX_VALUE >> 11);
      Object best = r.field(m, "best_score");
      s.bestScore = best == null ? Double.POSITIVE_INFINITY : r.number(m, "best_score");
      s.bestEpoch = (int) r.integer(m, "best_epoch", 0, Integer.MAX_VALUE);
      s.adam.t = r.integer(m, "adam_t", 0, Long.MAX_VALUE >> 11);
      System.arraycopy(r.floats(m, "adam_m", parameterCount), 0, s.adam.m, 0, parameterCount);
      System.arraycopy(r.floats(m, "adam_v", parameterCount), 0, s.adam.v, 0, parameterCount);
      s.bestWeights = r.floats(m, "best_weights", parameterCount);
      if (!(s.metaLearningRate > 0)) {
        throw new CheckpointException(path + ": meta_learning_rate must be > 0");
      }
      return new Loaded(meta, s, path, warning);
    } catch (JsonException | SpecException e) {
      throw new CheckpointException(
          e.getMessage().startsWith(path.toString()) ? e.getMessage() : path + ": " + e.getMessage());
    }
  }
}
