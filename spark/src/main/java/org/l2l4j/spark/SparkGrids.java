package org.l2l4j.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.l2l4j.eval.Curve;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.eval.GridRunner;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmKernel;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Optimizer;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.DataSets;
import org.l2l4j.util.Parallel;

/**
 * A {@link GridRunner} whose runs are one ordinary Spark job: the (entry, problem) pairs of a
 * batch (e.g. every learning rate × tuning problem of a grid, or every optimizer × test problem)
 * are spread over the job's tasks, each task runs its pairs with {@link Evaluator#runProblem} on
 * the family and optimizers rebuilt from their specs (a learned optimizer from its {@link
 * NetGroups} spec and weights), and the losses come back to the driver as raw float64 bits. The
 * curves are therefore the same bits as {@link GridRunner#LOCAL}'s. The driver holds all losses of
 * the batch at once (the local runner one entry's); progress is reported when the job has
 * finished.
 */
public final class SparkGrids implements GridRunner {
  /** Tasks per default-parallelism slot: a little slack for runs of unequal length. */
  static final int TASKS_PER_SLOT = 4;

  private final JavaSparkContext spark;
  private final String dataDirectory;

  /**
   * @param spark the session's context
   * @param dataDirectory the data folder for the executors, or null for their default
   */
  public SparkGrids(JavaSparkContext spark, String dataDirectory) {
    this.spark = spark;
    this.dataDirectory = dataDirectory;
  }

  /**
   * One optimizer as it travels: a baseline by its spec, a learned optimizer by its nets' spec
   * and weights.
   *
   * @param spec the baseline's spec ({@link Optimizers#parseBaseline}), or null for a learned one
   * @param nets the learned optimizer's nets ({@link NetGroups#parse}), or null for a baseline
   * @param weights the learned optimizer's weights, or null for a baseline
   */
  public record Shipped(String spec, String nets, float[] weights) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * {@code optimizer} as it travels.
     *
     * @throws IllegalArgumentException for an optimizer that is neither a baseline nor a {@link
     *     LearnedOptimizer}
     */
    public static Shipped of(Optimizer<?> optimizer) {
      if (optimizer instanceof BaselineOptimizer<?> b) {
        return new Shipped(b.spec(), null, null);
      }
      if (optimizer instanceof LearnedOptimizer l) {
        return new Shipped(null, l.nets().spec(), l.weights());
      }
      throw new IllegalArgumentException("cannot send " + optimizer.spec() + " ("
          + optimizer.getClass().getName() + ") to Spark tasks");
    }

