package org.l2l4j.cli;

import org.l2l4j.meta.MetaListener;

/**
 * Renders meta-training progress: epochs done (moving within an epoch as unrolls finish), the
 * training loss as the mean of the last {@value #WINDOW} epochs' mean optimizee losses, and the
 * latest validation with the epoch it ran after and what it averages, e.g. {@code meta-training
 * lstm: epoch 1200/3000 (40.0%, 62 s, about 93 s left)  train loss (mean of the last 100 epochs)
 * 0.153  valid loss (epoch 1200, mean over 100 steps of 20 problems) 0.148, new best}.
 */
final class TrainingProgress implements MetaListener {
  /** Epochs in the training-loss mean. */
  static final int WINDOW = 100;

  private final Progress progress;
  private final int steps;
  private final int validationProblems;
  private final double[] recent = new double[WINDOW];
  private int seen;
  private double bestScore;
  private int bestEpoch;
  private String trainPart = "";
  private String validPart = "";

  /**
   * @param steps optimizee steps per epoch (what a validation score averages over)
   * @param bestScore the best validation score so far (+∞ for a fresh run)
   * @param bestEpoch the epoch of {@code bestScore}
   */
  TrainingProgress(Progress progress, int steps, int validationProblems, double bestScore,
      int bestEpoch) {
    this.progress = progress;
    this.steps = steps;
    this.validationProblems = validationProblems;
    this.bestScore = bestScore;
    this.bestEpoch = bestEpoch;
  }

  @Override
  public void unrollDone(int epoch, int unrollsDone, int unrolls) {
    progress.now("[epoch " + epoch + ": unroll " + unrollsDone + "/" + unrolls + " done]");
    show((epoch - 1) + (double) unrollsDone / unrolls);
  }

  @Override
  public void epochDone(int epoch, int totalEpochs, double meanLoss) {
    recent[seen % WINDOW] = meanLoss;
    seen++;
    int n = Math.min(seen, WINDOW);
    double sum = 0;
    int finite = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isFinite(recent[i])) {
        sum += recent[i];
        finite++;
      }
    }
    String what = n == 1 ? "epoch " + epoch : "mean of the last " + n + " epochs";
    if (finite < n) {
      what += ", " + (n - finite) + " diverged";
    }
    trainPart = "train loss (" + what + ") " + (finite > 0 ? fmt(sum / finite) : "-");
    progress.now("");
    show(epoch);
  }

  @Override
  public void validationProgress(int epoch, int problemsDone, int problems) {
    progress.now("[validating after epoch " + epoch + ": " + problemsDone + "/" + problems
        + " problems done]");
    show(epoch);
  }

  @Override
  public void validated(int epoch, double score, boolean improved) {
    if (improved) {
      bestScore = score;
      bestEpoch = epoch;
    }
    validPart = "valid loss (epoch " + epoch + ", mean over " + steps + " steps of "
        + validationProblems + " problems) " + fmt(score)
        + (improved ? ", new best" : ", best " + fmt(bestScore) + " at epoch " + bestEpoch);
    progress.now("");
    show(epoch);
  }

  @Override
  public void skipped(int epoch, int unroll, String why) {
    progress.log("epoch " + epoch + ": meta-update skipped (" + why + ")");
  }

  @Override
  public void recovered(int epoch, double lr) {
    progress.log("epoch " + epoch + ": too many skipped updates; restored the best weights,"
        + " meta learning rate now " + lr);
  }

  /** Prints the final line: the last epoch's numbers and the final validation. */
  void finish() {
    progress.now("");
    progress.detail(detail());
    progress.finish();
  }

  private void show(double position) {
    progress.detail(detail());
    progress.update(position);
  }

  private String detail() {
    return trainPart + (trainPart.isEmpty() || validPart.isEmpty() ? "" : "  ") + validPart;
  }

  private static String fmt(double v) {
    return Double.isFinite(v) ? Progress.sig4(v) : "diverged";
  }
}
