package org.l2l4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.l2l4j.cli.report.Report;
import org.l2l4j.cli.report.ReportData;
import org.l2l4j.djl.art.ArtData;
import org.l2l4j.djl.art.ArtException;
import org.l2l4j.djl.art.ArtFamily;
import org.l2l4j.djl.art.ArtGrid;
import org.l2l4j.djl.art.ArtImages;
import org.l2l4j.djl.art.ArtProblem;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.problem.MixtureFamily;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j art}: the paper's neural-art experiment (§3.4) on DJL. */
@Command(
    name = "art",
    mixinStandardHelpOptions = true,
    description = {
      "The paper's neural-art experiment on DJL, with a report and a PNG grid per case.",
      "The optimizee: theta is the pixels of an S x S RGB image; f = alpha * content + beta * style + gamma *"
          + " total variation on the features of a fixed random multi-scale conv net"
          + " (Ustyuzhaninov et al. 2017). Meta-trains a learned optimizer on the training style"
          + " at --size with random crops of the meta-training content images, the loss weights"
          + " multiplied by a factor of --loss-scales drawn per epoch, keeping the weights that"
          + " validate best on the training style at --validation-size (--large-size). By"
          + " default it fine-tunes the shipped general optimizer (--init-from general; any"
          + " fine-tuning at --meta-lr 0.0001 unless given); --optimizer SPEC meta-trains SPEC from"
          + " random weights instead (the paper's"
          + " LSTM: 'lstm(preset=paper,init=zero-output)', at --meta-lr 0.001). Then it compares it"
          + " with SGD, RMSprop, Adam and NAG, each tuned per case on the tuning content images,"
          + " on content images never seen before: (a) the training style at --size; (b) the"
          + " training style at --large-size; (c) --new-style at --large-size. Writes one"
          + " report per case (OUT/case-X, with images.png: content, style and each optimizer's"
          + " image after the last step) and OUT/index.html. Progress goes to standard error,"
          + " results to standard output.",
      "The images are scikit-image's sample images (scripts/setup-data.sh puts them in the data"
          + " cache's skimage folder). One step of the art problem takes about 9 ms at 64 x 64"
          + " and 40 ms at 128 x 128 on one core."
    })
final class ArtCommand implements Callable<Integer> {
  /**
   * Where meta-training starts when neither --optimizer nor --init-from is given: the shipped
   * {@code general} optimizer, fine-tuned (README "Neural art": trainings from random weights
   * passed or failed the cases at 128 x 128 by the seed).
   */
  static final String DEFAULT_START = "general";

  /**
   * The outer learning rate of a fine-tuning (the default one or any --init-from), unless
   * --meta-lr or --meta-optimizer says.
   */
  static final double FINE_TUNE_META_LR = 1e-4;

  /** The tuning grid of the baselines: pixel losses need large rates too. */
  static final String GRID = "0.001,0.003,0.01,0.03,0.1,0.3,1,3,10,30,100";

  /** How many test contents the PNG grid shows. */
  static final int GRID_ROWS = 2;

  /** One case: its style (null: the training style) and size (false: --size). */
  record Case(String id, boolean newStyle, boolean large) {}

  static final List<Case> CASES = List.of(
      new Case("a", false, false), new Case("b", false, true), new Case("c", true, true));

  @Option(names = "--style", paramLabel = "FILE", description = "The training style: a file name"
      + " in the image folder. Default: ${DEFAULT-VALUE}.")
  String style = ArtData.TRAIN_STYLE;

  @Option(names = "--new-style", paramLabel = "FILE", description = "The style of case (c)."
      + " Default: ${DEFAULT-VALUE}.")
  String newStyle = ArtData.NEW_STYLE;

  @Option(names = "--size", paramLabel = "S", description = "Image side of meta-training and"
      + " case (a): a multiple of 8 from 16 to 512. Default: ${DEFAULT-VALUE}.")
  int size = 64;

  @Option(names = "--large-size", paramLabel = "S", description = "Image side of cases (b) and"
      + " (c). Default: ${DEFAULT-VALUE}.")
  int largeSize = 128;

  @Option(names = "--data", paramLabel = "DIR", description = "The image folder (DIR/skimage if"
      + " that exists, else DIR). Default: the data cache's skimage folder.")
  Path data;

