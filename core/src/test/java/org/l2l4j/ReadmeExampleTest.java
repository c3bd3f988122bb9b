package org.l2l4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.eval.Tuner;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.Nag;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.optim.RmsProp;
import org.l2l4j.optim.Sgd;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;

/**
 * The README's library example, line for line, with fewer epochs and problems so that it runs in
 * a test (keep the two in step).
 */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void theLibraryExampleCompilesAndRuns() throws Exception {
    ProblemFamily family = Problems.parse("quadratic");
    LstmConfig lstm = LstmConfig.parse("lstm(preset=quadratic)");
    MetaTrainerConfig mc = MetaTrainerConfig.preset("demo", /*seed*/ 1).withThreads(2)
        .withEpochs(3); // README: 3,000 epochs
    assertThat(mc.spec()).startsWith("meta(epochs=3,");
    assertThat(mc.withOuter(Optimizers.parseBaseline("nag(lr=1e-4,momentum=0.9)")).outer())
        .isEqualTo(new Nag(1e-4, 0.9));
    MetaTrainer trainer = new MetaTrainer(mc, lstm, LstmKernels.best());
    TrainingState trained = trainer.train(family, trainer.freshState(), MetaListener.NONE, /*checkpointing*/ null);
    OptimizerFile.write(dir.resolve("optimizer.json"), lstm, trained.bestWeights, trainer.provenance(family, trained, /*seconds*/ 0));

    try (Parallel pool = new Parallel(2)) {
      LearnedOptimizer learned = new LearnedOptimizer("lstm", lstm, trained.bestWeights, LstmKernels.best(), pool);
      Comparison cmp = new Comparison(family, 10, 2, 5, Tuner.DEFAULT_GRID, 1000); // README: 100, 20, 100
      Comparison.Result r = cmp.run(List.of(new Evaluator.Entry("lstm", learned)),
          List.of(new Sgd(1), new RmsProp(1, 0.99, 1e-8), new Adam(1), new Nag(1, 0.9)), new Comparison.Listener() {});
      assertThat(r).isNotNull();
    }
    assertThat(OptimizerFile.read(dir.resolve("optimizer.json")).provenance())
        .containsEntry("trainer", mc.spec());
  }
}
