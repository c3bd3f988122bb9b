package org.l2l4j.cli;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.l2l4j.cli.report.Report;
import org.l2l4j.cli.report.ReportData;
import org.l2l4j.djl.ConvFamily;
import org.l2l4j.djl.EasyTrainRun;
import org.l2l4j.djl.ImageData;
import org.l2l4j.djl.LearnedDjlOptimizer;
import org.l2l4j.eval.Curve;
import org.l2l4j.learned.OptimizerFileException;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j easytrain}: a learned optimizer and DJL's Adam inside DJL's own training loop. */
@Command(
    name = "easytrain",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the paper's conv net with DJL's own EasyTrain.fit, once with a learned optimizer"
          + " (LearnedDjlOptimizer) and once with DJL's Adam, from the same initial weights on"
          + " the same minibatches of training images, for --runs seeds, and writes the"
          + " minibatch losses side by side as a report (plot, table, summary.json,"
          + " index.html)."
    })
final class EasyTrainCommand implements Callable<Integer> {
  @Option(names = "--optimizer", paramLabel = "FILE", description = "The learned optimizer: a"
      + " file written by train, mnist or conv (one net, or the groups conv and fc), or the name of"
      + " a shipped one. Default: ${DEFAULT-VALUE}.")
  String optimizer = "general";

  @Option(names = "--adam-lr", paramLabel = "LR", description = "The learning rate of DJL's Adam."
      + " Default: ${DEFAULT-VALUE} (DJL's default).")
  double adamLr = 0.001;

  @Option(names = "--dataset", paramLabel = "NAME", description = "The images: fashion-mnist,"
      + " mnist or cifar10 (needs --data). Default: ${DEFAULT-VALUE}.")
  String dataset = ConvFamily.DEFAULT_DATA;

  @Mixin DataOption dataOption;

  @Option(names = "--steps", paramLabel = "N", description = "Updates per run. Default:"
      + " ${DEFAULT-VALUE}.")
  int steps = 100;

  @Option(names = "--batch", paramLabel = "N", description = "Minibatch size. Default:"
      + " ${DEFAULT-VALUE}.")
  int batch = ConvFamily.DEFAULT_BATCH;

  @Option(names = "--runs", paramLabel = "K", description = "Runs (seeds S, S+1, ...) per"
      + " optimizer. Default: ${DEFAULT-VALUE}.")
  int runs = 3;

  @Mixin SeedOption seedOption;

  @Mixin OutputOptions output = new OutputOptions("easytrain");

  @Mixin QuietOption quietOption;

  @Override
  public Integer call() throws Exception {
    dataOption.apply();
    if (steps < 1 || runs < 1 || batch < 1) {
      throw new UserException("--steps, --runs and --batch must be >= 1");
    }
    if (!(adamLr > 0) || !Double.isFinite(adamLr)) {
      throw new UserException("--adam-lr must be positive and finite, got " + adamLr);
    }
    String learnedSpec;
    try (LearnedDjlOptimizer probe = build()) {
      learnedSpec = probe.source();
    }
    ConvFamily.Settings s;
    try {
      s = new ConvFamily.Settings(dataset, null, batch, Split.TRAIN, null);
    } catch (org.l2l4j.util.SpecException e) {
      throw new UserException("--dataset: " + e.getMessage());
    }
    ImageData data = ConvFamily.load(s);
    if (data.count() < batch) {
      throw new UserException(s.spec() + ": the data set has " + data.count()
          + " images, fewer than a minibatch of " + batch + " (" + data.source() + ")");
    }
    int outputs = s.classes().length;
    Path out = output.out;
    try (RunFolder folder = RunFolder.open(out, output.existing(), "easytrain", null,
        List.of())) {
      ReportData d = runAll(data, outputs, learnedSpec, s.spec());
      Report.write(out, d);
      System.out.print(Report.table(d));
      System.out.println(Report.winnerLine(d));
    }
    System.out.println("report: " + out.resolve(Report.HTML));
    return 0;
  }

  private ReportData runAll(ImageData data, int outputs, String learnedSpec, String problem)
      throws java.io.IOException {
    double[][] learned = new double[runs][];
    double[][] adam = new double[runs][];
    Progress progress = new Progress("easytrain", "run", 2.0 * runs, quietOption.quiet);
    for (int k = 0; k < runs; k++) {
      long seed = seedOption.seed + k;
      try (LearnedDjlOptimizer o = build()) {
        learned[k] = EasyTrainRun.run(() -> ConvFamily.net(outputs), data, o, steps, batch,
            ConvFamily.INIT_STD, seed);
      }
      progress.update(2.0 * k + 1);
      Optimizer djlAdam =
          Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) adamLr)).build();
      adam[k] = EasyTrainRun.run(() -> ConvFamily.net(outputs), data, djlAdam, steps, batch,
          ConvFamily.INIT_STD, seed);
      progress.update(2.0 * k + 2);
    }
    progress.finish();
    String adamSpec = "adam(lr=" + Spec.fmt(adamLr) + ")";
    List<Curve> curves = List.of(new Curve("lstm", learnedSpec, true, learned),
        new Curve("djl-adam", "DJL " + adamSpec, false, adam));
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "DJL's EasyTrain.fit on %s, the paper's conv net, %d"
        + " updates of minibatches of %d training images (drawn with replacement), %d run(s) (seeds"
        + " %d..%d: the same initial weights and minibatches for both optimizers); the loss of each"
        + " minibatch before its update.", data.source(), steps, batch, runs, seedOption.seed,
        seedOption.seed + runs - 1));
    notes.add("lstm: LearnedDjlOptimizer with " + learnedSpec + "; djl-adam: DJL's Adam, "
        + adamSpec + ", not tuned.");
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("data_source", data.source());
    return new ReportData("learned optimizer vs DJL's Adam in EasyTrain.fit (" + dataset + ")",
        problem, steps, runs, curves, Map.of(), notes, extra);
  }

  private LearnedDjlOptimizer build() {
    try {
      return LearnedDjlOptimizer.builder().optOptimizer(optimizer).build();
    } catch (OptimizerFileException e) {
      throw new UserException("--optimizer: " + e.getMessage());
    }
  }
}
