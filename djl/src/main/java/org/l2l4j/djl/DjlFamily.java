package org.l2l4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;

/**
 * Any DJL model as a family of optimizees: a {@link Block} (built by a factory), a {@link Loss},
 * an image data set and a minibatch size give problems whose θ is the model's trainable
 * parameters, flattened in the order of {@link Block#getParameters()} (each in its own row-major
 * layout, e.g. a {@code Linear} weight as out × in), and whose f is the loss on a fresh minibatch
 * per call, with the gradient from DJL's autograd.
 *
 * <p>A minibatch is {@code batch} images drawn with replacement: row b is image {@code
 * batchRng.nextInt(count)}, drawn for b = 0, 1, … in order (as core's {@code Mlp}, so the two see
 * the same images for the same generator). {@link Problem#init} draws every coordinate from N(0,
 * initStd²). Parameters that do not require a gradient (e.g. the running statistics of DJL's own
 * {@code BatchNorm}) are not part of θ and keep their initial values.
 *
 * <p>The family holds one model and one {@link NDManager} (its workspace), created on first use
 * and shared by all sampled problems: each evaluation copies θ into fresh arrays of a sub-manager,
 * which the model reads in place of its own parameters (a {@link ParameterStore} that hands them
 * out), runs the forward and backward pass there, copies the gradients out and closes the
 * sub-manager, so nothing accumulates from step to step. Evaluations run one at a time under {@link DjlEngine#LOCK}. {@link #close()}
 * frees the workspace; a closed family makes a new one when used again.
 *
 * <p>{@link #groups()} names the segments of θ by a {@link Grouping} of the parameters, in the
 * order the groups first appear.
 */
public final class DjlFamily implements ProblemFamily, AutoCloseable {
  /** Builds a fresh, uninitialised model. */
  @FunctionalInterface
  public interface BlockFactory {
    /** A new block; the family initialises it. */
    Block create();
  }

  /** Names the parameter group of one trainable parameter. */
  @FunctionalInterface
  public interface Grouping {
    /**
     * The group name ({@code [a-z][a-z0-9_-]*}).
     *
     * @param name the parameter's name in the block (e.g. {@code 01Conv2d_weight})
     * @param shape its shape
     */
    String group(String name, Shape shape);
  }

  /** Every parameter in the one group {@value ParamGroup#ALL}. */
  public static final Grouping ONE_GROUP = (name, shape) -> ParamGroup.ALL;

  /** One trainable parameter: its name, shape, group and offset in θ. */
  public record Param(String name, Shape shape, String group, int offset, int size) {}

  static {
    DjlEngine.configure();
  }

  private final String spec;
  private final BlockFactory blocks;
  private final Loss loss;
  private final Shape imageShape;
  private final Supplier<ImageData> data;
  private final int batch;
  private final float initStd;
  private final Grouping grouping;
  private volatile Supplier<org.l2l4j.problem.data.DataSource> source;
  private volatile List<Param> layout;
  private volatile ImageData loaded;
  private Workspace workspace;

  /**
   * A family.
   *
   * @param spec the family's spec string (its identity: two families are equal when their specs
   *     are)
   * @param blocks builds the model
   * @param loss the loss of (labels, model output), e.g. {@code Loss.softmaxCrossEntropyLoss()}
   * @param imageShape one image's shape, channels × height × width
   * @param data the images, called once, on the first {@link #sample}; their shape must be
   *     {@code imageShape}
   * @param batch the minibatch size, ≥ 1
   * @param initStd the standard deviation of the N(0, σ²) initialisation of θ
   * @param grouping names each parameter's group
   */
  public DjlFamily(String spec, BlockFactory blocks, Loss loss, Shape imageShape,
      Supplier<ImageData> data, int batch, float initStd, Grouping grouping) {
    if (imageShape.dimension() != 3) {
      throw new IllegalArgumentException(spec + ": image shape must be channels x height x width,"
          + " got " + imageShape);
    }
    if (batch < 1) {
      throw new IllegalArgumentException(spec + ": batch must be at least 1, got " + batch);
    }
    this.spec = Objects.requireNonNull(spec);
    this.blocks = Objects.requireNonNull(blocks);
    this.loss = Objects.requireNonNull(loss);
    this.imageShape = imageShape;
    this.data = Objects.requireNonNull(data);
    this.batch = batch;
    this.initStd = initStd;
    this.grouping = Objects.requireNonNull(grouping);
  }

