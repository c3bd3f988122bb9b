package org.l2l4j.learned;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2l4j.util.AtomicFiles;
import org.l2l4j.util.InputFiles;
import org.l2l4j.util.Json;
import org.l2l4j.util.JsonException;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * The trained optimizer file, format {@code l2l4j-optimizer} version 1 (documented in
 * {@code docs/optimizer-file.md}): a JSON object with the configuration as a spec string, the
 * provenance, the cell's conventions and the weights as named tensors with shapes, in the order of
 * {@link LstmConfig#tensors()}. Reading refuses a file that is truncated, whose tensors do not
 * match the configuration, or that holds a non-finite weight, with a message naming the file.
 */
public final class OptimizerFile {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "l2l4j-optimizer";
  /** The version written. */
  public static final int VERSION = 1;
  /** The largest file accepted (bytes). */
  public static final long MAX_BYTES = 64L << 20;

  /** A loaded file: configuration, weights and provenance. */
  public record Loaded(LstmConfig config, float[] weights, Map<String, Object> provenance) {}

  private OptimizerFile() {}

  /** Writes the file atomically, with the weights' provenance. */
  public static void write(Path path, LstmConfig config, float[] weights, Provenance provenance)
      throws IOException {
    if (weights.length != config.parameterCount()) {
      throw new IllegalArgumentException("weights do not match " + config.spec());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("spec", config.spec());
    m.put("provenance", provenance.toMap());
    Map<String, Object> cell = new LinkedHashMap<>();
    cell.put("gate_order", List.of("i", "j", "f", "o"));
    cell.put("forget_bias", 1.0);
    cell.put("cell", "z = [x, h_prev] @ w + b; c = sigmoid(z_f + forget_bias) * c_prev"
        + " + sigmoid(z_i) * tanh(z_j); h = tanh(c) * sigmoid(z_o)");
    cell.put("output", "update = scale * (h_last @ out/w + out/b); theta += update");
    cell.put("initial_state", "zeros");
    cell.put("preprocessing", config.preprocessing().spec());
    cell.put("scale", config.scale());
    m.put("conventions", cell);
    m.put("parameter_count", config.parameterCount());
    List<Object> tensors = new ArrayList<>();
    for (LstmConfig.Tensor t : config.tensors()) {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("name", t.name());
      tm.put("shape", t.shape());
      float[] v = new float[t.size()];
      System.arraycopy(weights, t.offset(), v, 0, t.size());
      tm.put("values", v);
      tensors.add(tm);
    }
    m.put("tensors", tensors);
    AtomicFiles.writeString(path, Json.write(m));
  }

  /** Reads and validates the file. */
  public static Loaded read(Path path) {
    String where = path.toString();
    String text;
    try {
      long size = InputFiles.requireRegularFile(path);
      if (size > MAX_BYTES) {
        throw new OptimizerFileException(where + ": " + size + " bytes is too large for an optimizer file");
      }
      byte[] bytes = InputFiles.read(path, MAX_BYTES);
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new OptimizerFileException(where + ": no such file");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new OptimizerFileException(where + ": not UTF-8 text (the file may be corrupt)");
    } catch (InputFiles.RefusedException e) {
      throw new OptimizerFileException(where + ": " + e.getMessage());
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new OptimizerFileException(where + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(where, text);
  }

  /**
   * Parses and validates file contents.
   *
   * @param where names the source in errors
   * @throws OptimizerFileException whose message starts with {@code where}
   */
  public static Loaded parse(String where, String text) {
    try {
      return parseFields(where, text);
    } catch (JsonException | SpecException e) {
      throw new OptimizerFileException(
          e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
    }
  }

  private static Loaded parseFields(String where, String text) {
    Json.Reader r = new Json.Reader(where);
    Object top;
    try {
      top = Json.parse(text);
    } catch (JsonException e) {
      throw new OptimizerFileException(where + ": not valid JSON (" + e.getMessage()
          + (e.atEndOfInput() ? "); the file may be truncated" : ")"));
    }
    Map<String, Object> m = r.object(top, "top level");
    if (!FORMAT.equals(m.get("format"))) {
      throw new OptimizerFileException(where + ": not an l2l4j optimizer file (format field is "
          + Text.excerpt(m.get("format")) + ")");
    }
    long version = r.integer(m, "version", 0, Integer.MAX_VALUE);
    if (version != VERSION) {
      throw new OptimizerFileException(where + ": unsupported version " + version + " (this build reads "
          + VERSION + ")");
    }
    LstmConfig config = LstmConfig.parse(r.string(m, "spec"));
    Map<String, Object> provenance =
        m.get("provenance") == null ? Map.of() : r.object(m.get("provenance"), "provenance");
    long count = r.integer(m, "parameter_count", 0, Integer.MAX_VALUE);
    if (count != config.parameterCount()) {
      throw new OptimizerFileException(where + ": parameter_count " + count + " does not match spec "
          + config.spec() + " (" + config.parameterCount() + ")");
    }
    List<Object> tensors = r.list(m, "tensors");
    List<LstmConfig.Tensor> expected = config.tensors();
    if (tensors.size() != expected.size()) {
      throw new OptimizerFileException(where + ": " + tensors.size() + " tensors, spec " + config.spec()
          + " needs " + expected.size());
    }
    float[] w = new float[config.parameterCount()];
    for (int i = 0; i < expected.size(); i++) {
      LstmConfig.Tensor want = expected.get(i);
      Map<String, Object> tm = r.object(tensors.get(i), "tensors[" + i + "]");
      String name = r.string(tm, "name");
      if (!name.equals(want.name())) {
        throw new OptimizerFileException(where + ": tensor " + i + " is '" + Text.excerpt(name)
            + "', expected '" + want.name() + "'");
      }
      List<Object> shape = r.list(tm, "shape");
      boolean ok = shape.size() == want.shape().length;
      for (int d = 0; ok && d < shape.size(); d++) {
        ok = shape.get(d) instanceof Double v && v == want.shape()[d];
      }
      if (!ok) {
        throw new OptimizerFileException(where + ": tensor '" + name + "' has shape "
            + Text.excerpt(shape) + ", spec needs " + java.util.Arrays.toString(want.shape()));
      }
      float[] v;
      try {
        v = r.floats(tm, "values", want.size());
      } catch (JsonException e) {
        throw new OptimizerFileException(where + ": tensor '" + name + "': "
            + e.getMessage().substring(where.length() + 2));
      }
      System.arraycopy(v, 0, w, want.offset(), want.size());
    }
    return new Loaded(config, w, provenance);
  }
}
