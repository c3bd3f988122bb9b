package org.l2l4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one long task on standard error (standard output keeps the results). The position
 * may be fractional (an epoch half done). Without a terminal a line {@code LABEL: UNIT done/total
 * (percent, elapsed, time left)  DETAIL} is printed at most every {@value #LOG_SECONDS} seconds,
 * so a fast task prints only its final line; on a terminal a bar is redrawn at most every
 * {@value #REDRAW_SECONDS} second and a full line is kept every {@value #TERMINAL_LOG_SECONDS}
 * seconds. {@link #finish()} prints the final line. When quiet, only warnings are printed.
 * Methods are synchronized: callbacks from worker threads may call them.
 */
final class Progress {
  /** Seconds between lines without a terminal. */
  static final int LOG_SECONDS = 10;
  /** Seconds between kept lines on a terminal. */
  static final int TERMINAL_LOG_SECONDS = 60;
  /** Seconds between redraws of the bar on a terminal. */
  static final int REDRAW_SECONDS = 1;
  private static final int BAR = 20;

  private final PrintStream err;
  private final boolean terminal;
  private final int width;
  private final String label;
  private final String unit;
  private final double total;
  private final LongSupplier clock;
  private final long start;
  private long lastLine;
  private long lastDraw;
  private boolean barShown;
  private boolean finished;
  private double base;
  private double position;
  private String detail = "";

  /** As {@link #Progress(String, String, double, boolean)} with no unit name (e.g. for logging). */
  Progress(String label, double total, boolean quiet) {
    this(label, "", total, quiet);
  }

  /** Progress on {@code System.err} (none when quiet); a bar when a console is attached. */
  Progress(String label, String unit, double total, boolean quiet) {
    this(label, unit, total, quiet ? null : System.err, System.console() != null,
        terminalWidth(), System::nanoTime);
  }

  /**
   * @param err where to print, or null for quiet
   * @param terminal redraw a bar (the stream is a terminal)
   * @param width the terminal's width in columns
   * @param clock nanoseconds, as {@link System#nanoTime()}
   */
  Progress(String label, String unit, double total, PrintStream err, boolean terminal, int width,
      LongSupplier clock) {
    this.err = err;
    this.terminal = terminal;
    this.width = Math.max(20, width);
    this.label = label;
    this.unit = unit;
    this.total = total;
    this.clock = clock;
    this.start = clock.getAsLong();
    this.lastLine = start;
    this.lastDraw = start;
  }

  private static int terminalWidth() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").strip());
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  /** Sets the text after the counts (what the numbers are); shown at the next line or redraw. */
  synchronized void detail(String d) {
    detail = d;
  }

  /**
   * Starts at {@code done} (a resumed run): the time left is estimated from the work done since.
   */
  synchronized void begin(double done) {
    base = done;
    position = done;
  }

  /** Moves to {@code done} (of the total) and prints if a line or redraw is due. */
  synchronized void update(double done) {
    position = done;
    if (err == null || finished) {
      return;
    }
    long now = clock.getAsLong();
    int every = terminal ? TERMINAL_LOG_SECONDS : LOG_SECONDS;
    if (now - lastLine >= every * 1_000_000_000L) {
      lastLine = now;
      lastDraw = now;
      printLine();
      if (terminal) {
        drawBar();
      }
    } else if (terminal && now - lastDraw >= REDRAW_SECONDS * 1_000_000_000L) {
      lastDraw = now;
      drawBar();
    }
  }

  /** Prints the final line (once), with the detail as it is now. */
  synchronized void finish() {
    if (err == null || finished) {
      return;
    }
    finished = true;
    printLine();
    err.flush();
  }

  /** The line printed now: {@code LABEL: UNIT done/total (percent, elapsed, left)  DETAIL}. */
  synchronized String line() {
    return label + ": " + counts() + (detail.isEmpty() ? "" : "  " + detail);
  }

  private String counts() {
    long now = clock.getAsLong();
    double secs = (now - start) / 1e9;
    double pct = total > 0 ? 100 * Math.min(1, position / total) : 100;
    StringBuilder sb = new StringBuilder();
    sb.append(unit).append(unit.isEmpty() ? "" : " ").append(number(Math.floor(position + 1e-9))).append('/')
        .append(number(total)).append(String.format(Locale.ROOT, " (%.1f%%, %s", pct, duration(secs)));
    double doneHere = position - base;
    if (doneHere > 0 && position < total) {
      sb.append(", about ").append(duration(secs / doneHere * (total - position))).append(" left");
    }
    return sb.append(')').toString();
  }

  private void printLine() {
    if (barShown) {
      err.print("\r\033[K");
      barShown = false;
    }
    err.println(line());
  }

  private void drawBar() {
    int filled = (int) (BAR * (total > 0 ? Math.min(1, position / total) : 1));
    String text = label + " [" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + counts()
        + (detail.isEmpty() ? "" : "  " + detail);
    if (text.length() > width - 1) {
      text = text.substring(0, width - 2) + "~";
    }
    err.print("\r\033[K" + text);
    err.flush();
    barShown = true;
  }

  /** A warning: printed as {@code l2l4j: warning: ...} on standard error, even when quiet. */
  synchronized void warn(String line) {
    PrintStream out = err != null ? err : System.err;
    if (barShown) {
      out.print("\r\033[K");
      barShown = false;
    }
    out.println("l2l4j: warning: " + line);
  }

  /** Erases a terminal bar, so that other output starts on a clean line. */
  synchronized void clear() {
    if (barShown) {
      err.print("\r\033[K");
      err.flush();
      barShown = false;
    }
  }

  /** A message kept on its own line (not when quiet). */
  synchronized void log(String line) {
    if (err == null) {
      return;
    }
    if (barShown) {
      err.print("\r\033[K");
      barShown = false;
    }
    err.println(line);
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.4g", v);
  }

  /** Four significant digits without trailing zeros: {@code 0.1534}, {@code 2}, {@code 1.5e-05}. */
  static String sig4(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exponent;
  }

  /** {@code 42 s}, {@code 27 min 36 s}, {@code 2 h 05 min}. */
  static String duration(double secs) {
    long s = Math.round(secs);
    if (s < 100) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
