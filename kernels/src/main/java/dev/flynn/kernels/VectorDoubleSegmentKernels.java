package dev.flynn.kernels;

import static dev.flynn.kernels.DoubleSegmentKernels.DOUBLE_LE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD double kernels over memory segments, loaded by name from {@link Kernels} like {@code
 * VectorDoubleKernels}. Each method is the loop of the array kernel of the same name with {@code
 * fromArray}/{@code intoArray} replaced by {@code fromMemorySegment}/{@code intoMemorySegment} in
 * little-endian order: the same threshold, the same accumulators in the same order, the same lane
 * fold and the same scalar tail, so reductions give the same bits as over arrays. The similarity
 * kernels follow the double loops of {@code VectorSimilarityKernels} the same way.
 *
 * <p>Where the array kernel may run a plain loop (the simple maps over whole arrays, toFloat), this
 * class runs a Vector API loop instead, which does not depend on C2 auto-vectorising segment
 * accesses; an elementwise map is exact, so either loop gives the same bits. At 16 Mi doubles on
 * one thread the segment forms took 1.01x (neg) and 0.84x (toFloat) the time of the array forms (a
 * quick best-of-30 harness on a busy machine, not JMH).
 *
 * <p>The loop index stays an {@code int} (a block is at most 16384 elements) and the byte offset a
 * {@code long}, the shape in which C2 hoists the segment bounds checks out of the loop. A call site
 * that sees one kind of segment (native, mapped or heap) stays monomorphic and fast; mixing kinds
 * in one JVM makes the accesses polymorphic (measured up to 2x slower in cache; {@code
 * SegmentBenchmark} and docs/segments.md have the figures).
 */
final class VectorDoubleSegmentKernels implements DoubleSegmentKernels {

