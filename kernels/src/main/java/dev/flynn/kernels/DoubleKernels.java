package dev.flynn.kernels;

/**
 * The double kernels, as pure loops over ranges {@code (array, offset, length)}. Implementations
 * never allocate, never start threads and trust their arguments: ranges are checked once, at the
 * engine's public door ({@code assert} only here).
 *
 * <p>Two implementations exist side by side: {@link ScalarDoubleKernels} (SISD, also the fallback)
 * and {@code VectorDoubleKernels} (SIMD through the Vector API), chosen by {@link Kernels}.
 *
 * <h2>Semantics shared by both forms</h2>
 *
 * <ul>
 *   <li>{@code add}, {@code sub}, {@code mul}, {@code div}, {@code scale} and {@code fma} are
 *       correctly rounded IEEE 754 operations, so both forms give the same bits.
 *   <li>{@code axpy} computes {@code alpha * x + y} fused (one rounding) when the hardware has FMA
 *       ({@code -XX:+UseFMA}), otherwise with two roundings; both forms make the same choice.
 *   <li>{@code exp}: within 1 ulp of the exact result in both forms ({@code Math.exp}; the Vector
 *       API's {@code EXP}, specified within 1 ulp); the two forms may differ by 1 ulp on an
 *       element. The vector form itself may change by 1 ulp once C2 has compiled it: before that,
 *       the Vector API computes each lane with {@code Math.exp}. {@code exp(NaN)} is NaN, {@code
 *       exp(+Inf)} is +Inf, {@code exp(-Inf)} is +0.
 *   <li>{@code min} and {@code max} follow {@link Math#min(double, double)} and {@link
 *       Math#max(double, double)}: any NaN makes the result NaN, and -0.0 is below +0.0. The result
 *       is exact and identical in both forms. They need {@code length >= 1}.
 *   <li>{@code sum} and {@code dot} differ in rounding between the forms, because the vector form
 *       reassociates (see each method). A NaN or an infinity propagates as in IEEE arithmetic; an
 *       empty range gives +0.0, and so does a range of -0.0 values.
 * </ul>
 *
 * <p>An elementwise output may be the very same range as an input (same array, same offset);
 * partially overlapping ranges are rejected by the engine before any kernel runs.
 */
public interface DoubleKernels {

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /**
   * The sum of {@code a[aOffset .. aOffset + length)}.
   *
   * <p>Scalar form: one accumulator in index order, error at most {@code (length - 1) * 2^-53 *
   * sum|a_i|}. Vector form: {@code 4 * L} lanes (L = lanes per vector) each accumulate every {@code
   * 4L}-th element, lanes are folded in index order and the tail is added last; error at most
   * {@code (length / 4L + L + 5) * 2^-53 * sum|a_i|}.
   */
  double sum(double[] a, int aOffset, int length);

  /**
   * The dot product {@code sum a_i * b_i}. Scalar form: {@code s += a_i * b_i} in index order,
   * error at most {@code length * 2^-53 * sum|a_i b_i|}. Vector form: {@code 8L} lanes of
   * multiply-adds (each lane a chain of at most {@code length / 8L + 10} roundings, counting the
   * tail and the folding of the chains), lanes folded in index order, error at most {@code (length
   * / 8L + L + 10) * 2^-53 * sum|a_i b_i|}.
   */
  double dot(double[] a, int aOffset, double[] b, int bOffset, int length);

  /** The least element, as {@link Math#min(double, double)} folds it. Needs {@code length >= 1}. */
  double min(double[] a, int aOffset, int length);

  /**
   * The greatest element, as {@link Math#max(double, double)} folds it. Needs {@code length >= 1}.
   */
  double max(double[] a, int aOffset, int length);

  /** {@code out[i] = a[i] + b[i]}. */
  void add(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length);

  /** {@code out[i] = a[i] - b[i]}. */
  void sub(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length);

  /** {@code out[i] = a[i] * b[i]}. */
  void mul(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length);

  /** {@code out[i] = a[i] / b[i]}. */
  void div(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length);

  /** {@code out[i] = alpha * x[i]}. */
  void scale(double alpha, double[] x, int xOffset, double[] out, int outOffset, int length);

  /** {@code y[i] = alpha * x[i] + y[i]}, fused when the hardware has FMA (see class comment). */
  void axpy(double alpha, double[] x, int xOffset, double[] y, int yOffset, int length);

  /** {@code out[i] = a[i] * b[i] + c[i]}, always fused: one rounding, as {@link Math#fma}. */
  void fma(
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset,
      double[] out,
      int outOffset,
      int length);

  /** {@code out[i] = e^x[i]}, within 1 ulp. */
  void exp(double[] x, int xOffset, double[] out, int outOffset, int length);

