package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.util.Json;

/**
 * {@code --optimizer FILE|general} on eval and {@code --trained FILE|general} on mnist: a file is
 * read as a file, {@code general} (no file of that name here) from the jar, and a build without
 * the shipped weights says so in one line.
 */
class PretrainedOptimizerCliTest {
  @TempDir Path dir;

  /** Whether this build ships the general optimizer's weights (the lead adds them later). */
  private static boolean shipped() {
    return OptimizerFile.class.getResource("/org/l2l4j/learned/pretrained/general.json") != null;
  }

  private static void assertNotInThisBuild(CliTest.Run r) {
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("l2l4j: error: pretrained:general: not in this build");
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void evalGeneralIsReadFromTheJarOrRefusedInOneLine() {
    assertThat(Files.exists(Path.of("general"))).as("a file named general in the test's folder")
        .isFalse();
    Path out = dir.resolve("r");
    CliTest.Run r = CliTest.run("eval", "--problem", "quadratic(dim=3)", "--optimizer", "general",
        "--baselines", "none", "--steps", "5", "--problems", "2", "--out", out.toString(),
        "--quiet");
    if (shipped()) {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(out.resolve("summary.json")).exists();
    } else {
      assertNotInThisBuild(r);
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void mnistTrainedGeneralIsRefusedBeforeTheDataIsLoaded() {
    if (shipped()) {
      return; // the refusal is what this test checks; the shipped file is tested by the lead
    }
    // a --data folder without files: were the data loaded first, the error would name it
    Path empty = dir.resolve("no-data");
    CliTest.Run r = CliTest.run("mnist", "--trained", "general", "--data", empty.getParent()
        .toString(), "--cases", "a", "--out", dir.resolve("m").toString(), "--quiet");
    assertNotInThisBuild(r);
  }

  @Test
  void aFileIsStillReadAsAFileAndLabelledByItsFolder() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    for (Path p : List.of(a, b)) {
      CliTest.Run t = CliTest.run("train", "--problem", "quadratic(dim=3)", "--epochs", "2",
          "--steps", "6", "--unroll", "3", "--validate-every", "1", "--validation-problems", "1",
          "--out", p.toString(), "--quiet");
      assertThat(t.code()).as(t.err()).isZero();
    }
    Path out = dir.resolve("r");
    CliTest.Run r = CliTest.run("eval", "--problem", "quadratic(dim=3)", "--optimizer",
        a.resolve("optimizer.json").toString(), "--optimizer", b.resolve("optimizer.json").toString(),
        "--baselines", "none", "--steps", "5", "--problems", "2", "--out", out.toString(),
        "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary =
        (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> opts = (List<Map<String, Object>>) summary.get("optimizers");
    assertThat(opts).extracting(m -> m.get("name")).containsExactly("lstm:a", "lstm:b");
  }

  @Test
  void aMissingFileIsNamedInOneLine() {
    Path missing = dir.resolve("nope.json");
    CliTest.Run r = CliTest.run("eval", "--problem", "quadratic", "--optimizer",
        missing.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("l2l4j: error: " + missing + ": no such file");
  }
}
