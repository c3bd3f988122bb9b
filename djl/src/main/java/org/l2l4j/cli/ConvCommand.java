package org.l2l4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.l2l4j.cli.report.Report;
import org.l2l4j.djl.ConvFamily;
import org.l2l4j.djl.DjlFamily;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.problem.data.Split;
import org.l2l4j.util.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j conv}: the paper's conv-net experiment (CIFAR-10, -5, -2) on DJL. */
@Command(
    name = "conv",
    mixinStandardHelpOptions = true,
    description = {
      "The paper's conv-net experiment (its CIFAR-10, CIFAR-5 and CIFAR-2) on DJL, with a report"
          + " per case.",
      "Meta-trains a learned optimizer with two nets, one for the convolution kernels and one for"
          + " the other parameters, on the conv net (3 x [conv 5x5, 16 channels, batch norm, ReLU,"
          + " max-pool], linear 32, batch norm, ReLU, linear) over all ten labels of the training"
          + " images, and an LSTM-sub on the labels 5-9 only. Then compares them with SGD,"
          + " RMSprop, Adam and NAG, each tuned per case on the training images, on fresh nets"
          + " and held-out images: (a) 10 classes; (b) the labels 0-4; (c) the labels 0 and 1."
          + " Writes one report per case and OUT/index.html. Progress goes to standard error,"
          + " results to standard output.",
      "The data is Fashion-MNIST (28x28x1) by default; --dataset cifar10 --data DIR reads the"
          + " CIFAR-10 binary version (DIR/cifar-10-batches-bin/data_batch_1..5.bin,"
          + " test_batch.bin). PyTorch runs on one thread; a step of the conv net at batch 128"
          + " takes about 0.1 s on one core. With --threads 2 or more (the default on a machine"
          + " with two cores) LSTM-sub meta-trains in a second java process beside LSTM (DJL"
          + " computes one gradient at a time per process), each on half the threads."
    })
final class ConvCommand implements Callable<Integer> {
  /** The default learned optimizer: the paper's LSTM per group, zero initial output. */
  static final String DEFAULT_OPTIMIZER =
      "groups(conv=lstm(preset=paper,init=zero-output),fc=lstm(preset=paper,init=zero-output))";

  /** The tuning grid of the baselines. */
  static final String GRID = "0.001,0.003,0.01,0.03,0.1,0.3,1";

  /** The labels LSTM-sub is meta-trained on: the other labels of cases (b) and (c). */
  static final String SUB_LABELS = "5-9";

  /** One case: its label subset (null: all ten). */
  record Case(String id, String label, String classes) {}

  static final List<Case> CASES = List.of(
      new Case("a", "10 classes", null),
      new Case("b", "5 classes (labels 0-4)", "0-4"),
      new Case("c", "2 classes (labels 0 and 1)", "0;1"));

  @Option(names = "--dataset", paramLabel = "NAME", description = "The images: fashion-mnist,"
      + " mnist or cifar10 (needs --data). Default: ${DEFAULT-VALUE}.")
  String dataset = ConvFamily.DEFAULT_DATA;

  @Mixin DataOption dataOption;

  @Option(names = "--batch", paramLabel = "N", description = "Minibatch size of the conv net."
      + " Default: ${DEFAULT-VALUE} (the paper's).")
  int batch = ConvFamily.DEFAULT_BATCH;

  @Option(names = "--trained", paramLabel = "FILE", description = "Use this trained optimizer"
      + " file (groups conv and fc, or one net) instead of meta-training one on 10 classes;"
      + " 'general': the optimizer shipped in the jar (used when no file of that name exists).")
  Path trained;

  @Option(names = "--trained-sub", paramLabel = "FILE", description = "Use this file as LSTM-sub"
      + " instead of meta-training one on the labels " + SUB_LABELS + " ('general' as for"
      + " --trained).")
  Path trainedSub;

  @Mixin TrainingOptions training = new TrainingOptions(defaults());

  @Mixin SeedOption seedOption;

  @Option(names = "--cases", paramLabel = "LIST", description = "Which cases to run, from a,b,c."
      + " Default: ${DEFAULT-VALUE}.")
  String cases = "a,b,c";

  @Mixin BaselineOptions comparison = new BaselineOptions(10, 2, GRID);

  @Mixin OutputOptions output = new OutputOptions("conv");

  @Mixin ResumeOptions resumeOptions = new ResumeOptions(10);

  @Mixin QuietOption quietOption;

  /**
   * Meta-training defaults: 200 epochs of 100 steps in unrolls of 20, outer Adam 0.001,
   * validation every 20 epochs on 2 nets. LSTM and LSTM-sub train side by side (two processes)
   * when {@code --threads} is 2 or more: measured on a 2-core Xeon, 2,466 s and 2,106 s, so 41
   * minutes of meta-training.
   */
  static MetaTrainerConfig defaults() {
    return new MetaTrainerConfig(200, 100, 20, 0.001, 0, 20, 2, 1, 1, 5);
  }

