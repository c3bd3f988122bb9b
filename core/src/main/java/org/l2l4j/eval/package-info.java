/**
 * Evaluation: {@link org.l2l4j.eval.Evaluator} runs any optimizers, learned or hand-designed, on
 * the same held-out problems and returns per-step {@link org.l2l4j.eval.Curve}s (means with 95%
 * Student-t intervals, {@link org.l2l4j.eval.StudentT});
 * {@link org.l2l4j.eval.Tuner} grid-searches the baselines' learning rates on separate tuning
 * problems (for several horizons from the same runs: {@code tuneHorizons});
 * {@link org.l2l4j.eval.Comparison} does both; {@link org.l2l4j.eval.Goals} checks the
 * generalisation goals of one learned optimizer at one horizon.
 */
package org.l2l4j.eval;
