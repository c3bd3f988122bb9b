package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.eval.Goals;
import org.l2l4j.eval.Tuner;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.Provenance;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.Nag;
import org.l2l4j.optim.RmsProp;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Json;

/**
 * {@code l2l4j suite} on two cheap tasks: the table and summary.json against the per-task curves,
 * tuning per horizon against tuning for that horizon alone, the folders, the diverged flag, and
 * one-line errors.
 */
class SuiteCommandTest {
  private static final String[] TASKS = {"quad-2", "quad-large"};
  private static final int[] HORIZONS = {20, 100, 120};
  private static final String GRID = "0.001,0.01,0.1";
  private static final int PROBLEMS = 2;
  private static final int TUNE_PROBLEMS = 2;
  private static final long SEED = 1000;

  @TempDir Path dir;
  private Path descent;
  private Path ascent;

  /**
   * Two one-parameter learned optimizers, {@code lstm(preset=simple)} (update = w·∇ + b): w = −0.05
   * is gradient descent with rate 0.05, w = +0.05 gradient ascent, which must diverge.
   */
  @BeforeEach
  void optimizers() throws Exception {
    LstmConfig simple = LstmConfig.parse("lstm(preset=simple)");
    Provenance p = new Provenance("quadratic(preset=paper)", null, 1, "meta(epochs=1,seed=1)", 1, 1,
        1, 0, 0, "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z");
    descent = dir.resolve("descent.json");
    ascent = dir.resolve("ascent.json");
    OptimizerFile.write(descent, simple, new float[] {-0.05f, 0}, p);
    OptimizerFile.write(ascent, simple, new float[] {0.05f, 0}, p);
  }

