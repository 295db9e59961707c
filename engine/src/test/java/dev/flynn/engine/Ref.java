package dev.flynn.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * Independent references: exact arithmetic written here, never Flynn's own kernels.
 *
 * <p>{@link ExactSum} keeps a sum of doubles exactly, as a list of non-overlapping partials
 * (Shewchuk's algorithm, the one behind Python's {@code math.fsum}); {@link #fma} rounds the exact
 * {@code a * b + c} once through {@link BigDecimal}.
 */
final class Ref {

  private Ref() {}

  /** An exact running sum of finite doubles. */
  static final class ExactSum {
    private double[] partials = new double[8];
    private int count;

    /** Adds {@code x} exactly. */
    ExactSum add(double x) {
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException("ExactSum takes finite values only: " + x);
      }
      int i = 0;
      for (int j = 0; j < count; j++) {
        double y = partials[j];
        if (Math.abs(x) < Math.abs(y)) {
          double t = x;
          x = y;
          y = t;
        }
        double hi = x + y;
        double lo = y - (hi - x);
        if (lo != 0.0) {
          partials[i++] = lo;
        }
        x = hi;
      }
      if (i == partials.length) {
        partials = Arrays.copyOf(partials, 2 * i);
      }
      partials[i++] = x;
      count = i;
      return this;
    }

    /** Adds the exact product {@code a * b}, split as product plus its rounding error. */
    ExactSum addProduct(double a, double b) {
      double p = a * b;
      add(p);
      // Math.fma is the JDK's correctly rounded fused multiply-add; a * b - p is exact.
      return add(Math.fma(a, b, -p));
    }

    /** The exact sum. */
    BigDecimal value() {
      BigDecimal s = BigDecimal.ZERO;
      for (int j = 0; j < count; j++) {
        s = s.add(new BigDecimal(partials[j]));
      }
      return s;
    }
  }

  /** {@code |x - exact|} as a double (rounded once, which is plenty for an error bound). */
  static double absError(double x, BigDecimal exact) {
    return new BigDecimal(x).subtract(exact).abs().doubleValue();
  }

  /** {@code a * b + c} computed exactly and rounded once to float. */
  static float fma(float a, float b, float c) {
    BigDecimal exact = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
    if (exact.signum() == 0) {
      return (float) zeroSign(a, b, c);
    }
    return exact.floatValue();
  }

  /** {@code a * b + c} computed exactly and rounded once to double. */
  static double fma(double a, double b, double c) {
    BigDecimal exact = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
    if (exact.signum() == 0) {
      return zeroSign(a, b, c);
    }
    return exact.doubleValue();
  }

  /**
   * The IEEE 754 sign of an exact zero {@code a * b + c} in round-to-nearest: -0 only when the
   * product and {@code c} are both zeros of negative sign; a nonzero product cancelled by {@code c}
   * gives +0.
   */
  private static double zeroSign(double a, double b, double c) {
    boolean productZero = a == 0 || b == 0;
    boolean productNegative = (Math.copySign(1.0, a) * Math.copySign(1.0, b)) < 0;
    if (productZero && c == 0 && productNegative && Math.copySign(1.0, c) < 0) {
      return -0.0;
    }
    return 0.0;
  }

  /** The error of a float result against a double reference, in ulps of the float reference. */
  static double ulpsFloat(float result, double reference) {
    if (Double.isNaN(reference) || Float.isNaN(result)) {
      return Double.isNaN(reference) && Float.isNaN(result) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Double.isInfinite(reference) || Float.isInfinite(result)) {
      return result == reference ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(result - reference) / Math.ulp((float) reference);
  }

  /** The error of a double result against a double reference, in ulps of the reference. */
  static double ulpsDouble(double result, double reference) {
    if (Double.isNaN(reference) || Double.isNaN(result)) {
      return Double.isNaN(reference) && Double.isNaN(result) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Double.isInfinite(reference) || Double.isInfinite(result)) {
      return result == reference ? 0 : Double.POSITIVE_INFINITY;
    }
    // Within a few ulps the subtraction is exact (Sterbenz); far off, rounding does not matter.
    return Math.abs(result - reference) / Math.ulp(reference);
  }

  private static final MathContext EXP_CONTEXT = new MathContext(60);

  /**
   * e^x to about 55 significant digits: the Taylor series of e^(x / 2^10), squared ten times. The
   * scaling keeps the series argument below 0.73 in magnitude for every finite double result.
   */
  static BigDecimal exp(double x) {
    BigDecimal y = new BigDecimal(x).divide(BigDecimal.valueOf(1024)); // exact: a power of two
    BigDecimal sum = BigDecimal.ONE;
    BigDecimal term = BigDecimal.ONE;
    BigDecimal negligible = new BigDecimal("1e-66");
    for (int k = 1; term.abs().compareTo(negligible) > 0; k++) {
      term = term.multiply(y, EXP_CONTEXT).divide(BigDecimal.valueOf(k), EXP_CONTEXT);
      sum = sum.add(term, EXP_CONTEXT);
    }
    for (int i = 0; i < 10; i++) {
      sum = sum.multiply(sum, EXP_CONTEXT);
    }
    return sum;
  }

  /** {@code |result - exact|} in ulps of the exact value (the ulp of its binade). */
  static double ulps(double result, BigDecimal exact) {
    double rounded = exact.doubleValue();
    double ulp =
        new BigDecimal(rounded).compareTo(exact) > 0 && rounded > 0
            ? Math.ulp(Math.nextDown(rounded))
            : Math.ulp(rounded);
    return new BigDecimal(result)
        .subtract(exact)
        .abs()
        .divide(new BigDecimal(ulp), MathContext.DECIMAL64)
        .doubleValue();
  }
}
