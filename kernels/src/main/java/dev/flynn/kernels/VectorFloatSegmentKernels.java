package dev.flynn.kernels;

import static dev.flynn.kernels.FloatSegmentKernels.FLOAT_LE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD float kernels over memory segments, loaded by name from {@link Kernels} like {@code
 * VectorFloatKernels}. Each method is the loop of the array kernel of the same name with {@code
 * fromArray}/{@code intoArray} replaced by {@code fromMemorySegment}/{@code intoMemorySegment} in
 * little-endian order: the same threshold, the same accumulators in the same order, the same lane
 * fold and the same scalar tail, so reductions give the same bits as over arrays.
 *
 * <p>The loop index stays an {@code int} (a block is at most 16384 elements) and the byte offset a
 * {@code long}, the shape in which C2 hoists the segment bounds checks out of the loop. A call site
 * that sees one kind of segment (native, mapped or heap) stays monomorphic and fast; mixing kinds
 * in one JVM makes the accesses polymorphic (measured up to 2x slower in cache; {@code
 * SegmentBenchmark} and docs/segments.md have the figures).
 */
final class VectorFloatSegmentKernels implements FloatSegmentKernels {

  private static final VectorSpecies<Float> FLOAT_SPECIES = VectorFloatKernels.FLOAT_SPECIES;
  private static final int LANES = FLOAT_SPECIES.length();
  private static final long BYTES = Float.BYTES;
  private static final long VECTOR_BYTES = LANES * BYTES;
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
  private static final VectorSpecies<Float> STREAM_SPECIES = VectorFloatKernels.STREAM_SPECIES;
  private static final int STREAM_LANES = STREAM_SPECIES.length();
  private static final long STREAM_BYTES = STREAM_LANES * BYTES;

  /** As in {@code VectorFloatKernels}: shorter ranges than one vector run the scalar loop. */
  private static final int VECTOR_THRESHOLD = LANES;

  private static final ScalarFloatSegmentKernels SCALAR = ScalarFloatSegmentKernels.INSTANCE;

  VectorFloatSegmentKernels() {}

  @Override
  public String name() {
    return "vector-" + FLOAT_SPECIES.vectorBitSize();
  }

