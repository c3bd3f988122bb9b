package org.l2l4j.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernel;
import org.l2l4j.meta.MetaTrainer;

/**
 * Times one meta-training unroll (T forward steps, then the meta-gradient) per kernel, thread
 * count and n, and prints a Markdown table: ms per unroll (median and best of the timed unrolls),
 * coordinate-steps per second (n·T per unroll) and GFLOP/s as {@link UnrollHarness#unrollFlops}
 * counts them (3·T·n·f instead of 4 when the unroll is recorded), and the tape's bytes per
 * coordinate. {@code --tape} lists tape budgets to time, each {@code auto} or MB ({@code 0}: always
 * recompute), as {@link org.l2l4j.meta.MetaTrainer#TAPE_MEMORY_PROPERTY} takes them. Plain {@code
 * main}, no JMH: each configuration is warmed up in the same JVM (at
 * least one unroll, until {@code --warmup} seconds have passed), then timed (at least three
 * unrolls, until {@code --time} seconds have passed). {@code --grad-exponents LO,HI} draws the
 * optimizee gradients' magnitudes as 10^U(LO, HI) (default −7,1; −44,−38 gives subnormal floats).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.l2l4j.bench.KernelBench [--kernels scalar,vector] [--threads 1,2] \
 *     [--n 1280,15910,100000] [--steps 20] [--config lstm(preset=paper)] \
 *     [--warmup 3] [--time 5] [--tape auto,0,200] [--grad-exponents -7,1]
 * </pre>
 */
public final class KernelBench {
  private KernelBench() {}

  /** Runs the table; see the class comment for the options. */
  public static void main(String[] args) {
    List<String> kernels = List.of("scalar", "vector");
    int[] threads = {1, 2};
    int[] sizes = {1280, 15910, 100000};
    int steps = 20;
    String spec = "lstm(preset=paper)";
    double warmup = 3;
    double time = 5;
    List<String> tapes = List.of(System.getProperty(MetaTrainer.TAPE_MEMORY_PROPERTY, "auto"));
    double[] exponents = {-7, 1};
    for (int a = 0; a < args.length; a++) {
      String v = a + 1 < args.length ? args[a + 1] : "";
      switch (args[a]) {
        case "--kernels" -> kernels = List.of(v.split(","));
        case "--threads" -> threads = ints(v);
        case "--n" -> sizes = ints(v);
        case "--steps" -> steps = Integer.parseInt(v);
        case "--config" -> spec = v;
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--time" -> time = Double.parseDouble(v);
        case "--tape" -> tapes = List.of(v.split(","));
        case "--grad-exponents" -> {
          try {
            exponents = Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
          } catch (NumberFormatException e) {
            exponents = new double[0];
          }
          if (exponents.length != 2 || !(exponents[0] < exponents[1])) {
            System.err.println("--grad-exponents takes LO,HI with LO < HI, got '" + v + "'");
            System.exit(2);
          }
        }
        default -> {
          System.err.println("unknown option " + args[a] + "; see the KernelBench javadoc");
          System.exit(2);
        }
      }
      a++;
    }
    LstmConfig config = LstmConfig.parse(spec);
    PrintStream out = System.out;
    out.printf(
        "%s, T = %d, %s %s, %d CPUs; FLOPs per unroll = 4·T·n·%.0f (recomputed) or 3·T·n·%<.0f"
            + " (recorded: tape > 0)%n%n",
        config.spec(), steps, System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors(),
        UnrollHarness.forwardFlops(config));
    out.println("| kernel | threads | n | ms per unroll (median) | ms (best) | coordinate-steps/s"
        + " | GFLOP/s | tape bytes/coordinate |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String name : kernels) {
      LstmKernel kernel = Kernels.byName(name);
      for (int th : threads) {
        for (int n : sizes) {
          for (String tapeMemory : tapes) {
            System.setProperty(MetaTrainer.TAPE_MEMORY_PROPERTY, tapeMemory);
            long[] tape = new long[1];
            double[] ms = time(config, kernel, th, n, steps, warmup, time, tape, exponents);
            double median = median(ms);
            double best = Arrays.stream(ms).min().orElseThrow();
            double stepsPerSecond = (double) n * steps / (median / 1e3);
            double flops = tape[0] > 0
                ? UnrollHarness.usefulUnrollFlops(config, n, steps)
                : UnrollHarness.unrollFlops(config, n, steps);
            double gflops = flops / (median / 1e3) / 1e9;
            out.println(String.format(Locale.ROOT,
                "| %s | %d | %,d | %.1f | %.1f | %.3g | %.1f | %.0f |",
                name, th, n, median, best, stepsPerSecond, gflops, (double) tape[0] / n));
            out.flush();
          }
        }
      }
    }
  }

  /** Milliseconds of each timed unroll, after warming up. */
  static double[] time(
      LstmConfig config, LstmKernel kernel, int threads, int n, int steps, double warmupSeconds,
      double timeSeconds, long[] tapeBytesOut, double[] exponents) {
    double sink = 0;
    try (UnrollHarness h = new UnrollHarness(
        config, kernel, threads, n, steps, 42, exponents[0], exponents[1])) {
      long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
      for (int i = 0; i < 1 || System.nanoTime() < end; i++) {
        sink += h.unroll();
      }
      List<Double> ms = new ArrayList<>();
      end = System.nanoTime() + (long) (timeSeconds * 1e9);
      while (ms.size() < 3 || (System.nanoTime() < end && ms.size() < 1000)) {
        long t0 = System.nanoTime();
        sink += h.unroll();
        ms.add((System.nanoTime() - t0) / 1e6);
      }
      tapeBytesOut[0] = h.recordedBytes();
      if (Double.isNaN(sink)) {
        System.err.println("(non-finite checksum)");
      }
      return ms.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  }
}
