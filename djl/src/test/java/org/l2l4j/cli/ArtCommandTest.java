package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.djl.art.ArtFamilyTest;
import org.l2l4j.djl.art.ArtGrid;
import org.l2l4j.djl.art.ArtImagesTest;
import org.l2l4j.learned.OptimizerFile;

/** {@code l2l4j art} end to end on tiny images the test writes, and its bad input. */
class ArtCommandTest {
  @TempDir Path dir;

  static final String[] TINY = {"--size", "16", "--large-size", "24", "--epochs", "2",
      "--steps", "4", "--unroll", "2", "--validate-every", "1", "--validation-problems", "1",
      "--problems", "2", "--tune-problems", "1", "--grid", "0.001,0.01,0.1,1,10", "--quiet"};

  /** {@code more}, then the flags of {@link #TINY} that {@code more} does not give. */
  static String[] args(String... more) {
    return ConvCommandTest.withDefaults(TINY, more);
  }

  @Test
  void tinyRunReportsEveryCaseWithItsImageGrid() throws Exception {
    Path data = ArtFamilyTest.images(Files.createDirectories(dir.resolve("data")));
    Path out = dir.resolve("out");
    ConvCommandTest.Run r = ConvCommandTest.run(args("art", "--data", data.toString(), "--out",
        out.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    // by default: the shipped general optimizer fine-tuned at outer lr 1e-4 with random loss
    // scaling (a mixture of the training problems at three scales), validated at --large-size
    OptimizerFile.Loaded trainedFile = OptimizerFile.read(out.resolve("train/optimizer.json"));
    assertThat(trainedFile.provenance().get("problem")).isEqualTo("mix(x1=art(style=gravel.png,"
            + "contents=train,size=16,alpha=1,beta=20000,gamma=1,dir=" + data + "),x0.5=art(style="
            + "gravel.png,contents=train,size=16,alpha=0.5,beta=10000,gamma=0.5,dir=" + data
            + "),x0.25=art(style=gravel.png,contents=train,size=16,alpha=0.25,beta=5000,"
            + "gamma=0.25,dir=" + data + "),validation=art(style=gravel.png,contents=train,"
            + "size=24,alpha=1,beta=20000,gamma=1,dir=" + data + "))");
    assertThat(trainedFile.provenance()).containsEntry("start", "pretrained:general");
    assertThat((String) trainedFile.provenance().get("trainer"))
        .contains("outer=adam(lr=1e-4,");
    assertThat(trainedFile.nets().spec())
        .isEqualTo(OptimizerFile.readPretrained("general").nets().spec());
    int[] sizes = {16, 24, 24};
    String[] styles = {"gravel.png", "gravel.png", "grass.png"};
    for (int k = 0; k < 3; k++) {
      Path c = out.resolve("case-" + "abc".charAt(k));
      String s = Files.readString(c.resolve("summary.json"));
      for (String o : new String[] {"\"lstm\"", "\"sgd\"", "\"rmsprop\"", "\"adam\"", "\"nag\""}) {
        assertThat(s).as("case %s has %s", k, o).contains(o);
      }
      assertThat(s).contains("\"problem\": \"art(style=" + styles[k] + ",contents=test,size="
          + sizes[k] + ",alpha=1,beta=20000,gamma=1,dir=" + data + ")\"");
      assertThat(c.resolve("plot.png")).exists();
      BufferedImage grid = ImageIO.read(c.resolve("images.png").toFile());
      // content, style, lstm and the four baselines; two test contents
      assertThat(grid.getWidth()).isEqualTo(ArtGrid.width(7, sizes[k]));
      assertThat(grid.getHeight()).isEqualTo(ArtGrid.height(2, sizes[k]));
    }
    assertThat(ArtGrid.width(7, 16)).isEqualTo(7 * (128 + 4) + 4);
    assertThat(out.resolve("index.html")).exists();
    assertThat(r.out()).contains("report: " + out.resolve("index.html"))
        .contains("data: scikit-image sample images in " + data);

    // the trained file again, without meta-training, on one thread: the same case (a) results
    // and the same image grid
    Path again = dir.resolve("again");
    ConvCommandTest.Run t = ConvCommandTest.run(args("art", "--data", data.toString(), "--out",
        again.toString(), "--cases", "a", "--threads", "1", "--trained",
        out.resolve("train/optimizer.json").toString()));
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(again.resolve("train")).doesNotExist();
    assertThat(again.resolve("case-b")).doesNotExist();
    for (String o : new String[] {"lstm", "adam", "nag"}) {
      assertThat(ConvCommandTest.summaryMeans(again.resolve("case-a/summary.json"), o))
          .isEqualTo(ConvCommandTest.summaryMeans(out.resolve("case-a/summary.json"), o));
    }
    assertThat(Files.readAllBytes(again.resolve("case-a/images.png")))
        .isEqualTo(Files.readAllBytes(out.resolve("case-a/images.png")));
  }

  /** {@code --trained general} runs the optimizer shipped in the jar, with no meta-training. */
  @Test
  void trainedGeneralUsesTheShippedOptimizer() throws Exception {
    Path data = ArtFamilyTest.images(Files.createDirectories(dir.resolve("data")));
    Path out = dir.resolve("general");
    ConvCommandTest.Run r = ConvCommandTest.run(args("art", "--data", data.toString(), "--out",
        out.toString(), "--cases", "a", "--trained", "general"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.resolve("train")).doesNotExist();
    String s = Files.readString(out.resolve("case-a/summary.json"));
    assertThat(s).contains("\"lstm\"").contains("norm=0.99");
    assertThat(error(args("art", "--data", data.toString(), "--out", dir.resolve("x").toString(),
        "--trained", "nosuch.json"))).contains("nosuch.json");
  }

  /**
   * {@code --init-from general} fine-tunes the shipped optimizer (its net, recorded as the start);
   * with {@code --trained} it is refused in one line.
   */
  @Test
  void initFromGeneralFineTunesTheShippedOptimizer() throws Exception {
    Path data = ArtFamilyTest.images(Files.createDirectories(dir.resolve("data")));
    OptimizerFile.Loaded f = trainOnly(data, "ft", "--init-from", "general");
    assertThat(f.provenance()).containsEntry("start", "pretrained:general");
    assertThat((String) f.provenance().get("trainer")).contains("outer=adam(lr=1e-4,");
    assertThat(f.nets().spec())
        .isEqualTo(OptimizerFile.readPretrained("general").nets().spec());
    assertThat(error(args("art", "--data", data.toString(), "--out", dir.resolve("y").toString(),
        "--trained", "general", "--init-from", "general"))).contains("not both");
  }

  /**
   * Meta-trains for case (a) alone, without baselines, on the test's images into {@code
   * dir/name}, with {@code flags} beside {@link #TINY}'s; checks the run succeeded and returns
   * the trained optimizer file.
   */
  private OptimizerFile.Loaded trainOnly(Path data, String name, String... flags)
      throws Exception {
    Path out = dir.resolve(name);
    String[] a = new String[flags.length + 9];
    System.arraycopy(new String[] {"art", "--data", data.toString(), "--out", out.toString(),
        "--cases", "a", "--baselines", "none"}, 0, a, 0, 9);
    System.arraycopy(flags, 0, a, 9, flags.length);
    ConvCommandTest.Run r = ConvCommandTest.run(args(a));
    assertThat(r.code()).as(r.err()).isZero();
    return OptimizerFile.read(out.resolve("train/optimizer.json"));
  }

  /** Runs and returns the error output, checking one error line and a non-zero status. */
  private String error(String... a) {
    ConvCommandTest.Run r = ConvCommandTest.run(a);
    assertThat(r.code()).as(r.out()).isNotZero();
    assertThat(r.err()).startsWith("l2l4j: error: ").doesNotContain("\tat ");
    assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    return r.err().strip();
  }

  @Test
  void badInputGetsOneLineNamingTheFileOrFlag() throws Exception {
    Path data = ArtFamilyTest.images(Files.createDirectories(dir.resolve("data")));
    String out = dir.resolve("out").toString();
    assertThat(error(args("art", "--data", data.toString(), "--out", out, "--size", "20")))
        .isEqualTo("l2l4j: error: --size: unsupported size 20; supported: multiples of 8 from"
            + " 16 to 512");
    assertThat(error(args("art", "--data", data.toString(), "--out", out, "--style",
        "nosuch.png"))).startsWith("l2l4j: error: --style: unknown style 'nosuch.png'");
    Files.delete(data.resolve("coffee.png"));
    assertThat(error(args("art", "--data", data.toString(), "--out", out)))
        .isEqualTo("l2l4j: error: " + data.resolve("coffee.png") + ": no such image file");
    Files.writeString(data.resolve("coffee.png"), "text");
    assertThat(error(args("art", "--data", data.toString(), "--out", out)))
        .startsWith("l2l4j: error: " + data.resolve("coffee.png") + ": not a readable image");
    ArtImagesTest.png(data.resolve("coffee.png"), 40, 40, BufferedImage.TYPE_4BYTE_ABGR, 1);
    assertThat(error(args("art", "--data", data.toString(), "--out", out)))
        .contains("coffee.png: has an alpha channel");
    ArtImagesTest.png(data.resolve("coffee.png"), 40, 40, BufferedImage.TYPE_USHORT_GRAY, 1);
    assertThat(error(args("art", "--data", data.toString(), "--out", out)))
        .contains("coffee.png: 16-bit samples");
    ArtImagesTest.png(data.resolve("coffee.png"), 20, 40, BufferedImage.TYPE_3BYTE_BGR, 1);
    assertThat(error(args("art", "--data", data.toString(), "--out", out)))
        .isEqualTo("l2l4j: error: coffee.png: 20x40 pixels, too small for the working size"
            + " 24x24");
    assertThat(error(args("art", "--data", data.toString(), "--out", out,
        "--validation-size", "12"))).isEqualTo("l2l4j: error: --validation-size: unsupported"
            + " size 12; supported: multiples of 8 from 16 to 512");
    for (String bad : new String[] {"0", "abc", "1,1", "-1", ""}) {
      assertThat(error(args("art", "--data", data.toString(), "--out", out, "--loss-scales",
          bad))).as(bad).startsWith("l2l4j: error: --loss-scales: ");
    }
    assertThat(Files.exists(Path.of(out))).isFalse();
  }

  @Test
  void lossScalesOneMetaTrainsOnThePlainProblems() throws Exception {
    Path data = ArtFamilyTest.images(Files.createDirectories(dir.resolve("data")));
    OptimizerFile.Loaded f = trainOnly(data, "plain", "--loss-scales", "1", "--epochs", "1",
        "--validation-size", "16", "--optimizer", "lstm(preset=paper,init=zero-output)");
    assertThat(f.provenance().get("problem")).isEqualTo("art(style=gravel.png,contents=train,"
        + "size=16,alpha=1,beta=20000,gamma=1,dir=" + data + ")");
    // --optimizer: from random weights, at the paper's outer learning rate
    assertThat(f.provenance()).doesNotContainKey("start");
    assertThat((String) f.provenance().get("trainer")).contains("outer=adam(lr=0.001,");
    assertThat(f.nets().spec()).startsWith("lstm(layers=20x20,preproc=log-sign");
  }

  /**
   * {@code --validation-size}: the training problems stay at --size, the validation problems are
   * the training style on the meta-training contents at the other size.
   */
  @Test
  void validationSizeValidatesOnLargerTrainingProblems() throws Exception {
    Path data = ArtFamilyTest.images(Files.createDirectories(dir.resolve("data")));
    assertThat(trainOnly(data, "valid", "--loss-scales", "1", "--epochs", "1",
        "--validation-size", "24", "--large-size", "32").provenance().get("problem")).isEqualTo("mix(x1=art(style=gravel.png,contents=train,size=16,alpha=1,"
            + "beta=20000,gamma=1,dir=" + data + "),validation=art(style=gravel.png,"
            + "contents=train,size=24,alpha=1,beta=20000,gamma=1,dir=" + data + "))");
  }
}