  @Override
  public double sum(MemorySegment a, long aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sum(a, aOffset, length);
    }
    FloatVector acc0 = FloatVector.zero(FLOAT_SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      acc0 = acc0.add(load(a, at));
      acc1 = acc1.add(load(a, at + VECTOR_BYTES));
      acc2 = acc2.add(load(a, at + 2 * VECTOR_BYTES));
      acc3 = acc3.add(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = acc0.add(load(a, aOffset + i * BYTES));
    }
    double sum = foldLanes(acc0.add(acc1).add(acc2.add(acc3)));
    // scalar tail
    for (; i < length; i++) {
      sum += a.get(FLOAT_LE, aOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // Eight chains, as in the array kernel (and for the same reason: FMA latency times two pipes).
    FloatVector acc0 = FloatVector.zero(FLOAT_SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    FloatVector acc4 = acc0;
    FloatVector acc5 = acc0;
    FloatVector acc6 = acc0;
    FloatVector acc7 = acc0;
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = mulAdd(load(a, aOffset + i * BYTES), load(b, bOffset + i * BYTES), acc0);
    }
    FloatVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = foldLanes(acc);
    // scalar tail
    for (; i < length; i++) {
      sum += (double) a.get(FLOAT_LE, aOffset + i * BYTES) * b.get(FLOAT_LE, bOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double dotStreaming(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    if (length < STREAM_LANES) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // VectorFloatKernels.dotStreaming over segments, lane for lane, so both give the same bits.
    FloatVector acc0 = FloatVector.zero(STREAM_SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    FloatVector acc4 = acc0;
    FloatVector acc5 = acc0;
    FloatVector acc6 = acc0;
    FloatVector acc7 = acc0;
    int i = 0;
    int unrolledBound = length - length % (8 * STREAM_LANES);
    for (; i < unrolledBound; i += 8 * STREAM_LANES) {
      long at = aOffset + i * BYTES;
      long bt = bOffset + i * BYTES;
      acc0 = mulAdd(loadStream(a, at), loadStream(b, bt), acc0);
      acc1 = mulAdd(loadStream(a, at + STREAM_BYTES), loadStream(b, bt + STREAM_BYTES), acc1);
      acc2 =
          mulAdd(loadStream(a, at + 2 * STREAM_BYTES), loadStream(b, bt + 2 * STREAM_BYTES), acc2);
      acc3 =
          mulAdd(loadStream(a, at + 3 * STREAM_BYTES), loadStream(b, bt + 3 * STREAM_BYTES), acc3);
      acc4 =
          mulAdd(loadStream(a, at + 4 * STREAM_BYTES), loadStream(b, bt + 4 * STREAM_BYTES), acc4);
      acc5 =
          mulAdd(loadStream(a, at + 5 * STREAM_BYTES), loadStream(b, bt + 5 * STREAM_BYTES), acc5);
      acc6 =
          mulAdd(loadStream(a, at + 6 * STREAM_BYTES), loadStream(b, bt + 6 * STREAM_BYTES), acc6);
      acc7 =
          mulAdd(loadStream(a, at + 7 * STREAM_BYTES), loadStream(b, bt + 7 * STREAM_BYTES), acc7);
    }
    int bound = STREAM_SPECIES.loopBound(length);
    for (; i < bound; i += STREAM_LANES) {
      acc0 = mulAdd(loadStream(a, aOffset + i * BYTES), loadStream(b, bOffset + i * BYTES), acc0);
    }
    FloatVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = 0;
    for (int lane = 0; lane < STREAM_LANES; lane++) {
      sum += acc.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      sum += (double) a.get(FLOAT_LE, aOffset + i * BYTES) * b.get(FLOAT_LE, bOffset + i * BYTES);
    }
    return sum;
  }

  private static FloatVector loadStream(MemorySegment segment, long byteOffset) {
    return FloatVector.fromMemorySegment(STREAM_SPECIES, segment, byteOffset, ORDER);
  }

  @Override
  public float min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    // Eight chains: the lanewise min with Java's rules (NaN, -0.0 below +0.0) is a sequence of
    // several instructions whose latency four chains left exposed (an interleaved run in one JVM,
    // 16 Mi floats: over a native segment 4.8 ms with four chains, 2.7 ms with eight; over an array
    // 3.0 ms with four). MIN is exact and order-free, so the loop starts at 0 and meets the first
    // vector twice (min(x, x) = x), and no identity (+Inf) has to respect the NaN rules.
    FloatVector m0 = load(a, aOffset);
    FloatVector m1 = m0;
    FloatVector m2 = m0;
    FloatVector m3 = m0;
    FloatVector m4 = m0;
    FloatVector m5 = m0;
    FloatVector m6 = m0;
    FloatVector m7 = m0;
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i * BYTES));
    }
    float min =
        m0.min(m1).min(m2.min(m3)).min(m4.min(m5).min(m6.min(m7))).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a.get(FLOAT_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public float max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    // Eight chains, as in min (the same instruction sequence, the same latency). MAX is exact and
    // order-free, so the loop starts at 0 and meets the first vector twice (max(x, x) = x).
    FloatVector m0 = load(a, aOffset);
    FloatVector m1 = m0;
    FloatVector m2 = m0;
    FloatVector m3 = m0;
    FloatVector m4 = m0;
    FloatVector m5 = m0;
    FloatVector m6 = m0;
    FloatVector m7 = m0;
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i * BYTES));
    }
    float max =
        m0.max(m1).max(m2.max(m3)).max(m4.max(m5).max(m6.max(m7))).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a.get(FLOAT_LE, aOffset + i * BYTES));
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
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).mul(alpha), out, outOffset + at);
    }
    // scalar tail
    SCALAR.scale(alpha, x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void axpy(
      float alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, int length) {
    FloatVector alphas = FloatVector.broadcast(FLOAT_SPECIES, alpha);
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int bound = FLOAT_SPECIES.loopBound(length);
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

  private static FloatVector load(MemorySegment segment, long byteOffset) {
    return FloatVector.fromMemorySegment(FLOAT_SPECIES, segment, byteOffset, ORDER);
  }

  private static void store(FloatVector v, MemorySegment segment, long byteOffset) {
    v.intoMemorySegment(segment, byteOffset, ORDER);
  }

  /** The guarded multiply-add, as in {@code VectorFloatKernels}. */
  private static FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** Adds the lanes in index order in double, exactly as {@code VectorFloatKernels} does. */
  private static double foldLanes(FloatVector v) {
    double sum = 0;
    for (int lane = 0; lane < LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
  }

  // ---------------------------------------------------------------- maps

  @Override
  public void neg(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    // Over whole arrays the array kernel runs a plain loop, which C2 vectorises there; over two
    // segments C2 may not (it cannot rule out aliasing), so the Vector API here. Negation is exact:
    // the same bits.
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).abs(), out, outOffset + at);
    }
    // scalar tail
    SCALAR.abs(x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void sqrt(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    // A vector square root per vector: at a DRAM size the memory, not the root, sets the pace.
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(x, xOffset + at).max(0.0f), out, outOffset + at);
    }
    // scalar tail
    SCALAR.relu(x, xOffset + i * BYTES, out, outOffset + i * BYTES, length - i);
  }

  @Override
  public void clamp(
      MemorySegment x,
      long xOffset,
      float lo,
      float hi,
      MemorySegment out,
      long outOffset,
      int length) {
    // max(lo).min(hi) is Math.clamp bit for bit when lo <= hi (the engine checks it).
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float threshold,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    FloatVector thresholds = FloatVector.broadcast(FLOAT_SPECIES, threshold);
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      VectorMask<Float> m =
          VectorFloatKernels.compare(load(a, aOffset + at), comparison, thresholds);
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      VectorMask<Float> m =
          VectorFloatKernels.compare(load(a, aOffset + at), comparison, load(b, bOffset + at));
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
  public void toDouble(
      MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    // Half-width float vectors widened lane for lane: exact, so the bits of the array kernel's
    // plain loop, without relying on C2 to vectorize a loop over two segments it cannot prove
    // apart.
    int i = 0;
    int bound = WIDE_SPECIES.loopBound(length);
    for (; i < bound; i += WIDE_LANES) {
      widen(x, xOffset + i * BYTES).intoMemorySegment(out, outOffset + i * DOUBLE_BYTES, ORDER);
    }
    // scalar tail
    SCALAR.toDouble(x, xOffset + i * BYTES, out, outOffset + i * DOUBLE_BYTES, length - i);
  }

  // ---------------------------------------------------------------- statistics

  private static final VectorSpecies<Double> WIDE_SPECIES = VectorFloatKernels.WIDE_SPECIES;

  private static final int WIDE_LANES = WIDE_SPECIES.length();
  private static final long DOUBLE_BYTES = Double.BYTES;

  private static final VectorSpecies<Float> NARROW_SPECIES = VectorFloatKernels.NARROW_SPECIES;

  /** {@link #WIDE_LANES} floats from byte {@code byteOffset}, widened (exactly) to doubles. */
  private static DoubleVector widen(MemorySegment segment, long byteOffset) {
    return (DoubleVector)
        FloatVector.fromMemorySegment(NARROW_SPECIES, segment, byteOffset, ORDER)
            .convertShape(VectorOperators.F2D, WIDE_SPECIES, 0);
  }

  @Override
  public int argmin(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.argmin(a, aOffset, length);
    }
    // As the array kernel: the least element (exact), then the first element with its bits.
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
  private static int firstIndexOf(MemorySegment a, long aOffset, int length, float value) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    if (value != value) {
      for (; i < bound; i += LANES) {
        VectorMask<Float> nan = load(a, aOffset + i * BYTES).test(VectorOperators.IS_NAN);
        if (nan.anyTrue()) {
          return i + nan.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Float.isNaN(a.get(FLOAT_LE, aOffset + i * BYTES))) {
          return i;
        }
      }
    } else {
      int bits = Float.floatToRawIntBits(value);
      for (; i < bound; i += LANES) {
        VectorMask<Integer> same =
            load(a, aOffset + i * BYTES).reinterpretAsInts().compare(VectorOperators.EQ, bits);
        if (same.anyTrue()) {
          return i + same.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Float.floatToRawIntBits(a.get(FLOAT_LE, aOffset + i * BYTES)) == bits) {
          return i;
        }
      }
    }
    throw new AssertionError("the min or max of a range is not in it");
  }

  // The float-lane sum of squares' chunk, round and rescue threshold: the array kernel's.
  private static final int SQUARES_CHUNK = VectorFloatKernels.SQUARES_CHUNK;
  private static final int SQUARES_ROUND = VectorFloatKernels.SQUARES_ROUND;
  private static final double SQUARES_LOW = VectorFloatKernels.SQUARES_LOW;

  @Override
  public double sumOfSquares(MemorySegment a, long aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sumOfSquares(a, aOffset, length);
    }
    // VectorFloatKernels.sumOfSquares over a segment: the same chunks, chains and rescue.
    int bound = FLOAT_SPECIES.loopBound(length);
    double sum = 0;
    for (int start = 0; start < bound; start += SQUARES_CHUNK) {
      long at = aOffset + start * BYTES;
      int n = Math.min(SQUARES_CHUNK, bound - start);
      double chunk = squaresInFloatLanes(a, at, n);
      if (!(chunk >= SQUARES_LOW && chunk < Double.POSITIVE_INFINITY)) {
        chunk = scaledSquares(a, at, n);
      }
      sum += chunk;
    }
    // scalar tail
    for (int i = bound; i < length; i++) {
      double x = a.get(FLOAT_LE, aOffset + i * BYTES);
      sum += x * x;
    }
    return sum;
  }

  /**
   * {@code VectorFloatKernels.squaresInFloatLanes} over a segment: eight chains restarted every
   * {@link #SQUARES_ROUND} elements into eight outer chains, added pairwise and folded in index
   * order in double.
   */
  private static double squaresInFloatLanes(MemorySegment a, long at, int n) {
    FloatVector zero = FloatVector.zero(FLOAT_SPECIES);
    FloatVector s0 = zero;
    FloatVector s1 = zero;
    FloatVector s2 = zero;
    FloatVector s3 = zero;
    FloatVector s4 = zero;
    FloatVector s5 = zero;
    FloatVector s6 = zero;
    FloatVector s7 = zero;
    int i = 0;
    while (i < n) {
      int end = Math.min(n, i + SQUARES_ROUND);
      int unrolledBound = end - (end - i) % (8 * LANES);
      FloatVector p0 = zero;
      FloatVector p1 = zero;
      FloatVector p2 = zero;
      FloatVector p3 = zero;
      FloatVector p4 = zero;
      FloatVector p5 = zero;
      FloatVector p6 = zero;
      FloatVector p7 = zero;
      for (; i < unrolledBound; i += 8 * LANES) {
        long j = at + i * BYTES;
        FloatVector x0 = load(a, j);
        FloatVector x1 = load(a, j + VECTOR_BYTES);
        FloatVector x2 = load(a, j + 2 * VECTOR_BYTES);
        FloatVector x3 = load(a, j + 3 * VECTOR_BYTES);
        FloatVector x4 = load(a, j + 4 * VECTOR_BYTES);
        FloatVector x5 = load(a, j + 5 * VECTOR_BYTES);
        FloatVector x6 = load(a, j + 6 * VECTOR_BYTES);
        FloatVector x7 = load(a, j + 7 * VECTOR_BYTES);
        p0 = mulAdd(x0, x0, p0);
        p1 = mulAdd(x1, x1, p1);
        p2 = mulAdd(x2, x2, p2);
        p3 = mulAdd(x3, x3, p3);
        p4 = mulAdd(x4, x4, p4);
        p5 = mulAdd(x5, x5, p5);
        p6 = mulAdd(x6, x6, p6);
        p7 = mulAdd(x7, x7, p7);
      }
      for (; i < end; i += LANES) {
        FloatVector x = load(a, at + i * BYTES);
        p0 = mulAdd(x, x, p0);
      }
      s0 = s0.add(p0);
      s1 = s1.add(p1);
      s2 = s2.add(p2);
      s3 = s3.add(p3);
      s4 = s4.add(p4);
      s5 = s5.add(p5);
      s6 = s6.add(p6);
      s7 = s7.add(p7);
    }
    return foldLanes(s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))));
  }

  /**
   * The inner loop of {@code VectorFloatKernels.scaledSquares} over a segment: {@link
   * #squaresInFloatLanes} with each element multiplied by {@code scale} first, exactly as there. A
   * method of its own: one loop for both, multiplying by 1, cost the unscaled sum 1.5x the array
   * kernel's time in L2 (the multiply is not free where the loop is not memory-bound).
   */
  private static double scaledSquaresInFloatLanes(MemorySegment a, long at, int n, float scale) {
    FloatVector zero = FloatVector.zero(FLOAT_SPECIES);
    FloatVector s0 = zero;
    FloatVector s1 = zero;
    FloatVector s2 = zero;
    FloatVector s3 = zero;
    FloatVector s4 = zero;
    FloatVector s5 = zero;
    FloatVector s6 = zero;
    FloatVector s7 = zero;
    int i = 0;
    while (i < n) {
      int end = Math.min(n, i + SQUARES_ROUND);
      int unrolledBound = end - (end - i) % (8 * LANES);
      FloatVector p0 = zero;
      FloatVector p1 = zero;
      FloatVector p2 = zero;
      FloatVector p3 = zero;
      FloatVector p4 = zero;
      FloatVector p5 = zero;
      FloatVector p6 = zero;
      FloatVector p7 = zero;
      for (; i < unrolledBound; i += 8 * LANES) {
        long j = at + i * BYTES;
        FloatVector x0 = load(a, j).mul(scale);
        FloatVector x1 = load(a, j + VECTOR_BYTES).mul(scale);
        FloatVector x2 = load(a, j + 2 * VECTOR_BYTES).mul(scale);
        FloatVector x3 = load(a, j + 3 * VECTOR_BYTES).mul(scale);
        FloatVector x4 = load(a, j + 4 * VECTOR_BYTES).mul(scale);
        FloatVector x5 = load(a, j + 5 * VECTOR_BYTES).mul(scale);
        FloatVector x6 = load(a, j + 6 * VECTOR_BYTES).mul(scale);
        FloatVector x7 = load(a, j + 7 * VECTOR_BYTES).mul(scale);
        p0 = mulAdd(x0, x0, p0);
        p1 = mulAdd(x1, x1, p1);
        p2 = mulAdd(x2, x2, p2);
        p3 = mulAdd(x3, x3, p3);
        p4 = mulAdd(x4, x4, p4);
        p5 = mulAdd(x5, x5, p5);
        p6 = mulAdd(x6, x6, p6);
        p7 = mulAdd(x7, x7, p7);
      }
      for (; i < end; i += LANES) {
        FloatVector x = load(a, at + i * BYTES).mul(scale);
        p0 = mulAdd(x, x, p0);
      }
      s0 = s0.add(p0);
      s1 = s1.add(p1);
      s2 = s2.add(p2);
      s3 = s3.add(p3);
      s4 = s4.add(p4);
      s5 = s5.add(p5);
      s6 = s6.add(p6);
      s7 = s7.add(p7);
    }
    return foldLanes(s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))));
  }

  /** {@code VectorFloatKernels.scaledSquares} over a segment: the same scale, the same sums. */
  private static double scaledSquares(MemorySegment a, long at, int n) {
    FloatVector m = FloatVector.zero(FLOAT_SPECIES);
    for (int i = 0; i < n; i += LANES) {
      m = m.max(load(a, at + i * BYTES).abs()); // NaN wins
    }
    float max = m.reduceLanes(VectorOperators.MAX); // order-free: max is exact
    if (max == 0) {
      return 0.0; // all zeros, of either sign
    }
    if (!(max < Float.POSITIVE_INFINITY)) {
      return SCALAR.sumOfSquares(a, at, n); // NaN or infinite elements
    }
    int k = Math.clamp(-Math.getExponent(max), -Float.MAX_EXPONENT + 1, Float.MAX_EXPONENT - 1);
    return Math.scalb(scaledSquaresInFloatLanes(a, at, n, Math.scalb(1f, k)), -2 * k);
  }

  @Override
  public void centeredSums(
      MemorySegment a, long aOffset, int length, double center, double[] sums, int sumsOffset) {
    if (length < WIDE_LANES) {
      SCALAR.centeredSums(a, aOffset, length, center, sums, sumsOffset);
      return;
    }
    // VectorFloatKernels.centeredSums over a segment: the same four pairs of double chains.
    DoubleVector c = DoubleVector.broadcast(WIDE_SPECIES, center);
    DoubleVector s0 = DoubleVector.zero(WIDE_SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    DoubleVector q0 = s0;
    DoubleVector q1 = s0;
    DoubleVector q2 = s0;
    DoubleVector q3 = s0;
    long wideBytes = WIDE_LANES * BYTES;
    int i = 0;
    int unrolledBound = length - length % (4 * WIDE_LANES);
    for (; i < unrolledBound; i += 4 * WIDE_LANES) {
      long at = aOffset + i * BYTES;
      DoubleVector d0 = widen(a, at).sub(c);
      DoubleVector d1 = widen(a, at + wideBytes).sub(c);
      DoubleVector d2 = widen(a, at + 2 * wideBytes).sub(c);
      DoubleVector d3 = widen(a, at + 3 * wideBytes).sub(c);
      s0 = s0.add(d0);
      s1 = s1.add(d1);
      s2 = s2.add(d2);
      s3 = s3.add(d3);
      q0 = wideMulAdd(d0, d0, q0);
      q1 = wideMulAdd(d1, d1, q1);
      q2 = wideMulAdd(d2, d2, q2);
      q3 = wideMulAdd(d3, d3, q3);
    }
    int bound = WIDE_SPECIES.loopBound(length);
    for (; i < bound; i += WIDE_LANES) {
      DoubleVector d = widen(a, aOffset + i * BYTES).sub(c);
      s0 = s0.add(d);
      q0 = wideMulAdd(d, d, q0);
    }
    double sum = foldWideLanes(s0.add(s1).add(s2.add(s3)));
    double sumOfSquares = foldWideLanes(q0.add(q1).add(q2.add(q3)));
    // scalar tail
    for (; i < length; i++) {
      double d = a.get(FLOAT_LE, aOffset + i * BYTES) - center;
      sum += d;
      sumOfSquares += d * d;
    }
    sums[sumsOffset] = sum;
    sums[sumsOffset + 1] = sumOfSquares;
  }

  private static DoubleVector wideMulAdd(DoubleVector a, DoubleVector b, DoubleVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** Adds double lanes in index order, as {@code VectorFloatKernels} does. */
  private static double foldWideLanes(DoubleVector v) {
    double sum = 0;
    for (int lane = 0; lane < WIDE_LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
  }

  /** Int lanes as many as the float lanes, for the per-lane counts of {@link #count}. */
  private static final VectorSpecies<Integer> COUNT_SPECIES = FLOAT_SPECIES.withLanes(int.class);

  @Override
  public int count(
      MemorySegment a, long aOffset, int length, Comparison comparison, float threshold) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.count(a, aOffset, length, comparison, threshold);
    }
    // The comparison switch inside the loop, as in select: a constant operator per case compiles
    // to one instruction, where an operator held in a variable leaves the loop several times
    // slower. The count is exact either way: the array kernel's result.
    // Each lane counts its own hits (a masked add), summed once at the end: at most one hit per
    // lane and step, so no lane overflows. The array kernel's mask popcount per step left this
    // count 1.28x slower than the array kernel at 16 Mi floats (JMH, interleaved rounds), and
    // 0.67x with this loop. The array kernel keeps the popcount: the masked add made it slower
    // (2.0 -> 2.8 us at 64 Ki floats, 2.2 -> 4.8 ms at 16 Mi).
    FloatVector thresholds = FloatVector.broadcast(FLOAT_SPECIES, threshold);
    IntVector ones = IntVector.broadcast(COUNT_SPECIES, 1);
    IntVector counts = IntVector.zero(COUNT_SPECIES);
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      VectorMask<Float> hit =
          VectorFloatKernels.compare(load(a, aOffset + i * BYTES), comparison, thresholds);
      counts = counts.add(ones, hit.cast(COUNT_SPECIES));
    }
    int count = counts.reduceLanes(VectorOperators.ADD);
    // scalar tail
    for (; i < length; i++) {
      if (comparison.test(a.get(FLOAT_LE, aOffset + i * BYTES), threshold)) {
        count++;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------- scan

  @Override
  public double prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, double carry) {
    double run = 0;
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      FloatVector prefix = VectorFloatKernels.lanePrefix(load(a, aOffset + at));
      store(prefix.add((float) (carry + run)), out, outOffset + at);
      run += prefix.lane(LANES - 1);
    }
    // scalar tail, as the scalar form
    for (; i < length; i++) {
      run += a.get(FLOAT_LE, aOffset + i * BYTES);
      out.set(FLOAT_LE, outOffset + i * BYTES, (float) (carry + run));
    }
    return run;
  }

  @Override
  public double prefixSumTotal(MemorySegment a, long aOffset, int length) {
    double run = 0;
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      run += VectorFloatKernels.lanePrefix(load(a, aOffset + i * BYTES)).lane(LANES - 1);
    }
    // scalar tail
    for (; i < length; i++) {
      run += a.get(FLOAT_LE, aOffset + i * BYTES);
    }
    return run;
  }

  // ---------------------------------------------------------------- similarity

  /** {@code VectorSimilarityKernels}' species (at most 512 bits): its lanes, so its bits. */
  private static final VectorSpecies<Float> SIMILARITY_SPECIES =
      VectorSimilarityKernels.FLOAT_SPECIES;

  private static final int SIMILARITY_LANES = SIMILARITY_SPECIES.length();
  private static final long SIMILARITY_BYTES = SIMILARITY_LANES * BYTES;

  private static FloatVector loadSimilarity(MemorySegment segment, long byteOffset) {
    return FloatVector.fromMemorySegment(SIMILARITY_SPECIES, segment, byteOffset, ORDER);
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
    // VectorSimilarityKernels.cosineTerms over segments: four chains of each sum, folded in index
    // order in double, the scalar form where a sum of squares leaves the float lanes' safe range.
    FloatVector d0 = FloatVector.zero(SIMILARITY_SPECIES);
    FloatVector d1 = d0;
    FloatVector d2 = d0;
    FloatVector d3 = d0;
    FloatVector s0 = d0;
    FloatVector s1 = d0;
    FloatVector s2 = d0;
    FloatVector s3 = d0;
    FloatVector t0 = d0;
    FloatVector t1 = d0;
    FloatVector t2 = d0;
    FloatVector t3 = d0;
    int i = 0;
    int unrolledBound = length - length % (4 * SIMILARITY_LANES);
    for (; i < unrolledBound; i += 4 * SIMILARITY_LANES) {
      long ai = aOffset + i * BYTES;
      long bi = bOffset + i * BYTES;
      FloatVector x0 = loadSimilarity(a, ai);
      FloatVector y0 = loadSimilarity(b, bi);
      FloatVector x1 = loadSimilarity(a, ai + SIMILARITY_BYTES);
      FloatVector y1 = loadSimilarity(b, bi + SIMILARITY_BYTES);
      FloatVector x2 = loadSimilarity(a, ai + 2 * SIMILARITY_BYTES);
      FloatVector y2 = loadSimilarity(b, bi + 2 * SIMILARITY_BYTES);
      FloatVector x3 = loadSimilarity(a, ai + 3 * SIMILARITY_BYTES);
      FloatVector y3 = loadSimilarity(b, bi + 3 * SIMILARITY_BYTES);
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
      FloatVector x = loadSimilarity(a, aOffset + i * BYTES);
      FloatVector y = loadSimilarity(b, bOffset + i * BYTES);
      d0 = mulAdd(x, y, d0);
      s0 = mulAdd(x, x, s0);
      t0 = mulAdd(y, y, t0);
    }
    FloatVector dots = d0.add(d1).add(d2.add(d3));
    FloatVector squaresA = s0.add(s1).add(s2.add(s3));
    FloatVector squaresB = t0.add(t1).add(t2.add(t3));
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
      double x = a.get(FLOAT_LE, aOffset + i * BYTES);
      double y = b.get(FLOAT_LE, bOffset + i * BYTES);
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (ScalarSimilarityKernels.inFloatLaneRange(sumA)
        && ScalarSimilarityKernels.inFloatLaneRange(sumB)) {
      terms[at] = dot;
      terms[at + 1] = sumA;
      terms[at + 2] = sumB;
      terms[at + 3] = 0;
      terms[at + 4] = 0;
    } else {
      SCALAR.cosineTerms(a, aOffset, b, bOffset, length, terms, at);
    }
  }

  @Override
  public double squaredDistance(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    if (length < SIMILARITY_LANES) {
      return SCALAR.squaredDistance(a, aOffset, b, bOffset, length);
    }
    // VectorSimilarityKernels.squaredDistance over segments: four chains, the same fold, and the
    // scalar form where the float-lane sum may have overflowed or underflowed.
    FloatVector acc0 = FloatVector.zero(SIMILARITY_SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    int i = 0;
    int unrolledBound = length - length % (4 * SIMILARITY_LANES);
    for (; i < unrolledBound; i += 4 * SIMILARITY_LANES) {
      long at = aOffset + i * BYTES;
      long bt = bOffset + i * BYTES;
      FloatVector e0 = loadSimilarity(a, at).sub(loadSimilarity(b, bt));
      FloatVector e1 =
          loadSimilarity(a, at + SIMILARITY_BYTES).sub(loadSimilarity(b, bt + SIMILARITY_BYTES));
      FloatVector e2 =
          loadSimilarity(a, at + 2 * SIMILARITY_BYTES)
              .sub(loadSimilarity(b, bt + 2 * SIMILARITY_BYTES));
      FloatVector e3 =
          loadSimilarity(a, at + 3 * SIMILARITY_BYTES)
              .sub(loadSimilarity(b, bt + 3 * SIMILARITY_BYTES));
      acc0 = mulAdd(e0, e0, acc0);
      acc1 = mulAdd(e1, e1, acc1);
      acc2 = mulAdd(e2, e2, acc2);
      acc3 = mulAdd(e3, e3, acc3);
    }
    int bound = SIMILARITY_SPECIES.loopBound(length);
    for (; i < bound; i += SIMILARITY_LANES) {
      FloatVector e =
          loadSimilarity(a, aOffset + i * BYTES).sub(loadSimilarity(b, bOffset + i * BYTES));
      acc0 = mulAdd(e, e, acc0);
    }
    FloatVector squares = acc0.add(acc1).add(acc2.add(acc3));
    double sum = 0;
    for (int lane = 0; lane < SIMILARITY_LANES; lane++) { // in index order, in double
      sum += squares.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double e =
          (double) a.get(FLOAT_LE, aOffset + i * BYTES) - b.get(FLOAT_LE, bOffset + i * BYTES);
      sum += e * e;
    }
    return (sum >= SimilarityKernels.FLOAT_LANES_LOW && sum < Double.POSITIVE_INFINITY)
        ? sum
        : SCALAR.squaredDistance(a, aOffset, b, bOffset, length);
  }
}
