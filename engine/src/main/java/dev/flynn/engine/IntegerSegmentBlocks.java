package dev.flynn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The block loops of the int and long segment views: the argument checks of a segment call, the
 * direct maps, and the reductions and scan whose partials are integers, each running a direct
 * segment kernel ({@code IntSegmentKernels}, {@code LongSegmentKernels}) on one block of the
 * segments in place. {@link IntSegments} and {@link LongSegments} are written on it, so the two
 * share one copy of the block loop, the checks and the exact carry logic; each only names its
 * kernels. (Until these kernels ran direct, this class also staged every block through a heap
 * buffer.)
 *
 * <p>Immutable and thread-safe, as the views that hold it.
 */
final class IntegerSegmentBlocks {

  /**
   * Scans elements {@code [start, start + n)} of a range from {@code carry}, the exact prefix sum
   * before {@code start}, writes the block's prefix sums to the output and returns the last one;
   * when one does not fit, throws {@link ArithmeticException} naming the index in the range of the
   * first prefix in the block that does not fit, leaving an input that is also the output as it was
   * (see {@link #directPrefixSum}).
   */
  @FunctionalInterface
  interface BlockScan {
    long run(long start, int n, long carry);
  }

  /**
   * A direct segment kernel of one input: reads {@code n} elements of {@code in} from byte {@code
   * inAt}, writes {@code n} elements of {@code out} from byte {@code outAt}.
   */
  @FunctionalInterface
  interface DirectMap {
    void run(MemorySegment in, long inAt, MemorySegment out, long outAt, int n);
  }

  /** A direct segment kernel of two inputs, as {@code IntSegmentKernels.add} takes them. */
  @FunctionalInterface
  interface DirectBinary {
    void run(
        MemorySegment a, long aAt, MemorySegment b, long bAt, MemorySegment out, long outAt, int n);
  }

  /**
   * A reduction's {@code width} integer partials of the block of {@code n} elements from byte
   * {@code at} of its segment, which starts at element {@code start} of the range, into {@code
   * out[p ..]}.
   */
  @FunctionalInterface
  interface DirectLeaf {
    void run(long at, long start, int n, long[] out, int p);
  }

  /**
   * A direct scan kernel on one block: the prefix sums of {@code n} elements from byte {@code inAt}
   * of the input, from {@code carry}, into the longs of the output from byte {@code outAt}. Returns
   * {@code n} when every prefix fits; otherwise {@code w}, as {@code LongSegmentKernels.prefixSum}:
   * results before {@code w} written, nothing from {@code w} on, the inputs from {@code w} on
   * untouched, and the first prefix that does not fit at or after {@code w}.
   */
  @FunctionalInterface
  interface DirectScan {
    int run(long inAt, long outAt, int n, long carry);
  }

  private static final int STREAM = FlynnOps.AUTO_FORK_STREAM;

  /**
   * A position kernel ({@code argmin}, {@code argmax}) on {@code n} elements from byte {@code at}:
   * the index among them of the first extreme.
   */
  @FunctionalInterface
  interface SpanPosition {
    int run(long at, int n);
  }

  /** The element at byte {@code at} of the searched segment, as a long. */
  @FunctionalInterface
  interface ValueAt {
    long get(long at);
  }

  /**
   * Elements one kernel call covers when a position search runs whole on the calling thread. The
   * kernels find the extreme, then search its 16 Ki chunk again for its first index: once per call,
   * so once per span here rather than once per block. (Block by block, that second pass made {@code
   * argmax} over a native segment 1.35x slower than over an array in L2.)
   */
  static final int SPAN = 1 << 24;

  private final SegmentRunner runner;
  private final ValueLayout layout;
  private final int bytes;
  private final String type;

  IntegerSegmentBlocks(Workers workers, Mode mode, ValueLayout layout, String type) {
    this.runner = new SegmentRunner(workers, mode);
    this.layout = layout;
    this.bytes = Math.toIntExact(layout.byteSize());
    this.type = type;
  }

