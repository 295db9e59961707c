package dev.flynn.kernels;

import static dev.flynn.kernels.IntSegmentKernels.INT_LE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD int kernels over memory segments, loaded by name from {@link Kernels} like {@code
 * VectorIntKernels}. Each method is the loop of the array kernel of the same name with {@code
 * fromArray}/{@code intoArray} replaced by {@code fromMemorySegment}/{@code intoMemorySegment} in
 * little-endian order: the same thresholds, accumulators, chunks and scalar tails. Integer results
 * are exact, so they equal the array kernels' whatever the lane order.
 *
 * <p>As in {@code VectorFloatSegmentKernels}: the loop index stays an {@code int} (a block is at
 * most 16384 elements) and the byte offset a {@code long}, the shape in which C2 hoists the segment
 * bounds checks out of the loop.
 */
final class VectorIntSegmentKernels implements IntSegmentKernels {

  private static final VectorSpecies<Integer> INT_SPECIES = VectorIntKernels.INT_SPECIES;
  private static final int LANES = INT_SPECIES.length();
  private static final VectorSpecies<Long> LONG_SPECIES = VectorIntKernels.LONG_SPECIES;
  private static final int LONG_LANES = LONG_SPECIES.length();
  private static final VectorSpecies<Integer> HALF_INT_SPECIES = VectorIntKernels.HALF_INT_SPECIES;

  /** Floats of the same width as {@link #INT_SPECIES}: {@code toFloat} converts lane for lane. */
  private static final VectorSpecies<Float> FLOAT_SPECIES =
      VectorSpecies.of(float.class, INT_SPECIES.vectorShape());

  private static final long BYTES = Integer.BYTES;
  private static final long VECTOR_BYTES = LANES * BYTES;
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  /** As in {@code VectorIntKernels}: shorter ranges than one vector run the scalar loop. */
  private static final int VECTOR_THRESHOLD = LANES;

  /** As in {@code VectorIntKernels}: the int lanes of a chunk's sums cannot overflow. */
  private static final int SUM_CHUNK = 1 << 16;

  /** As in {@code VectorIntKernels}: the chunk of argmin and argmax read twice. */
  private static final int ARG_CHUNK = 1 << 14;

  private static final ScalarIntSegmentKernels SCALAR = ScalarIntSegmentKernels.INSTANCE;

  VectorIntSegmentKernels() {}

  @Override
  public String name() {
    return "vector-" + INT_SPECIES.vectorBitSize();
  }

