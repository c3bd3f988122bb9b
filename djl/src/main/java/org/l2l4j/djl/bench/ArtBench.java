package org.l2l4j.djl.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.l2l4j.djl.DjlEngine;
import org.l2l4j.djl.art.ArtData;
import org.l2l4j.djl.art.ArtFamily;
import org.l2l4j.djl.art.ArtLoss;
import org.l2l4j.djl.art.ArtProblem;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.LstmWeights;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.util.Parallel;

/**
 * Times the art problem ({@code art(...)}, {@link ArtFamily}) at each size given: {@code art-S},
 * one {@code valueAndGradient} (θ in, forward, backward wrt the pixels, gradient out) on one
 * PyTorch thread, and {@code lstm-S}, one step of {@code lstm(preset=paper)} on as many
 * coordinates on one thread; and prints the three unweighted loss terms at θ₀ of three problems
 * (the basis of the default weights α, β, γ). Needs the skimage images ({@code
 * scripts/setup-data.sh}).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp djl/target/l2l4j-djl.jar
 * org.l2l4j.djl.bench.ArtBench [SECONDS per measurement, default 5] [SIZES, default 64,128]
 * [DIR]}. Prints the median and quartiles in ms after a warm-up of the same length.
 */
public final class ArtBench {
  private ArtBench() {}

  /** Runs the measurements. */
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    String sizes = args.length > 1 ? args[1] : "64,128";
    Path dir = args.length > 2 ? Path.of(args[2]) : null;
    System.out.printf(Locale.ROOT, "DJL %s, PyTorch threads %s, %s, JVM %s%n",
        DjlEngine.get().getVersion(), System.getProperty("ai.djl.pytorch.num_threads"),
        ArtData.TRAIN_STYLE, Runtime.version());
    for (String s : sizes.split(",")) {
      int size = Integer.parseInt(s.strip());
      try (ArtFamily f = ArtFamily.create(ArtFamily.Settings.defaults().withSize(size)
          .withDir(dir))) {
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 3; k++) {
          ArtProblem p = (ArtProblem) f.sample(rng);
          float[] theta = new float[p.dimension()];
          p.init(rng, theta);
          ArtLoss.Terms t = p.terms(theta, null);
          System.out.printf(Locale.ROOT, "terms-%d %s: content %.4g, style %.4g, tv %.4g; f %.4g"
              + " (alpha %s, beta %s, gamma %s)%n", size, p.source(), t.content(), t.style(),
              t.tv(), t.value(), f.settings().alpha(), f.settings().beta(), f.settings().gamma());
        }
        ArtProblem p = (ArtProblem) f.sample(rng);
        int n = p.dimension();
        float[] theta = new float[n];
        float[] grad = new float[n];
        p.init(rng, theta);
        DjlBench.report("art-" + size, seconds, () -> p.valueAndGradient(theta, grad, null));
        NetGroups nets = NetGroups.parse("lstm(preset=paper)");
        float[] w = LstmWeights.init(nets.configs().get(0), new SplittableRandom(0));
        try (Parallel one = new Parallel(1)) {
          LearnedOptimizer lstm = new LearnedOptimizer("lstm", nets, nets.bind(f.groups(), n), w,
              LstmKernels.best(), one);
          var state = lstm.init(n);
          float[] t = theta.clone();
          DjlBench.report("lstm-" + size, seconds, () -> lstm.step(state, t, grad));
        }
      }
    }
  }
}
