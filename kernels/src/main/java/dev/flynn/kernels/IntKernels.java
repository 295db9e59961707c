package dev.flynn.kernels;

/**
 * The int kernels, as pure loops over ranges {@code (array, offset, length)}. Implementations never
 * allocate, never start threads and trust their arguments: ranges are checked once, at the engine's
 * public door ({@code assert} only here).
 *
 * <p>Two implementations exist side by side: {@link ScalarIntKernels} (SISD, also the fallback) and
 * {@code VectorIntKernels} (SIMD through the Vector API), chosen by {@link Kernels}. Integer
 * arithmetic has no rounding, so both forms return the same values for every kernel.
 *
 * <h2>Semantics shared by both forms</h2>
 *
 * <ul>
 *   <li>{@code sum} returns the exact sum as a {@code long}: it always fits, since a Java range has
 *       fewer than 2^31 elements of magnitude at most 2^31.
 *   <li>{@code dot} returns the exact dot product as a {@code long}, or throws {@link
 *       ArithmeticException} when the exact value does not fit in a long. Each product is exact (at
 *       most 2^62 in magnitude); the sum is kept exactly whatever the order, so the answer does not
 *       depend on how the range is split. It cannot overflow when {@code sum|a_i b_i| < 2^63}, for
 *       instance when every element is below 2^16 in magnitude.
 *   <li>{@code add}, {@code sub}, {@code mul} and {@code neg} wrap as Java's {@code int} arithmetic
 *       does (two's complement, modulo 2^32): {@code MAX_VALUE + 1 == MIN_VALUE}.
 *   <li>{@code abs} is {@link Math#abs(int)}: {@code abs(MIN_VALUE) == MIN_VALUE}.
 *   <li>{@code argmin} and {@code argmax} return the first index (relative to the range start) of
 *       the least or greatest element.
 *   <li>{@code scan} is the inclusive prefix sum into a {@code long[]}; with the {@code initial}
 *       value the engine passes (the exact sum of the preceding elements) every result fits.
 * </ul>
 *
 * <p>An elementwise output may be the very same range as an input (same array, same offset);
 * partially overlapping ranges are rejected by the engine before any kernel runs.
 */
public interface IntKernels {

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /** The exact sum of {@code a[aOffset .. aOffset + length)}; empty gives 0. */
  long sum(int[] a, int aOffset, int length);

  /**
   * The exact dot product {@code sum a_i * b_i}; empty gives 0.
   *
   * @throws ArithmeticException when the exact value does not fit in a long
   */
  long dot(int[] a, int aOffset, int[] b, int bOffset, int length);

  /** The least element. Needs {@code length >= 1}. */
  int min(int[] a, int aOffset, int length);

  /** The greatest element. Needs {@code length >= 1}. */
  int max(int[] a, int aOffset, int length);

  /** The first index, from {@code aOffset}, of the least element. Needs {@code length >= 1}. */
  int argmin(int[] a, int aOffset, int length);

  /** The first index, from {@code aOffset}, of the greatest element. Needs {@code length >= 1}. */
  int argmax(int[] a, int aOffset, int length);

  /**
   * How many elements {@code x} satisfy {@code cmp.test(x, threshold)}, compared as longs: a
   * threshold outside the int range is honoured exactly (every or no element passes).
   */
  long count(int[] a, int aOffset, int length, Comparison cmp, long threshold);

  /** {@code out[i] = a[i] + b[i]}, wrapping. */
  void add(int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length);

  /** {@code out[i] = a[i] - b[i]}, wrapping. */
  void sub(int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length);

  /** {@code out[i] = a[i] * b[i]}, wrapping: the low 32 bits of the exact product. */
  void mul(int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length);

  /** {@code out[i] = -a[i]}, wrapping: {@code -MIN_VALUE == MIN_VALUE}. */
  void neg(int[] a, int aOffset, int[] out, int outOffset, int length);

  /** {@code out[i] = Math.abs(a[i])}: {@code abs(MIN_VALUE) == MIN_VALUE}. */
  void abs(int[] a, int aOffset, int[] out, int outOffset, int length);

  /** {@code out[i] = Math.min(a[i], b[i])}. */
  void minimum(int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length);

  /** {@code out[i] = Math.max(a[i], b[i])}. */
  void maximum(int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length);

  /** {@code out[i] = Math.clamp(a[i], lo, hi)}. Needs {@code lo <= hi}. */
  void clamp(int[] a, int aOffset, int lo, int hi, int[] out, int outOffset, int length);

  /**
   * The inclusive prefix sum plus {@code initial}: {@code out[i] = initial + a[0] + ... + a[i]}
   * (indices relative to the ranges). Every result must fit in a long, which holds when {@code
   * |initial| <= 2^62}, as the engine guarantees.
   */
  void prefixSum(int[] a, int aOffset, long[] out, int outOffset, int length, long initial);
}
