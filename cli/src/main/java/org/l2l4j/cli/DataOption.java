package org.l2l4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.l2l4j.problem.MlpFamily;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.problem.data.DataSource;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Spec;
import picocli.CommandLine.Option;

/**
 * {@code --data DIR}: the folder MNIST-style IDX files are read from, and the helpers that say
 * which data a command loaded and which split it uses.
 */
final class DataOption {
  @Option(names = "--data", paramLabel = "DIR", description = "A folder with IDX files"
      + " (train-images-idx3-ubyte[.gz], ...; e.g. the original MNIST) for mnist and mlp problems:"
      + " DIR/NAME or (for mnist) DIR itself; used or refused, never replaced by another source."
      + " Default: the data cache filled by scripts/setup-data.sh.")
  Path data;

  /** Makes the folder the data sets' default, after checking it exists. */
  void apply() {
    if (data != null) {
      if (!Files.isDirectory(data)) {
        throw new UserException("--data " + data + ": not a folder");
      }
      DataSets.setDefaultDirectory(data);
    }
  }

  /**
   * Loads the data of {@code family} (both splits) and prints {@code data: <source> (<folder>, N
   * train / M held-out images)}; returns the provenance record, or null for a problem without data.
   */
  static Map<String, Object> announce(ProblemFamily family) {
    DataSource s = source(family);
    if (s == null) {
      return null;
    }
    System.out.println("data: " + s.line());
    return s.toMap();
  }

  /** The provenance record of {@code family}'s data, or null for a problem without data. */
  static Map<String, Object> provenance(ProblemFamily family) {
    DataSource s = source(family);
    return s == null ? null : s.toMap();
  }

  private static DataSource source(ProblemFamily family) {
    return family.dataSource();
  }

  /** Whether the problem spec names its split ({@code split=train|test}). */
  static boolean splitGiven(String problemSpec) {
    return Spec.parse(problemSpec).args().containsKey("split");
  }

  /** {@code family} drawing from {@code split} if it has data, else {@code family} itself. */
  static ProblemFamily withSplit(ProblemFamily family, Split split) {
    if (family instanceof MlpFamily m && m.split() != split) {
      return new MlpFamily(m.data(), m.dir(), m.hidden(), m.activation(), m.batch(), split);
    }
    return family;
  }

  /** The split a family draws from, in words, or null for a problem without data. */
  static String splitText(ProblemFamily family) {
    if (family instanceof MlpFamily m) {
      return m.split() == Split.TEST
          ? "the held-out (test) split of " + m.data()
          : "the training split of " + m.data();
    }
    return null;
  }
}
