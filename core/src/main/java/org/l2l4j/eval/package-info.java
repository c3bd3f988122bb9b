/**
 * Evaluation: {@link org.l2l4j.eval.Evaluator} runs any optimizers, learned or hand-designed, on
 * the same held-out problems and returns per-step {@link org.l2l4j.eval.Curve}s (means with 95%
 * Student-t intervals, {@link org.l2l4j.eval.StudentT});
 * {@link org.l2l4j.eval.Tuner} grid-searches the baselines' learning rates on separate tuning
 * problems.
 */
package org.l2l4j.eval;
