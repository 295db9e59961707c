package dev.flynn.kernels;

import java.math.BigInteger;

/**
 * Exact sums of longs from two cheap accumulators, shared by the scalar and vector kernels.
 *
 * <p>Write each term {@code x = h 2^32 + l} with {@code h = x >> 32} and {@code l = x & (2^32 - 1)}
 * in {@code [0, 2^32)}. Over fewer than 2^31 terms, {@code H = sum h} stays below 2^62 in magnitude
 * and {@code L = sum l} lies in {@code [0, 2^63)}, so both are exact longs, and {@code L} can be
 * recovered from the wrapping sum {@code W = sum x mod 2^64} as {@code W - (H << 32)}. The kernels
 * therefore accumulate {@code W} and {@code H} only; wrapping additions are associative, so any
 * lane layout or split gives the same pair, and the exact sum {@code H 2^32 + L} follows here.
 */
final class ExactSum {

  private ExactSum() {}

  /**
   * The exact sum {@code high 2^32 + (wrapped - (high << 32))} when it fits in a long.
   *
   * @param wrapped the sum of the terms modulo 2^64
   * @param high the exact sum of {@code term >> 32}, fewer than 2^31 terms
   * @throws ArithmeticException when the exact sum does not fit in a long
   */
  static long of(long wrapped, long high) {
    long low = wrapped - (high << 32); // in [0, 2^63): no wrap in the true value
    // 128-bit (hi, lo) = high * 2^32 + low
    long lo = (high << 32) + low;
    long hi = (high >> 32) + (Long.compareUnsigned(lo, high << 32) < 0 ? 1 : 0);
    if (hi != (lo >> 63)) {
      BigInteger exact = BigInteger.valueOf(high).shiftLeft(32).add(BigInteger.valueOf(low));
      throw new ArithmeticException("long overflow: the exact sum " + exact + " does not fit");
    }
    return lo;
  }

  /**
   * The exception for a scan in which some prefix sum does not fit in a long: walks {@code
   * a[aOffset + from .. aOffset + to)} on from {@code prefix}, the exact prefix sum before {@code
   * from}, to the first element whose prefix overflows, and names its index in the range. The
   * caller guarantees that this stretch has not been overwritten yet (in-place scans) and that it
   * holds the overflow. The error path only.
   */
  static ArithmeticException scanOverflow(long[] a, int aOffset, int from, int to, long prefix) {
    long s = prefix;
    for (int i = from; i < to; i++) {
      long x = a[aOffset + i];
      long next = s + x;
      if (overflows(s, x, next)) {
        return new ArithmeticException(
            "long overflow: the prefix sum at index "
                + i
                + " of the range does not fit ("
                + s
                + " + "
                + x
                + ")");
      }
      s = next;
    }
    throw new AssertionError("no overflow in [" + from + ", " + to + ")");
  }

  /**
   * Whether {@code s + x}, computed as {@code sum} with wrapping, overflowed: both operands have
   * the sign the result lacks (Hacker's Delight 2-13).
   */
  static boolean overflows(long s, long x, long sum) {
    return ((s ^ sum) & (x ^ sum)) < 0;
  }
}
