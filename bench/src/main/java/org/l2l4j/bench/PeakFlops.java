package org.l2l4j.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-precision multiply-add peak of one core as the Vector API reaches it: twelve
 * independent chains of fused multiply-adds on registers (no loads), so that neither latency nor
 * memory limits it. The README's GFLOP/s of the kernels are given against this number and against
 * the nominal estimate (FMA pipes × lanes × 2 × base clock).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.l2l4j.bench.PeakFlops
 * </pre>
 */
public final class PeakFlops {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private PeakFlops() {}

  /** Runs {@code iterations} rounds of twelve FMAs; the result keeps the JIT from removing them. */
  static float chains(float[] seed, int iterations) {
    FloatVector x = FloatVector.fromArray(S, seed, 0);
    FloatVector y = FloatVector.fromArray(S, seed, S.length());
    FloatVector c0 = x;
    FloatVector c1 = y;
    FloatVector c2 = x;
    FloatVector c3 = y;
    FloatVector c4 = x;
    FloatVector c5 = y;
    FloatVector c6 = x;
    FloatVector c7 = y;
    FloatVector c8 = x;
    FloatVector c9 = y;
    FloatVector c10 = x;
    FloatVector c11 = y;
    for (int i = 0; i < iterations; i++) {
      c0 = c0.fma(x, y);
      c1 = c1.fma(x, y);
      c2 = c2.fma(x, y);
      c3 = c3.fma(x, y);
      c4 = c4.fma(x, y);
      c5 = c5.fma(x, y);
      c6 = c6.fma(x, y);
      c7 = c7.fma(x, y);
      c8 = c8.fma(x, y);
      c9 = c9.fma(x, y);
      c10 = c10.fma(x, y);
      c11 = c11.fma(x, y);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10)
        .add(c11).reduceLanes(VectorOperators.ADD);
  }

  public static void main(String[] args) {
    float[] seed = new float[2 * S.length()];
    java.util.Arrays.fill(seed, 0.5f);
    seed[S.length()] = -1f; // c ← c·0.5 − 1 stays finite
    int iterations = 20_000_000;
    double best = 0;
    float sink = 0;
    for (int round = 0; round < 10; round++) {
      long t0 = System.nanoTime();
      sink += chains(seed, iterations);
      long t1 = System.nanoTime();
      best = Math.max(best, 12.0 * iterations * 2 * S.length() / (t1 - t0));
    }
    System.out.printf("one-core FMA peak: %.1f GFLOP/s (%d-lane floats, best of 10; check %s)%n",
        best, S.length(), Float.isFinite(sink));
  }
}
