package dev.flynn.bench.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How reports write numbers. Formatting only rounds: every number a table shows is its input
 * rounded to the digits shown, never converted to another unit.
 */
final class Numbers {

  /** What a table shows where there is no number. */
  static final String NONE = "—";

  private Numbers() {}

  /**
   * Four significant digits (at least none after the point, at most six), thousands grouped with
   * commas: {@code 2,378}, {@code 103.8}, {@code 0.2130}.
   */
  static String significant(double value) {
    if (!Double.isFinite(value)) {
      return Double.isNaN(value) ? NONE : (value > 0 ? "∞" : "-∞");
    }
    if (value == 0) {
      return "0";
    }
    int magnitude = (int) Math.floor(Math.log10(Math.abs(value)));
    int decimals = Math.max(0, Math.min(6, 3 - magnitude));
    String text = String.format(Locale.ROOT, "%,." + decimals + "f", value);
    // Rounding may carry into a new digit (999.96 -> 1,000.0): drop the decimal it no longer needs.
    if (decimals > 0
        && Math.abs(Double.parseDouble(text.replace(",", ""))) >= Math.pow(10, magnitude + 1)) {
      text = String.format(Locale.ROOT, "%,." + (decimals - 1) + "f", value);
    }
    return text;
  }

  /** A setting as written: {@code 5}, {@code 2.5}, {@code 16}. */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** A score with its unit: {@code 2,378 ns/op}. */
  static String score(double value, String unit) {
    return Double.isNaN(value) ? NONE : significant(value) + " " + unit;
  }

  /** A ratio with two decimals and an x: {@code 25.65x}. */
  static String ratio(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2fx", value) : NONE;
  }

  /** A percentage without decimals: {@code 87%}. */
  static String percent(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.0f%%", fraction * 100) : NONE;
  }

  /** Elements, grouped: {@code 16,777,216}. */
  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** Sizes in bytes, binary units: {@code 48 KiB}, {@code 1 MiB}, {@code 1.5 GiB}. */
  static String bytes(double bytes) {
    if (!(bytes >= 0)) {
      return "unknown";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    String number =
        value == Math.rint(value)
            ? String.format(Locale.ROOT, "%.0f", value)
            : String.format(Locale.ROOT, "%.1f", value);
    return number + " " + units[unit];
  }

  /** An element count for chart labels: {@code 4Ki}, {@code 64Ki}, {@code 16Mi}, {@code 1000}. */
  static String compactCount(long n) {
    if (n >= 1 << 20 && n % (1 << 20) == 0) {
      return (n >> 20) + "Mi";
    }
    if (n >= 1 << 10 && n % (1 << 10) == 0) {
      return (n >> 10) + "Ki";
    }
    return Long.toString(n);
  }
}
