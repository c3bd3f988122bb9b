/**
 * The {@link org.l2l4j.optim.Optimizer} interface (immutable configuration, caller-owned state)
 * and the hand-designed baselines of the paper's comparisons: {@link org.l2l4j.optim.Sgd},
 * {@link org.l2l4j.optim.Nag}, {@link org.l2l4j.optim.RmsProp} and {@link org.l2l4j.optim.Adam}
 * with Torch7's default settings (SPEC §6).
 */
package org.l2l4j.optim;
