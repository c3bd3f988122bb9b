package org.l2l4j.problem.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a named data set was loaded from, for the console and for provenance: the files of both
 * splits and the SHA-256 of their bytes.
 *
 * @param name the data set name ({@value DataSets#MNIST} or {@value DataSets#FASHION_MNIST})
 * @param description what the files are, e.g. {@code mnist IDX files}
 * @param location the folder the files are in
 * @param files the files read, in the order they are hashed
 * @param sha256 the SHA-256 (lower-case hex) of the files' bytes, concatenated in that order
 * @param trainImages the number of images in {@link Split#TRAIN}
 * @param testImages the number of images in {@link Split#TEST} (held out)
 */
public record DataSource(String name, String description, Path location, List<Path> files,
    String sha256, int trainImages, int testImages) {

  /** Copies the file list. */
  public DataSource {
    files = List.copyOf(files);
  }

  /** One line: {@code <description> (<folder>, N train / M held-out images)}. */
  public String line() {
    return description + " (" + location + ", " + trainImages + " train / " + testImages
        + " held-out images)";
  }

  /**
   * The provenance record: {@code {"name", "source", "folder", "files", "sha256",
   * "train_images", "test_images"}}, with the files as absolute path strings.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("source", description);
    m.put("folder", location.toString());
    List<Object> f = new ArrayList<>();
    for (Path p : files) {
      f.add(p.toString());
    }
    m.put("files", f);
    m.put("sha256", sha256);
    m.put("train_images", trainImages);
    m.put("test_images", testImages);
    return m;
  }
}
