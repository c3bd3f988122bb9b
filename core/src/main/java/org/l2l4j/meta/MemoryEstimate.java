package org.l2l4j.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.l2l4j.eval.Comparison;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmEngine;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.Text;

/**
 * The heap a run needs, estimated before it starts, so that settings that cannot fit (a billion
 * validation problems, an unroll of 10^8 steps) are refused with the estimate instead of ending in
 * an {@link OutOfMemoryError} after minutes. An estimate is a list of parts; each counts the large
 * arrays that one setting scales, and names that setting as the trainer description and the
 * command-line flags do: {@code unroll} (the recorded gradients, (T+1)·n floats, and the backward
 * pass's tape), {@code meta-batch} (the same and the problem for every further optimizee of a
 * meta-batch), {@code validation-problems}, {@code problems}, {@code tune-problems} or {@code
 * steps} (loss curves, (steps+1) doubles per problem, and the report text), {@code problem} (the
 * problem instances and optimizer states alive at once) and {@code optimizer} (weights and Adam
 * moments). The JVM's own needs and the loaded data set (already on the heap) are not counted.
 */
public final class MemoryEstimate {
  /** The longest Java array (elements); a part that needs a longer one is impossible. */
  public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** Bytes per optimizer state coordinate of a baseline (two moments of float). */
  private static final long BASELINE_STATE_BYTES = 8;
  /** The widest coordinate block a fast kernel keeps a tape for (bound; kernels use ≤ 256). */
  private static final long KERNEL_BLOCK = 256;
  /** Bytes of report text per loss value: two numbers of ~22 characters in csv and json, as
   * UTF-16 strings, their UTF-8 bytes and builder growth. */
  private static final long REPORT_BYTES_PER_VALUE = 200;

  /**
   * One part of an estimate.
   *
   * @param setting the setting that scales it ({@code unroll}, {@code steps}, ...)
   * @param value that setting's value as given (a number, or a spec string)
   * @param what what the memory holds, for the message
   * @param bytes the estimate (saturating at {@link Long#MAX_VALUE})
   * @param longestArray the most elements one of its arrays needs; above {@link #MAX_ARRAY} the
   *     part cannot be held at all, whatever the heap
   */
  public record Part(String setting, String value, String what, long bytes, long longestArray) {}

  private final List<Part> parts;

