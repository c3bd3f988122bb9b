package org.l2l4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.Provenance;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointMeta;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.Parallel;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/** The flows that several commands share: meta-training with checkpoints, and baselines. */
final class Workflows {
  /** The trained optimizer file's name in an output folder. */
  static final String OPTIMIZER_FILE = "optimizer.json";
  /** The checkpoint file's name in an output folder. */
  static final String CHECKPOINT_FILE = "checkpoint.ckpt";

  private Workflows() {}

  /** Whether {@code out} holds a checkpoint or (after a kill inside a write) its {@code .prev}. */
  static boolean hasCheckpoint(Path out) {
    Path ckpt = out.resolve(CHECKPOINT_FILE);
    return Files.exists(ckpt) || Files.exists(Checkpoint.previous(ckpt));
  }

  /** Refuses {@code --resume} when {@code out} holds no checkpoint (nor its {@code .prev}). */
  static void requireCheckpoint(Path out) {
    Path ckpt = out.resolve(CHECKPOINT_FILE);
    if (!hasCheckpoint(out)) {
      throw new UserException("--resume: no checkpoint in " + out + " (expected " + ckpt + ")");
    }
  }

  /**
   * Refuses to continue {@code loaded} with settings other than its own (the core check, {@link
   * MetaTrainerConfig#resumeMismatches}), naming every differing flag with both values; warns
   * about settings an older checkpoint does not record.
   */
  static void checkResumable(Checkpoint.Loaded loaded, MetaTrainerConfig mc, Progress progress) {
    Map<String, String> saved;
    try {
      saved = new LinkedHashMap<>(MetaTrainerConfig.recorded(loaded.meta().trainer()));
    } catch (SpecException e) {
      throw new UserException(loaded.from() + ": field 'trainer': " + e.getMessage());
    }
    saved.putIfAbsent("seed", Long.toString(loaded.meta().seed()));
    List<String> was = new ArrayList<>();
    List<String> now = new ArrayList<>();
    for (MetaTrainerConfig.Mismatch m : mc.resumeMismatches(saved)) {
      String[] flag = flag(m);
      if (m.saved() == null) {
        progress.warn(loaded.from() + " does not record " + flag[0] + " (an older l2l4j); this"
            + " run uses " + flag[0] + " " + flag[2] + ": give the value of the first run");
      } else {
        was.add(flag[0] + " " + flag[1]);
        now.add(flag[0] + " " + flag[2]);
      }
    }
    if (!was.isEmpty()) {
      throw new UserException(loaded.from() + " was trained with " + String.join(", ", was)
          + "; this run asks for " + String.join(", ", now) + " (resume with the same value"
          + (was.size() > 1 ? "s)" : ")"));
    }
  }

  /** The flag of a setting and both values as the flag takes them: {flag, saved, now}. */
  private static String[] flag(MetaTrainerConfig.Mismatch m) {
    if (m.setting().equals("meta-loss")) {
      return new String[] {"--meta-loss", m.saved() == null ? null : "'" + m.saved() + "'",
          "'" + m.now() + "'"};
    }
    if (!m.setting().equals("outer")) {
      return new String[] {"--" + m.setting(), m.saved(), m.now()};
    }
    BaselineOptimizer<?> now = Optimizers.parseBaseline(m.now());
    BaselineOptimizer<?> was = null;
    try {
      was = m.saved() == null ? null : Optimizers.parseBaseline(m.saved());
    } catch (SpecException e) {
      // named as written
    }
    if (was != null && was.withLearningRate(1).equals(now.withLearningRate(1))) {
      // the same optimizer at another learning rate: what --meta-lr sets
      return new String[] {"--meta-lr", Spec.fmt(was.learningRate()),
          Spec.fmt(now.learningRate())};
    }
    return new String[] {"--meta-optimizer", m.saved() == null ? null : "'" + m.saved() + "'",
        "'" + m.now() + "'"};
  }