  @Option(names = "--trained", paramLabel = "FILE", description = "Use this trained optimizer"
      + " file instead of meta-training one; 'general': the optimizer shipped in the jar (used"
      + " when no file of that name exists).")
  Path trained;

  @Option(names = "--loss-scales", paramLabel = "LIST", description = "Meta-train with the loss"
      + " weights alpha, beta, gamma multiplied by one of these factors, drawn per epoch (random"
      + " loss scaling: per pixel the gradients of a 128x128 image are about 4 times smaller than"
      + " at 64x64, and an optimizer trained at one scale starts too slowly at the other); '1':"
      + " the plain training problems. Default: ${DEFAULT-VALUE}.")
  String lossScales = "1,0.5,0.25";

  @Option(names = "--validation-size", paramLabel = "S", description = "Image side of the"
      + " problems meta-training validates on (and picks its best weights by): the training style"
      + " on held-out crops of the meta-training contents. Default: --large-size.")
  Integer validationSize;

  @Mixin TrainingOptions training = new TrainingOptions(defaults());

  @Mixin SeedOption seedOption;

  @Option(names = "--cases", paramLabel = "LIST", description = "Which cases to run, from a,b,c."
      + " Default: ${DEFAULT-VALUE}.")
  String cases = "a,b,c";

  @Mixin BaselineOptions comparison = new BaselineOptions(10, 2, GRID);

  @Mixin OutputOptions output = new OutputOptions("art");

  @Mixin ResumeOptions resumeOptions = new ResumeOptions(10);

  @Mixin QuietOption quietOption;

  /**
   * Meta-training defaults: 1,000 epochs of 100 steps in unrolls of 20, outer Adam 0.001 (0.0001
   * for a fine-tuning, {@link #FINE_TUNE_META_LR}), validation every 20 epochs on 2
   * problems (about 1.7 s per epoch at 64 x 64 on the quiet 2-core machine, so about 28 minutes,
   * plus the validations at 128 x 128).
   */
  static MetaTrainerConfig defaults() {
    return new MetaTrainerConfig(1000, 100, 20, 0.001, 0, 20, 2, 1, 1, 5);
  }

  private ArtFamily family(String st, ArtData.Contents contents, int s) {
    return ArtFamily.create(ArtFamily.Settings.defaults().withStyle(st).withContents(contents)
        .withSize(s).withDir(data));
  }

  /**
   * The meta-training family: {@code train} itself for the scales "1" and no {@code validation},
   * else the mixture {@code mix(x1=art(...),x0.5=art(... weights × 0.5 ...),...,validation=...)},
   * one member per factor, in order, validated on {@code validation} (null: on itself).
   */
  static ProblemFamily trainingFamily(ArtFamily train, double[] scales, ArtFamily validation,
      List<ArtFamily> opened) {
    if (scales.length == 1 && scales[0] == 1 && validation == null) {
      return train;
    }
    java.util.Map<String, ProblemFamily> members = new java.util.LinkedHashMap<>();
    for (double c : scales) {
      ArtFamily m = c == 1 ? train : ArtFamily.create(train.settings().withLossScale(c));
      if (m != train) {
        opened.add(m);
      }
      members.put("x" + org.l2l4j.util.Spec.fmt(c), m);
    }
    return new MixtureFamily(members, 1, validation);
  }

