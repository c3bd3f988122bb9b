/**
 * Optimizees: {@link org.l2l4j.problem.Problem} (value and gradient of a function of flat float
 * parameters into caller-owned buffers) and {@link org.l2l4j.problem.ProblemFamily} (a
 * distribution to sample problems from), with the built-in {@code simple} and {@code quadratic}
 * families and the spec registry {@link org.l2l4j.problem.Problems}.
 */
package org.l2l4j.problem;
