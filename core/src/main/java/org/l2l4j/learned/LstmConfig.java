package org.l2l4j.learned;

import static org.l2l4j.util.Spec.fmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * The architecture of the coordinatewise LSTM optimizer (SPEC §2): the preprocessing of the
 * gradient, the widths of the stacked LSTM layers (possibly none), a linear map from the last
 * layer (or from the features, with no layers) to one output, and a fixed output scale.
 *
 * <p>Spec: {@code lstm(layers=20x20,preproc=log-sign(p=10),scale=0.1,init=official,gac=0,norm=0)};
 * {@code layers=0} means no LSTM layer; {@code gac} (written only when positive) is the number of
 * global averaging cells per layer; {@code norm=β} (written only when positive) divides each
 * gradient by its running root mean square before the preprocessing (see {@link #norm}). {@code
 * preset=NAME} starts from a preset that other keys override:
 *
 * <ul>
 *   <li>{@code paper}: 20x20, {@code log-sign(p=10)}, scale 0.1 (MNIST/CIFAR, as in the paper).
 *   <li>{@code deepmind}: 20x20, {@code clamped-log-sign(k=5)}, scale 0.01 (the official code).
 *   <li>{@code quadratic}: 20x20, no preprocessing, scale 1 (quadratics, paper and code agree).
 *   <li>{@code simple}: no layers, no preprocessing, scale 1, zero initial weights.
 *   <li>{@code general}: 20x20, no preprocessing, scale 0.1, {@code norm=0.99}, output weights
 *       starting at zero: the shipped general-purpose optimizer (README "Generalisation"), whose
 *       input does not depend on the gradients' scale.
 * </ul>
 *
 * <h2>Weight layout</h2>
 *
 * All weights live in one flat float array, tensors in this order: for each layer l = 1..L,
 * {@code lstm<l>/w} of shape [in_l + H_l, 4·H_l] (row-major; rows are the inputs then the previous
 * hidden state, columns the gates i, j, f, o in blocks of H_l), then {@code lstm<l>/b} [4·H_l];
 * finally {@code out/w} [H_L] (or [features] with no layers) and {@code out/b} [1].
 *
 * @param layers the hidden widths of the LSTM layers, first to last (empty: no layer)
 * @param preprocessing the gradient preprocessing
 * @param scale the output scale
 * @param init how fresh weights are drawn
 * @param gac global averaging cells per layer (paper appendix; 0 = the plain LSTM): in every
 *     layer, the outgoing activation h of the first {@code gac} cells is replaced at every step by
 *     its average over all coordinates
 * @param norm 0 (off), or β in (0, 1): the LSTM then reads x_t = ∇_t / √(v̂_t + ε) instead of
 *     ∇_t, with v_t = β·v_{t−1} + (1 − β)·∇_t², v̂_t = v_t / (1 − β^t) per coordinate (Adam's
 *     second-moment estimate, v_0 = 0, ε = 1e-16), so that multiplying the optimizee's loss by
 *     any constant leaves the updates unchanged. Like the gradient itself, x_t is an input of the
 *     LSTM: no derivative flows through it.
 */
public record LstmConfig(
    List<Integer> layers, Preprocessing preprocessing, double scale, Init init, int gac,
    double norm) {

  /** How fresh weights are drawn. */
  public enum Init {
    /**
     * The official code: gate weights and biases from a normal truncated at 2 std with std
     * 1/√(inputs + hidden); output weights with std 1/√(fan-in); output bias 0.
     */
    OFFICIAL,
    /** All weights zero (the {@code simple} problem's configuration). */
    ZERO,
    /**
     * As {@code OFFICIAL}, but the output weights start at zero, so that the initial optimizer
     * proposes no update at all (spec {@code init=zero-output}). This avoids the failure where a
     * random initial optimizer drifts every parameter of a neural-net optimizee by the same amount
     * each step, saturates its units and leaves meta-training with no gradient.
     */
    ZERO_OUTPUT
  }

  /**
   * The largest number of weights accepted: 2^24 (16.8 million, 64 MB per copy; the paper's
   * network has 5,141). Checked before anything is allocated, so that a spec read from a file
   * cannot ask for gigabytes.
   */
  public static final int MAX_PARAMETERS = 1 << 24;

  /** Validates and copies. */
  public LstmConfig {
    layers = List.copyOf(layers);
    for (int h : layers) {
      if (h < 1 || h > 4096) {
        throw new SpecException("lstm: layer widths must be in [1, 4096], got " + h);
      }
    }
    if (layers.size() > 8) {
      throw new SpecException("lstm: at most 8 layers");
    }
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new SpecException("lstm: scale must be finite and > 0, got " + scale);
    }
    if (gac < 0) {
      throw new SpecException("lstm: gac must be >= 0, got " + gac);
    }
    if (!(norm >= 0 && norm < 1)) {
      throw new SpecException("lstm: norm must be 0 (off) or a β in (0, 1), got " + norm);
    }
    if (gac > 0 && layers.isEmpty()) {
      throw new SpecException("lstm: gac needs at least one LSTM layer");
    }
    for (int h : layers) {
      if (gac > h) {
        throw new SpecException("lstm: gac=" + gac + " exceeds a layer width of " + h);
      }
    }
    long count = 1;
    long in = preprocessing.features();
    for (int h : layers) {
      count += (in + h + 1) * 4L * h;
      in = h;
    }
    count += in;
    if (count > MAX_PARAMETERS) {
      throw new SpecException("lstm: " + count + " weights is more than the limit of "
          + MAX_PARAMETERS);
    }
  }

  /** A configuration without input normalisation ({@code norm=0}). */
  public LstmConfig(
      List<Integer> layers, Preprocessing preprocessing, double scale, Init init, int gac) {
    this(layers, preprocessing, scale, init, gac, 0);
  }

  /** This configuration with {@code g} global averaging cells per layer (0: the plain LSTM). */
  public LstmConfig withGac(int g) {
    return new LstmConfig(layers, preprocessing, scale, init, g, norm);
  }

  /** The paper's MNIST/CIFAR configuration. */
  public static LstmConfig paper() {
    return parse("lstm(preset=paper)");
  }

  /** The quadratic configuration (no preprocessing, scale 1). */
  public static LstmConfig quadratic() {
    return parse("lstm(preset=quadratic)");
  }

  /** Parses an {@code lstm(...)} spec. */
  public static LstmConfig parse(String text) {
    Spec s = Spec.parse(text);
    if (!s.name().equals("lstm")) {
      throw new SpecException("expected an lstm(...) spec, got '" + Text.excerpt(text) + "'");
    }
    s.requireOnly(Set.of("preset", "layers", "preproc", "scale", "init", "gac", "norm"));
    String preset = s.get("preset", "paper");
    String layers;
    String preproc;
    double scale;
    String init = "official";
    double norm = 0;
    switch (preset) {
      case "paper" -> {
        layers = "20x20";
        preproc = "log-sign(p=10)";
        scale = 0.1;
      }
      case "deepmind" -> {
        layers = "20x20";
        preproc = "clamped-log-sign(k=5)";
        scale = 0.01;
      }
      case "quadratic" -> {
        layers = "20x20";
        preproc = "none";
        scale = 1;
      }
      case "simple" -> {
        layers = "0";
        preproc = "none";
        scale = 1;
        init = "zero";
      }
      case "general" -> {
        layers = "20x20";
        preproc = "none";
        scale = 0.1;
        init = "zero-output";
        norm = 0.99;
      }
      default -> throw new SpecException(
          "unknown lstm preset '" + Text.excerpt(preset)
              + "'; known: paper, deepmind, quadratic, simple, general");
    }
    List<Integer> widths = parseLayers(s.get("layers", layers));
    Preprocessing p = Preprocessing.parse(s.get("preproc", preproc));
    double sc = s.getPositive("scale", scale);
    Init in;
    switch (s.get("init", init)) {
      case "official" -> in = Init.OFFICIAL;
      case "zero" -> in = Init.ZERO;
      case "zero-output" -> in = Init.ZERO_OUTPUT;
      default -> throw new SpecException(
          "unknown init '" + Text.excerpt(s.get("init", init)) + "' in '" + Text.excerpt(text)
              + "'; known: official, zero, zero-output");
    }
    int gac = s.getInt("gac", 0, 0, 4096);
    double nm = s.getDouble("norm", norm);
    if (!(nm >= 0 && nm < 1)) {
      throw new SpecException("lstm: norm must be 0 (off) or a β in (0, 1), got '"
          + Text.excerpt(s.get("norm", "")) + "' in '" + Text.excerpt(text) + "'");
    }
    return new LstmConfig(widths, p, sc, in, gac, nm);
  }

  private static List<Integer> parseLayers(String v) {
    List<Integer> out = new ArrayList<>();
    if (v.equals("0") || v.equals("none")) {
      return out;
    }
    for (String part : v.split("x", -1)) {
      if (!part.matches("[0-9]{1,9}")) {
        throw new SpecException(
            "lstm: layers must look like 20x20 (or 0), got '" + Text.excerpt(v) + "'");
      }
      out.add(Integer.parseInt(part));
    }
    return out;
  }

  /** The canonical spec string (every setting written out). */
  public String spec() {
    StringBuilder sb = new StringBuilder("lstm(layers=");
    if (layers.isEmpty()) {
      sb.append('0');
    } else {
      for (int i = 0; i < layers.size(); i++) {
        sb.append(i > 0 ? "x" : "").append(layers.get(i));
      }
    }
    sb.append(",preproc=").append(preprocessing.spec());
    sb.append(",scale=").append(fmt(scale));
    sb.append(",init=").append(switch (init) {
      case OFFICIAL -> "official";
      case ZERO -> "zero";
      case ZERO_OUTPUT -> "zero-output";
    });
    if (gac > 0) {
      sb.append(",gac=").append(gac);
    }
    if (norm > 0) {
      sb.append(",norm=").append(fmt(norm));
    }
    return sb.append(')').toString();
  }

  // ------------------------------------------------------------------ layout

  /** Number of LSTM layers. */
  public int depth() {
    return layers.size();
  }

  /** Width of layer l (0-based). */
  public int hidden(int l) {
    return layers.get(l);
  }

  /** Input width of layer l: the features for l = 0, else the previous layer's width. */
  public int inputWidth(int l) {
    return l == 0 ? preprocessing.features() : layers.get(l - 1);
  }

  /** Offset of layer l's weight matrix [inputWidth + hidden, 4·hidden] in the flat array. */
  public int weightOffset(int l) {
    int off = 0;
    for (int i = 0; i < l; i++) {
      off += (inputWidth(i) + hidden(i) + 1) * 4 * hidden(i);
    }
    return off;
  }

  /** Offset of layer l's bias [4·hidden]. */
  public int biasOffset(int l) {
    return weightOffset(l) + (inputWidth(l) + hidden(l)) * 4 * hidden(l);
  }

  /** Width feeding the output map: the last layer's width, or the features with no layers. */
  public int outputInputs() {
    return layers.isEmpty() ? preprocessing.features() : layers.get(layers.size() - 1);
  }

  /** Offset of the output weights [outputInputs]. */
  public int outputWeightOffset() {
    return weightOffset(depth());
  }

  /** Offset of the output bias (one float). */
  public int outputBiasOffset() {
    return outputWeightOffset() + outputInputs();
  }

  /** Total number of weights (5,141 for the paper's configuration). */
  public int parameterCount() {
    return outputBiasOffset() + 1;
  }

  /** Recurrent floats per coordinate (h and c of every layer). */
  public int stateFloatsPerCoordinate() {
    int s = 0;
    for (int h : layers) {
      s += 2 * h;
    }
    return s;
  }

  /** A named tensor in the flat weight array. */
  public record Tensor(String name, int[] shape, int offset, int size) {}

  /** The tensors in storage order. */
  public List<Tensor> tensors() {
    List<Tensor> out = new ArrayList<>();
    for (int l = 0; l < depth(); l++) {
      int rows = inputWidth(l) + hidden(l);
      int cols = 4 * hidden(l);
      out.add(new Tensor("lstm" + (l + 1) + "/w", new int[] {rows, cols}, weightOffset(l), rows * cols));
      out.add(new Tensor("lstm" + (l + 1) + "/b", new int[] {cols}, biasOffset(l), cols));
    }
    out.add(new Tensor("out/w", new int[] {outputInputs(), 1}, outputWeightOffset(), outputInputs()));
    out.add(new Tensor("out/b", new int[] {1}, outputBiasOffset(), 1));
    return out;
  }
}
