package dev.flynn.kernels;

import static dev.flynn.kernels.LongSegmentKernels.LONG_LE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD long kernels over memory segments, loaded by name from {@link Kernels} like {@code
 * VectorLongKernels}. Each method is the loop of the array kernel of the same name with {@code
 * fromArray}/{@code intoArray} replaced by {@code fromMemorySegment}/{@code intoMemorySegment} in
 * little-endian order: the same thresholds, accumulators, chunks and scalar tails. Integer results
 * are exact, so they equal the array kernels' whatever the lane order. The loop index stays an
 * {@code int} and the byte offset a {@code long}, as in {@code VectorFloatSegmentKernels}.
 */
final class VectorLongSegmentKernels implements LongSegmentKernels {

  private static final VectorSpecies<Long> LONG_SPECIES = VectorLongKernels.LONG_SPECIES;
  private static final int LANES = LONG_SPECIES.length();
  private static final long BYTES = Long.BYTES;
  private static final long VECTOR_BYTES = LANES * BYTES;
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  /** As in {@code VectorLongKernels}: shorter ranges than one vector run the scalar loop. */
  private static final int VECTOR_THRESHOLD = LANES;

  /** As in {@code VectorLongKernels}: the chunk of argmin and argmax read twice. */
  private static final int ARG_CHUNK = 1 << 14;

  private static final ScalarLongSegmentKernels SCALAR = ScalarLongSegmentKernels.INSTANCE;

  VectorLongSegmentKernels() {}

  @Override
  public String name() {
    return "vector-" + LONG_SPECIES.vectorBitSize();
  }

