package org.l2l4j.meta;

/** Receives progress from {@link MetaTrainer}; the core never prints. All methods are optional. */
public interface MetaListener {
  /** A listener that ignores everything. */
  MetaListener NONE = new MetaListener() {};

  /**
   * An epoch ended.
   *
   * @param epoch epochs completed so far (1-based)
   * @param meanLoss the weighted mean of the meta-loss terms over the epoch's steps, Σ w_t·f_t /
   *     Σ w_t (log f_t for the log-mean meta-loss; see {@link MetaTrainer}): the mean optimizee
   *     loss for the default meta-loss (NaN if the epoch diverged)
   */
  default void epochDone(int epoch, int totalEpochs, double meanLoss) {}

  /**
   * An unroll of the running epoch ended with its meta-update; an epoch that diverges reports no
   * more unrolls. Called before {@link #epochDone} for the same epoch.
   *
   * @param epoch the running epoch (1-based)
   * @param unrollsDone unrolls finished in this epoch (1 to {@code unrolls})
   * @param unrolls unrolls per epoch
   */
  default void unrollDone(int epoch, int unrollsDone, int unrolls) {}

  /**
   * A validation run finished: {@code problemsDone} of {@code problems} validation problems are
   * done. Called one at a time (possibly from a worker thread), before {@link #validated}.
   *
   * @param epoch the epoch after which the validation runs
   */
  default void validationProgress(int epoch, int problemsDone, int problems) {}

  /** A validation ran; {@code improved} when it set a new best. */
  default void validated(int epoch, double score, boolean improved) {}

  /** A meta-update was skipped because a loss or meta-gradient was not finite. */
  default void skipped(int epoch, int unroll, String why) {}

  /** After too many skips in a row the best weights were restored and the rate halved. */
  default void recovered(int epoch, double newMetaLearningRate) {}

  /** A checkpoint was written after {@code epoch} epochs. */
  default void checkpointed(int epoch) {}
}
