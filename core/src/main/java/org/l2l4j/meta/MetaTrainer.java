package org.l2l4j.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.l2l4j.eval.Curve;
import org.l2l4j.eval.Evaluator;
import org.l2l4j.learned.BlockedLstmEngine;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.GroupedLstm;
import org.l2l4j.learned.InputNorm;
import org.l2l4j.learned.LstmKernel;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.Provenance;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.util.Parallel;
import org.l2l4j.util.Seeds;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Version;

/**
 * Meta-trains the coordinatewise LSTM optimizer (Andrychowicz et al. 2016, §2 and §3; SPEC §1,
 * §4).
 *
 * <p>The optimizer is one net for all of θ, or one net per parameter group of the problem
 * ({@link NetGroups}, {@link org.l2l4j.problem.ProblemFamily#groups}; e.g. an MLP's weights and
 * biases, as the paper's CIFAR experiment uses one net for the convolutions and one for the
 * fully connected layers). The nets are trained jointly on the one meta-loss: φ is their weights
 * concatenated in the spec's order, each net's backward pass fills its slice of the
 * meta-gradient, and the outer optimizer, divergence handling and checkpoints see one vector.
 *
 * <p>Each epoch samples a fresh optimizee from stream ("train", epoch) of the seed, draws θ₀,
 * zeroes the recurrent state and runs {@code stepsPerEpoch} steps (or a horizon drawn per epoch,
 * {@link MetaTrainerConfig#horizon}) cut into unrolls of {@code unroll} steps. With a meta-batch
 * of B &gt; 1 ({@link MetaTrainerConfig#metaBatch}) an epoch runs
 * B optimizees from streams ("train", epoch·B + b), b = 0..B−1, through the same unrolls, in
 * parallel; each meta-update applies the mean of their B meta-gradients, summed in the order of b
 * so that the weights are the same bits for any thread count (B = 1 is the paper's protocol,
 * bit for bit). A divergence of any one of them ends the epoch for all. After each unroll the meta-loss ({@link MetaTrainerConfig#metaLoss}; by default
 * L = Σ_{t=1..T} f(θ_t), else weighted or of log f, see {@link MetaLoss}) is differentiated with
 * respect to φ with second derivatives of f dropped: the optimizee gradients ∇_t are inputs, the
 * trainer turns them into ∂L/∂θ_t = (∂L/∂f_t)·∇_t (the gradients themselves for the default, no
 * copy), so ∂L/∂g_t = Σ_{s>t} ∂L/∂θ_s and the meta-gradient is backpropagation through time of
 * the LSTM alone, which the engine runs on what it is given; the unroll's forward steps are
 * recorded for it when they fit in the tape budget, else recomputed block by block from the
 * unroll's initial state. The outer optimizer
 * ({@link MetaTrainerConfig#outer}, Adam by default) then updates φ; θ and the recurrent state
 * carry over to the next unroll with no gradient across the cut. f and ∇f at the last iterate of
 * an unroll are computed once and serve as the first
 * step of the next.
 *
 * <p>The training loss reported per epoch ({@link MetaListener#epochDone}) is the weighted mean
 * of the per-step terms of the meta-loss over the epoch, Σ w_t·f_t / Σ w_t (with log f_t for
 * {@code log-mean}): the mean loss over the epoch's steps for the default.
 *
 * <p>Divergence: a non-finite loss, gradient or meta-gradient ends the epoch without a
 * meta-update ("skipped"). After {@code maxBadInARow} skips in a row, the best weights so far are
 * restored, the outer optimizer's state reset and its learning rate halved.
 *
 * <p>Validation every {@code validateEvery} epochs runs the frozen optimizer on problems from
 * stream ("valid", i) of the family's {@link ProblemFamily#validationFamily() validation family}
 * (the family itself unless a mixture names another) and keeps the best weights by the mean loss
 * over steps 1..N, whatever the meta-loss, so that validation scores stay comparable across runs. With the {@code log-mean}
 * meta-loss a step with f ≤ 0 counts as a divergence.
 */
