package org.l2l4j.bench;

import org.l2l4j.learned.LstmKernel;
import org.l2l4j.learned.LstmKernels;
import org.l2l4j.learned.ScalarLstmKernel;
import org.l2l4j.learned.VectorLstmKernel;

/** Kernels by name: {@code scalar}, {@code vector}, or {@code vector-B} for block size B. */
final class Kernels {
  private Kernels() {}

  static LstmKernel byName(String name) {
    if (name.equals("scalar")) {
      return ScalarLstmKernel.INSTANCE;
    }
    if (name.startsWith("vector")) {
      if (!LstmKernels.vectorApiAvailable()) {
        throw new IllegalStateException(
            "kernel '" + name + "' needs the JVM option --add-modules jdk.incubator.vector");
      }
      return vector(name);
    }
    throw new IllegalArgumentException("unknown kernel '" + name + "'; known: scalar, vector");
  }

  /** Only called with the module present: this method names the Vector API kernel. */
  private static LstmKernel vector(String name) {
    if (name.equals("vector")) {
      return VectorLstmKernel.INSTANCE;
    }
    return VectorLstmKernel.withBlock(Integer.parseInt(name.substring("vector-".length())));
  }
}
