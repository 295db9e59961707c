package dev.flynn.engine.combine;

import java.math.BigInteger;

/**
 * The {@link Summary} as slots. The sum is kept exact without floating point: a finite float is
 * {@code m 2^(e - 150)} with a 24-bit significand {@code m} and a biased exponent {@code e} in
 * {@code [1, 254]} (subnormals use {@code e = 1} without the hidden bit), so one long per exponent
 * adds the signed significands exactly: under 2^31 elements of magnitude below 2^24 stay below
 * 2^55. Sums of integers do not depend on their order, and the total {@code sum_e S_e 2^(e - 150)}
 * is rounded to a double once, at the end. Minimum and maximum are kept as integer keys that order
 * floats like {@link Float#compare}.
 */
final class SummaryWorkload extends Workload {

  static final int COUNT = 0;
  static final int NAN = 1;
  static final int POSITIVE_INFINITY = 2;
  static final int NEGATIVE_INFINITY = 3;

  /** The slot of biased exponent {@code e} in {@code [1, 254]} is {@code EXPONENTS + e}. */
  private static final int EXPONENTS = 3;

  static final int ADDS = EXPONENTS + 255;
  static final int MIN = ADDS;
  static final int NEGATED_MAX = ADDS + 1;

  SummaryWorkload() {
    super(ADDS, 2);
  }

  /**
   * An int whose signed order is the order of {@link Float#compare} on non-NaN floats: negative
   * floats have their magnitude bits flipped. Its own inverse.
   */
  static int key(int bits) {
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  /** The slot of a finite float's significand. */
  private static int exponentSlot(int bits) {
    return EXPONENTS + Math.max(1, (bits >>> 23) & 0xff);
  }

  /** The significand of a finite float with its sign: {@code x = significand 2^(e - 150)}. */
  private static long significand(int bits) {
    int m = bits & 0x7fffff;
    if ((bits & 0x7f800000) != 0) {
      m |= 0x800000;
    }
    return bits < 0 ? -m : m;
  }

  @Override
  void element(float x, Slots into) {
    if (x != x) {
      into.add(NAN, 1);
      return;
    }
    int bits = Float.floatToRawIntBits(x);
    long key = key(bits);
    into.add(COUNT, 1);
    into.min(MIN, key);
    into.min(NEGATED_MAX, -key);
    if (Float.isInfinite(x)) {
      into.add(x > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY, 1);
    } else {
      into.add(exponentSlot(bits), significand(bits));
    }
  }

  @Override
  void block(float[] a, int from, int length, long[] partial) {
    long count = 0;
    long nan = 0;
    long min = partial[MIN];
    long negatedMax = partial[NEGATED_MAX];
    for (int i = from; i < from + length; i++) {
      float x = a[i];
      if (x != x) {
        nan++;
        continue;
      }
      int bits = Float.floatToRawIntBits(x);
      long key = key(bits);
      count++;
      min = Math.min(min, key);
      negatedMax = Math.min(negatedMax, -key);
      if (Float.isInfinite(x)) {
        partial[x > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY]++;
      } else {
        partial[exponentSlot(bits)] += significand(bits);
      }
    }
    partial[COUNT] += count;
    partial[NAN] += nan;
    partial[MIN] = min;
    partial[NEGATED_MAX] = negatedMax;
  }

  /** The summary of combined slots. */
  static Summary result(long[] slots) {
    long count = slots[COUNT];
    float min = count == 0 ? Float.NaN : Float.intBitsToFloat(key((int) slots[MIN]));
    float max = count == 0 ? Float.NaN : Float.intBitsToFloat(key((int) -slots[NEGATED_MAX]));
    return new Summary(count, slots[NAN], min, max, sum(slots));
  }

  private static double sum(long[] slots) {
    boolean positive = slots[POSITIVE_INFINITY] > 0;
    boolean negative = slots[NEGATIVE_INFINITY] > 0;
    if (positive || negative) {
      return positive && negative
          ? Double.NaN
          : positive ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    // N = sum_e S_e 2^(e - 1), so the sum is N 2^-149; at most about 2^308, an exact BigInteger.
    BigInteger n = BigInteger.ZERO;
    for (int e = 1; e <= 254; e++) {
      long s = slots[EXPONENTS + e];
      if (s != 0) {
        n = n.add(BigInteger.valueOf(s).shiftLeft(e - 1));
      }
    }
    // doubleValue rounds to nearest, ties to even; N 2^-149 is at least 2^-149 when nonzero and at
    // most 2^159, far inside the normal doubles, so the scaling is exact: one rounding in all.
    return Math.scalb(n.doubleValue(), -149);
  }
}
