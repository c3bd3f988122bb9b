package org.l2l4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LearnedOptimizer;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.OptimizerFileException;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Json;

/**
 * The optimizer file with one net per parameter group (version 2): exact round trip, version 1
 * still read as one bare net, refusal of malformed version-2 files (wrong fields, cuts, flipped
 * bytes) with a message naming the file, and of groups that do not match the problem's.
 */
class OptimizerFileGroupsTest {
  static final NetGroups NETS = NetGroups.parse(
      "groups(weights=lstm(layers=2,preproc=none,scale=1),biases=lstm(layers=0,preproc=none,scale=1))");

  @TempDir Path dir;

  static float[] weights() {
    SplittableRandom rng = new SplittableRandom(9);
    float[] w = new float[NETS.parameterCount()];
    for (int j = 0; j < w.length; j++) {
      w[j] = (float) rng.nextGaussian();
    }
    return w;
  }

  Path write() throws Exception {
    Path p = dir.resolve("groups.json");
    OptimizerFile.write(p, NETS, weights(), Samples.provenance());
    return p;
  }

  @Test
  void roundTripsExactlyAsVersion2() throws Exception {
    Path p = write();
    Map<?, ?> top = (Map<?, ?>) Json.parse(Files.readString(p));
    assertThat(top.get("version")).isEqualTo(2.0);
    OptimizerFile.Loaded l = OptimizerFile.read(p);
    assertThat(l.nets()).isEqualTo(NETS);
    assertThat(l.nets().spec()).isEqualTo(NETS.spec());
    assertThat(l.weights()).containsExactly(weights());
  }

  @Test
  void version1FilesStillLoadAsOneBareNet() {
    OptimizerFile.Loaded l = OptimizerFile.parse("v1.json", Samples.optimizerFile());
    assertThat(l.nets().bare()).isTrue();
    assertThat(l.nets().names()).containsExactly(ParamGroup.ALL);
    assertThat(l.config()).isEqualTo(Samples.TINY);
    assertThat(l.weights()).hasSize(Samples.TINY.parameterCount());
  }

  @SuppressWarnings("unchecked")
  void expectError(Consumer<Map<String, Object>> change, String message) throws Exception {
    Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(write()));
    change.accept(m);
    String text = Json.write(m);
    Contract.optimizerFile(text.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, text))
        .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith(Contract.WHERE + ": ")
        .hasMessageContaining(message);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> net(Map<String, Object> m, int g) {
    return ((List<Map<String, Object>>) (List<?>) m.get("nets")).get(g);
  }

  @Test
  void malformedVersion2FilesAreRefused() throws Exception {
    expectError(m -> m.put("version", 1.0), "version 1 holds one lstm(...) net");
    expectError(m -> m.put("spec", "lstm(layers=2,preproc=none,scale=1)"),
        "version 2 holds groups(...)");
    expectError(m -> m.remove("nets"), "missing field 'nets'");
    expectError(m -> m.put("nets", List.of()), "0 nets, spec");
    expectError(m -> m.put("parameter_count", 3.0), "parameter_count 3 does not match");
    expectError(m -> net(m, 0).put("group", "biases"), "nets[0] is for group 'biases'");
    expectError(m -> net(m, 1).put("spec", "lstm(layers=1,preproc=none,scale=1)"),
        "group 'biases' has spec");
    expectError(m -> net(m, 1).put("parameter_count", 7.0), "group 'biases': parameter_count 7");
    expectError(m -> net(m, 0).put("tensors", List.of()), "group 'weights': 0 tensors");
    expectError(m -> m.put("spec", "groups(weights=lstm(layers=2,preproc=none,scale=1),"
        + "weights=lstm(layers=2,preproc=none,scale=1))"), "given twice");
    expectError(m -> m.put("spec", "groups()"), "needs at least one");
    expectError(m -> m.put("spec", "groups(Bad=lstm(layers=2))"), "bad group name");
  }

  @Test
  void cutsAndByteFlipsAreRefusedOrValid() throws Exception {
    byte[] all = Files.readAllBytes(write());
    for (int len = 0; len < all.length; len += 7) {
      byte[] cut = java.util.Arrays.copyOf(all, len);
      Contract.optimizerFile(cut);
      String text = new String(cut, StandardCharsets.UTF_8);
      assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, text)).as("cut at %d", len)
          .isInstanceOf(OptimizerFileException.class);
    }
    Random rng = new Random(MalformedInputTest.SEED);
    for (int i = 0; i < 500; i++) {
      byte[] b = all.clone();
      b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
      Contract.optimizerFile(b);
    }
  }

  @Test
  void loadsForAFamilyWithItsGroupsAndStepsEachGroupWithItsOwnNet() throws Exception {
    Path p = write();
    ProblemFamily mlp = Problems.parse("mnist(hidden=3)");
    int n = mlp.dimension();
    try (LearnedOptimizer opt = LearnedOptimizer.load(p, 1, mlp)) {
      assertThat(opt.nets()).isEqualTo(NETS);
      assertThat(opt.spec()).isEqualTo(NETS.spec());
      float[] theta = new float[n];
      float[] grad = new float[n];
      java.util.Arrays.fill(grad, 0.5f);
      opt.step(opt.init(n), theta, grad);
      // the same gradient everywhere: updates are equal within a group and differ between the
      // two nets (weights: a 2-unit LSTM; biases: a linear map of the gradient)
      float w = theta[0];
      float b = theta[2352];
      for (ParamGroup g : mlp.groups()) {
        int[] r = g.ranges();
        for (int k = 0; k < r.length; k += 2) {
          for (int i = r[k]; i < r[k + 1]; i++) {
            assertThat(theta[i]).as("%s coordinate %d", g.name(), i)
                .isEqualTo(g.name().equals("weights") ? w : b);
          }
        }
      }
      assertThat(w).isNotEqualTo(b);
    }
  }

  @Test
  void groupsThatDoNotMatchTheProblemAreRefusedNamingTheFile() throws Exception {
    Path p = write();
    ProblemFamily quadratic = Problems.parse("quadratic(dim=4)");
    assertThatThrownBy(() -> LearnedOptimizer.load(p, 1, quadratic))
        .isInstanceOf(OptimizerFileException.class)
        .hasMessage(p + ": optimizer group 'weights' is not a parameter group of the problem"
            + " (its groups: all)");
    assertThatThrownBy(() -> LearnedOptimizer.load(p, 1))
        .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith(p + ": holds nets");
    NetGroups onlyWeights = NetGroups.parse("groups(weights=lstm(layers=0,preproc=none,scale=1))");
    assertThatThrownBy(() -> onlyWeights.bind(Problems.parse("mnist(hidden=3)").groups(), 0))
        .hasMessage("the optimizer has no net for the problem's parameter group 'biases'"
            + " (its groups: weights, biases)");
  }
}
