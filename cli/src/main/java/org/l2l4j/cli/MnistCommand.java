package org.l2l4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.l2l4j.cli.report.Report;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.problem.MlpFamily;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.util.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j mnist}: the paper's MNIST figures. */
@Command(
    name = "mnist",
    mixinStandardHelpOptions = true,
    description = {
      "The paper's MNIST experiments (cases a-e) with a report per case.",
      "Meta-trains the LSTM optimizer on the base net (784-20-10, sigmoid, batch 128, 100 steps)"
          + " on the training images, then compares it with tuned SGD, RMSprop, Adam and NAG on"
          + " fresh nets and held-out images: (a) base net 100 steps, (b) base net 200 steps,"
          + " (c) 40 hidden units, (d) two hidden layers of 20, (e) ReLU. Writes one report per"
          + " case and OUT/index.html. Progress goes to standard error, results to standard"
          + " output.",
      "--resume continues meta-training from the checkpoint in OUT/train (and OUT/train-gac,"
          + " which starts afresh if it has none yet) and writes the case reports anew. --gac"
          + " meta-trains its LSTM in OUT/train-gac and includes it in every case."
    })
final class MnistCommand implements Callable<Integer> {
  @Option(names = "--dataset", paramLabel = "NAME", description = "The data set: mnist or fashion-mnist. Default: ${DEFAULT-VALUE}.")
  String dataset = DataSets.MNIST;

  @Mixin DataOption dataOption;

  @Option(names = "--trained", paramLabel = "FILE", description = "Use this trained"
      + " optimizer file instead of meta-training one; 'general': the optimizer shipped in the jar"
      + " (used when no file of that name exists).")
  String optimizerFile;

  @Mixin TrainingOptions training = mnistDefaults();

  @Mixin SeedOption seedOption;

  @Option(names = "--cases", paramLabel = "LIST", description = "Which cases to run, from a,b,c,d,e. Default: ${DEFAULT-VALUE}.")
  String cases = "a,b,c,d,e";

  @Mixin BaselineOptions comparison =
      new BaselineOptions(20, 5, org.l2l4j.eval.Tuner.gridText(org.l2l4j.eval.Tuner.MNIST_GRID));

  @Mixin OutputOptions output = new OutputOptions("mnist");

  @Mixin ResumeOptions resumeOptions = new ResumeOptions(10);

  @Mixin QuietOption quietOption;

  @Mixin GacOption gacOption;

  /** One of the paper's MNIST cases. */
  record Case(String id, String label, String hidden, String activation, int steps) {}

  static final List<Case> CASES = List.of(
      new Case("a", "base net, 100 steps", "20", "sigmoid", 100),
      new Case("b", "base net, 200 steps", "20", "sigmoid", 200),
      new Case("c", "40 hidden units", "40", "sigmoid", 100),
      new Case("d", "two hidden layers of 20", "20x20", "sigmoid", 100),
      new Case("e", "ReLU activation", "20", "relu", 100));

  private static TrainingOptions mnistDefaults() {
    return new TrainingOptions(org.l2l4j.meta.MetaTrainerConfig.preset("mnist", 1));
  }

  private String family(String hidden, String activation, String split) {
    return "mlp(data=" + dataset + ",hidden=" + hidden + ",activation=" + activation + ",split="
        + split + ")";
  }