  @Override
  public long sum(MemorySegment a, long aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sum(a, aOffset, length);
    }
    // As VectorLongKernels.sum: ExactSum's W (wrapping) and H (sum of the high halves) per lane.
    LongVector w0 = LongVector.zero(LONG_SPECIES);
    LongVector w1 = w0;
    LongVector w2 = w0;
    LongVector w3 = w0;
    LongVector h0 = w0;
    LongVector h1 = w0;
    LongVector h2 = w0;
    LongVector h3 = w0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      LongVector x0 = load(a, at);
      LongVector x1 = load(a, at + VECTOR_BYTES);
      LongVector x2 = load(a, at + 2 * VECTOR_BYTES);
      LongVector x3 = load(a, at + 3 * VECTOR_BYTES);
      w0 = w0.add(x0);
      w1 = w1.add(x1);
      w2 = w2.add(x2);
      w3 = w3.add(x3);
      h0 = h0.add(x0.lanewise(VectorOperators.ASHR, 32));
      h1 = h1.add(x1.lanewise(VectorOperators.ASHR, 32));
      h2 = h2.add(x2.lanewise(VectorOperators.ASHR, 32));
      h3 = h3.add(x3.lanewise(VectorOperators.ASHR, 32));
    }
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      LongVector x = load(a, aOffset + i * BYTES);
      w0 = w0.add(x);
      h0 = h0.add(x.lanewise(VectorOperators.ASHR, 32));
    }
    long wrapped = w0.add(w1).add(w2.add(w3)).reduceLanes(VectorOperators.ADD);
    long high = h0.add(h1).add(h2.add(h3)).reduceLanes(VectorOperators.ADD);
    // scalar tail
    for (; i < length; i++) {
      long x = a.get(LONG_LE, aOffset + i * BYTES);
      wrapped += x;
      high += x >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public long min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    // MIN is exact and order-free, so the loop may start at 0 and meet the first vector twice, as
    // in VectorFloatSegmentKernels.min (a loop from 0 streams a segment faster).
    LongVector m0 = load(a, aOffset);
    LongVector m1 = m0;
    LongVector m2 = m0;
    LongVector m3 = m0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + VECTOR_BYTES));
      m2 = m2.min(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.min(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i * BYTES));
    }
    long min = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a.get(LONG_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public long max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    LongVector m0 = load(a, aOffset); // as in min: from 0
    LongVector m1 = m0;
    LongVector m2 = m0;
    LongVector m3 = m0;
    int i = 0;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      long at = aOffset + i * BYTES;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + VECTOR_BYTES));
      m2 = m2.max(load(a, at + 2 * VECTOR_BYTES));
      m3 = m3.max(load(a, at + 3 * VECTOR_BYTES));
    }
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i * BYTES));
    }
    long max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a.get(LONG_LE, aOffset + i * BYTES));
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

  /** As in {@code VectorLongKernels}: the chunk that first reaches the extreme, then its lane. */
  private int extremeIndex(MemorySegment a, long aOffset, int length, boolean least) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return least ? SCALAR.argmin(a, aOffset, length) : SCALAR.argmax(a, aOffset, length);
    }
    int bestStart = 0;
    long best = 0;
    for (int start = 0; start < length; start += ARG_CHUNK) {
      int n = Math.min(ARG_CHUNK, length - start);
      long at = aOffset + start * BYTES;
      long m = least ? min(a, at, n) : max(a, at, n);
      if (start == 0 || (least ? m < best : m > best)) {
        best = m;
        bestStart = start;
      }
    }
    long from = aOffset + bestStart * BYTES;
    int n = Math.min(ARG_CHUNK, length - bestStart);
    LongVector target = LongVector.broadcast(LONG_SPECIES, best);
    int i = 0;
    int bound = LONG_SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      VectorMask<Long> hit = load(a, from + i * BYTES).compare(VectorOperators.EQ, target);
      if (hit.anyTrue()) {
        return bestStart + i + hit.firstTrue();
      }
    }
    // scalar tail
    for (; i < n; i++) {
      if (a.get(LONG_LE, from + i * BYTES) == best) {
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
    return threshold == Long.MAX_VALUE ? length : countLess(a, aOffset, length, threshold + 1);
  }

  private static long countLess(MemorySegment a, long aOffset, int length, long t) {
    long count = 0;
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      count += load(a, aOffset + i * BYTES).compare(VectorOperators.LT, t).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      count += a.get(LONG_LE, aOffset + i * BYTES) < t ? 1 : 0;
    }
    return count;
  }

  private static long countEqual(MemorySegment a, long aOffset, int length, long t) {
    long count = 0;
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      count += load(a, aOffset + i * BYTES).compare(VectorOperators.EQ, t).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      count += a.get(LONG_LE, aOffset + i * BYTES) == t ? 1 : 0;
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
    int bound = LONG_SPECIES.loopBound(length);
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
    int bound = LONG_SPECIES.loopBound(length);
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
    int bound = LONG_SPECIES.loopBound(length);
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
    int bound = LONG_SPECIES.loopBound(length);
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
    int bound = LONG_SPECIES.loopBound(length);
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
    int bound = LONG_SPECIES.loopBound(length);
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
    int bound = LONG_SPECIES.loopBound(length);
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
      long lo,
      long hi,
      MemorySegment out,
      long outOffset,
      int length) {
    assert lo <= hi;
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      store(load(a, aOffset + at).max(lo).min(hi), out, outOffset + at);
    }
    // scalar tail
    long at = i * BYTES;
    SCALAR.clamp(a, aOffset + at, lo, hi, out, outOffset + at, length - i);
  }

  @Override
  public int prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, long initial) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.prefixSum(a, aOffset, out, outOffset, length, initial);
    }
    // As VectorLongKernels.prefixSum: each vector is checked before it is stored, so an in-place
    // scan still has the inputs of the vector that overflows; the engine names the index.
    LongVector carry = LongVector.broadcast(LONG_SPECIES, initial);
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      long at = i * BYTES;
      LongVector x = load(a, aOffset + at);
      LongVector prefix = VectorIntKernels.LongScan.inclusive(x).add(carry);
      // Lane j's previous prefix is prefix - x (wrapping); while no prefix has overflowed it is the
      // true one, so ExactSum.overflows on (previous, x, prefix) flags exactly the first overflow.
      LongVector previous = prefix.sub(x);
      LongVector flags =
          previous
              .lanewise(VectorOperators.XOR, prefix)
              .and(x.lanewise(VectorOperators.XOR, prefix));
      if (flags.compare(VectorOperators.LT, 0L).anyTrue()) {
        return i; // before the store
      }
      store(prefix, out, outOffset + at);
      carry = VectorIntKernels.LongScan.lastLane(prefix);
    }
    // scalar tail
    long at = i * BYTES;
    return i + SCALAR.prefixSum(a, aOffset + at, out, outOffset + at, length - i, carry.lane(0));
  }

  private static LongVector load(MemorySegment segment, long byteOffset) {
    return LongVector.fromMemorySegment(LONG_SPECIES, segment, byteOffset, ORDER);
  }

  private static void store(LongVector v, MemorySegment segment, long byteOffset) {
    v.intoMemorySegment(segment, byteOffset, ORDER);
  }
}
