package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Dataset;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.Provenance;

/**
 * The README's DJL example ({@code LearnedDjlOptimizer} in {@code EasyTrain.fit}), taken from
 * README.md as it stands, compiles and runs: with a two-net optimizer file the test writes in
 * place of {@code runs/conv/train/optimizer.json} and 16 random images as {@code trainingSet}.
 */
class DjlReadmeExampleTest {
  static final String HEADING = "## DJL: your own model, conv nets, the paper's CIFAR experiment"
      + " (module `djl`)";
  static final String FILE_IN_README = "runs/conv/train/optimizer.json";

  @TempDir Path dir;

  @Test
  void theReadmeExampleCompilesAndRuns() throws Exception {
    String readme = Files.readString(readme());
    int at = readme.indexOf("\n" + HEADING + "\n");
    assertThat(at).as("README has the heading '%s'", HEADING).isNotNegative();
    int open = readme.indexOf("```java\n", at);
    int close = readme.indexOf("\n```", open + 1);
    String snippet = readme.substring(open + "```java\n".length(), close);
    assertThat(snippet).containsOnlyOnce('"' + FILE_IN_README + '"')
        .contains("LearnedDjlOptimizer.builder()").contains("EasyTrain.fit(");

    NetGroups nets = NetGroups.parse("groups(conv=lstm(preset=simple),fc=lstm(preset=simple))");
    float[] w = new float[nets.parameterCount()];
    LstmConfig simple = nets.configs().get(0);
    w[nets.offset(0) + simple.outputWeightOffset()] = -0.01f;
    w[nets.offset(1) + simple.outputWeightOffset()] = -0.01f;
    Path file = dir.resolve("optimizer.json");
    OptimizerFile.write(file, nets, w, new Provenance("conv", null, 1, "test", 0, 0, 0, 0, 0,
        "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z"));
    String body = snippet.replace('"' + FILE_IN_README + '"',
        "\"" + file.toString().replace("\\", "\\\\") + "\"");
    String source = "import ai.djl.Model;\nimport ai.djl.ndarray.types.Shape;\n"
        + "import ai.djl.training.DefaultTrainingConfig;\nimport ai.djl.training.EasyTrain;\n"
        + "import ai.djl.training.Trainer;\n"
        + "import ai.djl.training.initializer.NormalInitializer;\n"
        + "import ai.djl.training.loss.Loss;\nimport org.l2l4j.djl.ConvFamily;\n"
        + "import org.l2l4j.djl.LearnedDjlOptimizer;\n"
        + "public final class DjlReadmeExample {\n"
        + "  public static void run(ai.djl.training.dataset.Dataset trainingSet) throws Exception {\n"
        + body + "\n  }\n}\n";
    Path src = Files.createDirectories(dir.resolve("src")).resolve("DjlReadmeExample.java");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(src, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK with javac").isNotNull();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc = javac.run(null, diagnostics, diagnostics, "-proc:none", "-cp",
        System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
    assertThat(rc).as("javac on\n%s\n%s", source, diagnostics).isZero();

    SplittableRandom r = new SplittableRandom(2);
    float[] x = new float[16 * 28 * 28];
    float[] y = new float[16];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(10);
    }
    try (NDManager m = NDManager.newBaseManager(DjlEngine.NAME);
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
            DjlReadmeExampleTest.class.getClassLoader())) {
      Dataset set = new ArrayDataset.Builder().setData(m.create(x, new Shape(16, 1, 28, 28)))
          .optLabels(m.create(y)).setSampling(8, false).build();
      loader.loadClass("DjlReadmeExample").getMethod("run", Dataset.class).invoke(null, set);
    }
  }

  static Path readme() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("djl"))) {
        return p.resolve("README.md");
      }
    }
    throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
  }
}
