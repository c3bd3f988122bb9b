package org.l2l4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
      "--resume refuses an --optimizer, --problem, --seed, --steps, --max-steps, --unroll,"
          + " --meta-lr, --meta-optimizer, --meta-loss, --meta-batch, --clip, --validate-every,"
          + " --validation-problems, --validation-steps or --max-bad other"
          + " than the checkpoint's, naming each with both values. --epochs may be raised (train"
          + " longer); --threads,"
          + " --checkpoint-every and --data may change."
    })
final class TrainCommand implements Callable<Integer> {
  @Mixin ProblemOption problemOption;

  @Mixin DataOption dataOption;

  @Mixin TrainingOptions training = new TrainingOptions();

  @Mixin SeedOption seedOption;

  @Mixin OutputOptions output = new OutputOptions("train");

  @Mixin ResumeOptions resumeOptions = new ResumeOptions(100);

  @Mixin QuietOption quietOption;

  @picocli.CommandLine.Option(names = "--spark", paramLabel = "MASTER", description = "Meta-train"
      + " on Apache Spark: the optimizees of each meta-batch (--meta-batch) spread over the tasks"
      + " of a barrier stage that exchange only meta-gradients; the same weights as without"
      + " --spark, bit for bit. MASTER: a Spark master URL (local[2], local[4,3] for 3 tries,"
      + " spark://host:7077, ...), or 'submit' under spark-submit. Needs the l2l4j-spark jar:"
      + " ./l2l4j runs it when --spark is given (README: Scale-out).")
  String spark;

  @Override
  public Integer call() throws Exception {
    resumeOptions.check();
    if (spark != null) {
      ClusterTraining.find(); // before anything is written: the plain jar has none
    }
    dataOption.apply();
    ProblemFamily family = Problems.parse(problemOption.problem);
    NetGroups nets = training.nets(family);
    Workflows.Start start = training.start(nets); // a bad --init-from fails before any write
    DataOption.announce(family);
    MetaTrainerConfig mc = training.config(seedOption.seed);
    HeapCheck.require(org.l2l4j.meta.MemoryEstimate.training(family,
        TrainingOptions.largest(nets), mc));
    Path out = output.out;
    boolean resume = resumeOptions.resume;
    RunFolder.Existing existing = resumeOptions.existing(output);
    if (resume) {
      Workflows.requireCheckpoint(out); // before the folder is created
    }
    Workflows.Trained t;
    try (RunFolder folder = RunFolder.open(out, existing, "train",
        Workflows.hasCheckpoint(out) ? "--resume to continue its checkpoint" : null,
        java.util.List.of())) {
      t = Workflows.train(family, nets, mc, out, resumeOptions.checkpointEvery, resume,
          quietOption.quiet, spark, null, start);
    }
    System.out.printf(Locale.ROOT,
        "trained %s on %s: %d epochs, best validation score %.6g at epoch %d, %.1f s%n",
        nets.spec(), family.spec(), t.state().epoch, t.state().bestScore, t.state().bestEpoch,
        t.seconds());
    System.out.println("optimizer file: " + out.resolve(Workflows.OPTIMIZER_FILE));
    return 0;
  }
}
