package org.l2l4j.djl.art;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.l2l4j.problem.data.DataSets;

/**
 * The images of the art experiment: scikit-image 0.19.3's sample data (Debian package {@code
 * python3-skimage}), which {@code scripts/setup-data.sh} unpacks into {@code CACHE/skimage/}. The
 * one table of every file used ({@link #FILES}), with its role and the licence its docstring in
 * {@code skimage/data/_fetchers.py} states. The three content sets are disjoint.
 */
public final class ArtData {
  /** The folder under the data cache. */
  public static final String FOLDER = "skimage";
  /** The training style. */
  public static final String TRAIN_STYLE = "gravel.png";
  /** The new style of case (c). */
  public static final String NEW_STYLE = "grass.png";

  /** A content set: meta-training, tuning of the baselines, test. */
  public enum Contents {
    /** Meta-training contents. */
    TRAIN,
    /** The baselines are tuned on these. */
    TUNE,
    /** Never seen in meta-training or tuning. */
    TEST;

    /** The spec name. */
    public String specName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a spec name. */
    public static Contents of(String s) {
      for (Contents c : values()) {
        if (c.specName().equals(s)) {
          return c;
        }
      }
      throw new ArtException("contents: unknown set '" + s + "'; known: train, tune, test");
    }
  }

  /** One file: its name, role ("style", or a content set), what it shows and its licence. */
  public record File(String name, String role, String what, String licence) {}

  /** Every file the experiment names, once. */
  public static final List<File> FILES = List.of(
      new File("gravel.png", "style", "gravel texture, 512x512 gray", "CC0 (CC0Textures Gravel04)"),
      new File("grass.png", "style", "grass texture, 512x512 gray", "CC0 (CC0Textures)"),
      new File("brick.png", "style", "brick wall texture, 512x512 gray",
          "CC0 (CC0Textures Bricks25)"),
      new File("astronaut.png", "train", "astronaut Eileen Collins, 512x512 RGB",
          "public domain (NASA)"),
      new File("hubble_deep_field.jpg", "train", "Hubble deep field, 1000x872 RGB",
          "public domain (NASA)"),
      new File("retina.jpg", "train", "human retina, 1411x1411 RGB", "CC0"),
      new File("ihc.png", "train", "immunohistochemistry stain, 512x512 RGB",
          "no known copyright restrictions"),
      new File("camera.png", "train", "cameraman, 512x512 gray", "CC0 (Lav Varshney)"),
      new File("coins.png", "train", "Greek coins, 384x303 gray",
          "no known copyright restrictions"),
      new File("chelsea.png", "tune", "Chelsea the cat, 451x300 RGB",
          "CC0 (Stefan van der Walt)"),
      new File("rocket.jpg", "tune", "SpaceX rocket launch, 640x427 RGB",
          "public domain (SpaceX)"),
      new File("coffee.png", "test", "cup of coffee, 600x400 RGB", "CC0 (Rachel Michetti)"),
      new File("clock_motion.png", "test", "clock with motion blur, 400x300 gray",
          "public domain (Stefan van der Walt)"));

  private static final Map<String, ArtImages.Image> LOADED = new ConcurrentHashMap<>();

  private ArtData() {}

  /** The file names of a content set, in table order. */
  public static List<String> contents(Contents set) {
    return FILES.stream().filter(f -> f.role().equals(set.specName())).map(File::name).toList();
  }

  /** The style names. */
  public static List<String> styles() {
    return FILES.stream().filter(f -> f.role().equals("style")).map(File::name).toList();
  }

  /**
   * The folder of the images: {@code dir/skimage} if it exists, else {@code dir}; without
   * {@code dir} the data cache's {@code skimage} folder.
   */
  public static Path folder(Path dir) {
    if (dir == null) {
      return DataSets.cacheDirectory().resolve(FOLDER);
    }
    return Files.isDirectory(dir.resolve(FOLDER)) ? dir.resolve(FOLDER) : dir;
  }

  /**
   * The style named {@code name}: one of {@link #styles()}, or any file name in the folder.
   *
   * @throws ArtException naming the style if it is a bad name, and the file if it is a bad file
   */
  public static ArtImages.Image style(Path dir, String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new ArtException("style: '" + name + "' is not a file name; known styles: "
          + String.join(", ", styles()));
    }
    Path f = folder(dir).resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new ArtException("style: unknown style '" + name + "' (no file " + f + "); known: "
          + String.join(", ", styles()) + (dir == null
              ? "; run scripts/setup-data.sh or pass --data DIR" : ""));
    }
    return load(f);
  }

  /** The images of a content set, each file read once per JVM (again when it changed). */
  public static List<ArtImages.Image> contents(Path dir, Contents set) {
    Path folder = folder(dir);
    return contents(set).stream().map(n -> load(folder.resolve(n))).toList();
  }

  /** Reads {@code f}, or returns the image read before from the same path, size and time. */
  static ArtImages.Image load(Path f) {
    String key = f.toAbsolutePath().normalize().toString();
    try {
      key += "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f).toMillis();
    } catch (java.io.IOException e) {
      return ArtImages.read(f); // refuses it with one line
    }
    ArtImages.Image i = LOADED.get(key);
    if (i == null) {
      i = ArtImages.read(f);
      LOADED.put(key, i);
    }
    return i;
  }
}
