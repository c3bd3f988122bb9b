package org.l2l4j.util;

import static org.l2l4j.util.Text.excerpt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed spec string {@code name(key=value,key=value)}, the one textual form of every
 * configurable thing in l2l4j (optimizers, problems, learned-optimizer configs). Values may
 * themselves be specs with parentheses, e.g. {@code lstm(preproc=log-sign(p=10),scale=0.1)}.
 *
 * <p>Parsing is strict: an empty name, an unbalanced parenthesis, a missing {@code =} or a
 * repeated key is a {@link SpecException} whose message quotes the whole input.
 */
public record Spec(String name, Map<String, String> args) {
  /** A decimal number in ASCII: {@code 0.001}, {@code 1e-8}, {@code -2.5E+3}, {@code .5}. */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  /** What Java and other languages print for non-finite numbers, refused with its own message. */
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  /** An integer in ASCII. */
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  /** Creates a spec; the argument map is copied and kept in insertion order. */
  public Spec {
    args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  /** Parses {@code text}; surrounding white space is ignored. */
  public static Spec parse(String text) {
    if (text == null) {
      throw new SpecException("missing spec");
    }
    String s = text.strip();
    int open = s.indexOf('(');
    String name = (open < 0 ? s : s.substring(0, open)).strip();
    if (name.isEmpty() || !name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
      throw new SpecException("bad spec '" + excerpt(text) + "': expected name(key=value,...)");
    }
    Map<String, String> args = new LinkedHashMap<>();
    if (open >= 0) {
      if (!s.endsWith(")")) {
        throw new SpecException("bad spec '" + excerpt(text) + "': missing closing ')'");
      }
      String body = s.substring(open + 1, s.length() - 1);
      int depth = 0;
      int start = 0;
      for (int i = 0; i <= body.length(); i++) {
        char ch = i < body.length() ? body.charAt(i) : ',';
        if (ch == '(') {
          depth++;
        } else if (ch == ')') {
          depth--;
          if (depth < 0) {
            throw new SpecException("bad spec '" + excerpt(text) + "': unbalanced ')'");
          }
        } else if (ch == ',' && depth == 0) {
          String part = body.substring(start, Math.min(i, body.length())).strip();
          start = i + 1;
          if (part.isEmpty()) {
            if (body.isBlank()) {
              break;
            }
            throw new SpecException("bad spec '" + excerpt(text) + "': empty argument");
          }
          int eq = part.indexOf('=');
          if (eq <= 0) {
            throw new SpecException(
                "bad spec '" + excerpt(text) + "': argument '" + excerpt(part)
                    + "' is not key=value");
          }
          String key = part.substring(0, eq).strip();
          String value = part.substring(eq + 1).strip();
          if (value.isEmpty()) {
            throw new SpecException(
                "bad spec '" + excerpt(text) + "': empty value for '" + excerpt(key) + "'");
          }
          if (args.put(key, value) != null) {
            throw new SpecException(
                "bad spec '" + excerpt(text) + "': '" + excerpt(key) + "' given twice");
          }
        }
      }
      if (depth != 0) {
        throw new SpecException("bad spec '" + excerpt(text) + "': unbalanced '('");
      }
    }
    return new Spec(name, args);
  }

  /**
   * Throws if an argument is not one of {@code known}, listing the known ones in alphabetical order
   * (or saying that the spec takes no parameters).
   */
  public Spec requireOnly(Set<String> known) {
    for (String key : args.keySet()) {
      if (!known.contains(key)) {
        if (known.isEmpty()) {
          throw new SpecException(
              "unknown parameter '" + excerpt(key) + "' in '" + excerpt(this) + "'; '"
                  + excerpt(name) + "' takes no parameters");
        }
        throw new SpecException(
            "unknown parameter '" + excerpt(key) + "' in '" + excerpt(this) + "'; known: "
                + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
    return this;
  }

  /** The raw value of {@code key}, or {@code fallback} when absent. */
  public String get(String key, String fallback) {
    return args.getOrDefault(key, fallback);
  }

  /** A finite double argument, or {@code fallback} when absent. */
  public double getDouble(String key, double fallback) {
    String v = args.get(key);
    if (v == null) {
      return fallback;
    }
    if (!DECIMAL.matcher(v).matches()) {
      boolean nonFinite = NON_FINITE.matcher(v).matches();
      throw new SpecException("'" + excerpt(key + "=" + v) + "' in '" + excerpt(this)
          + (nonFinite ? "' is not finite" : "' is not a number"));
    }
    double d = Double.parseDouble(v);
    if (!Double.isFinite(d)) {
      throw new SpecException(
          "'" + excerpt(key + "=" + v) + "' in '" + excerpt(this) + "' is not finite");
    }
    return d + 0.0; // -0 becomes 0: fmt writes both as 0, and the spec must parse back equal
  }

  /** A double argument that must be strictly positive. */
  public double getPositive(String key, double fallback) {
    double d = getDouble(key, fallback);
    if (!(d > 0)) {
      throw new SpecException(
          "'" + key + "' in '" + excerpt(this) + "' must be > 0, got " + fmt(d));
    }
    return d;
  }

  /** A double argument in [lo, hi). */
  public double getInRange(String key, double fallback, double lo, double hi) {
    double d = getDouble(key, fallback);
    if (!(d >= lo && d < hi)) {
      throw new SpecException(
          "'" + key + "' in '" + excerpt(this) + "' must be in [" + fmt(lo) + ", " + fmt(hi)
              + "), got " + fmt(d));
    }
    return d;
  }

  /** An int argument, or {@code fallback} when absent; must be within [min, max]. */
  public int getInt(String key, int fallback, int min, int max) {
    String v = args.get(key);
    if (v == null) {
      return fallback;
    }
    int i;
    try {
      if (!INTEGER.matcher(v).matches()) {
        throw new NumberFormatException();
      }
      i = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new SpecException(
          "'" + excerpt(key + "=" + v) + "' in '" + excerpt(this) + "' is not an integer");
    }
    if (i < min || i > max) {
      throw new SpecException(
          "'" + key + "' in '" + excerpt(this) + "' must be in [" + min + ", " + max + "], got "
              + i);
    }
    return i;
  }

  @Override
  public String toString() {
    if (args.isEmpty()) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name).append('(');
    boolean first = true;
    for (Map.Entry<String, String> e : args.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.append(')').toString();
  }

  /**
   * Formats a number the way spec strings write them: integers without a fraction, others in the
   * shortest form that parses back to the same double ({@code 0.001}, {@code 1e-8}).
   */
  public static String fmt(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    String s = Double.toString(d).toLowerCase(Locale.ROOT);
    int e = s.indexOf('e');
    if (e > 0) {
      String mant = s.substring(0, e);
      if (mant.endsWith(".0")) {
        mant = mant.substring(0, mant.length() - 2);
      }
      s = mant + s.substring(e);
    }
    return s;
  }
}
