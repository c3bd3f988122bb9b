package org.l2l4j.djl.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.l2l4j.djl.ConvFamily;
import org.l2l4j.djl.DjlEngine;
import org.l2l4j.djl.DjlFamily;
import org.l2l4j.djl.ImageData;
import org.l2l4j.djl.LearnedDjlOptimizer;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.util.Parallel;

/**
 * Times, on the paper's conv net ({@code conv(...)}, batch 128, random images of the data's
 * shape so that no data files are needed):
 *
 * <ol>
 *   <li>{@code optimizee}: one optimizee step through DJL, {@code Problem.valueAndGradient} (θ
 *       copied in, forward, backward, gradients copied out);
 *   <li>{@code copy}: the θ-in/gradient-out copies alone (arrays made from θ and read back);
 *   <li>{@code lstm}: one step of the learned optimizer ({@code lstm(preset=paper)}, two nets
 *       conv/fc) on as many coordinates, on 1 thread;
 *   <li>{@code update-learned} / {@code update-adam}: {@code Trainer.step()} (every parameter's
 *       optimizer update, after one backward pass) with {@link LearnedDjlOptimizer} and with
 *       DJL's Adam on the same model.
 * </ol>
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp djl/target/l2l4j-djl.jar
 * org.l2l4j.djl.bench.DjlBench [fashion|cifar] [SECONDS per measurement, default 10]}. Prints
 * the median and the quartiles of the per-call times in ms after a warm-up of the same length.
 */
public final class DjlBench {
  private DjlBench() {}

  /** Runs the measurements. */
  public static void main(String[] args) throws Exception {
    boolean cifar = args.length > 0 && args[0].startsWith("cifar");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    Shape image = cifar ? new Shape(3, 32, 32) : new Shape(1, 28, 28);
    int batch = ConvFamily.DEFAULT_BATCH;
    ImageData data = random(512, image);
    System.out.printf(Locale.ROOT, "DJL %s, PyTorch threads %s/%s, images %s, batch %d, %s JVM %s%n",
        DjlEngine.get().getVersion(), System.getProperty("ai.djl.pytorch.num_threads"),
        System.getProperty("ai.djl.pytorch.num_interop_threads"), image, batch,
        LstmKernels.best().getClass().getSimpleName(), Runtime.version());
    try (DjlFamily family = new DjlFamily("conv-bench", () -> ConvFamily.net(10),
        Loss.softmaxCrossEntropyLoss(), image, () -> data, batch, ConvFamily.INIT_STD,
        ConvFamily.GROUPING)) {
      int n = family.dimension();
      System.out.printf(Locale.ROOT, "coordinates %d%n", n);
      var p = family.sample(new SplittableRandom(0));
      float[] theta = new float[n];
      float[] grad = new float[n];
      p.init(new SplittableRandom(1), theta);
      SplittableRandom batches = new SplittableRandom(2);
      report("optimizee", seconds, () -> p.valueAndGradient(theta, grad, batches));
      try (NDManager m = DjlEngine.get().newBaseManager()) {
        report("copy", seconds, () -> {
          try (NDManager sub = m.newSubManager()) {
            for (DjlFamily.Param q : family.parameters()) {
              float[] v = Arrays.copyOfRange(theta, q.offset(), q.offset() + q.size());
              NDArray a = sub.create(v, q.shape());
              System.arraycopy(a.toFloatArray(), 0, grad, q.offset(), q.size());
            }
          }
        });
      }
      NetGroups nets = NetGroups.parse("groups(conv=lstm(preset=paper),fc=lstm(preset=paper))");
      float[] w = new float[nets.parameterCount()];
      for (int g = 0; g < nets.size(); g++) {
        float[] wg = LstmWeights.init(nets.configs().get(g), new SplittableRandom(g));
        System.arraycopy(wg, 0, w, nets.offset(g), wg.length);
      }
      try (Parallel one = new Parallel(1)) {
        LearnedOptimizer lstm = new LearnedOptimizer("lstm", nets,
            nets.bind(family.groups(), n), w, LstmKernels.best(), one);
        var state = lstm.init(n);
        float[] t = theta.clone();
        report("lstm", seconds, () -> lstm.step(state, t, grad));
      }
      try (LearnedDjlOptimizer learned = LearnedDjlOptimizer.builder()
          .optNets("bench", nets, w).build()) {
        report("update-learned", seconds, trainerStep(learned, image, batch, data));
      }
      report("update-adam", seconds, trainerStep(
          Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build(), image, batch,
          data));
    }
  }

  /** A model whose trainer has gradients from one backward pass; the task runs {@code step()}. */
  private static Runnable trainerStep(Optimizer optimizer, Shape image, int batch,
      ImageData data) {
    Model model = Model.newInstance("bench", DjlEngine.NAME);
    model.setBlock(ConvFamily.net(10));
    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optInitializer(new NormalInitializer(0.01f), q -> true).optOptimizer(optimizer));
    trainer.initialize(new Shape(batch, image.get(0), image.get(1), image.get(2)));
    float[] x = new float[batch * data.pixelsPerImage()];
    float[] y = new float[batch];
    for (int b = 0; b < batch; b++) {
      data.copyImage(b, x, b * data.pixelsPerImage());
      y[b] = data.label(b);
    }
    return () -> {
      try (NDManager sub = trainer.getManager().newSubManager();
          GradientCollector gc = trainer.newGradientCollector()) {
        NDArray xs = sub.create(x, new Shape(batch, image.get(0), image.get(1), image.get(2)));
        NDList out = trainer.forward(new NDList(xs));
        gc.backward(trainer.getLoss().evaluate(new NDList(sub.create(y)), out));
      }
      long t0 = System.nanoTime();
      trainer.step();
      STEP_NANOS[0] = System.nanoTime() - t0;
    };
  }

  /** The duration of the last {@code trainer.step()}: the part that the update measurements time. */
  private static final long[] STEP_NANOS = new long[1];

  /**
   * Runs {@code task} for {@code seconds} (warm-up), then times it for as long again and prints the
   * median and quartiles in ms; a name starting with "update" times only the trainer's step.
   */
  static void report(String name, double seconds, Runnable task) {
    boolean stepOnly = name.startsWith("update");
    for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
      task.run();
    }
    double[] ms = new double[1 << 16];
    int k = 0;
    for (long end = System.nanoTime() + (long) (seconds * 1e9);
        System.nanoTime() < end && k < ms.length; k++) {
      long t0 = System.nanoTime();
      task.run();
      ms[k] = (stepOnly ? STEP_NANOS[0] : System.nanoTime() - t0) / 1e6;
    }
    double[] s = Arrays.copyOf(ms, k);
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "%-15s %9.3f ms median  (quartiles %.3f .. %.3f, %d calls)%n",
        name, s[k / 2], s[k / 4], s[3 * k / 4], k);
  }

  private static ImageData random(int count, Shape image) {
    SplittableRandom r = new SplittableRandom(3);
    int n = (int) image.size();
    byte[] px = new byte[count * n];
    byte[] lb = new byte[count];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < count; i++) {
      lb[i] = (byte) r.nextInt(10);
    }
    return new ImageData(px, lb, (int) image.get(0), (int) image.get(1), (int) image.get(2), 10,
        "random images");
  }
}
