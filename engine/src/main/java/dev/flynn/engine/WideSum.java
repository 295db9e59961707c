package dev.flynn.engine;

import java.math.BigInteger;

/**
 * An exact sum of longs in 128-bit two's complement, for the int and long segment reductions: a
 * block's sum or dot product may not fit in a long while the whole range's does (the array form
 * then reruns one kernel call over the whole range, which a staged segment call cannot), so the
 * block partials travel as {@code (high, low)} pairs and only the final sum is checked. Up to 2^31
 * blocks of partials below 2^77 in magnitude add up to less than 2^108: the 128 bits never wrap.
 *
 * <p>Not thread-safe: one instance per thread or per call.
 */
final class WideSum {

  private long high;
  private long low;

  /** Adds a long, sign-extended to 128 bits. */
  void add(long x) {
    long sum = low + x;
    high += (x >> 63) + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
    low = sum;
  }

  /** Adds the 128-bit value {@code high 2^64 + unsigned(low)}. */
  void add(long high, long low) {
    long sum = this.low + low;
    this.high += high + (Long.compareUnsigned(sum, this.low) < 0 ? 1 : 0);
    this.low = sum;
  }

  long high() {
    return high;
  }

  long low() {
    return low;
  }

  /** Whether the sum fits in a long. */
  boolean fits() {
    return high == (low >> 63);
  }

  /**
   * The sum when it fits in a long.
   *
   * @throws ArithmeticException otherwise, with the message of the array kernels' exact sums
   */
  long exact() {
    if (!fits()) {
      BigInteger exact =
          BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
      throw new ArithmeticException("long overflow: the exact sum " + exact + " does not fit");
    }
    return low;
  }

  /** The exact sum of pairs {@code (high, low)} laid out two by two in {@code partials}. */
  static long ofPairs(long[] partials) {
    WideSum sum = new WideSum();
    for (int i = 0; i < partials.length; i += 2) {
      sum.add(partials[i], partials[i + 1]);
    }
    return sum.exact();
  }

  /** Stores a long as the pair {@code (sign, value)} at {@code out[at]}, {@code out[at + 1]}. */
  static void store(long value, long[] out, int at) {
    out[at] = value >> 63;
    out[at + 1] = value;
  }

  /** Stores this sum as a pair at {@code out[at]}, {@code out[at + 1]}. */
  void store(long[] out, int at) {
    out[at] = high;
    out[at + 1] = low;
  }
}
