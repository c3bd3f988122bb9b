package org.l2l4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.SplittableRandom;
import org.l2l4j.learned.BlockedLstmEngine;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmEngine;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.LstmState;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Parallel;

/**
 * l2l4j's side of {@code bench/compare.sh}: the same measurements as {@code
 * bench/pytorch_unroll.py}, one per JVM run.
 *
 * <ul>
 *   <li>{@code unroll THREADS N}: one truncated-BPTT unroll of the paper's LSTM optimizer (T = 20
 *       steps forward + the meta-gradient) over N coordinates with random gradients; prints seconds
 *       per unroll and coordinate-steps per second.
 *   <li>{@code mnist-epoch THREADS}: meta-training epochs on the MNIST base net (784-20-10,
 *       sigmoid, batch 128; 100 steps in 5 unrolls, the MLP's gradients and the outer Adam
 *       included); prints seconds per epoch (the mean over epochs after warm-up, validation
 *       excluded).
 *   <li>{@code memory N}: one meta-training epoch on {@code quadratic(dim=10,batch=N/10)} and the
 *       peak heap use, also per coordinate.
 * </ul>
 *
 * <p>The unrolls are recorded for the backward pass as {@link MetaTrainer} does it: {@code
 * -Dl2l4j.tapeMemory=0} recomputes, {@code auto} (the default) or MB sets the tape budget; {@code
 * unroll} prints the tape's bytes per coordinate.
 *
 * <ul>
 * </ul>
 */
public final class CompareBench {
  private CompareBench() {}

  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  public static void main(String[] args) {
    String mode = args[0];
    int threads = Integer.parseInt(args[1]);
    LstmConfig cfg = LstmConfig.paper();
    switch (mode) {
      case "unroll" -> {
        int n = Integer.parseInt(args[2]);
        int steps = 20;
        SplittableRandom rng = new SplittableRandom(1);
        float[] w = LstmWeights.init(cfg, rng);
        float[][] grads = new float[steps + 1][n];
        for (float[] g : grads) {
          for (int i = 0; i < n; i++) {
            g[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextDouble(-6, 0)));
          }
        }
        try (Parallel par = new Parallel(threads)) {
          long budget = MetaTrainer.tapeBudgetFromProperty();
          LstmEngine engine = LstmEngine.create(cfg, LstmKernels.best(), par, n,
              budget >= 0 ? budget : BlockedLstmEngine.automaticTapeBudget());
          LstmState state = new LstmState(cfg, n);
          LstmState state0 = new LstmState(cfg, n);
          float[] update = new float[n];
          double[] dw = new double[cfg.parameterCount()];
          int warm = n > 50_000 ? 3 : 10;
          int reps = n > 50_000 ? 5 : 20;
          for (int r = 0; r < warm + reps; r++) {
            if (r == warm) {
              System.gc();
            }
            long t0 = System.nanoTime();
            state0.copyFrom(state);
            engine.beginUnroll(state0, steps);
            for (int t = 0; t < steps; t++) {
              engine.step(w, state, grads[t], update);
            }
            engine.unrollBackward(w, state0, grads, steps, dw);
            long dt = System.nanoTime() - t0;
            if (r >= warm) {
              times[r - warm] = dt;
            }
          }
          double secs = median(reps) / 1e9;
          System.out.printf(Locale.ROOT,
              "l2l4j unroll kernel=%s threads=%d n=%d seconds=%.4f coord_steps_per_s=%.4g peak_heap_mb=%.0f"
                  + " tape_bytes_per_coord=%.0f%n",
              LstmKernels.best().name(), threads, n, secs, n * steps / secs, peakHeapBytes() / 1e6,
              (double) engine.recordedBytes() / n);
        }
      }
      case "mnist-epoch", "memory" -> {
        boolean mnist = mode.equals("mnist-epoch");
        String problem = mnist ? "mnist" : "quadratic(dim=10,batch=" + Integer.parseInt(args[2]) / 10 + ")";
        int epochs = mnist ? 13 : 2;
        MetaTrainerConfig mc = new MetaTrainerConfig(epochs, 100, 20, 0.001, 0, 0, 1, 1, threads, 5);
        MetaTrainer tr = new MetaTrainer(mc, mnist ? LstmConfig.parse("lstm(preset=paper,init=zero-output)") : cfg,
            LstmKernels.best());
        long[] stamps = new long[epochs + 1];
        stamps[0] = System.nanoTime();
        TrainingState st = tr.freshState();
        tr.train(Problems.parse(problem), st, new MetaListener() {
          @Override
          public void epochDone(int epoch, int total, double meanLoss) {
            stamps[epoch] = System.nanoTime();
          }
        }, null);
        int warm = mnist ? 3 : 1;
        double secs = (stamps[epochs] - stamps[warm]) / 1e9 / (epochs - warm);
        int n = Problems.parse(problem).dimension();
        System.out.printf(Locale.ROOT,
            "l2l4j %s kernel=%s threads=%d n=%d seconds_per_epoch=%.3f coord_steps_per_s=%.4g peak_heap_mb=%.0f max_heap_mb=%.0f"
                + " peak_heap_bytes_per_coord=%.0f tape_memory=%s%n",
            mode, LstmKernels.best().name(), threads, n, secs, n * 100 / secs,
            peakHeapBytes() / 1e6, Runtime.getRuntime().maxMemory() / 1e6,
            (double) peakHeapBytes() / n, System.getProperty(MetaTrainer.TAPE_MEMORY_PROPERTY, "auto"));
      }
      default -> throw new IllegalArgumentException("mode: unroll | mnist-epoch | memory");
    }
  }

  private static final long[] times = new long[64];

  private static double median(int count) {
    long[] a = java.util.Arrays.copyOf(times, count);
    java.util.Arrays.sort(a);
    return a[count / 2];
  }
}
