package org.l2l4j.learned;

/**
 * Chooses the LSTM kernel: the Vector API kernel when the {@code jdk.incubator.vector} module is
 * in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the
 * system property {@code l2l4j.kernel} is not {@code scalar}; otherwise {@link ScalarLstmKernel}.
 */
public final class LstmKernels {
  private LstmKernels() {}

  /** True when the Vector API module is available to this JVM. */
  public static boolean vectorApiAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** The fastest kernel this JVM can run. */
  public static LstmKernel best() {
    String forced = System.getProperty("l2l4j.kernel", "auto");
    if (!forced.equals("scalar") && vectorApiAvailable()) {
      try {
        return (LstmKernel)
            Class.forName("org.l2l4j.learned.VectorLstmKernel").getField("INSTANCE").get(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        return ScalarLstmKernel.INSTANCE;
      }
    }
    return ScalarLstmKernel.INSTANCE;
  }
}
