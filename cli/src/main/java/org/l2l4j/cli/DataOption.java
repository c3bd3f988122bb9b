package org.l2l4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.l2l4j.problem.data.DataSets;
import picocli.CommandLine.Option;

/** {@code --data DIR}: where MNIST-style IDX files are looked for first. */
final class DataOption {
  @Option(names = "--data", paramLabel = "DIR", description = "A folder with IDX files"
      + " (train-images-idx3-ubyte[.gz], ...; e.g. the original MNIST) for mnist and mlp problems."
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
}
