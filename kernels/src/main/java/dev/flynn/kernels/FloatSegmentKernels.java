package dev.flynn.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The direct float kernels over memory segments: the loops of {@link FloatKernels} reading and
 * writing {@link MemorySegment}s (native memory, a memory-mapped file, or a heap segment) in place,
 * without staging through an array. The memory-bound kernels have this form; the others reach
 * segments through the engine's staged path, which copies one block at a time into an array.
 *
 * <p>A range is {@code (segment, byteOffset, length)}: {@code length} floats starting {@code
 * byteOffset} bytes into the segment. Every element is read and written as {@link #FLOAT_LE}: a
 * little-endian IEEE 754 float with no alignment requirement (aligned data is faster). Block
 * lengths are {@code int}s; byte offsets are {@code long}s, so the engine reaches every element of
 * a segment of any size one block at a time.
 *
 * <p>Each method computes exactly what the method of the same name in {@link FloatKernels} computes
 * on the same values, in the same order, with the same accumulators: the scalar forms agree bit for
 * bit with {@link ScalarFloatKernels} and the vector forms with {@code VectorFloatKernels}. So a
 * reduction over a segment returns the same bits as over an array holding the same values.
 * Implementations never allocate, never start threads and trust their arguments: ranges, liveness,
 * read-only outputs and overlaps are checked once, by the engine.
 */
public interface FloatSegmentKernels {

  /** How every element is stored: a little-endian float at any byte address. */
  ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /** The sum; as {@link FloatKernels#sum}. */
  double sum(MemorySegment a, long aOffset, int length);

  /** The dot product; as {@link FloatKernels#dot}. */
  double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);

  /**
   * {@link FloatKernels#dotStreaming} over segments: the same chains and lanes, so a segment and an
   * array give the same bits.
   */
  default double dotStreaming(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    return dot(a, aOffset, b, bOffset, length);
  }

  /** The least element; as {@link FloatKernels#min}. Needs {@code length >= 1}. */
  float min(MemorySegment a, long aOffset, int length);

  /** The greatest element; as {@link FloatKernels#max}. Needs {@code length >= 1}. */
  float max(MemorySegment a, long aOffset, int length);

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
      float alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code y[i] = alpha * x[i] + y[i]}; fused exactly when {@link FloatKernels#axpy} is. */
  void axpy(float alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, int length);

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

  /** {@code out[i] = -x[i]}; as {@link FloatKernels#neg}. */
  void neg(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = |x[i]|}; as {@link FloatKernels#abs}. */
  void abs(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = sqrt(x[i])}, correctly rounded; as {@link FloatKernels#sqrt}. */
  void sqrt(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = max(x[i], +0.0)}; as {@link FloatKernels#relu}. */
  void relu(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = min(max(x[i], lo), hi)}; as {@link FloatKernels#clamp}. */
  void clamp(
      MemorySegment x,
      long xOffset,
      float lo,
      float hi,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = Math.min(a[i], b[i])}; as {@link FloatKernels#minimum}. */
  void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = Math.max(a[i], b[i])}; as {@link FloatKernels#maximum}. */
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
   * FloatKernels#select}.
   */
  void select(
      MemorySegment a,
      long aOffset,
      Comparison comparison,
      float threshold,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /**
   * {@code out[i] = comparison.test(a[i], b[i]) ? ifTrue[i] : ifFalse[i]}; as {@link
   * FloatKernels#selectPairwise}.
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
   * {@code out[i] = (double) x[i]}, exact, as {@link FloatKernels#toDouble}: {@code length} floats
   * from byte {@code xOffset} in, {@code length} little-endian doubles ({@link
   * DoubleSegmentKernels#DOUBLE_LE}) from byte {@code outOffset} out.
   */
  void toDouble(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length);

  // ---------------------------------------------------------------- statistics

  /**
   * The position of the least element, relative to {@code aOffset} (in elements); as {@link
   * FloatKernels#argmin}. Needs {@code length >= 1}.
   */
  int argmin(MemorySegment a, long aOffset, int length);

  /**
   * The position of the greatest element, relative to {@code aOffset} (in elements); as {@link
   * FloatKernels#argmax}. Needs {@code length >= 1}.
   */
  int argmax(MemorySegment a, long aOffset, int length);

  /** {@code sum a_i^2} in double; as {@link FloatKernels#sumOfSquares}, the same bits. */
  double sumOfSquares(MemorySegment a, long aOffset, int length);

  /**
   * The two sums of the corrected two-pass variance into {@code sums[sumsOffset]} and {@code
   * sums[sumsOffset + 1]}; as {@link FloatKernels#centeredSums}, the same bits.
   */
  void centeredSums(
      MemorySegment a, long aOffset, int length, double center, double[] sums, int sumsOffset);

  /**
   * The number of elements with {@code comparison.test(x, threshold)}; as {@link
   * FloatKernels#count}.
   */
  int count(MemorySegment a, long aOffset, int length, Comparison comparison, float threshold);

  // ---------------------------------------------------------------- scan

  /**
   * The inclusive prefix sum of one block shifted by {@code carry}; as {@link
   * FloatKernels#prefixSum}, the same bits and the same returned run. {@code out} may be the same
   * range as {@code a}.
   */
  double prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, double carry);

  /** What {@link #prefixSum} returns for the same range; as {@link FloatKernels#prefixSumTotal}. */
  double prefixSumTotal(MemorySegment a, long aOffset, int length);

  // ---------------------------------------------------------------- similarity

  /**
   * The three sums a cosine is made of, as {@link SimilarityKernels#cosineTerms(float[], int,
   * float[], int, int, double[], int)} writes them for the same form (scalar or vector) on the same
   * values: the same bits, so that a segment's cosine equals the array's.
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
   * {@code sum (a_i - b_i)^2}; as {@link SimilarityKernels#squaredDistance(float[], int, float[],
   * int, int)} for the same form, the same bits.
   */
  double squaredDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);
}
