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
 * The trained optimizer file, format {@code l2l4j-optimizer} (documented in {@code
 * docs/optimizer-file.md}): a JSON object with the configuration as a spec string, the
 * provenance, the cell's conventions and the weights as named tensors with shapes, in the order of
 * {@link LstmConfig#tensors()}. Version 1 holds one bare net ({@code tensors}); version 2 holds
 * one net per parameter group ({@code nets}: group, spec, tensors each; see {@link NetGroups}).
 * A bare net is written as version 1, several nets as version 2; both are read. Reading refuses a file that is truncated, whose tensors do not
 * match the configuration, or that holds a non-finite weight, with a message naming the file.
 */
public final class OptimizerFile {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "l2l4j-optimizer";
  /** The version written for a bare net. */
  public static final int VERSION = 1;
  /** The version written for one net per parameter group. */
  public static final int VERSION_GROUPS = 2;
  /** The largest file accepted (bytes). */
  public static final long MAX_BYTES = 64L << 20;

  /** A loaded file: the nets, their weights (concatenated) and provenance. */
  public record Loaded(NetGroups nets, float[] weights, Map<String, Object> provenance) {
    /** The architecture of the first net (the only one of a bare net). */
    public LstmConfig config() {
      return nets.configs().get(0);
    }
  }

  private OptimizerFile() {}

  /** Writes a bare net's file (version 1) atomically, with the weights' provenance. */
  public static void write(Path path, LstmConfig config, float[] weights, Provenance provenance)
      throws IOException {
    write(path, NetGroups.single(config), weights, provenance);
  }

  /**
   * Writes the file atomically, with the weights' provenance: version 1 for a bare net, else
   * version 2.
   */
  public static void write(Path path, NetGroups nets, float[] weights, Provenance provenance)
      throws IOException {
    if (weights.length != nets.parameterCount()) {
      throw new IllegalArgumentException("weights do not match " + nets.spec());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", nets.bare() ? VERSION : VERSION_GROUPS);
    m.put("spec", nets.spec());
    m.put("provenance", provenance.toMap());
    if (nets.bare()) {
      putNet(m, nets.configs().get(0), weights, 0);
    } else {
      m.put("parameter_count", nets.parameterCount());
      List<Object> list = new ArrayList<>();
      for (int g = 0; g < nets.size(); g++) {
        Map<String, Object> nm = new LinkedHashMap<>();
        nm.put("group", nets.names().get(g));
        nm.put("spec", nets.configs().get(g).spec());
        putNet(nm, nets.configs().get(g), weights, nets.offset(g));
        list.add(nm);
      }
      m.put("nets", list);
    }
    AtomicFiles.writeString(path, Json.write(m));
  }

  /** Puts one net's conventions, parameter count and tensors (from {@code weights[offset..]}). */
  private static void putNet(
      Map<String, Object> m, LstmConfig config, float[] weights, int offset) {
    Map<String, Object> cell = new LinkedHashMap<>();
    cell.put("gate_order", List.of("i", "j", "f", "o"));
    cell.put("forget_bias", 1.0);
    cell.put("cell", "z = [x, h_prev] @ w + b; c = sigmoid(z_f + forget_bias) * c_prev"
        + " + sigmoid(z_i) * tanh(z_j); h = tanh(c) * sigmoid(z_o)");
    cell.put("output", "update = scale * (h_last @ out/w + out/b); theta += update");
    cell.put("initial_state", "zeros");
    if (config.norm() > 0) {
      cell.put("input_normalisation", "per coordinate, from t = 1 with v = 0: v = beta * v + (1 -"
          + " beta) * g^2; x = g / sqrt(v / (1 - beta^t) + " + InputNorm.EPS + "); x replaces the"
          + " gradient g as the preprocessing's input");
      cell.put("beta", config.norm());
    }
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
      System.arraycopy(weights, offset + t.offset(), v, 0, t.size());
      tm.put("values", v);
      tensors.add(tm);
    }
    m.put("tensors", tensors);
  }

  /**
   * The names of the optimizers shipped in the jar ({@link #readPretrained}): {@code general}
   * (meta-trained on a mixture of quadratics, see the README's "Generalisation"), {@code
   * general-long} ({@code general} fine-tuned on 1,000-step episodes: better on long runs, worse in
   * the first hundred steps) and {@code general-v1} (the earlier one, trained on quadratics and
   * MNIST nets, kept so that the results quoted for it can be reproduced).
   */
  public static final java.util.List<String> PRETRAINED = java.util.List.of("general",
      "general-long", "general-v1");

  /** Where the shipped optimizers lie on the class path: {@code DIR/NAME.json}. */
  static final String PRETRAINED_DIR = "/org/l2l4j/learned/pretrained/";

  /**
   * Reads an optimizer shipped in the jar, e.g. {@code general} (see the README's
   * "Generalisation").
   *
   * @throws OptimizerFileException for an unknown name, or one this build does not hold
   */
  public static Loaded readPretrained(String name) {
    if (!PRETRAINED.contains(name)) {
      throw new OptimizerFileException("no pretrained optimizer '" + name + "'; known: "
          + String.join(", ", PRETRAINED));
    }
    String where = "pretrained:" + name;
    try (java.io.InputStream in =
        OptimizerFile.class.getResourceAsStream(PRETRAINED_DIR + name + ".json")) {
      if (in == null) {
        throw new OptimizerFileException(where + ": not in this build (its resource "
            + PRETRAINED_DIR + name + ".json is missing from the class path)");
      }
      byte[] bytes = in.readNBytes((int) MAX_BYTES);
      return parse(where, new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OptimizerFileException(where + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads {@code arg} as a pretrained optimizer's name ({@link #PRETRAINED}) when it is one and no
   * regular file of that name exists (a folder of that name, e.g. a run's output, does not count),
   * else as a file path.
   *
   * @throws OptimizerFileException as {@link #read} and {@link #readPretrained}
   */
  public static Loaded readFileOrPretrained(String arg) {
    if (namesPretrained(arg)) {
      return readPretrained(arg);
    }
    Path path;
    try {
      path = Path.of(arg);
    } catch (java.nio.file.InvalidPathException e) {
      throw new OptimizerFileException(arg + ": not a valid path (" + e.getReason() + ")");
    }
    if (path.getParent() == null && !java.nio.file.Files.exists(path)) {
      // a bare name: perhaps a mistyped shipped optimizer
      throw new OptimizerFileException(arg + ": no such file, nor an optimizer shipped in the jar"
          + " (those are: " + String.join(", ", PRETRAINED) + ")");
    }
    return read(path);
  }

  /**
   * Whether {@link #readFileOrPretrained} reads {@code arg} from the jar: a shipped optimizer's
   * name with no regular file of that name here.
   */
  public static boolean namesPretrained(String arg) {
    return PRETRAINED.contains(arg) && !java.nio.file.Files.isRegularFile(Path.of(arg));
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
    if (version != VERSION && version != VERSION_GROUPS) {
      throw new OptimizerFileException(where + ": unsupported version " + version + " (this build reads "
          + VERSION + " and " + VERSION_GROUPS + ")");
    }
    NetGroups nets = NetGroups.parse(r.string(m, "spec"));
    Map<String, Object> provenance =
        m.get("provenance") == null ? Map.of() : r.object(m.get("provenance"), "provenance");
    if (version == VERSION) {
      if (!nets.bare()) {
        throw new OptimizerFileException(where + ": version 1 holds one lstm(...) net, spec is "
            + Text.excerpt(nets.spec()));
      }
      float[] w = new float[nets.parameterCount()];
      readNet(where, r, m, nets.configs().get(0), w, 0, "");
      return new Loaded(nets, w, provenance);
    }
    if (nets.bare()) {
      throw new OptimizerFileException(where + ": version 2 holds groups(...), spec is "
          + Text.excerpt(nets.spec()));
    }
    long total = r.integer(m, "parameter_count", 0, Integer.MAX_VALUE);
    if (total != nets.parameterCount()) {
      throw new OptimizerFileException(where + ": parameter_count " + total + " does not match spec "
          + nets.spec() + " (" + nets.parameterCount() + ")");
    }
    List<Object> list = r.list(m, "nets");
    if (list.size() != nets.size()) {
      throw new OptimizerFileException(where + ": " + list.size() + " nets, spec " + nets.spec()
          + " needs " + nets.size());
    }
    float[] w = new float[nets.parameterCount()];
    for (int g = 0; g < nets.size(); g++) {
      Map<String, Object> nm = r.object(list.get(g), "nets[" + g + "]");
      String group = r.string(nm, "group");
      String want = nets.names().get(g);
      if (!group.equals(want)) {
        throw new OptimizerFileException(where + ": nets[" + g + "] is for group '"
            + Text.excerpt(group) + "', spec needs '" + want + "'");
      }
      LstmConfig config = nets.configs().get(g);
      String spec = r.string(nm, "spec");
      if (!LstmConfig.parse(spec).equals(config)) {
        throw new OptimizerFileException(where + ": group '" + want + "' has spec "
            + Text.excerpt(spec) + ", the file's spec says " + config.spec());
      }
      readNet(where, r, nm, config, w, nets.offset(g), "group '" + want + "': ");
    }
    return new Loaded(nets, w, provenance);
  }

  /** Reads one net's parameter count and tensors into {@code w[offset..]}. */
  private static void readNet(String where, Json.Reader r, Map<String, Object> m,
      LstmConfig config, float[] w, int offset, String label) {
    long count = r.integer(m, "parameter_count", 0, Integer.MAX_VALUE);
    if (count != config.parameterCount()) {
      throw new OptimizerFileException(where + ": " + label + "parameter_count " + count
          + " does not match spec " + config.spec() + " (" + config.parameterCount() + ")");
    }
    List<Object> tensors = r.list(m, "tensors");
    List<LstmConfig.Tensor> expected = config.tensors();
    if (tensors.size() != expected.size()) {
      throw new OptimizerFileException(where + ": " + label + tensors.size() + " tensors, spec "
          + config.spec()
          + " needs " + expected.size());
    }
    for (int i = 0; i < expected.size(); i++) {
      LstmConfig.Tensor want = expected.get(i);
      Map<String, Object> tm = r.object(tensors.get(i), "tensors[" + i + "]");
      String name = r.string(tm, "name");
      if (!name.equals(want.name())) {
        throw new OptimizerFileException(where + ": " + label + "tensor " + i + " is '" + Text.excerpt(name)
            + "', expected '" + want.name() + "'");
      }
      List<Object> shape = r.list(tm, "shape");
      boolean ok = shape.size() == want.shape().length;
      for (int d = 0; ok && d < shape.size(); d++) {
        ok = shape.get(d) instanceof Double v && v == want.shape()[d];
      }
      if (!ok) {
        throw new OptimizerFileException(where + ": " + label + "tensor '" + name + "' has shape "
            + Text.excerpt(shape) + ", spec needs " + java.util.Arrays.toString(want.shape()));
      }
      float[] v;
      try {
        v = r.floats(tm, "values", want.size());
      } catch (JsonException e) {
        throw new OptimizerFileException(where + ": " + label + "tensor '" + name + "': "
            + e.getMessage().substring(where.length() + 2));
      }
      System.arraycopy(v, 0, w, offset + want.offset(), want.size());
    }
  }
}
