package org.l2l4j.cli;

import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.meta.MetaLoss;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.SpecException;
import picocli.CommandLine.Option;

/**
 * Meta-training flags of {@code train} and {@code mnist}: {@link BasicTrainingOptions} ({@code
 * --epochs}, {@code --meta-lr}, {@code --meta-optimizer}, {@code --threads}) and the rest of the
 * trainer's settings ({@code --meta-loss} among them), with defaults from a {@link
 * MetaTrainerConfig#preset}.
 */
final class TrainingOptions extends BasicTrainingOptions {
  @Option(
      names = "--optimizer",
      paramLabel = "SPEC",
      description = "Learned optimizer spec, e.g. 'lstm(layers=20x20,preproc=log-sign(p=10),"
          + "scale=0.1)'; presets: 'lstm(preset=paper|deepmind|quadratic|simple)'. One net per"
          + " parameter group of the problem: 'groups(weights=lstm(preset=paper),"
          + "biases=lstm(preset=paper))' (MLPs have the groups weights and biases, other problems"
          + " one group all). Default:"
          + " 'lstm(preset=quadratic)' for quadratic problems, 'lstm(preset=simple)' for simple,"
          + " 'lstm(preset=paper,init=zero-output)' otherwise.")
  String optimizer;

  @Option(names = "--init-from", paramLabel = "FILE", description = "Start meta-training from"
      + " the weights of this trained optimizer (fine-tuning) instead of a random"
      + " initialisation: an optimizer file, or one shipped in the jar (general, general-long,"
      + " general-v1). Its nets are used; with --optimizer they must be the same. The start is"
      + " validated first (unless --validate-every 0) and stays the best weights until a"
      + " validation beats it. Recorded as"
      + " 'start' in the checkpoint and in the provenance of the optimizer file. Default: random.")
  String initFrom;

  @Option(names = "--steps", paramLabel = "N", description = "Optimizee steps per epoch. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--max-steps", paramLabel = "M", description = "Draw each epoch's horizon"
      + " from a heavy-tailed distribution: log-uniform in [--steps, M] (density 1/h), rounded"
      + " down to a multiple of --unroll; validation keeps --steps (see --validation-steps)."
      + " 0: every epoch --steps. Default: ${DEFAULT-VALUE}.")
  int maxSteps;

  @Option(names = "--validation-steps", paramLabel = "N", description = "Steps of each"
      + " validation run, by whose mean loss (or mean log loss) the best weights are kept;"
      + " 0: --steps. Default: ${DEFAULT-VALUE}.")
  int validationSteps;

  @Option(names = "--unroll", paramLabel = "T", description = "Steps per truncated-BPTT unroll (one meta-update each). Default: ${DEFAULT-VALUE}.")
  int unroll;

  /** The {@code train} preset's defaults. */
  TrainingOptions() {
    this(MetaTrainerConfig.preset("train", 1));
  }

  /** Defaults from {@code preset} (see {@link MetaTrainerConfig#preset}). */
  TrainingOptions(MetaTrainerConfig preset) {
    super(preset.epochs(), preset.metaLearningRate());
    steps = preset.stepsPerEpoch();
    unroll = preset.unroll();
    clip = preset.clip();
    validateEvery = preset.validateEvery();
    validationProblems = preset.validationProblems();
    maxBad = preset.maxBadInARow();
    metaLoss = preset.metaLoss().spec();
    maxSteps = preset.maxSteps();
    validationSteps = preset.validationSteps();
  }

  @Option(names = "--clip", paramLabel = "C", description = "Clip meta-gradients to [-C, C]; 0 = off. Default: ${DEFAULT-VALUE}.")
  double clip;

  @Option(names = "--validate-every", paramLabel = "E", description = "Validate (and keep the best weights) every E epochs. Default: ${DEFAULT-VALUE}.")
  int validateEvery;

  @Option(names = "--validation-problems", paramLabel = "K", description = "Held-out problems per validation. Default: ${DEFAULT-VALUE}.")
  int validationProblems;

  @Option(names = "--max-bad", paramLabel = "K", description = "After K skipped meta-updates in a row, restore the best weights and halve the meta learning rate. Default: ${DEFAULT-VALUE}.")
  int maxBad;

  @Option(names = "--meta-loss", paramLabel = "SPEC", description = "The meta-loss of each unroll of T steps: 'loss(weights=W,transform=X)' with W = uniform (every step 1), last (only step T) or one weight per unroll step separated by ';' (e.g. '0;0.5;1' for --unroll 3), and X = sum (Σ w_t f_t) or log-mean ((1/T) Σ w_t log f_t, Wichrowska et al. 2017; needs f > 0). Validation still scores the mean loss. Default: '${DEFAULT-VALUE}' (the paper's Σ_t f_t).")
  String metaLoss;