  private ConvFamily.Settings settings(String classes, Split split) {
    try {
      return new ConvFamily.Settings(dataset,
          classes == null ? null : ConvFamily.parseClasses(classes), batch, split, null);
    } catch (org.l2l4j.util.SpecException e) {
      throw new UserException((e.getMessage().contains("batch") ? "--batch: " : "--dataset: ")
          + e.getMessage());
    }
  }

  @Option(names = "--sub-only", hidden = true, description = "Internal: the second process of"
      + " a run, meta-training LSTM-sub only.")
  boolean subOnly;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws Exception {
    resumeOptions.check();
    dataOption.apply();
    if (subOnly) {
      return trainSubOnly();
    }
    if (comparison.problems < 1 || comparison.tuneProblems < 1) {
      throw new UserException("--problems and --tune-problems must be >= 1");
    }
    List<Case> chosen = new ArrayList<>();
    for (String id : Workflows.splitTopLevel(cases)) {
      Case c = CASES.stream().filter(x -> x.id().equals(id)).findFirst()
          .orElseThrow(() -> new UserException("--cases: unknown case '" + id + "'; known: a,b,c"));
      if (chosen.contains(c)) {
        throw new UserException("--cases: case '" + id + "' is given twice");
      }
      chosen.add(c);
    }
    boolean needSub = chosen.stream().anyMatch(c -> c.classes() != null);
    double[] lrs = Workflows.grid(comparison.grid);
    var baselineList = Workflows.baselines(comparison.baselines);
    DjlFamily train10 = ConvFamily.create(settings(null, Split.TRAIN));
    DjlFamily trainSub = ConvFamily.create(settings(SUB_LABELS, Split.TRAIN));
    DataOption.announce(train10); // loads both splits: a bad file fails here
    if ((trained != null || trainedSub != null) && training.initFrom != null) {
      throw new UserException("give --trained/--trained-sub (no meta-training) or --init-from"
          + " (where meta-training starts), not both");
    }
    if (training.optimizer == null && training.initFrom == null) {
      training.optimizer = DEFAULT_OPTIMIZER;
    }
    Source main = source(trained, train10);
    Source sub = needSub ? source(trainedSub, trainSub) : null;
    if (main.weights == null) {
      training.start(main.nets); // a bad --init-from fails before any write
    }
    Path out = output.out;
    boolean resume = resumeOptions.resume;
    RunFolder.Existing existing = resumeOptions.existing(output);
    if (resume && main.weights == null) {
      Workflows.requireCheckpoint(out.resolve("train"));
    }
    List<Path> inputs = new ArrayList<>();
    if (trained != null) {
      inputs.add(trained);
    }
    if (trainedSub != null) {
      inputs.add(trainedSub);
    }
    List<Path> caseDirs = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    List<String> trainNotes = new ArrayList<>();
    try (RunFolder folder = RunFolder.open(out, existing, "conv",
        Workflows.hasCheckpoint(out.resolve("train")) ? "--resume to continue its meta-training"
            : null, inputs)) {
      // DJL computes one gradient at a time per JVM: side by side means a second process
      boolean sideBySide = main.weights == null && sub != null && sub.weights == null
          && training.threads >= 2;
      if (sideBySide) {
        // the engine first, so that PyTorch's native library is extracted to DJL's cache (on a
        // machine's first use) by this process alone, before the second one starts
        org.l2l4j.djl.DjlEngine.get();
      }
      SideProcess child = sideBySide ? SideProcess.start(subArgs(), out.resolve("train-sub")) : null;
      float[] w;
      float[] wSub;
      try {
        w = main.weights != null ? main.weights
            : train(train10, main.nets, "train", resume, trainNotes, "LSTM",
                child == null ? training.threads : training.threads - training.threads / 2);
        if (child != null) {
          OptimizerFile.Loaded l = child.await("meta-training LSTM-sub");
          trainNotes.add(trainedNote("LSTM-sub", l.nets().spec(), trainSub,
              ((Number) l.provenance().get("epochs")).intValue(),
              ((Number) l.provenance().get("training_seconds_this_run")).doubleValue(),
              ((Number) l.provenance().get("best_epoch")).intValue())
              + " Side by side with LSTM, in a second process.");
          wSub = l.weights();
        } else {
          wSub = sub == null ? null : sub.weights != null ? sub.weights
              : train(trainSub, sub.nets, "train-sub", resumeSub(), trainNotes, "LSTM-sub",
                  training.threads);
        }
      } finally {
        if (child != null) {
          child.stop();
        }
      }
      if (main.weights != null) {
        trainNotes.add("LSTM loaded from " + trained + " (" + main.nets.spec() + ").");
      }
      if (sub != null && sub.weights != null) {
        trainNotes.add("LSTM-sub loaded from " + trainedSub + " (" + sub.nets.spec() + ").");
      }
      try (Parallel parallel = new Parallel(training.threads)) {
        for (Case c : chosen) {
          DjlFamily test = ConvFamily.create(settings(c.classes(), Split.TEST));
          DjlFamily tune = ConvFamily.create(settings(c.classes(), Split.TRAIN));
          Comparison cmp = new Comparison(test, tune, training.steps, comparison.tuneProblems,
              comparison.problems, lrs, comparison.evalSeed);
          List<Evaluator.Entry> learned = new ArrayList<>();
          learned.add(new Evaluator.Entry("lstm", Workflows.learned("lstm", main.nets, w, test,
              main.where, parallel)));
          if (c.classes() != null) {
            learned.add(new Evaluator.Entry("lstm-sub", Workflows.learned("lstm-sub", sub.nets,
                wSub, test, sub.where, parallel)));
          }
          List<String> notes = new ArrayList<>(trainNotes);
          notes.add("LSTM was meta-trained on all ten labels, LSTM-sub on the labels " + SUB_LABELS
              + " only; both on the training images.");
          Reporting.compareCase(c.id(), c.label(),
              "conv net (" + dataset + ") case " + c.id() + ": " + c.label(), cmp, learned,
              baselineList, out, notes, quietOption.quiet, parallel, caseDirs, lines);
          test.close();
          tune.close();
        }
      }
      Report.writeIndex(out, "l2l4j conv-net experiments (" + dataset + ")", caseDirs, lines);
    } finally {
      train10.close();
      trainSub.close();
    }
    for (String l : lines) {
      System.out.println(l);
    }
    System.out.println("report: " + out.resolve("index.html"));
    return 0;
  }

