package org.l2l4j.cli.report;

import java.util.Objects;
import org.l2l4j.eval.Goals;

/**
 * One row of the generalisation suite's table: one learned optimizer on one task at one horizon.
 *
 * @param task the task's name ({@code mnist-relu})
 * @param problem the spec of the problems it was evaluated on
 * @param folder the report folder of this task and horizon, relative to the suite's folder
 * @param goals the learned optimizer's losses, the best tuned baseline and the goal checks
 * @param bestRate the best baseline's tuned learning rate (NaN without one)
 * @param adamRate tuned Adam's learning rate (NaN without Adam)
 */
public record SuiteRow(String task, String problem, String folder, Goals goals, double bestRate,
    double adamRate) {

  /** Checks that the texts and goals are given. */
  public SuiteRow {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(goals, "goals");
  }
}
