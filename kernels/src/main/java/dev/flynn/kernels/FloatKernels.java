package dev.flynn.kernels;

/**
 * The float kernels, as pure loops over ranges {@code (array, offset, length)}. Implementations
 * never allocate, never start threads and trust their arguments: ranges are checked once, at the
 * engine's public door ({@code assert} only here).
 *
 * <p>Two implementations exist side by side: {@link ScalarFloatKernels} (SISD, also the fallback)
 * and {@code VectorFloatKernels} (SIMD through the Vector API), chosen by {@link Kernels}.
 *
 * <h2>Semantics shared by both forms</h2>
 *
 * <ul>
 *   <li>{@code add}, {@code sub}, {@code mul}, {@code div}, {@code scale} and {@code fma} are
 *       correctly rounded IEEE 754 operations, so both forms give the same bits.
 *   <li>{@code axpy} computes {@code alpha * x + y} fused (one rounding) when the hardware has FMA
 *       ({@code -XX:+UseFMA}), otherwise with two roundings; both forms make the same choice.
 *   <li>{@code exp}: within 1 ulp of the exact result in both forms ({@code Math.exp} rounded to
 *       float; the Vector API's {@code EXP}, specified within 1 ulp); the two forms may differ by 1
 *       ulp on an element. The vector form itself may change by 1 ulp once C2 has compiled it:
 *       before that, the Vector API computes each lane with {@code Math.exp}. {@code exp(NaN)} is
 *       NaN, {@code exp(+Inf)} is +Inf, {@code exp(-Inf)} is +0.
 *   <li>{@code min} and {@code max} follow {@link Math#min(float, float)} and {@link
 *       Math#max(float, float)}: any NaN makes the result NaN, and -0.0 is below +0.0. The result
 *       is exact and identical in both forms. They need {@code length >= 1}.
 *   <li>{@code sum} and {@code dot} return the partial as a {@code double}; they differ in rounding
 *       between the forms (see each method). A NaN or an infinity propagates as in IEEE arithmetic;
 *       an empty range gives +0.0, and so does a range of -0.0 values.
 * </ul>
 *
 * <p>An elementwise output may be the very same range as an input (same array, same offset);
 * partially overlapping ranges are rejected by the engine before any kernel runs.
 */
public interface FloatKernels {

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /**
   * The sum of {@code a[aOffset .. aOffset + length)}.
   *
   * <p>Scalar form: accumulates in {@code double} in index order, so the error against the exact
   * sum is at most {@code length * 2^-53 * sum|a_i|} before the engine rounds the result to float.
   * Vector form: {@code 4 * L} float lanes (L = lanes per vector) each accumulate every {@code
   * 4L}-th element, lanes are folded in index order in {@code double}, and the tail is added in
   * double; the error is at most {@code (length / 4L + 5) * 2^-24 * sum|a_i|}. Float lanes can
   * overflow to infinity where the double accumulator of the scalar form does not.
   */
  double sum(float[] a, int aOffset, int length);

  /**
   * The dot product {@code sum a_i * b_i}. Scalar form: products are exact in double and summed in
   * double (error at most {@code length * 2^-53 * sum|a_i b_i|}). Vector form: {@code 8L} float
   * lanes of multiply-adds (each lane a chain of at most {@code length / 8L + 10} roundings,
   * counting the tail and the folding of the chains), error at most {@code (length / 8L + 10) *
   * 2^-24 * sum|a_i b_i|}.
   */
  double dot(float[] a, int aOffset, float[] b, int bOffset, int length);

  /** The least element, as {@link Math#min(float, float)} folds it. Needs {@code length >= 1}. */
  float min(float[] a, int aOffset, int length);

  /**
   * The greatest element, as {@link Math#max(float, float)} folds it. Needs {@code length >= 1}.
   */
  float max(float[] a, int aOffset, int length);

  /** {@code out[i] = a[i] + b[i]}. */
  void add(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length);

  /** {@code out[i] = a[i] - b[i]}. */
  void sub(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length);

  /** {@code out[i] = a[i] * b[i]}. */
  void mul(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length);

  /** {@code out[i] = a[i] / b[i]}. */
  void div(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length);

  /** {@code out[i] = alpha * x[i]}. */
  void scale(float alpha, float[] x, int xOffset, float[] out, int outOffset, int length);

  /** {@code y[i] = alpha * x[i] + y[i]}, fused when the hardware has FMA (see class comment). */
  void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length);

  /** {@code out[i] = a[i] * b[i] + c[i]}, always fused: one rounding, as {@link Math#fma}. */
  void fma(
      float[] a,
      int aOffset,
      float[] b,
      int bOffset,
      float[] c,
      int cOffset,
      float[] out,
      int outOffset,
      int length);

  /** {@code out[i] = e^x[i]}, within 1 ulp. */
  void exp(float[] x, int xOffset, float[] out, int outOffset, int length);

  // ======== MAPS: neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
  // conversions
  // (section maps: add this family's code below, above the next section line)

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  // ======== SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  /**
   * The inclusive prefix sum of one block, shifted by {@code carry}: {@code out[outOffset + i] =
   * carry + run_i}, where {@code run_i} is this form's running sum of {@code a[aOffset .. aOffset +
   * i]} started from +0.0. Returns {@code run} over the whole range, bit for bit what {@link
   * #prefixSumTotal} returns, so that a block total found in a first pass equals the one a single
   * pass finds. {@code out} may be the same range as {@code a}.
   *
   * <p>Scalar form: {@code run} accumulates in double in index order and each output is {@code
   * (float) (carry + run)}. Vector form: each vector of L lanes gets its inclusive prefix in float
   * lanes in log2(L) shift-and-add steps (a fixed tree, lane i summing lanes 0..i only), plus the
   * broadcast {@code (float) (carry + run)}; {@code run} accumulates the last lane of each vector
   * in double, and the scalar tail adds element by element as the scalar form does. A NaN or an
   * infinity propagates to its own index and every later one, never to an earlier one.
   */
  double prefixSum(float[] a, int aOffset, float[] out, int outOffset, int length, double carry);

  /** What {@link #prefixSum} returns for the same range, without writing anything. */
  double prefixSumTotal(float[] a, int aOffset, int length);

  /**
   * Adds the values of {@code a[aOffset .. aOffset + length)} to {@code counts}: {@code counts[k]}
   * for bin {@code k} of {@code rule} (exactly, see {@link EqualWidthBins}), then {@code
   * counts[bins]} for values below {@code lo}, {@code counts[bins + 1]} at or above {@code hi},
   * {@code counts[bins + 2]} for NaN. Needs {@code counts.length >= bins + 3}. Both forms count
   * exactly the same.
   */
  void histogram(float[] a, int aOffset, int length, EqualWidthBins rule, long[] counts);

  // ======== end of families
}