  @Override
  public String spec() {
    return spec;
  }

  /**
   * Says where the data comes from, for {@link #dataSource()} (provenance and the {@code data:}
   * line of the commands); without it the family reports none.
   *
   * @param source called when asked, may load the data; null for none
   * @return this family
   */
  public DjlFamily withDataSource(Supplier<org.l2l4j.problem.data.DataSource> source) {
    this.source = source;
    return this;
  }

  @Override
  public org.l2l4j.problem.data.DataSource dataSource() {
    Supplier<org.l2l4j.problem.data.DataSource> s = source;
    return s == null ? null : s.get();
  }

  /**
   * The number of trainable coordinates (builds the model once on first use).
   *
   * @throws IllegalArgumentException if the model has no trainable parameters
   */
  @Override
  public int dimension() {
    List<Param> l = layout();
    Param last = l.get(l.size() - 1);
    return last.offset() + last.size();
  }

  /** The trainable parameters in θ's order. */
  public List<Param> parameters() {
    return layout();
  }

  /** The minibatch size. */
  public int batch() {
    return batch;
  }

  /** One image's shape, channels × height × width. */
  public Shape imageShape() {
    return imageShape;
  }

  /** The data set, loaded on first use and kept. */
  public ImageData data() {
    ImageData d = loaded;
    if (d == null) {
      synchronized (this) {
        d = loaded;
        if (d == null) {
          d = Objects.requireNonNull(data.get(), "data");
          loaded = d;
        }
      }
    }
    return d;
  }

