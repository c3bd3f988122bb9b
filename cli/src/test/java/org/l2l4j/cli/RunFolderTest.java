package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.learned.OptimizerFile;

/**
 * Run folders ({@code --out}) of every command that writes one: earlier results are refused
 * unless {@code --overwrite} (or {@code --resume}), which removes exactly them; the folder is
 * checked before any work; a second run in the same process is refused by the lock.
 */
class RunFolderTest {
  @TempDir Path dir;

  private static final String NL = System.lineSeparator();

  /**
   * Standard output less the {@code data:} line that commands with a data set print when they
   * load it (mnist loads its data before it checks --out; nothing is computed before the check).
   */
  private static String beyondDataLine(String out) {
    return out.lines().filter(l -> !l.startsWith("data: ")).collect(
        java.util.stream.Collectors.joining("\n"));
  }

  /** Tiny arguments for each command that writes a run folder, {@code --out} last but one. */
  private String[] tiny(String command, Path out, String... more) throws Exception {
    List<String> a = new ArrayList<>();
    switch (command) {
      case "train" -> a.addAll(List.of(CliTest.tinyTrain(out, 2)));
      case "demo" -> a.addAll(List.of("demo", "--epochs", "2", "--problems", "2", "--threads", "1",
          "--out", out.toString(), "--quiet"));
      case "eval" -> a.addAll(List.of("eval", "--baselines", "sgd", "--grid", "0.001", "--steps",
          "5", "--problems", "2", "--tune-problems", "1", "--threads", "1", "--out",
          out.toString(), "--quiet"));
      case "mnist" -> {
        Path data = dir.resolve("data");
        if (!Files.exists(data)) {
          MnistCommandTest.writeIdx(data, 32, 16);
        }
        a.addAll(List.of("mnist", "--data", data.toString(), "--epochs", "1", "--steps", "10",
            "--unroll", "5", "--validation-problems", "1", "--problems", "1", "--tune-problems",
            "1", "--grid", "0.1", "--baselines", "sgd", "--cases", "a", "--threads", "1", "--out",
            out.toString(), "--quiet"));
      }
      default -> throw new IllegalArgumentException(command);
    }
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void demoRefusesATrainFolderAndOverwriteRemovesTheStaleCheckpoints() throws Exception {
    Path out = dir.resolve("run");
    assertThat(CliTest.run(CliTest.tinyTrain(out, 2)).code()).isZero();
    Path ckpt = out.resolve("checkpoint.ckpt");
    Path prev = out.resolve("checkpoint.ckpt.prev");
    assertThat(prev).exists();
    byte[] before = Files.readAllBytes(ckpt);
    byte[] optimizer = Files.readAllBytes(out.resolve("optimizer.json"));

    CliTest.Run refused = CliTest.run(tiny("demo", out));
    assertThat(refused.code()).isEqualTo(1);
    assertThat(beyondDataLine(refused.out())).isEmpty();
    assertThat(refused.err()).isEqualTo("l2l4j: error: --out " + out + " already holds the results"
        + " of another run (optimizer.json, checkpoint.ckpt, checkpoint.ckpt.prev); pass"
        + " --overwrite to delete them, or choose another --out" + NL);
    assertThat(Files.readAllBytes(ckpt)).isEqualTo(before);
    assertThat(prev).exists();
    assertThat(Files.readAllBytes(out.resolve("optimizer.json"))).isEqualTo(optimizer);

    Files.writeString(out.resolve("notes.txt"), "mine");
    CliTest.Run over = CliTest.run(tiny("demo", out, "--overwrite"));
    assertThat(over.code()).as(over.err()).isZero();
    assertThat(over.err()).isEqualTo("l2l4j: warning: --overwrite: deleted the earlier results in "
        + out + " (optimizer.json, checkpoint.ckpt, checkpoint.ckpt.prev)" + NL);
    // demo writes one checkpoint at the end: the old .prev would have been a stale partner
    assertThat(prev).doesNotExist();
    assertThat(ckpt).exists();
    assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
    assertThat(OptimizerFile.read(out.resolve("optimizer.json")).provenance())
        .containsEntry("epochs", 2.0);
    // the report page links the trained optimizer it sits beside
    assertThat(Files.readString(out.resolve("index.html")))
        .contains("<a href=\"optimizer.json\">optimizer.json</a>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "demo", "eval", "mnist"})
  void everyCommandRefusesEarlierResultsUntilOverwrite(String command) throws Exception {
    Path out = dir.resolve("run");
    Files.createDirectories(out.resolve("case-b"));
    Files.writeString(out.resolve("case-b").resolve("summary.json"), "{}");
    Files.writeString(out.resolve("summary.json"), "{}");
    Files.writeString(out.resolve("summary.json.tmp"), "torn");
    Files.createDirectories(out.resolve("train"));
    Files.writeString(out.resolve("train").resolve("mine.txt"), "not a result");

    CliTest.Run refused = CliTest.run(tiny(command, out));
    assertThat(refused.code()).as(refused.err()).isEqualTo(1);
    assertThat(beyondDataLine(refused.out())).isEmpty();
    assertThat(refused.err().split("\\R")).hasSize(1);
    assertThat(refused.err()).startsWith("l2l4j: error: --out " + out + " already holds the results"
        + " of another run (summary.json, case-b/); pass ").contains("--overwrite");
    assertThat(out.resolve("summary.json")).hasContent("{}");

    CliTest.Run over = CliTest.run(tiny(command, out, "--overwrite"));
    assertThat(over.code()).as(over.err()).isZero();
    assertThat(over.err()).startsWith("l2l4j: warning: --overwrite: deleted the earlier results in "
        + out + " (summary.json, case-b/)" + NL);
    assertThat(out.resolve("case-b")).doesNotExist();
    assertThat(out.resolve("summary.json.tmp")).doesNotExist();
    assertThat(out.resolve("train").resolve("mine.txt")).hasContent("not a result");
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "demo", "eval", "mnist"})
  void aFolderWithoutResultsIsFine(String command) throws Exception {
    Path out = dir.resolve("run");
    Files.createDirectories(out);
    Files.writeString(out.resolve("README.txt"), "mine");
    Files.writeString(out.resolve(RunFolder.LOCK_FILE), "pid 1, l2l4j train (killed)\n");
    CliTest.Run r = CliTest.run(tiny(command, out));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(out.resolve("README.txt")).hasContent("mine");
    // the lock file stays, emptied, when the run ends
    assertThat(out.resolve(RunFolder.LOCK_FILE)).isEmptyFile();
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "demo", "eval", "mnist"})
  void badOutputFoldersAreRefusedBeforeAnyWork(String command) throws Exception {
    CliTest.Run empty = CliTest.run(tiny(command, Path.of("")));
    assertThat(empty.code()).isEqualTo(1);
    assertThat(beyondDataLine(empty.out())).isEmpty();
    assertThat(empty.err()).isEqualTo("l2l4j: error: --out: empty path; give a folder" + NL);

    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    CliTest.Run isFile = CliTest.run(tiny(command, file));
    assertThat(isFile.code()).isEqualTo(1);
    assertThat(beyondDataLine(isFile.out())).as("nothing was computed").isEmpty();
    assertThat(isFile.err()).isEqualTo("l2l4j: error: --out " + file + ": is a file, not a folder"
        + NL);
    assertThat(file).hasContent("x");

    Path under = file.resolve("sub");
    CliTest.Run cannot = CliTest.run(tiny(command, under));
    assertThat(cannot.code()).isEqualTo(1);
    assertThat(beyondDataLine(cannot.out())).isEmpty();
    assertThat(cannot.err()).startsWith("l2l4j: error: --out " + under + ": cannot create the"
        + " folder (").endsWith(")" + NL);
    assertThat(cannot.err().split("\\R")).hasSize(1);
  }

  @Test
  void overwriteRefusesToDeleteAnInputOfTheRun() throws Exception {
    Path out = dir.resolve("run");
    assertThat(CliTest.run(CliTest.tinyTrain(out, 1)).code()).isZero();
    Path optimizer = out.resolve("optimizer.json");
    CliTest.Run r = CliTest.run(tiny("eval", out, "--optimizer", optimizer.toString(),
        "--overwrite"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: --overwrite would delete " + optimizer
        + ", which this run reads; choose another --out" + NL);
    assertThat(optimizer).exists();
    assertThat(out.resolve("checkpoint.ckpt")).exists();
  }

  @Test
  void resumeAndOverwriteExcludeEachOther() {
    Path out = dir.resolve("run");
    CliTest.Run r = CliTest.run(CliTest.tinyTrain(out, 1, "--resume", "--overwrite"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: --resume and --overwrite exclude each other" + NL);
    assertThat(out).doesNotExist();
  }

  @Test
  void trainRefusalOffersResumeWhenTheFolderHoldsACheckpoint() {
    Path out = dir.resolve("run");
    assertThat(CliTest.run(CliTest.tinyTrain(out, 1)).code()).isZero();
    CliTest.Run r = CliTest.run(CliTest.tinyTrain(out, 2));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: --out " + out + " already holds the results of"
        + " another run (optimizer.json, checkpoint.ckpt); pass --resume to continue its"
        + " checkpoint, --overwrite to delete them, or choose another --out" + NL);
  }

  @Test
  void aSecondRunInTheSameProcessIsRefusedWhileTheFirstHoldsTheLock() throws Exception {
    Path out = dir.resolve("run");
    long pid = ProcessHandle.current().pid();
    try (RunFolder held = RunFolder.open(out, RunFolder.Existing.REFUSE, "test", null, List.of())) {
      assertThat(out.resolve(RunFolder.LOCK_FILE)).content().startsWith("pid " + pid + ", l2l4j test");
      for (String command : new String[] {"train", "demo", "eval"}) {
        CliTest.Run r = CliTest.run(tiny(command, out));
        assertThat(r.code()).as(command).isEqualTo(1);
        assertThat(r.err()).as(command).isEqualTo("l2l4j: error: --out " + out + ": in use by"
            + " another run in this process (pid " + pid + ")" + NL);
      }
      // the same folder under another name is the same lock
      Path other = dir.resolve(".").resolve("run");
      CliTest.Run r = CliTest.run(tiny("train", other));
      assertThat(r.err()).contains("in use by another run in this process");
    }
    assertThat(CliTest.run(tiny("train", out)).code()).isZero();
  }

  @Test
  void mnistResumeNeedsTheTrainCheckpoint() throws Exception {
    Path out = dir.resolve("run");
    CliTest.Run none = CliTest.run(tiny("mnist", out, "--resume"));
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).isEqualTo("l2l4j: error: --resume: no checkpoint in " + out.resolve("train")
        + " (expected " + out.resolve("train").resolve("checkpoint.ckpt") + ")" + NL);
    assertThat(out).doesNotExist();
  }

  @Test
  void mnistResumeStartsAMissingGacRunAfresh() throws Exception {
    Path out = dir.resolve("run");
    assertThat(CliTest.run(tiny("mnist", out)).code()).isZero();
    byte[] ckpt = Files.readAllBytes(out.resolve("train").resolve("checkpoint.ckpt"));
    // as if killed before the GAC variant's first checkpoint: resuming trains it from scratch
    CliTest.Run gac = CliTest.run(tiny("mnist", out, "--resume", "--gac", "2"));
    assertThat(gac.code()).as(gac.err()).isZero();
    assertThat(Files.readAllBytes(out.resolve("train").resolve("checkpoint.ckpt"))).isEqualTo(ckpt);
    assertThat(OptimizerFile.read(out.resolve("train-gac").resolve("optimizer.json")).config().gac())
        .isEqualTo(2);
    assertThat(out.resolve("case-a").resolve("summary.json")).exists();
  }
}
