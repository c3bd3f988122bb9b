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
import picocli.CommandLine.Mixin;

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
  /** The demo's meta-training defaults. */
  static final MetaTrainerConfig DEMO = MetaTrainerConfig.preset("demo", 1);

  @Mixin ProblemOption problemOption;

  @Mixin BasicTrainingOptions training = new BasicTrainingOptions(DEMO.epochs(), DEMO.metaLearningRate());

  @Mixin ProblemsOption problemsOption = new ProblemsOption(100);

  @Mixin SeedOption seedOption;

  @Mixin OutputOptions output = new OutputOptions("demo");

  @Mixin QuietOption quietOption;

  @Mixin GacOption gacOption;

  @Override
  public Integer call() throws Exception {
    ProblemFamily family = Problems.parse(problemOption.problem);
    LstmConfig lstm = TrainingOptions.defaultLstm(family);
    LstmConfig gacConfig = TrainingOptions.gacVariant(lstm, gacOption.gac);
    List<String> names = new ArrayList<>(List.of("lstm"));
    List<LstmConfig> configs = new ArrayList<>(List.of(lstm));
    if (gacConfig != null) {
      names.add("lstm+gac");
      configs.add(gacConfig);
    }
    TrainingOptions t = new TrainingOptions(DEMO);
    t.epochs = training.epochs;
    t.metaLr = training.metaLr;
    t.metaOptimizer = training.metaOptimizer;
    t.threads = training.threads;
    t.metaBatch = training.metaBatch;
    MetaTrainerConfig mc = t.config(seedOption.seed);
    ComparisonOptions co = new ComparisonOptions();
    co.problems = problemsOption.problems;
    DataOption.announce(family);
    org.l2l4j.eval.Comparison comparison = co.comparison(family); // validates before training
    HeapCheck.require(org.l2l4j.meta.MemoryEstimate.training(family, configs.get(configs.size() - 1), mc), org.l2l4j.meta.MemoryEstimate.comparison(comparison, List.of(), configs.size() + Workflows.baselines(co.baselines).size(), training.threads));
    Path out = output.out;
    try (RunFolder folder = RunFolder.open(out, output.existing(), "demo", null, List.of())) {
      List<Workflows.Trained> trained = new ArrayList<>();
      for (int i = 0; i < configs.size(); i++) {
        Path dir = i == 0 ? out : out.resolve("gac");
        trained.add(Workflows.train(family, configs.get(i), mc, dir,
            Integer.MAX_VALUE, false, quietOption.quiet));
      }
      report(family, configs, names, trained, mc, comparison, co);
    }
    return 0;
  }

  private void report(ProblemFamily family, List<LstmConfig> configs, List<String> names,
      List<Workflows.Trained> trained, MetaTrainerConfig mc, org.l2l4j.eval.Comparison comparison,
      ComparisonOptions co) throws java.io.IOException {
    Path out = output.out;
    try (Parallel parallel = new Parallel(training.threads)) {
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
            names.get(i), configs.get(i).spec(), training.epochs, mc.stepsPerEpoch(), mc.unroll(),
            mc.outer().spec(), seedOption.seed, tr.seconds(), tr.state().bestEpoch));
      }
      extra.put("meta_training_seconds", trained.get(0).seconds());
      extra.put("meta_training_epochs", training.epochs);
      extra.put("optimizer_file", Workflows.OPTIMIZER_FILE);
      if (gacOption.gac > 0) {
        extra.put("gac_meta_training_seconds", trained.get(1).seconds());
        extra.put("gac_optimizer_file", "gac/" + Workflows.OPTIMIZER_FILE);
      }
      ReportData data = Reporting.compare("l2l4j demo: LSTM optimizer vs tuned baselines on " + family.spec(),
          comparison, learned, Workflows.baselines(co.baselines), out, notes, extra,
          quietOption.quiet, parallel);
      System.out.print(Report.table(data));
      System.out.println("report: " + out.resolve("index.html"));
      System.out.println("trained optimizer: " + out.resolve(Workflows.OPTIMIZER_FILE));
    }
  }
}
