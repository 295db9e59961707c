package dev.flynn.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The direct double kernels over memory segments: the loops of {@link DoubleKernels} reading and
 * writing {@link MemorySegment}s (native memory, a memory-mapped file, or a heap segment) in place,
 * without staging through an array. The memory-bound kernels have this form; the others reach
 * segments through the engine's staged path, which copies one block at a time into an array.
 *
 * <p>A range is {@code (segment, byteOffset, length)}: {@code length} doubles starting {@code
 * byteOffset} bytes into the segment. Every element is read and written as {@link #DOUBLE_LE}: a
 * little-endian IEEE 754 double with no alignment requirement (aligned data is faster). Block
 * lengths are {@code int}s; byte offsets are {@code long}s, so the engine reaches every element of
 * a segment of any size one block at a time.
 *
 * <p>Each method computes exactly what the method of the same name in {@link DoubleKernels}
 * computes on the same values, in the same order, with the same accumulators: the scalar forms
 * agree bit for bit with {@link ScalarDoubleKernels} and the vector forms with {@code
 * VectorDoubleKernels}. So a reduction over a segment returns the same bits as over an array
 * holding the same values. Implementations never allocate, never start threads and trust their
 * arguments: ranges, liveness, read-only outputs and overlaps are checked once, by the engine.
 */
public interface DoubleSegmentKernels {

  /** How every element is stored: a little-endian double at any byte address. */
  ValueLayout.OfDouble DOUBLE_LE =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /** The sum; as {@link DoubleKernels#sum}. */
  double sum(MemorySegment a, long aOffset, int length);

  /** The dot product; as {@link DoubleKernels#dot}. */
  double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);

  /** The least element; as {@link DoubleKernels#min}. Needs {@code length >= 1}. */
  double min(MemorySegment a, long aOffset, int length);

  /** The greatest element; as {@link DoubleKernels#max}. Needs {@code length >= 1}. */
  double max(MemorySegment a, long aOffset, int length);

  /** {@code out[i] = a[i] + b[i]}. */
  void add(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = a[i] - b[i]}. */
  void sub(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = a[i] * b[i]}. */
  void mul(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = a[i] / b[i]}. */
  void div(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = alpha * x[i]}. */
  void scale(
      double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code y[i] = alpha * x[i] + y[i]}; fused exactly when {@link DoubleKernels#axpy} is. */
  void axpy(double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, int length);

  /** {@code out[i] = a[i] * b[i] + c[i]}, always fused, as {@link Math#fma}. */
  void fma(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment c,
      long cOffset,
      MemorySegment out,
      long outOffset,
      int length);

  // ---------------------------------------------------------------- maps

  /** {@code out[i] = -x[i]}, exact; as {@link DoubleKernels#neg}. */
  void neg(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = |x[i]|}, exact; as {@link DoubleKernels#abs}. */
  void abs(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = sqrt(x[i])}, correctly rounded; as {@link DoubleKernels#sqrt}. */
  void sqrt(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = max(x[i], +0.0)}, exact; as {@link DoubleKernels#relu}. */
  void relu(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /**
   * {@code out[i] = min(max(x[i], lo), hi)}; as {@link DoubleKernels#clamp}. Needs {@code lo <=
   * hi}.
   */
  void clamp(
      MemorySegment x,
      long xOffset,
      double lo,
      double hi,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = Math.min(a[i], b[i])}; as {@link DoubleKernels#minimum}. */
  void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = Math.max(a[i], b[i])}; as {@link DoubleKernels#maximum}. */
  void maximum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /**
   * {@code out[i] = comparison.test(a[i], threshold) ? ifTrue[i] : ifFalse[i]}; as {@link
   * DoubleKernels#select}.
   */
  void select(
      MemorySegment a,
      long aOffset,
      Comparison comparison,
      double threshold,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /**
   * {@code out[i] = comparison.test(a[i], b[i]) ? ifTrue[i] : ifFalse[i]}; as {@link
   * DoubleKernels#selectPairwise}.
   */
  void selectPairwise(
      MemorySegment a,
      long aOffset,
      Comparison comparison,
      MemorySegment b,
      long bOffset,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /**
   * {@code out[i] = (float) x[i]}, rounded to nearest even, into {@link
   * FloatSegmentKernels#FLOAT_LE} floats at byte {@code outOffset}; as {@link
   * DoubleKernels#toFloat}.
   */
  void toFloat(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  // ---------------------------------------------------------------- statistics

  /** The position of the least element, the first NaN if any; as {@link DoubleKernels#argmin}. */
  int argmin(MemorySegment a, long aOffset, int length);

  /**
   * The position of the greatest element, the first NaN if any; as {@link DoubleKernels#argmax}.
   */
  int argmax(MemorySegment a, long aOffset, int length);

  /** {@code sum a_i^2}; as {@link DoubleKernels#sumOfSquares}. */
  double sumOfSquares(MemorySegment a, long aOffset, int length);

  /** Blue's three scaled sums of squares; as {@link DoubleKernels#scaledSumsOfSquares}. */
  void scaledSumsOfSquares(
      MemorySegment a, long aOffset, int length, double[] sums, int sumsOffset);

  /**
   * {@code sum (a_i - center)} and {@code sum (a_i - center)^2}; as {@link
   * DoubleKernels#centeredSums}.
   */
  void centeredSums(
      MemorySegment a, long aOffset, int length, double center, double[] sums, int sumsOffset);

  /**
   * The number of elements with {@code comparison.test(a_i, threshold)}; as {@link
   * DoubleKernels#count}.
   */
  int count(MemorySegment a, long aOffset, int length, Comparison comparison, double threshold);

  // ---------------------------------------------------------------- similarity

  /**
   * The cosine similarity of one range; as {@link SimilarityKernels#cosine(double[], int, double[],
   * int, int)}.
   */
  double cosine(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);

  /**
   * A block's {@link SimilarityKernels#COSINE_TERMS} cosine terms at {@code terms[at ..]}; as
   * {@link SimilarityKernels#cosineTerms(double[], int, double[], int, int, double[], int)}.
   */
  void cosineTerms(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      int length,
      double[] terms,
      int at);

  /**
   * {@code sum (a_i - b_i)^2}; as {@link SimilarityKernels#squaredDistance(double[], int, double[],
   * int, int)}.
   */
  double squaredDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);

  // ---------------------------------------------------------------- scan

  /**
   * {@code out[i] = carry + (a[0] + ... + a[i])}, returning the block's running total; as {@link
   * DoubleKernels#prefixSum}. {@code out} may be exactly {@code a}.
   */
  double prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, double carry);

  /** The running total {@link #prefixSum} would return; as {@link DoubleKernels#prefixSumTotal}. */
  double prefixSumTotal(MemorySegment a, long aOffset, int length);
}
