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

  /**
   * {@link #dot} for one block of an input too large for the caches, streamed from memory. The
   * scalar form is {@link #dot}. The vector form runs the same eight chains of multiply-adds on
   * vectors of at most 256 bits ({@code L_s} lanes: 8 floats where the preferred vector is wider):
   * a heap array is only 16-byte aligned, so three in four 512-bit loads straddle two cache lines,
   * and from memory those split loads cost more than the narrower loads' extra instructions. Error
   * as for {@link #dot} with {@code L_s} for {@code L}.
   */
  default double dotStreaming(float[] a, int aOffset, float[] b, int bOffset, int length) {
    return dot(a, aOffset, b, bOffset, length);
  }

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

  /** {@code out[i] = -x[i]}: exact, flips the sign bit (-(+0.0) is -0.0; NaN stays NaN). */
  void neg(float[] x, int xOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = |x[i]|} as {@link Math#abs(float)}: exact; abs(-0.0) is +0.0, NaN stays NaN.
   */
  void abs(float[] x, int xOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = sqrt(x[i])}, correctly rounded (IEEE 754 square root) in both forms: sqrt(-0.0)
   * is -0.0, sqrt(+Inf) is +Inf, sqrt(x < 0) and sqrt(NaN) are NaN.
   */
  void sqrt(float[] x, int xOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = ln x[i]}: log(+-0.0) is -Inf, log(x < 0) and log(NaN) are NaN, log(+Inf) is
   * +Inf, log(1) is +0.0. Scalar form: {@link Math#log} in double, rounded to float, within 1 ulp
   * (at most half an ulp plus 2^-28 ulp). Vector form: the Vector API's {@code LOG}, specified as
   * accurate as {@link Math#log}: within 1 ulp. The forms may differ by 1 ulp on an element.
   */
  void log(float[] x, int xOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = tanh x[i]}: tanh(+-0.0) is +-0.0, tanh(+-Inf) is +-1, tanh(NaN) is NaN. Scalar
   * form: {@link Math#tanh} in double (within 2.5 double ulps), rounded to float: within 1 ulp.
   * Vector form: the Vector API's {@code TANH}, specified as accurate as {@link Math#tanh}: within
   * 2.5 ulps.
   */
  void tanh(float[] x, int xOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = 1 / (1 + e^-x[i])}, computed without overflow as {@code n / (1 + t)} with
   * {@code t = e^-|x|} and {@code n = t} for negative x, 1 otherwise: sigmoid(+Inf) is 1,
   * sigmoid(-Inf) is +0.0, sigmoid(+-0.0) is 0.5, sigmoid(NaN) is NaN, and results down in the
   * subnormal range keep their accuracy. Scalar form: in double, rounded once to float: within 1
   * ulp. Vector form: in float lanes with the Vector API's {@code EXP} (within 1 ulp): the exp
   * error contributes at most 2u relative to the quotient, each of the two roundings u (u = 2^-24),
   * so within 4 ulps (to first order).
   */
  void sigmoid(float[] x, int xOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = max(x[i], +0.0)} as {@link Math#max(float, float)}: exact; relu(-0.0) is +0.0
   * and relu(NaN) is NaN (a NaN is passed on, not hidden as 0).
   */
  void relu(float[] x, int xOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = min(max(x[i], lo), hi)} with {@link Math#max(float, float)} and {@link
   * Math#min(float, float)}, as {@link Math#clamp(float, float, float)}: exact; clamp(NaN) is NaN,
   * -0.0 is below +0.0. Needs {@code lo <= hi}, neither NaN, and not {@code lo = +0.0, hi = -0.0}
   * (the engine checks).
   */
  void clamp(float[] x, int xOffset, float lo, float hi, float[] out, int outOffset, int length);

  /** {@code out[i] = Math.min(a[i], b[i])}: exact; NaN if either is NaN, -0.0 is below +0.0. */
  void minimum(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length);

  /** {@code out[i] = Math.max(a[i], b[i])}: exact; NaN if either is NaN, +0.0 is above -0.0. */
  void maximum(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length);

  /**
   * {@code out[i] = comparison.test(a[i], threshold) ? ifTrue[i] : ifFalse[i]}: exact, with the
   * IEEE rules of {@link Comparison} (only {@code NOT_EQUAL} holds for a NaN).
   */
  void select(
      float[] a,
      int aOffset,
      Comparison comparison,
      float threshold,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length);

  /** {@code out[i] = comparison.test(a[i], b[i]) ? ifTrue[i] : ifFalse[i]}; as {@code select}. */
  void selectPairwise(
      float[] a,
      int aOffset,
      Comparison comparison,
      float[] b,
      int bOffset,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length);

  /** {@code out[i] = (double) x[i]}: exact (every float is a double), NaN stays NaN. */
  void toDouble(float[] x, int xOffset, double[] out, int outOffset, int length);

  /**
   * {@code out[i] = (float) x[i]} for ints: correctly rounded to nearest even, as Java's cast
   * (exact for |x| <= 2^24).
   */
  void toFloat(int[] x, int xOffset, float[] out, int outOffset, int length);

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  /**
   * The position of the least element, relative to {@code aOffset}: the first one when several are
   * equal. Any NaN wins: the result is then the position of the first NaN. -0.0 is below +0.0, as
   * in {@link Math#min(float, float)}; the element at the result is the one {@code min} returns.
   * Exact; identical in both forms. Needs {@code length >= 1}.
   */
  int argmin(float[] a, int aOffset, int length);

  /**
   * The position of the greatest element, relative to {@code aOffset}, first on ties; the first NaN
   * if there is one; +0.0 is above -0.0. Exact; identical in both forms. Needs {@code length >= 1}.
   */
  int argmax(float[] a, int aOffset, int length);

  /**
   * {@code sum a_i^2} as a double, which neither overflows nor underflows: a float's square is at
   * most 2^256 and at least 2^-298. NaN if any element is NaN, else +Inf if any is infinite.
   *
   * <p>Scalar form: squares exact in double, one chain of double additions of positive terms;
   * relative error at most {@code length * 2^-53}.
   *
   * <p>Vector form (L float lanes per vector): chunks of 16384 elements are summed in float lanes,
   * eight chains of multiply-adds restarted every 1024 elements and added to eight outer chains,
   * which are added pairwise in float and then folded lane by lane in double; the last {@code
   * length mod L} squares and the chunks are added in double. A chunk whose float sum overflowed
   * (infinite or NaN) or is below 2^-64 is summed again with its elements scaled by the power of
   * two that brings its largest magnitude to [1, 2) (exact; the float sum then stays below 2^16 and
   * is scaled back exactly in double), so nothing overflows and underflow costs at most 2^-150 per
   * operation against a chunk sum of at least 2^-64. An element meets at most {@code 128 / L + 7}
   * float roundings in its inner chain, one more for the square without FMA, {@code ceil(m / 1024)
   * - 1} in its outer chain (m = min(length, 16384)) and 3 in the pairwise additions, then at most
   * {@code 2L - 2 + ceil(length / 16384) - 1} double additions. Relative error at most {@code F *
   * 2^-24 + G * 2^-53} with {@code F = 128 / L + ceil(m / 1024) + 11} (one more than the count, for
   * the second-order terms and underflow) and {@code G = 2L + ceil(length / 16384)}: for L = 16 and
   * a full chunk F = 35, about 2.1e-6.
   */
  double sumOfSquares(float[] a, int aOffset, int length);

  /**
   * The two sums of the corrected two-pass variance: {@code sums[sumsOffset] = sum (a_i - center)}
   * and {@code sums[sumsOffset + 1] = sum (a_i - center)^2}, in double (each difference rounded
   * once, each square once). Every element goes through at most {@code K} additions per sum, with
   * {@code K} as for {@link #sumOfSquares}. Writes exactly those two elements.
   */
  void centeredSums(
      float[] a, int aOffset, int length, double center, double[] sums, int sumsOffset);

  /**
   * The number of elements {@code x} with {@code comparison.test(x, threshold)}: Java's operators,
   * so NaN compares false except with {@link Comparison#NOT_EQUAL}, and -0.0 equals +0.0. Exact.
   */
  int count(float[] a, int aOffset, int length, Comparison comparison, float threshold);

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
