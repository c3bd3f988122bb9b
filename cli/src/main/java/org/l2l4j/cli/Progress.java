package org.l2l4j.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on standard error: a redrawn bar when a terminal is attached, otherwise a log line at
 * most every {@value #LOG_SECONDS} seconds (and at the end).
 */
final class Progress {
  static final int LOG_SECONDS = 10;
  private final PrintStream err;
  private final boolean terminal;
  private final String label;
  private final long total;
  private final long start = System.nanoTime();
  private long lastLog = System.nanoTime();
  private String detail = "";

  Progress(String label, long total, boolean quiet) {
    this.err = quiet ? null : System.err;
    this.terminal = System.console() != null;
    this.label = label;
    this.total = total;
  }

  void detail(String d) {
    detail = d;
  }

  void update(long done) {
    if (err == null) {
      return;
    }
    long now = System.nanoTime();
    double secs = (now - start) / 1e9;
    boolean end = done >= total;
    if (terminal) {
      int width = 30;
      int filled = (int) (width * Math.min(1.0, (double) done / total));
      String bar = "#".repeat(filled) + "-".repeat(width - filled);
      double eta = done > 0 ? secs / done * (total - done) : 0;
      err.printf(Locale.ROOT, "\r%s [%s] %d/%d %s %.0fs, eta %.0fs   ", label, bar, done, total,
          detail, secs, eta);
      if (end) {
        err.println();
      }
      err.flush();
    } else if (end || now - lastLog >= LOG_SECONDS * 1_000_000_000L) {
      lastLog = now;
      err.printf(Locale.ROOT, "%s: %d/%d %s (%.0fs)%n", label, done, total, detail, secs);
    }
  }

  /** A warning: printed as {@code l2l4j: warning: ...} on standard error, even when quiet. */
  void warn(String line) {
    if (terminal && err != null) {
      System.err.print("\r\033[K");
    }
    System.err.println("l2l4j: warning: " + line);
  }

  void log(String line) {
    if (err == null) {
      return;
    }
    if (terminal) {
      err.print("\r\033[K");
    }
    err.println(line);
  }
}
