package org.l2l4j.cli.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Compact number formatting for tables, legends and axis labels. */
final class Fmt {
  private Fmt() {}

  /**
   * Formats {@code x} with at most {@code sig} significant digits: plain decimals for magnitudes
   * in [1e-3, 1e4), otherwise scientific with a short exponent ({@code 1.2e-5}); trailing zeros are
   * dropped; non-finite values read {@code nan}, {@code inf}, {@code -inf}.
   */
  static String num(double x, int sig) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal r = new BigDecimal(x).round(new MathContext(sig, RoundingMode.HALF_EVEN));
    double a = Math.abs(r.doubleValue());
    if (a >= 1e-3 && a < 1e4) {
      String s = r.stripTrailingZeros().toPlainString();
      return s;
    }
    String s = String.format(Locale.ROOT, "%." + (sig - 1) + "e", x);
    int e = s.indexOf('e');
    String mant = s.substring(0, e);
    if (mant.indexOf('.') >= 0) {
      mant = mant.replaceAll("0+$", "");
      if (mant.endsWith(".")) {
        mant = mant.substring(0, mant.length() - 1);
      }
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    return mant + "e" + exp;
  }

  /**
   * {@code mean ± ci} with four and two significant digits; {@code mean ± n/a} when there is no
   * interval (ci is NaN: one problem).
   */
  static String meanCi(double mean, double ci) {
    if (!Double.isFinite(mean)) {
      return num(mean, 4);
    }
    return num(mean, 4) + " ± " + (Double.isNaN(ci) ? "n/a" : num(ci, 2));
  }
}
