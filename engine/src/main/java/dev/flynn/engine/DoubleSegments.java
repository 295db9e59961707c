package dev.flynn.engine;

import dev.flynn.engine.Blocks.DoubleReduction;
import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.DoubleSegmentKernels;
import dev.flynn.kernels.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.DoubleBinaryOperator;

/**
 * The double kernels of {@link FlynnOps} over {@link MemorySegment}s: native memory, a
 * memory-mapped file ({@link MappedFile}) or a heap segment, of any length up to about 2^45
 * elements. Obtained from {@link FlynnOps#doubleSegments()}; runs in that view's {@link Mode} on
 * the engine's pool.
 *
 * <pre>{@code
 * try (Flynn flynn = Flynn.create(); MappedFile file = MappedFile.readOnly(path)) {
 *   double total = flynn.doubleSegments().sum(file.segment()); // a file larger than the heap
 * }
 * }</pre>
 *
 * <h2>Layout</h2>
 *
 * Elements are {@link #LAYOUT}: little-endian IEEE 754 doubles, packed, with no alignment
 * requirement (8-byte alignment is faster, and 64-byte alignment fastest for the vector modes). A
 * range is {@code (segment, offset, length)} with the offset and length counted in doubles from the
 * segment's start; the whole-segment forms take every double of a segment whose size is a multiple
 * of 8 bytes. A heap segment made by {@code MemorySegment.ofArray(double[])} holds doubles in the
 * platform's order, which is little-endian on x86-64 and on AArch64 as used by Java.
 *
 * <h2>Semantics</h2>
 *
 * Every method computes what the array method of the same name in {@link FlynnOps} computes on the
 * same values, with the same accuracy (see there): the same blocks of 16384 elements and the same
 * combine tree, so a reduction over a segment returns the same bits as over an array holding the
 * same values, whatever the thread count. {@code sum}, {@code dot}, {@code min}, {@code max},
 * {@code add}, {@code sub}, {@code mul}, {@code div}, {@code scale}, {@code axpy} and {@code fma}
 * run directly on the segments (memory-bound: their speed is the memory's). {@code exp} is staged:
 * one block at a time is copied into a per-thread heap buffer, the array kernel runs there, and the
 * result is copied out (compute-bound: the copies are cheap beside the arithmetic).
 *
 * <h2>Arguments</h2>
 *
 * Checked before anything is written: a null segment throws {@link NullPointerException}; a segment
 * whose arena is closed, {@link IllegalStateException}; a confined segment used from another
 * thread, {@link WrongThreadException}; a range outside its segment, {@link
 * IndexOutOfBoundsException} (the message gives elements and bytes); a negative length, whole
 * segments of different lengths, a read-only output (a file mapped {@code READ_ONLY}, a segment
 * from {@code asReadOnly()}), or an output that partially overlaps an input, {@link
 * IllegalArgumentException}. An output may be exactly an input (same memory, same address). A
 * segment confined to one thread ({@code Arena.ofConfined()}) is processed on the calling thread in
 * every mode.
 *
 * <p>Instances are immutable and safe to share between threads; closing stays with the engine.
 */
public final class DoubleSegments {

  /** How elements are stored: a little-endian double at any byte address. */
  public static final ValueLayout.OfDouble LAYOUT = DoubleSegmentKernels.DOUBLE_LE;

  private static final int BYTES = Double.BYTES;
  private static final String TYPE = "double";

  private final SegmentRunner runner;

  DoubleSegments(Workers workers, Mode mode) {
    this.runner = new SegmentRunner(workers, mode);
  }

  /** The mode these calls run in. */
  public Mode mode() {
    return runner.mode();
  }

  // ---------------------------------------------------------------- reductions (direct)

  /** The sum of every double of {@code a}; see {@link FlynnOps#sum(double[])}. */
  public double sum(MemorySegment a) {
    return sum(a, 0, elements("a", a));
  }

