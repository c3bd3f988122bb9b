package org.l2l4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

/**
 * What a meta-batch buys on MNIST: meta-trains the {@code mnist} command's optimizer ({@code
 * lstm(preset=paper,init=zero-output)}, the {@code mnist} preset's trainer) with meta-batches of
 * B = 1, 4, 16 ... for the same number of optimizees (so the same optimizee-steps), validating
 * after the same numbers of optimizees, and writes one CSV row per validation: {@code
 * batch,epoch,meta_updates,optimizees,optimizee_steps,wall_s,train_s,valid_loss} ({@code wall_s}
 * includes validation, {@code train_s} does not). Run by {@code bench/meta-batch.sh}; needs the
 * MNIST digits ({@code scripts/setup-data.sh}).
 *
 * <p>Arguments: {@code --batches 1,4,16 --optimizees 1600 --validate-optimizees 64
 * --validation-problems 5 --threads 2 --seed 1 --problem mnist --out meta-batch.csv}.
 */
public final class MetaBatchCurve {
  private MetaBatchCurve() {}

  /** Runs the comparison; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    String batches = "1,4,16";
    int optimizees = 1600;
    int validateOptimizees = 64;
    int validationProblems = 5;
    int threads = 2;
    long seed = 1;
    String problem = "mnist";
    Path out = Path.of("meta-batch.csv");
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--batches" -> batches = v;
        case "--optimizees" -> optimizees = Integer.parseInt(v);
        case "--validate-optimizees" -> validateOptimizees = Integer.parseInt(v);
        case "--validation-problems" -> validationProblems = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--problem" -> problem = v;
        case "--out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    ProblemFamily family = Problems.parse(problem);
    LstmConfig lstm = LstmConfig.parse("lstm(preset=paper,init=zero-output)");
    try (PrintStream csv = new PrintStream(Files.newOutputStream(out), true,
        StandardCharsets.UTF_8)) {
      csv.println("batch,epoch,meta_updates,optimizees,optimizee_steps,wall_s,train_s,valid_loss");
      for (String part : batches.split(",")) {
        int b = Integer.parseInt(part.strip());
        MetaTrainerConfig mc = MetaTrainerConfig.preset("mnist", seed)
            .withEpochs(Math.max(1, optimizees / b))
            .withValidation(Math.max(1, validateOptimizees / b), validationProblems)
            .withThreads(threads).withMetaBatch(b);
        MetaTrainer trainer = new MetaTrainer(mc, lstm, LstmKernels.best());
        var state = trainer.freshState();
        long t0 = System.nanoTime();
        long[] validNanos = {0, 0};
        MetaListener listener = new MetaListener() {
          @Override
          public void epochDone(int epoch, int totalEpochs, double meanLoss) {
            validNanos[1] = System.nanoTime(); // a validation starts now, if any
          }

          @Override
          public void validated(int epoch, double score, boolean improved) {
            long now = System.nanoTime();
            validNanos[0] += now - validNanos[1];
            double wall = (now - t0) / 1e9;
            csv.printf(Locale.ROOT, "%d,%d,%d,%d,%d,%.3f,%.3f,%.6g%n", b, epoch,
                state.updates, (long) epoch * b, (long) epoch * b * mc.stepsPerEpoch(), wall,
                wall - validNanos[0] / 1e9, score);
            System.err.printf(Locale.ROOT, "B=%d epoch %d: valid %.4f after %.1f s%n", b, epoch,
                score, wall);
          }
        };
        trainer.train(family, state, listener, null);
      }
    }
  }
}