  /**
   * Weights to start meta-training from ({@code --init-from}).
   *
   * @param nets the nets the weights belong to
   * @param weights the weights
   * @param description what is recorded as the run's {@code start}: {@code pretrained:NAME}, or
   *     the file's absolute path with the SHA-256 of its bytes
   */
  record Start(NetGroups nets, float[] weights, String description) {
    /** Reads {@code arg} (a file, or a shipped optimizer's name); errors name {@code flag}. */
    static Start read(String flag, String arg) {
      OptimizerFile.Loaded f;
      try {
        f = OptimizerFile.readFileOrPretrained(arg);
      } catch (org.l2l4j.learned.OptimizerFileException e) {
        throw new UserException(flag + ": " + e.getMessage());
      }
      String description;
      if (OptimizerFile.namesPretrained(arg)) {
        description = "pretrained:" + arg;
      } else {
        Path p = Path.of(arg).toAbsolutePath().normalize();
        description = p + " (sha256 " + org.l2l4j.util.InputFiles.sha256(List.of(p)) + ")";
      }
      return new Start(f.nets(), f.weights(), description);
    }
  }

  /** A finished training run. */
  record Trained(NetGroups nets, float[] weights, Map<String, Object> provenance, double seconds,
      TrainingState state) {}

  /**
   * Meta-trains, checkpointing into {@code out} every {@code checkpointEvery} epochs, resuming
   * from the checkpoint there when {@code resume}; writes {@code out/optimizer.json}.
   */
  static Trained train(ProblemFamily family, LstmConfig lstm, MetaTrainerConfig mc, Path out,
      int checkpointEvery, boolean resume, boolean quiet) throws IOException {
    return train(family, NetGroups.single(lstm), mc, out, checkpointEvery, resume, quiet);
  }

  /** As {@link #train(ProblemFamily, LstmConfig, MetaTrainerConfig, Path, int, boolean, boolean)}, for several nets. */
  static Trained train(ProblemFamily family, NetGroups nets, MetaTrainerConfig mc, Path out,
      int checkpointEvery, boolean resume, boolean quiet) throws IOException {
    return train(family, nets, mc, out, checkpointEvery, resume, quiet, null);
  }

  /**
   * As {@link #train(ProblemFamily, NetGroups, MetaTrainerConfig, Path, int, boolean, boolean)};
   * with {@code spark} (a master URL) the meta-training runs there ({@link ClusterTraining}).
   */
  static Trained train(ProblemFamily family, NetGroups nets, MetaTrainerConfig mc, Path out,
      int checkpointEvery, boolean resume, boolean quiet, String spark) throws IOException {
    return train(family, nets, mc, out, checkpointEvery, resume, quiet, spark, null);
  }

  /**
   * As {@link #train(ProblemFamily, NetGroups, MetaTrainerConfig, Path, int, boolean, boolean,
   * String)}, its progress labelled {@code label} (null: "lstm", or "lstm+gac" for a GAC net), so
   * that two trainings side by side can be told apart.
   */
  static Trained train(ProblemFamily family, NetGroups nets, MetaTrainerConfig mc, Path out,
      int checkpointEvery, boolean resume, boolean quiet, String spark, String label)
      throws IOException {
    return train(family, nets, mc, out, checkpointEvery, resume, quiet, spark, label, null);
  }

