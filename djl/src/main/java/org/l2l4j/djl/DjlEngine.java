package org.l2l4j.djl;

import ai.djl.engine.Engine;

/**
 * The DJL engine l2l4j uses: PyTorch on the CPU. Before DJL is first touched, {@link #get()} sets
 * these system properties unless they are already set: {@code ai.djl.offline=true} (DJL never
 * tries to download; the native library comes from the {@code pytorch-native-cpu} jar and is
 * extracted to DJL's cache, {@code ~/.djl.ai}, on first use), {@code ai.djl.pytorch.num_threads=1}
 * and {@code ai.djl.pytorch.num_interop_threads=1} (one PyTorch thread: l2l4j's own threads run
 * beside it, and the results do not depend on a thread pool), and DJL's log level {@code warn}
 * ({@code slf4j-simple}) with its GPU probe silenced.
 *
 * <p>PyTorch's autograd in DJL is one global switch (a second {@code GradientCollector} while one
 * is open fails), so every gradient computation of this module runs under {@link #LOCK}.
 */
public final class DjlEngine {
  /** The engine name. */
  public static final String NAME = "PyTorch";

  /** Held while a gradient is computed: DJL allows one open gradient collector per JVM. */
  public static final Object LOCK = new Object();

  static {
    setDefault("ai.djl.offline", "true");
    setDefault("ai.djl.pytorch.num_threads", "1");
    setDefault("ai.djl.pytorch.num_interop_threads", "1");
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setDefault("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
  }

  private static volatile Engine engine;

  private DjlEngine() {}

  /**
   * Sets the properties above (by loading this class) without starting the engine; the module's
   * classes that DJL code may run before {@link #get()} call it from their static initializers.
   */
  public static void configure() {
    // the static initializer has run
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * The PyTorch engine, loaded on the first call (a few seconds: the native library is mapped, and
   * extracted to DJL's cache the very first time).
   *
   * @throws IllegalStateException with one line if the native library cannot be loaded
   */
  public static Engine get() {
    Engine e = engine;
    if (e == null) {
      synchronized (DjlEngine.class) {
        e = engine;
        if (e == null) {
          try {
            e = Engine.getEngine(NAME);
          } catch (RuntimeException | UnsatisfiedLinkError ex) {
            throw new IllegalStateException("cannot start DJL's PyTorch engine (" + ex.getMessage()
                + "); the jar pytorch-native-cpu (linux-x86_64) must be on the class path", ex);
          }
          engine = e;
        }
      }
    }
    return e;
  }
}