  private static final VectorSpecies<Double> DOUBLE_SPECIES = VectorDoubleKernels.DOUBLE_SPECIES;
  private static final int LANES = DOUBLE_SPECIES.length();
  private static final long BYTES = Double.BYTES;
  private static final long VECTOR_BYTES = LANES * BYTES;
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  /** Floats of half the double vector's width: one double vector converts to one of these. */
  private static final VectorSpecies<Float> HALF_FLOAT_SPECIES =
      VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLE_SPECIES.vectorBitSize() / 2));

  private static final long FLOAT_BYTES = Float.BYTES;

  /** As in {@code VectorDoubleKernels}: shorter ranges than one vector run the scalar loop. */
  private static final int VECTOR_THRESHOLD = LANES;

  private static final ScalarDoubleSegmentKernels SCALAR = ScalarDoubleSegmentKernels.INSTANCE;

  VectorDoubleSegmentKernels() {}

  @Override
  public String name() {
    return "vector-" + DOUBLE_SPECIES.vectorBitSize();
  }

  @Override
  public double sum(MemorySegment a, long aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sum(a, aOffset, length);
    }
    DoubleVector acc0 = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector acc1 = acc0;
    DoubleVector acc2 = acc0;
    DoubleVector acc3 = acc0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      acc0 = acc0.add(load(a, at));
      acc1 = acc1.add(load(a, at + VECTOR_BYTES));
      acc2 = acc2.add(load(a, at + 2 * VECTOR_BYTES));
      acc3 = acc3.add(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = acc0.add(load(a, aOffset + i * BYTES));
    }
    double sum = foldLanes(acc0.add(acc1).add(acc2.add(acc3)));
    // scalar tail
    for (; i < length; i++) {
      sum += a.get(DOUBLE_LE, aOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // Eight chains, as in the array kernel (and for the same reason: FMA latency times two pipes).
    DoubleVector acc0 = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector acc1 = acc0;
    DoubleVector acc2 = acc0;
    DoubleVector acc3 = acc0;
    DoubleVector acc4 = acc0;
    DoubleVector acc5 = acc0;
    DoubleVector acc6 = acc0;
    DoubleVector acc7 = acc0;
    int i = 0;
    int unrolledBound = length - length % (8 * LANES);
    for (; i < unrolledBound; i += 8 * LANES) {
      long at = aOffset + i * BYTES;
      long bt = bOffset + i * BYTES;
      acc0 = mulAdd(load(a, at), load(b, bt), acc0);
      acc1 = mulAdd(load(a, at + VECTOR_BYTES), load(b, bt + VECTOR_BYTES), acc1);
      acc2 = mulAdd(load(a, at + 2 * VECTOR_BYTES), load(b, bt + 2 * VECTOR_BYTES), acc2);
      acc3 = mulAdd(load(a, at + 3 * VECTOR_BYTES), load(b, bt + 3 * VECTOR_BYTES), acc3);
      acc4 = mulAdd(load(a, at + 4 * VECTOR_BYTES), load(b, bt + 4 * VECTOR_BYTES), acc4);
      acc5 = mulAdd(load(a, at + 5 * VECTOR_BYTES), load(b, bt + 5 * VECTOR_BYTES), acc5);
      acc6 = mulAdd(load(a, at + 6 * VECTOR_BYTES), load(b, bt + 6 * VECTOR_BYTES), acc6);
      acc7 = mulAdd(load(a, at + 7 * VECTOR_BYTES), load(b, bt + 7 * VECTOR_BYTES), acc7);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = mulAdd(load(a, aOffset + i * BYTES), load(b, bOffset + i * BYTES), acc0);
    }
    DoubleVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = foldLanes(acc);
    // scalar tail
    for (; i < length; i++) {
      sum += a.get(DOUBLE_LE, aOffset + i * BYTES) * b.get(DOUBLE_LE, bOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    // Eight chains: the lanewise min with Java's rules (NaN, -0.0 below +0.0) is a sequence of
    // several instructions whose latency four chains left exposed (an interleaved run in one JVM,
    // 16 Mi floats: over a native segment 4.8 ms with four chains, 2.7 ms with eight; over an array
    // 3.0 ms with four). MIN is exact and order-free, so the loop starts at 0 and meets the first
    // vector twice (min(x, x) = x), and no identity (+Inf) has to respect the NaN rules.
    DoubleVector m0 = load(a, aOffset);
    DoubleVector m1 = m0;
    DoubleVector m2 = m0;
    DoubleVector m3 = m0;
    DoubleVector m4 = m0;
    DoubleVector m5 = m0;
    DoubleVector m6 = m0;
    DoubleVector m7 = m0;
    int i = 0;
    int unrolledBound = length - length % (8 * LANES);
    for (; i < unrolledBound; i += 8 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + VECTOR_BYTES));
      m2 = m2.min(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.min(load(a, at + 3 * VECTOR_BYTES));
      m4 = m4.min(load(a, at + 4 * VECTOR_BYTES));
      m5 = m5.min(load(a, at + 5 * VECTOR_BYTES));
      m6 = m6.min(load(a, at + 6 * VECTOR_BYTES));
      m7 = m7.min(load(a, at + 7 * VECTOR_BYTES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i * BYTES));
    }
    double min =
        m0.min(m1).min(m2.min(m3)).min(m4.min(m5).min(m6.min(m7))).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a.get(DOUBLE_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public double max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    // Eight chains, as in min (the same instruction sequence, the same latency). MAX is exact and
    // order-free, so the loop starts at 0 and meets the first vector twice (max(x, x) = x).
    DoubleVector m0 = load(a, aOffset);
    DoubleVector m1 = m0;
    DoubleVector m2 = m0;
    DoubleVector m3 = m0;
    DoubleVector m4 = m0;
    DoubleVector m5 = m0;
    DoubleVector m6 = m0;
    DoubleVector m7 = m0;
    int i = 0;
    int unrolledBound = length - length % (8 * LANES);
    for (; i < unrolledBound; i += 8 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + VECTOR_BYTES));
      m2 = m2.max(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.max(load(a, at + 3 * VECTOR_BYTES));
      m4 = m4.max(load(a, at + 4 * VECTOR_BYTES));
      m5 = m5.max(load(a, at + 5 * VECTOR_BYTES));
      m6 = m6.max(load(a, at + 6 * VECTOR_BYTES));
      m7 = m7.max(load(a, at + 7 * VECTOR_BYTES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i * BYTES));
    }
    double max =
        m0.max(m1).max(m2.max(m3)).max(m4.max(m5).max(m6.max(m7))).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a.get(DOUBLE_LE, aOffset + i * BYTES));
    }
    return max;
  }

  @Override
  public void add(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).add(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    SCALAR.add(
        a, aOffset + i * BYTES, b, bOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void sub(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).sub(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    SCALAR.sub(
        a, aOffset + i * BYTES, b, bOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void mul(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).mul(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    SCALAR.mul(
        a, aOffset + i * BYTES, b, bOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void div(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).div(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    SCALAR.div(
        a, aOffset + i * BYTES, b, bOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void scale(
      double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).mul(alpha), out, outOffset + at);
    }
    // scalar tail
    SCALAR.scale(alpha, x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void axpy(
      double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, int length) {
    DoubleVector alphas = DoubleVector.broadcast(DOUBLE_SPECIES, alpha);
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(mulAdd(alphas, load(x, xOffset + at), load(y, yOffset + at)), y, yOffset + at);
    }
    // scalar tail
    SCALAR.axpy(alpha, x, xOffset + i * BYTES, y, yOffset + i * BYTES, length - i);
  }

  @Override
  public void fma(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment c,
      long cOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(
          load(a, aOffset + at).fma(load(b, bOffset + at), load(c, cOffset + at)),
          out,
          outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.fma(a, aOffset + at, b, bOffset + at, c, cOffset + at, out, outOffset + at, length - i);
  }

  // ---------------------------------------------------------------- maps

  @Override
  public void neg(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).neg(), out, outOffset + at);
    }
    // scalar tail
    SCALAR.neg(x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void abs(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).abs(), out, outOffset + at);
    }
    // scalar tail
    SCALAR.abs(x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void sqrt(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    // IEEE 754 square roots are correctly rounded in both forms: the same bits.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).sqrt(), out, outOffset + at);
    }
    // scalar tail
    SCALAR.sqrt(x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void relu(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    // max(+0.0) is Math.max bit for bit: NaN propagates, -0.0 gives +0.0.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).max(0.0), out, outOffset + at);
    }
    // scalar tail
    SCALAR.relu(x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void clamp(
      MemorySegment x,
      long xOffset,
      double lo,
      double hi,
      MemorySegment out,
      long outOffset,
      int length) {
    // max(lo).min(hi) is the scalar form bit for bit when lo <= hi (the engine checks it).
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).max(lo).min(hi), out, outOffset + at);
    }
    // scalar tail
    SCALAR.clamp(x, xOffset + i * BYTES, lo, hi, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    // The lanewise min is Math.min lane for lane: NaN propagates, -0.0 is below +0.0.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).min(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    SCALAR.minimum(
        a, aOffset + i * BYTES, b, bOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void maximum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).max(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    SCALAR.maximum(
        a, aOffset + i * BYTES, b, bOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
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
      int length) {
    DoubleVector thresholds = DoubleVector.broadcast(DOUBLE_SPECIES, threshold);
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      VectorMask<Double> m =
          VectorDoubleKernels.compare(load(a, aOffset + at), comparison, thresholds);
      store(
          load(ifFalse, ifFalseOffset + at).blend(load(ifTrue, ifTrueOffset + at), m),
          out,
          outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.select(
        a,
        aOffset + at,
        comparison,
        threshold,
        ifTrue,
        ifTrueOffset + at,
        ifFalse,
        ifFalseOffset + at,
        out,
        outOffset + at,
        length - i);
  }

  @Override
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
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      VectorMask<Double> m =
          VectorDoubleKernels.compare(load(a, aOffset + at), comparison, load(b, bOffset + at));
      store(
          load(ifFalse, ifFalseOffset + at).blend(load(ifTrue, ifTrueOffset + at), m),
          out,
          outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.selectPairwise(
        a,
        aOffset + at,
        comparison,
        b,
        bOffset + at,
        ifTrue,
        ifTrueOffset + at,
        ifFalse,
        ifFalseOffset + at,
        out,
        outOffset + at,
        length - i);
  }

  @Override
  public void toFloat(
      MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    // D2F rounds to nearest even, as the (float) cast does: the same bits, NaN and zeros included.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      FloatVector f =
          (FloatVector)
              load(x, xOffset + i * BYTES).convertShape(VectorOperators.D2F, HALF_FLOAT_SPECIES, 0);
      f.intoMemorySegment(out, outOffset + i * FLOAT_BYTES, ORDER);
    }
    // scalar tail
    SCALAR.toFloat(x, xOffset + i * BYTES, out, outOffset + i * FLOAT_BYTES, length - i);
  }

  // ---------------------------------------------------------------- statistics

  @Override
  public int argmin(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.argmin(a, aOffset, length);
    }
    // As the array kernel: the least element by the vector min, then its first position.
    return firstIndexOf(a, aOffset, length, min(a, aOffset, length));
  }

  @Override
  public int argmax(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.argmax(a, aOffset, length);
    }
    return firstIndexOf(a, aOffset, length, max(a, aOffset, length));
  }

  /**
   * The first position holding {@code value}: any NaN when {@code value} is NaN, otherwise the same
   * bits (which tells -0.0 from +0.0). {@code value} is known to be present.
   */
  private static int firstIndexOf(MemorySegment a, long aOffset, int length, double value) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    if (value != value) {
      for (; i < bound; i += LANES) {
        VectorMask<Double> nan = load(a, aOffset + i * BYTES).test(VectorOperators.IS_NAN);
        if (nan.anyTrue()) {
          return i + nan.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Double.isNaN(a.get(DOUBLE_LE, aOffset + i * BYTES))) {
          return i;
        }
      }
    } else {
      long bits = Double.doubleToRawLongBits(value);
      for (; i < bound; i += LANES) {
        VectorMask<Long> same =
            load(a, aOffset + i * BYTES).reinterpretAsLongs().compare(VectorOperators.EQ, bits);
        if (same.anyTrue()) {
          return i + same.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Double.doubleToRawLongBits(a.get(DOUBLE_LE, aOffset + i * BYTES)) == bits) {
          return i;
        }
      }
    }
    throw new AssertionError("the min or max of a range is not in it");
  }

  @Override
  public double sumOfSquares(MemorySegment a, long aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sumOfSquares(a, aOffset, length);
    }
    // Eight chains of multiply-adds, as in the array kernel.
    DoubleVector acc0 = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector acc1 = acc0;
    DoubleVector acc2 = acc0;
    DoubleVector acc3 = acc0;
    DoubleVector acc4 = acc0;
    DoubleVector acc5 = acc0;
    DoubleVector acc6 = acc0;
    DoubleVector acc7 = acc0;
    int i = 0;
    int unrolledBound = length - length % (8 * LANES);
    for (; i < unrolledBound; i += 8 * LANES) {
      long at = aOffset + i * BYTES;
      DoubleVector x0 = load(a, at);
      DoubleVector x1 = load(a, at + VECTOR_BYTES);
      DoubleVector x2 = load(a, at + 2 * VECTOR_BYTES);
      DoubleVector x3 = load(a, at + 3 * VECTOR_BYTES);
      DoubleVector x4 = load(a, at + 4 * VECTOR_BYTES);
      DoubleVector x5 = load(a, at + 5 * VECTOR_BYTES);
      DoubleVector x6 = load(a, at + 6 * VECTOR_BYTES);
      DoubleVector x7 = load(a, at + 7 * VECTOR_BYTES);
      acc0 = mulAdd(x0, x0, acc0);
      acc1 = mulAdd(x1, x1, acc1);
      acc2 = mulAdd(x2, x2, acc2);
      acc3 = mulAdd(x3, x3, acc3);
      acc4 = mulAdd(x4, x4, acc4);
      acc5 = mulAdd(x5, x5, acc5);
      acc6 = mulAdd(x6, x6, acc6);
      acc7 = mulAdd(x7, x7, acc7);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      DoubleVector x = load(a, aOffset + i * BYTES);
      acc0 = mulAdd(x, x, acc0);
    }
    DoubleVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = foldLanes(acc);
    // scalar tail
    for (; i < length; i++) {
      double x = a.get(DOUBLE_LE, aOffset + i * BYTES);
      sum += x * x;
    }
    return sum;
  }

  @Override
  public void scaledSumsOfSquares(
      MemorySegment a, long aOffset, int length, double[] sums, int sumsOffset) {
    if (length < VECTOR_THRESHOLD) {
      SCALAR.scaledSumsOfSquares(a, aOffset, length, sums, sumsOffset);
      return;
    }
    // The array kernel's fast path: the plain sum of squares, kept inside its safe range.
    double medium = sumOfSquares(a, aOffset, length);
    if (medium >= VectorDoubleKernels.UNSCALED_FLOOR
        && medium < VectorDoubleKernels.UNSCALED_CEILING) {
      sums[sumsOffset] = 0;
      sums[sumsOffset + 1] = medium;
      sums[sumsOffset + 2] = 0;
      return;
    }
    scaledSumsOfSquaresBody(a, aOffset, length, sums, sumsOffset);
  }

  /** Blue's three sums with masks, as the array kernel's slow path. */
  private static void scaledSumsOfSquaresBody(
      MemorySegment a, long aOffset, int length, double[] sums, int sumsOffset) {
    DoubleVector big = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector medium = big;
    DoubleVector small = big;
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      DoubleVector x = load(a, aOffset + i * BYTES).abs();
      VectorMask<Double> isBig = x.compare(VectorOperators.GT, Blue.BIG_THRESHOLD);
      VectorMask<Double> isSmall = x.compare(VectorOperators.LT, Blue.SMALL_THRESHOLD);
      VectorMask<Double> isMedium = isBig.or(isSmall).not(); // NaN too, as in the scalar form
      DoubleVector b = x.mul(Blue.BIG_SCALE);
      DoubleVector s = x.mul(Blue.SMALL_SCALE);
      big = big.add(b.mul(b), isBig);
      small = small.add(s.mul(s), isSmall);
      medium = medium.add(x.mul(x), isMedium);
    }
    double bigSum = foldLanes(big);
    double mediumSum = foldLanes(medium);
    double smallSum = foldLanes(small);
    // scalar tail
    for (; i < length; i++) {
      double x = Math.abs(a.get(DOUBLE_LE, aOffset + i * BYTES));
      if (x > Blue.BIG_THRESHOLD) {
        double scaled = x * Blue.BIG_SCALE;
        bigSum += scaled * scaled;
      } else if (x < Blue.SMALL_THRESHOLD) {
        double scaled = x * Blue.SMALL_SCALE;
        smallSum += scaled * scaled;
      } else {
        mediumSum += x * x;
      }
    }
    sums[sumsOffset] = bigSum;
    sums[sumsOffset + 1] = mediumSum;
    sums[sumsOffset + 2] = smallSum;
  }

  @Override
  public void centeredSums(
      MemorySegment a, long aOffset, int length, double center, double[] sums, int sumsOffset) {
    if (length < VECTOR_THRESHOLD) {
      SCALAR.centeredSums(a, aOffset, length, center, sums, sumsOffset);
      return;
    }
    DoubleVector c = DoubleVector.broadcast(DOUBLE_SPECIES, center);
    DoubleVector s0 = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    DoubleVector q0 = s0;
    DoubleVector q1 = s0;
    DoubleVector q2 = s0;
    DoubleVector q3 = s0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      DoubleVector d0 = load(a, at).sub(c);
      DoubleVector d1 = load(a, at + VECTOR_BYTES).sub(c);
      DoubleVector d2 = load(a, at + 2 * VECTOR_BYTES).sub(c);
      DoubleVector d3 = load(a, at + 3 * VECTOR_BYTES).sub(c);
      s0 = s0.add(d0);
      s1 = s1.add(d1);
      s2 = s2.add(d2);
      s3 = s3.add(d3);
      q0 = mulAdd(d0, d0, q0);
      q1 = mulAdd(d1, d1, q1);
      q2 = mulAdd(d2, d2, q2);
      q3 = mulAdd(d3, d3, q3);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      DoubleVector d = load(a, aOffset + i * BYTES).sub(c);
      s0 = s0.add(d);
      q0 = mulAdd(d, d, q0);
    }
    double sum = foldLanes(s0.add(s1).add(s2.add(s3)));
    double sumOfSquares = foldLanes(q0.add(q1).add(q2.add(q3)));
    // scalar tail
    for (; i < length; i++) {
      double d = a.get(DOUBLE_LE, aOffset + i * BYTES) - center;
      sum += d;
      sumOfSquares += d * d;
    }
    sums[sumsOffset] = sum;
    sums[sumsOffset + 1] = sumOfSquares;
  }

  @Override
  public int count(
      MemorySegment a, long aOffset, int length, Comparison comparison, double threshold) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.count(a, aOffset, length, comparison, threshold);
    }
    // The Vector API's comparisons follow Java's operators, NaN included. The switch stays inside
    // the loop (compare): an operator held in a variable is not a constant to C2, and the float
    // loop written that way ran at a sixth of the memory's speed.
    DoubleVector thresholds = DoubleVector.broadcast(DOUBLE_SPECIES, threshold);
    int count = 0;
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      count +=
          VectorDoubleKernels.compare(load(a, aOffset + i * BYTES), comparison, thresholds)
              .trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      if (comparison.test(a.get(DOUBLE_LE, aOffset + i * BYTES), threshold)) {
        count++;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------- similarity

  /**
   * The species of {@code VectorSimilarityKernels}' double loops (at most 512 bits), so that these
   * loops have the array kernels' lanes and chains, and their bits, on any vector width.
   */
  private static final VectorSpecies<Double> SIMILARITY_SPECIES =
      VectorSimilarityKernels.DOUBLE_SPECIES;

  private static final int SIMILARITY_LANES = SIMILARITY_SPECIES.length();
  private static final long SIMILARITY_BYTES = SIMILARITY_LANES * BYTES;

  private static DoubleVector loadSimilarity(MemorySegment segment, long byteOffset) {
    return DoubleVector.fromMemorySegment(SIMILARITY_SPECIES, segment, byteOffset, ORDER);
  }

  @Override
  public double cosine(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    if (length < SIMILARITY_LANES) {
      return SCALAR.cosine(a, aOffset, b, bOffset, length);
    }
    double[] sums = new double[3]; // once per call (a range of one block); often scalar-replaced
    cosineSums(a, aOffset, b, bOffset, length, sums, 0);
    double dot = sums[0];
    double sumA = sums[1];
    double sumB = sums[2];
    if (ScalarSimilarityKernels.inCosineRange(sumA)
        && ScalarSimilarityKernels.inCosineRange(sumB)) {
      return SimilarityKernels.cosineOf(dot, sumA, sumB);
    }
    return ScalarDoubleSegmentKernels.scaledCosine(a, aOffset, b, bOffset, length);
  }

  @Override
  public void cosineTerms(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      int length,
      double[] terms,
      int at) {
    if (length < SIMILARITY_LANES) {
      SCALAR.cosineTerms(a, aOffset, b, bOffset, length, terms, at);
      return;
    }
    cosineSums(a, aOffset, b, bOffset, length, terms, at);
    if (ScalarSimilarityKernels.inCosineRange(terms[at + 1])
        && ScalarSimilarityKernels.inCosineRange(terms[at + 2])) {
      terms[at + 3] = 0;
      terms[at + 4] = 0;
    } else {
      ScalarDoubleSegmentKernels.scaledTerms(a, aOffset, b, bOffset, length, terms, at);
    }
  }

  /**
   * The dot product and both sums of squares of a range of at least one vector, into {@code sums[at
   * .. at + 3)}: the loop of the array cosine (four chains of each, lanes folded in index order,
   * then the scalar tail).
   */
  private static void cosineSums(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      int length,
      double[] sums,
      int at) {
    DoubleVector d0 = DoubleVector.zero(SIMILARITY_SPECIES);
    DoubleVector d1 = d0;
    DoubleVector d2 = d0;
    DoubleVector d3 = d0;
    DoubleVector s0 = d0;
    DoubleVector s1 = d0;
    DoubleVector s2 = d0;
    DoubleVector s3 = d0;
    DoubleVector t0 = d0;
    DoubleVector t1 = d0;
    DoubleVector t2 = d0;
    DoubleVector t3 = d0;
    int i = 0;
    int unrolledBound = length - length % (4 * SIMILARITY_LANES);
    for (; i < unrolledBound; i += 4 * SIMILARITY_LANES) {
      long ai = aOffset + i * BYTES;
      long bi = bOffset + i * BYTES;
      DoubleVector x0 = loadSimilarity(a, ai);
      DoubleVector y0 = loadSimilarity(b, bi);
      DoubleVector x1 = loadSimilarity(a, ai + SIMILARITY_BYTES);
      DoubleVector y1 = loadSimilarity(b, bi + SIMILARITY_BYTES);
      DoubleVector x2 = loadSimilarity(a, ai + 2 * SIMILARITY_BYTES);
      DoubleVector y2 = loadSimilarity(b, bi + 2 * SIMILARITY_BYTES);
      DoubleVector x3 = loadSimilarity(a, ai + 3 * SIMILARITY_BYTES);
      DoubleVector y3 = loadSimilarity(b, bi + 3 * SIMILARITY_BYTES);
      d0 = mulAdd(x0, y0, d0);
      s0 = mulAdd(x0, x0, s0);
      t0 = mulAdd(y0, y0, t0);
      d1 = mulAdd(x1, y1, d1);
      s1 = mulAdd(x1, x1, s1);
      t1 = mulAdd(y1, y1, t1);
      d2 = mulAdd(x2, y2, d2);
      s2 = mulAdd(x2, x2, s2);
      t2 = mulAdd(y2, y2, t2);
      d3 = mulAdd(x3, y3, d3);
      s3 = mulAdd(x3, x3, s3);
      t3 = mulAdd(y3, y3, t3);
    }
    int bound = SIMILARITY_SPECIES.loopBound(length);
    for (; i < bound; i += SIMILARITY_LANES) {
      DoubleVector x = loadSimilarity(a, aOffset + i * BYTES);
      DoubleVector y = loadSimilarity(b, bOffset + i * BYTES);
      d0 = mulAdd(x, y, d0);
      s0 = mulAdd(x, x, s0);
      t0 = mulAdd(y, y, t0);
    }
    DoubleVector dots = d0.add(d1).add(d2.add(d3));
    DoubleVector squaresA = s0.add(s1).add(s2.add(s3));
    DoubleVector squaresB = t0.add(t1).add(t2.add(t3));
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int lane = 0; lane < SIMILARITY_LANES; lane++) { // in index order, in double
      dot += dots.lane(lane);
      sumA += squaresA.lane(lane);
      sumB += squaresB.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double x = a.get(DOUBLE_LE, aOffset + i * BYTES);
      double y = b.get(DOUBLE_LE, bOffset + i * BYTES);
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    sums[at] = dot;
    sums[at + 1] = sumA;
    sums[at + 2] = sumB;
  }

  @Override
  public double squaredDistance(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    if (length < SIMILARITY_LANES) {
      return SCALAR.squaredDistance(a, aOffset, b, bOffset, length);
    }
    // Four chains, as the array kernel: a step loads two vectors, so loads are the limit.
    DoubleVector acc0 = DoubleVector.zero(SIMILARITY_SPECIES);
    DoubleVector acc1 = acc0;
    DoubleVector acc2 = acc0;
    DoubleVector acc3 = acc0;
    int i = 0;
    int unrolledBound = length - length % (4 * SIMILARITY_LANES);
    for (; i < unrolledBound; i += 4 * SIMILARITY_LANES) {
      long at = aOffset + i * BYTES;
      long bt = bOffset + i * BYTES;
      DoubleVector e0 = loadSimilarity(a, at).sub(loadSimilarity(b, bt));
      DoubleVector e1 =
          loadSimilarity(a, at + SIMILARITY_BYTES).sub(loadSimilarity(b, bt + SIMILARITY_BYTES));
      DoubleVector e2 =
          loadSimilarity(a, at + 2 * SIMILARITY_BYTES)
              .sub(loadSimilarity(b, bt + 2 * SIMILARITY_BYTES));
      DoubleVector e3 =
          loadSimilarity(a, at + 3 * SIMILARITY_BYTES)
              .sub(loadSimilarity(b, bt + 3 * SIMILARITY_BYTES));
      acc0 = mulAdd(e0, e0, acc0);
      acc1 = mulAdd(e1, e1, acc1);
      acc2 = mulAdd(e2, e2, acc2);
      acc3 = mulAdd(e3, e3, acc3);
    }
    int bound = SIMILARITY_SPECIES.loopBound(length);
    for (; i < bound; i += SIMILARITY_LANES) {
      DoubleVector e =
          loadSimilarity(a, aOffset + i * BYTES).sub(loadSimilarity(b, bOffset + i * BYTES));
      acc0 = mulAdd(e, e, acc0);
    }
    double sum = foldLanes(acc0.add(acc1).add(acc2.add(acc3)));
    // scalar tail
    for (; i < length; i++) {
      double e = a.get(DOUBLE_LE, aOffset + i * BYTES) - b.get(DOUBLE_LE, bOffset + i * BYTES);
      sum += e * e;
    }
    return ScalarSimilarityKernels.distanceInRange(sum)
        ? sum
        : ScalarDoubleSegmentKernels.scaledSquaredDistance(a, aOffset, b, bOffset, length);
  }

  // ---------------------------------------------------------------- scan

  @Override
  public double prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, double carry) {
    // Each vector is loaded before it is stored, so out may be exactly a.
    double run = 0;
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      DoubleVector prefix = VectorDoubleKernels.lanePrefix(load(a, aOffset + i * BYTES));
      store(prefix.add(carry + run), out, outOffset + i * BYTES);
      run += prefix.lane(LANES - 1);
    }
    // scalar tail, as the scalar form
    for (; i < length; i++) {
      run += a.get(DOUBLE_LE, aOffset + i * BYTES);
      out.set(DOUBLE_LE, outOffset + i * BYTES, carry + run);
    }
    return run;
  }

  @Override
  public double prefixSumTotal(MemorySegment a, long aOffset, int length) {
    double run = 0;
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      run += VectorDoubleKernels.lanePrefix(load(a, aOffset + i * BYTES)).lane(LANES - 1);
    }
    // scalar tail
    for (; i < length; i++) {
      run += a.get(DOUBLE_LE, aOffset + i * BYTES);
    }
    return run;
  }

  private static DoubleVector load(MemorySegment segment, long byteOffset) {
    return DoubleVector.fromMemorySegment(DOUBLE_SPECIES, segment, byteOffset, ORDER);
  }

  private static void store(DoubleVector v, MemorySegment segment, long byteOffset) {
    v.intoMemorySegment(segment, byteOffset, ORDER);
  }

  /** The guarded multiply-add, as in {@code VectorDoubleKernels}. */
  private static DoubleVector mulAdd(DoubleVector a, DoubleVector b, DoubleVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** Adds the lanes in index order in double, exactly as {@code VectorDoubleKernels} does. */
  private static double foldLanes(DoubleVector v) {
    double sum = 0;
    for (int lane = 0; lane < LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
  }
}