  /** Where a learned optimizer comes from: a file (weights set) or meta-training (nets only). */
  private static final class Source {
    final NetGroups nets;
    final float[] weights;
    final String where;

    Source(NetGroups nets, float[] weights, String where) {
      this.nets = nets;
      this.weights = weights;
      this.where = where;
    }
  }

  private Source source(Path file, DjlFamily family) {
    if (file != null) {
      OptimizerFile.Loaded f = OptimizerFile.readFileOrPretrained(file.toString());
      Workflows.groups(f.nets(), family, file.toString());
      return new Source(f.nets(), f.weights(), file.toString());
    }
    return new Source(training.nets(family), null, "--optimizer");
  }

  private float[] train(DjlFamily family, NetGroups nets, String folder, boolean resumeIt,
      List<String> notes, String label, int threads) throws java.io.IOException {
    MetaTrainerConfig mc = training.config(seedOption.seed).withThreads(threads);
    Workflows.Trained t = Workflows.train(family, nets, mc, output.out.resolve(folder),
        resumeOptions.checkpointEvery, resumeIt, quietOption.quiet, null, label,
        training.start(nets));
    notes.add(trainedNote(label, t.nets().spec(), family, t.state().epoch, t.seconds(),
        t.state().bestEpoch));
    return t.weights();
  }

  private String trainedNote(String label, String nets, DjlFamily family, int epochs,
      double seconds, int bestEpoch) {
    return String.format(Locale.ROOT,
        "%s %s meta-trained on %s for %d epochs (%s, seed %d) in %.0f s (this run); best"
            + " validation at epoch %d.",
        label, nets, family.spec(), epochs, training.config(seedOption.seed).spec(),
        seedOption.seed, seconds, bestEpoch);
  }

  /**
   * The arguments of the second process that meta-trains LSTM-sub: this run's own arguments with
   * {@code --sub-only} and half the threads.
   */
  private List<String> subArgs() {
    List<String> a = new ArrayList<>();
    // the whole command line, "conv" included
    List<String> orig = commandSpec.commandLine().getParseResult().originalArgs();
    for (int i = 0; i < orig.size(); i++) {
      String x = orig.get(i);
      if (x.equals("--threads")) {
        i++; // and its value
      } else if (!x.startsWith("--threads=")) {
        a.add(x);
      }
    }
    a.add("--threads=" + training.threads / 2);
    a.add("--sub-only");
    return a;
  }

  /** Whether LSTM-sub's meta-training resumes: with --resume, when OUT/train-sub has a checkpoint. */
  private boolean resumeSub() {
    return resumeOptions.resume && Workflows.hasCheckpoint(output.out.resolve("train-sub"));
  }

  /** {@code --sub-only}: meta-train LSTM-sub into OUT/train-sub, nothing else (no lock taken). */
  private Integer trainSubOnly() throws Exception {
    DjlFamily trainSub = ConvFamily.create(settings(SUB_LABELS, Split.TRAIN));
    try {
      if (training.optimizer == null && training.initFrom == null) {
        training.optimizer = DEFAULT_OPTIMIZER;
      }
      train(trainSub, training.nets(trainSub), "train-sub", resumeSub(), new ArrayList<>(),
          "LSTM-sub", training.threads);
    } finally {
      trainSub.close();
    }
    return 0;
  }
}
