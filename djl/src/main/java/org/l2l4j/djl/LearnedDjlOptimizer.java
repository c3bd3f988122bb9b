package org.l2l4j.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.OptimizerFileException;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.util.Parallel;

/**
 * An l2l4j learned optimizer (a trained optimizer file, or a shipped one such as {@code general})
 * as a DJL {@link Optimizer}, for DJL's own training loop ({@code EasyTrain.fit}, {@code
 * Trainer.step}): θ ← θ + g with [g, h] = m(∇, h; φ), the coordinatewise LSTM of Andrychowicz et
 * al. 2016 with frozen weights φ.
 *
 * <p>DJL calls {@link #update} once per parameter and device; each (parameter id, device) keeps
 * its own recurrent state, created at its first update with the parameter's size. The gradient is
 * first multiplied by the builder's {@code rescaleGrad} (DJL's convention; 1 by default), clipped
 * to ±{@code clipGrad} when that is set, and given the weight decay term {@code wd·θ} when
 * weight decay is set. A file with one net per parameter group ({@code groups(conv=...,fc=...)})
 * runs the net of each parameter's group, named by a {@link DjlFamily.Grouping} (by default
 * {@link ConvFamily#GROUPING}: 4-D weights are {@code conv}, the rest {@code fc}); a bare net runs
 * on every parameter. Since the LSTM is coordinatewise, running it per parameter gives the same
 * updates as running it over all of θ, except for nets with global averaging cells ({@code gac}),
 * whose averages here are per parameter, not per group.
 *
 * <p>Each update copies the gradient to a Java array, runs the LSTM, adds the update to the
 * weight in place (one native add: the same bits as θ + g in Java) and, as DJL's own optimizers
 * do on PyTorch, zeroes the parameter's gradient (DJL's PyTorch gradients accumulate otherwise);
 * the optimizer holds a pool of worker threads for the LSTM, which {@link #close()} stops. The same
 * gradients give the same bits for any number of workers.
 */
public final class LearnedDjlOptimizer extends Optimizer implements AutoCloseable {
  static {
    DjlEngine.configure();
  }

  private final String source;
  private final Map<String, LearnedOptimizer> nets;
  private final DjlFamily.Grouping grouping;
  private final Parallel pool;
  private final Map<String, Map<Device, State>> states = new HashMap<>();

  /** The state of one parameter on one device. */
  private static final class State {
    final LearnedOptimizer net;
    final LearnedOptimizer.RunState run;
    final float[] grad;
    final float[] delta;

    State(LearnedOptimizer net, int n) {
      this.net = net;
      this.run = net.init(n);
      this.grad = new float[n];
      this.delta = new float[n];
    }
  }

  private LearnedDjlOptimizer(Builder b, OptimizerFile.Loaded loaded) {
    super(b);
    this.source = b.source;
    this.grouping = b.grouping;
    this.pool = new Parallel(b.threads);
    NetGroups g = loaded.nets();
    Map<String, LearnedOptimizer> m = new LinkedHashMap<>();
    for (int k = 0; k < g.size(); k++) {
      float[] w = new float[g.configs().get(k).parameterCount()];
      System.arraycopy(loaded.weights(), g.offset(k), w, 0, w.length);
      String name = g.bare() ? ParamGroup.ALL : g.names().get(k);
      m.put(name, new LearnedOptimizer(source + (g.bare() ? "" : ":" + name), g.configs().get(k),
          w, LstmKernels.best(), pool));
    }
    this.nets = m;
  }

  /** A builder; by default the shipped optimizer {@code general} and one worker thread. */
  public static Builder builder() {
    return new Builder();
  }

  /** The optimizer file (or shipped name) the weights came from. */
  public String source() {
    return source;
  }

  /** The groups the optimizer has a net for ({@value ParamGroup#ALL} for a bare net). */
  public List<String> groups() {
    return new ArrayList<>(nets.keySet());
  }

