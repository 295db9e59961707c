package dev.flynn.kernels;

import static dev.flynn.kernels.FloatSegmentKernels.FLOAT_LE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
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
    // MIN is exact and order-free, so the loop may start at 0 and meet the first vector twice
    // (min(x, x) = x): a loop from 0 streams a segment as fast as the array kernel, whose loop
    // starts at 4L. Same result, NaN and signed zeros included.
    FloatVector m0 = load(a, aOffset);
    FloatVector m1 = m0;
    FloatVector m2 = m0;
    FloatVector m3 = m0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + VECTOR_BYTES));
      m2 = m2.min(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.min(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i * BYTES));
    }
    float min = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
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
    // MAX is exact and order-free, so the loop may start at 0 and meet the first vector twice
    // (max(x, x) = x): a loop from 0 streams a segment as fast as the array kernel, whose loop
    // starts at 4L. Same result, NaN and signed zeros included.
    FloatVector m0 = load(a, aOffset);
    FloatVector m1 = m0;
    FloatVector m2 = m0;
    FloatVector m3 = m0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + VECTOR_BYTES));
      m2 = m2.max(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.max(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i * BYTES));
    }
    float max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
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
}
