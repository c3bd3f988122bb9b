package org.l2l4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one long task on standard error (standard output keeps the results). The position
 * may be fractional (an epoch half done). A line {@code LABEL: UNIT done/total (percent, elapsed,
 * time left)  DETAIL  [NOW]} is printed at most every {@value #LOG_SECONDS} seconds, so a fast
 * task prints only its final line; on a terminal a one-line bar (cut to the terminal's width) is
 * also redrawn between them, at most every {@value #REDRAW_SECONDS} second. {@link #finish()}
 * prints the final line. When quiet, only warnings are printed. Methods are synchronized:
 * callbacks from worker threads may call them.
 */
final class Progress {
  /** Seconds between lines. */
  static final int LOG_SECONDS = 10;
  /** Seconds between redraws of the bar on a terminal. */
  static final int REDRAW_SECONDS = 1;
  private static final int BAR = 10;

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
  private String now = "";

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

  /** Sets what runs now (shown last on a line, first on the bar); empty for nothing. */
  synchronized void now(String n) {
    now = n;
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
    long t = clock.getAsLong();
    if (t - lastLine >= LOG_SECONDS * 1_000_000_000L) {
      lastLine = t;
      lastDraw = t;
      printLine();
    } else if (terminal && t - lastDraw >= REDRAW_SECONDS * 1_000_000_000L) {
      lastDraw = t;
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

  /** The line printed now: {@code LABEL: UNIT done/total (percent, elapsed, left)  DETAIL  NOW}. */
  synchronized String line() {
    double secs = (clock.getAsLong() - start) / 1e9;
    double left = secondsLeft(secs);
    String counts = String.format(Locale.ROOT, "%s (%.1f%%, %s%s)", done(), percent(),
        duration(secs), left >= 0 ? ", about " + duration(left) + " left" : "");
    return label + ": " + counts + (detail.isEmpty() ? "" : "  " + detail)
        + (now.isEmpty() ? "" : "  " + now);
  }

  private String done() {
    return unit + (unit.isEmpty() ? "" : " ") + number(Math.floor(position + 1e-9)) + "/"
        + number(total);
  }

  private double percent() {
    return total > 0 ? 100 * Math.min(1, position / total) : 100;
  }

  /** Estimated from the work done since {@link #begin}; negative when unknown or finished. */
  private double secondsLeft(double secs) {
    double doneHere = position - base;
    return doneHere > 0 && position < total ? secs / doneHere * (total - position) : -1;
  }

  private void printLine() {
    if (barShown) {
      err.print("\r\033[K");
      barShown = false;
    }
    err.println(line());
  }

  private void drawBar() {
    int filled = (int) (BAR * percent() / 100);
    double secs = (clock.getAsLong() - start) / 1e9;
    double left = secondsLeft(secs);
    String text = String.format(Locale.ROOT, "%s [%s%s] %s %.0f%%%s", label, "#".repeat(filled),
        "-".repeat(BAR - filled), done(), percent(), left >= 0 ? ", " + compact(left) + " left" : "")
        + (now.isEmpty() ? "" : "  " + now) + (detail.isEmpty() ? "" : "  " + detail);
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

  /** {@code 42s}, {@code 27m36s}, {@code 2h05m}. */
  static String compact(double secs) {
    long s = Math.round(secs);
    if (s < 100) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
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