public final class MetaTrainer {
  private final MetaTrainerConfig config;
  private final NetGroups nets;
  private final LstmKernel kernel;
  /** Tape budget in bytes, or −1 for the automatic one. */
  private final long tapeBudget;

  /**
   * System property with the memory for recorded unrolls in MB ({@code 0}: always recompute), or
   * {@code auto} (the default: {@link BlockedLstmEngine#automaticTapeBudget}, no tape).
   */
  public static final String TAPE_MEMORY_PROPERTY = "l2l4j.tapeMemory";

  /**
   * A trainer whose tape budget comes from the system property {@value #TAPE_MEMORY_PROPERTY};
   * it owns no threads until {@link #train} runs.
   */
  public MetaTrainer(MetaTrainerConfig config, LstmConfig lstm, LstmKernel kernel) {
    this(config, NetGroups.single(lstm), kernel, tapeBudgetFromProperty());
  }

  /** As {@link #MetaTrainer(MetaTrainerConfig, LstmConfig, LstmKernel)}, for several nets. */
  public MetaTrainer(MetaTrainerConfig config, NetGroups nets, LstmKernel kernel) {
    this(config, nets, kernel, tapeBudgetFromProperty());
  }

  /**
   * A trainer of one bare net; see {@link #MetaTrainer(MetaTrainerConfig, NetGroups, LstmKernel,
   * long)}.
   */
  public MetaTrainer(
      MetaTrainerConfig config, LstmConfig lstm, LstmKernel kernel, long tapeBudgetBytes) {
    this(config, NetGroups.single(lstm), kernel, tapeBudgetBytes);
  }

  /**
   * A trainer that records each unroll's forward steps for the backward pass when they fit in
   * {@code tapeBudgetBytes} (0: always recompute; −1: automatic); the results do not depend on it.
   */
  public MetaTrainer(
      MetaTrainerConfig config, NetGroups nets, LstmKernel kernel, long tapeBudgetBytes) {
    if (tapeBudgetBytes < -1) {
      throw new IllegalArgumentException("tape budget must be >= -1, got " + tapeBudgetBytes);
    }
    this.config = config;
    this.nets = nets;
    this.kernel = kernel;
    this.tapeBudget = tapeBudgetBytes;
  }

