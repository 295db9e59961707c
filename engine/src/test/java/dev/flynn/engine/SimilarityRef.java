package dev.flynn.engine;

import dev.flynn.engine.Ref.ExactSum;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exact references for the similarity tests, written here and never from Flynn's kernels: the three
 * sums of a cosine and the squared distance, exactly (Shewchuk sums where every term is exact,
 * plain BigDecimal otherwise), and the cosine from them to 40 digits.
 */
final class SimilarityRef {

  private static final MathContext DIGITS = new MathContext(40);

  private SimilarityRef() {}

  /** The exact dot product and sums of squares of two vectors. */
  record Sums(BigDecimal dot, BigDecimal sumA, BigDecimal sumB) {

    /** The exact cosine, rounded to double; NaN when a vector is zero. */
    double cosine() {
      if (sumA.signum() == 0 || sumB.signum() == 0) {
        return Double.NaN;
      }
      return dot.divide(sumA.multiply(sumB).sqrt(DIGITS), DIGITS).doubleValue();
    }
  }

  /** Exact sums of float data: products of floats are exact in double. */
  static Sums sums(float[] a, int aOffset, float[] b, int bOffset, int n) {
    ExactSum dot = new ExactSum();
    ExactSum sumA = new ExactSum();
    ExactSum sumB = new ExactSum();
    for (int i = 0; i < n; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot.add(x * y);
      sumA.add(x * x);
      sumB.add(y * y);
    }
    return new Sums(dot.value(), sumA.value(), sumB.value());
  }

  /**
   * Exact sums of double data whose products neither overflow nor underflow (each product is added
   * with its exact rounding error).
   */
  static Sums sums(double[] a, int aOffset, double[] b, int bOffset, int n) {
    ExactSum dot = new ExactSum();
    ExactSum sumA = new ExactSum();
    ExactSum sumB = new ExactSum();
    for (int i = 0; i < n; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot.addProduct(x, y);
      sumA.addProduct(x, x);
      sumB.addProduct(y, y);
    }
    return new Sums(dot.value(), sumA.value(), sumB.value());
  }

  /** Exact sums in BigDecimal, for data of any magnitude (slow: short vectors only). */
  static Sums bigSums(double[] a, int aOffset, double[] b, int bOffset, int n) {
    BigDecimal dot = BigDecimal.ZERO;
    BigDecimal sumA = BigDecimal.ZERO;
    BigDecimal sumB = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal x = new BigDecimal(a[aOffset + i]);
      BigDecimal y = new BigDecimal(b[bOffset + i]);
      dot = dot.add(x.multiply(y));
      sumA = sumA.add(x.multiply(x));
      sumB = sumB.add(y.multiply(y));
    }
    return new Sums(dot, sumA, sumB);
  }

  /** The exact squared distance of float data: differences and their squares are exact. */
  static BigDecimal squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int n) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal d = new BigDecimal(a[aOffset + i]).subtract(new BigDecimal(b[bOffset + i]));
      s = s.add(d.multiply(d));
    }
    return s;
  }

  /** The exact squared distance of double data. */
  static BigDecimal squaredDistance(double[] a, int aOffset, double[] b, int bOffset, int n) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal d = new BigDecimal(a[aOffset + i]).subtract(new BigDecimal(b[bOffset + i]));
      s = s.add(d.multiply(d));
    }
    return s;
  }

  /** {@code |x - exact| / exact}, or {@code |x|} when the exact value is 0. */
  static double relativeError(double x, BigDecimal exact) {
    BigDecimal err = new BigDecimal(x).subtract(exact).abs();
    if (exact.signum() == 0) {
      return err.doubleValue();
    }
    return err.divide(exact.abs(), MathContext.DECIMAL64).doubleValue();
  }
}
