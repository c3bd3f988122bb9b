package org.l2l4j.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of worker threads that run numbered chunks of work. Chunk boundaries never depend
 * on the thread count, so computations that reduce per-chunk results in chunk order give
 * bit-identical results with any number of threads. Close it when done.
 */
public final class Parallel implements AutoCloseable {
  /** A task over chunk {@code chunk}, run by worker {@code worker} in [0, threads). */
  @FunctionalInterface
  public interface ChunkTask {
    /** Runs one chunk. */
    void run(int chunk, int worker);
  }

  /** Set while a thread runs chunks, so that nested {@link #run} calls run inline. */
  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private final int threads;
  private final ExecutorService pool;

  /** A pool of {@code threads} workers (the caller's thread is one of them). */
  public Parallel(int threads) {
    if (threads < 1 || threads > 1024) {
      throw new SpecException("threads must be in [1, 1024], got " + threads);
    }
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                r -> {
                  Thread t = new Thread(r, "l2l4j-worker");
                  t.setDaemon(true);
                  return t;
                });
  }

  /** Number of workers. */
  public int threads() {
    return threads;
  }

  /**
   * Runs chunks 0..chunks-1 on the workers and waits for all of them. A call made from inside a
   * chunk (of any pool) runs its chunks inline on the calling thread as worker 0, so pools can be
   * nested without deadlock; chunk boundaries, and so the results, are the same either way.
   */
  public void run(int chunks, ChunkTask task) {
    if (pool == null || chunks <= 1 || INSIDE.get()) {
      for (int c = 0; c < chunks; c++) {
        task.run(c, 0);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int helpers = Math.min(threads, chunks) - 1;
    List<Future<?>> futures = new ArrayList<>(helpers);
    for (int wk = 1; wk <= helpers; wk++) {
      final int worker = wk;
      futures.add(
          pool.submit(
              () -> {
                INSIDE.set(Boolean.TRUE);
                try {
                  for (int c; (c = next.getAndIncrement()) < chunks; ) {
                    task.run(c, worker);
                  }
                } finally {
                  INSIDE.set(Boolean.FALSE);
                }
              }));
    }
    RuntimeException failure = null;
    INSIDE.set(Boolean.TRUE);
    try {
      for (int c; (c = next.getAndIncrement()) < chunks; ) {
        task.run(c, 0);
      }
    } catch (RuntimeException e) {
      failure = e;
      next.set(chunks);
    } finally {
      INSIDE.set(Boolean.FALSE);
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
