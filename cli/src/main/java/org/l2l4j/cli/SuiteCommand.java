package org.l2l4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.l2l4j.cli.report.Report;
import org.l2l4j.cli.report.ReportData;
import org.l2l4j.cli.report.SuiteReport;
import org.l2l4j.cli.report.SuiteRow;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Curve;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.eval.Goals;
import org.l2l4j.eval.Tuner;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.MlpFamily;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j suite}: the generalisation suite of issue 13. */
@Command(
    name = "suite",
    mixinStandardHelpOptions = true,
    description = {
      "The generalisation suite: learned optimizers against SGD, RMSprop, Adam and NAG (--baselines),"
          + " each tuned for the task and the horizon, on 12 tasks at several horizons.",
      "Tasks: quadratics of dimension 2, 10, 100 and 1000 (quad-2 ... quad-1000); 10-d quadratics"
          + " with f and its gradient scaled by 0.01 and by 100 (quad-small, quad-large); the MNIST"
          + " base net 784-20-10 with sigmoid units (mnist); 40 hidden units (mnist-40); two hidden"
          + " layers of 20 (mnist-2layers); ReLU (mnist-relu); tanh (mnist-tanh); the base net on"
          + " Fashion-MNIST (fashion). The nets are tuned on the training images and evaluated on"
          + " fresh nets and held-out images.",
      "Each baseline is tuned once per task by runs of the longest horizon on the tuning problems;"
          + " for each horizon H the learning rate with the lowest mean loss at step H wins (a run"
          + " contains its first H steps exactly). Each horizon is then evaluated with runs of H"
          + " steps on the test problems.",
      "Prints a time estimate from a short probe of every task, progress on standard error, and a"
          + " table with a row per task and horizon with the goal checks. Writes OUT/index.html,"
          + " OUT/summary.json and per task OUT/task-NAME/ with a report per horizon"
          + " (steps-H/: plot.png, curves.csv, summary.json, index.html)."
    })
final class SuiteCommand implements Callable<Integer> {
  /** One task of the suite: a name, what it is, and its problem spec (without a split). */
  record Task(String name, String label, String spec) {
    boolean net() {
      return spec.startsWith("mlp(");
    }
  }

  static final List<Task> TASKS = List.of(
      new Task("quad-2", "quadratic, 2 dimensions", "quadratic(dim=2)"),
      new Task("quad-10", "quadratic, 10 dimensions (the paper's)", "quadratic(dim=10)"),
      new Task("quad-100", "quadratic, 100 dimensions", "quadratic(dim=100)"),
      new Task("quad-1000", "quadratic, 1000 dimensions", "quadratic(dim=1000)"),
      new Task("quad-small", "quadratic, 10 dimensions, f and gradient x 0.01",
          "quadratic(dim=10,scale=0.01)"),
      new Task("quad-large", "quadratic, 10 dimensions, f and gradient x 100",
          "quadratic(dim=10,scale=100)"),
      new Task("mnist", "MNIST base net 784-20-10, sigmoid",
          "mlp(data=mnist,hidden=20,activation=sigmoid)"),
      new Task("mnist-40", "MNIST, 40 hidden units", "mlp(data=mnist,hidden=40,activation=sigmoid)"),
      new Task("mnist-2layers", "MNIST, two hidden layers of 20",
          "mlp(data=mnist,hidden=20x20,activation=sigmoid)"),
      new Task("mnist-relu", "MNIST base net, ReLU", "mlp(data=mnist,hidden=20,activation=relu)"),
      new Task("mnist-tanh", "MNIST base net, tanh", "mlp(data=mnist,hidden=20,activation=tanh)"),
      new Task("fashion", "Fashion-MNIST base net 784-20-10, sigmoid",
          "mlp(data=fashion-mnist,hidden=20,activation=sigmoid)"));

  /** The longest horizon {@code --horizons} accepts. */
  static final int MAX_HORIZON = 1_000_000;

  /** Steps of each optimizer in the probe that estimates the run time. */
  static final int PROBE_STEPS = 50;

  /** The probe repeats its timed runs of one optimizer until they took this long together. */
  static final double PROBE_SECONDS = 1;

  /** ... or until it made this many. */
  static final int PROBE_REPEATS = 1000;

