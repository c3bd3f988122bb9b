package org.l2l4j.cli;

import org.l2l4j.meta.MemoryEstimate;

/**
 * Refuses a run whose {@link MemoryEstimate} exceeds the free heap, before it starts, with one
 * line naming the flag to change, e.g. {@code --validation-problems 1000000000 needs about 753 GB
 * of memory, 753 GB of it for the validation losses (1000000000 problems x 101 steps) (free heap
 * 1.9 GB of 2.0 GB); lower it or raise the heap (L2L4J_JAVA_OPTS=-Xmx16g)}.
 */
final class HeapCheck {
  private HeapCheck() {}

  /** Throws a {@link UserException} if any of {@code estimates} (run one after another) does not fit. */
  static void require(MemoryEstimate... estimates) {
    long free = MemoryEstimate.freeHeap();
    for (MemoryEstimate e : estimates) {
      String message = refusal(e, free, Runtime.getRuntime().maxMemory());
      if (message != null) {
        throw new UserException(message);
      }
    }
  }

  /** The one-line refusal, or null when {@code e} fits into {@code free} bytes. */
  static String refusal(MemoryEstimate e, long free, long max) {
    MemoryEstimate.Part impossible = e.impossible();
    if (impossible != null) {
      return flag(impossible) + " needs " + impossible.longestArray() + " values in one array for "
          + impossible.what() + ", more than Java allows (" + MemoryEstimate.MAX_ARRAY + "); "
          + advice(impossible);
    }
    long need = e.bytes();
    if (need <= free) {
      return null;
    }
    MemoryEstimate.Part p = e.largest();
    return flag(p) + " needs about " + MemoryEstimate.format(need) + " of memory, "
        + MemoryEstimate.format(p.bytes()) + " of it for " + p.what() + " (free heap "
        + MemoryEstimate.format(free) + " of " + MemoryEstimate.format(max) + "); " + advice(p)
        + " or raise the heap (L2L4J_JAVA_OPTS=-Xmx16g)";
  }

  private static boolean isSpec(MemoryEstimate.Part p) {
    return p.setting().equals("problem") || p.setting().equals("optimizer");
  }

  private static String flag(MemoryEstimate.Part p) {
    return "--" + p.setting() + " " + (isSpec(p) ? "'" + p.value() + "'" : p.value());
  }

  private static String advice(MemoryEstimate.Part p) {
    return isSpec(p) ? "choose a smaller one" : "lower it";
  }
}
