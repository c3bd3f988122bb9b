package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointMeta;
import org.l2l4j.problem.data.DataSets;

/**
 * {@code train --resume}: every setting that changes what the run computes must equal the
 * checkpoint's (the error names the flag and both values); {@code --epochs} may be raised,
 * {@code --threads}, {@code --checkpoint-every} and the {@code --data} folder may change, and
 * what changed is recorded.
 */
class ResumeChecksTest {
  @TempDir Path dir;

  private static final String NL = System.lineSeparator();

  @AfterEach
  void resetData() {
    DataSets.setDefaultDirectory(null);
    DataSets.clearCache();
  }

  /** The first run's flags; a test replaces one value. */
  private static List<String> flags(Path out, int epochs) {
    return new ArrayList<>(List.of("train", "--epochs", Integer.toString(epochs), "--steps", "10",
        "--unroll", "5", "--meta-lr", "0.003", "--clip", "0", "--validate-every", "1",
        "--validation-problems", "1", "--max-bad", "5", "--checkpoint-every", "1", "--threads",
        "1", "--meta-loss", "loss(weights=uniform,transform=sum)", "--meta-batch", "1",
        "--max-steps", "0", "--validation-steps", "0", "--out",
        out.toString(),
        "--quiet"));
  }

  private static String[] with(List<String> args, String flag, String value) {
    List<String> a = new ArrayList<>(args);
    a.set(a.indexOf(flag) + 1, value);
    return a.toArray(String[]::new);
  }

