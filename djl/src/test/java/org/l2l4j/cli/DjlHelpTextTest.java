package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The DJL commands' help texts follow the cli's rule (its {@code HelpTextTest}): every description
 * element is a whole paragraph, so picocli's wrapping never breaks a line mid-sentence.
 */
class DjlHelpTextTest {
  @Test
  void everyDescriptionElementOfConvEasytrainAndArtIsAWholeParagraph() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String name : List.of("conv", "easytrain", "art")) {
      CommandSpec spec = DjlMain.commandLine().getSubcommands().get(name).getCommandSpec();
      problems.addAll(paragraphProblems(name, spec.usageMessage().description()));
      for (ArgSpec arg : spec.args()) {
        String what = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName()
            : arg.paramLabel();
        problems.addAll(paragraphProblems(name + " " + what, arg.description()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(30);
    assertThat(problems).isEmpty();
  }

  /** A copy of the cli's HelpTextTest.paragraphProblems (test classes are not shared). */
  static List<String> paragraphProblems(String where, String[] description) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < description.length; i++) {
      String d = description[i].strip();
      if (d.isEmpty() || d.contains("%n") || d.contains("\n")) {
        problems.add(where + ": element " + i + " is empty or holds a line break");
        continue;
      }
      char last = d.charAt(d.length() - 1);
      if (last != '.' && last != ':' && last != ')') {
        problems.add(where + ": element " + i + " does not end a sentence: " + d);
      }
      if (i > 0 && Character.isLowerCase(d.charAt(0))) {
        problems.add(where + ": element " + i + " continues a sentence: " + d);
      }
    }
    return problems;
  }
}