  /**
   * The tape budget the system property {@value #TAPE_MEMORY_PROPERTY} asks for: bytes, or −1
   * for {@code auto} (also when unset).
   *
   * @throws SpecException if the property is neither {@code auto} nor a whole number of MB ≥ 0
   */
  public static long tapeBudgetFromProperty() {
    String v = System.getProperty(TAPE_MEMORY_PROPERTY, "auto").trim();
    if (v.equals("auto")) {
      return -1;
    }
    if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      throw new SpecException("-D" + TAPE_MEMORY_PROPERTY + " must be auto or MB >= 0, got '"
          + (v.length() > 80 ? v.substring(0, 80) : v) + "'");
    }
    return Long.parseLong(v) << 20;
  }

  /** The settings. */
  public MetaTrainerConfig config() {
    return config;
  }

  /** The architecture of the first net (the only one of a bare net). */
  public LstmConfig lstm() {
    return nets.configs().get(0);
  }

  /** The nets. */
  public NetGroups nets() {
    return nets;
  }

  /**
   * A fresh training state with the weights of net g initialised from stream ("init", g) of the
   * seed.
   */
  public TrainingState freshState() {
    float[] w = nets.init(g -> Seeds.stream(config.seed(), "init", g));
    return new TrainingState(w, OuterOptimizer.start(config.outer(), w.length));
  }

  /**
   * A training state that starts from {@code weights} (a trained optimizer's, for fine-tuning)
   * with a fresh outer optimizer; the array is copied. When the settings validate ({@code
   * validateEvery > 0}), the start is validated on {@code family} first and is the best weights
   * (best epoch 0) until a later validation beats it, so fine-tuning never returns weights that
   * validate worse than the start.
   *
   * @throws IllegalArgumentException when the length is not this trainer's parameter count or a
   *     weight is not finite
   */
  public TrainingState stateFrom(ProblemFamily family, float[] weights) {
    TrainingState state = stateFrom(weights);
    if (config.validateEvery() > 0) {
      try (Parallel parallel = new Parallel(config.threads())) {
        state.bestScore = validate(family, state.weights, parallel);
      }
    }
    return state;
  }

  /**
   * As {@link #stateFrom(ProblemFamily, float[])}, without validating the start: the first
   * validation's weights are the best so far, as for a random start.
   */
  public TrainingState stateFrom(float[] weights) {
    if (weights.length != nets.parameterCount()) {
      throw new IllegalArgumentException("the start has " + weights.length + " weights, "
          + nets.spec() + " has " + nets.parameterCount());
    }
    int bad = LstmWeights.firstNonFinite(weights);
    if (bad >= 0) {
      throw new IllegalArgumentException("start weight " + bad + " is not finite");
    }
    float[] w = weights.clone();
    return new TrainingState(w, OuterOptimizer.start(config.outer(), w.length));
  }

  /**
   * The provenance of {@code state}'s best weights after training on {@code family}: the problem,
   * its data source (files and hash), the seed, this trainer's settings spec, the training
   * counters, the library version, the kernel, the JVM, the OS and the current date.
   *
   * @param seconds the wall time of this process's training
   */
  public Provenance provenance(ProblemFamily family, TrainingState state, double seconds) {
    return provenance(family, state, seconds, null);
  }

  /**
   * As {@link #provenance(ProblemFamily, TrainingState, double)}, for a run that started from the
   * weights described by {@code start} (null: a random initialisation).
   */
  public Provenance provenance(ProblemFamily family, TrainingState state, double seconds,
      String start) {
    return new Provenance(family.spec(), family.dataSource(), config.seed(), config.spec(),
        state.epoch, state.bestEpoch, state.bestScore, state.skippedTotal, seconds,
        "l2l4j " + Version.get(), kernel.name(), Provenance.currentJvm(), Provenance.currentOs(),
        Instant.now().toString(), start);
  }

  /** Where and how often to checkpoint; {@code null} path: never. */
  public record Checkpointing(Path path, int everyEpochs, CheckpointMeta meta) {}

  /**
   * Trains from {@code state} (fresh or restored) until {@code config.epochs()} epochs are done.
   *
   * @param state the state to continue from (modified); its outer optimizer is the one used (a
   *     restored state keeps the checkpoint's, with its current learning rate)
   * @param checkpointing where to write checkpoints, or {@code null}
   * @return {@code state}, with the best weights in {@link TrainingState#bestWeights}
   */
  public TrainingState train(
      ProblemFamily family, TrainingState state, MetaListener listener, Checkpointing checkpointing) {
    return train(family, state, listener, checkpointing, MetaBatchExchange.LOCAL);
  }

  /**
   * As {@link #train(ProblemFamily, TrainingState, MetaListener, Checkpointing)}, running only the
   * optimizees of each meta-batch that {@code exchange} assigns to this process and taking the
   * others' unroll results from it. Every process that shares the exchange must call this with
   * the same arguments (and may pass {@code null} checkpointing and {@link MetaListener#NONE});
   * all end with the same state.
   */
  public TrainingState train(ProblemFamily family, TrainingState state, MetaListener listener,
      Checkpointing checkpointing, MetaBatchExchange exchange) {
    int p = nets.parameterCount();
    if (state.weights.length != p) {
      throw new IllegalArgumentException("state has " + state.weights.length + " weights, need " + p);
    }
    int unroll = config.unroll();
    int batch = config.metaBatch();
    int[] owned = java.util.stream.IntStream.range(0, batch)
        .filter(b -> exchange.runs(b, batch)).toArray();
    try (Parallel parallel = new Parallel(config.threads())) {
      MetaLoss metaLoss = config.metaLoss();
      boolean plain = metaLoss.isPlainSum();
      // per optimizee of the meta-batch, one set of buffers per optimizee dimension (a mixture's
      // members differ in dimension)
      List<Map<Integer, Buffers>> byDimension = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        byDimension.add(new HashMap<>());
      }
      if (owned.length > 0) {
        byDimension.get(owned[0]).put(family.dimension(),
            new Buffers(family, family.dimension(), plain, parallel));
      }
      Optimizee[] optimizees = new Optimizee[batch];
      MetaBatchExchange.UnrollResult[] results = new MetaBatchExchange.UnrollResult[batch];
      float[] metaGrad = new float[p];
      while (state.epoch < config.epochs()) {
        int epoch = state.epoch;
        int steps = config.horizon(epoch);
        int unrolls = (steps + unroll - 1) / unroll;
        // sampled here, in the caller's thread and in order: families may load data lazily
        for (int b : owned) {
          // B = 1: stream ("train", epoch), as before meta-batches
          SplittableRandom rng = Seeds.stream(config.seed(), "train", (long) epoch * batch + b);
          Problem problem = family.sample(rng);
          Buffers buf = byDimension.get(b).computeIfAbsent(problem.dimension(),
              d -> new Buffers(family, d, plain, parallel));
          optimizees[b] = new Optimizee(problem, rng, buf, new double[p]);
        }
        boolean diverged = false;
        for (int u = 0; u < unrolls; u++) {
          int start = u * unroll;
          int len = Math.min(unroll, steps - start);
          float[] weights = state.weights;
          java.util.Arrays.fill(results, null);
          parallel.run(owned.length, (k, worker) ->
              results[owned[k]] = optimizees[owned[k]].unroll(start, len, weights, metaLoss));
          exchange.exchange(results);
          int failed = -1;
          for (int b = 0; b < batch && failed < 0; b++) {
            if (results[b].failure() != null) {
              failed = b;
            }
          }
          if (failed >= 0) {
            diverged = true;
            listener.skipped(epoch + 1, u, results[failed].failure()
                + (batch > 1 ? " (optimizee " + (failed + 1) + " of " + batch + ")" : ""));
            break;
          }
          // the mean over the meta-batch, summed in optimizee order whatever the thread count
          boolean finite = true;
          for (int j = 0; j < p; j++) {
            double g = results[0].metaGradient()[j];
            for (int b = 1; b < batch; b++) {
              g += results[b].metaGradient()[j];
            }
            if (batch > 1) {
              g /= batch;
            }
            float gf = (float) g;
            if (!Float.isFinite(gf)) {
              finite = false;
            }
            if (config.clip() > 0) {
              gf = (float) Math.max(-config.clip(), Math.min(config.clip(), gf));
            }
            metaGrad[j] = gf;
          }
          if (!finite) {
            diverged = true;
            listener.skipped(epoch + 1, u, "non-finite meta-gradient");
            break;
          }
          float[] candidate = state.weights.clone();
          state.outer.step(candidate, metaGrad);
          if (LstmWeights.firstNonFinite(candidate) >= 0) {
            diverged = true;
            listener.skipped(epoch + 1, u, "non-finite weights after the update");
            break;
          }
          System.arraycopy(candidate, 0, state.weights, 0, p);
          state.updates++;
          listener.unrollDone(epoch + 1, u + 1, unrolls);
        }
        double lossSum = 0;
        double lossWeight = 0;
        if (!diverged) {
          lossSum = results[0].lossSum();
          lossWeight = results[0].lossWeight();
          for (int b = 1; b < batch; b++) {
            lossSum += results[b].lossSum();
            lossWeight += results[b].lossWeight();
          }
        }
        java.util.Arrays.fill(optimizees, null);
        if (diverged) {
          state.skippedTotal++;
          state.badInARow++;
          if (state.badInARow >= config.maxBadInARow()) {
            System.arraycopy(state.bestWeights, 0, state.weights, 0, p);
            state.outer.halveLearningRate();
            state.badInARow = 0;
            listener.recovered(epoch + 1, state.metaLearningRate());
          }
        } else {
          state.badInARow = 0;
        }
        state.epoch = epoch + 1;
        listener.epochDone(state.epoch, config.epochs(), diverged ? Double.NaN : lossSum / lossWeight);
        boolean last = state.epoch == config.epochs();
        if ((config.validateEvery() > 0 && state.epoch % config.validateEvery() == 0) || last) {
          int validatedEpoch = state.epoch;
          float[] current = state.weights;
          double score = exchange.validation(() -> validate(family, current, parallel,
              (done, total) -> listener.validationProgress(validatedEpoch, done, total)));
          boolean improved = score < state.bestScore;
          if (improved) {
            state.bestScore = score;
            state.bestWeights = state.weights.clone();
            state.bestEpoch = state.epoch;
          }
          listener.validated(state.epoch, score, improved);
        }
        if (checkpointing != null
            && checkpointing.path() != null
            && (state.epoch % checkpointing.everyEpochs() == 0 || last)) {
          try {
            Checkpoint.write(checkpointing.path(), checkpointing.meta(), state);
          } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e); // names the file
          }
          listener.checkpointed(state.epoch);
        }
      }
    }
    return state;
  }

  /**
   * One optimizee of a meta-batch during one epoch: its problem, generator, buffers and the
   * meta-gradient of its latest unroll. Optimizees share nothing mutable, so they run in
   * parallel.
   */
  private final class Optimizee {
    final Problem problem;
    final SplittableRandom rng;
    final Buffers b;
    final double[] metaGradSum;
    double lossSum;
    double lossWeight;

    Optimizee(Problem problem, SplittableRandom rng, Buffers b, double[] metaGradSum) {
      this.problem = problem;
      this.rng = rng;
      this.b = b;
      this.metaGradSum = metaGradSum;
    }

    /**
     * Runs steps [start, start + len) with {@code weights} (not modified) and backpropagates the
     * unroll's meta-loss into {@link #metaGradSum}; the first unroll (start 0) first draws θ₀.
     */
    MetaBatchExchange.UnrollResult unroll(int start, int len, float[] weights, MetaLoss metaLoss) {
      boolean plain = metaLoss.isPlainSum();
      boolean logLoss = metaLoss.transform() == MetaLoss.Transform.LOG_MEAN;
      int n = problem.dimension();
      float[] theta = b.theta;
      float[] update = b.update;
      float[][] grads = b.grads;
      float[][] inputs = b.inputs;
      float[][] lossGrads = b.lossGrads;
      GroupedLstm engine = b.engine;
      GroupedLstm.State lstmState = b.lstmState;
      GroupedLstm.State state0 = b.state0;
      if (start == 0) {
        problem.init(rng, theta);
        lstmState.zero();
        float f = problem.valueAndGradient(theta, grads[0], rng);
        if (b.norm != null) {
          b.norm.reset();
          b.norm.apply(grads[0], inputs[0]);
        }
        lossSum = 0;
        lossWeight = 0;
        if (!Float.isFinite(f) || !allFinite(grads[0])) {
          return failure("non-finite optimizee loss or gradient at the start");
        }
      }
      state0.copyFrom(lstmState);
      engine.beginUnroll(state0, len);
      for (int t = 0; t < len; t++) {
        engine.step(weights, lstmState, inputs[t], update);
        for (int i = 0; i < n; i++) {
          theta[i] += update[i];
        }
        float f = problem.valueAndGradient(theta, grads[t + 1], rng);
        if (!Float.isFinite(f) || !allFinite(grads[t + 1])) {
          return failure("non-finite optimizee loss or gradient");
        }
        if (b.norm != null) {
          b.norm.apply(grads[t + 1], inputs[t + 1]);
        }
        if (logLoss && !(f > 0)) {
          return failure("optimizee loss " + f + " <= 0: the log-mean meta-loss needs f > 0");
        }
        if (plain) {
          lossSum += f;
          lossWeight++;
        } else {
          double w = metaLoss.weight(t + 1, len);
          lossSum += w * (logLoss ? Math.log(f) : f);
          lossWeight += w;
          float c = (float) metaLoss.derivative(t + 1, len, f);
          float[] g = grads[t + 1];
          float[] lg = lossGrads[t + 1];
          for (int i = 0; i < n; i++) {
            lg[i] = c * g[i];
          }
        }
      }
      engine.unrollBackward(weights, state0, inputs, lossGrads, len, metaGradSum);
      // f and ∇f at the unroll's last iterate start the next unroll
      System.arraycopy(grads[len], 0, grads[0], 0, n);
      if (inputs != grads) {
        System.arraycopy(inputs[len], 0, inputs[0], 0, n);
      }
      return new MetaBatchExchange.UnrollResult(null, metaGradSum, lossSum, lossWeight);
    }

    private MetaBatchExchange.UnrollResult failure(String why) {
      return new MetaBatchExchange.UnrollResult(why, null, lossSum, lossWeight);
    }
  }

  /**
   * The work arrays and LSTM engine for optimizees of one dimension n: the parameters, the
   * gradients ∇_0..∇_T of an unroll, the LSTM's inputs (the gradients themselves, or their
   * normalised copies when a net has {@link org.l2l4j.learned.LstmConfig#norm}), ∂L/∂θ_t (the
   * gradients themselves for the plain sum, else scaled copies; entry 0 unused) and the states.
   */
  private final class Buffers {
    final float[] theta;
    final float[] update;
    final float[][] grads;
    final float[][] inputs;
    final float[][] lossGrads;
    final GroupedLstm engine;
    final GroupedLstm.State lstmState;
    final GroupedLstm.State state0;
    final InputNorm norm;

    Buffers(ProblemFamily family, int n, boolean plain, Parallel parallel) {
      int unroll = config.unroll();
      // a mixture's members may differ from the family's dimension: they get the group "all"
      List<ParamGroup> groups = nets.bind(
          n == family.dimension() ? family.groups() : List.of(ParamGroup.all(n)), n);
      theta = new float[n];
      update = new float[n];
      grads = new float[unroll + 1][n];
      norm = InputNorm.of(nets, groups, n);
      inputs = norm == null ? grads : new float[unroll + 1][n];
      lossGrads = plain ? grads : new float[unroll + 1][];
      if (!plain) {
        for (int t = 1; t <= unroll; t++) {
          lossGrads[t] = new float[n];
        }
      }
      // the optimizees of a meta-batch share the budget
      engine = new GroupedLstm(nets, groups, kernel, parallel, n,
          (tapeBudget >= 0 ? tapeBudget : BlockedLstmEngine.automaticTapeBudget())
              / config.metaBatch());
      lstmState = engine.newState();
      state0 = engine.newState();
    }
  }

  /**
   * Mean loss over steps 1..N (N = {@link MetaTrainerConfig#validationHorizon()}) of the frozen
   * weights on {@code validationProblems} problems from stream ("valid", i) of {@code family}'s
   * {@link ProblemFamily#validationFamily() validation family} (the mean log loss where {@code family}{@link ProblemFamily#validatesByLogLoss()
   * .validatesByLogLoss()}); +∞ if any run diverges.
   */
  public double validate(ProblemFamily family, float[] weights, Parallel parallel) {
    return validate(family, weights, parallel, Evaluator.RunListener.NONE);
  }

  /** As {@link #validate(ProblemFamily, float[], Parallel)}, reporting each finished problem. */
  public double validate(ProblemFamily family, float[] weights, Parallel parallel,
      Evaluator.RunListener progress) {
    // a bare net needs no groups, and runs on a mixture's members of any dimension
    ProblemFamily on = family.validationFamily();
    LearnedOptimizer opt = new LearnedOptimizer("validation", nets,
        nets.bare() ? null : nets.bind(on.groups(), on.dimension()), weights, kernel, parallel);
    int steps = config.validationHorizon();
    Curve curve = new Evaluator(on, config.validationProblems(), steps,
        config.seed(), "valid", parallel).run("validation", opt, progress);
    boolean log = family.validatesByLogLoss();
    double total = 0;
    for (double[] run : curve.losses()) {
      double sum = 0;
      for (int t = 1; t < run.length; t++) {
        if (!Double.isFinite(run[t])) {
          return Double.POSITIVE_INFINITY;
        }
        sum += log ? Math.log(Math.max(run[t], Double.MIN_NORMAL)) : run[t];
      }
      total += sum / steps;
    }
    return total / config.validationProblems();
  }

  private static boolean allFinite(float[] a) {
    for (float v : a) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