  /** Parses {@code --loss-scales}: finite factors in (0, 1e6], no repeats. */
  static double[] parseScales(String text) {
    double[] out = Workflows.positives("--loss-scales", "factors", text);
    for (int i = 0; i < out.length; i++) {
      if (out[i] > 1e6) {
        throw new UserException("--loss-scales: factors must be at most 1e6, got " + out[i]);
      }
      for (int j = 0; j < i; j++) {
        if (out[j] == out[i]) {
          throw new UserException("--loss-scales: " + out[i] + " is given twice");
        }
      }
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    resumeOptions.check();
    if (comparison.problems < 1 || comparison.tuneProblems < 1) {
      throw new UserException("--problems and --tune-problems must be >= 1");
    }
    ArtImages.checkSize("--size", size);
    ArtImages.checkSize("--large-size", largeSize);
    if (validationSize != null) {
      ArtImages.checkSize("--validation-size", validationSize);
    }
    if (data != null && !Files.isDirectory(data)) {
      throw new UserException("--data " + data + ": not a folder");
    }
    if (data != null && data.toString().matches(".*[,()=;].*")) {
      throw new UserException("--data " + data + ": contains one of , ( ) = ; and cannot be"
          + " written in a problem spec; move or link it");
    }
    for (String[] st : new String[][] {{"--style", style}, {"--new-style", newStyle}}) {
      try {
        ArtFamily.Settings.defaults().withStyle(st[1]);
      } catch (org.l2l4j.util.SpecException e) {
        throw new UserException(st[0] + ": " + e.getMessage());
      }
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
    double[] lrs = Workflows.grid(comparison.grid);
    var baselineList = Workflows.baselines(comparison.baselines);
    double[] scales = parseScales(lossScales);
    ArtFamily train = family(style, ArtData.Contents.TRAIN, size);
    List<ArtFamily> opened = new ArrayList<>(List.of(train));
    // every file now: a bad one fails before any work, with one line naming it
    check(train, "--style");
    // meta-training validates at another size: those crops are checked now too
    boolean validatesElsewhere = trained == null && validationSide() != size;
    if (validatesElsewhere) {
      check(family(style, ArtData.Contents.TRAIN, validationSide()), "--style");
    }
    for (Case c : chosen) {
      check(family(c.newStyle() ? newStyle : style, ArtData.Contents.TUNE, sizeOf(c)),
          c.newStyle() ? "--new-style" : "--style");
      check(family(c.newStyle() ? newStyle : style, ArtData.Contents.TEST, sizeOf(c)),
          c.newStyle() ? "--new-style" : "--style");
    }
    System.out.println("data: scikit-image sample images in " + ArtData.folder(data));
    if (trained != null && training.initFrom != null) {
      throw new UserException("give --trained (no meta-training) or --init-from (where"
          + " meta-training starts), not both");
    }
    if (trained == null && training.optimizer == null && training.initFrom == null) {
      training.initFrom = DEFAULT_START;
    }
    if (training.initFrom != null) {
      training.defaultMetaLr = FINE_TUNE_META_LR; // any fine-tuning, unless --meta-lr says
    }
    NetGroups nets;
    float[] weights = null;
    if (trained != null) {
      OptimizerFile.Loaded f = OptimizerFile.readFileOrPretrained(trained.toString());
      Workflows.groups(f.nets(), train, trained.toString());
      nets = f.nets();
      weights = f.weights();
    } else {
      nets = training.nets(train);
    }
    Workflows.Start start = weights == null ? training.start(nets) : null; // checked before work
    ArtFamily validation = null;
    if (validatesElsewhere) {
      validation = family(style, ArtData.Contents.TRAIN, validationSide());
      opened.add(validation);
    }
    ProblemFamily trainFamily =
        weights == null ? trainingFamily(train, scales, validation, opened) : train;
    Path out = output.out;
    boolean resume = resumeOptions.resume;
    RunFolder.Existing existing = resumeOptions.existing(output);
    if (resume && weights == null) {
      Workflows.requireCheckpoint(out.resolve("train"));
    }
    List<Path> inputs = trained == null ? List.of() : List.of(trained);
    List<Path> caseDirs = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try (RunFolder folder = RunFolder.open(out, existing, "art",
        Workflows.hasCheckpoint(out.resolve("train")) ? "--resume to continue its meta-training"
            : null, inputs)) {
      if (weights == null) {
        MetaTrainerConfig mc = training.config(seedOption.seed);
        Workflows.Trained t = Workflows.train(trainFamily, nets, mc, out.resolve("train"),
            resumeOptions.checkpointEvery, resume, quietOption.quiet, null, null, start);
        weights = t.weights();
        nets = t.nets();
        notes.add(String.format(Locale.ROOT,
            "LSTM %s meta-trained on %s for %d epochs (%s, seed %d%s) in %.0f s (this run); best"
                + " validation at epoch %d.", nets.spec(), trainFamily.spec(), t.state().epoch,
            mc.spec(), seedOption.seed, start == null ? ""
                : ", starting from " + start.description(), t.seconds(), t.state().bestEpoch));
      } else {
        notes.add("LSTM loaded from " + trained + " (" + nets.spec() + ").");
      }
      notes.add("Contents: meta-training " + String.join(", ",
          ArtData.contents(ArtData.Contents.TRAIN)) + "; tuning " + String.join(", ",
          ArtData.contents(ArtData.Contents.TUNE)) + "; test " + String.join(", ",
          ArtData.contents(ArtData.Contents.TEST)) + " (random square crops).");
      try (Parallel parallel = new Parallel(training.threads)) {
        for (Case c : chosen) {
          String st = c.newStyle() ? newStyle : style;
          int s = sizeOf(c);
          ArtFamily test = family(st, ArtData.Contents.TEST, s);
          ArtFamily tune = family(st, ArtData.Contents.TUNE, s);
          opened.add(test);
          opened.add(tune);
          Comparison cmp = new Comparison(test, tune, training.steps, comparison.tuneProblems,
              comparison.problems, lrs, comparison.evalSeed);
          var lstm = Workflows.learned("lstm", nets, weights, test, "--optimizer", parallel);
          List<Evaluator.Entry> learned = List.of(new Evaluator.Entry("lstm", lstm));
          String label = (c.newStyle() ? "new style " : "training style ") + st + ", " + s + "x"
              + s;
          List<String> caseNotes = new ArrayList<>(notes);
          caseNotes.add("images.png: for " + GRID_ROWS + " test contents (drawn with seed "
              + gridSeed() + "), the content, the style and each optimizer's image after "
              + training.steps + " steps from the same start (tuned rates), clipped to [0, 1] for"
              + " display.");
          java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>();
          extra.put("case", c.id());
          extra.put("case_label", label);
          Path dir = out.resolve("case-" + c.id());
          ReportData d = Reporting.compare("neural art case " + c.id() + ": " + label, cmp,
              learned, baselineList, dir, caseNotes, extra, quietOption.quiet, parallel);
          System.out.print(Report.table(d));
          System.out.println();
          caseDirs.add(dir);
          lines.add(Report.winnerLine(d));
          grid(dir.resolve("images.png"), test, lstm, baselineList, d);
          test.close();
          tune.close();
        }
      }
      Report.writeIndex(out, "l2l4j neural-art experiments", caseDirs, lines);
    } finally {
      for (ArtFamily f : opened) {
        f.close();
      }
    }
    for (String l : lines) {
      System.out.println(l);
    }
    System.out.println("report: " + out.resolve("index.html"));
    return 0;
  }

  /** The validation size: --validation-size, or --large-size. */
  private int validationSide() {
    return validationSize != null ? validationSize : largeSize;
  }

  private int sizeOf(Case c) {
    return c.large() ? largeSize : size;
  }

  private long gridSeed() {
    return comparison.evalSeed + 7919;
  }

  private static void check(ArtFamily f, String flag) {
    try {
      f.check();
    } catch (ArtException e) {
      throw new UserException(e.getMessage().startsWith("style:")
          ? flag + ": " + e.getMessage().substring("style: ".length()) : e.getMessage());
    } finally {
      f.close();
    }
  }

  /** The PNG grid: GRID_ROWS test contents, each optimizer after the last step. */
  private void grid(Path file, ArtFamily test, Optimizer<?> lstm,
      List<BaselineOptimizer<?>> baselines, ReportData d) throws java.io.IOException {
    List<String> labels = new ArrayList<>(List.of("content", "style", "lstm"));
    List<Optimizer<?>> opts = new ArrayList<>(List.of(lstm));
    for (BaselineOptimizer<?> b : baselines) {
      Double lr = d.tunedLearningRates().get(b.name());
      if (lr != null) {
        labels.add(b.name() + " " + org.l2l4j.util.Spec.fmt(lr));
        opts.add(b.withLearningRate(lr));
      }
    }
    SplittableRandom rng = new SplittableRandom(gridSeed());
    List<List<float[]>> rows = new ArrayList<>();
    for (int r = 0; r < GRID_ROWS; r++) {
      ArtProblem p = (ArtProblem) test.sample(rng);
      long initSeed = rng.nextLong();
      List<float[]> row = new ArrayList<>(List.of(p.content(), test.styleImage()));
      for (Optimizer<?> o : opts) {
        float[] theta = new float[p.dimension()];
        p.init(new SplittableRandom(initSeed), theta);
        row.add(run(o, p, theta));
      }
      rows.add(row);
    }
    ArtGrid.write(file, labels, rows, test.settings().size());
  }

  private <S extends Optimizer.State> float[] run(Optimizer<S> o, ArtProblem p, float[] theta) {
    S state = o.init(theta.length);
    float[] g = new float[theta.length];
    for (int t = 0; t < training.steps; t++) {
      p.valueAndGradient(theta, g, null);
      o.step(state, theta, g);
    }
    return theta;
  }
}