  @Mixin TrainedOptimizerOption trained;

  @Option(names = "--tasks", paramLabel = "LIST", description = "Comma-separated tasks to run."
      + " Default: all, ${DEFAULT-VALUE}.")
  String tasks = String.join(",", TASKS.stream().map(Task::name).toList());

  @Option(names = "--horizons", paramLabel = "LIST", description = "Comma-separated horizons"
      + " (steps per run), each from 1 to 1000000. Default: ${DEFAULT-VALUE}.")
  String horizons = "100,1000,10000";

  @Mixin BaselineOptions comparison = new BaselineOptions(20, 5, Workflows.DEFAULT_GRID);

  @Mixin DataOption dataOption;

  @Mixin ThreadsOption workers;

  @Mixin OutputOptions output = new OutputOptions("suite");

  @Mixin QuietOption quietOption;

  /** A learned optimizer as given: its name in reports, where it came from, the file. */
  private record Learned(String name, String source, OptimizerFile.Loaded file) {}

  @Override
  public Integer call() throws Exception {
    List<String> optimizers = trained.optimizers;
    int tuneProblems = comparison.tuneProblems;
    long seed = comparison.evalSeed;
    dataOption.apply();
    if (optimizers.isEmpty()) {
      throw new UserException("--optimizer: give a trained optimizer file or 'general'"
          + " (repeatable)");
    }
    List<Task> chosen = tasks(tasks);
    int[] hs = horizons(horizons);
    if (comparison.problems < 1) {
      throw new UserException("--problems must be >= 1, got " + comparison.problems);
    }
    if (tuneProblems < 1) {
      throw new UserException("--tune-problems must be >= 1, got " + tuneProblems);
    }
    if (workers.threads < 1) {
      throw new UserException("--threads must be >= 1, got " + workers.threads);
    }
    double[] g = Workflows.grid(comparison.grid);
    List<BaselineOptimizer<?>> baselines = Workflows.baselines(comparison.baselines);
    List<Learned> learnedFiles = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String arg : optimizers) {
      String name = optimizers.size() == 1 ? "lstm" : "lstm:" + EvalCommand.label(arg);
      if (!names.add(name)) {
        throw new UserException("--optimizer: two optimizers are both named '" + name + "'");
      }
      learnedFiles.add(new Learned(name, arg, OptimizerFile.readFileOrPretrained(arg)));
    }
    int threads = workers.threads;
    int k = comparison.problems;
    int longest = hs[hs.length - 1];
    BaselineOptimizer<?> probeBaseline = baselines.isEmpty() ? new Sgd(1) : baselines.get(0);

    // every task's problems, data and optimizers are checked before anything runs
    List<ProblemFamily> tests = new ArrayList<>();
    List<ProblemFamily> tunes = new ArrayList<>();
    Set<String> announced = new LinkedHashSet<>();
    for (Task t : chosen) {
      ProblemFamily parsed = Problems.parse(t.spec());
      ProblemFamily test = DataOption.withSplit(parsed, Split.TEST);
      tests.add(test);
      tunes.add(DataOption.withSplit(parsed, Split.TRAIN));
      if (test.dataSource() != null && announced.add(test.dataSource().line())) {
        DataOption.announce(test);
      }
    }
    Path out = output.out;
    Progress log = new Progress("suite", 1, quietOption.quiet);
    try (Parallel parallel = new Parallel(threads);
        RunFolder folder = RunFolder.open(out, output.existing(), "suite", null,
            Workflows.inputFiles(optimizers))) {
      List<List<Evaluator.Entry>> learnedPerTask = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        List<Evaluator.Entry> entries = new ArrayList<>();
        for (Learned l : learnedFiles) {
          entries.add(new Evaluator.Entry(l.name(), Workflows.learned(l.name(), l.file().nets(),
              l.file().weights(), tests.get(i), l.source(), parallel)));
        }
        learnedPerTask.add(entries);
        HeapCheck.require(org.l2l4j.meta.MemoryEstimate.comparison(new Comparison(tests.get(i),
            tunes.get(i), longest, tuneProblems, k, g, seed),
            entries, baselines.size(), threads));
      }

