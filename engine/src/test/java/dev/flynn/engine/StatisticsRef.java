package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;

import dev.flynn.engine.Ref.ExactSum;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exact references and the documented bounds of the statistics kernels, restated here from the
 * Javadoc of {@link FlynnOps} so that the tests do not trust the source.
 */
final class StatisticsRef {

  static final double U = 0x1p-53;
  static final MathContext WIDE = new MathContext(80);

  private StatisticsRef() {}

  /** Exact first and second moments of some data: {@code sum x}, {@code sum x^2}, n. */
  record Moments(BigDecimal sum, BigDecimal sumOfSquares, BigDecimal sumAbs, int n) {

    BigDecimal mean() {
      return sum.divide(BigDecimal.valueOf(n), WIDE);
    }

    /** {@code sum (x - mean)^2 = sum x^2 - (sum x)^2 / n}, to 80 digits. */
    BigDecimal squaredDeviations() {
      return sumOfSquares.subtract(sum.multiply(sum).divide(BigDecimal.valueOf(n), WIDE));
    }

    /** {@code kappa^2 = sum x^2 / sum (x - mean)^2}; infinite for constant data. */
    double kappaSquared() {
      BigDecimal m2 = squaredDeviations();
      return m2.signum() == 0
          ? Double.POSITIVE_INFINITY
          : sumOfSquares.divide(m2, MathContext.DECIMAL64).doubleValue();
    }
  }

  static Moments moments(float[] a) {
    ExactSum s = new ExactSum();
    ExactSum q = new ExactSum();
    ExactSum abs = new ExactSum();
    for (float x : a) {
      s.add(x);
      q.add((double) x * x); // exact in double
      abs.add(Math.abs(x));
    }
    return new Moments(s.value(), q.value(), abs.value(), a.length);
  }

  static Moments moments(double[] a) {
    ExactSum s = new ExactSum();
    ExactSum q = new ExactSum();
    ExactSum abs = new ExactSum();
    for (double x : a) {
      s.add(x);
      q.addProduct(x, x); // exact while the rounding error of x * x is a normal double
      abs.add(Math.abs(x));
    }
    return new Moments(s.value(), q.value(), abs.value(), a.length);
  }

  /** The exact {@code sum x^2} through BigDecimal: slow, but right for any finite double. */
  static BigDecimal exactSumOfSquares(double[] a) {
    BigDecimal s = BigDecimal.ZERO;
    for (double x : a) {
      BigDecimal b = new BigDecimal(x);
      s = s.add(b.multiply(b));
    }
    return s;
  }

  static BigDecimal sqrt(BigDecimal x) {
    return x.sqrt(WIDE);
  }

  /** {@code |result - exact| / exact}; 0 when both are 0. */
  static double relativeError(double result, BigDecimal exact) {
    BigDecimal diff = new BigDecimal(result).subtract(exact).abs();
    if (exact.signum() == 0) {
      return diff.signum() == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return diff.divide(exact.abs(), MathContext.DECIMAL64).doubleValue();
  }

  static double absoluteError(double result, BigDecimal exact) {
    return new BigDecimal(result).subtract(exact).abs().doubleValue();
  }

  /** d = ceil(log2(blocks)). */
  static int depth(int n) {
    return TestData.treeDepth(n);
  }

  /** K for float data: additions an element meets, scalar or vector (D double lanes). */
  static double floatK(Mode mode, int n) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    if (TestData.vectorClass(mode)) {
      int wide = TestData.DOUBLE_LANES;
      return m / (4.0 * wide) + 2 * wide + d + 6;
    }
    return m + d;
  }

  /** K of double sumOfSquares (8 chains in the vector modes). */
  static double doubleSumOfSquaresK(Mode mode, int n) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    int l = TestData.DOUBLE_LANES;
    return TestData.vectorClass(mode) ? m / (8.0 * l) + 2 * l + d + 10 : m + d;
  }

  /** K of double norm2 (Blue's three sums; one chain per class in the masked vector path). */
  static double doubleNormK(Mode mode, int n) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    int l = TestData.DOUBLE_LANES;
    return TestData.vectorClass(mode) ? (double) m / l + 2 * l + d + 13 : m + d;
  }

  /** K of double variance's centered sums (4 chains in the vector modes). */
  static double doubleVarianceK(Mode mode, int n) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    int l = TestData.DOUBLE_LANES;
    return TestData.vectorClass(mode) ? m / (4.0 * l) + 2 * l + d + 6 : m + d;
  }

  /** beta: the float mean's error bound against mean|x| (mean taken in double). */
  static double floatMeanBeta(Mode mode, int n) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    if (TestData.vectorClass(mode)) {
      return (m / (4.0 * TestData.FLOAT_LANES) + 6) * 0x1p-24 + (d + 1) * U;
    }
    return (m + d + 2) * U;
  }

  /** beta: the double mean's error bound against mean|x|. */
  static double doubleMeanBeta(Mode mode, int n) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    int l = TestData.DOUBLE_LANES;
    return TestData.vectorClass(mode) ? (m / (4.0 * l) + l + d + 7) * U : (m + d + 2) * U;
  }

  /** The relative bound of variance in double: (3g + 2^-51)(1 + b^2), g = (K + 4) u. */
  static double varianceBound(double k, double beta, double kappaSquared) {
    double g = (k + 4) * U;
    double b2 = beta * beta * kappaSquared;
    return (3 * g + 0x1p-51) * (1 + b2);
  }

  /** The bound of the float sum: scalar and vector forms, against sum|x| and |s|. */
  static double floatSumBound(Mode mode, int n, double s, double sumAbs) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    if (TestData.vectorClass(mode)) {
      return (m / (4.0 * TestData.FLOAT_LANES) + 6) * 0x1p-24 * sumAbs + d * U * sumAbs;
    }
    return 0x1p-24 * Math.abs(s) + (m + d + 1) * U * sumAbs;
  }

  /** The bound of the double sum. */
  static double doubleSumBound(Mode mode, int n, double sumAbs) {
    int d = depth(n);
    int m = Math.min(n, BLOCK);
    int l = TestData.DOUBLE_LANES;
    return TestData.vectorClass(mode)
        ? (m / (4.0 * l) + l + d + 6) * U * sumAbs
        : (m + d + 1) * U * sumAbs;
  }
}
