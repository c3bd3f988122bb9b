package org.l2l4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.l2l4j.cli.report.Report;
import org.l2l4j.cli.report.ReportData;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code l2l4j demo}: the main job on random quadratics. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The main job: meta-train the LSTM optimizer on random quadratics and compare it with tuned"
          + " baselines.",
      "Meta-trains on 10-dimensional random quadratics (paper preset), tunes SGD, RMSprop, Adam and"
          + " NAG on a learning-rate grid, evaluates all five on held-out quadratics, prints a table"
          + " and writes a report (index.html, plot.png, summary.json, curves.csv) and the trained"
          + " optimizer into --out. Progress goes to standard error, results to standard output."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--problem", paramLabel = "SPEC", description = "Problem family. Default: ${DEFAULT-VALUE}.")
  String problem = "quadratic";

  @Option(names = "--epochs", paramLabel = "N", description = "Meta-training epochs. Default: ${DEFAULT-VALUE}.")
  int epochs = DEMO_EPOCHS;

  @Option(names = "--meta-lr", paramLabel = "LR", description = "Learning rate of the default"
      + " outer optimizer, Adam (refused with --meta-optimizer). Default: 0.003.")
  Double metaLr;

  @Option(names = "--meta-optimizer", paramLabel = "OPT", description = "The outer optimizer's"
      + " spec: sgd, nag, rmsprop or adam with its settings, e.g. 'adam(lr=0.003,b1=0.9)'; a missing lr"
      + " is 0.003. Default: 'adam' at --meta-lr.")
  String metaOptimizer;

  @Option(names = "--problems", paramLabel = "K", description = "Held-out test problems. Default: ${DEFAULT-VALUE}.")
  int problems = 100;

  @Option(names = "--seed", paramLabel = "S", description = "Root seed of meta-training. Default: ${DEFAULT-VALUE}.")
  long seed = 1;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads. Default: available processors.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("l2l4j-out", "demo");

  @Option(names = "--quiet", description = "No progress on standard error; warnings, errors and"
      + " results are still printed.")
  boolean quiet;

  @Option(names = "--overwrite", description = "Delete the results of an earlier run in --out (refused otherwise).")
  boolean overwrite;

  /** The demo's meta-training defaults. */
  static final MetaTrainerConfig DEMO = MetaTrainerConfig.preset("demo", 1);
  static final int DEMO_EPOCHS = DEMO.epochs();

  @Option(names = "--gac", paramLabel = "G", description = "Also meta-train an LSTM with G global"
      + " averaging cells per layer (paper appendix) and include it in the comparison as"
      + " 'lstm+gac'. Default: ${DEFAULT-VALUE} (none).")
  int gac = 0;

  @Override
  public Integer call() throws Exception {
    ProblemFamily family = Problems.parse(problem);
    LstmConfig lstm = TrainingOptions.defaultLstm(family);
    LstmConfig gacConfig = TrainingOptions.gacVariant(lstm, gac);
    List<String> names = new ArrayList<>(List.of("lstm"));
    List<LstmConfig> configs = new ArrayList<>(List.of(lstm));
    if (gacConfig != null) {
      names.add("lstm+gac");
      configs.add(gacConfig);
    }
    TrainingOptions t = new TrainingOptions(DEMO);
    t.epochs = epochs;
    t.metaLr = metaLr;
    t.metaOptimizer = metaOptimizer;
    t.threads = threads;
    MetaTrainerConfig mc = t.config(seed);
    ComparisonOptions co = new ComparisonOptions();
    co.problems = problems;
    DataOption.announce(family);
    org.l2l4j.eval.Comparison comparison = co.comparison(family); // validates before training
    HeapCheck.require(org.l2l4j.meta.MemoryEstimate.training(family, configs.get(configs.size() - 1), mc), org.l2l4j.meta.MemoryEstimate.comparison(comparison, List.of(), configs.size() + Workflows.baselines(co.baselines).size(), threads));
    try (RunFolder folder = RunFolder.open(out,
            overwrite ? RunFolder.Existing.OVERWRITE : RunFolder.Existing.REFUSE, "demo", null,
            List.of())) {
      List<Workflows.Trained> trained = new ArrayList<>();
      for (int i = 0; i < configs.size(); i++) {
        Path dir = i == 0 ? out : out.resolve("gac");
        trained.add(Workflows.train(family, configs.get(i), mc, dir,
            Integer.MAX_VALUE, false, quiet));
      }
      report(family, configs, names, trained, mc, comparison, co);
    }
    return 0;
  }

  private void report(ProblemFamily family, List<LstmConfig> configs, List<String> names,
      List<Workflows.Trained> trained, MetaTrainerConfig mc, org.l2l4j.eval.Comparison comparison,
      ComparisonOptions co) throws java.io.IOException {
    try (Parallel parallel = new Parallel(threads)) {
      List<Evaluator.Entry> learned = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      Map<String, Object> extra = new LinkedHashMap<>();
      for (int i = 0; i < configs.size(); i++) {
        Workflows.Trained tr = trained.get(i);
        learned.add(new Evaluator.Entry(names.get(i), new LearnedOptimizer(names.get(i),
            configs.get(i), tr.weights(), LstmKernels.best(), parallel)));
        notes.add(String.format(Locale.ROOT,
            "%s: %s meta-trained for %d epochs (%d steps, unrolls of %d, outer optimizer %s,"
                + " seed %d) in %.1f s; best validation at epoch %d.",
            names.get(i), configs.get(i).spec(), epochs, mc.stepsPerEpoch(), mc.unroll(),
            mc.outer().spec(), seed, tr.seconds(), tr.state().bestEpoch));
      }
      extra.put("meta_training_seconds", trained.get(0).seconds());
      extra.put("meta_training_epochs", epochs);
      extra.put("optimizer_file", Workflows.OPTIMIZER_FILE);
      if (gac > 0) {
        extra.put("gac_meta_training_seconds", trained.get(1).seconds());
        extra.put("gac_optimizer_file", "gac/" + Workflows.OPTIMIZER_FILE);
      }
      ReportData data = Reporting.compare("l2l4j demo: LSTM optimizer vs tuned baselines on " + family.spec(),
          comparison, learned, Workflows.baselines(co.baselines), out, notes, extra, quiet, parallel);
      System.out.print(Report.table(data));
      System.out.println("report: " + out.resolve("index.html"));
      System.out.println("trained optimizer: " + out.resolve(Workflows.OPTIMIZER_FILE));
    }
  }
}