  Mode mode() {
    return runner.mode();
  }

  SegmentRunner runner() {
    return runner;
  }

  // ---------------------------------------------------------------- checks

  /** The elements of a whole segment; see {@link SegmentCheck#elements}. */
  long elements(String name, MemorySegment segment) {
    return SegmentCheck.elements(name, segment, bytes, type);
  }

  /** The common length of two whole segments. */
  long sameLength(String inName, MemorySegment in, String outName, MemorySegment out) {
    return SegmentCheck.sameLength(
        inName, elements(inName, in), outName, elements(outName, out), type);
  }

  /** The common length of three whole segments. */
  long wholeLength(MemorySegment a, MemorySegment b, MemorySegment out) {
    long n = elements("a", a);
    SegmentCheck.sameLength("a", n, "b", elements("b", b), type);
    return SegmentCheck.sameLength("a", n, "out", elements("out", out), type);
  }

  void range(String name, MemorySegment segment, long offset, long length) {
    SegmentCheck.range(name, segment, offset, length, bytes, type);
  }

  /** An input range, an output range of this type, writable, equal to the input or apart. */
  void checkUnary(
      String inName,
      MemorySegment in,
      long inOffset,
      String outName,
      MemorySegment out,
      long outOffset,
      long length) {
    range(inName, in, inOffset, length);
    range(outName, out, outOffset, length);
    SegmentCheck.writable(outName, out);
    SegmentCheck.noPartialOverlap(inName, in, inOffset, outName, out, outOffset, length, bytes);
  }