  /** The sum of {@code length} doubles of {@code a} from {@code offset}; see {@link #sum}. */
  public double sum(MemorySegment a, long offset, long length) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    return reduce(DoubleReduction.SUM, a, offset, null, 0, length);
  }

  /** The dot product of two segments; see {@link FlynnOps#dot(double[], double[])}. */
  public double dot(MemorySegment a, MemorySegment b) {
    long n = SegmentCheck.sameLength("a", elements("a", a), "b", elements("b", b), TYPE);
    return dot(a, 0, b, 0, n);
  }

  /**
   * The dot product of two ranges of the same length; see {@link #dot(MemorySegment,
   * MemorySegment)}.
   */
  public double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long length) {
    SegmentCheck.range("a", a, aOffset, length, BYTES, TYPE);
    SegmentCheck.range("b", b, bOffset, length, BYTES, TYPE);
    return reduce(DoubleReduction.DOT, a, aOffset, b, bOffset, length);
  }

  /** The least double of {@code a}; see {@link FlynnOps#min(double[])}. Empty throws. */
  public double min(MemorySegment a) {
    return min(a, 0, elements("a", a));
  }

  /** The least double of a range; see {@link #min(MemorySegment)}. */
  public double min(MemorySegment a, long offset, long length) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    notEmpty("min", length);
    return reduce(DoubleReduction.MIN, a, offset, null, 0, length);
  }

  /** The greatest double of {@code a}; see {@link FlynnOps#max(double[])}. Empty throws. */
  public double max(MemorySegment a) {
    return max(a, 0, elements("a", a));
  }

  /** The greatest double of a range; see {@link #max(MemorySegment)}. */
  public double max(MemorySegment a, long offset, long length) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    notEmpty("max", length);
    return reduce(DoubleReduction.MAX, a, offset, null, 0, length);
  }

  private double reduce(
      DoubleReduction r,
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      long length) {
    DoubleSegmentKernels k = segmentKernels();
    long aBase = aOffset * BYTES;
    long bBase = bOffset * BYTES;
    LongBlocks.Leaf leaf =
        switch (r) {
          case SUM -> (s, n) -> k.sum(a, aBase + s * BYTES, n);
          case DOT -> (s, n) -> k.dot(a, aBase + s * BYTES, b, bBase + s * BYTES, n);
          case MIN -> (s, n) -> k.min(a, aBase + s * BYTES, n);
          case MAX -> (s, n) -> k.max(a, aBase + s * BYTES, n);
        };
    MemorySegment[] segments = b == null ? new MemorySegment[] {a} : new MemorySegment[] {a, b};
    return runner.reduce(length, FlynnOps.AUTO_FORK_STREAM, leaf, r::combine, segments);
  }

  // ---------------------------------------------------------------- elementwise (direct)

  /** {@code out[i] = a[i] + b[i]}; see {@link FlynnOps#add(double[], double[], double[])}. */
  public void add(MemorySegment a, MemorySegment b, MemorySegment out) {
    add(a, 0, b, 0, out, 0, wholeLength(a, b, out));
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
    binary(a, aOffset, b, bOffset, out, outOffset, length, DoubleSegmentKernels::add);
  }

  /** {@code out[i] = a[i] - b[i]}; see {@link FlynnOps#sub(double[], double[], double[])}. */
  public void sub(MemorySegment a, MemorySegment b, MemorySegment out) {
    sub(a, 0, b, 0, out, 0, wholeLength(a, b, out));
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
    binary(a, aOffset, b, bOffset, out, outOffset, length, DoubleSegmentKernels::sub);
  }

  /** {@code out[i] = a[i] * b[i]}; see {@link FlynnOps#mul(double[], double[], double[])}. */
  public void mul(MemorySegment a, MemorySegment b, MemorySegment out) {
    mul(a, 0, b, 0, out, 0, wholeLength(a, b, out));
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
    binary(a, aOffset, b, bOffset, out, outOffset, length, DoubleSegmentKernels::mul);
  }

  /** {@code out[i] = a[i] / b[i]}; see {@link FlynnOps#div(double[], double[], double[])}. */
  public void div(MemorySegment a, MemorySegment b, MemorySegment out) {
    div(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] / b[bOffset + i]} for {@code i < length}. */
  public void div(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    binary(a, aOffset, b, bOffset, out, outOffset, length, DoubleSegmentKernels::div);
  }

  /** {@code out[i] = alpha * x[i]}; see {@link FlynnOps#scale(double, double[], double[])}. */
  public void scale(double alpha, MemorySegment x, MemorySegment out) {
    scale(alpha, x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = alpha * x[xOffset + i]} for {@code i < length}. */
  public void scale(
      double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    checkUnary("x", x, xOffset, "out", out, outOffset, length);
    DoubleSegmentKernels k = segmentKernels();
    long xBase = xOffset * BYTES;
    long outBase = outOffset * BYTES;
    runner.forEachBlock(
        length,
        FlynnOps.AUTO_FORK_STREAM,
        (s, n) -> k.scale(alpha, x, xBase + s * BYTES, out, outBase + s * BYTES, n),
        x,
        out);
  }

  /** {@code y[i] = alpha * x[i] + y[i]}; see {@link FlynnOps#axpy(double, double[], double[])}. */
  public void axpy(double alpha, MemorySegment x, MemorySegment y) {
    axpy(alpha, x, 0, y, 0, sameLength("x", x, "y", y));
  }

  /** {@code y[yOffset + i] = alpha * x[xOffset + i] + y[yOffset + i]} for {@code i < length}. */
  public void axpy(
      double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, long length) {
    checkUnary("x", x, xOffset, "y", y, yOffset, length);
    DoubleSegmentKernels k = segmentKernels();
    long xBase = xOffset * BYTES;
    long yBase = yOffset * BYTES;
    runner.forEachBlock(
        length,
        FlynnOps.AUTO_FORK_STREAM,
        (s, n) -> k.axpy(alpha, x, xBase + s * BYTES, y, yBase + s * BYTES, n),
        x,
        y);
  }

  /**
   * {@code out[i] = a[i] * b[i] + c[i]}, one rounding; see {@link FlynnOps#fma(double[], double[],
   * double[], double[])}.
   */
  public void fma(MemorySegment a, MemorySegment b, MemorySegment c, MemorySegment out) {
    long n = wholeLength(a, b, out);
    SegmentCheck.sameLength("a", n, "c", elements("c", c), TYPE);
    fma(a, 0, b, 0, c, 0, out, 0, n);
  }

  /**
   * The fused multiply-add of three ranges into a fourth; see {@link #fma(MemorySegment,
   * MemorySegment, MemorySegment, MemorySegment)}.
   */
  public void fma(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment c,
      long cOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    SegmentCheck.range("c", c, cOffset, length, BYTES, TYPE);
    SegmentCheck.noPartialOverlap("c", c, cOffset, "out", out, outOffset, length, BYTES);
    DoubleSegmentKernels k = segmentKernels();
    long aBase = aOffset * BYTES;
    long bBase = bOffset * BYTES;
    long cBase = cOffset * BYTES;
    long outBase = outOffset * BYTES;
    runner.forEachBlock(
        length,
        FlynnOps.AUTO_FORK_STREAM,
        (s, n) -> {
          long at = s * BYTES;
          k.fma(a, aBase + at, b, bBase + at, c, cBase + at, out, outBase + at, n);
        },
        a,
        b,
        c,
        out);
  }

  // ---------------------------------------------------------------- elementwise (staged)

  /**
   * {@code out[i] = e^x[i]}, within 1 ulp; see {@link FlynnOps#exp(double[], double[])}. Staged.
   */
  public void exp(MemorySegment x, MemorySegment out) {
    exp(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = e^x[xOffset + i]} for {@code i < length}. Staged. */
  public void exp(MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    stagedMap(
        x,
        xOffset,
        out,
        outOffset,
        length,
        FlynnOps.AUTO_FORK_TRANSCENDENTAL,
        (k, in, o, n) -> k.exp(in, 0, o, 0, n));
  }

  // ---------------------------------------------------------------- the generic paths

  /** A direct binary segment kernel, as {@link DoubleSegmentKernels#add} takes its arguments. */
  @FunctionalInterface
  interface DirectBinary {
    void run(
        DoubleSegmentKernels k,
        MemorySegment a,
        long aByteOffset,
        MemorySegment b,
        long bByteOffset,
        MemorySegment out,
        long outByteOffset,
        int length);
  }

  /** An array kernel on one staged block: reads {@code in[0, n)}, writes {@code out[0, n)}. */
  @FunctionalInterface
  interface StagedMap {
    void run(DoubleKernels k, double[] in, double[] out, int n);
  }

  /** An array kernel on one staged block of two inputs: writes {@code out[0, n)}. */
  @FunctionalInterface
  interface StagedBinary {
    void run(DoubleKernels k, double[] a, double[] b, double[] out, int n);
  }

  /** An array reduction on one staged block: the block's partial. */
  @FunctionalInterface
  interface StagedLeaf {
    double run(DoubleKernels k, double[] a, int n);
  }

  /** Checks, then runs a direct binary kernel block by block. */
  void binary(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length,
      DirectBinary kernel) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleSegmentKernels k = segmentKernels();
    long aBase = aOffset * BYTES;
    long bBase = bOffset * BYTES;
    long outBase = outOffset * BYTES;
    runner.forEachBlock(
        length,
        FlynnOps.AUTO_FORK_STREAM,
        (s, n) -> {
          long at = s * BYTES;
          kernel.run(k, a, aBase + at, b, bBase + at, out, outBase + at, n);
        },
        a,
        b,
        out);
  }

  /**
   * Checks, then runs an array kernel over a segment one block at a time: copy the block of {@code
   * x} into this thread's buffer, run {@code kernel} there in place, copy the result to {@code
   * out}. The staged form of any unary map.
   */
  void stagedMap(
      MemorySegment x,
      long xOffset,
      MemorySegment out,
      long outOffset,
      long length,
      int autoForkThreshold,
      StagedMap kernel) {
    checkUnary("x", x, xOffset, "out", out, outOffset, length);
    DoubleKernels k = arrayKernels();
    long xBase = xOffset * BYTES;
    long outBase = outOffset * BYTES;
    runner.forEachBlock(
        length,
        autoForkThreshold,
        (s, n) -> {
          double[] buffer = SegmentRunner.staging().doubles(0);
          MemorySegment.copy(x, LAYOUT, xBase + s * BYTES, buffer, 0, n);
          kernel.run(k, buffer, buffer, n);
          MemorySegment.copy(buffer, 0, out, LAYOUT, outBase + s * BYTES, n);
        },
        x,
        out);
  }

  /** As {@link #stagedMap}, for a binary map: {@code out = kernel(a, b)}. */
  void stagedBinary(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length,
      int autoForkThreshold,
      StagedBinary kernel) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleKernels k = arrayKernels();
    long aBase = aOffset * BYTES;
    long bBase = bOffset * BYTES;
    long outBase = outOffset * BYTES;
    runner.forEachBlock(
        length,
        autoForkThreshold,
        (s, n) -> {
          SegmentRunner.StagingBuffers staging = SegmentRunner.staging();
          double[] bufferA = staging.doubles(0);
          double[] bufferB = staging.doubles(1);
          long at = s * BYTES;
          MemorySegment.copy(a, LAYOUT, aBase + at, bufferA, 0, n);
          MemorySegment.copy(b, LAYOUT, bBase + at, bufferB, 0, n);
          kernel.run(k, bufferA, bufferB, bufferA, n);
          MemorySegment.copy(bufferA, 0, out, LAYOUT, outBase + at, n);
        },
        a,
        b,
        out);
  }

  /**
   * Checks, then reduces a range by staging each block and running an array leaf on it; the
   * partials combine along the fixed tree with {@code combine}, which must be the array reduction's
   * combine for the bits to match.
   */
  double stagedReduce(
      MemorySegment a,
      long offset,
      long length,
      int autoForkThreshold,
      StagedLeaf leaf,
      DoubleBinaryOperator combine) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    DoubleKernels k = arrayKernels();
    long base = offset * BYTES;
    return runner.reduce(
        length,
        autoForkThreshold,
        (s, n) -> {
          double[] buffer = SegmentRunner.staging().doubles(0);
          MemorySegment.copy(a, LAYOUT, base + s * BYTES, buffer, 0, n);
          return leaf.run(k, buffer, n);
        },
        combine,
        a);
  }

  // ---------------------------------------------------------------- checks and kernels

  private static long elements(String name, MemorySegment segment) {
    return SegmentCheck.elements(name, segment, BYTES, TYPE);
  }

  private static long sameLength(
      String inName, MemorySegment in, String outName, MemorySegment out) {
    return SegmentCheck.sameLength(
        inName, elements(inName, in), outName, elements(outName, out), TYPE);
  }

  private static long wholeLength(MemorySegment a, MemorySegment b, MemorySegment out) {
    long n = elements("a", a);
    SegmentCheck.sameLength("a", n, "b", elements("b", b), TYPE);
    return SegmentCheck.sameLength("a", n, "out", elements("out", out), TYPE);
  }

  private static void checkBinary(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    SegmentCheck.range("a", a, aOffset, length, BYTES, TYPE);
    SegmentCheck.range("b", b, bOffset, length, BYTES, TYPE);
    SegmentCheck.range("out", out, outOffset, length, BYTES, TYPE);
    SegmentCheck.writable("out", out);
    SegmentCheck.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length, BYTES);
    SegmentCheck.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length, BYTES);
  }

  private static void checkUnary(
      String inName,
      MemorySegment in,
      long inOffset,
      String outName,
      MemorySegment out,
      long outOffset,
      long length) {
    SegmentCheck.range(inName, in, inOffset, length, BYTES, TYPE);
    SegmentCheck.range(outName, out, outOffset, length, BYTES, TYPE);
    SegmentCheck.writable(outName, out);
    SegmentCheck.noPartialOverlap(inName, in, inOffset, outName, out, outOffset, length, BYTES);
  }

  private static void notEmpty(String operation, long length) {
    if (length == 0) {
      throw new IllegalArgumentException(
          operation + " of an empty range is undefined: a has length 0");
    }
  }

  /** The direct kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO. */
  private DoubleSegmentKernels segmentKernels() {
    return mode().vector() ? Kernels.vectorDoubleSegments() : Kernels.scalarDoubleSegments();
  }

  /** The array kernels of this mode's class, for the staged path. */
  private DoubleKernels arrayKernels() {
    return mode().vector() ? Kernels.vectorDoubles() : Kernels.scalarDoubles();
  }
}