  /**
   * The learned optimizer's nets: the flag, or the default for the problem; groups that the
   * problem does not have are refused naming the flag and the problem's groups.
   */
  NetGroups nets(ProblemFamily family) {
    if (optimizer == null && initFrom != null) {
      NetGroups nets = start().nets();
      Workflows.groups(nets, family, "--init-from " + initFrom);
      return nets;
    }
    if (optimizer == null) {
      return NetGroups.single(defaultLstm(family));
    }
    NetGroups nets = NetGroups.parse(optimizer);
    try {
      nets.bind(family.groups(), family.dimension());
    } catch (org.l2l4j.util.SpecException e) {
      throw new UserException("--optimizer: " + e.getMessage());
    }
    return nets;
  }

  private Workflows.Start start;

  /**
   * The weights given by {@code --init-from} (read once), or null without the flag; an unreadable
   * file is one line naming the flag.
   */
  Workflows.Start start() {
    if (initFrom == null) {
      return null;
    }
    if (start == null) {
      start = Workflows.Start.read("--init-from", initFrom);
    }
    return start;
  }

  /**
   * {@link #start()} for a run with {@code nets}; nets other than the start's are refused naming
   * both specs.
   */
  Workflows.Start start(NetGroups nets) {
    Workflows.Start s = start();
    if (s != null && !s.nets().spec().equals(nets.spec())) {
      throw new UserException("--init-from " + initFrom + " holds " + s.nets().spec()
          + ", but this run trains " + nets.spec() + " (--optimizer); give the same nets, or"
          + " leave out --optimizer");
    }
    return s;
  }

  /**
   * The net of {@code nets} with the most weights, as a stand-in for all of them in memory
   * estimates made before a run.
   */
  static LstmConfig largest(NetGroups nets) {
    LstmConfig best = nets.configs().get(0);
    for (LstmConfig c : nets.configs()) {
      if (c.parameterCount() > best.parameterCount()) {
        best = c;
      }
    }
    return best;
  }

  static LstmConfig defaultLstm(ProblemFamily family) {
    String name = family.spec().contains("(") ? family.spec().substring(0, family.spec().indexOf('(')) : family.spec();
    return switch (name) {
      case "quadratic" -> LstmConfig.parse("lstm(preset=quadratic)");
      case "simple" -> LstmConfig.parse("lstm(preset=simple)");
      // Neural-net optimizees: the paper's configuration with zero initial output weights (see
      // LstmConfig.Init.ZERO_OUTPUT: with the official random output layer, meta-training on MNIST
      // collapsed to a do-nothing optimizer for some seeds).
      default -> LstmConfig.parse("lstm(preset=paper,init=zero-output)");
    };
  }

  /**
   * The {@code --gac G} variant of {@code lstm} (G global averaging cells per layer), or null for
   * G = 0; a bad G is reported by the flag's name.
   */
  static LstmConfig gacVariant(LstmConfig lstm, int gac) {
    require(gac >= 0, "--gac must be >= 0, got " + gac);
    if (gac == 0) {
      return null;
    }
    try {
      return lstm.withGac(gac);
    } catch (org.l2l4j.util.SpecException e) {
      throw new UserException("--gac " + gac + ": " + e.getMessage());
    }
  }

  /** The trainer settings; a bad flag value is reported by its flag name. */
  MetaTrainerConfig config(long seed) {
    require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
    require(steps >= 1, "--steps must be >= 1, got " + steps);
    require(unroll >= 1 && unroll <= steps,
        "--unroll must be in [1, --steps] = [1, " + steps + "], got " + unroll);
    BaselineOptimizer<?> outer = outer();
    require(clip >= 0 && Double.isFinite(clip), "--clip must be finite and >= 0, got " + clip);
    require(validateEvery >= 0, "--validate-every must be >= 0, got " + validateEvery);
    require(validationProblems >= 1,
        "--validation-problems must be >= 1, got " + validationProblems);
    require(threads >= 1 && threads <= 1024, "--threads must be in [1, 1024], got " + threads);
    require(maxBad >= 1, "--max-bad must be >= 1, got " + maxBad);
    require(metaBatch >= 1 && metaBatch <= MetaTrainerConfig.MAX_META_BATCH,
        "--meta-batch must be in [1, " + MetaTrainerConfig.MAX_META_BATCH + "], got " + metaBatch);
    require(maxSteps == 0 || maxSteps >= steps,
        "--max-steps must be 0 (off) or >= --steps = " + steps + ", got " + maxSteps);
    require(validationSteps >= 0,
        "--validation-steps must be 0 (= --steps) or >= 1, got " + validationSteps);
    MetaLoss loss;
    try {
      loss = MetaLoss.parse(metaLoss);
      loss.requireUnroll(unroll);
    } catch (SpecException e) {
      throw new UserException("--meta-loss: " + e.getMessage());
    }
    return new MetaTrainerConfig(epochs, steps, unroll, outer.learningRate(), clip, validateEvery,
        validationProblems, seed, threads, maxBad, outer, loss, metaBatch, maxSteps,
        validationSteps);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UserException(message);
    }
  }

}
