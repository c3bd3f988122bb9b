package org.l2l4j.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.l2l4j.problem.data.DataException;
import org.l2l4j.problem.data.DataSource;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.InputFiles;

/**
 * Reads the CIFAR-10 binary version ({@code cifar-10-binary.tar.gz} unpacked): {@code
 * data_batch_1.bin} … {@code data_batch_5.bin} (the {@link Split#TRAIN} split, 50,000 images) and
 * {@code test_batch.bin} ({@link Split#TEST}, 10,000). Each file is a sequence of 3,073-byte
 * records: one label byte (0–9), then the 32 × 32 red, green and blue planes, row-major. The
 * result is an {@link ImageData} of 3 × 32 × 32 images.
 *
 * <p>A folder holds CIFAR-10 when it has {@code data_batch_1.bin}; it is looked for in {@code
 * DIR/cifar-10-batches-bin}, {@code DIR/cifar10} and {@code DIR}, where DIR is the {@code dir=}
 * of a spec, else the CLI's {@code --data} folder, else the data cache ({@link
 * DataSets#cacheDirectory()}). CIFAR-10 is not installed on this machine and is never
 * downloaded.
 */
public final class CifarReader {
  /** The data set's name in specs. */
  public static final String NAME = "cifar10";
  /** Bytes per record: a label and 3 × 32 × 32 pixels. */
  public static final int RECORD_BYTES = 3073;
  /** Image side. */
  public static final int SIDE = 32;
  /** Colour channels. */
  public static final int CHANNELS = 3;
  /** Classes. */
  public static final int CLASSES = 10;
  /** The largest file accepted (the real ones hold 30,730,000 bytes). */
  public static final long MAX_FILE_BYTES = 200_000_000L;
  /** The training files. */
  public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
      "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  /** The test file. */
  public static final String TEST_FILE = "test_batch.bin";

  private CifarReader() {}

  /**
   * The files of one split in {@code folder}.
   *
   * @param folder a folder holding the binary version
   */
  public static List<Path> files(Path folder, Split split) {
    List<Path> out = new ArrayList<>();
    for (String f : split == Split.TRAIN ? TRAIN_FILES : List.of(TEST_FILE)) {
      out.add(folder.resolve(f));
    }
    return out;
  }

  /**
   * The folder that holds CIFAR-10: in {@code dir} if given, else in the default directory (the
   * CLI's {@code --data}), else in the data cache.
   *
   * @throws DataException naming where it looked, if none holds {@code data_batch_1.bin}
   */
  public static Path locate(Path dir) {
    Path base = dir != null ? dir : DataSets.defaultDirectory();
    String how = dir != null ? "dir=" + dir : base != null ? "--data " + base : null;
    if (base == null) {
      base = DataSets.cacheDirectory();
    }
    List<Path> tried = List.of(base.resolve("cifar-10-batches-bin"), base.resolve(NAME), base);
    for (Path p : tried) {
      if (Files.isRegularFile(p.resolve(TRAIN_FILES.get(0)))) {
        return p;
      }
    }
    throw new DataException((how != null ? how + ": no" : "cifar10: no") + " CIFAR-10 binary files"
        + " (data_batch_1..5.bin, test_batch.bin) in " + tried.get(0) + ", " + tried.get(1)
        + " or " + tried.get(2) + "; CIFAR-10 cannot be downloaded here: unpack"
        + " cifar-10-binary.tar.gz and pass --data DIR");
  }

  /**
   * Reads the files in order as one data set.
   *
   * @param files the files (each a whole number of records)
   * @param source the description stored in the data set
   * @throws DataException naming the file if one is missing, not a regular file, too large, not
   *     a whole number of records (or empty), or holds a label above 9
   */
  public static ImageData read(List<Path> files, String source) {
    List<byte[]> parts = new ArrayList<>();
    long records = 0;
    for (Path f : files) {
      byte[] b = readFile(f);
      if (b.length == 0 || b.length % RECORD_BYTES != 0) {
        throw new DataException(f + ": " + b.length + " bytes is not a whole number of "
            + RECORD_BYTES + "-byte CIFAR-10 records");
      }
      for (int r = 0, n = b.length / RECORD_BYTES; r < n; r++) {
        int label = b[r * RECORD_BYTES] & 0xff;
        if (label >= CLASSES) {
          throw new DataException(f + ": record " + r + " has label " + label + ", outside 0.."
              + (CLASSES - 1));
        }
      }
      parts.add(b);
      records += b.length / RECORD_BYTES;
    }
    if (records == 0) {
      throw new DataException(source + ": no CIFAR-10 files given");
    }
    int pixels = RECORD_BYTES - 1;
    byte[] px = new byte[Math.toIntExact(records * pixels)];
    byte[] lb = new byte[(int) records];
    int i = 0;
    for (byte[] b : parts) {
      for (int r = 0, n = b.length / RECORD_BYTES; r < n; r++, i++) {
        lb[i] = b[r * RECORD_BYTES];
        System.arraycopy(b, r * RECORD_BYTES + 1, px, i * pixels, pixels);
      }
    }
    return new ImageData(px, lb, CHANNELS, SIDE, SIDE, CLASSES, source);
  }

  /** Reads one split from the folder {@link #locate} finds for {@code dir}. */
  public static ImageData load(Path dir, Split split) {
    Path folder = locate(dir);
    return read(files(folder, split), "cifar10 " + split.specName() + " split: " + folder);
  }

  /**
   * Where CIFAR-10 is read from for {@code dir} (as {@link #locate}), with the SHA-256 of the six
   * files' bytes, for provenance and the commands' {@code data:} line. Reads both splits.
   *
   * @throws DataException as {@link #load}
   */
  public static DataSource source(Path dir) {
    Path folder = locate(dir);
    List<Path> files = new ArrayList<>(files(folder, Split.TRAIN));
    files.addAll(files(folder, Split.TEST));
    int train = load(dir, Split.TRAIN).count();
    int test = load(dir, Split.TEST).count();
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (Path f : files) {
      md.update(readFile(f));
    }
    return new DataSource(NAME, "cifar10: CIFAR-10 binary files", folder, files,
        HexFormat.of().formatHex(md.digest()), train, test);
  }

  private static byte[] readFile(Path f) {
    try {
      return InputFiles.read(f, MAX_FILE_BYTES);
    } catch (NoSuchFileException e) {
      throw new DataException(f + ": file not found", e);
    } catch (IOException e) {
      throw new DataException(f + ": " + e.getMessage(), e);
    }
  }
}