  /**
   * As {@link #train(ProblemFamily, NetGroups, MetaTrainerConfig, Path, int, boolean, boolean,
   * String, String)}, a fresh run starting from {@code start}'s weights (null: random, from the
   * seed); a resumed run continues its checkpoint, which must have started from the same weights
   * when {@code start} is given.
   */
  static Trained train(ProblemFamily family, NetGroups nets, MetaTrainerConfig mc, Path out,
      int checkpointEvery, boolean resume, boolean quiet, String spark, String label, Start start)
      throws IOException {
    ClusterTraining cluster = spark == null ? null : ClusterTraining.find();
    String trainerDesc = mc.spec();
    Path ckpt = out.resolve(CHECKPOINT_FILE);
    MetaTrainer trainer = new MetaTrainer(mc, nets, LstmKernels.best());
    CheckpointMeta meta = new CheckpointMeta(nets.spec(), family.spec(), mc.seed(), trainerDesc,
        start == null ? null : start.description());
    // demo --gac and mnist --gac train two nets: the label says which
    Progress progress = new Progress("meta-training " + (label != null ? label
        : nets.bare() && nets.configs().get(0).gac() > 0 ? "lstm+gac" : "lstm"),
        "epoch", mc.epochs(), quiet);
    TrainingState state;
    if (resume) {
      requireCheckpoint(out);
      Checkpoint.Loaded loaded = Checkpoint.readLatest(ckpt);
      if (loaded.warning() != null) {
        progress.warn(loaded.warning());
      }
      CheckpointMeta m = loaded.meta();
      if (!m.lstmSpec().equals(meta.lstmSpec()) || !m.problemSpec().equals(meta.problemSpec())
          || m.seed() != meta.seed()) {
        throw new UserException(loaded.from() + " was written for optimizer " + m.lstmSpec()
            + ", problem " + m.problemSpec() + ", seed " + m.seed() + "; this run asks for "
            + meta.lstmSpec() + ", " + meta.problemSpec() + ", seed " + meta.seed());
      }
      checkResumable(loaded, mc, progress);
      if (start != null && !start.description().equals(m.start())) {
        throw new UserException(loaded.from() + " was started from "
            + (m.start() == null ? "a random initialisation" : m.start()) + "; this run asks for"
            + " --init-from " + start.description());
      }
      meta = m.start() == null ? meta : new CheckpointMeta(meta.lstmSpec(), meta.problemSpec(),
          meta.seed(), meta.trainer(), m.start());
      if (loaded.state().epoch > mc.epochs()) {
        throw new UserException(loaded.from() + " already has " + loaded.state().epoch
            + " epochs; this run asks for --epochs " + mc.epochs() + " (give at least "
            + loaded.state().epoch + ")");
      }
      state = loaded.state();
      if (state.epoch >= mc.epochs()) {
        progress.log("checkpoint already has " + state.epoch + " epochs (asked for " + mc.epochs()
            + "); nothing to train");
      } else {
        progress.log("resuming from " + loaded.from() + " at epoch " + state.epoch);
      }
    } else {
      // a kill between the two renames of a checkpoint write leaves only the .prev file
      if (Files.exists(ckpt) || Files.exists(Checkpoint.previous(ckpt))) {
        throw new UserException(out + " already holds a checkpoint; pass --resume to continue it,"
            + " or choose another --out");
      }
      state = start == null ? trainer.freshState()
          : trainer.stateFrom(family, start.weights());
      if (start != null) {
        progress.log("starting from " + start.description() + (mc.validateEvery() > 0
            ? String.format(java.util.Locale.ROOT, "; its validation score %.6g is the best"
                + " until one beats it", state.bestScore) : ""));
      }
    }
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    TrainingProgress listener = new TrainingProgress(progress, mc.validationHorizon(),
        mc.validationProblems(), state.bestScore, state.bestEpoch);
    progress.begin(state.epoch);
    MetaTrainer.Checkpointing checkpointing =
        new MetaTrainer.Checkpointing(ckpt, Math.max(1, checkpointEvery), meta);
    if (cluster != null) {
      Path data = org.l2l4j.problem.data.DataSets.defaultDirectory();
      state = cluster.train(spark, trainer, family, state, listener, checkpointing,
          data == null ? null : data.toAbsolutePath().toString());
      // the cluster's task 0 reported the epochs; the closing line shows where the run ended
      if (state.bestEpoch > 0) {
        listener.validated(state.bestEpoch, state.bestScore, true);
      }
      listener.unrollDone(state.epoch, 1, 1);
    } else {
      trainer.train(family, state, listener, checkpointing);
    }
    listener.finish();
    double seconds = (System.nanoTime() - t0) / 1e9;
    Provenance provenance = trainer.provenance(family, state, seconds, meta.start());
    OptimizerFile.write(out.resolve(OPTIMIZER_FILE), nets, state.bestWeights, provenance);
    Map<String, Object> prov = provenance.toMap();
    return new Trained(nets, state.bestWeights, prov, seconds, state);
  }

