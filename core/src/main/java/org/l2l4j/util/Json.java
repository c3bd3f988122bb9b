package org.l2l4j.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer, so that the core module needs no dependency. Objects become
 * {@link LinkedHashMap}, arrays {@link ArrayList}, numbers {@link Double}, and {@code true},
 * {@code false}, {@code null} themselves. Parsing is strict (RFC 8259) and bounded: nesting
 * deeper than {@value #MAX_DEPTH} is refused, and every error names the offset.
 */
public final class Json {
  /** The deepest nesting accepted. */
  public static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value that makes up the whole of {@code text}. */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected trailing characters");
    }
    return v;
  }

  private JsonException error(String what) {
    return new JsonException(what + " at offset " + pos, pos >= text.length());
  }

  private void skipWs() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        break;
      }
    }
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + Text.excerpt(c) + "'");
    }
  }

  private Object literal(String word, Object v) {
    if (!text.startsWith(word, pos)) {
      if (word.startsWith(text.substring(pos))) {
        pos = text.length();
        throw error("unexpected end of input in '" + word + "'");
      }
      throw error("bad literal");
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    skipWs();
    if (pos < text.length() && text.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipWs();
      if (pos >= text.length() || text.charAt(pos) != '"') {
        throw error("expected a string key");
      }
      String key = string();
      skipWs();
      expect(':');
      skipWs();
      Object v = value(depth + 1);
      if (m.containsKey(key)) {
        throw error("duplicate key '" + Text.excerpt(key) + "'");
      }
      m.put(key, v);
      skipWs();
      if (pos >= text.length()) {
        throw error("unexpected end of input in object");
      }
      char c = text.charAt(pos++);
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> a = new ArrayList<>();
    pos++;
    skipWs();
    if (pos < text.length() && text.charAt(pos) == ']') {
      pos++;
      return a;
    }
    while (true) {
      skipWs();
      a.add(value(depth + 1));
      skipWs();
      if (pos >= text.length()) {
        throw error("unexpected end of input in array");
      }
      char c = text.charAt(pos++);
      if (c == ']') {
        return a;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private void expect(char c) {
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private String string() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            boolean hex = true;
            for (int k = pos; k < text.length(); k++) {
              hex &= hexDigit(text.charAt(k)) >= 0;
            }
            if (hex) {
              pos = text.length();
              throw error("unexpected end of input in a unicode escape");
            }
            throw error("short unicode escape");
          }
          int code = 0;
          for (int k = 0; k < 4; k++) {
            int digit = hexDigit(text.charAt(pos + k));
            if (digit < 0) {
              throw error("bad unicode escape");
            }
            code = code * 16 + digit;
          }
          sb.append((char) code);
          pos += 4;
        }
        default -> {
          pos--;
          throw error("bad escape '\\" + Text.excerpt(e) + "'");
        }
      }
    }
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private Double number() {
    int start = pos;
    if (text.charAt(pos) == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < text.length() && isAsciiDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == digits) {
      throw error("bad number");
    }
    if (text.charAt(digits) == '0' && pos - digits > 1) {
      throw error("leading zero in number");
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      int f = pos;
      while (pos < text.length() && isAsciiDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == f) {
        throw error("bad fraction");
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      int f = pos;
      while (pos < text.length() && isAsciiDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == f) {
        throw error("bad exponent");
      }
    }
    return Double.parseDouble(text.substring(start, pos));
  }

  // ---------------------------------------------------------------- writing

  /** Appends {@code s} as a JSON string literal. */
  public static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  /**
   * Writes a value tree (maps, lists, strings, numbers, booleans, null, {@code float[]} and
   * {@code double[]}) as JSON. Floats are written in their shortest exact form, so that
   * {@code Float.parseFloat} gives back the same bits; non-finite numbers are written as
   * {@code null}.
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void indent(StringBuilder sb, int level) {
    sb.append('\n');
    for (int i = 0; i < level; i++) {
      sb.append("  ");
    }
  }

  private static void write(StringBuilder sb, Object v, int level) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Float f) {
      appendFloat(sb, f);
    } else if (v instanceof Double d) {
      appendDouble(sb, d);
    } else if (v instanceof Number n) {
      sb.append(n.longValue());
    } else if (v instanceof float[] fa) {
      sb.append('[');
      for (int i = 0; i < fa.length; i++) {
        if (i > 0) {
          sb.append(i % 16 == 0 ? ",\n" : ",");
        }
        appendFloat(sb, fa[i]);
      }
      sb.append(']');
    } else if (v instanceof double[] da) {
      sb.append('[');
      for (int i = 0; i < da.length; i++) {
        if (i > 0) {
          sb.append(i % 16 == 0 ? ",\n" : ",");
        }
        appendDouble(sb, da[i]);
      }
      sb.append(']');
    } else if (v instanceof int[] ia) {
      sb.append('[');
      for (int i = 0; i < ia.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(ia[i]);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        indent(sb, level + 1);
        quote(sb, String.valueOf(e.getKey())).append(": ");
        write(sb, e.getValue(), level + 1);
      }
      if (!m.isEmpty()) {
        indent(sb, level);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      boolean first = true;
      for (Object o : l) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        indent(sb, level + 1);
        write(sb, o, level + 1);
      }
      if (!l.isEmpty()) {
        indent(sb, level);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
    }
  }

  private static void appendFloat(StringBuilder sb, float f) {
    if (!Float.isFinite(f)) {
      sb.append("null");
    } else if (f == 0 && Float.floatToRawIntBits(f) != 0) {
      sb.append("-0");
    } else if (f == Math.rint(f) && Math.abs(f) < 1e7f) {
      sb.append((long) f);
    } else {
      sb.append(Float.toString(f).replace("E", "e"));
    }
  }

  private static void appendDouble(StringBuilder sb, double d) {
    if (!Double.isFinite(d)) {
      sb.append("null");
    } else if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
      sb.append("-0");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      sb.append((long) d);
    } else {
      sb.append(Double.toString(d).replace("E", "e"));
    }
  }

  // ---------------------------------------------------------------- typed access

  /** Typed field access on parsed JSON that names the field and the file in its errors. */
  public static final class Reader {
    private final String where;

    /** @param where the file or context named in error messages */
    public Reader(String where) {
      this.where = where;
    }

    /** The object at the top of a parse. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(Object v, String field) {
      if (!(v instanceof Map)) {
        throw new JsonException(where + ": '" + field + "' must be an object");
      }
      return (Map<String, Object>) v;
    }

    /** A required field of any type. */
    public Object field(Map<String, Object> m, String field) {
      if (!m.containsKey(field)) {
        throw new JsonException(where + ": missing field '" + field + "'");
      }
      return m.get(field);
    }

    /** A required string field. */
    public String string(Map<String, Object> m, String field) {
      Object v = field(m, field);
      if (!(v instanceof String s)) {
        throw new JsonException(where + ": field '" + field + "' must be a string");
      }
      return s;
    }

    /** A required finite number. */
    public double number(Map<String, Object> m, String field) {
      Object v = field(m, field);
      if (!(v instanceof Double d) || !Double.isFinite(d)) {
        throw new JsonException(where + ": field '" + field + "' must be a finite number");
      }
      return d;
    }

    /** A required integer within [min, max]. */
    public long integer(Map<String, Object> m, String field, long min, long max) {
      double d = number(m, field);
      if (d != Math.rint(d) || d < min || d > max) {
        throw new JsonException(
            where + ": field '" + field + "' must be an integer in [" + min + ", " + max
                + "], got " + Text.excerpt(d));
      }
      return (long) d;
    }

    /** A required array. */
    @SuppressWarnings("unchecked")
    public List<Object> list(Map<String, Object> m, String field) {
      Object v = field(m, field);
      if (!(v instanceof List)) {
        throw new JsonException(where + ": field '" + field + "' must be an array");
      }
      return (List<Object>) v;
    }

    /**
     * A required array of numbers that are finite as floats (a value beyond the float range, such
     * as 1e39, is refused rather than turned into infinity), of exactly {@code length} elements
     * ({@code length < 0}: any length).
     */
    public float[] floats(Map<String, Object> m, String field, int length) {
      List<Object> l = list(m, field);
      if (length >= 0 && l.size() != length) {
        throw new JsonException(
            where + ": field '" + field + "' has " + l.size() + " values, expected " + length);
      }
      float[] out = new float[l.size()];
      for (int i = 0; i < out.length; i++) {
        Object o = l.get(i);
        if (!(o instanceof Double d) || !Float.isFinite((float) (double) d)) {
          throw new JsonException(
              where + ": field '" + field + "' element " + i
                  + " is not a finite number in float range");
        }
        out[i] = (float) (double) d;
      }
      return out;
    }
  }
}
