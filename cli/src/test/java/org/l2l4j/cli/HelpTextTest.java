package org.l2l4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help texts wrap well: picocli starts each description element on a new line and wraps it
 * itself, so an element must be a whole paragraph. A sentence split over two elements shows as a
 * line that breaks mid-sentence.
 */
class HelpTextTest {
  private static final int WIDTH = 80;

  /** Every l2l4j command, the top-level one first (not picocli's own {@code help} command). */
  private static List<CommandLine> commands() {
    List<CommandLine> all = new ArrayList<>();
    collect(Main.commandLine(), all);
    return all;
  }

  private static void collect(CommandLine cl, List<CommandLine> out) {
    if (cl.getCommand() instanceof CommandLine.HelpCommand) {
      return; // picocli's text, with intended %n blank lines
    }
    out.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!out.contains(sub)) {
        collect(sub, out);
      }
    }
  }

  /** What is wrong with one description array, or nothing. */
  static List<String> paragraphProblems(String where, String[] description) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < description.length; i++) {
      String d = description[i].strip();
      if (d.isEmpty()) {
        problems.add(where + ": element " + i + " is empty");
        continue;
      }
      if (d.contains("%n") || d.contains("\n")) {
        problems.add(where + ": element " + i + " holds a hard line break: " + d);
      }
      char last = d.charAt(d.length() - 1);
      if (last != '.' && last != ':' && last != ')') {
        problems.add(where + ": element " + i + " does not end a sentence: ..."
            + d.substring(Math.max(0, d.length() - 30)));
      }
      if (i > 0 && Character.isLowerCase(d.charAt(0))) {
        problems.add(where + ": element " + i + " continues a sentence: " + d);
      }
    }
    return problems;
  }

  @Test
  void everyDescriptionElementIsAWholeParagraph() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (CommandLine cl : commands()) {
      CommandSpec spec = cl.getCommandSpec();
      problems.addAll(paragraphProblems(spec.qualifiedName(), spec.usageMessage().description()));
      for (ArgSpec arg : spec.args()) {
        String name = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName()
            : arg.paramLabel();
        problems.addAll(paragraphProblems(spec.qualifiedName() + " " + name, arg.description()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
    assertThat(problems).isEmpty();
  }

  /**
   * In the rendered option list, a line that starts in the description column right below another
   * description line starts a new element: the line above must end a sentence and this one must
   * not start with a lowercase word (soft wraps are indented by two more columns).
   */
  static List<String> renderedProblems(String name, String usage) {
    List<String> problems = new ArrayList<>();
    String[] lines = usage.split("\r?\n");
    int column = -1;
    for (String line : lines) {
      if (line.length() > WIDTH) {
        problems.add(name + ": line longer than " + WIDTH + " columns: " + line);
      }
      if (column < 0 && line.startsWith("  -h, --help")) {
        column = line.indexOf("Show this help");
      }
    }
    if (column < 0) {
      problems.add(name + ": no --help line found");
      return problems;
    }
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      String above = lines[i - 1];
      boolean startsAtColumn = line.length() > column && line.substring(0, column).isBlank()
          && line.charAt(column) != ' ';
      boolean aboveIsDescription = above.length() > column
          && !above.substring(column).isBlank() && above.startsWith(" ");
      if (startsAtColumn && aboveIsDescription) {
        String prev = above.strip();
        char end = prev.charAt(prev.length() - 1);
        if ((end != '.' && end != ':' && end != ')')
            || Character.isLowerCase(line.charAt(column))) {
          problems.add(name + ": breaks mid-sentence between\n  " + above + "\n  " + line);
        }
      }
    }
    return problems;
  }

  @Test
  void renderedHelpAtEightyColumnsHasNoBreakMidSentence() {
    List<String> problems = new ArrayList<>();
    for (CommandLine cl : commands()) {
      cl.setUsageHelpWidth(WIDTH);
      String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
      problems.addAll(renderedProblems(cl.getCommandSpec().qualifiedName(), usage));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theRenderedCheckCatchesASentenceSplitOverTwoElements() {
    @CommandLine.Command(name = "bad", mixinStandardHelpOptions = true)
    class Bad {
      @CommandLine.Option(names = "--gac", description = {
          "Also meta-train an LSTM with G global averaging cells per layer (paper appendix) and",
          "include it in the comparison as 'lstm+gac'."})
      int gac;
    }
    CommandLine bad = new CommandLine(new Bad());
    bad.setUsageHelpWidth(WIDTH);
    assertThat(renderedProblems("bad", bad.getUsageMessage(CommandLine.Help.Ansi.OFF)))
        .hasSize(1);
    assertThat(paragraphProblems("bad --gac", bad.getCommandSpec().findOption("--gac")
        .description())).hasSize(2);
  }
}
