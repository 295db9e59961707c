package dev.flynn.engine;

import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.LongSegmentKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The long kernels of {@link FlynnOps} over {@link MemorySegment}s: native memory, a memory-mapped
 * file ({@link MappedFile}) or a heap segment, of any length up to about 2^45 elements. Obtained
 * from {@link FlynnOps#longSegments()}; runs in that view's {@link Mode} on the engine's pool.
 *
 * <pre>{@code
 * try (Flynn flynn = Flynn.create(); MappedFile file = MappedFile.readOnly(path)) {
 *   long total = flynn.longSegments().sum(file.segment()); // exact or ArithmeticException
 * }
 * }</pre>
 *
 * <h2>Layout</h2>
 *
 * Elements are {@link #LAYOUT}: little-endian two's-complement longs, packed, with no alignment
 * requirement. A range is {@code (segment, offset, length)} with the offset and length counted in
 * longs from the segment's start; the whole-segment forms take every long of a segment whose size
 * is a multiple of 8 bytes. A heap segment made by {@code MemorySegment.ofArray(long[])} holds
 * longs in the platform's order, which is little-endian on x86-64 and on AArch64.
 *
 * <h2>Semantics</h2>
 *
 * Every method computes what the array method of the same name in {@link FlynnOps} computes on the
 * same values, exactly: integer results do not depend on the mode, the split or the thread count.
 * {@code sum} and {@code prefixSum} are exact or nothing: {@link ArithmeticException} exactly when
 * the exact sum (for {@code prefixSum}: some prefix sum) does not fit in a long, never because of a
 * partial: a block's sum is kept in 128 bits when it does not fit, so a range whose blocks overflow
 * one way and then the other still returns its exact sum, as the array form does. {@code add},
 * {@code sub}, {@code mul}, {@code neg} and {@code abs} wrap as Java's operators do. Every kernel
 * runs directly on the segments, one block of 16384 longs at a time, with the loops of the array
 * kernels (see docs/segments.md).
 *
 * <h2>Arguments</h2>
 *
 * Checked before anything is written, as in {@link FloatSegments}: a null segment or comparison
 * throws {@link NullPointerException}; a segment whose arena is closed, {@link
 * IllegalStateException}; a confined segment used from another thread, {@link
 * WrongThreadException}; a range outside its segment, {@link IndexOutOfBoundsException} (the
 * message gives elements and bytes); a negative length, whole segments of different lengths, a
 * read-only output, an output that partially overlaps an input, {@code min}/{@code max}/{@code
 * argmin}/{@code argmax} of nothing or {@code lo > hi} for {@code clamp}, {@link
 * IllegalArgumentException}. An output may be exactly an input (same memory, same address). A
 * segment confined to one thread is processed on the calling thread in every mode.
 *
 * <p>Instances are immutable and safe to share between threads; closing stays with the engine.
 */
public final class LongSegments {

  /** How elements are stored: a little-endian long at any byte address. */
  public static final ValueLayout.OfLong LAYOUT = LongSegmentKernels.LONG_LE;

  private final IntegerSegmentBlocks blocks;

  LongSegments(Workers workers, Mode mode) {
    this.blocks = new IntegerSegmentBlocks(workers, mode, LAYOUT, "long");
  }

  /** The mode these calls run in. */
  public Mode mode() {
    return blocks.mode();
  }

  // ---------------------------------------------------------------- reductions

  /**
   * The exact sum of every long of {@code a}, or {@link ArithmeticException}; see {@link
   * FlynnOps#sum(long[])}. Empty gives 0.
   */
  public long sum(MemorySegment a) {
    return sum(a, 0, blocks.elements("a", a));
  }

  /**
   * The exact sum of {@code length} longs of {@code a} from {@code offset}.
   *
   * @throws ArithmeticException when the exact sum does not fit in a long, whatever the partials
   */
  public long sum(MemorySegment a, long offset, long length) {
    LongSegmentKernels k = segmentKernels();
    return WideSum.ofPairs(
        blocks.directPartials(
            a, offset, length, 2, (at, s, n, p, i) -> blockSum(k, a, at, n, p, i)));
  }

  /**
   * The exact sum of one block as a {@link WideSum} pair: the kernel's, or, when the block's own
   * sum does not fit in a long (elements near 2^63 / 16384; rare), a 128-bit loop.
   */
  private static void blockSum(
      LongSegmentKernels k, MemorySegment a, long at, int n, long[] out, int p) {
    try {
      WideSum.store(k.sum(a, at, n), out, p);
    } catch (ArithmeticException blockOverflow) {
      WideSum block = new WideSum();
      for (int i = 0; i < n; i++) {
        block.add(a.get(LAYOUT, at + (long) i * Long.BYTES));
      }
      block.store(out, p);
    }
  }

  /** The least long of {@code a}; see {@link FlynnOps#min(long[])}. Empty throws. */
  public long min(MemorySegment a) {
    return min(a, 0, blocks.elements("a", a));
  }

  /** The least long of a range; see {@link #min(MemorySegment)}. */
  public long min(MemorySegment a, long offset, long length) {
    blocks.range("a", a, offset, length);
    IntegerSegmentBlocks.notEmpty("min", length);
    LongSegmentKernels k = segmentKernels();
    return IntegerSegmentBlocks.least(
        blocks.directPartials(a, offset, length, 1, (at, s, n, p, i) -> p[i] = k.min(a, at, n)));
  }

  /** The greatest long of {@code a}; see {@link FlynnOps#max(long[])}. Empty throws. */
  public long max(MemorySegment a) {
    return max(a, 0, blocks.elements("a", a));
  }

  /** The greatest long of a range; see {@link #max(MemorySegment)}. */
  public long max(MemorySegment a, long offset, long length) {
    blocks.range("a", a, offset, length);
    IntegerSegmentBlocks.notEmpty("max", length);
    LongSegmentKernels k = segmentKernels();
    return IntegerSegmentBlocks.greatest(
        blocks.directPartials(a, offset, length, 1, (at, s, n, p, i) -> p[i] = k.max(a, at, n)));
  }

  /**
   * The position of the least long of {@code a}, a {@code long}: the first on ties; see {@link
   * FlynnOps#argmin(long[])}. Empty throws.
   */
  public long argmin(MemorySegment a) {
    return argmin(a, 0, blocks.elements("a", a));
  }

  /** The position, counted from {@code offset}, of the least long of a range; the first on ties. */
  public long argmin(MemorySegment a, long offset, long length) {
    return position("argmin", a, offset, length, true);
  }

  /**
   * The position of the greatest long of {@code a}: the first on ties; see {@link
   * FlynnOps#argmax(long[])}. Empty throws.
   */
  public long argmax(MemorySegment a) {
    return argmax(a, 0, blocks.elements("a", a));
  }

  /** The position, counted from {@code offset}, of the greatest long of a range; first on ties. */
  public long argmax(MemorySegment a, long offset, long length) {
    return position("argmax", a, offset, length, false);
  }

  private long position(
      String operation, MemorySegment a, long offset, long length, boolean least) {
    blocks.range("a", a, offset, length);
    IntegerSegmentBlocks.notEmpty(operation, length);
    LongSegmentKernels k = segmentKernels();
    return blocks.extremePosition(
        a,
        offset,
        length,
        least,
        (at, n) -> least ? k.argmin(a, at, n) : k.argmax(a, at, n),
        at -> a.get(LAYOUT, at));
  }

  /**
   * How many longs {@code x} of {@code a} satisfy {@code cmp.test(x, threshold)}, exact; see {@link
   * FlynnOps#count(long[], Comparison, long)}.
   */
  public long count(MemorySegment a, Comparison cmp, long threshold) {
    return count(a, 0, blocks.elements("a", a), cmp, threshold);
  }

  /** The count over a range; see {@link #count(MemorySegment, Comparison, long)}. */
  public long count(MemorySegment a, long offset, long length, Comparison cmp, long threshold) {
    Check.notNull("cmp", cmp);
    LongSegmentKernels k = segmentKernels();
    return IntegerSegmentBlocks.total(
        blocks.directPartials(
            a, offset, length, 1, (at, s, n, p, i) -> p[i] = k.count(a, at, n, cmp, threshold)));
  }

  // ---------------------------------------------------------------- elementwise

  /** {@code out[i] = a[i] + b[i]}, wrapping; see {@link FlynnOps#add(long[], long[], long[])}. */
  public void add(MemorySegment a, MemorySegment b, MemorySegment out) {
    add(a, 0, b, 0, out, 0, blocks.wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] + b[bOffset + i]} for {@code i < length}. */
  public void add(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    blocks.directBinary(a, aOffset, b, bOffset, out, outOffset, length, segmentKernels()::add);
  }

  /** {@code out[i] = a[i] - b[i]}, wrapping; see {@link FlynnOps#sub(long[], long[], long[])}. */
  public void sub(MemorySegment a, MemorySegment b, MemorySegment out) {
    sub(a, 0, b, 0, out, 0, blocks.wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] - b[bOffset + i]} for {@code i < length}. */
  public void sub(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    blocks.directBinary(a, aOffset, b, bOffset, out, outOffset, length, segmentKernels()::sub);
  }

  /** {@code out[i] = a[i] * b[i]}, wrapping; see {@link FlynnOps#mul(long[], long[], long[])}. */
  public void mul(MemorySegment a, MemorySegment b, MemorySegment out) {
    mul(a, 0, b, 0, out, 0, blocks.wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] * b[bOffset + i]} for {@code i < length}. */
  public void mul(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    blocks.directBinary(a, aOffset, b, bOffset, out, outOffset, length, segmentKernels()::mul);
  }

  /** {@code out[i] = -a[i]}, wrapping; see {@link FlynnOps#neg(long[], long[])}. */
  public void neg(MemorySegment a, MemorySegment out) {
    neg(a, 0, out, 0, blocks.sameLength("a", a, "out", out));
  }

  /** {@code out[outOffset + i] = -a[aOffset + i]} for {@code i < length}, wrapping. */
  public void neg(MemorySegment a, long aOffset, MemorySegment out, long outOffset, long length) {
    blocks.directMap(a, aOffset, out, outOffset, length, segmentKernels()::neg);
  }

  /** {@code out[i] = Math.abs(a[i])}; see {@link FlynnOps#abs(long[], long[])}. */
  public void abs(MemorySegment a, MemorySegment out) {
    abs(a, 0, out, 0, blocks.sameLength("a", a, "out", out));
  }

  /** {@code out[outOffset + i] = Math.abs(a[aOffset + i])} for {@code i < length}. */
  public void abs(MemorySegment a, long aOffset, MemorySegment out, long outOffset, long length) {
    blocks.directMap(a, aOffset, out, outOffset, length, segmentKernels()::abs);
  }

  /**
   * {@code out[i] = Math.min(a[i], b[i])}; see {@link FlynnOps#minimum(long[], long[], long[])}.
   */
  public void minimum(MemorySegment a, MemorySegment b, MemorySegment out) {
    minimum(a, 0, b, 0, out, 0, blocks.wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i])}. */
  public void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    blocks.directBinary(a, aOffset, b, bOffset, out, outOffset, length, segmentKernels()::minimum);
  }

  /**
   * {@code out[i] = Math.max(a[i], b[i])}; see {@link FlynnOps#maximum(long[], long[], long[])}.
   */
  public void maximum(MemorySegment a, MemorySegment b, MemorySegment out) {
    maximum(a, 0, b, 0, out, 0, blocks.wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i])}. */
  public void maximum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    blocks.directBinary(a, aOffset, b, bOffset, out, outOffset, length, segmentKernels()::maximum);
  }

  /**
   * {@code out[i] = Math.clamp(a[i], lo, hi)}; {@code lo > hi} throws; see {@link
   * FlynnOps#clamp(long[], long, long, long[])}.
   */
  public void clamp(MemorySegment a, long lo, long hi, MemorySegment out) {
    clamp(a, 0, lo, hi, out, 0, blocks.sameLength("a", a, "out", out));
  }

  /** {@code out[outOffset + i] = Math.clamp(a[aOffset + i], lo, hi)} for {@code i < length}. */
  public void clamp(
      MemorySegment a,
      long aOffset,
      long lo,
      long hi,
      MemorySegment out,
      long outOffset,
      long length) {
    FlynnOps.checkBounds(lo, hi);
    LongSegmentKernels k = segmentKernels();
    blocks.directMap(
        a,
        aOffset,
        out,
        outOffset,
        length,
        (x, xAt, o, oAt, n) -> k.clamp(x, xAt, lo, hi, o, oAt, n));
  }

  // ---------------------------------------------------------------- scan

  /**
   * The inclusive prefix sum, exact or {@link ArithmeticException}; see {@link
   * FlynnOps#prefixSum(long[], long[])}.
   */
  public void prefixSum(MemorySegment a, MemorySegment out) {
    prefixSum(a, 0, out, 0, blocks.sameLength("a", a, "out", out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset + i]} for {@code i < length}, exact:
   * when a prefix sum does not fit in a long, throws {@link ArithmeticException} naming its index
   * in the range, and {@code out} then holds unspecified values ({@code a} is untouched unless it
   * is {@code out}; in place, the block holding the overflow is left as it was). {@code out} may be
   * the same range as {@code a}. The pooled modes find an overflow at a block boundary before
   * anything is written, as the array form does.
   */
  public void prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, long length) {
    blocks.checkUnary("a", a, aOffset, "out", out, outOffset, length);
    LongSegmentKernels k = segmentKernels();
    blocks.directPrefixSum(
        length,
        (at, s, n, p, i) -> blockSum(k, a, at, n, p, i),
        (inAt, outAt, n, carry) -> k.prefixSum(a, inAt, out, outAt, n, carry),
        a,
        aOffset,
        out,
        outOffset);
  }

  /** The direct long kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO. */
  private LongSegmentKernels segmentKernels() {
    return mode().vector() ? Kernels.vectorLongSegments() : Kernels.scalarLongSegments();
  }
}