  @Override
  public List<ParamGroup> groups() {
    Map<String, List<Integer>> ranges = new LinkedHashMap<>();
    for (Param p : layout()) {
      List<Integer> r = ranges.computeIfAbsent(p.group(), k -> new ArrayList<>());
      if (!r.isEmpty() && r.get(r.size() - 1) == p.offset()) {
        r.set(r.size() - 1, p.offset() + p.size());
      } else {
        r.add(p.offset());
        r.add(p.offset() + p.size());
      }
    }
    List<ParamGroup> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : ranges.entrySet()) {
      out.add(new ParamGroup(e.getKey(),
          e.getValue().stream().mapToInt(Integer::intValue).toArray()));
    }
    return List.copyOf(out);
  }

  /** The model's parameter arrays, the family's work buffers and the images of one minibatch. */
  @Override
  public long sampleBytes() {
    return 16L * dimension() + 8L * batch * imageShape.size();
  }

  /**
   * A problem over the family's data, which is loaded on the first call.
   *
   * @param rng not used: the problem's randomness is its init and its minibatches
   * @throws IllegalArgumentException if the data set has fewer images than a minibatch or the
   *     wrong image shape
   */
  @Override
  public Problem sample(RandomGenerator rng) {
    ImageData d = data();
    if (d.channels() != imageShape.get(0) || d.height() != imageShape.get(1)
        || d.width() != imageShape.get(2)) {
      throw new IllegalArgumentException(spec + ": the data has images of " + d.channels() + "x"
          + d.height() + "x" + d.width() + ", the model takes " + imageShape);
    }
    if (d.count() < batch) {
      throw new IllegalArgumentException(spec + ": the data set has " + d.count()
          + " images, fewer than a minibatch of " + batch + " (" + d.source() + ")");
    }
    return new DjlProblem(this, d, dimension(), initStd);
  }

  private List<Param> layout() {
    List<Param> l = layout;
    if (l == null) {
      synchronized (DjlEngine.LOCK) {
        l = workspace().layout;
        layout = l;
      }
    }
    return l;
  }

  /** The workspace, made on first use; call under {@link DjlEngine#LOCK}. */
  private Workspace workspace() {
    if (workspace == null) {
      workspace = new Workspace();
    }
    return workspace;
  }

  /** Frees the model and its native memory; the family can still be used (it rebuilds them). */
  @Override
  public void close() {
    synchronized (DjlEngine.LOCK) {
      if (workspace != null) {
        workspace.manager.close();
        workspace = null;
      }
    }
  }

  /**
   * f(θ) and ∇f(θ) on one minibatch of {@code d}.
   *
   * @param theta the parameters (not modified)
   * @param gradOut receives ∇f (modified)
   */
  float valueAndGradient(ImageData d, float[] theta, float[] gradOut, RandomGenerator batchRng) {
    synchronized (DjlEngine.LOCK) {
      Workspace w = workspace();
      return w.run(d, theta, gradOut, batchRng);
    }
  }

  /**
   * The number of native arrays the workspace holds now (0 before first use), for leak checks:
   * it must not grow from step to step.
   */
  int liveArrays() {
    synchronized (DjlEngine.LOCK) {
      return workspace == null ? 0 : workspace.manager.getManagedArrays().size();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DjlFamily f && f.spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }

  @Override
  public String toString() {
    return spec;
  }

  /**
   * Hands the block this step's copies of θ instead of the parameters' own arrays, so each step's
   * parameters, gradients and activations live in one sub-manager that the step closes.
   */
  private static final class StepStore extends ParameterStore {
    final java.util.IdentityHashMap<Parameter, NDArray> current = new java.util.IdentityHashMap<>();

    StepStore(NDManager manager) {
      super(manager, false);
    }

    @Override
    public NDArray getValue(Parameter parameter, ai.djl.Device device, boolean training) {
      NDArray a = current.get(parameter);
      return a != null ? a : super.getValue(parameter, device, training);
    }
  }

  /** The model, its manager and buffers. */
  private final class Workspace {
    final NDManager manager;
    final Block block;
    final StepStore store;
    final List<Param> layout;
    final Parameter[] params;
    final NDArray[] stepArrays;
    final float[][] values;
    final float[] images;
    final float[] labels;

    Workspace() {
      manager = DjlEngine.get().newBaseManager();
      try {
        block = blocks.create();
        block.initialize(manager, DataType.FLOAT32,
            new Shape(1, imageShape.get(0), imageShape.get(1), imageShape.get(2)));
        List<Param> l = new ArrayList<>();
        List<Parameter> a = new ArrayList<>();
        int off = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
          Parameter param = p.getValue();
          if (!param.requiresGradient()) {
            continue;
          }
          Shape shape = param.getArray().getShape();
          int size = Math.toIntExact(shape.size());
          l.add(new Param(p.getKey(), shape, grouping.group(p.getKey(), shape), off, size));
          a.add(param);
          off = Math.addExact(off, size);
        }
        if (l.isEmpty()) {
          throw new IllegalArgumentException(spec + ": the model has no trainable parameters");
        }
        layout = List.copyOf(l);
        params = a.toArray(new Parameter[0]);
        stepArrays = new NDArray[params.length];
        values = new float[params.length][];
        for (int k = 0; k < params.length; k++) {
          values[k] = new float[layout.get(k).size()];
        }
        store = new StepStore(manager);
        images = new float[Math.multiplyExact(batch, Math.toIntExact(imageShape.size()))];
        labels = new float[batch];
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }

    float run(ImageData d, float[] theta, float[] gradOut, RandomGenerator batchRng) {
      int n = d.pixelsPerImage();
      for (int b = 0; b < batch; b++) {
        int row = batchRng.nextInt(d.count());
        d.copyImage(row, images, b * n);
        labels[b] = d.label(row);
      }
      try (NDManager sub = manager.newSubManager();
          GradientCollector gc = DjlEngine.get().newGradientCollector()) {
        for (int k = 0; k < params.length; k++) {
          Param p = layout.get(k);
          System.arraycopy(theta, p.offset(), values[k], 0, p.size());
          NDArray t = sub.create(values[k], p.shape());
          t.setRequiresGradient(true);
          stepArrays[k] = t;
          store.current.put(params[k], t);
        }
        NDArray x = sub.create(images,
            new Shape(batch, imageShape.get(0), imageShape.get(1), imageShape.get(2)));
        NDArray y = sub.create(labels);
        NDList out = block.forward(store, new NDList(x), true);
        NDArray value = loss.evaluate(new NDList(y), out);
        gc.backward(value);
        float f = value.getFloat();
        for (int k = 0; k < params.length; k++) {
          Param p = layout.get(k);
          System.arraycopy(stepArrays[k].getGradient().toFloatArray(), 0, gradOut, p.offset(),
              p.size());
        }
        return f;
      } finally {
        store.current.clear();
        java.util.Arrays.fill(stepArrays, null);
      }
    }
  }
}
