/**
 * Experiment reports: {@link org.l2l4j.cli.report.Report} turns a
 * {@link org.l2l4j.cli.report.ReportData} (learning curves of several optimizers on the same test
 * problems) into a console table and a folder holding {@code curves.csv}, {@code summary.json},
 * {@code plot.png} (log-scale loss against step, learned optimizers solid, hand-designed ones
 * dashed, as in the paper's figures) and a self-contained {@code index.html}.
 */
package org.l2l4j.cli.report;
