package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every flag is declared in one place (a mixin where several commands share it). */
class OptionMixinsTest {
  /**
   * Names that two different flags share on purpose: {@code --steps} is steps per meta-training
   * epoch ({@code train}, {@code mnist}) or per evaluation run ({@code eval}, {@code tune});
   * {@code --optimizer} is a learned optimizer spec to train or a trained file to evaluate.
   */
  /** --spark: train's meta-training as a barrier stage; tune's and eval's grids as Spark jobs. */
  private static final Set<String> TWO_MEANINGS = Set.of("--steps", "--optimizer", "--spark");

  private static List<CommandSpec> commands() {
    List<CommandSpec> all = new ArrayList<>();
    for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        all.add(sub.getCommandSpec());
      }
    }
    return all;
  }

  @Test
  void eachFlagIsDeclaredOnce() {
    Map<String, Set<String>> declared = new TreeMap<>();
    for (CommandSpec spec : commands()) {
      for (OptionSpec o : spec.options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue; // picocli's own -h and -V
        }
        Field f = (Field) o.userObject();
        declared.computeIfAbsent(o.longestName(), k -> new TreeSet<>())
            .add(f.getDeclaringClass().getSimpleName() + "." + f.getName());
      }
    }
    assertThat(declared).containsKeys("--threads", "--out", "--quiet", "--seed", "--overwrite",
        "--problem", "--epochs", "--problems", "--gac", "--resume");
    for (Map.Entry<String, Set<String>> e : declared.entrySet()) {
      int expected = TWO_MEANINGS.contains(e.getKey()) ? 2 : 1;
      assertThat(e.getValue()).as(e.getKey()).hasSize(expected);
    }
  }

  @Test
  void sharedFlagsKeepEachCommandsDefault() {
    Map<String, String> expected = new TreeMap<>(Map.ofEntries(
        Map.entry("train --out", "l2l4j-out/train"),
        Map.entry("demo --out", "l2l4j-out/demo"),
        Map.entry("eval --out", "l2l4j-out/eval"),
        Map.entry("mnist --out", "l2l4j-out/mnist"),
        Map.entry("train --checkpoint-every", "100"),
        Map.entry("mnist --checkpoint-every", "10"),
        Map.entry("train --epochs", "2000"),
        Map.entry("demo --epochs", "3000"),
        Map.entry("mnist --epochs", "4000"),
        // unset: the command's preset gives the rate (metaLrDefaultsComeFromEachCommandsPreset)
        Map.entry("train --meta-lr", "null"),
        Map.entry("demo --meta-lr", "null"),
        Map.entry("mnist --meta-lr", "null"),
        Map.entry("demo --problems", "100"),
        Map.entry("eval --problems", "100"),
        Map.entry("mnist --problems", "20"),
        Map.entry("eval --tune-problems", "20"),
        Map.entry("mnist --tune-problems", "5"),
        Map.entry("eval --grid", Workflows.DEFAULT_GRID),
        Map.entry("mnist --grid", "0.001,0.003,0.01,0.03,0.1,0.3,1,3,10"),
        Map.entry("suite --out", "l2l4j-out/suite"),
        Map.entry("suite --problems", "20"),
        Map.entry("suite --tune-problems", "5"),
        Map.entry("suite --grid", Workflows.DEFAULT_GRID),
        Map.entry("suite --horizons", "100,1000,10000"),
        Map.entry("train --seed", "1"),
        Map.entry("mnist --seed", "1"),
        Map.entry("tune --problem", "quadratic"),
        Map.entry("demo --gac", "0"),
        Map.entry("eval --threads", Integer.toString(Runtime.getRuntime().availableProcessors()))));
    Map<String, String> actual = new TreeMap<>();
    for (CommandSpec spec : commands()) {
      for (String key : expected.keySet()) {
        String[] parts = key.split(" ");
        if (parts[0].equals(spec.name())) {
          Object v = spec.findOption(parts[1]).getValue();
          actual.put(key, String.valueOf(v).replace('\\', '/'));
        }
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void metaLrDefaultsComeFromEachCommandsPreset() {
    assertThat(new TrainCommand().training.metaLearningRate()).isEqualTo(0.001);
    assertThat(new MnistCommand().training.metaLearningRate()).isEqualTo(0.001);
    assertThat(new DemoCommand().training.metaLearningRate()).isEqualTo(0.003);
    assertThat(new DemoCommand().training.outer().spec()).startsWith("adam(lr=0.003");
  }
}
