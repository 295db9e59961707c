package dev.flynn.engine;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * High-precision references for the double maps log, tanh and sigmoid, in {@link BigDecimal} to
 * about 60 significant digits: far below a double ulp, so an error measured against them is the
 * kernel's own. Written from the series, never from Flynn's kernels or {@link Math}.
 */
final class MapRef {

  private MapRef() {}

  private static final MathContext MC = new MathContext(70);
  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  /** 2 atanh(z) = ln((1 + z) / (1 - z)), by its series; fast for |z| well below 1. */
  private static BigDecimal twoAtanh(BigDecimal z) {
    BigDecimal z2 = z.multiply(z, MC);
    BigDecimal power = z;
    BigDecimal sum = z;
    for (int k = 3; ; k += 2) {
      power = power.multiply(z2, MC);
      BigDecimal term = power.divide(BigDecimal.valueOf(k), MC);
      sum = sum.add(term, MC);
      if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(72)) < 0) {
        return sum.multiply(TWO, MC);
      }
    }
  }

  /** ln 2 = 2 atanh(1/3). */
  private static final BigDecimal LN2 = twoAtanh(BigDecimal.ONE.divide(BigDecimal.valueOf(3), MC));

  /**
   * ln x for a finite x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln x = 2 atanh((m - 1) / (m
   * + 1)) + e ln 2, the series argument at most 0.172 in magnitude.
   */
  static BigDecimal log(double x) {
    if (!(x > 0) || Double.isInfinite(x)) {
      throw new IllegalArgumentException("log reference needs a finite x > 0: " + x);
    }
    int e = Math.getExponent(x);
    if (e < Double.MIN_EXPONENT) { // subnormal: normalise exactly first
      x *= 0x1p60;
      e = Math.getExponent(x) - 60;
    }
    double m = Math.scalb(x, -Math.getExponent(x)); // exact, in [1, 2)
    if (m > 1.4142135623730951) {
      m /= 2; // exact
      e++;
    }
    BigDecimal bm = new BigDecimal(m);
    BigDecimal z = bm.subtract(BigDecimal.ONE).divide(bm.add(BigDecimal.ONE), MC);
    return twoAtanh(z).add(LN2.multiply(BigDecimal.valueOf(e), MC), MC);
  }

  /** e^y - 1 without cancellation: its Taylor series for |y| < 1, {@link Ref#exp} beyond. */
  static BigDecimal expm1(BigDecimal y) {
    if (y.abs().compareTo(BigDecimal.ONE) >= 0) {
      return Ref.exp(y.doubleValue()).subtract(BigDecimal.ONE, MC);
    }
    BigDecimal term = y;
    BigDecimal sum = y;
    for (int k = 2; ; k++) {
      term = term.multiply(y, MC).divide(BigDecimal.valueOf(k), MC);
      sum = sum.add(term, MC);
      if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(72)) < 0) {
        return sum;
      }
    }
  }

  /**
   * tanh x = expm1(2x) / (expm1(2x) + 2), exact in {@link BigDecimal} for |x| <= 40 (2x is exact);
   * beyond, tanh x rounds to +-1 in double with 10^-34 to spare, and +-(1 - 10^-40) stands in.
   */
  static BigDecimal tanh(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("tanh reference needs a finite x: " + x);
    }
    if (Math.abs(x) > 40) {
      BigDecimal nearOne = BigDecimal.ONE.subtract(new BigDecimal("1e-40"));
      return x > 0 ? nearOne : nearOne.negate();
    }
    BigDecimal m = expm1(new BigDecimal(x).multiply(TWO));
    return m.divide(m.add(TWO), MC);
  }

  /**
   * 1 / (1 + e^-x) as e^x / (1 + e^x) below zero, through {@link Ref#exp} for |x| <= 800; beyond,
   * it is 1 (x > 800, exact to 10^-347) or below 10^-347 (x < -800), where 0 stands in: both round
   * to themselves with room to spare.
   */
  static BigDecimal sigmoid(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("sigmoid reference needs a finite x: " + x);
    }
    if (x > 800) {
      return BigDecimal.ONE;
    }
    if (x < -800) {
      return BigDecimal.ZERO;
    }
    BigDecimal t = Ref.exp(-Math.abs(x));
    BigDecimal n = x < 0 ? t : BigDecimal.ONE;
    return n.divide(BigDecimal.ONE.add(t), MC);
  }
}