    /** The optimizer again, for the problems of {@code family}, on {@code pool}. */
    Optimizer<?> rebuild(ProblemFamily family, LstmKernel kernel, Parallel pool) {
      if (spec != null) {
        return Optimizers.parseBaseline(spec);
      }
      NetGroups g = NetGroups.parse(nets);
      return new LearnedOptimizer(nets, g,
          g.bare() ? null : g.bind(family.groups(), family.dimension()), weights, kernel, pool);
    }
  }

  /**
   * One batch, as it travels to the tasks.
   *
   * @param problem the family's spec ({@link Problems#parse})
   * @param problems K
   * @param steps N
   * @param seed the root seed
   * @param purpose the seed stream ({@link Evaluator#TEST}, {@link Evaluator#TUNE})
   * @param dataDirectory the data folder for the executors, or null
   * @param kernel the driver's LSTM kernel: an executor whose best kernel differs fails (its
   *     bits would differ)
   * @param entries the optimizers, in batch order
   */
  public record Job(String problem, int problems, int steps, long seed, String purpose,
      String dataDirectory, String kernel, List<Shipped> entries) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public void run(Evaluator evaluator, List<Evaluator.Entry> entries, Listener listener) {
    int problems = evaluator.problems();
    if (entries.isEmpty()) {
      return;
    }
    List<Shipped> shipped = new ArrayList<>();
    for (Evaluator.Entry e : entries) {
      shipped.add(Shipped.of(e.optimizer()));
    }
    Job job = new Job(evaluator.family().spec(), problems, evaluator.steps(), evaluator.seed(),
        evaluator.purpose(), dataDirectory, LstmKernels.best().name(), List.copyOf(shipped));
    int pairs = entries.size() * problems;
    int slots = Math.max(1, spark.defaultParallelism());
    int tasks = Math.min(pairs, slots * TASKS_PER_SLOT);
    List<Integer> ids = IntStream.range(0, pairs).boxed().toList();
    List<byte[]> results = spark.parallelize(ids, tasks).mapPartitions(new Pairs(job)).collect();
    double[][][] losses = new double[entries.size()][problems][];
    for (byte[] r : results) {
      ByteBuffer b = ByteBuffer.wrap(r);
      int pair = b.getInt();
      double[] l = new double[b.getInt()];
      for (int t = 0; t < l.length; t++) {
        l[t] = Double.longBitsToDouble(b.getLong());
      }
      losses[pair / problems][pair % problems] = l;
    }
    for (int i = 0; i < entries.size(); i++) {
      for (int k = 0; k < problems; k++) {
        if (losses[i][k] == null) {
          throw new IllegalStateException("no result for entry " + i + ", problem " + k);
        }
        listener.runDone(i, k + 1, problems);
      }
      Evaluator.Entry e = entries.get(i);
      Curve c = new Curve(e.name(), e.optimizer().spec(), e.optimizer().learned(), losses[i]);
      losses[i] = null; // the curve owns them now
      listener.entryDone(i, c);
    }
  }

  /** Families parsed in this JVM, by spec (a data set is read once per executor). */
  private static final Map<String, ProblemFamily> FAMILIES = new ConcurrentHashMap<>();

  /** A task: runs its (entry, problem) pairs; each result is pair, length and the raw losses. */
  private static final class Pairs implements FlatMapFunction<Iterator<Integer>, byte[]> {
    private static final long serialVersionUID = 1L;
    private final Job job;

    Pairs(Job job) {
      this.job = job;
    }

    @Override
    public Iterator<byte[]> call(Iterator<Integer> ids) {
      if (job.dataDirectory() != null && DataSets.defaultDirectory() == null) {
        DataSets.setDefaultDirectory(Path.of(job.dataDirectory()));
      }
      boolean anyLearned = job.entries().stream().anyMatch(s -> s.spec() == null);
      LstmKernel kernel = LstmKernels.best();
      if (anyLearned && !kernel.name().equals(job.kernel())) {
        throw new IllegalStateException("the executor's LSTM kernel is " + kernel.name()
            + ", the driver's " + job.kernel() + ": give the executors the driver's JVM options"
            + " (--add-modules jdk.incubator.vector in spark.executor.extraJavaOptions)");
      }
      ProblemFamily family = FAMILIES.computeIfAbsent(job.problem(), Problems::parse);
      Evaluator ev = new Evaluator(family, job.problems(), job.steps(), job.seed(),
          job.purpose());
      TaskContext context = TaskContext.get();
      int threads = context == null ? 1 : Math.max(1, context.cpus());
      List<byte[]> out = new ArrayList<>();
      try (Parallel pool = new Parallel(threads)) {
        Optimizer<?>[] built = new Optimizer<?>[job.entries().size()];
        while (ids.hasNext()) {
          int pair = ids.next();
          int i = pair / job.problems();
          if (built[i] == null) {
            built[i] = job.entries().get(i).rebuild(family, kernel, pool);
          }
          double[] l = ev.runProblem(built[i], pair % job.problems());
          ByteBuffer b = ByteBuffer.allocate(8 + 8 * l.length).putInt(pair).putInt(l.length);
          for (double x : l) {
            b.putLong(Double.doubleToRawLongBits(x));
          }
          out.add(b.array());
        }
      }
      return out.iterator();
    }
  }
}