  private MemoryEstimate(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /** The parts, in no particular order. */
  public List<Part> parts() {
    return parts;
  }

  /** The total in bytes (saturating at {@link Long#MAX_VALUE}). */
  public long bytes() {
    long sum = 0;
    for (Part p : parts) {
      sum = add(sum, p.bytes());
    }
    return sum;
  }

  /** The first part that needs an array longer than {@link #MAX_ARRAY}, or null. */
  public Part impossible() {
    for (Part p : parts) {
      if (p.longestArray() > MAX_ARRAY) {
        return p;
      }
    }
    return null;
  }

  /** The largest part: the setting to lower first. */
  public Part largest() {
    Part best = parts.get(0);
    for (Part p : parts) {
      if (p.bytes() > best.bytes()) {
        best = p;
      }
    }
    return best;
  }

  /**
   * Meta-training with {@code config} on {@code family}: the recorded gradients and the tape of
   * an unroll, the validation losses, the problems and optimizer states alive at once, the
   * weights and Adam moments.
   */
  public static MemoryEstimate training(
      ProblemFamily family, LstmConfig lstm, MetaTrainerConfig config) {
    long n = family.dimension();
    // the trainer keeps one set of unroll buffers per distinct problem dimension (of a mixture)
    long buffered = 0;
    for (int d : family.problemDimensions()) {
      buffered += d;
    }
    long t = config.unroll();
    long steps = config.stepsPerEpoch();
    long v = config.validationProblems();
    long threads = config.threads();
    long hidden = hiddenSum(lstm);
    long features = lstm.preprocessing().features();
    long chunks = (n + LstmEngine.CHUNK - 1) / LstmEngine.CHUNK;
    long width = lstm.gac() > 0 ? n : Math.min(n, KERNEL_BLOCK);
    long workers = lstm.gac() > 0 ? 1 : Math.min(threads, chunks);
    List<Part> parts = new ArrayList<>();
    long tape = mul(4, t + 1, width, features + 8 * hidden, workers);
    // the scaled copies ∂L/∂θ_t of a meta-loss other than the plain sum: T·n floats more
    long lossGrads = config.metaLoss().isPlainSum() ? 0 : mul(4, t, buffered);
    // the normalised inputs of lstm(norm=β): (T+1)·n floats more
    long inputs = lstm.norm() > 0 ? mul(4, t + 1, buffered) : 0;
    long unrollBytes = add(add(add(mul(4, t + 1, buffered), lossGrads), inputs), tape);
    parts.add(new Part("unroll", Long.toString(t),
        "the gradients and the backward tape of unrolls of " + t + " steps", unrollBytes, t + 1));
    long curve = add(mul(8, v, steps + 1), mul(16, v));
    boolean byProblems = v > steps + 1;
    parts.add(new Part(byProblems ? "validation-problems" : "steps",
        Long.toString(byProblems ? v : steps),
        "the validation losses (" + v + " problems x " + (steps + 1) + " steps)",
        add(curve, mul(8, 2, steps + 1)), Math.max(v, steps + 1)));
    long running = Math.min(threads, v);
    long perRun = add(family.sampleBytes(), mul(4, n, 2 * hidden + 3));
    long trainer = add(mul(4, n, 4 * hidden + 4), mul(8, chunks, lstm.parameterCount()));
    parts.add(new Part("problem", Text.excerpt(family.spec()),
        "the problem instances and optimizer states (" + n + " coordinates)",
        add(mul(1 + running, perRun), trainer),
        mul(lstm.gac() > 0 ? 4 : 1, maxHidden(lstm), n)));
    long b = config.metaBatch();
    if (b > 1) {
      // every further optimizee of a meta-batch has its own gradients, tape, problem and states
      parts.add(new Part("meta-batch", Long.toString(b),
          "the gradients, tapes, problems and optimizer states of " + b + " optimizees per"
              + " meta-update",
          mul(b - 1, add(add(unrollBytes, perRun), trainer)), b));
    }
    parts.add(new Part("optimizer", Text.excerpt(lstm.spec()),
        "the optimizer weights and Adam moments (" + lstm.parameterCount() + " weights)",
        mul(4 * 12, lstm.parameterCount()), lstm.parameterCount()));
    return new MemoryEstimate(parts);
  }

  /**
   * Tuning baselines: the loss curve of one grid point ({@code problems} runs of {@code steps})
   * and the problems and optimizer states alive at once on {@code threads} threads.
   */
  public static MemoryEstimate tuning(
      ProblemFamily family, int problems, int steps, int threads) {
    List<Part> parts = new ArrayList<>();
    addTuning(parts, family, problems, steps, threads);
    return new MemoryEstimate(parts);
  }

  /**
   * A comparison run by {@link Comparison#run}: tuning, then every entry ({@code learned}, then
   * {@code baselines} tuned baselines) on the test problems, all curves kept for the report, and
   * the report's text.
   *
   * @param learned the learned optimizers (their LSTM state per coordinate counts)
   * @param baselines the number of baselines
   * @param threads the threads the problems run on
   */
  public static MemoryEstimate comparison(
      Comparison c, List<Evaluator.Entry> learned, int baselines, int threads) {
    List<Part> parts = new ArrayList<>();
    if (baselines > 0) {
      addTuning(parts, c.tuningFamily(), c.tuningProblems(), c.steps(), threads);
    }
    long entries = (long) learned.size() + baselines;
    long k = c.testProblems();
    long steps1 = (long) c.steps() + 1;
    boolean byProblems = k > steps1;
    long curves = add(mul(8, entries, k, steps1), mul(16, entries, k));
    parts.add(new Part(byProblems ? "problems" : "steps",
        Long.toString(byProblems ? k : c.steps()),
        "the test losses (" + entries + (entries == 1 ? " optimizer" : " optimizers") + " x " + k
            + " problems x " + steps1 + " steps)",
        add(curves, mul(8, 2, entries, steps1)), Math.max(k, steps1)));
    parts.add(new Part("steps", Long.toString(c.steps()),
        "the report text (" + entries + (entries == 1 ? " curve" : " curves") + " of " + steps1
            + " steps)",
        mul(REPORT_BYTES_PER_VALUE, entries, steps1), steps1));
    long n = c.family().dimension();
    long stateBytes = BASELINE_STATE_BYTES;
    for (Evaluator.Entry e : learned) {
      if (e.optimizer() instanceof LearnedOptimizer lo) {
        stateBytes = Math.max(stateBytes, 8 * hiddenSum(lo.config()) + 4);
      }
    }
    long running = Math.min(Math.max(1, threads), k);
    parts.add(new Part("problem", Text.excerpt(c.family().spec()),
        "the problem instances and optimizer states (" + n + " coordinates)",
        mul(running, add(c.family().sampleBytes(), mul(n, stateBytes + 8))), n));
    return new MemoryEstimate(parts);
  }

  private static void addTuning(
      List<Part> parts, ProblemFamily family, long problems, long steps, long threads) {
    boolean byProblems = problems > steps + 1;
    parts.add(new Part(byProblems ? "tune-problems" : "steps",
        Long.toString(byProblems ? problems : steps),
        "the tuning losses (" + problems + " problems x " + (steps + 1) + " steps)",
        add(mul(8, problems, steps + 1), mul(16, problems)), Math.max(problems, steps + 1)));
    long n = family.dimension();
    parts.add(new Part("problem", Text.excerpt(family.spec()),
        "the tuning problem instances (" + n + " coordinates)",
        mul(Math.min(Math.max(1, threads), problems),
            add(family.sampleBytes(), mul(n, BASELINE_STATE_BYTES + 8))), n));
  }

  /**
   * The heap this JVM may still allocate: the maximum heap less what is in use now (so a data set
   * that is already loaded counts).
   */
  public static long freeHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /** Bytes in a short human form: {@code "512 MB"}, {@code "1.7 TB"}. */
  public static String format(long bytes) {
    if (bytes == Long.MAX_VALUE) {
      return "more than a JVM can hold";
    }
    String[] units = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    if (u == 0) {
      return bytes + " bytes";
    }
    return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : Long.toString(Math.round(v)))
        + " " + units[u];
  }

  private static long maxHidden(LstmConfig lstm) {
    long h = 1;
    for (int l = 0; l < lstm.depth(); l++) {
      h = Math.max(h, lstm.hidden(l));
    }
    return h;
  }

  private static long hiddenSum(LstmConfig lstm) {
    long h = 0;
    for (int l = 0; l < lstm.depth(); l++) {
      h += lstm.hidden(l);
    }
    return h;
  }

  private static long add(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }

  private static long mul(long... factors) {
    long p = 1;
    for (long f : factors) {
      if (f < 0) {
        throw new IllegalArgumentException("negative factor " + f);
      }
      if (f != 0 && p > Long.MAX_VALUE / f) {
        return Long.MAX_VALUE;
      }
      p *= f;
    }
    return p;
  }
}