  /** "flag|checkpoint's value as recorded|other value as given|other value as recorded". */
  @ParameterizedTest
  @ValueSource(strings = {
    "--meta-lr|0.003|0.01|0.01",
    "--clip|0|5|5",
    "--validate-every|1|2|2",
    "--validation-problems|1|3|3",
    "--max-bad|5|2|2",
    "--steps|10|20|20",
    "--unroll|5|2|2",
    "--meta-batch|1|3|3",
    "--max-steps|0|40|40",
    "--validation-steps|0|30|30",
    "--meta-loss|'loss(weights=uniform,transform=sum)'|loss(weights=last)"
        + "|'loss(weights=last,transform=sum)'",
    "--meta-loss|'loss(weights=uniform,transform=sum)'|loss(transform=log-mean)"
        + "|'loss(weights=uniform,transform=log-mean)'",
  })
  void aChangedSettingIsRefusedNamingTheFlagAndBothValues(String line) throws Exception {
    String[] p = line.split("\\|");
    Path out = dir.resolve("run");
    assertThat(CliTest.run(flags(out, 2).toArray(String[]::new)).code()).isZero();
    byte[] ckpt = Files.readAllBytes(out.resolve("checkpoint.ckpt"));
    List<String> resume = flags(out, 3);
    resume.add("--resume");
    CliTest.Run r = CliTest.run(with(resume, p[0], p[2]));
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: " + out.resolve("checkpoint.ckpt")
        + " was trained with " + p[0] + " " + p[1] + "; this run asks for " + p[0] + " " + p[3]
        + " (resume with the same value)" + NL);
    assertThat(Files.readAllBytes(out.resolve("checkpoint.ckpt"))).isEqualTo(ckpt);
    // the same value is accepted
    CliTest.Run same = CliTest.run(resume.toArray(String[]::new));
    assertThat(same.code()).as(same.err()).isZero();
  }

  /** Several changed settings are all named, each with both values. */
  @Test
  void everyChangedSettingIsNamed() throws Exception {
    Path out = dir.resolve("run");
    assertThat(CliTest.run(flags(out, 2).toArray(String[]::new)).code()).isZero();
    List<String> resume = flags(out, 3);
    resume.add("--resume");
    List<String> changed = List.of(with(resume, "--steps", "20"));
    changed = List.of(with(changed, "--clip", "5"));
    CliTest.Run r = CliTest.run(with(changed, "--meta-lr", "0.01"));
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: " + out.resolve("checkpoint.ckpt")
        + " was trained with --steps 10, --meta-lr 0.003, --clip 0; this run asks for --steps 20,"
        + " --meta-lr 0.01, --clip 5 (resume with the same values)" + NL);
  }

  /** The outer optimizer is checked as a whole: another kind or other settings are refused. */
  @Test
  void anotherMetaOptimizerIsRefusedNamingTheFlagAndBothValues() throws Exception {
    Path out = dir.resolve("run");
    List<String> first = flags(out, 2);
    first.remove(first.indexOf("--meta-lr") + 1);
    first.remove("--meta-lr");
    first.addAll(List.of("--meta-optimizer", "nag(lr=0.003,momentum=0.5)"));
    CliTest.Run r0 = CliTest.run(first.toArray(String[]::new));
    assertThat(r0.code()).as(r0.err()).isZero();
    assertThat(Checkpoint.readLatest(out.resolve("checkpoint.ckpt")).state().outer.optimizer())
        .isEqualTo(new org.l2l4j.optim.Nag(0.003, 0.5));
    List<String> resume = flags(out, 3);
    resume.add("--resume");
    CliTest.Run r = CliTest.run(resume.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: " + out.resolve("checkpoint.ckpt")
        + " was trained with --meta-optimizer 'nag(lr=0.003,momentum=0.5)'; this run asks for"
        + " --meta-optimizer 'adam(lr=0.003,b1=0.9,b2=0.999,eps=1e-8)' (resume with the same"
        + " value)" + NL);
    List<String> same = new ArrayList<>(first);
    same.set(same.indexOf("--epochs") + 1, "3");
    same.add("--resume");
    CliTest.Run ok = CliTest.run(same.toArray(String[]::new));
    assertThat(ok.code()).as(ok.err()).isZero();
  }

  @Test
  void epochsMayBeRaisedThreadsAndCheckpointIntervalMayChangeAndTheNewValuesAreRecorded()
      throws Exception {
    Path out = dir.resolve("run");
    Path other = dir.resolve("uninterrupted");
    assertThat(CliTest.run(flags(out, 2).toArray(String[]::new)).code()).isZero();
    List<String> resume = flags(out, 4);
    resume.add("--resume");
    CliTest.Run r = CliTest.run(with(List.of(with(resume, "--threads", "2")),
        "--checkpoint-every", "3"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    OptimizerFile.Loaded f = OptimizerFile.read(out.resolve("optimizer.json"));
    assertThat(f.provenance()).containsEntry("epochs", 4.0);
    assertThat((String) f.provenance().get("trainer")).isEqualTo("meta(epochs=4,steps=10,unroll=5,"
        + "outer=adam(lr=0.003,b1=0.9,b2=0.999,eps=1e-8),clip=0,validate-every=1,"
        + "validation-problems=1,max-bad=5,seed=1,"
        + "meta-loss=loss(weights=uniform,transform=sum),meta-batch=1)");
    CheckpointMeta meta = Checkpoint.readLatest(out.resolve("checkpoint.ckpt")).meta();
    assertThat(meta.trainer()).startsWith("meta(epochs=4,");
    // and the result is the uninterrupted 4-epoch run's
    assertThat(CliTest.run(flags(other, 4).toArray(String[]::new)).code()).isZero();
    KillResumeTest.assertBitIdentical("weights", f.weights(),
        OptimizerFile.read(other.resolve("optimizer.json")).weights());
  }

  /** A meta-batch is recorded, and resuming it gives the uninterrupted run's bits. */
  @Test
  void aMetaBatchRunIsRecordedAndResumesExactly() throws Exception {
    Path out = dir.resolve("run");
    Path other = dir.resolve("uninterrupted");
    assertThat(CliTest.run(with(flags(out, 2), "--meta-batch", "3")).code()).isZero();
    List<String> resume = flags(out, 3);
    resume.add("--resume");
    CliTest.Run r = CliTest.run(with(List.of(with(resume, "--meta-batch", "3")), "--threads", "2"));
    assertThat(r.code()).as(r.err()).isZero();
    OptimizerFile.Loaded f = OptimizerFile.read(out.resolve("optimizer.json"));
    assertThat((String) f.provenance().get("trainer")).endsWith(",meta-batch=3)");
    assertThat(CliTest.run(with(flags(other, 3), "--meta-batch", "3")).code()).isZero();
    KillResumeTest.assertBitIdentical("weights", f.weights(),
        OptimizerFile.read(other.resolve("optimizer.json")).weights());
  }

  @Test
  void fewerEpochsThanTheCheckpointHasAreRefused() {
    Path out = dir.resolve("run");
    assertThat(CliTest.run(flags(out, 3).toArray(String[]::new)).code()).isZero();
    List<String> resume = flags(out, 2);
    resume.add("--resume");
    CliTest.Run r = CliTest.run(resume.toArray(String[]::new));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("l2l4j: error: " + out.resolve("checkpoint.ckpt") + " already has"
        + " 3 epochs; this run asks for --epochs 2 (give at least 3)" + NL);
    // equal epochs: nothing to train, the optimizer file is written again
    CliTest.Run equal = CliTest.run(with(resume, "--epochs", "3"));
    assertThat(equal.code()).as(equal.err()).isZero();
  }

  @Test
  void aCheckpointThatDoesNotRecordASettingGivesAWarning() throws Exception {
    Path out = dir.resolve("run");
    assertThat(CliTest.run(flags(out, 2).toArray(String[]::new)).code()).isZero();
    Path ckpt = out.resolve("checkpoint.ckpt");
    Checkpoint.Loaded old = Checkpoint.readLatest(ckpt);
    CheckpointMeta m = old.meta();
    assertThat(m.trainer()).contains(",max-bad=5,");
    // the form the oldest checkpoints recorded, which lacks max-bad
    String trainer = "epochs=2,steps=10,unroll=5,meta-lr=0.003,clip=0.0,validate-every=1,"
        + "validation-problems=1";
    Checkpoint.write(ckpt, new CheckpointMeta(m.lstmSpec(), m.problemSpec(), m.seed(), trainer),
        old.state());
    List<String> resume = flags(out, 3);
    resume.add("--resume");
    CliTest.Run r = CliTest.run(resume.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEqualTo("l2l4j: warning: " + ckpt + " does not record --max-bad (an older"
        + " l2l4j); this run uses --max-bad 5: give the value of the first run" + NL);
  }

  @Test
  void anotherDataFolderWithTheSameDataSetIsAcceptedAndRecorded() throws Exception {
    Path a = dir.resolve("data-a");
    Path b = dir.resolve("data-b");
    MnistCommandTest.writeIdx(a, 32, 16);
    MnistCommandTest.writeIdx(b, 32, 16);
    Path out = dir.resolve("run");
    List<String> first = flags(out, 1);
    first.addAll(List.of("--problem", "mnist", "--data", a.toString()));
    assertThat(CliTest.run(first.toArray(String[]::new)).code()).isZero();
    Map<String, Object> prov = OptimizerFile.read(out.resolve("optimizer.json")).provenance();
    assertThat(String.valueOf(((Map<?, ?>) prov.get("data")).get("folder")))
        .contains(a.toString());
    DataSets.clearCache();
    List<String> resume = flags(out, 2);
    resume.addAll(List.of("--problem", "mnist", "--data", b.toString(), "--resume"));
    CliTest.Run r = CliTest.run(resume.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    prov = OptimizerFile.read(out.resolve("optimizer.json")).provenance();
    assertThat(String.valueOf(((Map<?, ?>) prov.get("data")).get("folder")))
        .contains(b.toString()).doesNotContain(a.toString());
    // another data set (problem spec) is refused, also when its files are there
    MnistCommandTest.writeIdx(b.resolve("fashion-mnist"), 32, 16);
    List<String> fashion = flags(out, 3);
    fashion.addAll(List.of("--problem", "mlp(data=fashion-mnist)", "--data", b.toString(),
        "--resume"));
    CliTest.Run f = CliTest.run(fashion.toArray(String[]::new));
    assertThat(f.code()).isEqualTo(1);
    assertThat(f.err()).contains("was written for optimizer").contains("data=mnist")
        .contains("data=fashion-mnist");
  }

  @Test
  void trainHelpStatesTheResumeRule() {
    CliTest.Run r = CliTest.run("train", "--help");
    // line breaks depend on the width: compare the words
    assertThat(r.out().replaceAll("\\s+", " ")).contains("--resume refuses an --optimizer")
        .contains("--meta-lr").contains("--meta-optimizer")
        .contains("--epochs may be raised").contains("--overwrite");
  }
}
