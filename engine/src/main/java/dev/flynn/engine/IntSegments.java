package dev.flynn.engine;

import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.IntSegmentKernels;
import dev.flynn.kernels.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The int kernels of {@link FlynnOps} over {@link MemorySegment}s: native memory, a memory-mapped
 * file ({@link MappedFile}) or a heap segment, of any length up to about 2^45 elements. Obtained
 * from {@link FlynnOps#intSegments()}; runs in that view's {@link Mode} on the engine's pool.
 *
 * <pre>{@code
 * try (Flynn flynn = Flynn.create(); MappedFile file = MappedFile.readOnly(path)) {
 *   long total = flynn.intSegments().sum(file.segment()); // exact, a file larger than the heap
 * }
 * }</pre>
 *
 * <h2>Layout</h2>
 *
 * Elements are {@link #LAYOUT}: little-endian two's-complement ints, packed, with no alignment
 * requirement. A range is {@code (segment, offset, length)} with the offset and length counted in
 * ints from the segment's start; the whole-segment forms take every int of a segment whose size is
 * a multiple of 4 bytes. {@code prefixSum} writes longs ({@link LongSegments#LAYOUT}). A heap
 * segment made by {@code MemorySegment.ofArray(int[])} holds ints in the platform's order, which is
 * little-endian on x86-64 and on AArch64.
 *
 * <h2>Semantics</h2>
 *
 * Every method computes what the array method of the same name in {@link FlynnOps} computes on the
 * same values, exactly: integer results do not depend on the mode, the split or the thread count.
 * {@code sum}, {@code dot} and {@code prefixSum} are exact longs; as a segment may hold more than
 * 2^32 ints, an exact {@code sum} or prefix sum that does not fit in a long (possible only past
 * 2^32 elements) throws {@link ArithmeticException}, as {@code dot} does when its exact value does
 * not fit. The check is on the exact result, never on a block's partial: block partials are kept in
 * 128 bits. {@code add}, {@code sub}, {@code mul}, {@code neg} and {@code abs} wrap as Java's
 * operators do; {@code toFloat} rounds as Java's cast. Every kernel runs directly on the segments,
 * one block of 16384 ints at a time, with the loops of the array kernels (see docs/segments.md).
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
 * IllegalArgumentException}. An elementwise output may be exactly an input (same memory, same
 * address); the long output of {@code prefixSum} may share no byte with its int input. A segment
 * confined to one thread is processed on the calling thread in every mode.
 *
 * <p>Instances are immutable and safe to share between threads; closing stays with the engine.
 */
public final class IntSegments {

  /** How elements are stored: a little-endian int at any byte address. */
  public static final ValueLayout.OfInt LAYOUT = IntSegmentKernels.INT_LE;

  /** Above this magnitude a carry may leave the long range within one block: checked scan. */
  private static final long SAFE_CARRY = 1L << 62;

  private final IntegerSegmentBlocks blocks;

  IntSegments(Workers workers, Mode mode) {
    this.blocks = new IntegerSegmentBlocks(workers, mode, LAYOUT, "int");
  }

  /** The mode these calls run in. */
  public Mode mode() {
    return blocks.mode();
  }

  // ---------------------------------------------------------------- reductions

  /** The exact sum of every int of {@code a}; see {@link FlynnOps#sum(int[])}. Empty gives 0. */
  public long sum(MemorySegment a) {
    return sum(a, 0, blocks.elements("a", a));
  }

  /**
   * The exact sum of {@code length} ints of {@code a} from {@code offset}.
   *
   * @throws ArithmeticException when the exact sum does not fit in a long (more than 2^32 ints)
   */
  public long sum(MemorySegment a, long offset, long length) {
    IntSegmentKernels k = segmentKernels();
    long[] sums =
        blocks.directPartials(a, offset, length, 1, (at, s, n, p, i) -> p[i] = k.sum(a, at, n));
    WideSum total = new WideSum();
    for (long blockSum : sums) {
      total.add(blockSum); // a block's sum is below 2^45
    }
    return total.exact();
  }

  /**
   * The exact dot product of two segments; see {@link FlynnOps#dot(int[], int[])}.
   *
   * @throws ArithmeticException when the exact value does not fit in a long
   */
  public long dot(MemorySegment a, MemorySegment b) {
    long n =
        SegmentCheck.sameLength("a", blocks.elements("a", a), "b", blocks.elements("b", b), "int");
    return dot(a, 0, b, 0, n);
  }

  /**
   * The exact dot product of two ranges of the same length; see {@link #dot(MemorySegment,
   * MemorySegment)}. A block whose own dot product does not fit in a long is summed in 128 bits, so
   * only the total decides, as in the array form.
   */
  public long dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long length) {
    blocks.range("a", a, aOffset, length);
    blocks.range("b", b, bOffset, length);
    IntSegmentKernels k = segmentKernels();
    long[] pairs =
        blocks.directPartials(
            a,
            aOffset,
            length,
            2,
            (at, s, n, p, i) -> {
              long bt = (bOffset + s) * Integer.BYTES;
              try {
                WideSum.store(k.dot(a, at, b, bt, n), p, i);
              } catch (ArithmeticException blockOverflow) {
                // Rare (products near 2^62): this block's exact sum, in 128 bits.
                WideSum block = new WideSum();
                for (int j = 0; j < n; j++) {
                  long bytes = (long) j * Integer.BYTES;
                  block.add((long) a.get(LAYOUT, at + bytes) * b.get(LAYOUT, bt + bytes));
                }
                block.store(p, i);
              }
            },
            b);
    return WideSum.ofPairs(pairs);
  }

  /** The least int of {@code a}; see {@link FlynnOps#min(int[])}. Empty throws. */
  public int min(MemorySegment a) {
    return min(a, 0, blocks.elements("a", a));
  }

  /** The least int of a range; see {@link #min(MemorySegment)}. */
  public int min(MemorySegment a, long offset, long length) {
    blocks.range("a", a, offset, length);
    IntegerSegmentBlocks.notEmpty("min", length);
    IntSegmentKernels k = segmentKernels();
    return (int)
        IntegerSegmentBlocks.least(
            blocks.directPartials(
                a, offset, length, 1, (at, s, n, p, i) -> p[i] = k.min(a, at, n)));
  }

  /** The greatest int of {@code a}; see {@link FlynnOps#max(int[])}. Empty throws. */
  public int max(MemorySegment a) {
    return max(a, 0, blocks.elements("a", a));
  }

  /** The greatest int of a range; see {@link #max(MemorySegment)}. */
  public int max(MemorySegment a, long offset, long length) {
    blocks.range("a", a, offset, length);
    IntegerSegmentBlocks.notEmpty("max", length);
    IntSegmentKernels k = segmentKernels();
    return (int)
        IntegerSegmentBlocks.greatest(
            blocks.directPartials(
                a, offset, length, 1, (at, s, n, p, i) -> p[i] = k.max(a, at, n)));
  }

  /**
   * The position of the least int of {@code a}, a {@code long}: the first on ties; see {@link
   * FlynnOps#argmin(int[])}. Empty throws.
   */
  public long argmin(MemorySegment a) {
    return argmin(a, 0, blocks.elements("a", a));
  }

  /** The position, counted from {@code offset}, of the least int of a range; the first on ties. */
  public long argmin(MemorySegment a, long offset, long length) {
    return position("argmin", a, offset, length, true);
  }

  /**
   * The position of the greatest int of {@code a}: the first on ties; see {@link
   * FlynnOps#argmax(int[])}. Empty throws.
   */
  public long argmax(MemorySegment a) {
    return argmax(a, 0, blocks.elements("a", a));
  }

  /** The position, counted from {@code offset}, of the greatest int of a range; first on ties. */
  public long argmax(MemorySegment a, long offset, long length) {
    return position("argmax", a, offset, length, false);
  }

  private long position(
      String operation, MemorySegment a, long offset, long length, boolean least) {
    blocks.range("a", a, offset, length);
    IntegerSegmentBlocks.notEmpty(operation, length);
    IntSegmentKernels k = segmentKernels();
    return blocks.extremePosition(
        a,
        offset,
        length,
        least,
        (at, n) -> least ? k.argmin(a, at, n) : k.argmax(a, at, n),
        at -> a.get(LAYOUT, at));
  }

  /**
   * How many ints {@code x} of {@code a} satisfy {@code cmp.test(x, threshold)}, compared as longs,
   * exact; see {@link FlynnOps#count(int[], Comparison, long)}.
   */
  public long count(MemorySegment a, Comparison cmp, long threshold) {
    return count(a, 0, blocks.elements("a", a), cmp, threshold);
  }

  /** The count over a range; see {@link #count(MemorySegment, Comparison, long)}. */
  public long count(MemorySegment a, long offset, long length, Comparison cmp, long threshold) {
    Check.notNull("cmp", cmp);
    IntSegmentKernels k = segmentKernels();
    return IntegerSegmentBlocks.total(
        blocks.directPartials(
            a, offset, length, 1, (at, s, n, p, i) -> p[i] = k.count(a, at, n, cmp, threshold)));
  }

  // ---------------------------------------------------------------- elementwise

  /** {@code out[i] = a[i] + b[i]}, wrapping; see {@link FlynnOps#add(int[], int[], int[])}. */
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

  /** {@code out[i] = a[i] - b[i]}, wrapping; see {@link FlynnOps#sub(int[], int[], int[])}. */
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

  /** {@code out[i] = a[i] * b[i]}, wrapping; see {@link FlynnOps#mul(int[], int[], int[])}. */
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

  /** {@code out[i] = -a[i]}, wrapping; see {@link FlynnOps#neg(int[], int[])}. */
  public void neg(MemorySegment a, MemorySegment out) {
    neg(a, 0, out, 0, blocks.sameLength("a", a, "out", out));
  }

  /** {@code out[outOffset + i] = -a[aOffset + i]} for {@code i < length}, wrapping. */
  public void neg(MemorySegment a, long aOffset, MemorySegment out, long outOffset, long length) {
    blocks.directMap(a, aOffset, out, outOffset, length, segmentKernels()::neg);
  }

  /** {@code out[i] = Math.abs(a[i])}; see {@link FlynnOps#abs(int[], int[])}. */
  public void abs(MemorySegment a, MemorySegment out) {
    abs(a, 0, out, 0, blocks.sameLength("a", a, "out", out));
  }

  /** {@code out[outOffset + i] = Math.abs(a[aOffset + i])} for {@code i < length}. */
  public void abs(MemorySegment a, long aOffset, MemorySegment out, long outOffset, long length) {
    blocks.directMap(a, aOffset, out, outOffset, length, segmentKernels()::abs);
  }

  /** {@code out[i] = Math.min(a[i], b[i])}; see {@link FlynnOps#minimum(int[], int[], int[])}. */
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

  /** {@code out[i] = Math.max(a[i], b[i])}; see {@link FlynnOps#maximum(int[], int[], int[])}. */
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
   * FlynnOps#clamp(int[], int, int, int[])}.
   */
  public void clamp(MemorySegment a, int lo, int hi, MemorySegment out) {
    clamp(a, 0, lo, hi, out, 0, blocks.sameLength("a", a, "out", out));
  }

  /** {@code out[outOffset + i] = Math.clamp(a[aOffset + i], lo, hi)} for {@code i < length}. */
  public void clamp(
      MemorySegment a,
      long aOffset,
      int lo,
      int hi,
      MemorySegment out,
      long outOffset,
      long length) {
    FlynnOps.checkBounds(lo, hi);
    IntSegmentKernels k = segmentKernels();
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
   * The inclusive prefix sum of the ints of {@code a} into the longs of {@code out} ({@link
   * LongSegments#LAYOUT}), exact; see {@link FlynnOps#prefixSum(int[], long[])}.
   */
  public void prefixSum(MemorySegment a, MemorySegment out) {
    long n =
        SegmentCheck.sameLength(
            "a",
            blocks.elements("a", a),
            "out",
            SegmentCheck.elements("out", out, Long.BYTES, "long"),
            "int");
    prefixSum(a, 0, out, 0, n);
  }

  /**
   * {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset + i]} for {@code i < length}: ints in,
   * longs out (offsets in elements of each), exact. Every prefix of fewer than 2^32 ints fits in a
   * long; past that, a prefix that does not fit throws {@link ArithmeticException} naming its
   * index, and {@code out} then holds unspecified values. The two segments may not share a byte.
   */
  public void prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, long length) {
    blocks.range("a", a, aOffset, length);
    SegmentCheck.range("out", out, outOffset, length, Long.BYTES, "long");
    SegmentCheck.writable("out", out);
    SegmentCheck.noOverlap(
        "a",
        a,
        aOffset * Integer.BYTES,
        length * Integer.BYTES,
        "out",
        out,
        outOffset * Long.BYTES,
        length * Long.BYTES);
    IntSegmentKernels k = segmentKernels();
    blocks.directPrefixSum(
        length,
        (at, s, n, p, i) -> WideSum.store(k.sum(a, at, n), p, i),
        (inAt, outAt, n, carry) -> scanBlock(k, a, inAt, out, outAt, n, carry),
        a,
        aOffset,
        out,
        outOffset);
  }

  // ---------------------------------------------------------------- conversion

  /**
   * {@code out[i] = (float) x[i]}, correctly rounded as Java's cast, into a segment of {@link
   * FloatSegments#LAYOUT} floats; see {@link FlynnOps#toFloat(int[], float[])}.
   */
  public void toFloat(MemorySegment x, MemorySegment out) {
    long n =
        SegmentCheck.sameLength(
            "x",
            blocks.elements("x", x),
            "out",
            SegmentCheck.elements("out", out, Float.BYTES, "float"),
            "int");
    toFloat(x, 0, out, 0, n);
  }

  /**
   * {@code out[outOffset + i] = (float) x[xOffset + i]} for {@code i < length}: ints in, floats out
   * (offsets in elements of each); the two may not share a byte.
   */
  public void toFloat(
      MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    blocks.range("x", x, xOffset, length);
    SegmentCheck.range("out", out, outOffset, length, Float.BYTES, "float");
    SegmentCheck.writable("out", out);
    SegmentCheck.noOverlap(
        "x",
        x,
        xOffset * Integer.BYTES,
        length * Integer.BYTES,
        "out",
        out,
        outOffset * Float.BYTES,
        length * Float.BYTES);
    IntSegmentKernels k = segmentKernels();
    blocks
        .runner()
        .forEachBlock(
            length,
            FlynnOps.AUTO_FORK_STREAM,
            (s, n) ->
                k.toFloat(x, (xOffset + s) * Integer.BYTES, out, (outOffset + s) * Float.BYTES, n),
            x,
            out);
  }

  /**
   * Scans the {@code n} ints from byte {@code inAt} of {@code in} from {@code carry} into the longs
   * from byte {@code outAt} of {@code out}, as a {@link IntegerSegmentBlocks.DirectScan}: the
   * kernel while no prefix of the block can leave the long range (|carry| at most 2^62, and a block
   * adds less than 2^45); else first a pass that checks every prefix without writing, returning 0
   * (the block untouched) at an overflow, then the kernel, whose wrapping additions are exact once
   * every result is known to fit.
   */
  static int scanBlock(
      IntSegmentKernels k,
      MemorySegment in,
      long inAt,
      MemorySegment out,
      long outAt,
      int n,
      long carry) {
    if (carry < -SAFE_CARRY || carry > SAFE_CARRY) {
      long s = carry;
      for (int i = 0; i < n; i++) {
        long x = in.get(LAYOUT, inAt + (long) i * Integer.BYTES);
        long next = s + x;
        if (((s ^ next) & (x ^ next)) < 0) {
          return 0;
        }
        s = next;
      }
    }
    k.prefixSum(in, inAt, out, outAt, n, carry);
    return n;
  }

  /** The direct int kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO. */
  private IntSegmentKernels segmentKernels() {
    return mode().vector() ? Kernels.vectorIntSegments() : Kernels.scalarIntSegments();
  }
}
