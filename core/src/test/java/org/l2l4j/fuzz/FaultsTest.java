package org.l2l4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.OptimizerFileException;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointException;
import org.l2l4j.meta.CheckpointMeta;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.DataException;
import org.l2l4j.problem.data.IdxReader;
import org.l2l4j.problem.data.MnistJsonReader;
import org.l2l4j.util.AtomicFiles;
import org.l2l4j.util.SpecException;

/**
 * Faults of the file system and hostile files: a full disk during every kind of atomic write (the
 * test hook {@link AtomicFiles#TEST_FAIL_WRITE_PROPERTY}, and {@code /dev/full} where it exists),
 * devices, pipes, folders and links to them given as input files, and the wording of errors (a
 * truncation is said only when the input ended early; shapes as integers; specs that take no
 * parameters).
 */
class FaultsTest {
  static final long SEED = 20_261_129L;
  /** Every refusal of a device must come at once, not after reading for ever. */
  static final Duration QUICK = Duration.ofSeconds(5);
  static final Path DEV_ZERO = Path.of("/dev/zero");

  @TempDir Path dir;

  @AfterEach
  void clearHookAndLinks() throws IOException {
    System.clearProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY);
    // remove links to outside files ourselves: JUnit's clean-up would log a warning for each
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  // ------------------------------------------------------------------ a full disk while writing