  @Override
  public long sum(MemorySegment a, long aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sum(a, aOffset, length);
    }
    long sum = 0;
    int bound = INT_SPECIES.loopBound(length);
    int i = 0;
    while (i < bound) {
      int n = Math.min(SUM_CHUNK, bound - i); // a multiple of LANES
      sum += sumChunk(a, aOffset + i * BYTES, n);
      i += n;
    }
    // scalar tail
    for (; i < length; i++) {
      sum += a.get(INT_LE, aOffset + i * BYTES);
    }
    return sum;
  }

  /** {@code VectorIntKernels.sumChunk} over a segment: wrapping sums and sums of high halves. */
  private static long sumChunk(MemorySegment a, long from, int n) {
    IntVector w0 = IntVector.zero(INT_SPECIES);
    IntVector w1 = w0;
    IntVector w2 = w0;
    IntVector w3 = w0;
    IntVector h0 = w0;
    IntVector h1 = w0;
    IntVector h2 = w0;
    IntVector h3 = w0;
    int i = 0;
    int unrolledBound = n - n % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = from + i * BYTES;
      IntVector x0 = load(a, at);
      IntVector x1 = load(a, at + VECTOR_BYTES);
      IntVector x2 = load(a, at + 2 * VECTOR_BYTES);
      IntVector x3 = load(a, at + 3 * VECTOR_BYTES);
      w0 = w0.add(x0);
      w1 = w1.add(x1);
      w2 = w2.add(x2);
      w3 = w3.add(x3);
      h0 = h0.add(x0.lanewise(VectorOperators.ASHR, 16));
      h1 = h1.add(x1.lanewise(VectorOperators.ASHR, 16));
      h2 = h2.add(x2.lanewise(VectorOperators.ASHR, 16));
      h3 = h3.add(x3.lanewise(VectorOperators.ASHR, 16));
    }
    for (; i < n; i += LANES) {
      IntVector x = load(a, from + i * BYTES);
      w0 = w0.add(x);
      h0 = h0.add(x.lanewise(VectorOperators.ASHR, 16));
    }
    int wrapped = w0.add(w1).add(w2.add(w3)).reduceLanes(VectorOperators.ADD);
    int high = h0.add(h1).add(h2.add(h3)).reduceLanes(VectorOperators.ADD);
    return ((long) high << 16) + Integer.toUnsignedLong(wrapped - (high << 16));
  }

  @Override
  public long dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    if (length < LONG_LANES) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // As VectorIntKernels.dot: products of widened halves, ExactSum's W and H per lane.
    LongVector w0 = LongVector.zero(LONG_SPECIES);
    LongVector w1 = w0;
    LongVector h0 = w0;
    LongVector h1 = w0;
    long halfBytes = LONG_LANES * BYTES;
    int i = 0;
    int unrolledBound = length - length % (2 * LONG_LANES);
    for (; i < unrolledBound; i += 2 * LONG_LANES) {
      long at = aOffset + i * BYTES;
      long bt = bOffset + i * BYTES;
      LongVector p0 = widen(a, at).mul(widen(b, bt));
      LongVector p1 = widen(a, at + halfBytes).mul(widen(b, bt + halfBytes));
      w0 = w0.add(p0);
      w1 = w1.add(p1);
      h0 = h0.add(p0.lanewise(VectorOperators.ASHR, 32));
      h1 = h1.add(p1.lanewise(VectorOperators.ASHR, 32));
    }
    int bound = length - length % LONG_LANES;
    for (; i < bound; i += LONG_LANES) {
      LongVector p = widen(a, aOffset + i * BYTES).mul(widen(b, bOffset + i * BYTES));
      w0 = w0.add(p);
      h0 = h0.add(p.lanewise(VectorOperators.ASHR, 32));
    }
    long wrapped = w0.add(w1).reduceLanes(VectorOperators.ADD);
    long high = h0.add(h1).reduceLanes(VectorOperators.ADD);
    // scalar tail
    for (; i < length; i++) {
      long p = (long) a.get(INT_LE, aOffset + i * BYTES) * b.get(INT_LE, bOffset + i * BYTES);
      wrapped += p;
      high += p >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public int min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    // MIN is exact and order-free, so the loop may start at 0 and meet the first vector twice, as
    // in VectorFloatSegmentKernels.min (a loop from 0 streams a segment faster).
    IntVector m0 = load(a, aOffset);
    IntVector m1 = m0;
    IntVector m2 = m0;
    IntVector m3 = m0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + VECTOR_BYTES));
      m2 = m2.min(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.min(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i * BYTES));
    }
    int min = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a.get(INT_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public int max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    IntVector m0 = load(a, aOffset); // as in min: from 0
    IntVector m1 = m0;
    IntVector m2 = m0;
    IntVector m3 = m0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + VECTOR_BYTES));
      m2 = m2.max(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.max(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i * BYTES));
    }
    int max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a.get(INT_LE, aOffset + i * BYTES));
    }
    return max;
  }

  @Override
  public int argmin(MemorySegment a, long aOffset, int length) {
    return extremeIndex(a, aOffset, length, true);
  }

  @Override
  public int argmax(MemorySegment a, long aOffset, int length) {
    return extremeIndex(a, aOffset, length, false);
  }

  /** As in {@code VectorIntKernels}: the chunk that first reaches the extreme, then its lane. */
  private int extremeIndex(MemorySegment a, long aOffset, int length, boolean least) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return least ? SCALAR.argmin(a, aOffset, length) : SCALAR.argmax(a, aOffset, length);
    }
    int bestStart = 0;
    int best = 0;
    for (int start = 0; start < length; start += ARG_CHUNK) {
      int n = Math.min(ARG_CHUNK, length - start);
      long at = aOffset + start * BYTES;
      int m = least ? min(a, at, n) : max(a, at, n);
      if (start == 0 || (least ? m < best : m > best)) {
        best = m;
        bestStart = start;
      }
    }
    long from = aOffset + bestStart * BYTES;
    int n = Math.min(ARG_CHUNK, length - bestStart);
    IntVector target = IntVector.broadcast(INT_SPECIES, best);
    int i = 0;
    int bound = INT_SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      VectorMask<Integer> hit = load(a, from + i * BYTES).compare(VectorOperators.EQ, target);
      if (hit.anyTrue()) {
        return bestStart + i + hit.firstTrue();
      }
    }
    // scalar tail
    for (; i < n; i++) {
      if (a.get(INT_LE, from + i * BYTES) == best) {
        return bestStart + i;
      }
    }
    throw new AssertionError("the extreme " + best + " is not in its chunk");
  }

  @Override
  public long count(MemorySegment a, long aOffset, int length, Comparison cmp, long threshold) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.count(a, aOffset, length, cmp, threshold);
    }
    // Two vector loops with constant operators serve the six comparisons (see VectorIntKernels).
    return switch (cmp) {
      case LESS -> countLess(a, aOffset, length, threshold);
      case LESS_OR_EQUAL -> countLessOrEqual(a, aOffset, length, threshold);
      case GREATER -> length - countLessOrEqual(a, aOffset, length, threshold);
      case GREATER_OR_EQUAL -> length - countLess(a, aOffset, length, threshold);
      case EQUAL -> countEqual(a, aOffset, length, threshold);
      case NOT_EQUAL -> length - countEqual(a, aOffset, length, threshold);
    };
  }

  private static long countLessOrEqual(MemorySegment a, long aOffset, int length, long threshold) {
    return threshold >= Integer.MAX_VALUE ? length : countLess(a, aOffset, length, threshold + 1);
  }

  private static long countLess(MemorySegment a, long aOffset, int length, long threshold) {
    if (threshold > Integer.MAX_VALUE) {
      return length;
    }
    if (threshold <= Integer.MIN_VALUE) {
      return 0;
    }
    int t = (int) threshold;
    long count = 0;
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      count += load(a, aOffset + i * BYTES).compare(VectorOperators.LT, t).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      count += a.get(INT_LE, aOffset + i * BYTES) < t ? 1 : 0;
    }
    return count;
  }

  private static long countEqual(MemorySegment a, long aOffset, int length, long threshold) {
    if (threshold != (int) threshold) {
      return 0;
    }
    int t = (int) threshold;
    long count = 0;
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      count += load(a, aOffset + i * BYTES).compare(VectorOperators.EQ, t).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      count += a.get(INT_LE, aOffset + i * BYTES) == t ? 1 : 0;
    }
    return count;
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
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).add(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.add(a, aOffset + at, b, bOffset + at, out, outOffset + at, length - i);
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
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).sub(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.sub(a, aOffset + at, b, bOffset + at, out, outOffset + at, length - i);
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
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).mul(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.mul(a, aOffset + at, b, bOffset + at, out, outOffset + at, length - i);
  }

  @Override
  public void neg(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).neg(), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.neg(a, aOffset + at, out, outOffset + at, length - i);
  }

  @Override
  public void abs(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).abs(), out, outOffset + at); // ABS wraps like Math.abs
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.abs(a, aOffset + at, out, outOffset + at, length - i);
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
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).min(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.minimum(a, aOffset + at, b, bOffset + at, out, outOffset + at, length - i);
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
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).max(load(b, bOffset + at)), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.maximum(a, aOffset + at, b, bOffset + at, out, outOffset + at, length - i);
  }

  @Override
  public void clamp(
      MemorySegment a,
      long aOffset,
      int lo,
      int hi,
      MemorySegment out,
      long outOffset,
      int length) {
    assert lo <= hi;
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).max(lo).min(hi), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.clamp(a, aOffset + at, lo, hi, out, outOffset + at, length - i);
  }

  @Override
  public void prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, long initial) {
    if (length < LONG_LANES) {
      SCALAR.prefixSum(a, aOffset, out, outOffset, length, initial);
      return;
    }
    // As VectorIntKernels.prefixSum: widen, scan in lanes, add the carry broadcast.
    LongVector carry = LongVector.broadcast(LONG_SPECIES, initial);
    int i = 0;
    int bound = length - length % LONG_LANES;
    for (; i < bound; i += LONG_LANES) {
      LongVector prefix =
          VectorIntKernels.LongScan.inclusive(widen(a, aOffset + i * BYTES)).add(carry);
      prefix.intoMemorySegment(out, outOffset + (long) i * Long.BYTES, ORDER);
      carry = VectorIntKernels.LongScan.lastLane(prefix);
    }
    // scalar tail
    SCALAR.prefixSum(
        a,
        aOffset + i * BYTES,
        out,
        outOffset + (long) i * Long.BYTES,
        length - i,
        carry.lane(LONG_LANES - 1));
  }

  @Override
  public void toFloat(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    // The array kernel keeps the plain loop, which C2 vectorises over arrays; over segments a lane
    // conversion of the same width (one cvtdq2ps per vector on x86) is sure to vectorise, and it
    // rounds to nearest even as Java's cast does.
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES; // ints and floats have the same size
      ((FloatVector) load(a, aOffset + at).convertShape(VectorOperators.I2F, FLOAT_SPECIES, 0))
          .intoMemorySegment(out, outOffset + at, ORDER);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.toFloat(a, aOffset + at, out, outOffset + at, length - i);
  }

  private static IntVector load(MemorySegment segment, long byteOffset) {
    return IntVector.fromMemorySegment(INT_SPECIES, segment, byteOffset, ORDER);
  }

  private static void store(IntVector v, MemorySegment segment, long byteOffset) {
    v.intoMemorySegment(segment, byteOffset, ORDER);
  }

  /** {@code LONG_LANES} ints from {@code byteOffset}, sign-extended to a vector of longs. */
  private static LongVector widen(MemorySegment segment, long byteOffset) {
    return (LongVector)
        IntVector.fromMemorySegment(HALF_INT_SPECIES, segment, byteOffset, ORDER)
            .convertShape(VectorOperators.I2L, LONG_SPECIES, 0);
  }
}
