package org.l2l4j.problem;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.problem.data.Dataset;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * Multilayer perceptron classifiers on an image data set (SPEC §5 "mnist" and its variants): the
 * optimizee is the network's mean softmax cross-entropy on a minibatch.
 *
 * <p>Spec: {@code mlp(data=mnist,hidden=20,activation=sigmoid,batch=128,split=train)}, every key
 * optional with these defaults, plus an optional {@code dir=PATH} (a folder that must hold the
 * data; otherwise {@link DataSets} searches its usual places). {@code data} is {@code mnist} or
 * {@code fashion-mnist}; {@code hidden} gives the hidden widths, e.g. {@code 40} or {@code 20x20};
 * {@code activation} is {@code sigmoid}, {@code relu} or {@code tanh}; {@code split} is {@code
 * train} (meta-training) or {@code test} (evaluation). The alias {@code mnist(...)} means {@code
 * mlp(data=mnist,...)}. The base net 784-20-10 has 15,910 parameters, 784-40-10 31,810 and
 * 784-20-20-10 16,330.
 *
 * <p>The data set is loaded on the first {@link #sample} (not on parsing) and shared by all sampled
 * problems; sampling draws nothing, since the MLP's randomness is its initialisation ({@link
 * Problem#init}) and its minibatches. This class is the family (spec, data, sampling); the network
 * itself, its layout, forward and backward pass, is {@link Mlp}.
 */
public final class MlpFamily implements ProblemFamily {
  /** The hidden-layer nonlinearity. */
  public enum Activation {
    /** σ(z) = 1 / (1 + e^−z), the paper's choice. */
    SIGMOID,
    /** max(0, z). */
    RELU,
    /** tanh(z). */
    TANH;

    /** The lower-case name used in spec strings. */
    public String specName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The default data set. */
  public static final String DEFAULT_DATA = DataSets.MNIST;

  /** The default minibatch size (paper and official code). */
  public static final int DEFAULT_BATCH = 128;

  /** The default hidden widths: one layer of 20 (paper). */
  public static final String DEFAULT_HIDDEN = "20";

  /** The largest hidden width accepted. */
  public static final int MAX_WIDTH = 4096;

  /** The most hidden layers accepted. */
  public static final int MAX_LAYERS = 8;

  /** The largest minibatch accepted. */
  public static final int MAX_BATCH = 1 << 16;

  private static final Set<String> KEYS = Set.of("data", "hidden", "activation", "batch", "split",
      "dir");

  private final String data;
  private final Path dir;
  private final int[] hidden;
  private final Activation activation;
  private final int batch;
  private final Split split;
  private volatile Dataset loaded;

  /**
   * A family with explicit settings.
   *
   * @param data {@code mnist} or {@code fashion-mnist}
   * @param dir a folder that must hold the data, or null to let {@link DataSets} search
   * @param hidden the hidden widths, at least one (not modified)
   * @param activation the hidden nonlinearity
   * @param batch the minibatch size, ≥ 1
   * @param split the part of the data to draw minibatches from
   * @throws SpecException if a setting is out of range
   */
  public MlpFamily(
      String data, Path dir, int[] hidden, Activation activation, int batch, Split split) {
    if (!DataSets.names().contains(data)) {
      throw new SpecException(
          "mlp: unknown data '" + data + "'; known: " + String.join(", ", DataSets.names()));
    }
    if (hidden.length < 1 || hidden.length > MAX_LAYERS) {
      throw new SpecException("mlp: 1 to " + MAX_LAYERS + " hidden layers, got " + hidden.length);
    }
    for (int h : hidden) {
      if (h < 1 || h > MAX_WIDTH) {
        throw new SpecException("mlp: hidden widths must be in [1, " + MAX_WIDTH + "], got " + h);
      }
    }
    if (batch < 1 || batch > MAX_BATCH) {
      throw new SpecException("mlp: batch must be in [1, " + MAX_BATCH + "], got " + batch);
    }
    if (dir != null && dir.toString().matches(".*[,()=].*")) {
      throw new SpecException(
          "mlp: the data folder '" + dir + "' contains one of , ( ) = and cannot be written in a"
              + " spec; move or link it");
    }
    this.data = data;
    this.dir = dir;
    this.hidden = hidden.clone();
    this.activation = Objects.requireNonNull(activation);
    this.batch = batch;
    this.split = Objects.requireNonNull(split);
  }

  /** Parses {@code mlp(data=..,hidden=..,activation=..,batch=..,split=..,dir=..)}. */
  public static MlpFamily of(Spec spec) {
    spec.requireOnly(KEYS);
    return fromSpec(spec, spec.get("data", DEFAULT_DATA));
  }

  /** Parses the alias {@code mnist(hidden=..,activation=..,batch=..,split=..,dir=..)}. */
  public static MlpFamily ofMnist(Spec spec) {
    spec.requireOnly(Set.of("hidden", "activation", "batch", "split", "dir"));
    return fromSpec(spec, DataSets.MNIST);
  }

  private static MlpFamily fromSpec(Spec spec, String data) {
    if (!DataSets.names().contains(data)) {
      throw new SpecException(
          "unknown data '" + data + "' in '" + spec + "'; known: "
              + String.join(", ", DataSets.names()));
    }
    int[] hidden = parseHidden(spec);
    String act = spec.get("activation", Activation.SIGMOID.specName());
    Activation activation = null;
    for (Activation a : Activation.values()) {
      if (a.specName().equals(act)) {
        activation = a;
      }
    }
    if (activation == null) {
      throw new SpecException(
          "unknown activation '" + act + "' in '" + spec + "'; known: sigmoid, relu, tanh");
    }
    int batch = spec.getInt("batch", DEFAULT_BATCH, 1, MAX_BATCH);
    Split split = Split.of(spec);
    String d = spec.get("dir", null);
    return new MlpFamily(data, d == null ? null : Path.of(d), hidden, activation, batch, split);
  }

  private static int[] parseHidden(Spec spec) {
    String text = spec.get("hidden", DEFAULT_HIDDEN);
    String[] parts = text.split("x", -1);
    int[] widths = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        widths[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        widths[i] = -1;
      }
      if (widths[i] < 1 || widths[i] > MAX_WIDTH || parts.length > MAX_LAYERS) {
        throw new SpecException(
            "'hidden=" + text + "' in '" + spec + "' must be 1 to " + MAX_LAYERS
                + " widths in [1, " + MAX_WIDTH + "] joined by x, e.g. 20 or 20x20");
      }
    }
    return widths;
  }

  /**
   * The number of parameters of a net {@code inputs → hidden[0] → … → classes}: Σ (in+1)·out over
   * its layers.
   *
   * @param hidden the hidden widths (not modified)
   */
  public static int parameterCount(int inputs, int[] hidden, int classes) {
    long n = 0;
    int in = inputs;
    for (int h : hidden) {
      n += (long) (in + 1) * h;
      in = h;
    }
    n += (long) (in + 1) * classes;
    return Math.toIntExact(n);
  }

  @Override
  public org.l2l4j.problem.data.DataSource dataSource() {
    return org.l2l4j.problem.data.DataSets.source(data(), dir());
  }

  @Override
  public String spec() {
    StringBuilder sb = new StringBuilder("mlp(data=").append(data).append(",hidden=");
    for (int i = 0; i < hidden.length; i++) {
      sb.append(i > 0 ? "x" : "").append(hidden[i]);
    }
    sb.append(",activation=").append(activation.specName());
    sb.append(",batch=").append(batch);
    sb.append(",split=").append(split.specName());
    if (dir != null) {
      sb.append(",dir=").append(dir);
    }
    return sb.append(')').toString();
  }

  @Override
  public int dimension() {
    return parameterCount(DataSets.pixels(data), hidden, DataSets.classes(data));
  }

  /**
   * {@code weights} (W₁, W₂, …, W_out) and {@code biases} (b₁, b₂, …, b_out), in θ's layout
   * W₁, b₁, W₂, b₂, … (see {@link Mlp}).
   */
  @Override
  public java.util.List<ParamGroup> groups() {
    int[] widths = new int[hidden.length + 2];
    widths[0] = DataSets.pixels(data);
    System.arraycopy(hidden, 0, widths, 1, hidden.length);
    widths[widths.length - 1] = DataSets.classes(data);
    int layers = widths.length - 1;
    int[] w = new int[2 * layers];
    int[] b = new int[2 * layers];
    int off = 0;
    for (int l = 0; l < layers; l++) {
      w[2 * l] = off;
      off += widths[l] * widths[l + 1];
      w[2 * l + 1] = off;
      b[2 * l] = off;
      off += widths[l + 1];
      b[2 * l + 1] = off;
    }
    return java.util.List.of(new ParamGroup("weights", w), new ParamGroup("biases", b));
  }

  /** The minibatch in three layouts, the first layer's weight gradient and the activations. */
  @Override
  public long sampleBytes() {
    long in = DataSets.pixels(data);
    long widths = in + DataSets.classes(data);
    for (int h : hidden) {
      widths += h;
    }
    long first = hidden.length > 0 ? hidden[0] : DataSets.classes(data);
    return 4L * (4L * batch * in + first * in + 2L * batch * widths);
  }

  /**
   * A fresh problem over the family's data set, which is loaded on the first call.
   *
   * @param rng not used: the problem's randomness is its init and its minibatches
   * @throws org.l2l4j.problem.data.DataException if the data cannot be found or read
   */
  @Override
  public Problem sample(RandomGenerator rng) {
    return new Mlp(dataset(), hidden, activation, batch);
  }

  /** The data set the family's problems draw minibatches from, loaded on first use. */
  public Dataset dataset() {
    Dataset d = loaded;
    if (d == null) {
      d = DataSets.load(data, dir, split);
      loaded = d;
    }
    return d;
  }

  /** The data set name. */
  public String data() {
    return data;
  }

  /** The folder that must hold the data, or null when {@link DataSets} searches. */
  public Path dir() {
    return dir;
  }

  /** The hidden widths (a copy). */
  public int[] hidden() {
    return hidden.clone();
  }

  /** The hidden nonlinearity. */
  public Activation activation() {
    return activation;
  }

  /** The minibatch size. */
  public int batch() {
    return batch;
  }

  /** The part of the data set minibatches come from. */
  public Split split() {
    return split;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MlpFamily f
        && data.equals(f.data)
        && Objects.equals(dir, f.dir)
        && Arrays.equals(hidden, f.hidden)
        && activation == f.activation
        && batch == f.batch
        && split == f.split;
  }

  @Override
  public int hashCode() {
    return Objects.hash(data, dir, Arrays.hashCode(hidden), activation, batch, split);
  }

  @Override
  public String toString() {
    return spec();
  }
}