  // ======== MAPS: neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
  // conversions
  // (section maps: add this family's code below, above the next section line)

  /** {@code out[i] = -x[i]}: exact, flips the sign bit (-(+0.0) is -0.0; NaN stays NaN). */
  void neg(double[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = |x[i]|} as {@link Math#abs(double)}: exact; abs(-0.0) is +0.0, NaN stays NaN.
   */
  void abs(double[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = sqrt(x[i])}, correctly rounded (IEEE 754 square root) in both forms: sqrt(-0.0)
   * is -0.0, sqrt(+Inf) is +Inf, sqrt(x < 0) and sqrt(NaN) are NaN.
   */
  void sqrt(double[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = ln x[i]}: log(+-0.0) is -Inf, log(x < 0) and log(NaN) are NaN, log(+Inf) is
   * +Inf, log(1) is +0.0. Within 1 ulp in both forms: {@link Math#log} (scalar) and the Vector
   * API's {@code LOG}, specified as accurate as {@link Math#log} (vector). The forms may differ by
   * 1 ulp on an element.
   */
  void log(double[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = tanh x[i]}: tanh(+-0.0) is +-0.0, tanh(+-Inf) is +-1, tanh(NaN) is NaN. Within
   * 2.5 ulps in both forms: {@link Math#tanh} (scalar) and the Vector API's {@code TANH}, specified
   * as accurate as {@link Math#tanh} (vector).
   */
  void tanh(double[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = 1 / (1 + e^-x[i])}, computed without overflow as {@code n / (1 + t)} with
   * {@code t = e^-|x|} and {@code n = t} for negative x, 1 otherwise: sigmoid(+Inf) is 1,
   * sigmoid(-Inf) is +0.0, sigmoid(+-0.0) is 0.5, sigmoid(NaN) is NaN, and results down in the
   * subnormal range keep their accuracy. Both forms ({@link Math#exp}, the Vector API's {@code
   * EXP}, each within 1 ulp): the exp error contributes at most 2u relative to the quotient, each
   * of the two roundings u (u = 2^-53), so within 4 ulps (to first order).
   */
  void sigmoid(double[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = max(x[i], +0.0)} as {@link Math#max(double, double)}: exact; relu(-0.0) is +0.0
   * and relu(NaN) is NaN (a NaN is passed on, not hidden as 0).
   */
  void relu(double[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = min(max(x[i], lo), hi)} with {@link Math#max(double, double)} and {@link
   * Math#min(double, double)}, as {@link Math#clamp(double, double, double)}: exact; clamp(NaN) is
   * NaN, -0.0 is below +0.0. Needs {@code lo <= hi}, neither NaN, and not {@code lo = +0.0, hi =
   * -0.0} (the engine checks).
   */
  void clamp(
      double[] x, int xOffset, double lo, double hi, double[] out, int outOffset, int length);

  /** {@code out[i] = Math.min(a[i], b[i])}: exact; NaN if either is NaN, -0.0 is below +0.0. */
  void minimum(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length);

  /** {@code out[i] = Math.max(a[i], b[i])}: exact; NaN if either is NaN, +0.0 is above -0.0. */
  void maximum(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = comparison.test(a[i], threshold) ? ifTrue[i] : ifFalse[i]}: exact, with the
   * IEEE rules of {@link Comparison} (only {@code NOT_EQUAL} holds for a NaN).
   */
  void select(
      double[] a,
      int aOffset,
      Comparison comparison,
      double threshold,
      double[] ifTrue,
      int ifTrueOffset,
      double[] ifFalse,
      int ifFalseOffset,
      double[] out,
      int outOffset,
      int length);

  /** {@code out[i] = comparison.test(a[i], b[i]) ? ifTrue[i] : ifFalse[i]}; as {@code select}. */
  void selectPairwise(
      double[] a,
      int aOffset,
      Comparison comparison,
      double[] b,
      int bOffset,
      double[] ifTrue,
      int ifTrueOffset,
      double[] ifFalse,
      int ifFalseOffset,
      double[] out,
      int outOffset,
      int length);

  /**
   * {@code out[i] = (float) x[i]}: correctly rounded to nearest even, as Java's cast: beyond the
   * float range to +-Inf, below it to a subnormal or a zero of the same sign, NaN to NaN.
   */
  void toFloat(double[] x, int xOffset, float[] out, int outOffset, int length);

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  /**
   * The position of the least element, relative to {@code aOffset}: the first one when several are
   * equal. Any NaN wins: the result is then the position of the first NaN. -0.0 is below +0.0, as
   * in {@link Math#min(double, double)}. Exact; identical in both forms. Needs {@code length >= 1}.
   */
  int argmin(double[] a, int aOffset, int length);

  /**
   * The position of the greatest element, relative to {@code aOffset}, first on ties; the first NaN
   * if there is one; +0.0 is above -0.0. Exact; identical in both forms. Needs {@code length >= 1}.
   */
  int argmax(double[] a, int aOffset, int length);

  /**
   * {@code sum a_i^2} in double, unscaled: a square above {@code Double.MAX_VALUE} (|a_i| above
   * about 1.34e154) or a sum above it gives +Inf, and squares below 2^-1022 lose precision (each at
   * most 2^-1075 off). Otherwise relative error at most {@code (K + 1) 2^-53}: {@code K = length}
   * in the scalar form, {@code K = length / 8L + 2L + 10} in the vector form (8 chains of
   * multiply-adds, L = lanes per vector).
   */
  double sumOfSquares(double[] a, int aOffset, int length);

  /**
   * The three scaled sums of squares of Blue's algorithm (LAPACK 3.10 {@code dnrm2}), written to
   * {@code sums[sumsOffset ..+3)}: {@code [0]} the sum of {@code (a_i 2^-538)^2} over |a_i| above
   * 2^486, {@code [1]} the sum of {@code a_i^2} over the others, {@code [2]} the sum of {@code (a_i
   * 2^537)^2} over |a_i| below 2^-511. None of them overflows or underflows for finite input
   * (beyond the loss of at most 2^-1075 per square in {@code [1]} and {@code [2]}, which {@code
   * norm2} shows to be negligible). NaN lands in {@code [1]}, infinities in {@code [0]}. The vector
   * form may put everything in {@code [1]} when the block has no element above 2^486 and that sum
   * is at least 2^-1008 (then the tiny squares it absorbed are below its last bit). Each element
   * goes through at most {@code K} additions: {@code K = length} in the scalar form, {@code K =
   * length / L + 2L + 6} in the vector form.
   */
  void scaledSumsOfSquares(double[] a, int aOffset, int length, double[] sums, int sumsOffset);

  /**
   * The two sums of the corrected two-pass variance: {@code sums[sumsOffset] = sum (a_i - center)}
   * and {@code sums[sumsOffset + 1] = sum (a_i - center)^2} (each difference rounded once, each
   * square at most once). Every element goes through at most {@code K} additions per sum: {@code K
   * = length} in the scalar form, {@code length / 4L + 2L + 6} in the vector form.
   */
  void centeredSums(
      double[] a, int aOffset, int length, double center, double[] sums, int sumsOffset);

  /**
   * The number of elements {@code x} with {@code comparison.test(x, threshold)}: Java's operators,
   * so NaN compares false except with {@link Comparison#NOT_EQUAL}, and -0.0 equals +0.0. Exact.
   */
  int count(double[] a, int aOffset, int length, Comparison comparison, double threshold);

  // ======== SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  /**
   * The inclusive prefix sum of one block, shifted by {@code carry}: {@code out[outOffset + i] =
   * carry + run_i}, where {@code run_i} is this form's running sum of {@code a[aOffset .. aOffset +
   * i]} started from +0.0. Returns {@code run} over the whole range, bit for bit what {@link
   * #prefixSumTotal} returns, so that a block total found in a first pass equals the one a single
   * pass finds. {@code out} may be the same range as {@code a}.
   *
   * <p>Scalar form: {@code run} accumulates in index order and each output is {@code carry + run}.
   * Vector form: each vector of L lanes gets its inclusive prefix in log2(L) shift-and-add steps (a
   * fixed tree, lane i summing lanes 0..i only), plus the broadcast {@code carry + run}; {@code
   * run} accumulates the last lane of each vector, and the scalar tail adds element by element as
   * the scalar form does. A NaN or an infinity propagates to its own index and every later one,
   * never to an earlier one.
   */
  double prefixSum(double[] a, int aOffset, double[] out, int outOffset, int length, double carry);

  /** What {@link #prefixSum} returns for the same range, without writing anything. */
  double prefixSumTotal(double[] a, int aOffset, int length);

  /**
   * Adds the values of {@code a[aOffset .. aOffset + length)} to {@code counts}: {@code counts[k]}
   * for bin {@code k} of {@code rule} (exactly, see {@link EqualWidthBins}), then {@code
   * counts[bins]} for values below {@code lo}, {@code counts[bins + 1]} at or above {@code hi},
   * {@code counts[bins + 2]} for NaN. Needs {@code counts.length >= bins + 3}. Both forms count
   * exactly the same.
   */
  void histogram(double[] a, int aOffset, int length, EqualWidthBins rule, long[] counts);

  // ======== end of families
}