  @Test
  void atomicWriteOnAFullDiskNamesTheFileLeavesNoTemporaryAndKeepsTheOldFile() throws IOException {
    Path target = dir.resolve("notes.txt");
    AtomicFiles.writeString(target, "old");
    byte[] bytes = new byte[5000];
    new Random(SEED).nextBytes(bytes);
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int i = 0; i < 20; i++) {
      int after = i == 0 ? 0 : rng.nextInt(bytes.length);
      System.setProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY, Integer.toString(after));
      assertThatThrownBy(() -> AtomicFiles.write(target, bytes)).as("fail after %d", after)
          .isInstanceOf(IOException.class)
          .hasMessage("cannot write " + target + ": No space left on device");
      assertNoTemporary(dir);
      assertThat(Files.readString(target)).isEqualTo("old");
    }
    System.clearProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY);
    AtomicFiles.write(target, bytes);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
  }

  @Test
  void hookWithAFileNameFailsOnlyThatFile() throws IOException {
    System.setProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY, "3:b.txt");
    AtomicFiles.writeString(dir.resolve("a.txt"), "written");
    assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve("b.txt"), "refused"))
        .hasMessage("cannot write " + dir.resolve("b.txt") + ": No space left on device");
    assertThat(dir.resolve("a.txt")).hasContent("written");
    assertThat(dir.resolve("b.txt")).doesNotExist();
    assertNoTemporary(dir);
  }

  @Test
  void realDeviceFullDiskNamesTheFileAndRemovesTheTemporary() throws IOException {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "/dev/full is not available here");
    Path target = dir.resolve("plot.png");
    // the temporary file is a link to /dev/full: writing it fails with the kernel's ENOSPC
    Files.createSymbolicLink(AtomicFiles.temporary(target), full);
    assertThatThrownBy(() -> AtomicFiles.write(target, new byte[100_000]))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot write " + target + ": ")
        .hasMessageContaining("No space left on device");
    assertNoTemporary(dir);
    assertThat(target).doesNotExist();
  }

  @Test
  void checkpointWriteOnAFullDiskKeepsTheCurrentCheckpoint() throws IOException {
    Path ckpt = dir.resolve("checkpoint.ckpt");
    CheckpointMeta meta = new CheckpointMeta(Samples.TINY.spec(), "quadratic(preset=paper)", 1, "");
    TrainingState first = new TrainingState(LstmWeights.init(Samples.TINY, new SplittableRandom(1)),
        org.l2l4j.meta.OuterOptimizer.start(new org.l2l4j.optim.Adam(0.001), Samples.TINY.parameterCount()));
    Checkpoint.write(ckpt, meta, first);
    byte[] before = Files.readAllBytes(ckpt);
    TrainingState second = new TrainingState(LstmWeights.init(Samples.TINY, new SplittableRandom(2)),
        org.l2l4j.meta.OuterOptimizer.start(new org.l2l4j.optim.Adam(0.001), Samples.TINY.parameterCount()));
    second.epoch = 5;
    int size = Checkpoint.encode(meta, second).length;
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int i = 0; i < 10; i++) {
      int after = rng.nextInt(size);
      System.setProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY, after + ":checkpoint.ckpt");
      assertThatThrownBy(() -> Checkpoint.write(ckpt, meta, second)).as("fail after %d", after)
          .isInstanceOf(IOException.class)
          .hasMessage("cannot write " + ckpt + ": No space left on device");
      assertNoTemporary(dir);
      assertThat(Files.readAllBytes(ckpt)).isEqualTo(before);
      assertThat(Checkpoint.readLatest(ckpt).state().epoch).isZero();
    }
  }

  @Test
  void optimizerFileWriteOnAFullDiskNamesTheFile() throws IOException {
    Path file = dir.resolve("optimizer.json");
    float[] w = LstmWeights.init(Samples.TINY, new SplittableRandom(3));
    System.setProperty(AtomicFiles.TEST_FAIL_WRITE_PROPERTY, "100:optimizer.json");
    assertThatThrownBy(() -> OptimizerFile.write(file, Samples.TINY, w, Samples.provenance()))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot write " + file + ": No space left on device");
    assertThat(file).doesNotExist();
    assertNoTemporary(dir);
  }

  @Test
  void writeIntoAFileInsteadOfAFolderNamesTheTarget() throws IOException {
    Path notAFolder = Files.writeString(dir.resolve("plain"), "x");
    Path target = notAFolder.resolve("summary.json");
    assertThatThrownBy(() -> AtomicFiles.writeString(target, "{}"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot write " + target + ": ");
  }

  static void assertNoTemporary(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  // ------------------------------------------------------------------ devices, pipes, folders, links

  /** The hostile inputs: /dev/zero, a link to it, a folder, a link to the folder, a pipe. */
  List<Path> notRegularFiles() throws Exception {
    assumeTrue(Files.exists(DEV_ZERO), "needs /dev/zero (Linux)");
    List<Path> out = new ArrayList<>();
    out.add(DEV_ZERO);
    out.add(Files.createSymbolicLink(dir.resolve("zero-link"), DEV_ZERO));
    out.add(Files.createDirectories(dir.resolve("a-folder")));
    out.add(Files.createSymbolicLink(dir.resolve("folder-link"), dir.resolve("a-folder")));
    Path fifo = dir.resolve("a-pipe");
    try {
      if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
        out.add(fifo);
      }
    } catch (IOException e) {
      // no mkfifo here: the other cases still run
    }
    return out;
  }

  @Test
  void optimizerFileThatIsNotARegularFileIsRefusedAtOnce() throws Exception {
    for (Path p : notRegularFiles()) {
      assertTimeoutPreemptively(QUICK, () ->
          assertThatThrownBy(() -> OptimizerFile.read(p)).as(p.toString())
              .isInstanceOf(OptimizerFileException.class)
              .hasMessageStartingWith(p + ": not a regular file (")
              .hasMessageNotContaining("\n"));
    }
  }

  @Test
  void checkpointThatIsNotARegularFileIsRefusedAtOnce() throws Exception {
    for (Path p : notRegularFiles()) {
      assertTimeoutPreemptively(QUICK, () ->
          assertThatThrownBy(() -> Checkpoint.readLatest(p)).as(p.toString())
              .isInstanceOf(CheckpointException.class)
              .hasMessageStartingWith(p + ": not a regular file (")
              .hasMessageNotContaining("\n"));
    }
  }

  @Test
  void linkToADeviceSaysWhereItPoints() throws Exception {
    assumeTrue(Files.exists(DEV_ZERO), "needs /dev/zero (Linux)");
    Path link = Files.createSymbolicLink(dir.resolve("optimizer.json"), DEV_ZERO);
    assertThatThrownBy(() -> OptimizerFile.read(link))
        .hasMessage(link + ": not a regular file (a device, pipe or socket, a link to /dev/zero)");
  }

  @Test
  void digitFileThatIsNotARegularFileIsRefusedAtOnce() throws Exception {
    for (Path p : notRegularFiles()) {
      Path digits = Files.createDirectories(dir.resolve("digits-" + p.getFileName()));
      for (int d = 0; d < 10; d++) {
        Files.writeString(digits.resolve(d + ".json"), "{\"data\": []}");
      }
      Path three = digits.resolve("3.json");
      Files.delete(three);
      Files.createSymbolicLink(three, p.toAbsolutePath());
      assertTimeoutPreemptively(QUICK, () ->
          assertThatThrownBy(() -> MnistJsonReader.read(digits)).as(p.toString())
              .isInstanceOf(DataException.class)
              .hasMessageStartingWith(three + ": not a regular file (")
              .hasMessageNotContaining("\n"));
    }
  }

  @Test
  void idxFileThatIsNotARegularFileIsRefusedAtOnce() throws Exception {
    Path labels = Files.write(dir.resolve("labels"), Samples.idxLabels());
    Path images = Files.write(dir.resolve("images"), Samples.idxImages());
    for (Path p : notRegularFiles()) {
      assertTimeoutPreemptively(QUICK, () -> {
        assertThatThrownBy(() -> IdxReader.read(p, labels)).as(p.toString())
            .isInstanceOf(DataException.class)
            .hasMessageStartingWith(p + ": not a regular file (");
        assertThatThrownBy(() -> IdxReader.read(images, p)).as(p.toString())
            .isInstanceOf(DataException.class)
            .hasMessageStartingWith(p + ": not a regular file (");
      });
    }
  }

  @Test
  void readsStopOneByteAfterTheLimitEvenWhenTheSizeIsWrong() throws IOException {
    Path exact = Files.write(dir.resolve("exact"), new byte[100]);
    assertThat(org.l2l4j.util.InputFiles.read(exact, 100)).hasSize(100);
    assertThatThrownBy(() -> org.l2l4j.util.InputFiles.read(exact, 99))
        .isInstanceOf(org.l2l4j.util.InputFiles.RefusedException.class)
        .hasMessage("100 bytes, more than the limit of 99");
    // /proc files are regular files that report a size of 0: only the bounded read notices
    Path proc = Path.of("/proc/self/maps");
    assumeTrue(Files.isRegularFile(proc) && Files.size(proc) == 0, "needs Linux /proc");
    assertThatThrownBy(() -> org.l2l4j.util.InputFiles.read(proc, 10))
        .isInstanceOf(org.l2l4j.util.InputFiles.RefusedException.class)
        .hasMessage("more than the limit of 10 bytes");
  }

  // ------------------------------------------------------------------ wording of errors

  @Test
  void onlyAnInputThatEndsEarlySaysItMayBeTruncated() {
    String valid = Samples.optimizerFile().strip();
    int cuts = 0;
    for (int len = 0; len < valid.length(); len += 7) {
      String cut = valid.substring(0, len);
      assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, cut)).as("cut at %d", len)
          .isInstanceOf(OptimizerFileException.class)
          .hasMessageEndingWith("the file may be truncated");
      cuts++;
    }
    assertThat(cuts).isGreaterThan(100);
    // broken, but complete: never "truncated"
    int open = valid.indexOf("\"values\": [") + "\"values\": [".length();
    List<String> broken = List.of(
        valid.substring(0, open) + "NaN, " + valid.substring(open),
        valid.substring(0, open) + "Infinity, " + valid.substring(open),
        "{\"format\": \"l2l4j-optimizer\", \"format\": \"l2l4j-optimizer\"}",
        valid + " x",
        valid.replaceFirst("\"version\": 1", "\"version\": 01"),
        valid.replaceFirst("\"version\": 1", "\"version\": tru,"),
        valid.replace("\"format\"", "\"for\\q\""),
        valid.replace("\"format\"", "'format'"));
    for (String b : broken) {
      assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, b))
          .isInstanceOf(OptimizerFileException.class)
          .hasMessageStartingWith(Contract.WHERE + ": not valid JSON (")
          .hasMessageNotContaining("truncated");
    }
  }

  @Test
  void shapesAndIntegersArePrintedAsIntegers() {
    String valid = Samples.optimizerFile();
    String wrongShape = valid.replaceFirst("\"shape\": \\[[0-9, ]+\\]", "\"shape\": [22, 80]");
    assertThat(wrongShape).isNotEqualTo(valid);
    assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, wrongShape))
        .hasMessageContaining("has shape [22, 80], spec needs [")
        .hasMessageNotContaining(".0");
    String badVersion = valid.replaceFirst("\"version\": 1", "\"version\": 1e12");
    assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, badVersion))
        .hasMessageEndingWith("got 1000000000000");
  }

  @Test
  void specWithoutParametersSaysSo() {
    assertThatThrownBy(() -> Problems.parse("simple(x=1)"))
        .isInstanceOf(SpecException.class)
        .hasMessage("unknown parameter 'x' in 'simple(x=1)'; 'simple' takes no parameters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"adam(foo=1)", "rmsprop(beta=1)", "nag(m=1)"})
  void knownParametersAreListedInAStableOrder(String spec) {
    assertThatThrownBy(() -> Optimizers.parseBaseline(spec))
        .isInstanceOf(SpecException.class)
        .satisfies(e -> {
          String known = e.getMessage().substring(e.getMessage().indexOf("known: ") + 7);
          List<String> names = List.of(known.split(", "));
          assertThat(names).isSorted().contains("lr");
        });
  }

  @Test
  void utf8IsStillCheckedAfterTheBoundedRead() throws IOException {
    byte[] bad = (Samples.optimizerFile().strip() + " ").getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 1] = (byte) 0xC3;
    Path p = Files.write(dir.resolve("bad-utf8.json"), bad);
    assertThatThrownBy(() -> OptimizerFile.read(p)).hasMessage(p + ": not UTF-8 text (the file may be corrupt)");
  }
}
