package dev.flynn.kernels;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD long kernels on the preferred vector species. Loaded by name from {@link Kernels} only after
 * {@code VectorSupport} has said the Vector API is usable, so a JVM without {@code
 * jdk.incubator.vector} never links this class.
 *
 * <p>Every kernel has the shape of {@code VectorFloatKernels}: below a size threshold the scalar
 * kernel runs; otherwise a vector main loop up to {@code loopBound}, then a scalar tail. Integer
 * reductions are exact, so folding lanes with {@code reduceLanes} (whose order the implementation
 * chooses) cannot change a result.
 *
 * <p>The maps ({@code add}, {@code sub}, {@code mul}, {@code neg}, {@code abs}, {@code minimum},
 * {@code maximum}, {@code clamp}) run a plain one-index loop over whole arrays (every offset 0),
 * which C2 vectorises with stores aligned to the cache line, and the Vector API loop over ranges
 * with offsets, which C2 would leave scalar: see {@code VectorFloatKernels}. Both are exact and
 * wrap as Java's operators, so they give the same results.
 */
final class VectorLongKernels implements LongKernels {

  static final VectorSpecies<Long> LONG_SPECIES = VectorIntKernels.LONG_SPECIES;
  private static final int LANES = LONG_SPECIES.length();

  /** Shorter ranges than one vector have nothing for the vector loop to do. */
  private static final int VECTOR_THRESHOLD = LANES;

  /**
   * Elements per chunk of {@code argmin} and {@code argmax}: 128 KiB, so that the second pass over
   * the chunk that holds the extreme reads it from L2 rather than memory.
   */
  private static final int ARG_CHUNK = 1 << 14;

  private static final ScalarLongKernels SCALAR = ScalarLongKernels.INSTANCE;

  VectorLongKernels() {}

  @Override
  public String name() {
    return "vector-" + LONG_SPECIES.vectorBitSize();
  }