  void checkBinary(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    range("a", a, aOffset, length);
    range("b", b, bOffset, length);
    range("out", out, outOffset, length);
    SegmentCheck.writable("out", out);
    SegmentCheck.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length, bytes);
    SegmentCheck.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length, bytes);
  }

  static void notEmpty(String operation, long length) {
    if (length == 0) {
      throw new IllegalArgumentException(
          operation + " of an empty range is undefined: a has length 0");
    }
  }

  // ---------------------------------------------------------------- direct maps

  /** Checks, then runs a unary direct kernel block by block on the segments in place. */
  void directMap(
      MemorySegment x,
      long xOffset,
      MemorySegment out,
      long outOffset,
      long length,
      DirectMap kernel) {
    checkUnary("a", x, xOffset, "out", out, outOffset, length);
    runner.forEachBlock(
        length,
        STREAM,
        (s, n) -> kernel.run(x, (xOffset + s) * bytes, out, (outOffset + s) * bytes, n),
        x,
        out);
  }

  /** Checks, then runs a binary direct kernel block by block on the segments in place. */
  void directBinary(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length,
      DirectBinary kernel) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    runner.forEachBlock(
        length,
        STREAM,
        (s, n) ->
            kernel.run(
                a,
                (aOffset + s) * bytes,
                b,
                (bOffset + s) * bytes,
                out,
                (outOffset + s) * bytes,
                n),
        a,
        b,
        out);
  }

  // ---------------------------------------------------------------- reductions

  /**
   * Checks the range, then every block's {@code width} partials read directly from the segment
   * (block {@code b}'s at {@code [b * width, (b + 1) * width)}). {@code others} are further
   * segments the leaf reads, for the runner's confinement rule.
   */
  long[] directPartials(
      MemorySegment a,
      long offset,
      long length,
      int width,
      DirectLeaf leaf,
      MemorySegment... others) {
    range("a", a, offset, length);
    MemorySegment[] segments = new MemorySegment[others.length + 1];
    segments[0] = a;
    System.arraycopy(others, 0, segments, 1, others.length);
    return runner.longPartials(
        length,
        STREAM,
        width,
        (s, n, out, at) -> leaf.run((offset + s) * bytes, s, n, out, at),
        segments);
  }

  /**
   * The position in a checked, non-empty range of its first extreme: over spans of {@link #SPAN}
   * elements when the call runs whole on this thread, otherwise over blocks (pooled, or in a call
   * view) with {@link #position(long[], boolean)}. Either way the first extreme, so the same
   * result.
   */
  long extremePosition(
      MemorySegment a,
      long offset,
      long length,
      boolean least,
      SpanPosition kernel,
      ValueAt valueAt) {
    if (!runner.whole(length, STREAM, a)) {
      return position(
          directPartials(
              a,
              offset,
              length,
              2,
              (at, s, n, p, i) -> {
                int best = kernel.run(at, n);
                p[i] = s + best;
                p[i + 1] = valueAt.get(at + (long) best * bytes);
              }),
          least);
    }
    runner.ensureOpen();
    long best = 0;
    long bestValue = 0;
    for (long s = 0; s < length; s += SPAN) {
      long at = (offset + s) * bytes;
      int i = kernel.run(at, (int) Math.min(SPAN, length - s));
      long value = valueAt.get(at + (long) i * bytes);
      if (s == 0 || (least ? value < bestValue : value > bestValue)) {
        best = s + i;
        bestValue = value;
      }
    }
    return best;
  }

  /** The least of partials of width 1. */
  static long least(long[] partials) {
    long min = partials[0];
    for (long p : partials) {
      min = Math.min(min, p);
    }
    return min;
  }

  /** The greatest of partials of width 1. */
  static long greatest(long[] partials) {
    long max = partials[0];
    for (long p : partials) {
      max = Math.max(max, p);
    }
    return max;
  }

  /** The sum of counts of width 1: below the length, so exact. */
  static long total(long[] partials) {
    long total = 0;
    for (long p : partials) {
      total += p;
    }
    return total;
  }

  /**
   * The position of the extreme among partials {@code (position, value)}: blocks in index order,
   * strict comparison, so the first block holding the extreme wins, as in the array form.
   */
  static long position(long[] partials, boolean least) {
    int best = 0;
    for (int at = 2; at < partials.length; at += 2) {
      long value = partials[at + 1];
      long bestValue = partials[best + 1];
      if (least ? value < bestValue : value > bestValue) {
        best = at;
      }
    }
    return partials[best];
  }

  // ---------------------------------------------------------------- scan

  /**
   * The inclusive prefix sum of a range of {@code length} elements into longs, exact or {@link
   * ArithmeticException} exactly when some prefix sum does not fit in a long, read and written in
   * place. On one thread the blocks run in order, each from the exact last prefix of the one
   * before. Pooled, as the array form: first every block's exact sum ({@code blockSum} reads it
   * from the segment and writes it as a {@link WideSum} pair), then their prefix sums, exact in 128
   * bits (a block's sum may not fit in a long while every prefix does), checked at each block
   * boundary before anything is written, then every block from its carry. A boundary that does not
   * fit is reported by scanning its block, which throws.
   *
   * <p>Each block is scanned by {@code scan} straight from {@code a} into the longs of {@code out}.
   * When it stops at an overflow, the exception names the first prefix that does not fit, found
   * from the last prefix written; the block's results before the stop are written (the output then
   * holds unspecified values, as documented), but an in-place scan ({@code out} is {@code a}) gets
   * the block's inputs back from them, so that no input of the failing block is lost.
   */
  void directPrefixSum(
      long length,
      DirectLeaf blockSum,
      DirectScan scan,
      MemorySegment a,
      long aOffset,
      MemorySegment out,
      long outOffset) {
    BlockScan blockScan =
        (s, n, carry) -> {
          long inAt = (aOffset + s) * bytes;
          long outAt = (outOffset + s) * Long.BYTES;
          int written = scan.run(inAt, outAt, n, carry);
          if (written < n) {
            long prefix =
                written == 0
                    ? carry
                    : out.get(LongSegments.LAYOUT, outAt + (written - 1L) * Long.BYTES);
            ArithmeticException overflow =
                prefixOverflow(
                    a, layout, inAt + (long) written * bytes, n - written, s + written, prefix);
            restoreInPlace(a, inAt, out, outAt, written, carry);
            throw overflow;
          }
          return out.get(LongSegments.LAYOUT, outAt + (n - 1L) * Long.BYTES);
        };
    prefixSum(
        length,
        (s, n, p, at) -> blockSum.run((aOffset + s) * bytes, s, n, p, at),
        blockScan,
        a,
        out);
  }

  private void prefixSum(
      long length,
      SegmentRunner.LongLeaf blockSum,
      BlockScan scan,
      MemorySegment a,
      MemorySegment out) {
    if (!runner.pooled(length, STREAM, a, out)) {
      long[] carry = {0};
      runner.forEachBlock(length, STREAM, (s, n) -> carry[0] = scan.run(s, n, carry[0]), a, out);
      return;
    }
    long[] sums = runner.longPartials(length, STREAM, 2, blockSum, a);
    int blocks = LongBlocks.count(length);
    long[] carries = new long[blocks];
    WideSum running = new WideSum();
    for (int b = 0; b < blocks; b++) {
      carries[b] = running.low(); // the exact prefix before block b: checked below
      running.add(sums[2 * b], sums[2 * b + 1]);
      if (!running.fits()) {
        scan.run(LongBlocks.start(b), LongBlocks.length(b, length), carries[b]); // throws
        throw new AssertionError("block " + b + " ends past the long range but scanned clean");
      }
    }
    runner.forEachBlock(
        length, STREAM, (s, n) -> scan.run(s, n, carries[(int) (s / Blocks.BLOCK)]), a, out);
  }

  /**
   * After a direct scan of longs stopped at an overflow: when the output is the input (the only
   * overlap the checks let through), rewrites the {@code written} inputs it replaced by their
   * prefix sums, each the difference of two exact prefixes, so that the block is as before. The
   * error path only.
   */
  private void restoreInPlace(
      MemorySegment a, long inAt, MemorySegment out, long outAt, int written, long carry) {
    if (written == 0
        || bytes != Long.BYTES
        || a.asSlice(inAt, 8L * written).asOverlappingSlice(out.asSlice(outAt, 8L)).isEmpty()) {
      return;
    }
    for (int i = written - 1; i >= 0; i--) {
      long before = i == 0 ? carry : out.get(LongSegments.LAYOUT, outAt + (i - 1L) * Long.BYTES);
      out.set(
          LongSegments.LAYOUT,
          outAt + (long) i * Long.BYTES,
          out.get(LongSegments.LAYOUT, outAt + (long) i * Long.BYTES) - before);
    }
  }

  /**
   * The exception for the first prefix sum of the {@code n} elements from byte {@code at} of {@code
   * values}, from {@code carry}, that does not fit in a long, named by its index in the range
   * ({@code start} is the first element's). The error path only.
   */
  static ArithmeticException prefixOverflow(
      MemorySegment values, ValueLayout layout, long at, int n, long start, long carry) {
    long bytes = layout.byteSize();
    long s = carry;
    for (int i = 0; i < n; i++) {
      long x =
          layout instanceof ValueLayout.OfInt ints
              ? values.get(ints, at + i * bytes)
              : values.get((ValueLayout.OfLong) layout, at + i * bytes);
      long next = s + x;
      if (((s ^ next) & (x ^ next)) < 0) {
        return overflowAt(start + i, s, x);
      }
      s = next;
    }
    throw new AssertionError("no prefix overflows in the block from " + start);
  }

  static ArithmeticException overflowAt(long index, long prefix, long x) {
    return new ArithmeticException(
        "long overflow: the prefix sum at index "
            + index
            + " of the range does not fit ("
            + prefix
            + " + "
            + x
            + ")");
  }
}
