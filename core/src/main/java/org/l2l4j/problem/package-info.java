/**
 * Optimizees: {@link org.l2l4j.problem.Problem} (value and gradient of a function of flat float
 * parameters into caller-owned buffers) and {@link org.l2l4j.problem.ProblemFamily} (a
 * distribution to sample problems from), with the built-in {@code simple}, {@code quadratic} and
 * {@code mlp} families ({@link org.l2l4j.problem.MlpFamily} samples {@link
 * org.l2l4j.problem.Mlp} networks; image data in {@code org.l2l4j.problem.data}), the spec registry
 * {@link org.l2l4j.problem.Problems} and {@link org.l2l4j.problem.ProblemFamilyProvider} for
 * families from other jars.
 */
package org.l2l4j.problem;