  @Override
  public long sum(long[] a, int aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sum(a, aOffset, length);
    }
    // ExactSum's two accumulators per lane: W (wrapping) and H (sum of the high halves).
    // LongKernelBenchmark at 64 Ki longs, SIMD: 33 us against 64 to 210 us for the plain wrapping
    // loop (a shared machine: the spread is noise); the exactness check costs less than C2 loses.
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
      LongVector x0 = load(a, aOffset + i);
      LongVector x1 = load(a, aOffset + i + LANES);
      LongVector x2 = load(a, aOffset + i + 2 * LANES);
      LongVector x3 = load(a, aOffset + i + 3 * LANES);
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
      LongVector x = load(a, aOffset + i);
      w0 = w0.add(x);
      h0 = h0.add(x.lanewise(VectorOperators.ASHR, 32));
    }
    long wrapped = w0.add(w1).add(w2.add(w3)).reduceLanes(VectorOperators.ADD);
    long high = h0.add(h1).add(h2.add(h3)).reduceLanes(VectorOperators.ADD);
    // scalar tail
    for (; i < length; i++) {
      long x = a[aOffset + i];
      wrapped += x;
      high += x >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public long min(long[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    LongVector m0 = load(a, aOffset);
    LongVector m1 = load(a, aOffset + LANES);
    LongVector m2 = load(a, aOffset + 2 * LANES);
    LongVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + LANES));
      m2 = m2.min(load(a, at + 2 * LANES));
      m3 = m3.min(load(a, at + 3 * LANES));
    }
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i));
    }
    long min = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public long max(long[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    LongVector m0 = load(a, aOffset);
    LongVector m1 = load(a, aOffset + LANES);
    LongVector m2 = load(a, aOffset + 2 * LANES);
    LongVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + LANES));
      m2 = m2.max(load(a, at + 2 * LANES));
      m3 = m3.max(load(a, at + 3 * LANES));
    }
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i));
    }
    long max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public int argmin(long[] a, int aOffset, int length) {
    return extremeIndex(a, aOffset, length, true);
  }

  @Override
  public int argmax(long[] a, int aOffset, int length) {
    return extremeIndex(a, aOffset, length, false);
  }

  /** As in {@code VectorIntKernels}: the chunk that first reaches the extreme, then its lane. */
  private int extremeIndex(long[] a, int aOffset, int length, boolean least) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return least ? SCALAR.argmin(a, aOffset, length) : SCALAR.argmax(a, aOffset, length);
    }
    int bestStart = 0;
    long best = 0;
    for (int start = 0; start < length; start += ARG_CHUNK) {
      int n = Math.min(ARG_CHUNK, length - start);
      long m = least ? min(a, aOffset + start, n) : max(a, aOffset + start, n);
      if (start == 0 || (least ? m < best : m > best)) {
        best = m;
        bestStart = start;
      }
    }
    int from = aOffset + bestStart;
    int n = Math.min(ARG_CHUNK, length - bestStart);
    LongVector target = LongVector.broadcast(LONG_SPECIES, best);
    int i = 0;
    int bound = LONG_SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      VectorMask<Long> hit = load(a, from + i).compare(VectorOperators.EQ, target);
      if (hit.anyTrue()) {
        return bestStart + i + hit.firstTrue();
      }
    }
    // scalar tail
    for (; i < n; i++) {
      if (a[from + i] == best) {
        return bestStart + i;
      }
    }
    throw new AssertionError("the extreme " + best + " is not in its chunk");
  }

  @Override
  public long count(long[] a, int aOffset, int length, Comparison cmp, long threshold) {
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

  private static long countLessOrEqual(long[] a, int aOffset, int length, long threshold) {
    return threshold == Long.MAX_VALUE ? length : countLess(a, aOffset, length, threshold + 1);
  }

  private static long countLess(long[] a, int aOffset, int length, long t) {
    long count = 0;
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      count += load(a, aOffset + i).compare(VectorOperators.LT, t).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      count += a[aOffset + i] < t ? 1 : 0;
    }
    return count;
  }

  private static long countEqual(long[] a, int aOffset, int length, long t) {
    long count = 0;
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      count += load(a, aOffset + i).compare(VectorOperators.EQ, t).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      count += a[aOffset + i] == t ? 1 : 0;
    }
    return count;
  }

  @Override
  public void add(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] + b[i];
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).add(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] + b[bOffset + i];
    }
  }

  @Override
  public void sub(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] - b[i];
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).sub(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] - b[bOffset + i];
    }
  }

  @Override
  public void mul(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] * b[i];
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).mul(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
    }
  }

  @Override
  public void neg(long[] a, int aOffset, long[] out, int outOffset, int length) {
    if ((aOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = -a[i];
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).neg().intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = -a[aOffset + i];
    }
  }

  @Override
  public void abs(long[] a, int aOffset, long[] out, int outOffset, int length) {
    if ((aOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.abs(a[i]);
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).abs().intoArray(out, outOffset + i); // ABS wraps like Math.abs
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.abs(a[aOffset + i]);
    }
  }

  @Override
  public void minimum(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.min(a[i], b[i]);
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).min(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void maximum(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.max(a[i], b[i]);
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).max(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void clamp(
      long[] a, int aOffset, long lo, long hi, long[] out, int outOffset, int length) {
    assert lo <= hi;
    if ((aOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.min(Math.max(a[i], lo), hi);
      }
      return;
    }
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).max(lo).min(hi).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.min(Math.max(a[aOffset + i], lo), hi);
    }
  }

  @Override
  public void prefixSum(
      long[] a, int aOffset, long[] out, int outOffset, int length, long initial) {
    if (length < VECTOR_THRESHOLD) {
      SCALAR.prefixSum(a, aOffset, out, outOffset, length, initial);
      return;
    }
    // LongKernelBenchmark at 64 Ki longs: 95 us with the overflow check against 71 us for a plain
    // loop without one (shared machine, rough); to re-measure against the checked scalar form.
    LongVector carry = LongVector.broadcast(LONG_SPECIES, initial);
    int i = 0;
    int bound = LONG_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      LongVector x = load(a, aOffset + i);
      LongVector prefix = VectorIntKernels.LongScan.inclusive(x).add(carry);
      // Lane j's previous prefix is prefix - x (wrapping); while no prefix has overflowed it is the
      // true one, so ExactSum.overflows on (previous, x, prefix) flags exactly the first overflow.
      LongVector previous = prefix.sub(x);
      LongVector flags =
          previous
              .lanewise(VectorOperators.XOR, prefix)
              .and(x.lanewise(VectorOperators.XOR, prefix));
      if (flags.compare(VectorOperators.LT, 0L).anyTrue()) {
        // before the store: an in-place scan still has this vector's inputs
        throw ExactSum.scanOverflow(a, aOffset, i, i + LANES, carry.lane(0));
      }
      prefix.intoArray(out, outOffset + i);
      carry = VectorIntKernels.LongScan.lastLane(prefix);
    }
    // scalar tail
    long s = carry.lane(0);
    for (; i < length; i++) {
      long x = a[aOffset + i];
      long next = s + x;
      if (ExactSum.overflows(s, x, next)) {
        throw ExactSum.scanOverflow(a, aOffset, i, i + 1, s);
      }
      s = next;
      out[outOffset + i] = s;
    }
  }

  private static LongVector load(long[] array, int index) {
    return LongVector.fromArray(LONG_SPECIES, array, index);
  }
}
