package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.meta.Checkpoint;

/**
 * {@code --init-from FILE|general}: meta-training starts from a trained optimizer's weights, with
 * its nets; the start is recorded in the checkpoint and the optimizer file, kept on resume, and
 * a mismatch (other nets, another start on resume, an unreadable file) is one line.
 */
class InitFromCliTest {
  @TempDir Path dir;

  private static String[] train(Path out, String... extra) {
    return train(out, 2, extra);
  }

  private static String[] train(Path out, int epochs, String... extra) {
    List<String> a = new ArrayList<>(List.of("train", "--problem", "quadratic(dim=3)", "--epochs",
        Integer.toString(epochs), "--steps", "10", "--unroll", "5", "--validate-every", "1", "--validation-problems",
        "2", "--checkpoint-every", "1", "--out", out.toString(), "--quiet"));
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  private static void assertOneLine(CliTest.Run r, String text) {
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains(text);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void startsFromTheShippedWeightsAndRecordsIt() throws Exception {
    OptimizerFile.Loaded general = OptimizerFile.readPretrained("general");
    Path out = dir.resolve("g");
    CliTest.Run r = CliTest.run(train(out, "--init-from", "general"));
    assertThat(r.code()).as(r.err()).isZero();
    OptimizerFile.Loaded f = OptimizerFile.read(out.resolve("optimizer.json"));
    // without --optimizer the start's nets are trained
    assertThat(f.nets().spec()).isEqualTo(general.nets().spec());
    assertThat(f.provenance()).containsEntry("start", "pretrained:general");
    assertThat(Checkpoint.readLatest(out.resolve("checkpoint.ckpt")).meta().start())
        .isEqualTo("pretrained:general");
    // the start is validated first and kept unless a validation beats it: the result is the
    // start (best epoch 0) or a later validation's weights, never a random net's
    double bestEpoch = (Double) f.provenance().get("best_epoch");
    if (bestEpoch == 0) {
      assertThat(f.weights()).containsExactly(general.weights());
    } else {
      assertThat(f.weights()).isNotEqualTo(general.weights());
    }

    // a random start of the same nets and seed gives other weights
    Path random = dir.resolve("random");
    CliTest.Run rr = CliTest.run(train(random, "--optimizer", general.nets().spec()));
    assertThat(rr.code()).as(rr.err()).isZero();
    OptimizerFile.Loaded fr = OptimizerFile.read(random.resolve("optimizer.json"));
    assertThat(fr.weights()).isNotEqualTo(f.weights());
    assertThat(fr.provenance()).doesNotContainKey("start");

    // resumed by the same command, or without the flag but with the same nets, the start stays
    // recorded; with another start it is refused
    CliTest.Run more = CliTest.run(train(out, 3, "--resume", "--init-from", "general"));
    assertThat(more.code()).as(more.err()).isZero();
    CliTest.Run noFlag = CliTest.run(train(out, 4, "--resume", "--optimizer",
        general.nets().spec()));
    assertThat(noFlag.code()).as(noFlag.err()).isZero();
    assertThat(OptimizerFile.read(out.resolve("optimizer.json")).provenance())
        .containsEntry("start", "pretrained:general").containsEntry("epochs", 4.0);
    CliTest.Run other = CliTest.run(train(out, 5, "--resume", "--init-from",
        random.resolve("optimizer.json").toString()));
    assertOneLine(other, "was started from pretrained:general; this run asks for --init-from "
        + random.resolve("optimizer.json").toAbsolutePath());
  }

  @Test
  void startsFromAFileRecordedWithItsHash() throws Exception {
    Path first = dir.resolve("first");
    assertThat(CliTest.run(train(first)).code()).isZero();
    Path file = first.resolve("optimizer.json");
    Path out = dir.resolve("second");
    CliTest.Run r = CliTest.run(train(out, 1, "--init-from", file.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    String start = (String) OptimizerFile.read(out.resolve("optimizer.json")).provenance()
        .get("start");
    assertThat(start).startsWith(file.toAbsolutePath().normalize() + " (sha256 ")
        .matches(".*\\(sha256 [0-9a-f]{64}\\)");
  }

  @Test
  void otherNetsAMissingFileAndTrainedTogetherAreOneLine() {
    assertOneLine(CliTest.run(train(dir.resolve("a"), "--init-from", "general", "--optimizer",
        "lstm(preset=paper)")), "--init-from general holds lstm(");
    assertThat(dir.resolve("a")).as("nothing written before the check").doesNotExist();
    assertOneLine(CliTest.run(train(dir.resolve("b"), "--init-from",
        dir.resolve("none.json").toString())), "--init-from: ");
    assertOneLine(CliTest.run(train(dir.resolve("c"), "--init-from", "general-v2")),
        "--init-from: general-v2: no such file, nor an optimizer shipped in the jar");
    assertOneLine(CliTest.run("mnist", "--trained", "general", "--init-from", "general",
        "--out", dir.resolve("m").toString(), "--quiet"), "not both");
  }
}
