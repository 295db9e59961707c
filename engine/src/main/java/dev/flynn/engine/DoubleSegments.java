package dev.flynn.engine;

import dev.flynn.engine.Blocks.DoubleReduction;
import dev.flynn.kernels.Blue;
import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.DoubleSegmentKernels;
import dev.flynn.kernels.EqualWidthBins;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.SimilarityKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
 * same values, whatever the thread count. The memory-bound kernels run directly on the segments
 * (their speed is the memory's): the arithmetic ({@code add} to {@code fma}), the maps ({@code
 * neg}, {@code abs}, {@code sqrt}, {@code relu}, {@code clamp}, {@code minimum}, {@code maximum},
 * {@code select}, {@code selectPairwise}, {@code toFloat}), the reductions ({@code sum}, {@code
 * dot}, {@code min}, {@code max}, {@code argmin}, {@code argmax}, {@code sumOfSquares}, {@code
 * norm2}, {@code mean}, the variances, {@code count}, {@code cosine}, {@code squaredDistance}) and
 * {@code prefixSum}. The others are staged: one block at a time is copied into a per-thread heap
 * buffer, the array kernel runs there, and the result is copied out (see docs/segments.md for which
 * and why; {@code gemm} and {@code gemv} copy whole operands).
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

  private static final int STREAM = FlynnOps.AUTO_FORK_STREAM;
  private static final int SLOW = FlynnOps.AUTO_FORK_TRANSCENDENTAL;

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

  // ---------------------------------------------------------------- maps

  /** {@code out[i] = -x[i]}, exact; see {@link FlynnOps#neg(double[], double[])}. Direct. */
  public void neg(MemorySegment x, MemorySegment out) {
    neg(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = -x[xOffset + i]} for {@code i < length}. Direct. */
  public void neg(MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    map(x, xOffset, out, outOffset, length, DoubleSegmentKernels::neg);
  }

  /** {@code out[i] = |x[i]|}, exact; see {@link FlynnOps#abs(double[], double[])}. Direct. */
  public void abs(MemorySegment x, MemorySegment out) {
    abs(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = |x[xOffset + i]|} for {@code i < length}. Direct. */
  public void abs(MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    map(x, xOffset, out, outOffset, length, DoubleSegmentKernels::abs);
  }

  /**
   * {@code out[i] = sqrt(x[i])}, correctly rounded; see {@link FlynnOps#sqrt(double[], double[])}.
   */
  public void sqrt(MemorySegment x, MemorySegment out) {
    sqrt(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /**
   * {@code out[outOffset + i] = sqrt(x[xOffset + i])} for {@code i < length}. Direct: a vector
   * square root keeps up with memory, so staging doubled its time (measured 2.3x the array form at
   * 16 Mi doubles, one thread).
   */
  public void sqrt(MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    map(x, xOffset, out, outOffset, length, DoubleSegmentKernels::sqrt);
  }

  /** {@code out[i] = ln x[i]}, within 1 ulp; see {@link FlynnOps#log(double[], double[])}. */
  public void log(MemorySegment x, MemorySegment out) {
    log(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = ln x[xOffset + i]} for {@code i < length}. Staged. */
  public void log(MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    stagedMap(x, xOffset, out, outOffset, length, SLOW, (k, in, o, n) -> k.log(in, 0, o, 0, n));
  }

  /** {@code out[i] = tanh x[i]}; accuracy of {@link FlynnOps#tanh(double[], double[])}. Staged. */
  public void tanh(MemorySegment x, MemorySegment out) {
    tanh(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = tanh x[xOffset + i]} for {@code i < length}. Staged. */
  public void tanh(MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    stagedMap(x, xOffset, out, outOffset, length, SLOW, (k, in, o, n) -> k.tanh(in, 0, o, 0, n));
  }

  /**
   * {@code out[i] = 1 / (1 + e^-x[i])}; accuracy of {@link FlynnOps#sigmoid(double[], double[])}.
   */
  public void sigmoid(MemorySegment x, MemorySegment out) {
    sigmoid(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = sigmoid(x[xOffset + i])} for {@code i < length}. Staged. */
  public void sigmoid(
      MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    stagedMap(x, xOffset, out, outOffset, length, SLOW, (k, in, o, n) -> k.sigmoid(in, 0, o, 0, n));
  }

  /** {@code out[i] = max(x[i], +0.0)}, exact; see {@link FlynnOps#relu(double[], double[])}. */
  public void relu(MemorySegment x, MemorySegment out) {
    relu(x, 0, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = relu(x[xOffset + i])} for {@code i < length}. Direct. */
  public void relu(MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    map(x, xOffset, out, outOffset, length, DoubleSegmentKernels::relu);
  }

  /**
   * {@code out[i] = min(max(x[i], lo), hi)}, exact; bounds checked as {@link
   * FlynnOps#clamp(double[], double, double, double[])}.
   */
  public void clamp(MemorySegment x, double lo, double hi, MemorySegment out) {
    clamp(x, 0, lo, hi, out, 0, sameLength("x", x, "out", out));
  }

  /** {@code out[outOffset + i] = clamp(x[xOffset + i], lo, hi)} for {@code i < length}. Direct. */
  public void clamp(
      MemorySegment x,
      long xOffset,
      double lo,
      double hi,
      MemorySegment out,
      long outOffset,
      long length) {
    FlynnOps.checkClampBounds(lo, hi);
    map(
        x,
        xOffset,
        out,
        outOffset,
        length,
        (k, in, at, o, oat, n) -> k.clamp(in, at, lo, hi, o, oat, n));
  }

  /**
   * {@code out[i] = Math.min(a[i], b[i])}; see {@link FlynnOps#minimum(double[], double[],
   * double[])}.
   */
  public void minimum(MemorySegment a, MemorySegment b, MemorySegment out) {
    minimum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i])}. Direct. */
  public void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    binary(a, aOffset, b, bOffset, out, outOffset, length, DoubleSegmentKernels::minimum);
  }

  /**
   * {@code out[i] = Math.max(a[i], b[i])}; see {@link FlynnOps#maximum(double[], double[],
   * double[])}.
   */
  public void maximum(MemorySegment a, MemorySegment b, MemorySegment out) {
    maximum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i])}. Direct. */
  public void maximum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    binary(a, aOffset, b, bOffset, out, outOffset, length, DoubleSegmentKernels::maximum);
  }

  /**
   * {@code out[i] = comparison.test(a[i], threshold) ? ifTrue[i] : ifFalse[i]}, exact; see {@link
   * FlynnOps#select(double[], Comparison, double, double[], double[], double[])}. Direct.
   */
  public void select(
      MemorySegment a,
      Comparison comparison,
      double threshold,
      MemorySegment ifTrue,
      MemorySegment ifFalse,
      MemorySegment out) {
    long n = wholeLength(a, ifTrue, out);
    SegmentCheck.sameLength("a", n, "ifFalse", elements("ifFalse", ifFalse), TYPE);
    select(a, 0, comparison, threshold, ifTrue, 0, ifFalse, 0, out, 0, n);
  }

  /** The select of ranges of the same length. Direct. */
  public void select(
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
      long length) {
    Check.notNull("comparison", comparison);
    checkSelect(
        a, aOffset, null, 0, ifTrue, ifTrueOffset, ifFalse, ifFalseOffset, out, outOffset, length);
    DoubleSegmentKernels k = segmentKernels();
    runner.forEachBlock(
        length,
        STREAM,
        (s, n) -> {
          long at = s * BYTES;
          k.select(
              a,
              aOffset * BYTES + at,
              comparison,
              threshold,
              ifTrue,
              ifTrueOffset * BYTES + at,
              ifFalse,
              ifFalseOffset * BYTES + at,
              out,
              outOffset * BYTES + at,
              n);
        },
        a,
        ifTrue,
        ifFalse,
        out);
  }

  /**
   * {@code out[i] = comparison.test(a[i], b[i]) ? ifTrue[i] : ifFalse[i]}, exact; see {@link
   * FlynnOps#selectPairwise(double[], Comparison, double[], double[], double[], double[])}. Direct.
   */
  public void selectPairwise(
      MemorySegment a,
      Comparison comparison,
      MemorySegment b,
      MemorySegment ifTrue,
      MemorySegment ifFalse,
      MemorySegment out) {
    long n = wholeLength(a, ifTrue, out);
    SegmentCheck.sameLength("a", n, "ifFalse", elements("ifFalse", ifFalse), TYPE);
    SegmentCheck.sameLength("a", n, "b", elements("b", b), TYPE);
    selectPairwise(a, 0, comparison, b, 0, ifTrue, 0, ifFalse, 0, out, 0, n);
  }

  /** The pairwise select of ranges of the same length. Direct. */
  public void selectPairwise(
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
      long length) {
    Check.notNull("comparison", comparison);
    checkSelect(
        a,
        aOffset,
        b,
        bOffset,
        ifTrue,
        ifTrueOffset,
        ifFalse,
        ifFalseOffset,
        out,
        outOffset,
        length);
    DoubleSegmentKernels k = segmentKernels();
    runner.forEachBlock(
        length,
        STREAM,
        (s, n) -> {
          long at = s * BYTES;
          k.selectPairwise(
              a,
              aOffset * BYTES + at,
              comparison,
              b,
              bOffset * BYTES + at,
              ifTrue,
              ifTrueOffset * BYTES + at,
              ifFalse,
              ifFalseOffset * BYTES + at,
              out,
              outOffset * BYTES + at,
              n);
        },
        a,
        b,
        ifTrue,
        ifFalse,
        out);
  }

  // ---------------------------------------------------------------- statistics (direct)

  /**
   * The position of the least double of {@code a}, a {@code long}: the first on ties, the first NaN
   * if any; see {@link FlynnOps#argmin(double[])}. Empty throws.
   */
  public long argmin(MemorySegment a) {
    return argmin(a, 0, elements("a", a));
  }

  /** The position, counted from {@code offset}, of the least double of a range. */
  public long argmin(MemorySegment a, long offset, long length) {
    return position("argmin", a, offset, length, true);
  }

  /**
   * The position of the greatest double of {@code a}: the first on ties, the first NaN if any; see
   * {@link FlynnOps#argmax(double[])}. Empty throws.
   */
  public long argmax(MemorySegment a) {
    return argmax(a, 0, elements("a", a));
  }

  /** The position, counted from {@code offset}, of the greatest double of a range. */
  public long argmax(MemorySegment a, long offset, long length) {
    return position("argmax", a, offset, length, false);
  }

  /** {@code sum a_i^2} in double, rounded once; see {@link FlynnOps#sumOfSquares(double[])}. */
  public double sumOfSquares(MemorySegment a) {
    return sumOfSquares(a, 0, elements("a", a));
  }

  /** The sum of squares of a range; see {@link #sumOfSquares(MemorySegment)}. */
  public double sumOfSquares(MemorySegment a, long offset, long length) {
    return squares(a, offset, length);
  }

  /** The Euclidean norm; see {@link FlynnOps#norm2(double[])}. Empty gives +0.0. */
  public double norm2(MemorySegment a) {
    return norm2(a, 0, elements("a", a));
  }

  /**
   * The Euclidean norm of a range, from the three scaled sums of squares of the array form (Blue's
   * algorithm: no overflow or underflow); see {@link #norm2(MemorySegment)}.
   */
  public double norm2(MemorySegment a, long offset, long length) {
    double[] s = directSums(a, offset, length, 3, DoubleSegmentKernels::scaledSumsOfSquares);
    return length == 0 ? 0.0 : Blue.norm(s[0], s[1], s[2]);
  }

  private double squares(MemorySegment a, long offset, long length) {
    DirectSums leaf = (k, in, at, n, out, o) -> out[o] = k.sumOfSquares(in, at, n);
    return directSums(a, offset, length, 1, leaf)[0];
  }

  /** The arithmetic mean; see {@link FlynnOps#mean(double[])}. Empty throws. */
  public double mean(MemorySegment a) {
    return mean(a, 0, elements("a", a));
  }

  /** The mean of a range; see {@link #mean(MemorySegment)}. */
  public double mean(MemorySegment a, long offset, long length) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    notEmpty("mean", length);
    return (reduce(DoubleReduction.SUM, a, offset, null, 0, length) / length);
  }

  /** The population variance; see {@link FlynnOps#variance(double[])}. Empty throws. */
  public double variance(MemorySegment a) {
    return variance(a, 0, elements("a", a));
  }

  /** The population variance of a range; see {@link #variance(MemorySegment)}. */
  public double variance(MemorySegment a, long offset, long length) {
    return (deviations("variance", a, offset, length, 1) / length);
  }

  /** The sample variance (n - 1); see {@link FlynnOps#sampleVariance(double[])}. */
  public double sampleVariance(MemorySegment a) {
    return sampleVariance(a, 0, elements("a", a));
  }

  /** The sample variance of a range; needs two elements. */
  public double sampleVariance(MemorySegment a, long offset, long length) {
    return (deviations("sampleVariance", a, offset, length, 2) / (length - 1));
  }

  /** The population standard deviation; see {@link FlynnOps#standardDeviation(double[])}. */
  public double standardDeviation(MemorySegment a) {
    return standardDeviation(a, 0, elements("a", a));
  }

  /** The population standard deviation of a range. */
  public double standardDeviation(MemorySegment a, long offset, long length) {
    return Math.sqrt(deviations("standardDeviation", a, offset, length, 1) / length);
  }

  /** {@code sum (a_i - m)^2} by the corrected two-pass algorithm of the array path. */
  private double deviations(
      String operation, MemorySegment a, long offset, long length, int least) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    atLeast(operation, length, least);
    double mean = reduce(DoubleReduction.SUM, a, offset, null, 0, length) / length;
    double[] s =
        directSums(
            a,
            offset,
            length,
            2,
            (k, in, at, n, out, o) -> k.centeredSums(in, at, n, mean, out, o));
    return SegmentRunner.centeredSumOfSquares(s[0], s[1], length);
  }

  /**
   * The number of doubles with {@code comparison.test(x, threshold)}, exact; see {@link
   * FlynnOps#count(double[], Comparison, double)}.
   */
  public long count(MemorySegment a, Comparison comparison, double threshold) {
    return count(a, 0, elements("a", a), comparison, threshold);
  }

  /** The count over a range. */
  public long count(
      MemorySegment a, long offset, long length, Comparison comparison, double threshold) {
    Check.notNull("comparison", comparison);
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    DoubleSegmentKernels k = segmentKernels();
    long base = offset * BYTES;
    return (long)
        runner.reduce(
            length,
            STREAM,
            (s, n) -> k.count(a, base + s * BYTES, n, comparison, threshold),
            Double::sum, // block counts below 2^14, totals below 2^53: exact
            a);
  }

  // ---------------------------------------------------------------- scan (direct), histogram
  // (staged)

  /**
   * The inclusive prefix sum; see {@link FlynnOps#prefixSum(double[], int, double[], int, int)}.
   */
  public void prefixSum(MemorySegment a, MemorySegment out) {
    prefixSum(a, 0, out, 0, sameLength("a", a, "out", out));
  }

  /**
   * The inclusive prefix sum of a range, the blocks and double carries of the array form: the same
   * bits as {@link FlynnOps#prefixSum(double[], int, double[], int, int)} on the same values.
   * {@code out} may be the same range as {@code a}. Direct.
   */
  public void prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, long length) {
    checkUnary("a", a, aOffset, "out", out, outOffset, length);
    DoubleSegmentKernels k = segmentKernels();
    long aBase = aOffset * BYTES;
    long outBase = outOffset * BYTES;
    double[] carries;
    if (runner.pooled(length, STREAM, a, out)) {
      carries =
          runner.partials(
              length,
              STREAM,
              1,
              (s, n, p, at) -> p[at] = k.prefixSumTotal(a, aBase + s * BYTES, n),
              a);
      double carry = 0;
      for (int b = 0; b < carries.length; b++) {
        double total = carries[b];
        carries[b] = carry;
        carry += total;
      }
    } else {
      carries = null; // one thread, blocks in order: each carry follows from the one before
    }
    double[] running = {0};
    runner.forEachBlock(
        length,
        STREAM,
        (s, n) -> {
          double carry = carries == null ? running[0] : carries[(int) (s / Blocks.BLOCK)];
          long at = s * BYTES;
          running[0] = carry + k.prefixSum(a, aBase + at, out, outBase + at, n, carry);
        },
        a,
        out);
  }

  /**
   * The histogram of {@code a} over {@code bins} equal-width bins of {@code [lo, hi)}, exact; see
   * {@link FlynnOps#histogram(double[], int, int, double, double, int)}.
   */
  public Histogram histogram(MemorySegment a, double lo, double hi, int bins) {
    return histogram(a, 0, elements("a", a), lo, hi, bins);
  }

  /** The histogram of a range. Staged. */
  public Histogram histogram(
      MemorySegment a, long offset, long length, double lo, double hi, int bins) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    EqualWidthBins rule = Histograms.rule(lo, hi, bins);
    return Histograms.result(rule, countBins(a, offset, length, rule));
  }

  /**
   * Adds the histogram of {@code a} to {@code counts}, one bin each; see {@link
   * FlynnOps#histogram(double[], int, int, double, double, long[])}.
   */
  public void histogram(MemorySegment a, double lo, double hi, long[] counts) {
    histogram(a, 0, elements("a", a), lo, hi, counts);
  }

  /** Adds the histogram of a range to {@code counts}. Staged. */
  public void histogram(
      MemorySegment a, long offset, long length, double lo, double hi, long[] counts) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    EqualWidthBins rule = Histograms.rule(lo, hi, Histograms.checkCounts(counts).length);
    Histograms.addBins(countBins(a, offset, length, rule), counts);
  }

  private long[] countBins(MemorySegment a, long offset, long length, EqualWidthBins rule) {
    DoubleKernels k = arrayKernels();
    long base = offset * BYTES;
    return runner.counts(
        length,
        STREAM,
        rule.bins() + 3,
        (s, n, counts) -> k.histogram(stage(0, a, base, s, n), 0, n, rule, counts),
        a);
  }

  // ---------------------------------------------------------------- similarity (direct)

  /** The cosine similarity; see {@link FlynnOps#cosine(double[], double[])}. Empty throws. */
  public double cosine(MemorySegment a, MemorySegment b) {
    long n = SegmentCheck.sameLength("a", elements("a", a), "b", elements("b", b), TYPE);
    return cosine(a, 0, b, 0, n);
  }

  /** The cosine of two ranges of the same length: the array form's blocks and terms. Direct. */
  public double cosine(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long length) {
    SegmentCheck.range("a", a, aOffset, length, BYTES, TYPE);
    SegmentCheck.range("b", b, bOffset, length, BYTES, TYPE);
    if (length == 0) {
      Similarity.notEmptyVectors("cosine", "length", 0);
    }
    DoubleSegmentKernels k = segmentKernels();
    long aBase = aOffset * BYTES;
    long bBase = bOffset * BYTES;
    if (length <= Blocks.BLOCK) {
      runner.ensureOpen();
      return k.cosine(
          a, aBase, b, bBase, (int) length); // one block: the one-call kernel, as arrays
    }
    int width = SimilarityKernels.COSINE_TERMS;
    double[] terms =
        runner.partials(
            length,
            STREAM,
            width,
            (s, n, t, at) -> k.cosineTerms(a, aBase + s * BYTES, b, bBase + s * BYTES, n, t, at),
            a,
            b);
    return Similarity.cosineOfBlocks(terms, terms.length / width);
  }

  /** The squared Euclidean distance; see {@link FlynnOps#squaredDistance(double[], double[])}. */
  public double squaredDistance(MemorySegment a, MemorySegment b) {
    long n = SegmentCheck.sameLength("a", elements("a", a), "b", elements("b", b), TYPE);
    return squaredDistance(a, 0, b, 0, n);
  }

  /** The squared distance of two ranges: the array form's blocks and tree. Direct. */
  public double squaredDistance(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, long length) {
    SegmentCheck.range("a", a, aOffset, length, BYTES, TYPE);
    SegmentCheck.range("b", b, bOffset, length, BYTES, TYPE);
    DoubleSegmentKernels k = segmentKernels();
    long aBase = aOffset * BYTES;
    long bBase = bOffset * BYTES;
    return runner.reduce(
        length,
        STREAM,
        (s, n) -> k.squaredDistance(a, aBase + s * BYTES, b, bBase + s * BYTES, n),
        DoubleReduction.SUM::combine,
        a,
        b);
  }

  // ---------------------------------------------------------------- scores (staged row panels)

  /**
   * {@code scores[r] = dot(query, row r)} for the {@code rows} rows of a row-major {@code matrix}
   * segment of {@code rows * dim} doubles; see {@link FlynnOps#dotScores(double[], double[], int,
   * int, double[])}: each score from its row alone, the same bits as the array form.
   */
  public void dotScores(
      MemorySegment query, MemorySegment matrix, long rows, int dim, MemorySegment scores) {
    wholeScores("dotScores", query, matrix, rows, dim, scores);
    dotScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The dot scores of rows {@code matrix[matrixOffset + r * rowStride .. + dim)}, {@code r < rows},
   * into {@code scores[scoresOffset .. + rows)}; the scores may not overlap what is read. Staged:
   * panels of rows (about one block of doubles each) are copied to the heap and scored there.
   */
  public void dotScores(
      MemorySegment query,
      long queryOffset,
      MemorySegment matrix,
      long matrixOffset,
      long rows,
      int dim,
      long rowStride,
      MemorySegment scores,
      long scoresOffset) {
    stagedScores(
        "dotScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset,
        (k, q, m, c, d, s) -> k.dotScores(q, 0, m, 0, c, d, d, s, 0));
  }

  /**
   * {@code scores[r] = cosine(query, row r)}; see {@link FlynnOps#cosineScores(double[], double[],
   * int, int, double[])}. {@code dim} 0 throws.
   */
  public void cosineScores(
      MemorySegment query, MemorySegment matrix, long rows, int dim, MemorySegment scores) {
    wholeScores("cosineScores", query, matrix, rows, dim, scores);
    cosineScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The cosine scores of strided rows; see {@link #dotScores(MemorySegment, long, MemorySegment,
   * long, long, int, long, MemorySegment, long)}.
   */
  public void cosineScores(
      MemorySegment query,
      long queryOffset,
      MemorySegment matrix,
      long matrixOffset,
      long rows,
      int dim,
      long rowStride,
      MemorySegment scores,
      long scoresOffset) {
    Similarity.notEmptyVectors("cosineScores", "dim", dim);
    stagedScores(
        "cosineScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset,
        (k, q, m, c, d, s) -> k.cosineScores(q, 0, m, 0, c, d, d, s, 0));
  }

  /**
   * {@code scores[r] = squaredDistance(query, row r)}; see {@link
   * FlynnOps#squaredDistanceScores(double[], double[], int, int, double[])}.
   */
  public void squaredDistanceScores(
      MemorySegment query, MemorySegment matrix, long rows, int dim, MemorySegment scores) {
    wholeScores("squaredDistanceScores", query, matrix, rows, dim, scores);
    squaredDistanceScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /** The squared-distance scores of strided rows. Staged. */
  public void squaredDistanceScores(
      MemorySegment query,
      long queryOffset,
      MemorySegment matrix,
      long matrixOffset,
      long rows,
      int dim,
      long rowStride,
      MemorySegment scores,
      long scoresOffset) {
    stagedScores(
        "squaredDistanceScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset,
        (k, q, m, c, d, s) -> k.squaredDistanceScores(q, 0, m, 0, c, d, d, s, 0));
  }

  // ---------------------------------------------------------------- conversion (direct)

  /**
   * {@code out[i] = (float) x[i]}, rounded to nearest even, into a segment of {@link
   * FloatSegments#LAYOUT} floats; see {@link FlynnOps#toFloat(double[], float[])}.
   */
  public void toFloat(MemorySegment x, MemorySegment out) {
    long outLength = SegmentCheck.elements("out", out, Float.BYTES, "float");
    toFloat(x, 0, out, 0, SegmentCheck.sameLength("x", elements("x", x), "out", outLength, TYPE));
  }

  /**
   * {@code out[outOffset + i] = (float) x[xOffset + i]} for {@code i < length}: doubles in, floats
   * out (offsets in elements of each); the two may not share a byte. Direct.
   */
  public void toFloat(
      MemorySegment x, long xOffset, MemorySegment out, long outOffset, long length) {
    int outBytes = Float.BYTES;
    SegmentCheck.range("x", x, xOffset, length, BYTES, TYPE);
    SegmentCheck.range("out", out, outOffset, length, outBytes, "float");
    SegmentCheck.writable("out", out);
    SegmentCheck.noOverlap(
        "x",
        x,
        xOffset * BYTES,
        length * BYTES,
        "out",
        out,
        outOffset * outBytes,
        length * outBytes);
    DoubleSegmentKernels k = segmentKernels();
    runner.forEachBlock(
        length,
        STREAM,
        (s, n) -> k.toFloat(x, (xOffset + s) * BYTES, out, (outOffset + s) * outBytes, n),
        x,
        out);
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

  /** A direct unary segment kernel, as {@link DoubleSegmentKernels#neg} takes its arguments. */
  @FunctionalInterface
  interface DirectUnary {
    void run(
        DoubleSegmentKernels k,
        MemorySegment x,
        long xByteOffset,
        MemorySegment out,
        long outByteOffset,
        int length);
  }

  /** An array kernel on one staged block: reads {@code in[0, n)}, writes {@code out[0, n)}. */
  @FunctionalInterface
  interface StagedMap {
    void run(DoubleKernels k, double[] in, double[] out, int n);
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

  /** Checks, then runs a direct unary kernel block by block. */
  void map(
      MemorySegment x,
      long xOffset,
      MemorySegment out,
      long outOffset,
      long length,
      DirectUnary kernel) {
    checkUnary("x", x, xOffset, "out", out, outOffset, length);
    DoubleSegmentKernels k = segmentKernels();
    long xBase = xOffset * BYTES;
    long outBase = outOffset * BYTES;
    runner.forEachBlock(
        length,
        STREAM,
        (s, n) -> kernel.run(k, x, xBase + s * BYTES, out, outBase + s * BYTES, n),
        x,
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

  /** A direct kernel writing a block's {@code width} partials at {@code out[at ..]}. */
  @FunctionalInterface
  interface DirectSums {
    void run(
        DoubleSegmentKernels k, MemorySegment a, long aByteOffset, int n, double[] out, int at);
  }

  /** A score kernel on one staged panel: {@code count} packed rows of {@code dim}. */
  @FunctionalInterface
  interface StagedRows {
    void run(
        SimilarityKernels k, double[] query, double[] rows, int count, int dim, double[] scores);
  }

  /** Copies elements {@code [start, start + n)} of a range at byte {@code base} to a buffer. */
  private static double[] stage(int slot, MemorySegment from, long base, long start, int n) {
    double[] buffer = SegmentRunner.staging().doubles(slot);
    MemorySegment.copy(from, LAYOUT, base + start * BYTES, buffer, 0, n);
    return buffer;
  }

  /** The checks of a select ({@code b} null) or pairwise select, in the order they were staged. */
  private static void checkSelect(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      long length) {
    checkUnary("a", a, aOffset, "out", out, outOffset, length);
    if (b != null) {
      checkUnary("b", b, bOffset, "out", out, outOffset, length);
    }
    checkUnary("ifTrue", ifTrue, ifTrueOffset, "out", out, outOffset, length);
    checkUnary("ifFalse", ifFalse, ifFalseOffset, "out", out, outOffset, length);
  }

  /** Checks, then the {@code width} sums of a range, each block's from the direct kernel. */
  private double[] directSums(
      MemorySegment a, long offset, long length, int width, DirectSums leaf) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    DoubleSegmentKernels k = segmentKernels();
    long base = offset * BYTES;
    return runner.sums(
        length, STREAM, width, (s, n, out, at) -> leaf.run(k, a, base + s * BYTES, n, out, at), a);
  }

  /**
   * argmin ({@code least}) or argmax of a range: each block's position from the direct kernel, then
   * pairs along the fixed tree as the array form (positions below 2^53 travel exactly as doubles).
   */
  private long position(
      String operation, MemorySegment a, long offset, long length, boolean least) {
    SegmentCheck.range("a", a, offset, length, BYTES, TYPE);
    notEmpty(operation, length);
    DoubleSegmentKernels k = segmentKernels();
    long base = offset * BYTES;
    return (long)
        runner.reduce(
            length,
            STREAM,
            (s, n) -> {
              long at = base + s * BYTES;
              return s + (least ? k.argmin(a, at, n) : k.argmax(a, at, n));
            },
            (left, right) -> choose(a, base, (long) left, (long) right, least),
            a);
  }

  /** As {@link Partials#lesser} / {@link Partials#greater}, reading the segment. */
  private static long choose(MemorySegment a, long base, long left, long right, boolean least) {
    double l = a.get(LAYOUT, base + left * BYTES);
    double r = a.get(LAYOUT, base + right * BYTES);
    if (l != l) {
      return left;
    }
    int order = Double.compare(r, l);
    return r != r || (least ? order < 0 : order > 0) ? right : left;
  }

  private static void wholeScores(
      String kernel,
      MemorySegment query,
      MemorySegment matrix,
      long rows,
      int dim,
      MemorySegment scores) {
    scoreCounts(kernel, rows, dim);
    long q = elements("query", query);
    long m = elements("matrix", matrix);
    long s = elements("scores", scores);
    if (q != dim) {
      throw new IllegalArgumentException(
          kernel + ": query holds " + q + " " + TYPE + "s but dim=" + dim);
    }
    if (Math.multiplyHigh(rows, dim) != 0 || rows * dim != m) {
      throw new IllegalArgumentException(
          kernel + ": matrix holds " + m + " " + TYPE + "s but rows * dim = " + rows + " * " + dim);
    }
    if (s != rows) {
      throw new IllegalArgumentException(
          kernel + ": scores holds " + s + " " + TYPE + "s but rows=" + rows);
    }
  }

  private static void scoreCounts(String kernel, long rows, int dim) {
    if (rows < 0) {
      throw new IllegalArgumentException(kernel + ": rows is negative: " + rows);
    }
    if (dim < 0) {
      throw new IllegalArgumentException(kernel + ": dim is negative: " + dim);
    }
  }

  /**
   * Checks, then scores the rows panel by panel: the query is copied to the heap once, each panel
   * of rows (about a block of doubles, at least one row) packed into this thread's buffer, scored
   * there by the array kernel, and its scores copied out. Each score depends on its row alone, so
   * any panels give the array form's bits.
   */
  private void stagedScores(
      String kernel,
      MemorySegment query,
      long queryOffset,
      MemorySegment matrix,
      long matrixOffset,
      long rows,
      int dim,
      long rowStride,
      MemorySegment scores,
      long scoresOffset,
      StagedRows scorer) {
    scoreCounts(kernel, rows, dim);
    if (rowStride < dim) {
      throw new IllegalArgumentException(
          kernel + ": rowStride=" + rowStride + " is less than dim=" + dim);
    }
    SegmentCheck.range("query", query, queryOffset, dim, BYTES, TYPE);
    long span = rows == 0 ? 0 : Math.addExact(Math.multiplyExact(rows - 1, rowStride), dim);
    SegmentCheck.range("matrix", matrix, matrixOffset, span, BYTES, TYPE);
    SegmentCheck.range("scores", scores, scoresOffset, rows, BYTES, TYPE);
    SegmentCheck.writable("scores", scores);
    long scoresAt = scoresOffset * BYTES;
    SegmentCheck.noOverlap(
        "query",
        query,
        queryOffset * BYTES,
        (long) dim * BYTES,
        "scores",
        scores,
        scoresAt,
        rows * BYTES);
    SegmentCheck.noOverlap(
        "matrix",
        matrix,
        matrixOffset * BYTES,
        span * BYTES,
        "scores",
        scores,
        scoresAt,
        rows * BYTES);
    double[] q = new double[dim];
    MemorySegment.copy(query, LAYOUT, queryOffset * BYTES, q, 0, dim);
    SimilarityKernels k = similarityKernels();
    int panel = Math.max(1, Blocks.BLOCK / Math.max(dim, 1));
    long panels = (rows + panel - 1) / panel;
    runner.forEachPart(
        panels,
        rows * Math.max(dim, 1), // at most the matrix span: no overflow
        STREAM,
        p -> {
          long first = p * panel;
          int count = (int) Math.min(panel, rows - first);
          SegmentRunner.StagingBuffers staging = SegmentRunner.staging();
          double[] packed = staging.doubles(0, count * dim);
          double[] out = staging.doubles(1);
          long at = (matrixOffset + first * rowStride) * BYTES;
          if (rowStride == dim) {
            MemorySegment.copy(matrix, LAYOUT, at, packed, 0, count * dim);
          } else {
            for (int r = 0; r < count; r++) {
              MemorySegment.copy(matrix, LAYOUT, at + r * rowStride * BYTES, packed, r * dim, dim);
            }
          }
          scorer.run(k, q, packed, count, dim, out);
          MemorySegment.copy(out, 0, scores, LAYOUT, scoresAt + first * BYTES, count);
        },
        query,
        matrix,
        scores);
  }

  private static void atLeast(String operation, long length, int least) {
    if (least == 1) {
      notEmpty(operation, length);
    } else if (length < least) {
      throw new IllegalArgumentException(
          operation + " needs at least " + least + " elements: a has length " + length);
    }
  }

  /** The similarity kernels of this mode's class. */
  private SimilarityKernels similarityKernels() {
    return mode().vector() ? Kernels.vectorSimilarity() : Kernels.scalarSimilarity();
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

  // ---------------------------------------------------------------- matrices (staged whole)

  /**
   * {@code C = alpha * A * B + beta * C} over segments holding row-major {@code A} ({@code m x k}),
   * {@code B} ({@code k x n}) and {@code C} ({@code m x n}) without gaps; see {@link #gemm(boolean,
   * boolean, int, int, int, double, MemorySegment, long, int, MemorySegment, long, int, double,
   * MemorySegment, long, int)}.
   */
  public void gemm(
      int m,
      int n,
      int k,
      double alpha,
      MemorySegment a,
      MemorySegment b,
      double beta,
      MemorySegment c) {
    wholeMatrix("a", a, "m * k", m, k);
    wholeMatrix("b", b, "k * n", k, n);
    wholeMatrix("c", c, "m * n", m, n);
    gemm(
        false,
        false,
        m,
        n,
        k,
        alpha,
        a,
        0,
        Math.max(1, k),
        b,
        0,
        Math.max(1, n),
        beta,
        c,
        0,
        Math.max(1, n));
  }

  /**
   * Matrix multiply over segments, as {@link FlynnOps#gemm(boolean, boolean, int, int, int, double,
   * double[], int, int, double[], int, int, double, double[], int, int)} with offsets in elements:
   * same rules, same accuracy and the same bits. Staged whole: the rows of {@code A}, {@code B} and
   * {@code C} the product touches are copied into heap arrays without gaps ({@code O(mk + kn + mn)}
   * copies against {@code O(mnk)} work, so the copies cost little beside the product), the array
   * gemm runs there, and {@code C} is copied back. Each operand must therefore hold fewer than 2^31
   * elements, and {@code C} may not share memory with {@code A} or {@code B}.
   */
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      MemorySegment a,
      long aOffset,
      int lda,
      MemorySegment b,
      long bOffset,
      int ldb,
      double beta,
      MemorySegment c,
      long cOffset,
      int ldc) {
    Operand opA = operand("a", a, aOffset, transA ? k : m, transA ? m : k, "lda", lda);
    Operand opB = operand("b", b, bOffset, transB ? n : k, transB ? k : n, "ldb", ldb);
    Operand opC = operand("c", c, cOffset, m, n, "ldc", ldc);
    SegmentCheck.writable("c", c);
    opC.noOverlapWith(opA);
    opC.noOverlapWith(opB);
    double[] cs = opC.gather();
    matrixOps()
        .gemm(
            transA,
            transB,
            m,
            n,
            k,
            alpha,
            opA.gather(),
            0,
            opA.ldPacked(),
            opB.gather(),
            0,
            opB.ldPacked(),
            beta,
            cs,
            0,
            opC.ldPacked());
    opC.scatter(cs);
  }

  /**
   * {@code y = alpha * A * x + beta * y} over segments, {@code A} row-major {@code m x n} without
   * gaps; see {@link #gemv(boolean, int, int, double, MemorySegment, long, int, MemorySegment,
   * long, float, MemorySegment, long)}.
   */
  public void gemv(
      int m, int n, double alpha, MemorySegment a, MemorySegment x, double beta, MemorySegment y) {
    wholeMatrix("a", a, "m * n", m, n);
    wholeMatrix("x", x, "n", n, 1);
    wholeMatrix("y", y, "m", m, 1);
    gemv(false, m, n, alpha, a, 0, Math.max(1, n), x, 0, beta, y, 0);
  }

  /**
   * Matrix-vector multiply over segments, as {@link FlynnOps#gemv(boolean, int, int, double,
   * double[], int, int, double[], int, double, double[], int)} with offsets in elements: same
   * rules, same accuracy and the same bits. Staged whole like {@link #gemm(boolean, boolean, int,
   * int, int, double, MemorySegment, long, int, MemorySegment, long, int, double, MemorySegment,
   * long, int)}: a gemv reads each element of {@code A} once, so here the copy of {@code A} costs
   * about as much as the product (an array gemv is about twice as fast); {@code y} may not share
   * memory with {@code A} or {@code x}.
   */
  public void gemv(
      boolean transA,
      int m,
      int n,
      double alpha,
      MemorySegment a,
      long aOffset,
      int lda,
      MemorySegment x,
      long xOffset,
      double beta,
      MemorySegment y,
      long yOffset) {
    Operand opA = operand("a", a, aOffset, m, n, "lda", lda);
    Operand opX = operand("x", x, xOffset, 1, transA ? m : n, "x's length", transA ? m : n);
    Operand opY = operand("y", y, yOffset, 1, transA ? n : m, "y's length", transA ? n : m);
    SegmentCheck.writable("y", y);
    opY.noOverlapWith(opA);
    opY.noOverlapWith(opX);
    double[] ys = opY.gather();
    matrixOps()
        .gemv(transA, m, n, alpha, opA.gather(), 0, opA.ldPacked(), opX.gather(), 0, beta, ys, 0);
    opY.scatter(ys);
  }

  /** A matrix region of a segment: {@code rows x cols} elements, rows {@code ld} apart. */
  private record Operand(
      String name, MemorySegment segment, long offset, int rows, int cols, int ld) {

    /** The packed leading dimension of the gathered copy. */
    int ldPacked() {
      return Math.max(1, cols);
    }

    long span() {
      return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    double[] gather() {
      double[] packed = new double[rows * cols];
      for (int r = 0; r < rows && cols > 0; r++) {
        MemorySegment.copy(
            segment, LAYOUT, (offset + (long) r * ld) * BYTES, packed, r * cols, cols);
      }
      return packed;
    }

    void scatter(double[] packed) {
      for (int r = 0; r < rows && cols > 0; r++) {
        MemorySegment.copy(
            packed, r * cols, segment, LAYOUT, (offset + (long) r * ld) * BYTES, cols);
      }
    }

    void noOverlapWith(Operand in) {
      SegmentCheck.noOverlap(
          in.name,
          in.segment,
          in.offset * BYTES,
          in.span() * BYTES,
          name,
          segment,
          offset * BYTES,
          span() * BYTES);
    }
  }

  private static Operand operand(
      String name, MemorySegment segment, long offset, int rows, int cols, String ldName, int ld) {
    SegmentCheck.usable(name, segment);
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "negative dimension: " + name + " is " + rows + " x " + cols);
    }
    if (ld < Math.max(1, cols)) {
      throw new IllegalArgumentException(
          ldName + "=" + ld + " is below max(1, " + cols + "), the width of " + name);
    }
    if ((long) rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          name + " is " + rows + " x " + cols + ": a staged matrix holds fewer than 2^31 elements");
    }
    Operand op = new Operand(name, segment, offset, rows, cols, ld);
    SegmentCheck.range(name, segment, offset, op.span(), BYTES, TYPE);
    return op;
  }

  private static void wholeMatrix(String name, MemorySegment s, String shape, int rows, int cols) {
    long elements = elements(name, s);
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "negative dimension: " + shape + " with " + rows + " and " + cols);
    }
    if ((long) rows * cols != elements) {
      throw new IllegalArgumentException(
          "shape mismatch: "
              + name
              + " holds "
              + elements
              + " "
              + TYPE
              + "s, but "
              + shape
              + " = "
              + (long) rows * cols);
    }
  }

  private FlynnOps matrixOps() {
    return runner.ops();
  }
}
