package org.l2l4j.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.l2l4j.learned.LstmKernel;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointMeta;
import org.l2l4j.meta.MetaListener;
import org.l2l4j.meta.MetaTrainer;
import org.l2l4j.meta.MetaTrainerConfig;
import org.l2l4j.meta.TrainingState;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.problem.data.DataSets;
import scala.reflect.ClassTag;

/**
 * Runs {@link MetaTrainer#train} as one barrier stage of {@code tasks} tasks (see the package
 * comment): every task builds the trainer from the {@link Job}'s specs, starts from the same
 * state (the newest checkpoint after a retry, else the job's), runs its share of each
 * meta-batch and exchanges meta-gradients through a {@link BarrierExchange}; task 0 validates,
 * writes the checkpoints and returns the final state.
 */
public final class SparkMetaTraining {
  private SparkMetaTraining() {}

  /** How often the test hook ({@link Job#failOnceAtEpoch}) has thrown in this JVM. */
  static final java.util.concurrent.atomic.AtomicInteger HOOK_FIRED =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * One run, as text and bytes (it travels to the executors).
   *
   * @param problem the problem family's spec ({@link Problems#parse})
   * @param nets the learned optimizer's spec ({@link NetGroups#parse})
   * @param trainer the trainer's settings spec ({@link MetaTrainerConfig#spec})
   * @param kernel the driver's kernel name: an executor whose best kernel differs fails (its
   *     bits would differ)
   * @param dataDirectory the data folder for the executors, or null for their default
   * @param checkpoint where task 0 checkpoints (a path every executor can reach), or null
   * @param checkpointEvery epochs between checkpoints
   * @param metaLstm the checkpoints' description ({@link CheckpointMeta}): optimizer spec
   * @param metaProblem its problem spec
   * @param metaSeed its seed
   * @param metaTrainer its trainer spec
   * @param state the start state ({@link Checkpoint#encode})
   * @param tasks tasks of the barrier stage (at most the cluster's free task slots)
   * @param failOnceAtEpoch for tests: task {@code failTask} throws at the end of this epoch in
   *     the stage's first attempt (0: never)
   * @param failTask see {@code failOnceAtEpoch}
   * @param report whether task 0 prints validations and resumptions on standard error
   * @param allGather exchange through {@link BarrierTaskContext#allGather} ({@link
   *     BarrierExchange}, about a second per exchange) instead of TCP ({@link SocketExchange})
   */
  public record Job(String problem, String nets, String trainer, String kernel,
      String dataDirectory, String checkpoint, int checkpointEvery, String metaLstm,
      String metaProblem, long metaSeed, String metaTrainer, byte[] state, int tasks,
      int failOnceAtEpoch, int failTask, boolean report, boolean allGather)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The checkpoints' description: the fields above, and the run's start ({@code --init-from})
     * as the start state records it.
     */
    public CheckpointMeta meta() {
      return new CheckpointMeta(metaLstm, metaProblem, metaSeed, metaTrainer,
          Checkpoint.parse("the job's start state", state).meta().start());
    }

    /** A copy whose task {@code task} throws at the end of {@code epoch} in the first attempt. */
    public Job failingOnce(int epoch, int task) {
      return new Job(problem, nets, trainer, kernel, dataDirectory, checkpoint, checkpointEvery,
          metaLstm, metaProblem, metaSeed, metaTrainer, state, tasks, epoch, task, report,
          allGather);
    }

    /** A copy that prints nothing. */
    public Job quiet() {
      return new Job(problem, nets, trainer, kernel, dataDirectory, checkpoint, checkpointEvery,
          metaLstm, metaProblem, metaSeed, metaTrainer, state, tasks, failOnceAtEpoch, failTask,
          false, allGather);
    }

    /** A copy that exchanges through {@link BarrierTaskContext#allGather} when {@code yes}. */
    public Job withAllGather(boolean yes) {
      return new Job(problem, nets, trainer, kernel, dataDirectory, checkpoint, checkpointEvery,
          metaLstm, metaProblem, metaSeed, metaTrainer, state, tasks, failOnceAtEpoch, failTask,
          report, yes);
    }
  }

  /**
   * The run's result.
   *
   * @param state the final state (task 0's; every task ends with the same)
   * @param exchanges meta-gradient exchanges (one per meta-update or skipped one)
   * @param exchangedBytes bytes of all tasks' meta-gradient messages in them (each message goes
   *     to the driver once and from it to every task)
   */
  public record Result(TrainingState state, long exchanges, long exchangedBytes) {
    /** Mean bytes of all tasks' messages per exchange (0 without exchanges). */
    public double bytesPerExchange() {
      return exchanges == 0 ? 0 : (double) exchangedBytes / exchanges;
    }
  }

  /**
   * The job for {@code trainer} on {@code family} from {@code state} with {@code tasks} tasks.
   */
  public static Job job(MetaTrainer trainer, ProblemFamily family, TrainingState state,
      MetaTrainer.Checkpointing checkpointing, String dataDirectory, int tasks) {
    CheckpointMeta meta = checkpointing != null ? checkpointing.meta()
        : new CheckpointMeta(trainer.nets().spec(), family.spec(), trainer.config().seed(),
            trainer.config().spec());
    String path = checkpointing == null || checkpointing.path() == null ? null
        : checkpointing.path().toAbsolutePath().toString();
    return new Job(family.spec(), trainer.nets().spec(), trainer.config().spec(),
        LstmKernels.best().name(), dataDirectory, path,
        checkpointing == null ? 1 : checkpointing.everyEpochs(), meta.lstmSpec(),
        meta.problemSpec(), meta.seed(), meta.trainer(), Checkpoint.encode(meta, state), tasks, 0,
        0, true, false);
  }

  /**
   * Runs {@code job} as one barrier stage on {@code spark} and returns task 0's result. The stage
   * feeds a shuffle (Spark retries a failed barrier stage only when it is not the job's last).
   */
  public static Result run(JavaSparkContext spark, Job job) {
    List<Integer> ids = IntStream.range(0, job.tasks()).boxed().toList();
    @SuppressWarnings("unchecked")
    ClassTag<byte[]> tag = (ClassTag<byte[]>) (ClassTag<?>) scala.reflect.ClassTag$.MODULE$
        .apply(byte[].class);
    List<byte[]> out = spark.parallelize(ids, job.tasks()).rdd().barrier()
        .mapPartitions(new TaskFunction(job), false, tag).toJavaRDD().repartition(1).collect();
    if (out.size() != 1) {
      throw new IllegalStateException("expected task 0's result only, got " + out.size()
          + " items");
    }
    ByteBuffer b = ByteBuffer.wrap(out.get(0));
    long exchanges = b.getLong();
    long bytes = b.getLong();
    byte[] ckpt = new byte[b.remaining()];
    b.get(ckpt);
    return new Result(Checkpoint.parse("task 0's final state", ckpt).state(), exchanges, bytes);
  }

  /** The task body as the function a barrier stage maps each partition with. */
  private static final class TaskFunction extends
      scala.runtime.AbstractFunction1<scala.collection.Iterator<Integer>,
          scala.collection.Iterator<byte[]>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Job job;

    TaskFunction(Job job) {
      this.job = job;
    }

    @Override
    public scala.collection.Iterator<byte[]> apply(scala.collection.Iterator<Integer> ids) {
      return scala.jdk.javaapi.CollectionConverters.asScala(task(job).iterator());
    }
  }

  /** One task: trains with its share of every meta-batch; task 0 returns the state and counts. */
  static List<byte[]> task(Job job) {
    BarrierTaskContext context = BarrierTaskContext.get();
    int id = context.partitionId();
    int tasks = context.getTaskInfos().length;
    if (job.dataDirectory() != null && DataSets.defaultDirectory() == null) {
      DataSets.setDefaultDirectory(Path.of(job.dataDirectory()));
    }
    LstmKernel kernel = LstmKernels.best();
    if (!kernel.name().equals(job.kernel())) {
      throw new IllegalStateException("the executor's LSTM kernel is " + kernel.name()
          + ", the driver's " + job.kernel() + ": give the executors the driver's JVM options"
          + " (--add-modules jdk.incubator.vector in spark.executor.extraJavaOptions)");
    }
    ProblemFamily family = Problems.parse(job.problem());
    MetaTrainerConfig config = MetaTrainerConfig.parse(job.trainer())
        .withThreads(Math.max(1, context.cpus()));
    MetaTrainer trainer = new MetaTrainer(config, NetGroups.parse(job.nets()), kernel);
    BarrierExchange gather = new BarrierExchange(context, id, tasks);
    // a retried stage continues from task 0's newest checkpoint; all tasks take task 0's start
    byte[] start = job.state();
    Path ckpt = job.checkpoint() == null ? null : Path.of(job.checkpoint());
    if (id == 0 && ckpt != null
        && (Files.exists(ckpt) || Files.exists(Checkpoint.previous(ckpt)))) {
      Checkpoint.Loaded loaded = Checkpoint.readLatest(ckpt);
      int given = Checkpoint.parse("the job's state", start).state().epoch;
      if (loaded.state().epoch > given && loaded.meta().equals(job.meta())) {
        start = Checkpoint.encode(loaded.meta(), loaded.state());
        report(job, "l2l4j spark: stage attempt " + context.stageAttemptNumber()
            + " resumes from " + loaded.from() + " at epoch " + loaded.state().epoch);
      }
    }
    TrainingState state = Checkpoint.parse("the start state", gather.fromFirst(start)).state();
    MetaTrainer.Checkpointing checkpointing = id == 0 && ckpt != null
        ? new MetaTrainer.Checkpointing(ckpt, job.checkpointEvery(), job.meta()) : null;
    MetaListener listener = new TaskListener(id, context.stageAttemptNumber(), job);
    long exchanges;
    long bytes;
    if (job.allGather()) {
      trainer.train(family, state, listener, checkpointing, gather);
      exchanges = gather.unrollExchanges;
      bytes = gather.unrollBytes;
    } else {
      try (SocketExchange sockets = new SocketExchange(context, id, tasks)) {
        trainer.train(family, state, listener, checkpointing, sockets);
        exchanges = sockets.unrollExchanges;
        bytes = sockets.unrollBytes;
      }
    }
    List<byte[]> out = new ArrayList<>();
    if (id == 0) {
      byte[] ckptBytes = Checkpoint.encode(job.meta(), state);
      out.add(ByteBuffer.allocate(16 + ckptBytes.length).putLong(exchanges).putLong(bytes)
          .put(ckptBytes).array());
    }
    return out;
  }

  private static void report(Job job, String line) {
    if (job.report()) {
      System.err.println(line);
    }
  }

  /** Task 0 reports validations on standard error; the test hook throws once. */
  private record TaskListener(int id, int stageAttempt, Job job) implements MetaListener {
    @Override
    public void epochDone(int epoch, int totalEpochs, double meanLoss) {
      if (stageAttempt == 0 && id == job.failTask() && epoch == job.failOnceAtEpoch()) {
        HOOK_FIRED.incrementAndGet();
        throw new IllegalStateException("test hook: task " + id + " fails at epoch " + epoch);
      }
    }

    @Override
    public void validated(int epoch, double score, boolean improved) {
      if (id == 0) {
        report(job, String.format(Locale.ROOT, "l2l4j spark: epoch %d: valid loss %.6g%s", epoch,
            score, improved ? ", new best" : ""));
      }
    }
  }
}
