package org.l2l4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code l2l4j train}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Meta-train a learned optimizer on a problem family.",
      "Writes OUT/optimizer.json (the trained optimizer, best by validation) and"
          + " OUT/checkpoint.ckpt (written atomically every --checkpoint-every epochs; --resume"
          + " continues from it exactly). Progress goes to standard error, results to standard"
          + " output.",
      "A folder holding another run's results is refused unless --overwrite or --resume is"
          + " given; OUT/.lock keeps a second process out while this one runs.",
      "--resume refuses an --optimizer, --problem, --seed, --steps, --unroll, --meta-lr,"
          + " --meta-optimizer, --clip, --validate-every, --validation-problems or --max-bad other"
          + " than the checkpoint's, naming each with both values. --epochs may be raised (train"
          + " longer); --threads,"
          + " --checkpoint-every and --data may change."
    })
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--problem", paramLabel = "SPEC", description = "Problem family, e.g. quadratic, 'quadratic(preset=deepmind)', simple. Default: ${DEFAULT-VALUE}.")
  String problem = "quadratic";

  @Mixin DataOption dataOption;

  @Mixin TrainingOptions training;

  @Option(names = "--seed", paramLabel = "S", description = "Root seed. Default: ${DEFAULT-VALUE}.")
  long seed = 1;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("l2l4j-out", "train");

  @Option(names = "--checkpoint-every", paramLabel = "E", description = "Write a checkpoint every E epochs. Default: ${DEFAULT-VALUE}.")
  int checkpointEvery = 100;

  @Option(names = "--resume", description = "Continue from the checkpoint in --out (same settings; see above).")
  boolean resume;

  @Option(names = "--overwrite", description = "Delete the results of an earlier run in --out"
      + " (checkpoints included) and start afresh.")
  boolean overwrite;

  @Option(names = "--quiet", description = "No progress on standard error; warnings, errors and"
      + " results are still printed.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    if (checkpointEvery < 1) {
      throw new UserException("--checkpoint-every must be >= 1, got " + checkpointEvery);
    }
    dataOption.apply();
    ProblemFamily family = Problems.parse(problem);
    LstmConfig lstm = training.lstm(family);
    DataOption.announce(family);
    MetaTrainerConfig mc = training.config(seed);
    HeapCheck.require(org.l2l4j.meta.MemoryEstimate.training(family, lstm, mc));
    if (resume && overwrite) {
      throw new UserException("--resume and --overwrite exclude each other");
    }
    if (resume) {
      Workflows.requireCheckpoint(out); // before the folder is created
    }
    Workflows.Trained t;
    try (RunFolder folder = RunFolder.open(out, resume ? RunFolder.Existing.KEEP
        : overwrite ? RunFolder.Existing.OVERWRITE : RunFolder.Existing.REFUSE, "train",
        Workflows.hasCheckpoint(out) ? "--resume to continue its checkpoint" : null,
        java.util.List.of())) {
      t = Workflows.train(family, lstm, mc, out, checkpointEvery, resume, quiet);
    }
    System.out.printf(Locale.ROOT,
        "trained %s on %s: %d epochs, best validation score %.6g at epoch %d, %.1f s%n",
        lstm.spec(), family.spec(), t.state().epoch, t.state().bestScore, t.state().bestEpoch,
        t.seconds());
    System.out.println("optimizer file: " + out.resolve(Workflows.OPTIMIZER_FILE));
    return 0;
  }
}
