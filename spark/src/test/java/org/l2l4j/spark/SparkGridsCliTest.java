package org.l2l4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.cli.Main;
import picocli.CommandLine;

/**
 * {@code l2l4j eval ... --spark local[2]} (the session opened through {@link
 * org.l2l4j.cli.ClusterGrids}): the same table and the same {@code summary.json} and {@code
 * curves.csv} bytes as without {@code --spark}.
 */
class SparkGridsCliTest {
  @TempDir Path dir;

  /** Runs the command; returns its standard output, with the output folder's name made neutral. */
  private static String run(Path out, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("eval", "--problem", "quadratic(dim=4)",
        "--optimizer", "general", "--baselines", "sgd,adam", "--grid", "0.01,0.1,1",
        "--tune-problems", "2", "--problems", "3", "--steps", "10", "--quiet", "--out",
        out.toString()));
    args.addAll(List.of(more));
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    int code;
    try {
      CommandLine cl = Main.commandLine();
      code = cl.execute(args.toArray(String[]::new));
      cl.getOut().flush();
    } finally {
      System.setOut(old);
    }
    assertThat(code).as("exit code of %s", args).isZero();
    return buf.toString().replace(out.toString(), "OUT");
  }

  @Test
  void evalOnSparkWritesTheLocalReport() throws Exception {
    Path local = dir.resolve("local");
    Path spark = dir.resolve("spark");
    String localOut = run(local);
    String sparkOut = run(spark, "--spark", "local[2]");
    assertThat(sparkOut).isEqualTo(localOut).contains("sgd").contains("adam").contains("lstm");
    for (String f : new String[] {"summary.json", "curves.csv"}) {
      assertThat(Files.readAllBytes(spark.resolve(f))).as(f)
          .isEqualTo(Files.readAllBytes(local.resolve(f)));
    }
  }
}
