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
      "Writes a report (summary.json, curves.csv, plot.png, index.html) into --out."
    })
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--problem", paramLabel = "SPEC", description = "Problem family. Default: ${DEFAULT-VALUE}.")
  String problem = "quadratic";

  @Option(names = "--optimizer", paramLabel = "FILE", description = "A trained optimizer file (repeatable).")
  List<Path> optimizers = new ArrayList<>();

  @Mixin DataOption dataOption;

  @Mixin ComparisonOptions comparison;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads. Default: available processors.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("l2l4j-out", "eval");

  @Option(names = "--title", paramLabel = "TEXT", description = "Report title.")
  String title;

  @Option(names = "--quiet", description = "No progress on standard error; warnings, errors and"
      + " results are still printed.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    dataOption.apply();
    ProblemFamily family = Problems.parse(problem);
    var baselines = Workflows.baselines(comparison.baselines);
    if (optimizers.isEmpty() && baselines.isEmpty()) {
      throw new UserException("nothing to evaluate: give --optimizer FILE and/or --baselines");
    }
    try (Parallel parallel = new Parallel(threads)) {
      List<Evaluator.Entry> learned = new ArrayList<>();
      for (Path p : optimizers) {
        OptimizerFile.Loaded f = OptimizerFile.read(p);
        String name = optimizers.size() == 1 ? "lstm" : "lstm:" + label(p);
        learned.add(new Evaluator.Entry(name,
            new LearnedOptimizer(name, f.config(), f.weights(), LstmKernels.best(), parallel)));
      }
      ReportData data = Reporting.compare(title != null ? title : "l2l4j eval: " + family.spec(),
          comparison.comparison(family), learned, baselines, out, List.of(), new LinkedHashMap<>(),
          quiet, parallel);
      System.out.print(Report.table(data));
      System.out.println("report: " + out.resolve("index.html"));
    }
    return 0;
  }

  private static String label(Path p) {
    Path parent = p.toAbsolutePath().getParent();
    String file = p.getFileName().toString();
    return parent != null && file.equals(Workflows.OPTIMIZER_FILE)
        ? parent.getFileName().toString()
        : file;
  }
}