  /**
   * A learned optimizer with {@code nets} for the problems of {@code family}: a bare net runs on
   * all of θ; one net per group needs exactly the family's groups, else a one-line error naming
   * {@code source} (the optimizer file, or the flag) and the groups.
   */
  static LearnedOptimizer learned(String name, NetGroups nets, float[] weights,
      ProblemFamily family, String source, Parallel parallel) {
    return new LearnedOptimizer(name, nets, groups(nets, family, source), weights,
        LstmKernels.best(), parallel);
  }

  /**
   * The groups of {@code family} in the order of {@code nets} (null for a bare net), or a
   * one-line error naming {@code source} and the groups when they do not match.
   */
  static List<org.l2l4j.problem.ParamGroup> groups(
      NetGroups nets, ProblemFamily family, String source) {
    if (nets.bare()) {
      return null;
    }
    try {
      return nets.bind(family.groups(), family.dimension());
    } catch (SpecException e) {
      throw new UserException(source + ": " + e.getMessage());
    }
  }

  /**
   * Whether {@code arg} of an {@code --optimizer FILE|NAME} flag names an optimizer shipped in
   * the jar ({@link OptimizerFile#PRETRAINED}) rather than a file: no file of that name exists,
   * as {@link OptimizerFile#readFileOrPretrained} decides.
   */
  static boolean isPretrained(String arg) {
    return OptimizerFile.PRETRAINED.contains(arg) && !Files.exists(Path.of(arg));
  }

  /** The arguments of {@code --optimizer FILE|NAME} flags that are files (not shipped names). */
  static List<Path> inputFiles(List<String> args) {
    List<Path> out = new ArrayList<>();
    for (String a : args) {
      if (!isPretrained(a)) {
        try {
          out.add(Path.of(a));
        } catch (java.nio.file.InvalidPathException e) {
          // read earlier and refused there
        }
      }
    }
    return out;
  }

  /** Parses a comma-separated baseline list ({@code sgd,rmsprop,adam,nag}; {@code none}). */
  static List<BaselineOptimizer<?>> baselines(String list) {
    List<BaselineOptimizer<?>> out = new ArrayList<>();
    if (list.isBlank() || list.equals("none")) {
      return out;
    }
    for (String part : splitTopLevel(list)) {
      out.add(Optimizers.parseBaseline(part));
    }
    return out;
  }

  /** Splits on commas outside parentheses. */
  static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(s.substring(start).strip());
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new SpecException("empty entry in list '" + s + "'");
      }
    }
    return parts;
  }

  /** Parses a learning-rate grid such as {@code 1e-4,1e-3,0.01}. */
  static double[] grid(String text) {
    return positives("--grid", "learning rates", text);
  }

  /**
   * A comma-separated list of finite numbers > 0 given to {@code flag} ({@code what} names them
   * in the error), e.g. a grid of learning rates.
   *
   * @throws SpecException naming the flag for an empty entry, a non-number or a number ≤ 0
   */
  static double[] positives(String flag, String what, String text) {
    List<String> parts;
    try {
      parts = splitTopLevel(text);
    } catch (SpecException e) {
      throw new SpecException(flag + ": " + e.getMessage());
    }
    double[] g = new double[parts.size()];
    for (int i = 0; i < g.length; i++) {
      try {
        g[i] = Double.parseDouble(parts.get(i));
      } catch (NumberFormatException e) {
        throw new SpecException(flag + ": '" + parts.get(i) + "' is not a number");
      }
      if (!(g[i] > 0) || !Double.isFinite(g[i])) {
        throw new SpecException(flag + ": " + what + " must be finite and > 0, got "
            + parts.get(i));
      }
    }
    return g;
  }

  /** The default grid as a flag value. */
  static final String DEFAULT_GRID = org.l2l4j.eval.Tuner.gridText(org.l2l4j.eval.Tuner.DEFAULT_GRID);
}