      // the probe: seconds per step of a baseline and of each learned optimizer, per task
      double[][] cost = new double[chosen.size()][];
      double estimate = 0;
      StringBuilder perTask = new StringBuilder();
      // a first probe of the first task, discarded: it pays for most of the JIT's compilation
      probe(tests.get(0), probeBaseline, learnedFiles);
      for (int i = 0; i < chosen.size(); i++) {
        cost[i] = probe(tests.get(i), probeBaseline, learnedFiles);
        double secs = taskSeconds(cost[i], g.length, hs,
            baselines.size(), k, tuneProblems, threads);
        estimate += secs;
        perTask.append(perTask.length() > 0 ? ", " : "").append(chosen.get(i).name()).append(' ')
            .append(Progress.compact(secs));
      }
      log.log(String.format(Locale.ROOT, "suite: %d tasks x horizons %s, %d test and %d tuning"
              + " problems, %d threads: estimated run time about %s (from a probe of %d steps of"
              + " %s and each learned optimizer on every task, after a warm-up)", chosen.size(),
          text(hs), k,
          tuneProblems, threads, Progress.duration(estimate), PROBE_STEPS, probeBaseline.name()));
      log.log("suite: estimated per task: " + perTask);

      long t0 = System.nanoTime();
      // progress in seconds of the estimate: its time left corrects itself by the real speed
      Progress progress = new Progress("suite", "estimated s", Math.max(1, Math.round(estimate)),
          quietOption.quiet);
      double[] position = {0};
      List<SuiteRow> rows = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        Task t = chosen.get(i);
        ProblemFamily test = tests.get(i);
        ProblemFamily tune = tunes.get(i);
        double[] c = cost[i];
        double tuneRun = longest * c[0] / Math.min(threads, tuneProblems);
        Map<String, List<Tuner.Result>> tuned = new LinkedHashMap<>();
        for (BaselineOptimizer<?> b : baselines) {
          double before = position[0];
          tuned.put(b.name(), Tuner.tuneHorizons(b, g, tune, tuneProblems, hs, seed, parallel,
              (done, total) -> {
                progress.now(String.format(Locale.ROOT, "[%s: tuning %s for %d steps, %d/%d runs]",
                    t.name(), b.name(), longest, done, total));
                progress.update(before + done * tuneRun);
              }));
          position[0] = before + g.length * tuneProblems * tuneRun;
        }
        List<Path> horizonDirs = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int j = 0; j < hs.length; j++) {
          int h = hs[j];
          Comparison cmp = new Comparison(test, tune, h, tuneProblems, k, g, seed);
          Map<String, Tuner.Result> atH = new LinkedHashMap<>();
          for (Map.Entry<String, List<Tuner.Result>> e : tuned.entrySet()) {
            atH.put(e.getKey(), e.getValue().get(j));
          }
          Comparison.Result r = cmp.evaluate(learnedPerTask.get(i), atH,
              new EvalProgress(progress, position, t.name(), h, names, c, threads, k), parallel);
          String dirName = "task-" + t.name() + "/steps-" + h;
          Path dir = out.resolve(dirName);
          Map<String, Object> extra = new LinkedHashMap<>();
          extra.put("task", t.name());
          extra.put("task_label", t.label());
          List<String> notes = List.of(tuningNote(longest, h));
          ReportData d = Reporting.write("suite: " + t.name() + " (" + t.label() + "), " + h
              + " steps", cmp, r, dir, notes, extra);
          horizonDirs.add(dir);
          lines.add(Report.winnerLine(d));
          rows.addAll(rows(t, test, dirName, r, names));
        }
        Report.writeIndex(out.resolve("task-" + t.name()), "suite: " + t.name() + " ("
            + t.label() + ")", horizonDirs, lines);
      }
      progress.finish();
      double seconds = (System.nanoTime() - t0) / 1e9;

      List<String> notes = new ArrayList<>();
      notes.add(tuningNote(longest, -1));
      notes.add(String.format(Locale.ROOT, "Test problems: %d per task and horizon (stream"
          + " \"test\" of seed %d), the same for every optimizer; the nets on the held-out images."
          + " Grid: %s.", k, seed, Tuner.gridText(g)));
      for (Learned l : learnedFiles) {
        notes.add(l.name() + ": " + l.source() + " (" + l.file().nets().spec() + ").");
      }
      notes.add(String.format(Locale.ROOT, "Run time %s (estimated %s from the probe).",
          Progress.duration(seconds), Progress.duration(estimate)));
      Map<String, Object> extra = new LinkedHashMap<>();
      List<Object> opts = new ArrayList<>();
      for (Learned l : learnedFiles) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("source", l.source());
        m.put("spec", l.file().nets().spec());
        opts.add(m);
      }
      extra.put("optimizers", opts);
      List<Object> taskList = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", chosen.get(i).name());
        m.put("label", chosen.get(i).label());
        m.put("problem", tests.get(i).spec());
        m.put("tuning_problem", tunes.get(i).spec());
        taskList.add(m);
      }
      extra.put("tasks", taskList);
      extra.put("horizons", java.util.Arrays.stream(hs).boxed().toList());
      extra.put("test_problems", k);
      extra.put("tune_problems", tuneProblems);
      extra.put("grid", g);
      extra.put("baselines", baselines.stream().map(BaselineOptimizer::name).toList());
      extra.put("seed", seed);
      extra.put("estimated_seconds", estimate);
      extra.put("seconds", seconds);
      SuiteReport.write(out, "l2l4j suite", rows, notes, extra);
      System.out.print(SuiteReport.table(rows));
      for (String s : SuiteReport.summary(rows)) {
        System.out.println(s);
      }
      System.out.println(SuiteReport.LEGEND);
      System.out.println("report: " + out.resolve("index.html"));
    }
    return 0;
  }

  /** The rows of one task and horizon: one per learned optimizer, with its goals. */
  private static List<SuiteRow> rows(Task t, ProblemFamily test, String dir, Comparison.Result r,
      Set<String> learnedNames) {
    List<Curve> baselineCurves = new ArrayList<>();
    for (Curve c : r.curves()) {
      if (!learnedNames.contains(c.name())) {
        baselineCurves.add(c);
      }
    }
    Map<String, Double> lrs = r.learningRates();
    List<SuiteRow> out = new ArrayList<>();
    for (Curve c : r.curves()) {
      if (learnedNames.contains(c.name())) {
        Goals g = Goals.of(c, baselineCurves);
        out.add(new SuiteRow(t.name(), test.spec(), dir, g,
            g.best() == null ? Double.NaN : lrs.get(g.best()),
            lrs.getOrDefault(Goals.ADAM, Double.NaN)));
      }
    }
    return out;
  }

  /** What the tuning did (for one horizon, or for all when {@code h} is negative). */
  static String tuningNote(int longest, int h) {
    return "Each baseline was tuned once per task by runs of " + longest + " steps (the longest"
        + " horizon); for each horizon H the learning rate with the lowest mean loss at step H"
        + " among the grid points whose mean at step H was finite and not above the start was"
        + " chosen (a run contains its first H steps exactly: the baselines have no"
        + " horizon-dependent schedule)" + (h < 0 ? "" : ", here H = " + h) + "; every horizon"
        + " was evaluated with runs of H steps.";
  }

  /**
   * Seconds per step on one thread of {@code baseline} and of each learned optimizer on one
   * problem of {@code family} (stream "probe" of the seed; {@link #timed}): {baseline, learned 1,
   * learned 2, ...}.
   */
  private double[] probe(ProblemFamily family, BaselineOptimizer<?> baseline,
      List<Learned> learned) {
    double[] out = new double[1 + learned.size()];
    Evaluator ev = new Evaluator(family, 1, PROBE_STEPS, comparison.evalSeed, "probe", null);
    out[0] = timed(ev, baseline.withLearningRate(1e-3));
    try (Parallel one = new Parallel(1)) {
      for (int i = 0; i < learned.size(); i++) {
        Learned l = learned.get(i);
        out[1 + i] = timed(ev, Workflows.learned(l.name(), l.file().nets(), l.file().weights(),
            family, l.source(), one));
      }
    }
    return out;
  }

  /**
   * Seconds per step of {@code o}: after warm-up runs (as many as the timed ones), the median of
   * repeated runs until they took {@value #PROBE_SECONDS} s together or {@value #PROBE_REPEATS}
   * were made (the first runs are slow while the JIT compiles).
   */
  private static double timed(Evaluator ev, Optimizer<?> o) {
    double warm = 0;
    for (int i = 0; i < PROBE_REPEATS && warm < PROBE_SECONDS; i++) {
      long t0 = System.nanoTime();
      ev.run("probe", o);
      warm += (System.nanoTime() - t0) / 1e9;
    }
    List<Double> times = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < PROBE_REPEATS && total < PROBE_SECONDS; i++) {
      long t0 = System.nanoTime();
      ev.run("probe", o);
      double s = (System.nanoTime() - t0) / 1e9;
      total += s;
      times.add(s);
    }
    times.sort(null);
    return times.get(times.size() / 2) / PROBE_STEPS;
  }

  /** The estimated seconds of one task from its probe costs ({@link #probe}). */
  static double taskSeconds(double[] cost, int gridPoints, int[] hs, int baselines, int k,
      int tuneK, int threads) {
    int longest = hs[hs.length - 1];
    double secs = (double) baselines * gridPoints * tuneK * longest * cost[0]
        / Math.min(threads, tuneK);
    double perStep = baselines * cost[0];
    for (int i = 1; i < cost.length; i++) {
      perStep += cost[i];
    }
    for (int h : hs) {
      secs += (double) k * h * perStep / Math.min(threads, k);
    }
    return secs;
  }

  /** Progress of one horizon's evaluation, in estimated seconds. */
  private static final class EvalProgress implements Comparison.Listener {
    private final Progress progress;
    private final double[] position;
    private final String task;
    private final int steps;
    private final List<String> learned;
    private final double[] cost;
    private final int parallelRuns;
    private double before;

    EvalProgress(Progress progress, double[] position, String task, int steps,
        Set<String> learned, double[] cost, int threads, int problems) {
      this.progress = progress;
      this.position = position;
      this.task = task;
      this.steps = steps;
      this.learned = List.copyOf(learned);
      this.cost = cost;
      this.parallelRuns = Math.min(threads, problems);
      this.before = position[0];
    }

    private double runCost(String name) {
      int i = learned.indexOf(name);
      return steps * (i < 0 ? cost[0] : cost[1 + i]) / parallelRuns;
    }

    @Override
    public void evaluating(String name, int runsDone, int runs) {
      progress.now(String.format(Locale.ROOT, "[%s: evaluating %s for %d steps, %d/%d runs]",
          task, name, steps, runsDone, runs));
      progress.update(before + runsDone * runCost(name));
    }

    @Override
    public void evaluated(Curve curve) {
      before += curve.losses().length * runCost(curve.name());
      position[0] = before;
      progress.update(before);
    }
  }

  /** Parses {@code --tasks}: known names, none twice, in the suite's order of the list. */
  static List<Task> tasks(String list) {
    List<Task> out = new ArrayList<>();
    for (String name : Workflows.splitTopLevel(list)) {
      Task t = TASKS.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(
          () -> new UserException("--tasks: unknown task '" + name + "'; known: "
              + String.join(", ", TASKS.stream().map(Task::name).toList())));
      if (out.contains(t)) {
        throw new UserException("--tasks: task '" + name + "' is given twice");
      }
      out.add(t);
    }
    return out;
  }

  /** Parses {@code --horizons}: integers from 1 to {@link #MAX_HORIZON}, none twice; sorted. */
  static int[] horizons(String list) {
    TreeSet<Integer> out = new TreeSet<>();
    List<String> parts;
    try {
      parts = Workflows.splitTopLevel(list);
    } catch (org.l2l4j.util.SpecException e) {
      throw new UserException("--horizons: " + e.getMessage());
    }
    for (String p : parts) {
      int h;
      try {
        h = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new UserException("--horizons: '" + p + "' is not a whole number of steps");
      }
      if (h < 1 || h > MAX_HORIZON) {
        throw new UserException("--horizons: " + h + " is not between 1 and " + MAX_HORIZON);
      }
      if (!out.add(h)) {
        throw new UserException("--horizons: " + h + " is given twice");
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String text(int[] hs) {
    StringBuilder sb = new StringBuilder();
    for (int h : hs) {
      sb.append(sb.length() > 0 ? "," : "").append(h);
    }
    return sb.toString();
  }
}
