package org.l2l4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.OptimizerFileException;
import org.l2l4j.learned.Provenance;

/** {@link LearnedDjlOptimizer} inside DJL's own training loop ({@link EasyTrain#fit}). */
class LearnedDjlOptimizerTest {
  /** Two runs of the same float32 arithmetic in different kernels: a few roundings apart. */
  static final double PARAM_TOLERANCE = 1e-5;

  @TempDir Path dir;

  /**
   * {@code lstm(preset=simple)} (no LSTM layer, no preprocessing, scale 1) with output weight
   * {@code -lr} and bias 0: the update is −lr·∇, plain SGD.
   */
  static float[] sgdWeights(float lr) {
    LstmConfig c = LstmConfig.parse("lstm(preset=simple)");
    float[] w = new float[c.parameterCount()];
    w[c.outputWeightOffset()] = -lr;
    return w;
  }

  /** Trains the paper's conv net on 3x8x8 images for 2 epochs of 6 batches; returns θ. */
  static List<float[]> train(Optimizer optimizer) throws Exception {
    ImageData data = ConvFamilyTest.cifarLike(48, 8);
    DjlEngine.get().setRandomSeed(5);
    try (Model model = Model.newInstance("conv", DjlEngine.NAME);
        NDManager m = NDManager.newBaseManager(DjlEngine.NAME)) {
      Block net = ConvFamily.net(10);
      model.setBlock(net);
      float[] x = new float[data.count() * data.pixelsPerImage()];
      float[] y = new float[data.count()];
      for (int i = 0; i < data.count(); i++) {
        data.copyImage(i, x, i * data.pixelsPerImage());
        y[i] = data.label(i);
      }
      ArrayDataset ds = new ArrayDataset.Builder()
          .setData(m.create(x, new Shape(data.count(), 3, 8, 8)))
          .optLabels(m.create(y)).setSampling(8, false).build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optInitializer(new NormalInitializer(0.1f), p -> true).optOptimizer(optimizer);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(8, 3, 8, 8));
        EasyTrain.fit(trainer, 2, ds, null);
      }
      List<float[]> out = new ArrayList<>();
      for (Pair<String, Parameter> p : net.getParameters()) {
        out.add(p.getValue().getArray().toFloatArray());
      }
      return out;
    }
  }

  @Test
  void learnedSgdTrainsLikeDjlsSgd() throws Exception {
    List<float[]> sgd = train(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
    List<float[]> learned;
    try (LearnedDjlOptimizer o = LearnedDjlOptimizer.builder()
        .optNets("sgd", NetGroups.single(LstmConfig.parse("lstm(preset=simple)")), sgdWeights(0.1f))
        .build()) {
      learned = train(o);
    }
    List<float[]> untouched = train(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build());
    double moved = 0;
    for (int k = 0; k < sgd.size(); k++) {
      for (int i = 0; i < sgd.get(k).length; i++) {
        assertThat((double) learned.get(k)[i]).isCloseTo(sgd.get(k)[i],
            org.assertj.core.data.Offset.offset(PARAM_TOLERANCE));
        moved = Math.max(moved, Math.abs(sgd.get(k)[i] - untouched.get(k)[i]));
      }
    }
    assertThat(moved).as("training changed the weights").isGreaterThan(1e-3);
  }

  @Test
  void oneNetPerGroupFromAFile() throws Exception {
    // conv kernels frozen (rate 0), everything else SGD 0.1
    NetGroups nets = NetGroups.parse("groups(conv=lstm(preset=simple),fc=lstm(preset=simple))");
    float[] w = new float[nets.parameterCount()];
    System.arraycopy(sgdWeights(0f), 0, w, nets.offset(0), nets.configs().get(0).parameterCount());
    System.arraycopy(sgdWeights(0.1f), 0, w, nets.offset(1), nets.configs().get(1).parameterCount());
    Path file = dir.resolve("two-nets.json");
    OptimizerFile.write(file, nets, w, new Provenance("conv", null, 1, "test", 0, 0, 0, 0, 0,
        "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z"));
    List<float[]> before = train(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build());
    List<float[]> after;
    try (LearnedDjlOptimizer o = LearnedDjlOptimizer.builder().optOptimizer(file.toString())
        .build()) {
      assertThat(o.groups()).containsExactly("conv", "fc");
      after = train(o);
    }
    assertThat(after.get(0)).as("first conv kernel").containsExactly(before.get(0));
    assertThat(after.get(after.size() - 1)).as("last linear bias").isNotEqualTo(before.get(before.size() - 1));
  }

  @Test
  void groupsThatDoNotMatchTheModelAreNamed() throws Exception {
    NetGroups nets = NetGroups.parse("groups(weights=lstm(preset=simple),biases=lstm(preset=simple))");
    Path file = dir.resolve("mlp-nets.json");
    OptimizerFile.write(file, nets, new float[nets.parameterCount()], new Provenance("mlp", null, 1,
        "test", 0, 0, 0, 0, 0, "l2l4j test", "scalar", "jvm", "os", "2026-01-01T00:00:00Z"));
    try (LearnedDjlOptimizer o = LearnedDjlOptimizer.builder().optOptimizer(file.toString())
        .build()) {
      assertThatThrownBy(() -> train(o)).isInstanceOf(OptimizerFileException.class)
          .hasMessageMatching(java.util.regex.Pattern.quote(file.toString())
              + ": no net for the parameter group '(conv|fc)' of a parameter of shape \\(.*\\)"
              + " \\(the optimizer's groups: weights, biases\\)");
    }
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> LearnedDjlOptimizer.builder().optOptimizer(dir + "/none.json").build())
        .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith(dir + "/none.json");
  }

  @Test
  void oneUpdateOfLearnedSgd() {
    try (NDManager m = NDManager.newBaseManager(DjlEngine.NAME);
        LearnedDjlOptimizer o = LearnedDjlOptimizer.builder()
            .optNets("sgd", NetGroups.single(LstmConfig.parse("lstm(preset=simple)")), sgdWeights(0.1f))
            .build()) {
      NDArray w = m.create(new float[] {1, 2});
      o.update("w", w, m.create(new float[] {0.5f, -1}));
      assertThat(w.toFloatArray()).containsExactly(1 - 0.1f * 0.5f, 2 + 0.1f);
    }
  }

  @Test
  void stateIsKeptPerParameter() {
    // a one-layer LSTM has state: two parameters updated alternately must not share it
    LstmConfig c = LstmConfig.parse("lstm(layers=4,preproc=none,scale=0.1)");
    float[] w = org.l2l4j.learned.LstmWeights.init(c, new java.util.SplittableRandom(3));
    try (NDManager m = NDManager.newBaseManager(DjlEngine.NAME);
        LearnedDjlOptimizer a = LearnedDjlOptimizer.builder()
            .optNets("a", NetGroups.single(c), w).build();
        LearnedDjlOptimizer b = LearnedDjlOptimizer.builder()
            .optNets("b", NetGroups.single(c), w).build()) {
      NDArray p1 = m.create(new float[] {1, 2});
      NDArray q1 = m.create(new float[] {5, 6, 7});
      NDArray p2 = m.create(new float[] {1, 2});
      NDArray g = m.create(new float[] {0.5f, -1});
      NDArray h = m.create(new float[] {3, 2, 1});
      for (int t = 0; t < 3; t++) {
        a.update("p", p1, g);
        a.update("q", q1, h);
        b.update("p", p2, g);
      }
      assertThat(p1.toFloatArray()).containsExactly(p2.toFloatArray());
      assertThat(p1.toFloatArray()).isNotEqualTo(new float[] {1, 2});
    }
  }
}