  /**
   * One step of the learned optimizer on one parameter.
   *
   * @param parameterId the parameter's id (its state's key, with the weight's device)
   * @param weight the parameter (modified in place)
   * @param grad its gradient (not modified)
   * @throws IllegalArgumentException if the optimizer has no net for the parameter's group
   */
  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int n = Math.toIntExact(weight.size());
    State s;
    synchronized (states) {
      s = states.computeIfAbsent(parameterId, k -> new HashMap<>())
          .computeIfAbsent(weight.getDevice(), d -> new State(net(parameterId, weight), n));
    }
    if (s.grad.length != n) {
      throw new IllegalArgumentException("parameter " + parameterId + " changed its size from "
          + s.grad.length + " to " + n);
    }
    float[] g = grad.toFloatArray();
    float wd = getWeightDecay();
    float[] w = wd != 0 ? weight.toFloatArray() : null;
    for (int i = 0; i < n; i++) {
      float v = g[i] * rescaleGrad;
      if (clipGrad > 0) {
        v = Math.max(-clipGrad, Math.min(clipGrad, v));
      }
      s.grad[i] = w != null ? v + wd * w[i] : v;
    }
    // the step on θ = 0 leaves the update itself in delta (the LSTM does not read θ); one step at a
    // time, since all nets share the worker pool
    synchronized (pool) {
      updateCount(parameterId);
      java.util.Arrays.fill(s.delta, 0f);
      s.net.step(s.run, s.delta, s.grad);
    }
    try (NDArray d = weight.getManager().create(s.delta, weight.getShape())) {
      weight.addi(d);
    }
    // as DJL's own optimizers on PyTorch: the parameter's gradient is zeroed after its update
    if (weight instanceof PtNDArray pt) {
      JniUtils.zeroGrad(pt);
    } else if (weight.hasGradient()) {
      try (NDArray wg = weight.getGradient()) {
        wg.subi(wg);
      }
    }
  }

  private LearnedOptimizer net(String parameterId, NDArray weight) {
    if (nets.containsKey(ParamGroup.ALL) && nets.size() == 1) {
      return nets.get(ParamGroup.ALL);
    }
    String group = grouping.group(parameterId, weight.getShape());
    LearnedOptimizer n = nets.get(group);
    if (n == null) {
      throw new OptimizerFileException(source + ": no net for the parameter group '" + group
          + "' of a parameter of shape " + weight.getShape() + " (the optimizer's groups: "
          + String.join(", ", nets.keySet()) + ")");
    }
    return n;
  }

  /** Stops the worker threads. */
  @Override
  public void close() {
    pool.close();
  }

  /** Settings of a {@link LearnedDjlOptimizer}. */
  public static final class Builder extends OptimizerBuilder<Builder> {
    private String source = "general";
    private OptimizerFile.Loaded loaded;
    private DjlFamily.Grouping grouping = ConvFamily.GROUPING;
    private int threads = 1;

    Builder() {}

    /**
     * The optimizer: a file written by {@code l2l4j train}, {@code mnist} or {@code conv}, or the
     * name of a shipped one ({@link OptimizerFile#readFileOrPretrained}).
     */
    public Builder optOptimizer(String fileOrPretrained) {
      this.source = Objects.requireNonNull(fileOrPretrained);
      this.loaded = null;
      return this;
    }

    /** The optimizer as nets and weights already in memory, named {@code name}. */
    public Builder optNets(String name, NetGroups nets, float[] weights) {
      this.source = Objects.requireNonNull(name);
      this.loaded = new OptimizerFile.Loaded(nets, weights.clone(), Map.of());
      return this;
    }

    /** How parameters map to the nets' groups (ignored for a bare net). */
    public Builder optGrouping(DjlFamily.Grouping grouping) {
      this.grouping = Objects.requireNonNull(grouping);
      return this;
    }

    /** The number of worker threads for the LSTM, 1 to 1024 (default 1). */
    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Reads the optimizer and builds it.
     *
     * @throws OptimizerFileException if the file cannot be read or is not an optimizer file; the
     *     message names it
     */
    public LearnedDjlOptimizer build() {
      OptimizerFile.Loaded l = loaded != null ? loaded : OptimizerFile.readFileOrPretrained(source);
      if (l.weights().length != l.nets().parameterCount()) {
        throw new OptimizerFileException(source + ": weights do not match " + l.nets().spec());
      }
      return new LearnedDjlOptimizer(this, l);
    }
  }
}
