package org.l2l4j.learned;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chooses the LSTM kernel: the Vector API kernel when the {@code jdk.incubator.vector} module is
 * in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the
 * system property {@code l2l4j.kernel} is not {@code scalar}; otherwise {@link ScalarLstmKernel}.
 * Falling back for want of the module (not because {@code scalar} was asked for) is logged once
 * per JVM as a warning through {@link System.Logger} (logger {@code org.l2l4j.learned.LstmKernels}).
 */
public final class LstmKernels {
  /** Set once the fallback warning has been logged. */
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private LstmKernels() {}

  /** True when the Vector API module is available to this JVM. */
  public static boolean vectorApiAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** The fastest kernel this JVM can run. */
  public static LstmKernel best() {
    return choose(System.getProperty("l2l4j.kernel", "auto"), vectorApiAvailable(),
        System.getLogger(LstmKernels.class.getName()), WARNED);
  }

  /**
   * The choice behind {@link #best()}, with its inputs given (a seam for tests).
   *
   * @param forced the value of {@code l2l4j.kernel}; {@code scalar} asks for the plain kernel
   * @param vectorAvailable whether {@code jdk.incubator.vector} is in the boot layer
   * @param logger receives the fallback warning
   * @param warned whether the warning was logged already (set when it is logged)
   */
  static LstmKernel choose(
      String forced, boolean vectorAvailable, System.Logger logger, AtomicBoolean warned) {
    if (forced.equals("scalar")) {
      return ScalarLstmKernel.INSTANCE;
    }
    String reason;
    if (vectorAvailable) {
      try {
        return (LstmKernel)
            Class.forName("org.l2l4j.learned.VectorLstmKernel").getField("INSTANCE").get(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        reason = "the Vector API kernel could not be loaded (" + e + ")";
      }
    } else {
      reason = "the module jdk.incubator.vector is missing (start java with"
          + " --add-modules jdk.incubator.vector)";
    }
    if (warned.compareAndSet(false, true)) {
      logger.log(System.Logger.Level.WARNING, "l2l4j: using the plain-Java LSTM kernel, about 25x"
          + " slower than the Vector API kernel: " + reason);
    }
    return ScalarLstmKernel.INSTANCE;
  }
}
