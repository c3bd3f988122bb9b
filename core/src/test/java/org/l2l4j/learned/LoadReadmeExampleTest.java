package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using a trained optimizer" example, taken from README.md as it stands, compiles
 * against core and runs on an optimizer file written here (its file name replaced by the temporary
 * file's; nothing else is changed).
 */
class LoadReadmeExampleTest {
  static final String HEADING = "### Using a trained optimizer";
  static final String FILE_IN_README = "runs/q/optimizer.json";

  @TempDir Path dir;

  @Test
  void theReadmeExampleCompilesAndRuns() throws Exception {
    String snippet = snippet(readme());
    assertThat(snippet).as("one line loads the optimizer").containsOnlyOnce("LearnedOptimizer.load(");
    assertThat(snippet).containsOnlyOnce('"' + FILE_IN_README + '"');

    Path file = dir.resolve("optimizer.json");
    LstmConfig config = LstmConfig.parse("lstm(preset=quadratic)");
    OptimizerFile.write(file, config, LstmWeights.init(config, new SplittableRandom(5)),
        new Provenance("quadratic", null, 1, "meta(seed=1)", 10, 5,
        0.25, 0, 2.5, "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z"));
    String runnable = snippet.replace('"' + FILE_IN_README + '"',
        "\"" + file.toString().replace("\\", "\\\\") + "\"");
    List<String> imports = new ArrayList<>();
    List<String> body = new ArrayList<>();
    for (String line : runnable.lines().toList()) {
      (line.startsWith("import ") ? imports : body).add(line);
    }
    String source = String.join("\n", imports) + "\npublic final class ReadmeExample {\n"
        + "  public static void run() throws Exception {\n" + String.join("\n", body) + "\n  }\n}\n";
    Path src = dir.resolve("src/ReadmeExample.java");
    Path classes = dir.resolve("classes");
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, source);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK with javac").isNotNull();
    String coreClasses =
        Path.of(LearnedOptimizer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc = javac.run(null, diagnostics, diagnostics, "-proc:none", "-cp", coreClasses, "-d",
        classes.toString(), src.toString());
    assertThat(rc).as("javac on\n%s\n%s", source, diagnostics).isZero();

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        LearnedOptimizer.class.getClassLoader())) {
      loader.loadClass("ReadmeExample").getMethod("run").invoke(null);
    }
  }

  /** The first java code block after {@link #HEADING}. */
  static String snippet(String readme) {
    int at = readme.indexOf("\n" + HEADING + "\n");
    assertThat(at).as("README has the heading '%s'", HEADING).isNotNegative();
    int open = readme.indexOf("```java\n", at);
    int close = readme.indexOf("\n```", open + 1);
    assertThat(open).isPositive();
    assertThat(close).isPositive();
    return readme.substring(open + "```java\n".length(), close);
  }

  static String readme() throws Exception {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("README.md");
      if (Files.isRegularFile(candidate) && Files.isDirectory(p.resolve("core"))) {
        return Files.readString(candidate);
      }
    }
    throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
  }
}
