package org.l2l4j.util;

/** Helpers for putting untrusted input into one-line error messages. */
public final class Text {
  /** The most characters of an input that an error message quotes. */
  public static final int EXCERPT_CHARS = 80;

  private Text() {}

  /**
   * {@code String.valueOf(value)} made safe for a one-line message: control characters and line
   * separators become {@code ?}, and anything beyond {@value #EXCERPT_CHARS} characters is cut
   * and marked with {@code ...}. Whole numbers stored as doubles (as parsed JSON holds them) are
   * shown without a fraction: {@code [22, 80]}, not {@code [22.0, 80.0]}.
   */
  public static String excerpt(Object value) {
    String s = show(value);
    int n = Math.min(s.length(), EXCERPT_CHARS);
    StringBuilder sb = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean unsafe = c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029
          || Character.isSurrogate(c);
      sb.append(unsafe ? '?' : c);
    }
    return s.length() > n ? sb.append("...").toString() : sb.toString();
  }

  /** {@code String.valueOf(value)}, with whole doubles (also inside lists) shown as integers. */
  private static String show(Object value) {
    if (value instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && 1 / d < 0)
          ? Long.toString((long) (double) d)
          : d.toString();
    }
    if (value instanceof java.util.List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (Object o : list) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append(show(o));
        if (sb.length() > 4 * EXCERPT_CHARS) {
          return sb.append(", ...").toString(); // cut long lists early
        }
      }
      return sb.append(']').toString();
    }
    return String.valueOf(value);
  }
}