  private CliTest.Run suite(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("suite", "--tasks", String.join(",", TASKS),
        "--horizons", "120,20,100", "--problems", Integer.toString(PROBLEMS), "--tune-problems",
        Integer.toString(TUNE_PROBLEMS), "--grid", GRID, "--threads", "2", "--out",
        out.toString()));
    args.addAll(List.of(more));
    return CliTest.run(args.toArray(String[]::new));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Path p) throws Exception {
    return (Map<String, Object>) Json.parse(Files.readString(p));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  private static double num(Object o) {
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }

  @Test
  @SuppressWarnings("unchecked")
  void tinySuiteReportsEveryTaskAndHorizonConsistentlyWithItsCurves() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Run r = suite(out, "--optimizer", descent.toString(), "--optimizer",
        ascent.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("estimated run time about");

    // folders: per task an index and a report per horizon
    assertThat(out.resolve("index.html")).isRegularFile();
    assertThat(out.resolve("summary.json")).isRegularFile();
    for (String t : TASKS) {
      assertThat(out.resolve("task-" + t + "/index.html")).isRegularFile();
      for (int h : HORIZONS) {
        for (String f : new String[] {"plot.png", "curves.csv", "summary.json", "index.html"}) {
          assertThat(out.resolve("task-" + t + "/steps-" + h + "/" + f)).isRegularFile();
        }
      }
    }

    String index = Files.readString(out.resolve("index.html"));
    for (String t : TASKS) {
      for (int h : HORIZONS) {
        assertThat(index).contains("href=\"task-" + t + "/steps-" + h + "/index.html\"");
      }
    }
    assertThat(Files.readString(out.resolve("task-quad-2/index.html")))
        .contains("href=\"steps-120/index.html\"");

    Map<String, Object> summary = json(out.resolve("summary.json"));
    assertThat(summary.get("horizons")).isEqualTo(List.of(20.0, 100.0, 120.0));
    assertThat(summary.get("test_problems")).isEqualTo((double) PROBLEMS);
    assertThat(summary.get("tune_problems")).isEqualTo((double) TUNE_PROBLEMS);
    assertThat(list(summary.get("tasks"))).extracting(m -> m.get("name"))
        .containsExactly((Object[]) TASKS);
    List<Map<String, Object>> rows = list(summary.get("rows"));
    assertThat(rows).hasSize(TASKS.length * HORIZONS.length * 2);
    String[] tableLines = r.out().split("\n");
    int divergedRows = 0;
    for (Map<String, Object> row : rows) {
      String task = (String) row.get("task");
      int h = (int) num(row.get("steps"));
      String name = (String) row.get("optimizer");
      assertThat(row.get("folder")).isEqualTo("task-" + task + "/steps-" + h);
      Map<String, Object> report = json(out.resolve(row.get("folder") + "/summary.json"));
      assertThat(report.get("steps")).isEqualTo((double) h);
      assertThat(report.get("task")).isEqualTo(task);
      List<Map<String, Object>> opts = list(report.get("optimizers"));
      Map<String, Object> mine = opts.stream().filter(o -> o.get("name").equals(name)).findFirst()
          .orElseThrow();
      List<?> mean = (List<?>) mine.get("mean");
      double start = num(mean.get(0));
      double last = num(mean.get(h));
      assertThat((Double) num(row.get("start"))).isEqualTo((Double) (start));
      assertThat((Double) num(row.get("final"))).isEqualTo((Double) (last));
      boolean diverged = !(last <= start);
      assertThat(row.get("diverged")).isEqualTo(diverged).isEqualTo(mine.get("diverged"));
      divergedRows += diverged ? 1 : 0;

      // the best baseline: lowest final mean among the baselines that did not diverge
      String best = null;
      double bestLast = Double.NaN;
      double adam = Double.NaN;
      for (Map<String, Object> o : opts) {
        if (Boolean.TRUE.equals(o.get("learned"))) {
          continue;
        }
        double f = num(o.get("final_mean"));
        if (o.get("name").equals("adam")) {
          adam = f;
        }
        if (!Boolean.TRUE.equals(o.get("diverged")) && (best == null || f < bestLast)) {
          best = (String) o.get("name");
          bestLast = f;
        }
      }
      Map<String, Object> goals = (Map<String, Object>) row.get("goals");
      assertThat(goals.get("below_start")).isEqualTo(last < start);
      assertThat(goals.get("below_own_step_100"))
          .isEqualTo(h > Goals.STEP ? (Object) (last < num(mean.get(Goals.STEP))) : null);
      assertThat(goals.get("below_adam_at_step_100"))
          .isEqualTo(h == Goals.STEP ? (Object) (last < adam) : null);
      if (best == null) {
        assertThat(row.get("best_baseline")).isNull();
      } else {
        Map<String, Object> b = (Map<String, Object>) row.get("best_baseline");
        assertThat(b.get("name")).isEqualTo(best);
        assertThat((Double) num(b.get("final"))).isEqualTo((Double) (bestLast));
        assertThat((Double) num(row.get("ratio"))).isEqualTo((Double) (last / bestLast));
        boolean near = last <= Goals.FACTOR * bestLast
            || (last < Goals.TINY * start && bestLast < Goals.TINY * start);
        assertThat(goals.get("within_2x_of_best")).isEqualTo(near);
      }

      // the table's row says the same
      String line = findRow(tableLines, name, task, h);
      String[] cells = line.trim().split("\\s+");
      assertThat(List.of(cells).subList(cells.length - 4, cells.length))
          .as("table row of %s %s %d", name, task, h)
          .containsExactly(cell(goals.get("below_start")), cell(goals.get("below_own_step_100")),
              cell(goals.get("below_adam_at_step_100")), cell(goals.get("within_2x_of_best")));
      assertThat(line.contains("†")).isEqualTo(diverged);
    }
    // gradient ascent diverges on every task and horizon; descent at rate 0.05 on none of quad-2
    assertThat(divergedRows).isGreaterThanOrEqualTo(TASKS.length * HORIZONS.length);
    assertThat(rows.stream().filter(x -> x.get("optimizer").equals("lstm:ascent.json")))
        .allMatch(x -> Boolean.TRUE.equals(x.get("diverged")));
    assertThat(r.out()).contains("lstm:descent.json: final < start")
        .contains("lstm:ascent.json: final < start 0/6 rows").contains("† marks a run");

    // goal counts in summary.json agree with the rows
    for (Map<String, Object> c : list(summary.get("goal_counts"))) {
      String name = (String) c.get("optimizer");
      long passed = rows.stream().filter(x -> x.get("optimizer").equals(name))
          .filter(x -> Boolean.TRUE.equals(((Map<?, ?>) x.get("goals")).get("below_start")))
          .count();
      assertThat(num(((Map<?, ?>) c.get("below_start")).get("passed"))).isEqualTo(passed);
      assertThat(num(((Map<?, ?>) c.get("below_start")).get("of"))).isEqualTo(6.0);
      assertThat(num(((Map<?, ?>) c.get("below_adam_at_step_100")).get("of"))).isEqualTo(2.0);
      assertThat(num(((Map<?, ?>) c.get("below_own_step_100")).get("of"))).isEqualTo(2.0);
    }
  }

  /**
   * The learning rate reported for each baseline at each horizon is the one that tuning for that
   * horizon alone chooses (the suite tunes all horizons from the same runs of 120 steps).
   */
  @Test
  void eachHorizonsRatesAreThoseOfTuningForThatHorizonAlone() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Run r = suite(out, "--optimizer", descent.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    double[] grid = {0.001, 0.01, 0.1};
    for (String task : TASKS) {
      String spec = task.equals("quad-2") ? "quadratic(dim=2)" : "quadratic(dim=10,scale=100)";
      for (int h : HORIZONS) {
        Map<String, Object> report = json(out.resolve("task-" + task + "/steps-" + h
            + "/summary.json"));
        for (var b : List.of(new Sgd(1), new RmsProp(1, 0.99, 1e-8), new Adam(1),
            new Nag(1, 0.9))) {
          Tuner.Result alone = Tuner.tune(b, grid, Problems.parse(spec), TUNE_PROBLEMS, h, SEED);
          Map<String, Object> o = list(report.get("optimizers")).stream()
              .filter(x -> x.get("name").equals(b.name())).findFirst().orElse(null);
          if (alone.allDiverged()) {
            assertThat(o).as("%s %s %d", task, b.name(), h).isNull();
          } else {
            assertThat(num(o.get("learning_rate"))).as("%s %s %d", task, b.name(), h)
                .isEqualTo(alone.best().learningRate());
          }
        }
      }
    }
    // the same folder again is refused in one line; --overwrite replaces it
    CliTest.Run again = suite(out, "--optimizer", descent.toString(), "--quiet");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err().strip().lines()).hasSize(1);
    assertThat(again.err()).contains("--out").contains("already holds the results");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "--optimizer=general --tasks=quad-3|--tasks: unknown task 'quad-3'; known: quad-2,",
    "--optimizer=general --tasks=quad-2,quad-2|--tasks: task 'quad-2' is given twice",
    "--optimizer=general --horizons=0,100|--horizons: 0 is not between 1 and 1000000",
    "--optimizer=general --horizons=100,abc|--horizons: 'abc' is not a whole number of steps",
    "--optimizer=general --horizons=100,100|--horizons: 100 is given twice",
    "--optimizer=general --horizons=100,|--horizons: empty entry in list '100,'",
    "--optimizer=general --problems=0|--problems must be >= 1, got 0",
    "--optimizer=general --grid=0,1|--grid: learning rates must be finite and > 0, got 0",
    "--optimizer=general --tune-problems=0|--tune-problems must be >= 1, got 0",
    "--optimizer=general --baselines=adamw|unknown",
    "--tasks=quad-2|--optimizer: give a trained optimizer file or 'general' (repeatable)",
    "--optimizer=/no/such/optimizer.json|/no/such/optimizer.json: no such file"
  })
  void badInputGetsOneLine(String line) {
    String[] parts = line.split("\\|");
    List<String> args = new ArrayList<>(List.of("suite", "--out", dir.resolve("bad").toString()));
    args.addAll(List.of(parts[0].split(" ")));
    CliTest.Run r = CliTest.run(args.toArray(String[]::new));
    assertThat(r.code()).as(line).isEqualTo(1);
    assertThat(r.err()).as(line).startsWith("l2l4j: error: " + parts[1]);
    assertThat(r.err().strip().lines()).as(line).hasSize(1);
    assertThat(dir.resolve("bad")).as(line).doesNotExist();
  }

  /** The row of the console table for one optimizer, task and horizon. */
  private static String findRow(String[] lines, String optimizer, String task, int h) {
    for (String l : lines) {
      String[] cells = l.trim().split("\\s+");
      if (cells.length > 3 && cells[0].equals(optimizer) && cells[1].equals(task)
          && cells[2].equals(Integer.toString(h))) {
        return l;
      }
    }
    throw new AssertionError("no table row for " + optimizer + " " + task + " " + h);
  }

  /** How the table writes a goal: yes, no, or "-" where it does not apply. */
  private static String cell(Object b) {
    return b == null ? "-" : Boolean.TRUE.equals(b) ? "yes" : "no";
  }
}
