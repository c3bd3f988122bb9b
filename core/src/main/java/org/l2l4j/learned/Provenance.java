package org.l2l4j.learned;

import java.util.LinkedHashMap;
import java.util.Map;
import org.l2l4j.problem.data.DataSource;

/**
 * Where a trained optimizer's weights come from, as written into the {@code provenance} object of
 * the optimizer file (docs/optimizer-file.md). Filled by the meta-trainer ({@code
 * MetaTrainer.provenance}).
 *
 * @param problem the problem family's spec
 * @param data where the family's data was read from, with the SHA-256 of the files; null for a
 *     family without data
 * @param seed the root seed
 * @param trainer the run settings' spec ({@code meta(epochs=..,...)}, see {@code
 *     MetaTrainerConfig.spec})
 * @param epochs epochs done
 * @param bestEpoch the epoch of the best validation (0: none)
 * @param bestValidationScore its score (+∞ before the first validation, written as null)
 * @param skippedUpdates meta-updates skipped for non-finite values
 * @param trainingSecondsThisRun wall time of this process's training (a resumed run: since the
 *     resume)
 * @param library {@code l2l4j <version>}
 * @param kernel the LSTM kernel's name
 * @param jvm the Java runtime: vendor, name and version
 * @param os the operating system: name, version, architecture
 * @param date when the file was made (ISO-8601)
 * @param start the weights meta-training started from when not a random initialisation (e.g.
 *     {@code pretrained:general}, or a file with its SHA-256); null: random
 */
public record Provenance(String problem, DataSource data, long seed, String trainer, int epochs,
    int bestEpoch, double bestValidationScore, long skippedUpdates, double trainingSecondsThisRun,
    String library, String kernel, String jvm, String os, String date, String start) {

  /** A provenance of weights meta-trained from a random initialisation. */
  public Provenance(String problem, DataSource data, long seed, String trainer, int epochs,
      int bestEpoch, double bestValidationScore, long skippedUpdates,
      double trainingSecondsThisRun, String library, String kernel, String jvm, String os,
      String date) {
    this(problem, data, seed, trainer, epochs, bestEpoch, bestValidationScore, skippedUpdates,
        trainingSecondsThisRun, library, kernel, jvm, os, date, null);
  }

  /** The running JVM, e.g. {@code Eclipse Adoptium OpenJDK 64-Bit Server VM 17.0.13+11}. */
  public static String currentJvm() {
    return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version");
  }

  /** The running operating system, e.g. {@code Linux 6.1.0 amd64}. */
  public static String currentOs() {
    return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
  }

  /**
   * The JSON object of the optimizer file: {@code problem}, {@code data} (only with data), {@code
   * seed} (a string, so that 64-bit seeds survive JSON readers), {@code epochs}, {@code
   * best_epoch}, {@code best_validation_score}, {@code trainer}, {@code skipped_updates}, {@code
   * training_seconds_this_run}, {@code library}, {@code kernel}, {@code jvm}, {@code os}, {@code
   * date}, and {@code start} when meta-training did not start from a random initialisation.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("problem", problem);
    if (data != null) {
      m.put("data", data.toMap());
    }
    m.put("seed", Long.toString(seed));
    m.put("epochs", epochs);
    m.put("best_epoch", bestEpoch);
    m.put("best_validation_score", bestValidationScore);
    m.put("trainer", trainer);
    m.put("skipped_updates", skippedUpdates);
    m.put("training_seconds_this_run", trainingSecondsThisRun);
    m.put("library", library);
    m.put("kernel", kernel);
    m.put("jvm", jvm);
    m.put("os", os);
    m.put("date", date);
    if (start != null) {
      m.put("start", start);
    }
    return m;
  }
}
