/**
 * The coordinatewise LSTM optimizer of Andrychowicz et al. (2016): its configuration and weight
 * layout ({@link org.l2l4j.learned.LstmConfig}), gradient preprocessing, recurrent state, the
 * forward/backward kernels ({@link org.l2l4j.learned.LstmKernel}), the frozen optimizer
 * ({@link org.l2l4j.learned.LearnedOptimizer}) and the trained optimizer file.
 */
package org.l2l4j.learned;
