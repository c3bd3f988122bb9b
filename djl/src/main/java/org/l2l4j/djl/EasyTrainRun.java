package org.l2l4j.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One training run of a DJL model with DJL's own {@link EasyTrain#fit}: the README's example of
 * {@link LearnedDjlOptimizer} beside DJL's optimizers. The model's parameters are drawn from N(0,
 * σ²) by DJL's {@link NormalInitializer} after {@code Engine.setRandomSeed(seed)}, and the
 * minibatches are images drawn with replacement by {@code new SplittableRandom(seed)}, so two
 * runs with the same seed and different optimizers start from the same weights and see the same
 * images in the same order. The loss of each minibatch is recorded before its update.
 */
public final class EasyTrainRun {
  private EasyTrainRun() {}

  /**
   * Trains {@code steps} minibatches and scores one more.
   *
   * @param blocks builds the model
   * @param data the training images
   * @param optimizer the optimizer DJL runs (not closed)
   * @param steps the number of updates N
   * @param batch the minibatch size
   * @param initStd σ of the initialisation
   * @param seed the seed of the initialisation and the minibatches
   * @return the minibatch losses at steps 0..N (N + 1 values; the last one's update is not used)
   */
  public static double[] run(Supplier<Block> blocks, ImageData data, Optimizer optimizer,
      int steps, int batch, float initStd, long seed) throws IOException {
    Shape image = new Shape(data.channels(), data.height(), data.width());
    int[] rows = new int[(steps + 1) * batch];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = r.nextInt(data.count());
    }
    double[] losses = new double[steps + 1];
    int[] at = new int[1];
    synchronized (DjlEngine.LOCK) {
      DjlEngine.get().setRandomSeed((int) seed);
      try (Model model = Model.newInstance("easytrain", DjlEngine.NAME)) {
        model.setBlock(blocks.get());
        Loss loss = Loss.softmaxCrossEntropyLoss();
        TrainingListener record = new TrainingListenerAdapter() {
          @Override
          public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            double sum = 0;
            for (var e : batchData.getPredictions().entrySet()) {
              try (NDArray l = loss.evaluate(batchData.getLabels().get(e.getKey()), e.getValue())) {
                sum += l.getFloat();
              }
            }
            losses[at[0]++] = sum / batchData.getPredictions().size();
          }
        };
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
            .optInitializer(new NormalInitializer(initStd), p -> true)
            .optOptimizer(optimizer)
            .addTrainingListeners(record);
        try (Trainer trainer = model.newTrainer(config)) {
          trainer.initialize(new Shape(batch, image.get(0), image.get(1), image.get(2)));
          try {
            EasyTrain.fit(trainer, 1, new Images(data, rows, image, batch), null);
          } catch (ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("DJL could not batch the images: " + e.getMessage(), e);
          }
        }
      }
    }
    if (at[0] != steps + 1) {
      throw new IllegalStateException("recorded " + at[0] + " minibatches, expected " + (steps + 1));
    }
    return losses;
  }

  /** The images at {@code rows}, in order, as a DJL data set with sequential minibatches. */
  private static final class Images extends RandomAccessDataset {
    private final ImageData data;
    private final int[] rows;
    private final Shape image;

    Images(ImageData data, int[] rows, Shape image, int batch) {
      super(new Builder().setSampling(batch, false));
      this.data = data;
      this.rows = rows;
      this.image = image;
    }

    @Override
    public Record get(NDManager manager, long index) {
      int row = rows[Math.toIntExact(index)];
      float[] x = new float[data.pixelsPerImage()];
      data.copyImage(row, x, 0);
      return new Record(new NDList(manager.create(x, image)),
          new NDList(manager.create((float) data.label(row))));
    }

    @Override
    protected long availableSize() {
      return rows.length;
    }

    @Override
    public void prepare(Progress progress) {}

    /** DJL's builder protocol. */
    private static final class Builder extends BaseBuilder<Builder> {
      @Override
      protected Builder self() {
        return this;
      }
    }
  }
}
