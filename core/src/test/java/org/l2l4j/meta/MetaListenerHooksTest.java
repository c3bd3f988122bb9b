package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;

/** The progress hooks of {@link MetaListener}: every call, in order, with the right numbers. */
class MetaListenerHooksTest {
  /** Records every hook call as a line. */
  static final class Recorder implements MetaListener {
    final List<String> events = new ArrayList<>();
    final List<Double> epochLosses = new ArrayList<>();
    final List<Double> scores = new ArrayList<>();

    @Override
    public void unrollDone(int epoch, int unrollsDone, int unrolls) {
      events.add("unroll " + epoch + " " + unrollsDone + "/" + unrolls);
    }

    @Override
    public void epochDone(int epoch, int totalEpochs, double meanLoss) {
      events.add("epoch " + epoch + "/" + totalEpochs);
      epochLosses.add(meanLoss);
    }

    @Override
    public void validationProgress(int epoch, int problemsDone, int problems) {
      events.add("validating " + epoch + " " + problemsDone + "/" + problems);
    }

    @Override
    public void validated(int epoch, double score, boolean improved) {
      events.add("validated " + epoch);
      scores.add(score);
    }
  }

  @Test
  void hooksComeInOrderWithTheRightCounts() {
    // 22 steps in unrolls of 5: 5 unrolls, the last one of 2 steps
    int epochs = 5;
    int threads = 2;
    MetaTrainerConfig mc = new MetaTrainerConfig(epochs, 22, 5, 0.003, 0, 2, 3, 7, threads, 3);
    ProblemFamily family = Problems.parse("quadratic");
    MetaTrainer trainer = new MetaTrainer(mc, LstmConfig.quadratic(), LstmKernels.best());
    Recorder rec = new Recorder();
    TrainingState state = trainer.train(family, trainer.freshState(), rec, null);

    List<String> expected = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      for (int u = 1; u <= 5; u++) {
        expected.add("unroll " + e + " " + u + "/5");
      }
      expected.add("epoch " + e + "/" + epochs);
      if (e % 2 == 0 || e == epochs) {
        for (int k = 1; k <= 3; k++) {
          expected.add("validating " + e + " " + k + "/3");
        }
        expected.add("validated " + e);
      }
    }
    assertThat(rec.events).containsExactlyElementsOf(expected);
    assertThat(rec.epochLosses).allSatisfy(l -> assertThat(l).isFinite().isPositive());
    // the scores reported are the validation scores the trainer kept
    assertThat(rec.scores).contains(state.bestScore);
    try (org.l2l4j.util.Parallel parallel = new org.l2l4j.util.Parallel(1)) {
      assertThat(rec.scores.get(rec.scores.size() - 1))
          .isEqualTo(trainer.validate(family, state.weights, parallel));
    }
  }
}
