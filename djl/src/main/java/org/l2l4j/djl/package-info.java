/**
 * Optimizees built from DJL models, and l2l4j's learned optimizer as a DJL optimizer.
 *
 * <p>{@link org.l2l4j.djl.DjlFamily} turns a DJL {@code Block}, a loss and an image data set with
 * a seeded minibatch sampler into a core {@link org.l2l4j.problem.ProblemFamily}, so the
 * meta-trainer, the evaluator and the tuner run on DJL models unchanged; {@code
 * ConvFamily} is the paper's CIFAR conv net as the problem spec {@code conv(...)};
 * {@code LearnedDjlOptimizer} runs a trained optimizer file inside DJL's own
 * training loop. DJL runs on its PyTorch engine (CPU), offline and on one thread by default
 * ({@link org.l2l4j.djl.DjlEngine}). This package depends on core; core never depends on it.
 */
package org.l2l4j.djl;
