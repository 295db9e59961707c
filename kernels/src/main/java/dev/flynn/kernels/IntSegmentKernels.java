package dev.flynn.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The direct int kernels over memory segments: the loops of {@link IntKernels} reading and writing
 * {@link MemorySegment}s (native memory, a memory-mapped file, or a heap segment) in place, without
 * staging through an array.
 *
 * <p>A range is {@code (segment, byteOffset, length)}: {@code length} ints starting {@code
 * byteOffset} bytes into the segment. Every element is read and written as {@link #INT_LE}: a
 * little-endian two's-complement int with no alignment requirement (aligned data is faster); the
 * longs of {@code prefixSum} as {@link LongSegmentKernels#LONG_LE} and the floats of {@code
 * toFloat} as {@link FloatSegmentKernels#FLOAT_LE}. Block lengths are {@code int}s; byte offsets
 * are {@code long}s, so the engine reaches every element of a segment of any size one block at a
 * time.
 *
 * <p>Each method computes exactly what the method of the same name in {@link IntKernels} computes
 * on the same values, with the same loops: integer results are exact, so the scalar and vector
 * forms, over segments and over arrays, all agree, and {@code dot} throws {@link
 * ArithmeticException} exactly when the array form does. Implementations never allocate (except to
 * build an overflow message), never start threads and trust their arguments: ranges, liveness,
 * read-only outputs and overlaps are checked once, by the engine.
 */
public interface IntSegmentKernels {

  /** How every element is stored: a little-endian int at any byte address. */
  ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /** The exact sum; as {@link IntKernels#sum}. */
  long sum(MemorySegment a, long aOffset, int length);

  /**
   * The exact dot product; as {@link IntKernels#dot}.
   *
   * @throws ArithmeticException when the exact value does not fit in a long
   */
  long dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);

  /** The least element; as {@link IntKernels#min}. Needs {@code length >= 1}. */
  int min(MemorySegment a, long aOffset, int length);

  /** The greatest element; as {@link IntKernels#max}. Needs {@code length >= 1}. */
  int max(MemorySegment a, long aOffset, int length);

  /** The first index of the least element; as {@link IntKernels#argmin}. */
  int argmin(MemorySegment a, long aOffset, int length);

  /** The first index of the greatest element; as {@link IntKernels#argmax}. */
  int argmax(MemorySegment a, long aOffset, int length);

  /** How many elements pass the comparison, compared as longs; as {@link IntKernels#count}. */
  long count(MemorySegment a, long aOffset, int length, Comparison cmp, long threshold);

  /** {@code out[i] = a[i] + b[i]}, wrapping. */
  void add(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = a[i] - b[i]}, wrapping. */
  void sub(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = a[i] * b[i]}, wrapping. */
  void mul(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = -a[i]}, wrapping. */
  void neg(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = Math.abs(a[i])}: {@code abs(MIN_VALUE) == MIN_VALUE}. */
  void abs(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length);

  /** {@code out[i] = Math.min(a[i], b[i])}. */
  void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = Math.max(a[i], b[i])}. */
  void maximum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length);

  /** {@code out[i] = Math.clamp(a[i], lo, hi)}. Needs {@code lo <= hi}. */
  void clamp(
      MemorySegment a, long aOffset, int lo, int hi, MemorySegment out, long outOffset, int length);

  /**
   * The inclusive prefix sum plus {@code initial} into longs; as {@link IntKernels#prefixSum}:
   * every result must fit in a long (the engine checks before calling when it might not), else the
   * results wrap.
   */
  void prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, long initial);

  /**
   * {@code out[i] = (float) a[i]} into floats, rounded as Java's cast; as {@link
   * FloatKernels#toFloat(int[], int, float[], int, int)}.
   */
  void toFloat(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length);
}
