package org.l2l4j.util;

/** Helpers for putting untrusted input into one-line error messages. */
public final class Text {
  /** The most characters of an input that an error message quotes. */
  public static final int EXCERPT_CHARS = 80;

  private Text() {}

  /**
   * {@code String.valueOf(value)} made safe for a one-line message: control characters and line
   * separators become {@code ?}, and anything beyond {@value #EXCERPT_CHARS} characters is cut
   * and marked with {@code ...}.
   */
  public static String excerpt(Object value) {
    String s = String.valueOf(value);
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
}
