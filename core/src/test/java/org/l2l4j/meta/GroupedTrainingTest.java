package org.l2l4j.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.NetGroups;
import org.l2l4j.problem.ParamGroup;
import org.l2l4j.problem.Problem;
import org.l2l4j.problem.ProblemFamily;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.SpecException;

/** Meta-training several nets jointly, one per parameter group, on one meta-loss. */
class GroupedTrainingTest {
  /** A quadratic family whose θ is split into two interleaved groups. */
  static final class TwoGroups implements ProblemFamily {
    final ProblemFamily inner = Problems.parse("quadratic(preset=paper,dim=10,batch=300)");

    @Override
    public String spec() {
      return "two-groups";
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public Problem sample(RandomGenerator rng) {
      return inner.sample(rng);
    }

    @Override
    public List<ParamGroup> groups() {
      int n = dimension();
      return List.of(new ParamGroup("odd", new int[] {0, 1000, 2500, n}),
          new ParamGroup("even", new int[] {1000, 2500}));
    }
  }

  static final String SPEC = "groups(odd=lstm(preset=quadratic),even=lstm(layers=4,preproc=none,"
      + "scale=1,gac=2))";

  @Test
  void trainsBothNetsBitIdenticallyForAnyThreadCount() {
    ProblemFamily family = new TwoGroups();
    NetGroups nets = NetGroups.parse(SPEC);
    float[] one = null;
    for (int threads : new int[] {1, 2}) {
      MetaTrainer tr = new MetaTrainer(MetaTrainerTest.small(3, threads), nets, LstmKernels.best());
      float[] start = tr.freshState().weights;
      TrainingState s = tr.train(family, tr.freshState(), MetaListener.NONE, null);
      assertThat(s.updates).isPositive();
      for (int g = 0; g < nets.size(); g++) {
        boolean changed = false;
        for (int j = nets.offset(g); j < nets.offset(g) + nets.configs().get(g).parameterCount(); j++) {
          changed |= s.weights[j] != start[j];
        }
        assertThat(changed).as("net %s trained", nets.names().get(g)).isTrue();
      }
      if (one == null) {
        one = s.weights;
      } else {
        assertThat(s.weights).as("threads=%d", threads).containsExactly(one);
      }
    }
  }

  @Test
  void resumingATwoGroupCheckpointGivesTheSameWeightsAsOneRun(@TempDir Path dir) {
    ProblemFamily family = new TwoGroups();
    NetGroups nets = NetGroups.parse(SPEC);
    CheckpointMeta meta = new CheckpointMeta(nets.spec(), family.spec(), 11, "test");
    MetaTrainer full = new MetaTrainer(MetaTrainerTest.small(4, 1), nets, LstmKernels.best());
    TrainingState straight = full.train(family, full.freshState(), MetaListener.NONE, null);
    Path ckpt = dir.resolve("c.ckpt");
    MetaTrainer first = new MetaTrainer(MetaTrainerTest.small(2, 1), nets, LstmKernels.best());
    first.train(family, first.freshState(), MetaListener.NONE,
        new MetaTrainer.Checkpointing(ckpt, 1, meta));
    Checkpoint.Loaded loaded = Checkpoint.readLatest(ckpt);
    assertThat(loaded.meta().lstmSpec()).isEqualTo(nets.spec());
    assertThat(loaded.state().weights).hasSize(nets.parameterCount());
    TrainingState resumed = full.train(family, loaded.state(), MetaListener.NONE, null);
    assertThat(resumed.weights).containsExactly(straight.weights);
  }

  @Test
  void oneNamedGroupOverAllTrainsAsTheBareNet() {
    ProblemFamily family = Problems.parse("quadratic");
    LstmConfig cfg = LstmConfig.quadratic();
    MetaTrainer bare = new MetaTrainer(MetaTrainerTest.small(2, 1), cfg, LstmKernels.best());
    MetaTrainer named = new MetaTrainer(MetaTrainerTest.small(2, 1),
        NetGroups.parse("groups(all=" + cfg.spec() + ")"), LstmKernels.best());
    assertThat(named.train(family, named.freshState(), MetaListener.NONE, null).weights)
        .containsExactly(bare.train(family, bare.freshState(), MetaListener.NONE, null).weights);
  }

  @Test
  void aGroupTheProblemLacksIsRefusedNamingIt() {
    MetaTrainer tr = new MetaTrainer(MetaTrainerTest.small(1, 1), NetGroups.parse(SPEC),
        LstmKernels.best());
    assertThatThrownBy(() -> tr.train(Problems.parse("quadratic"), tr.freshState(),
        MetaListener.NONE, null)).isInstanceOf(SpecException.class)
        .hasMessage("optimizer group 'odd' is not a parameter group of the problem (its groups: all)");
  }
}
