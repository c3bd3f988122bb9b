package org.l2l4j.meta;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.l2l4j.optim.Adam;
import org.l2l4j.optim.BaselineOptimizer;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * The settings of meta-training (SPEC §4). Defaults are the paper's protocol: epochs of 100 steps
 * in unrolls of 20, outer Adam with learning rate 0.001 (the official code), no clipping.
 *
 * @param epochs number of epochs; each is one freshly sampled optimizee
 * @param stepsPerEpoch optimizee steps per epoch (100)
 * @param unroll steps per truncated-BPTT unroll, one meta-update each (20)
 * @param metaLearningRate the outer optimizer's learning rate (0.001)
 * @param clip meta-gradients are clipped elementwise to ±clip; 0 turns clipping off (default)
 * @param validateEvery validate every this many epochs (0: only at the end)
 * @param validationProblems held-out problems per validation
 * @param seed the root seed; training problems, validation problems and weight init derive from it
 * @param threads worker threads for the LSTM kernels (results do not depend on it)
 * @param maxBadInARow after this many skipped meta-updates in a row (non-finite loss or
 *     gradient), the best weights are restored and the meta learning rate halved
 * @param outer the outer optimizer (Adam by default); its learning rate is {@code
 *     metaLearningRate}
 * @param metaLoss the meta-loss of each unroll ({@link MetaLoss#DEFAULT}, the paper's Σ_t
 *     f(θ_t), by default); given step weights must number {@code unroll}
 * @param metaBatch optimizees per meta-update (1, the paper's, by default): each meta-update
 *     applies the mean of the meta-gradients of this many optimizees advanced through the same
 *     unroll, and one epoch runs that many optimizees through all their unrolls
 * @param maxSteps 0 (the default): every epoch runs {@code stepsPerEpoch} steps; else each
 *     epoch's horizon is drawn log-uniformly from [{@code stepsPerEpoch}, {@code maxSteps}] and
 *     rounded down to a multiple of {@code unroll} (see {@link #horizon})
 * @param validationSteps 0 (the default): validation runs {@code stepsPerEpoch} steps; else
 *     this many (see {@link #validationHorizon()}), e.g. to pick the weights that do best over a
 *     longer run than the training episodes
 */
public record MetaTrainerConfig(
    int epochs,
    int stepsPerEpoch,
    int unroll,
    double metaLearningRate,
    double clip,
    int validateEvery,
    int validationProblems,
    long seed,
    int threads,
    int maxBadInARow,
    BaselineOptimizer<?> outer,
    MetaLoss metaLoss,
    int metaBatch,
    int maxSteps,
    int validationSteps) {

  /** The largest {@link #metaBatch}. */
  public static final int MAX_META_BATCH = 4096;

  /** Validates every field, naming it in the error. */
  public MetaTrainerConfig {
    if (epochs < 1) {
      throw new SpecException("epochs must be >= 1, got " + epochs);
    }
    if (stepsPerEpoch < 1) {
      throw new SpecException("steps per epoch must be >= 1, got " + stepsPerEpoch);
    }
    if (unroll < 1 || unroll > stepsPerEpoch) {
      throw new SpecException("unroll must be in [1, steps], got " + unroll);
    }
    if (!(metaLearningRate > 0) || !Double.isFinite(metaLearningRate)) {
      throw new SpecException("meta learning rate must be finite and > 0, got " + metaLearningRate);
    }
    if (!(clip >= 0) || !Double.isFinite(clip)) {
      throw new SpecException("clip must be finite and >= 0, got " + clip);
    }
    if (validateEvery < 0) {
      throw new SpecException("validate-every must be >= 0, got " + validateEvery);
    }
    if (validationProblems < 1) {
      throw new SpecException("validation problems must be >= 1, got " + validationProblems);
    }
    if (threads < 1 || threads > 1024) {
      throw new SpecException("threads must be in [1, 1024], got " + threads);
    }
    if (maxBadInARow < 1) {
      throw new SpecException("max-bad-in-a-row must be >= 1, got " + maxBadInARow);
    }
    if (outer == null) {
      throw new SpecException("outer optimizer missing");
    }
    if (outer.learningRate() != metaLearningRate) {
      throw new SpecException("meta learning rate " + metaLearningRate + " differs from the outer"
          + " optimizer's, " + outer.spec());
    }
    if (metaLoss == null) {
      throw new SpecException("meta-loss missing");
    }
    metaLoss.requireUnroll(unroll);
    if (metaBatch < 1 || metaBatch > MAX_META_BATCH) {
      throw new SpecException("meta-batch must be in [1, " + MAX_META_BATCH + "], got "
          + metaBatch);
    }
    if (maxSteps != 0 && maxSteps < stepsPerEpoch) {
      throw new SpecException("max-steps must be 0 (off) or >= steps = " + stepsPerEpoch
          + ", got " + maxSteps);
    }
    if (validationSteps < 0) {
      throw new SpecException("validation-steps must be 0 (= steps) or >= 1, got "
          + validationSteps);
    }
  }

  /** The settings with validation over {@code stepsPerEpoch} steps. */
  public MetaTrainerConfig(int epochs, int stepsPerEpoch, int unroll, double metaLearningRate,
      double clip, int validateEvery, int validationProblems, long seed, int threads,
      int maxBadInARow, BaselineOptimizer<?> outer, MetaLoss metaLoss, int metaBatch,
      int maxSteps) {
    this(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery, validationProblems,
        seed, threads, maxBadInARow, outer, metaLoss, metaBatch, maxSteps, 0);
  }

  /** The steps of each validation run: {@code validationSteps}, or {@code stepsPerEpoch} if 0. */
  public int validationHorizon() {
    return validationSteps == 0 ? stepsPerEpoch : validationSteps;
  }

  /** The settings with every epoch of {@code stepsPerEpoch} steps (the paper's). */
  public MetaTrainerConfig(int epochs, int stepsPerEpoch, int unroll, double metaLearningRate,
      double clip, int validateEvery, int validationProblems, long seed, int threads,
      int maxBadInARow, BaselineOptimizer<?> outer, MetaLoss metaLoss, int metaBatch) {
    this(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery, validationProblems,
        seed, threads, maxBadInARow, outer, metaLoss, metaBatch, 0);
  }

  /**
   * The optimizee steps of epoch {@code epoch} (0-based): {@code stepsPerEpoch} when {@code
   * maxSteps} is 0; else s·(M/s)^u with u uniform in [0, 1) from the seed stream ("horizon",
   * epoch), a heavy-tailed horizon (density ∝ 1/h, median √(s·M)), rounded down to a multiple of
   * {@code unroll} and at least {@code stepsPerEpoch}. The same for every thread count and on
   * resume.
   */
  public int horizon(int epoch) {
    if (maxSteps == 0) {
      return stepsPerEpoch;
    }
    double u = org.l2l4j.util.Seeds.stream(seed, "horizon", epoch).nextDouble();
    double h = stepsPerEpoch * Math.pow((double) maxSteps / stepsPerEpoch, u); // < maxSteps
    return Math.max(stepsPerEpoch, (int) (h / unroll) * unroll);
  }

  /** The settings with one optimizee per meta-update (the paper's). */
  public MetaTrainerConfig(int epochs, int stepsPerEpoch, int unroll, double metaLearningRate,
      double clip, int validateEvery, int validationProblems, long seed, int threads,
      int maxBadInARow, BaselineOptimizer<?> outer, MetaLoss metaLoss) {
    this(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery, validationProblems,
        seed, threads, maxBadInARow, outer, metaLoss, 1);
  }

  /** The settings with the default meta-loss ({@link MetaLoss#DEFAULT}). */
  public MetaTrainerConfig(int epochs, int stepsPerEpoch, int unroll, double metaLearningRate,
      double clip, int validateEvery, int validationProblems, long seed, int threads,
      int maxBadInARow, BaselineOptimizer<?> outer) {
    this(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery, validationProblems,
        seed, threads, maxBadInARow, outer, MetaLoss.DEFAULT);
  }

  /** The settings with the outer Adam at learning rate {@code metaLearningRate} (the default). */
  public MetaTrainerConfig(int epochs, int stepsPerEpoch, int unroll, double metaLearningRate,
      double clip, int validateEvery, int validationProblems, long seed, int threads,
      int maxBadInARow) {
    this(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery, validationProblems,
        seed, threads, maxBadInARow, new Adam(metaLearningRate), MetaLoss.DEFAULT);
  }

  /** The paper's protocol with {@code epochs} epochs and the given seed, one thread. */
  public static MetaTrainerConfig defaults(int epochs, long seed) {
    return new MetaTrainerConfig(epochs, 100, 20, 0.001, 0, 100, 20, seed, 1, 5);
  }

  /** A copy with another epoch count. */
  public MetaTrainerConfig withEpochs(int e) {
    return new MetaTrainerConfig(e, stepsPerEpoch, unroll, metaLearningRate, clip, validateEvery,
        validationProblems, seed, threads, maxBadInARow, outer, metaLoss, metaBatch, maxSteps,
        validationSteps);
  }

  /** A copy with another thread count. */
  public MetaTrainerConfig withThreads(int t) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip,
        validateEvery, validationProblems, seed, t, maxBadInARow, outer, metaLoss, metaBatch,
        maxSteps, validationSteps);
  }

  /** A copy with another meta learning rate. */
  public MetaTrainerConfig withMetaLearningRate(double lr) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, lr, clip, validateEvery,
        validationProblems, seed, threads, maxBadInARow, outer.withLearningRate(lr), metaLoss,
        metaBatch, maxSteps, validationSteps);
  }

  /** A copy with other validation settings. */
  public MetaTrainerConfig withValidation(int every, int problems) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip, every,
        problems, seed, threads, maxBadInARow, outer, metaLoss, metaBatch, maxSteps,
        validationSteps);
  }

  /** A copy with another outer optimizer (and its learning rate as the meta learning rate). */
  public MetaTrainerConfig withOuter(BaselineOptimizer<?> o) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, o.learningRate(), clip,
        validateEvery, validationProblems, seed, threads, maxBadInARow, o, metaLoss,
        metaBatch, maxSteps, validationSteps);
  }

  /** A copy with another meta-batch size. */
  public MetaTrainerConfig withMetaBatch(int b) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip,
        validateEvery, validationProblems, seed, threads, maxBadInARow, outer, metaLoss, b,
        maxSteps, validationSteps);
  }

  /** A copy with another horizon bound ({@link #maxSteps}; 0: fixed). */
  public MetaTrainerConfig withMaxSteps(int m) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip,
        validateEvery, validationProblems, seed, threads, maxBadInARow, outer, metaLoss, metaBatch,
        m, validationSteps);
  }

  /** A copy with another validation horizon ({@link #validationSteps}; 0: {@code steps}). */
  public MetaTrainerConfig withValidationSteps(int v) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip,
        validateEvery, validationProblems, seed, threads, maxBadInARow, outer, metaLoss, metaBatch,
        maxSteps, v);
  }

  /** A copy with another meta-loss. */
  public MetaTrainerConfig withMetaLoss(MetaLoss loss) {
    return new MetaTrainerConfig(epochs, stepsPerEpoch, unroll, metaLearningRate, clip,
        validateEvery, validationProblems, seed, threads, maxBadInARow, outer, loss,
        metaBatch, maxSteps, validationSteps);
  }

  // ------------------------------------------------------------------ spec, presets, resuming

  /** The settings in a spec, in this order; {@code threads} is not one (results do not depend on it). */
  public static final List<String> SETTINGS = List.of("epochs", "steps", "unroll", "outer", "clip",
      "validate-every", "validation-problems", "max-bad", "seed", "meta-loss", "meta-batch",
      "max-steps", "validation-steps");

  /**
   * The settings that a resumed run must share with the checkpoint's: all but {@code epochs}
   * (a run may train longer).
   */
  public static final List<String> RESUME_CHECKED = SETTINGS.subList(1, SETTINGS.size());

  /**
   * The run's settings as a spec that {@link #parse} turns back into an equal config (with one
   * thread), e.g. {@code meta(epochs=3000,steps=100,unroll=20,outer=adam(lr=0.003,b1=0.9,b2=0.999,eps=1e-8),clip=0,validate-every=100,validation-problems=20,max-bad=5,seed=1,meta-loss=loss(weights=uniform,transform=sum),meta-batch=1)}.
   * {@code threads} is left out: it does not change the results.
   */
  public String spec() {
    StringBuilder sb = new StringBuilder("meta(");
    settings().forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
    sb.setLength(sb.length() - 1);
    return sb.append(')').toString();
  }

  /** The settings as name → value text, in {@link #SETTINGS} order. */
  public Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("epochs", Integer.toString(epochs));
    m.put("steps", Integer.toString(stepsPerEpoch));
    m.put("unroll", Integer.toString(unroll));
    m.put("outer", outer.spec());
    m.put("clip", Spec.fmt(clip));
    m.put("validate-every", Integer.toString(validateEvery));
    m.put("validation-problems", Integer.toString(validationProblems));
    m.put("max-bad", Integer.toString(maxBadInARow));
    m.put("seed", Long.toString(seed));
    m.put("meta-loss", metaLoss.spec());
    m.put("meta-batch", Integer.toString(metaBatch));
    if (maxSteps != 0) {
      m.put("max-steps", Integer.toString(maxSteps)); // only when set: older specs stay as they were
    }
    if (validationSteps != 0) {
      m.put("validation-steps", Integer.toString(validationSteps)); // likewise
    }
    return m;
  }

  /**
   * Parses a {@link #spec}; settings left out take the {@code train} preset's values (seed 1), and
   * the config runs on one thread. {@code outer} without {@code lr} gets 0.001.
   *
   * @throws SpecException naming the setting
   */
  public static MetaTrainerConfig parse(String text) {
    Spec s = Spec.parse(text);
    if (!s.name().equals("meta")) {
      throw new SpecException("expected a meta(...) spec, got '" + org.l2l4j.util.Text.excerpt(
          s.name()) + "'");
    }
    s.requireOnly(Set.copyOf(SETTINGS));
    MetaTrainerConfig d = preset("train", 1);
    long seed = d.seed();
    String seedText = s.get("seed", null);
    if (seedText != null) {
      try {
        seed = Long.parseLong(seedText);
      } catch (NumberFormatException e) {
        throw new SpecException("'seed=" + org.l2l4j.util.Text.excerpt(seedText) + "' in '"
            + org.l2l4j.util.Text.excerpt(s.toString()) + "' is not an integer");
      }
    }
    BaselineOptimizer<?> outer = Optimizers.parseBaseline(s.get("outer", d.outer().spec()));
    return new MetaTrainerConfig(
        s.getInt("epochs", d.epochs(), 1, Integer.MAX_VALUE),
        s.getInt("steps", d.stepsPerEpoch(), 1, Integer.MAX_VALUE),
        s.getInt("unroll", d.unroll(), 1, Integer.MAX_VALUE),
        outer.learningRate(),
        s.getInRange("clip", d.clip(), 0, Double.POSITIVE_INFINITY),
        s.getInt("validate-every", d.validateEvery(), 0, Integer.MAX_VALUE),
        s.getInt("validation-problems", d.validationProblems(), 1, Integer.MAX_VALUE),
        seed, 1,
        s.getInt("max-bad", d.maxBadInARow(), 1, Integer.MAX_VALUE),
        outer,
        MetaLoss.parse(s.get("meta-loss", d.metaLoss().spec())),
        s.getInt("meta-batch", d.metaBatch(), 1, MAX_META_BATCH),
        s.getInt("max-steps", 0, 0, Integer.MAX_VALUE),
        s.getInt("validation-steps", 0, 0, Integer.MAX_VALUE));
  }

  /** The names of the {@link #preset}s. */
  public static final List<String> PRESETS = List.of("train", "demo", "mnist");

  /**
   * The one place for the commands' defaults, one thread:
   *
   * <ul>
   *   <li>{@code train}: 2,000 epochs, outer Adam 0.001 (the official code's), validation every 100
   *       epochs on 20 problems;
   *   <li>{@code demo}: 3,000 epochs, outer Adam 0.003, validation every 100 epochs on 20 problems;
   *   <li>{@code mnist}: 4,000 epochs, outer Adam 0.001, validation every 25 epochs on 5 nets.
   * </ul>
   *
   * All: 100 steps per epoch in unrolls of 20, no clipping, 5 skips in a row before recovery, the
   * default meta-loss Σ_t f(θ_t), one optimizee per meta-update.
   *
   * @throws SpecException for an unknown name, listing the known ones
   */
  public static MetaTrainerConfig preset(String name, long seed) {
    return switch (name) {
      case "train" -> new MetaTrainerConfig(2000, 100, 20, 0.001, 0, 100, 20, seed, 1, 5);
      case "demo" -> new MetaTrainerConfig(3000, 100, 20, 0.003, 0, 100, 20, seed, 1, 5);
      case "mnist" -> new MetaTrainerConfig(4000, 100, 20, 0.001, 0, 25, 5, seed, 1, 5);
      default -> throw new SpecException("unknown meta-training preset '"
          + org.l2l4j.util.Text.excerpt(name) + "'; known: " + String.join(", ", PRESETS));
    };
  }

  /**
   * The value of a setting that a recorded spec leaves out: {@code meta-loss} and {@code
   * meta-batch} did not exist in older files (their runs used {@link MetaLoss#DEFAULT} and one
   * optimizee per meta-update), and {@code max-steps} and {@code validation-steps} are written
   * only when set.
   */
  private static final Map<String, String> WHEN_ABSENT = Map.of(
      "meta-loss", MetaLoss.DEFAULT.spec(), "meta-batch", "1", "max-steps", "0",
      "validation-steps", "0");

  /**
   * One setting in which a checkpoint's run and this one differ.
   *
   * @param setting the setting's name (one of {@link #RESUME_CHECKED})
   * @param saved the checkpoint's value, or null when the checkpoint does not record it
   * @param now this config's value
   */
  public record Mismatch(String setting, String saved, String now) {}

  /**
   * The settings of {@link #RESUME_CHECKED} in which {@code saved} (a run's recorded settings, see
   * {@link #recorded}) differs from this config, in that order; empty when this config can continue
   * it. A setting {@code saved} does not record comes with {@code saved == null}, except those
   * of {@link #WHEN_ABSENT}: runs recorded before they existed all trained with that value, so
   * their absence means it.
   */
  public List<Mismatch> resumeMismatches(Map<String, String> saved) {
    List<Mismatch> out = new ArrayList<>();
    Map<String, String> now = settings();
    for (String key : RESUME_CHECKED) {
      String was = saved.getOrDefault(key, WHEN_ABSENT.get(key));
      String current = now.getOrDefault(key, WHEN_ABSENT.get(key));
      if (was == null || !sameValue(key, was, current)) {
        out.add(new Mismatch(key, was, current));
      }
    }
    return out;
  }

  /**
   * Checks that this config can continue a run recorded as {@code saved}.
   *
   * @throws SpecException naming every setting that differs with both values (settings that
   *     {@code saved} does not record are not errors; see {@link #resumeMismatches})
   */
  public void requireResumableFrom(Map<String, String> saved) {
    List<String> wrong = new ArrayList<>();
    for (Mismatch m : resumeMismatches(saved)) {
      if (m.saved() != null) {
        wrong.add(m.setting() + " " + m.saved() + " (now " + m.now() + ")");
      }
    }
    if (!wrong.isEmpty()) {
      throw new SpecException("cannot resume: the checkpoint was trained with "
          + String.join(", ", wrong));
    }
  }

  private static boolean sameValue(String key, String a, String b) {
    if (key.equals("meta-loss")) {
      try {
        return MetaLoss.parse(a).equals(MetaLoss.parse(b));
      } catch (SpecException e) {
        return false;
      }
    }
    if (key.equals("outer")) {
      try {
        return Optimizers.parseBaseline(a).equals(Optimizers.parseBaseline(b));
      } catch (SpecException e) {
        return false;
      }
    }
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return a.equals(b);
    }
  }

  /**
   * A run's settings as recorded in a checkpoint's or optimizer file's {@code trainer}: a {@link
   * #spec}, or the older {@code epochs=..,steps=..,meta-lr=..} form (its {@code meta-lr} is the
   * outer Adam's learning rate; values are normalised as in a spec). Settings it lacks are absent.
   *
   * @throws SpecException when a {@code meta(...)} spec is malformed
   */
  public static Map<String, String> recorded(String trainer) {
    Map<String, String> m = new LinkedHashMap<>();
    if (trainer.startsWith("meta(")) {
      Spec s = Spec.parse(trainer);
      for (String key : SETTINGS) {
        String v = s.get(key, null);
        if (v != null) {
          m.put(key, v);
        }
      }
      return m;
    }
    for (String part : trainer.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = part.substring(0, eq);
      String value = part.substring(eq + 1);
      try {
        value = key.equals("meta-lr") ? new Adam(Double.parseDouble(value)).spec()
            : Spec.fmt(Double.parseDouble(value));
      } catch (NumberFormatException | SpecException e) {
        // kept as written: it then differs from any valid value
      }
      m.put(key.equals("meta-lr") ? "outer" : key, value);
    }
    return m;
  }
}
