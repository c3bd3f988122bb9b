/**
 * Benchmarks of the LSTM kernels: a JMH benchmark of one meta-training unroll ({@link
 * org.l2l4j.bench.UnrollBenchmark}) and a plain timing table for the README ({@link
 * org.l2l4j.bench.KernelBench}). Compiled with the build, never run by tests.
 */
package org.l2l4j.bench;
