package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.djl.CifarReader;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.problem.data.DataSets;
import picocli.CommandLine;

/** {@code l2l4j conv} end to end on tiny CIFAR-10 files the test writes. */
class ConvCommandTest {
  @TempDir Path dir;

  @AfterEach
  void resetData() {
    DataSets.setDefaultDirectory(null);
  }

  record Run(int code, String out, String err) {}

  /** Runs {@link DjlMain}'s command line with System.out/err captured. */
  static Run run(String... args) {
    java.io.PrintStream oldOut = System.out;
    java.io.PrintStream oldErr = System.err;
    java.io.ByteArrayOutputStream sysOut = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream sysErr = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(sysOut, true));
    System.setErr(new java.io.PrintStream(sysErr, true));
    try {
      CommandLine cl = DjlMain.commandLine();
      int code = cl.execute(args);
      cl.getOut().flush();
      cl.getErr().flush();
      return new Run(code, sysOut.toString(), sysErr.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Five training files and a test file of {@code perFile} records each (labels r % 10). */
  static Path cifar(Path root, int perFile) throws Exception {
    Path d = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (String f : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}) {
      byte[] b = new byte[perFile * CifarReader.RECORD_BYTES];
      for (int i = 0; i < perFile; i++) {
        b[i * CifarReader.RECORD_BYTES] = (byte) (i % 10);
        for (int p = 1; p < CifarReader.RECORD_BYTES; p++) {
          b[i * CifarReader.RECORD_BYTES + p] = (byte) r.nextInt(256);
        }
      }
      Files.write(d.resolve(f), b);
    }
    return root;
  }

  static final String[] TINY = {"--dataset", "cifar10", "--batch", "4", "--epochs", "2",
      "--steps", "4", "--unroll", "2", "--validate-every", "1", "--validation-problems", "1",
      "--problems", "2", "--tune-problems", "1", "--grid", "0.01,0.1", "--baselines", "sgd,adam",
      "--quiet"};

  /** {@code more}, then the flags of {@link #TINY} that {@code more} does not give. */
  static String[] args(String... more) {
    return withDefaults(TINY, more);
  }

  /** {@code more}, then the flags (with their values) of {@code defaults} that it does not give. */
  static String[] withDefaults(String[] defaults, String... more) {
    java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(more));
    for (int i = 0; i < defaults.length; i++) {
      boolean pair = i + 1 < defaults.length && !defaults[i + 1].startsWith("--");
      if (!a.contains(defaults[i])) {
        a.add(defaults[i]);
        if (pair) {
          a.add(defaults[i + 1]);
        }
      }
      i += pair ? 1 : 0;
    }
    return a.toArray(new String[0]);
  }

