package dev.flynn.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The direct long kernels over memory segments: the loops of {@link LongKernels} reading and
 * writing {@link MemorySegment}s (native memory, a memory-mapped file, or a heap segment) in place,
 * without staging through an array.
 *
 * <p>A range is {@code (segment, byteOffset, length)}: {@code length} longs starting {@code
 * byteOffset} bytes into the segment. Every element is read and written as {@link #LONG_LE}: a
 * little-endian two's-complement long with no alignment requirement (aligned data is faster). Block
 * lengths are {@code int}s; byte offsets are {@code long}s.
 *
 * <p>Each method computes exactly what the method of the same name in {@link LongKernels} computes
 * on the same values, with the same loops: integer results are exact, so the scalar and vector
 * forms, over segments and over arrays, all agree, and {@code sum} throws {@link
 * ArithmeticException} exactly when the array form does. One difference: {@code prefixSum} reports
 * an overflow by its return value instead of an exception, so that the engine, which knows where
 * the block lies in the caller's range, can name the index. Implementations never allocate (except
 * to build an overflow message), never start threads and trust their arguments: ranges, liveness,
 * read-only outputs and overlaps are checked once, by the engine.
 */
public interface LongSegmentKernels {

  /** How every element is stored: a little-endian long at any byte address. */
  ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /**
   * The exact sum; as {@link LongKernels#sum}.
   *
   * @throws ArithmeticException when the exact sum does not fit in a long
   */
  long sum(MemorySegment a, long aOffset, int length);

  /** The least element; as {@link LongKernels#min}. Needs {@code length >= 1}. */
  long min(MemorySegment a, long aOffset, int length);

  /** The greatest element; as {@link LongKernels#max}. Needs {@code length >= 1}. */
  long max(MemorySegment a, long aOffset, int length);

  /** The first index of the least element; as {@link LongKernels#argmin}. */
  int argmin(MemorySegment a, long aOffset, int length);

  /** The first index of the greatest element; as {@link LongKernels#argmax}. */
  int argmax(MemorySegment a, long aOffset, int length);

  /** How many elements pass the comparison; as {@link LongKernels#count}. */
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
      MemorySegment a,
      long aOffset,
      long lo,
      long hi,
      MemorySegment out,
      long outOffset,
      int length);

  /**
   * The inclusive prefix sum plus {@code initial}, checked as {@link LongKernels#prefixSum}:
   * returns {@code length} when every prefix sum fits in a long. Otherwise returns {@code w}: the
   * results before {@code w} are written (and exact), nothing from {@code w} on is, the inputs from
   * {@code w} on are untouched even in place, and the first prefix sum that does not fit has its
   * index at {@code w} or after it (within one vector). {@code out} may be the same range as {@code
   * a}.
   */
  int prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, long initial);
}
