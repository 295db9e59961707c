package dev.flynn.engine;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/**
 * Independent references for the prefix-sum tests, written here and not taken from Flynn: exact
 * prefixes in {@link BigDecimal}, running sums of absolute values, and adversarial data.
 */
final class ScanReference {

  private ScanReference() {}

  /** The exact prefix sums {@code a[0] + ... + a[i]} of finite values. */
  static BigDecimal[] exactPrefixes(double[] a) {
    BigDecimal[] prefixes = new BigDecimal[a.length];
    BigDecimal run = BigDecimal.ZERO;
    for (int i = 0; i < a.length; i++) {
      run = run.add(new BigDecimal(a[i]));
      prefixes[i] = run;
    }
    return prefixes;
  }

  /** {@code |a[0]| + ... + |a[i]|} for every i, in double (relative error far below 2^-40). */
  static double[] absolutePrefixes(double[] a) {
    double[] s = new double[a.length];
    double run = 0;
    for (int i = 0; i < a.length; i++) {
      run += Math.abs(a[i]);
      s[i] = run;
    }
    return s;
  }

  /** Adversarial data kinds for the accuracy bounds. */
  enum Adversarial {
    /** Mantissas times 2^e, e in [-20, 20], random signs. */
    WIDE,
    /** Pairs of big values (up to 2^30) and their near-negations: the prefix keeps cancelling. */
    CANCELLATION,
    /** Magnitudes from 2^-60 to 2^60 (float) or 2^-300 to 2^300 (double). */
    WIDE_RANGE,
    /** Subnormals mixed with small normals. */
    SUBNORMAL;
  }

  static double[] adversarial(Adversarial kind, int n, long seed, boolean floats) {
    SplittableRandom r = new SplittableRandom(seed * 31 + kind.ordinal());
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      double sign = r.nextBoolean() ? 1 : -1;
      double x =
          switch (kind) {
            case WIDE -> sign * Math.scalb(1 + r.nextDouble(), r.nextInt(-20, 21));
            case CANCELLATION -> {
              if (i % 2 == 0) {
                yield sign * Math.scalb(1 + r.nextDouble(), r.nextInt(10, 31));
              }
              yield -a[i - 1] + sign * r.nextDouble();
            }
            case WIDE_RANGE ->
                sign
                    * Math.scalb(
                        1 + r.nextDouble(), floats ? r.nextInt(-60, 61) : r.nextInt(-300, 301));
            case SUBNORMAL ->
                r.nextInt(4) == 0
                    ? sign * Math.scalb(1 + r.nextDouble(), floats ? -120 : -1000)
                    : sign * r.nextInt(1 << 20) * (floats ? Float.MIN_VALUE : Double.MIN_VALUE);
          };
      a[i] = floats ? (float) x : x;
    }
    return a;
  }
}
