package org.l2l4j.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.loss.Loss;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * The paper's CIFAR conv net (SPEC §5 {@code cifar}) as the problem spec {@code
 * conv(data=fashion-mnist,classes=0-9,batch=128,split=train,dir=PATH)}: 3 × [conv 5×5, 16
 * channels, stride 1, same padding, bias → batch norm (β only, batch statistics, {@link
 * BetaBatchNorm}) → ReLU → max-pool 2×2 stride 2], flatten → linear 32 → batch norm → ReLU →
 * linear (one output per class); softmax cross-entropy on a minibatch, pixels / 255, every
 * coordinate initialised N(0, 0.01²).
 *
 * <p>{@code data} is {@code fashion-mnist} (the default; installed here), {@code mnist} (core's
 * {@link DataSets}) or {@code cifar10} ({@link CifarReader}; not on this machine, pass {@code
 * dir=} or {@code --data}). {@code classes} keeps only images of these labels, relabelled 0..k−1
 * in increasing label order (the paper's CIFAR-5 and CIFAR-2): {@code 0-4}, {@code 0;1}, {@code
 * 0-2;7}; by default all ten. The last layer has one output per kept class. {@code split} is
 * {@code train} (meta-training, tuning) or {@code test} (evaluation).
 *
 * <p>Coordinates: 22,682 on 32 × 32 × 3 with 10 classes (14,000 conv kernel weights; SPEC §5);
 * 18,298 on 28 × 28 × 1 with 10 classes (13,200 conv kernel weights: the first kernel has one
 * input channel, and 28 → 14 → 7 → 3 leaves 3 × 3 × 16 = 144 features for the linear layer).
 * Each kept class fewer removes 33 (the last layer's weights and bias).
 *
 * <p>Parameter groups ({@link #GROUPING}): {@code conv}, the convolution kernels (4-D weights),
 * and {@code fc}, everything else (conv biases, β of the batch norms, both linear layers).
 */
public final class ConvFamily {
  /** The spec name. */
  public static final String NAME = "conv";
  /** The default data set. */
  public static final String DEFAULT_DATA = DataSets.FASHION_MNIST;
  /** The default minibatch (paper). */
  public static final int DEFAULT_BATCH = 128;
  /** The largest minibatch accepted. */
  public static final int MAX_BATCH = 1 << 14;
  /** The standard deviation of the initialisation (SPEC §5). */
  public static final float INIT_STD = 0.01f;
  /** The group of the convolution kernels. */
  public static final String CONV = "conv";
  /** The group of every other parameter. */
  public static final String FC = "fc";
  /** 4-D weights (convolution kernels) are {@value #CONV}, all else {@value #FC}. */
  public static final DjlFamily.Grouping GROUPING =
      (name, shape) -> shape.dimension() == 4 ? CONV : FC;

  static {
    DjlEngine.configure();
  }

  private static final Set<String> KEYS = Set.of("data", "classes", "batch", "split", "dir");
  private static final Map<String, ImageData> LOADED = new ConcurrentHashMap<>();

  private ConvFamily() {}

  /**
   * The settings of a {@code conv(...)} family.
   *
   * @param data {@code fashion-mnist}, {@code mnist} or {@code cifar10}
   * @param classes the kept labels, sorted, distinct (null or all ten: every label)
   * @param batch the minibatch size
   * @param split the part of the data
   * @param dir a folder that must hold the data, or null
   */
  @SuppressWarnings("ArrayRecordComponent") // cloned in and out; equality is by spec()
  public record Settings(String data, int[] classes, int batch, Split split, Path dir) {
    /** Checks and normalises. */
    public Settings {
      if (!DataSets.names().contains(data) && !CifarReader.NAME.equals(data)) {
        throw new SpecException("conv: unknown data '" + data + "'; known: "
            + String.join(", ", DataSets.names()) + ", " + CifarReader.NAME);
      }
      if (classes == null) {
        classes = new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
      }
      classes = classes.clone();
      Arrays.sort(classes);
      if (classes.length < 2) {
        throw new SpecException("conv: classes must keep at least 2 labels, got "
            + Arrays.toString(classes));
      }
      for (int i = 0; i < classes.length; i++) {
        if (classes[i] < 0 || classes[i] > 9 || (i > 0 && classes[i] == classes[i - 1])) {
          throw new SpecException("conv: classes must be distinct labels in 0..9, got "
              + Arrays.toString(classes));
        }
      }
      if (batch < 1 || batch > MAX_BATCH) {
        throw new SpecException("conv: batch must be in [1, " + MAX_BATCH + "], got " + batch);
      }
      if (dir != null && dir.toString().matches(".*[,()=;].*")) {
        throw new SpecException("conv: the data folder '" + dir + "' contains one of , ( ) = ;"
            + " and cannot be written in a spec; move or link it");
      }
    }

    /** The kept labels (a copy). */
    @Override
    public int[] classes() {
      return classes.clone();
    }

    /** Whether all ten labels are kept. */
    public boolean allClasses() {
      return classes.length == 10;
    }

    /** The same with another split. */
    public Settings withSplit(Split s) {
      return new Settings(data, classes, batch, s, dir);
    }

    /** The same with other kept labels. */
    public Settings withClasses(int[] c) {
      return new Settings(data, c, batch, split, dir);
    }

    /** The spec string; {@code classes} only when not all ten. */
    public String spec() {
      StringBuilder b = new StringBuilder(NAME).append("(data=").append(data);
      if (!allClasses()) {
        b.append(",classes=").append(classesText(classes));
      }
      b.append(",batch=").append(batch).append(",split=").append(split.specName());
      if (dir != null) {
        b.append(",dir=").append(dir);
      }
      return b.append(')').toString();
    }

    /** Channels × height × width of the images. */
    public Shape imageShape() {
      return CifarReader.NAME.equals(data)
          ? new Shape(CifarReader.CHANNELS, CifarReader.SIDE, CifarReader.SIDE)
          : new Shape(1, DataSets.SIDE, DataSets.SIDE);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Settings s && s.spec().equals(spec());
    }

    @Override
    public int hashCode() {
      return spec().hashCode();
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /** Parses {@code conv(data=..,classes=..,batch=..,split=..,dir=..)}. */
  public static Settings parse(Spec spec) {
    spec.requireOnly(KEYS);
    String data = spec.get("data", DEFAULT_DATA);
    String c = spec.get("classes", null);
    int[] classes = c == null ? null : parseClasses(c);
    int batch = spec.getInt("batch", DEFAULT_BATCH, 1, MAX_BATCH);
    Split split = Split.of(spec);
    String d = spec.get("dir", null);
    return new Settings(data, classes, batch, split, d == null ? null : Path.of(d));
  }

  /**
   * Parses a label set: items joined by {@code ;}, each a label {@code 0}..{@code 9} or a range
   * {@code a-b}.
   *
   * @throws SpecException naming the text
   */
  public static int[] parseClasses(String text) {
    TreeSet<Integer> set = new TreeSet<>();
    for (String item : text.split(";", -1)) {
      String[] ab = item.strip().split("-", -1);
      try {
        int a = Integer.parseInt(ab[0].strip());
        int b = ab.length == 2 ? Integer.parseInt(ab[1].strip()) : a;
        if (ab.length > 2 || a < 0 || b > 9 || a > b) {
          throw new NumberFormatException();
        }
        for (int k = a; k <= b; k++) {
          if (!set.add(k)) {
            throw new NumberFormatException();
          }
        }
      } catch (NumberFormatException e) {
        throw new SpecException("classes='" + text + "': expected distinct labels 0..9 as items"
            + " joined by ';', each a label or a range a-b, e.g. 0-4 or 0;1");
      }
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The canonical text of a sorted label set: runs as {@code a-b}, items joined by {@code ;}. */
  public static String classesText(int[] sorted) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
        j++;
      }
      b.append(b.length() == 0 ? "" : ";").append(sorted[i]);
      if (j > i) {
        b.append('-').append(sorted[j]);
      }
      i = j + 1;
    }
    return b.toString();
  }

  /** The family of {@code s}: the paper's conv net on its data. */
  public static DjlFamily create(Settings s) {
    int outputs = s.classes().length;
    Supplier<ImageData> data = () -> load(s);
    DjlFamily f = new DjlFamily(s.spec(), () -> net(outputs), Loss.softmaxCrossEntropyLoss(),
        s.imageShape(), data, s.batch(), INIT_STD, GROUPING);
    Map<String, org.l2l4j.problem.data.DataSource> sources = new ConcurrentHashMap<>();
    return f.withDataSource(() -> CifarReader.NAME.equals(s.data())
        ? sources.computeIfAbsent("cifar", k -> CifarReader.source(s.dir()))
        : DataSets.source(s.data(), s.dir()));
  }

  /** The paper's conv net with {@code outputs} outputs (uninitialised). */
  public static Block net(int outputs) {
    SequentialBlock b = new SequentialBlock();
    for (int i = 0; i < 3; i++) {
      b.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16)
              .optPadding(new Shape(2, 2)).optBias(true).build())
          .add(new BetaBatchNorm())
          .add(Activation::relu)
          .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
    return b.add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(32).build())
        .add(new BetaBatchNorm())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(outputs).build());
  }

  /**
   * The images of {@code s}, loaded once per JVM and folder and kept (the label subset is made
   * anew each call).
   */
  public static ImageData load(Settings s) {
    boolean cifar = CifarReader.NAME.equals(s.data());
    String key = cifar
        ? "cifar10|" + CifarReader.locate(s.dir()) + "|" + s.split()
        : s.data() + "|" + s.dir() + "|" + DataSets.defaultDirectory() + "|"
            + DataSets.cacheDirectory() + "|" + s.split();
    ImageData all = LOADED.computeIfAbsent(key, k -> cifar
        ? CifarReader.load(s.dir(), s.split())
        : ImageData.of(DataSets.load(s.data(), s.dir(), s.split())));
    return s.allClasses() ? all : all.withLabels(s.classes());
  }
}