  @Test
  void tinyRunTrainsBothOptimizersAndReportsEveryCase() throws Exception {
    Path data = cifar(dir.resolve("data"), 20);
    Path out = dir.resolve("out");
    Run r = run(args("conv", "--data", data.toString(), "--out", out.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(OptimizerFile.read(out.resolve("train/optimizer.json")).nets().names())
        .containsExactly("conv", "fc");
    assertThat(OptimizerFile.read(out.resolve("train-sub/optimizer.json")).provenance().get("problem"))
        .isEqualTo("conv(data=cifar10,classes=5-9,batch=4,split=train)");
    for (String c : new String[] {"a", "b", "c"}) {
      assertThat(out.resolve("case-" + c + "/summary.json")).exists();
      assertThat(out.resolve("case-" + c + "/plot.png")).exists();
    }
    String a = Files.readString(out.resolve("case-a/summary.json"));
    String b = Files.readString(out.resolve("case-b/summary.json"));
    assertThat(a).contains("\"problem\": \"conv(data=cifar10,batch=4,split=test)\"")
        .doesNotContain("lstm-sub");
    assertThat(b).contains("conv(data=cifar10,classes=0-4,batch=4,split=test)")
        .contains("\"lstm-sub\"");
    assertThat(Files.readString(out.resolve("case-c/summary.json")))
        .contains("classes=0-1,batch=4,split=test");
    assertThat(out.resolve("index.html")).exists();
    assertThat(r.out()).contains("report: " + out.resolve("index.html"))
        .contains("data: cifar10: CIFAR-10 binary files (" + data.resolve("cifar-10-batches-bin")
            + ", 100 train / 20 held-out images)");
    assertThat(a).contains("\"sha256\"");

    // the trained files again, without meta-training: the same case (a) results
    Path again = dir.resolve("again");
    Run t = run(args("conv", "--data", data.toString(), "--out", again.toString(), "--cases", "a",
        "--trained", out.resolve("train/optimizer.json").toString()));
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(again.resolve("train")).doesNotExist();
    assertThat(summaryMeans(again.resolve("case-a/summary.json"), "lstm"))
        .isEqualTo(summaryMeans(out.resolve("case-a/summary.json"), "lstm"));
  }

  /** The {@code mean} array of optimizer {@code name} in a summary.json, as text. */
  static String summaryMeans(Path summary, String name) throws Exception {
    String s = Files.readString(summary);
    int at = s.indexOf("\"name\": \"" + name + "\"");
    int m = s.indexOf("\"mean\"", at);
    return s.substring(m, s.indexOf(']', m));
  }

  @Test
  void resumeContinuesBothMetaTrainings() throws Exception {
    Path data = cifar(dir.resolve("data"), 10);
    Path out = dir.resolve("out");
    Run first = run(args("conv", "--data", data.toString(), "--out", out.toString(), "--cases",
        "b", "--epochs", "1"));
    assertThat(first.code()).as(first.err()).isZero();
    Run again = run(args("conv", "--data", data.toString(), "--out", out.toString(), "--cases",
        "b", "--epochs", "2", "--resume"));
    assertThat(again.code()).as(again.err()).isZero();
    for (String folder : new String[] {"train", "train-sub"}) {
      assertThat(OptimizerFile.read(out.resolve(folder + "/optimizer.json")).provenance())
          .as(folder).containsEntry("epochs", 2.0);
    }
    Run refused = run(args("conv", "--data", data.toString(), "--out", out.toString()));
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err().strip()).startsWith("l2l4j: error: ").doesNotContain("\n");
  }

  @Test
  void lstmSubInASecondProcessGivesTheSameBitsAsOneAfterTheOther() throws Exception {
    Path data = cifar(dir.resolve("data"), 10);
    float[][] w = new float[2][];
    float[][] wMain = new float[2][];
    for (int threads = 1; threads <= 2; threads++) {
      Path out = dir.resolve("t" + threads);
      Run r = run(args("conv", "--data", data.toString(), "--out", out.toString(), "--cases", "b",
          "--threads", String.valueOf(threads), "--baselines", "none"));
      assertThat(r.code()).as(r.err()).isZero();
      w[threads - 1] = OptimizerFile.read(out.resolve("train-sub/optimizer.json")).weights();
      wMain[threads - 1] = OptimizerFile.read(out.resolve("train/optimizer.json")).weights();
      assertThat(Files.readString(out.resolve("case-b/summary.json")))
          .contains(threads == 2 ? "in a second process" : "LSTM-sub")
          .contains("\"lstm-sub\"");
    }
    assertThat(w[1]).containsExactly(w[0]);
    assertThat(wMain[1]).containsExactly(wMain[0]);
  }

  @Test
  void aFailingSecondProcessIsOneLine() throws Exception {
    Path data = cifar(dir.resolve("data"), 10);
    Path out = dir.resolve("out");
    // a train-sub checkpoint without --resume: the second process refuses to overwrite it
    Files.createDirectories(out.resolve("train-sub"));
    Files.writeString(out.resolve("train-sub/checkpoint.ckpt"), "not a checkpoint");
    Run r = run(args("conv", "--data", data.toString(), "--out", out.toString(), "--cases", "b",
        "--threads", "2", "--baselines", "none"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("l2l4j: error: ").doesNotContain("\n")
        .contains("second java process");
  }

  @Test
  void trainOnConvGivesTheSameBitsForOneAndTwoThreads() throws Exception {
    Path data = cifar(dir.resolve("data"), 10);
    String problem = "conv(data=cifar10,classes=0-4,batch=4,dir=" + data + ")";
    float[][] w = new float[2][];
    for (int threads = 1; threads <= 2; threads++) {
      Path out = dir.resolve("t" + threads);
      Run r = run("train", "--problem", problem, "--optimizer",
          "groups(conv=lstm(preset=paper),fc=lstm(layers=5,preproc=log-sign(p=10),scale=0.1))",
          "--epochs", "2", "--steps", "4", "--unroll", "2", "--validate-every", "1",
          "--validation-problems", "3", "--threads", String.valueOf(threads), "--out",
          out.toString(), "--quiet");
      assertThat(r.code()).as(r.err()).isZero();
      w[threads - 1] = OptimizerFile.read(out.resolve("optimizer.json")).weights();
    }
    assertThat(w[1]).containsExactly(w[0]);
  }

  @Test
  void optimizerGroupsThatDoNotMatchAreOneLine() throws Exception {
    Path data = cifar(dir.resolve("data"), 20);
    Run r = run(args("conv", "--data", data.toString(), "--out", dir.resolve("o").toString(),
        "--optimizer", "groups(weights=lstm(preset=paper),biases=lstm(preset=paper))"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("l2l4j: error: --optimizer: optimizer group 'weights'"
        + " is not a parameter group of the problem (its groups: conv, fc)");
  }

  @Test
  void dataSetSmallerThanABatchIsOneLine() throws Exception {
    Path data = cifar(dir.resolve("data"), 2);
    Run r = run(args("conv", "--data", data.toString(), "--out", dir.resolve("o").toString(),
        "--batch", "64"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("l2l4j: error: conv(data=cifar10,batch=64,split=train):"
        + " the data set has 10 images, fewer than a minibatch of 64").doesNotContain("\n");
  }

  @Test
  void cifarFileOfTheWrongLengthIsOneLine() throws Exception {
    Path data = cifar(dir.resolve("data"), 3);
    Path bad = data.resolve("cifar-10-batches-bin/data_batch_2.bin");
    Files.write(bad, new byte[100]);
    Run r = run(args("conv", "--data", data.toString(), "--out", dir.resolve("o").toString()));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("l2l4j: error: " + bad
        + ": 100 bytes is not a whole number of 3073-byte CIFAR-10 records");
  }

  @Test
  void missingCifarAndBadFlagsAreOneLine() throws Exception {
    Run r = run(args("conv", "--out", dir.resolve("o").toString()));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("l2l4j: error: ").contains("no CIFAR-10 binary files")
        .doesNotContain("\n");
    Run c = run(args("conv", "--cases", "a,d", "--out", dir.resolve("o").toString()));
    assertThat(c.err().strip()).isEqualTo("l2l4j: error: --cases: unknown case 'd'; known: a,b,c");
    Run d = run(args("conv", "--dataset", "svhn", "--out", dir.resolve("o").toString()));
    assertThat(d.err().strip()).startsWith("l2l4j: error: --dataset: conv: unknown data 'svhn'");
  }

  @Test
  void helpListsConv() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    Run c = run("conv", "--help");
    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("--trained-sub").contains("CIFAR-5");
  }
}
