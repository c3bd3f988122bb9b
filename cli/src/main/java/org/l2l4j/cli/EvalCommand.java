package org.l2l4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.l2l4j.cli.report.Report;
import org.l2l4j.cli.report.ReportData;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j eval}. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate trained optimizers against tuned baselines on held-out problems.",
      "Neural-net problems (mnist, mlp) are evaluated on the held-out (test) split and the"
          + " baselines tuned on the training split, unless the problem spec says split=...",
      "Writes a report (summary.json, curves.csv, plot.png, index.html) into --out."
    })
final class EvalCommand implements Callable<Integer> {
  @Mixin ProblemOption problemOption;

  @Mixin TrainedOptimizerOption trained;

  @Mixin DataOption dataOption;

  @Mixin ComparisonOptions comparison;

  @Mixin ThreadsOption workers;

  @Mixin OutputOptions output = new OutputOptions("eval");

  @Option(names = "--title", paramLabel = "TEXT", description = "Report title.")
  String title;

  @Mixin QuietOption quietOption;

  @Mixin SparkGridOption sparkOption;

  @Override
  public Integer call() throws Exception {
    sparkOption.check();
    List<String> optimizers = trained.optimizers;
    dataOption.apply();
    String problem = problemOption.problem;
    ProblemFamily parsed = Problems.parse(problem);
    ProblemFamily family = DataOption.splitGiven(problem) ? parsed
        : DataOption.withSplit(parsed, Split.TEST);
    ProblemFamily tuneFamily = DataOption.withSplit(parsed, Split.TRAIN);
    var baselines = Workflows.baselines(comparison.baselines);
    if (optimizers.isEmpty() && baselines.isEmpty()) {
      throw new UserException("nothing to evaluate: give --optimizer FILE and/or --baselines");
    }
    List<OptimizerFile.Loaded> files = new ArrayList<>();
    for (String arg : optimizers) {
      files.add(OptimizerFile.readFileOrPretrained(arg));
    }
    DataOption.announce(family);
    var cmp = comparison.comparison(family, tuneFamily);
    int threads = workers.threads;
    Path out = output.out;
    try (Parallel parallel = new Parallel(threads)) {
      List<Evaluator.Entry> learned = new ArrayList<>();
      for (int i = 0; i < optimizers.size(); i++) {
        OptimizerFile.Loaded f = files.get(i);
        String name = optimizers.size() == 1 ? "lstm" : "lstm:" + label(optimizers.get(i));
        learned.add(new Evaluator.Entry(name,
            Workflows.learned(name, f.nets(), f.weights(), family, optimizers.get(i), parallel)));
      }
      HeapCheck.require(org.l2l4j.meta.MemoryEstimate.comparison(cmp, learned, baselines.size(),
          threads));
      // the folder is checked and locked before the evaluation, not after it
      try (RunFolder folder = RunFolder.open(out, output.existing(), "eval", null,
          Workflows.inputFiles(optimizers));
          ClusterGrids.Session runner = sparkOption.open()) {
        ReportData data = Reporting.compare(title != null ? title : "l2l4j eval: " + family.spec(),
            cmp, learned, baselines, out, List.of(), new LinkedHashMap<>(), quietOption.quiet,
            parallel, runner);
        System.out.print(Report.table(data));
        System.out.println("report: " + out.resolve("index.html"));
      }
    }
    return 0;
  }

  /** The name of a learned optimizer among several: {@code general}, or the file's folder or name. */
  static String label(String arg) {
    if (Workflows.isPretrained(arg)) {
      return arg;
    }
    Path p = Path.of(arg);
    Path parent = p.toAbsolutePath().getParent();
    String file = p.getFileName().toString();
    return parent != null && file.equals(Workflows.OPTIMIZER_FILE)
        ? parent.getFileName().toString()
        : file;
  }
}
