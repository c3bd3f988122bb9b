package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.problem.ProblemFamilyProvider;
import org.l2l4j.util.Json;

/**
 * A user's own problem family from a jar: the test compiles the README's "Your own problem
 * family" example (a family and its {@link ProblemFamilyProvider}, taken from README.md) with javac,
 * writes the services file, jars it, and runs {@code l2l4j train} and {@code eval} in child JVMs
 * with the jar on the class path (as the launcher does with {@code L2L4J_CLASSPATH}). A missing
 * jar, a services file naming a missing class and a name clash with a built-in family are one-line
 * errors.
 */
class ProblemFamilyJarTest extends ChildJvmTest {
  static final long LIMIT_SECONDS = 60;
  static final String SERVICES = "META-INF/services/" + ProblemFamilyProvider.class.getName();

  /** The example of README.md's "Your own problem family": the family {@code bowl(dim=N)}. */
  static String bowlSource() throws IOException {
    String readme = null;
    for (Path p = Path.of("").toAbsolutePath(); p != null && readme == null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("cli"))) {
        readme = Files.readString(p.resolve("README.md"));
      }
    }
    assertThat(readme).as("README.md above %s", Path.of("").toAbsolutePath()).isNotNull();
    int section = readme.indexOf("\n## Your own problem family\n");
    assertThat(section).as("README section 'Your own problem family'").isPositive();
    int open = readme.indexOf("```java\npackage com.example.bowl;", section);
    assertThat(open).as("README's BowlProvider example").isPositive();
    int close = readme.indexOf("\n```", open + 1);
    assertThat(readme.substring(section)).as("README names the services line")
        .contains("META-INF/services/org.l2l4j.problem.ProblemFamilyProvider",
            "com.example.bowl.BowlProvider");
    return readme.substring(open + "```java\n".length(), close + 1);
  }

  /** A provider that takes the name of a built-in family. */
  static final String CLASH = """
      package com.example.clash;

      import org.l2l4j.problem.ProblemFamily;
      import org.l2l4j.problem.ProblemFamilyProvider;
      import org.l2l4j.util.Spec;

      public final class QuadraticProvider implements ProblemFamilyProvider {
        @Override
        public String name() {
          return "quadratic";
        }

        @Override
        public ProblemFamily create(Spec spec) {
          throw new UnsupportedOperationException();
        }
      }
      """;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void trainAndEvalRunOnAFamilyFromAJar() throws Exception {
    Path jar = jar("bowl", "com.example.bowl.BowlProvider", bowlSource());
    Path out = dir.resolve("run");
    Result train = l2l4j(jar, "train", "--problem", "bowl(dim=7)", "--epochs", "3", "--steps",
        "10", "--unroll", "5", "--validate-every", "1", "--validation-problems", "2",
        "--threads", "1", "--quiet", "--out", out.toString());
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("trained lstm(", " on bowl(dim=7): 3 epochs");
    OptimizerFile.Loaded loaded = OptimizerFile.read(out.resolve(Workflows.OPTIMIZER_FILE));
    assertThat(loaded.provenance()).containsEntry("problem", "bowl(dim=7)");

    Path report = dir.resolve("report");
    Result eval = l2l4j(jar, "eval", "--problem", "bowl(dim=7)", "--optimizer",
        out.resolve(Workflows.OPTIMIZER_FILE).toString(), "--baselines", "sgd", "--grid",
        "0.01,0.1", "--problems", "3", "--tune-problems", "2", "--steps", "10", "--threads", "1",
        "--quiet", "--out", report.toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary =
        (Map<String, Object>) Json.parse(Files.readString(report.resolve("summary.json")));
    assertThat(summary).containsEntry("problem", "bowl(dim=7)");
    assertThat((List<?>) summary.get("optimizers")).hasSize(2);
  }

  @Test
  void withoutTheJarTheFamilyIsUnknown() {
    CliTest.Run r = CliTest.run("train", "--problem", "bowl(dim=7)", "--out",
        dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("l2l4j: error: unknown problem 'bowl'; known: simple,")
        .contains(ProblemFamilyProvider.class.getName());
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  @Timeout(value = 100, unit = TimeUnit.SECONDS)
  void aMissingProviderClassAndANameClashAreOneLineErrors() throws Exception {
    Path missing = jar("missing", "com.example.Missing", null);
    Result r = l2l4j(missing, "train", "--problem", "quadratic", "--out",
        dir.resolve("a").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("l2l4j: error: cannot load a problem family provider:"
        + " Provider com.example.Missing not found (listed in " + missing + ")");

    Path clash = jar("clash", "com.example.clash.QuadraticProvider", CLASH);
    Result c = l2l4j(clash, "tune", "--problem", "quadratic", "--baselines", "sgd");
    assertThat(c.code()).isEqualTo(1);
    assertThat(c.errLines()).containsExactly("l2l4j: error: problem family 'quadratic' is"
        + " defined twice: built in and by com.example.clash.QuadraticProvider (" + clash
        + "); rename the provider's family");
  }

  record Result(int code, String out, String err) {
    /** Standard error without the JVM's incubator warning. */
    List<String> errLines() {
      return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }
  }

  /**
   * A jar with {@code provider} named in the services file and, if {@code source} is given, that
   * class compiled from it.
   */
  private Path jar(String name, String provider, String source) throws IOException {
    Path classes = dir.resolve(name + "-classes");
    Files.createDirectories(classes);
    if (source != null) {
      Path src = dir.resolve(name + "-src").resolve(provider.replace('.', '/') + ".java");
      Files.createDirectories(src.getParent());
      Files.writeString(src, source);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      assertThat(javac).as("a JDK with javac").isNotNull();
      ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
      int rc = javac.run(null, diagnostics, diagnostics, "-proc:none", "-cp",
          System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
      assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
    }
    Path jar = dir.resolve(name + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      out.putNextEntry(new JarEntry(SERVICES));
      out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Runs the CLI in a child JVM with {@code jar} on the class path after the test class path. */
  private Result l2l4j(Path jar, String... args) throws Exception {
    String name = "child" + jvms.started();
    Process p = jvms.start(name, List.of(), List.of(jar), List.of(args));
    assertThat(p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).as("%s finished", args[0]).isTrue();
    return new Result(p.exitValue(), jvms.out(name), jvms.err(name));
  }
}
