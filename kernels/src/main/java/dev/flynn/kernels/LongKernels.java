package dev.flynn.kernels;

/**
 * The long kernels, as pure loops over ranges {@code (array, offset, length)}. Implementations
 * never allocate (except to build an overflow message), never start threads and trust their
 * arguments: ranges are checked once, at the engine's public door ({@code assert} only here).
 *
 * <p>Two implementations exist side by side: {@link ScalarLongKernels} (SISD, also the fallback)
 * and {@code VectorLongKernels} (SIMD through the Vector API), chosen by {@link Kernels}. Integer
 * arithmetic has no rounding, so both forms return the same values for every kernel.
 *
 * <h2>Semantics shared by both forms</h2>
 *
 * <ul>
 *   <li>{@code sum} is exact or nothing: it returns the exact sum when that fits in a long and
 *       throws {@link ArithmeticException} otherwise, even where a wrapping intermediate sum would
 *       have come back into range. The sum is kept exactly (see {@link #sum}), so the answer does
 *       not depend on the order of the additions or on how the range is split.
 *   <li>{@code scan} follows the same rule element by element: it throws {@link
 *       ArithmeticException} when any prefix sum does not fit in a long; the output range then
 *       holds unspecified values.
 *   <li>{@code add}, {@code sub}, {@code mul} and {@code neg} wrap as Java's {@code long}
 *       arithmetic does (two's complement, modulo 2^64).
 *   <li>{@code abs} is {@link Math#abs(long)}: {@code abs(MIN_VALUE) == MIN_VALUE}.
 *   <li>{@code argmin} and {@code argmax} return the first index (relative to the range start) of
 *       the least or greatest element.
 * </ul>
 *
 * <p>There is no long {@code dot}: a product of two longs needs 128 bits, and no vector instruction
 * computes the high half.
 *
 * <p>An elementwise output may be the very same range as an input (same array, same offset);
 * partially overlapping ranges are rejected by the engine before any kernel runs.
 */
public interface LongKernels {

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /**
   * The exact sum of {@code a[aOffset .. aOffset + length)}; empty gives 0.
   *
   * <p>Both forms keep two accumulators: {@code W}, the sum modulo 2^64, and {@code H}, the exact
   * sum of {@code a_i >> 32} (at most 2^62 in magnitude). The exact sum is {@code H 2^32 + L} where
   * {@code L}, the sum of the low 32 bits, lies in {@code [0, 2^63)} and so equals {@code W - (H <<
   * 32)} read as a long: three operations per element instead of one, and no branch.
   *
   * @throws ArithmeticException when the exact sum does not fit in a long
   */
  long sum(long[] a, int aOffset, int length);

  /** The least element. Needs {@code length >= 1}. */
  long min(long[] a, int aOffset, int length);

  /** The greatest element. Needs {@code length >= 1}. */
  long max(long[] a, int aOffset, int length);

  /** The first index, from {@code aOffset}, of the least element. Needs {@code length >= 1}. */
  int argmin(long[] a, int aOffset, int length);

  /** The first index, from {@code aOffset}, of the greatest element. Needs {@code length >= 1}. */
  int argmax(long[] a, int aOffset, int length);

  /** How many elements {@code x} satisfy {@code cmp.test(x, threshold)}. */
  long count(long[] a, int aOffset, int length, Comparison cmp, long threshold);

  /** {@code out[i] = a[i] + b[i]}, wrapping. */
  void add(long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length);

  /** {@code out[i] = a[i] - b[i]}, wrapping. */
  void sub(long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length);

  /** {@code out[i] = a[i] * b[i]}, wrapping: the low 64 bits of the exact product. */
  void mul(long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length);

  /** {@code out[i] = -a[i]}, wrapping: {@code -MIN_VALUE == MIN_VALUE}. */
  void neg(long[] a, int aOffset, long[] out, int outOffset, int length);

  /** {@code out[i] = Math.abs(a[i])}: {@code abs(MIN_VALUE) == MIN_VALUE}. */
  void abs(long[] a, int aOffset, long[] out, int outOffset, int length);

  /** {@code out[i] = Math.min(a[i], b[i])}. */
  void minimum(long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length);

  /** {@code out[i] = Math.max(a[i], b[i])}. */
  void maximum(long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length);

  /** {@code out[i] = Math.clamp(a[i], lo, hi)}. Needs {@code lo <= hi}. */
  void clamp(long[] a, int aOffset, long lo, long hi, long[] out, int outOffset, int length);

  /**
   * The inclusive prefix sum plus {@code initial}: {@code out[i] = initial + a[0] + ... + a[i]}
   * (indices relative to the ranges). {@code out} may be the same range as {@code a}.
   *
   * @throws ArithmeticException when a result does not fit in a long; {@code out} then holds
   *     unspecified values
   */
  void prefixSum(long[] a, int aOffset, long[] out, int outOffset, int length, long initial);
}