  @Override
  public Integer call() throws Exception {
    resumeOptions.check();
    dataOption.apply();
    Path out = output.out;
    boolean resume = resumeOptions.resume;
    List<Case> chosen = new ArrayList<>();
    for (String id : Workflows.splitTopLevel(cases)) {
      Case c = CASES.stream().filter(x -> x.id().equals(id)).findFirst()
          .orElseThrow(() -> new UserException("--cases: unknown case '" + id + "'; known: a,b,c,d,e"));
      if (chosen.contains(c)) {
        throw new UserException("--cases: case '" + id + "' is given twice");
      }
      chosen.add(c);
    }
    if (comparison.problems < 1 || comparison.tuneProblems < 1) {
      throw new UserException("--problems and --tune-problems must be >= 1");
    }
    double[] lrs = Workflows.grid(comparison.grid);
    var baselineList = Workflows.baselines(comparison.baselines);
    ProblemFamily trainFamily = Problems.parse(family("20", "sigmoid", "train"));
    MlpFamily base = (MlpFamily) trainFamily;
    // a missing or corrupt optimizer is reported before the data is loaded
    if (optimizerFile != null && training.initFrom != null) {
      throw new UserException("give --trained (no meta-training) or --init-from (where"
          + " meta-training starts), not both");
    }
    OptimizerFile.Loaded f = optimizerFile == null ? null
        : OptimizerFile.readFileOrPretrained(optimizerFile);
    DataOption.announce(base);
    NetGroups nets;
    float[] weights = null;
    List<String> trainNotes = new ArrayList<>();
    if (f != null) {
      nets = f.nets();
      weights = f.weights();
      Workflows.groups(nets, trainFamily, optimizerFile); // before training
      trainNotes.add("Learned optimizer loaded from " + optimizerFile + " (" + nets.spec() + ").");
    } else {
      nets = training.nets(trainFamily);
      training.start(nets); // a bad --init-from fails before any write
    }
    if (!nets.bare() && gacOption.gac > 0) {
      throw new UserException("--gac needs one lstm(...) optimizer, not " + nets.spec());
    }
    LstmConfig lstm = TrainingOptions.largest(nets);
    LstmConfig gacConfig = TrainingOptions.gacVariant(lstm.withGac(0), gacOption.gac); // checked before training
    HeapCheck.require(org.l2l4j.meta.MemoryEstimate.comparison(new Comparison(trainFamily, CASES.get(1).steps(), comparison.tuneProblems, comparison.problems, lrs, comparison.evalSeed), List.of(), (gacConfig != null ? 2 : 1) + baselineList.size(), training.threads), weights != null ? org.l2l4j.meta.MemoryEstimate.tuning(trainFamily, 1, 1, 1) : org.l2l4j.meta.MemoryEstimate.training(trainFamily, gacConfig != null ? gacConfig : lstm, training.config(seedOption.seed)));
    RunFolder.Existing existing = resumeOptions.existing(output);
    if (resume && weights == null) {
      Workflows.requireCheckpoint(out.resolve("train"));
    }
    List<Path> inputs = optimizerFile == null ? List.of()
        : Workflows.inputFiles(List.of(optimizerFile));
    List<Path> caseDirs = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try (RunFolder folder = RunFolder.open(out, existing, "mnist",
            Workflows.hasCheckpoint(out.resolve("train")) ? "--resume to continue its meta-training"
                : null, inputs)) {
      if (weights == null) {
        Workflows.Trained t = train(trainFamily, nets, "train", resume, training.start(nets),
            trainNotes);
        weights = t.weights();
      }
      float[] gacWeights = null;
      if (gacConfig != null) {
        // a run killed while training the plain LSTM has no checkpoint in train-gac yet
        boolean resumeGac = resume && Workflows.hasCheckpoint(out.resolve("train-gac"));
        gacWeights = train(trainFamily, NetGroups.single(gacConfig), "train-gac", resumeGac, null,
            trainNotes).weights();
      }
      try (Parallel parallel = new Parallel(training.threads)) {
        for (Case c : chosen) {
          ProblemFamily test = Problems.parse(family(c.hidden(), c.activation(), "test"));
          ProblemFamily tune = Problems.parse(family(c.hidden(), c.activation(), "train"));
          Comparison cmp = new Comparison(test, tune, c.steps(), comparison.tuneProblems, comparison.problems, lrs, comparison.evalSeed);
          List<Evaluator.Entry> learned = new ArrayList<>();
          learned.add(new Evaluator.Entry("lstm",
              Workflows.learned("lstm", nets, weights, test,
                  optimizerFile != null ? optimizerFile : "--optimizer", parallel)));
          if (gacConfig != null) {
            learned.add(new Evaluator.Entry("lstm+gac",
                new LearnedOptimizer("lstm+gac", gacConfig, gacWeights, LstmKernels.best(), parallel)));
          }
          List<String> notes = new ArrayList<>(trainNotes);
          notes.add("The learned optimizers were trained on the base net only (784-20-10, sigmoid,"
              + " 100 steps) and the training split.");
          Reporting.compareCase(c.id(), c.label(),
              "MNIST (" + dataset + ") case " + c.id() + ": " + c.label(), cmp, learned,
              baselineList, out, notes, quietOption.quiet, parallel, caseDirs, lines);
        }
      }
      Report.writeIndex(out, "l2l4j MNIST experiments (" + dataset + ")", caseDirs, lines);
    }
    for (String l : lines) {
      System.out.println(l);
    }
    System.out.println("report: " + out.resolve("index.html"));
    return 0;
  }

  /**
   * Meta-trains {@code lstm} in OUT/{@code folder}, from {@code start} (null: random), and adds a
   * note on the run.
   */
  private Workflows.Trained train(ProblemFamily family, NetGroups lstm, String folder,
      boolean resumeIt, Workflows.Start start, List<String> notes) throws java.io.IOException {
    org.l2l4j.meta.MetaTrainerConfig mc = training.config(seedOption.seed);
    Workflows.Trained t = Workflows.train(family, lstm, mc, output.out.resolve(folder),
        resumeOptions.checkpointEvery, resumeIt, quietOption.quiet, null, null, start);
    notes.add(String.format(Locale.ROOT,
        "LSTM optimizer %s meta-trained on %s for %d epochs (%s, seed %d) in %.0f s (this run);"
            + " best validation at epoch %d.",
        t.nets().spec(), family.spec(), t.state().epoch, mc.spec(), seedOption.seed, t.seconds(),
        t.state().bestEpoch));
    return t;
  }
}
