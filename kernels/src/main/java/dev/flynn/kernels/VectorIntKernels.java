package dev.flynn.kernels;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD int kernels on the preferred vector species. Loaded by name from {@link Kernels} only after
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
final class VectorIntKernels implements IntKernels {

  static final VectorSpecies<Integer> INT_SPECIES = IntVector.SPECIES_PREFERRED;
  private static final int LANES = INT_SPECIES.length();

  /** Long lanes of the same width: the accumulators of widening kernels. */
  static final VectorSpecies<Long> LONG_SPECIES = LongVector.SPECIES_PREFERRED;

  private static final int LONG_LANES = LONG_SPECIES.length();

  /** Ints that fill {@link #LONG_SPECIES} once widened: half the preferred width. */
  static final VectorSpecies<Integer> HALF_INT_SPECIES =
      VectorSpecies.of(int.class, VectorShape.forBitSize(INT_SPECIES.vectorBitSize() / 2));

  /** Shorter ranges than one vector have nothing for the vector loop to do. */
  private static final int VECTOR_THRESHOLD = LANES;

  /**
   * Elements per chunk of {@link #sum}: the int lanes of a chunk's sum of high halves stay within
   * the int range (at most 2^16 halves of magnitude at most 2^15), and its sum of low halves below
   * 2^32. See {@link #sumChunk}.
   */
  private static final int SUM_CHUNK = 1 << 16;

  /**
   * Elements per chunk of {@code argmin} and {@code argmax}: 64 KiB, so that the second pass over
   * the chunk that holds the extreme reads it from L2 rather than memory.
   */
  private static final int ARG_CHUNK = 1 << 14;

  private static final ScalarIntKernels SCALAR = ScalarIntKernels.INSTANCE;

  VectorIntKernels() {}

  @Override
  public String name() {
    return "vector-" + INT_SPECIES.vectorBitSize();
  }

  @Override
  public long sum(int[] a, int aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sum(a, aOffset, length);
    }
    long sum = 0;
    int bound = INT_SPECIES.loopBound(length);
    int i = 0;
    while (i < bound) {
      int n = Math.min(SUM_CHUNK, bound - i); // a multiple of LANES
      sum += sumChunk(a, aOffset + i, n);
      i += n;
    }
    // scalar tail
    for (; i < length; i++) {
      sum += a[aOffset + i];
    }
    return sum;
  }

  /**
   * The exact sum of {@code n <= 2^16} elements ({@code n} a multiple of the lanes), in int lanes.
   * Write {@code x = h 2^16 + l} with {@code h = x >> 16} and {@code l} in {@code [0, 2^16)}: the
   * lanes keep {@code W = sum x} (wrapping) and {@code H = sum h}, which fits an int; {@code L =
   * sum l} lies in {@code [0, 2^32)} and so equals {@code W - (H << 16)} read unsigned, and the sum
   * is {@code H 2^16 + L}. Three int operations per 16 elements (AVX-512) where widening costs two
   * conversions and two long additions. {@code ./flynn jmh 'IntKernelBenchmark.(sum|plainSum)$' -p
   * size=65536 -p mode=SIMD -wi 4 -w 1s -i 3 -r 500ms} (2 vCPUs, heavily shared, so rough): 9 us
   * here, 28 us widening to long lanes, 17 to 22 us for the plain {@code long s += a[i]} loop.
   */
  private static long sumChunk(int[] a, int from, int n) {
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
      IntVector x0 = load(a, from + i);
      IntVector x1 = load(a, from + i + LANES);
      IntVector x2 = load(a, from + i + 2 * LANES);
      IntVector x3 = load(a, from + i + 3 * LANES);
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
      IntVector x = load(a, from + i);
      w0 = w0.add(x);
      h0 = h0.add(x.lanewise(VectorOperators.ASHR, 16));
    }
    int wrapped = w0.add(w1).add(w2.add(w3)).reduceLanes(VectorOperators.ADD);
    int high = h0.add(h1).add(h2.add(h3)).reduceLanes(VectorOperators.ADD);
    return ((long) high << 16) + Integer.toUnsignedLong(wrapped - (high << 16));
  }

  @Override
  public long dot(int[] a, int aOffset, int[] b, int bOffset, int length) {
    if (length < LONG_LANES) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // Products need 64 bits: widen half a vector of ints to a vector of longs. The sums follow
    // ExactSum: W (wrapping) and H (the products' high halves) per lane. IntKernelBenchmark at
    // 64 Ki ints: 24 us against 22 us for the plain loop, a tie within the noise of a shared
    // machine; the plain loop wraps silently where this one is exact or throws, so it stays.
    LongVector w0 = LongVector.zero(LONG_SPECIES);
    LongVector w1 = w0;
    LongVector h0 = w0;
    LongVector h1 = w0;
    int i = 0;
    int unrolledBound = length - length % (2 * LONG_LANES);
    for (; i < unrolledBound; i += 2 * LONG_LANES) {
      LongVector p0 = widen(a, aOffset + i).mul(widen(b, bOffset + i));
      LongVector p1 = widen(a, aOffset + i + LONG_LANES).mul(widen(b, bOffset + i + LONG_LANES));
      w0 = w0.add(p0);
      w1 = w1.add(p1);
      h0 = h0.add(p0.lanewise(VectorOperators.ASHR, 32));
      h1 = h1.add(p1.lanewise(VectorOperators.ASHR, 32));
    }
    int bound = length - length % LONG_LANES;
    for (; i < bound; i += LONG_LANES) {
      LongVector p = widen(a, aOffset + i).mul(widen(b, bOffset + i));
      w0 = w0.add(p);
      h0 = h0.add(p.lanewise(VectorOperators.ASHR, 32));
    }
    long wrapped = w0.add(w1).reduceLanes(VectorOperators.ADD);
    long high = h0.add(h1).reduceLanes(VectorOperators.ADD);
    // scalar tail
    for (; i < length; i++) {
      long p = (long) a[aOffset + i] * b[bOffset + i];
      wrapped += p;
      high += p >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public int min(int[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    IntVector m0 = load(a, aOffset);
    IntVector m1 = load(a, aOffset + LANES);
    IntVector m2 = load(a, aOffset + 2 * LANES);
    IntVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + LANES));
      m2 = m2.min(load(a, at + 2 * LANES));
      m3 = m3.min(load(a, at + 3 * LANES));
    }
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i));
    }
    int min = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public int max(int[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    IntVector m0 = load(a, aOffset);
    IntVector m1 = load(a, aOffset + LANES);
    IntVector m2 = load(a, aOffset + 2 * LANES);
    IntVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + LANES));
      m2 = m2.max(load(a, at + 2 * LANES));
      m3 = m3.max(load(a, at + 3 * LANES));
    }
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i));
    }
    int max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public int argmin(int[] a, int aOffset, int length) {
    return extremeIndex(a, aOffset, length, true);
  }

  @Override
  public int argmax(int[] a, int aOffset, int length) {
    return extremeIndex(a, aOffset, length, false);
  }

  /**
   * Two passes instead of tracking indices in lanes: the vector min (max) of each chunk, keeping
   * the first chunk that reaches the extreme, then the first lane equal to it in that chunk, which
   * is still in cache. The first pass costs what {@code min} costs; the second at most one chunk.
   */
  private int extremeIndex(int[] a, int aOffset, int length, boolean least) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return least ? SCALAR.argmin(a, aOffset, length) : SCALAR.argmax(a, aOffset, length);
    }
    int bestStart = 0;
    int best = 0;
    for (int start = 0; start < length; start += ARG_CHUNK) {
      int n = Math.min(ARG_CHUNK, length - start);
      int m = least ? min(a, aOffset + start, n) : max(a, aOffset + start, n);
      if (start == 0 || (least ? m < best : m > best)) {
        best = m;
        bestStart = start;
      }
    }
    int from = aOffset + bestStart;
    int n = Math.min(ARG_CHUNK, length - bestStart);
    IntVector target = IntVector.broadcast(INT_SPECIES, best);
    int i = 0;
    int bound = INT_SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      VectorMask<Integer> hit = load(a, from + i).compare(VectorOperators.EQ, target);
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
  public long count(int[] a, int aOffset, int length, Comparison cmp, long threshold) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.count(a, aOffset, length, cmp, threshold);
    }
    // Two vector loops serve the six comparisons, each with a constant operator (C2 intrinsifies
    // only constant ones): x <= t is x < t + 1, x > t is not x <= t, and so on.
    return switch (cmp) {
      case LESS -> countLess(a, aOffset, length, threshold);
      case LESS_OR_EQUAL -> countLessOrEqual(a, aOffset, length, threshold);
      case GREATER -> length - countLessOrEqual(a, aOffset, length, threshold);
      case GREATER_OR_EQUAL -> length - countLess(a, aOffset, length, threshold);
      case EQUAL -> countEqual(a, aOffset, length, threshold);
      case NOT_EQUAL -> length - countEqual(a, aOffset, length, threshold);
    };
  }

  private static long countLessOrEqual(int[] a, int aOffset, int length, long threshold) {
    return threshold >= Integer.MAX_VALUE ? length : countLess(a, aOffset, length, threshold + 1);
  }

  private static long countLess(int[] a, int aOffset, int length, long threshold) {
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
      count += load(a, aOffset + i).compare(VectorOperators.LT, t).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      count += a[aOffset + i] < t ? 1 : 0;
    }
    return count;
  }

  private static long countEqual(int[] a, int aOffset, int length, long threshold) {
    if (threshold != (int) threshold) {
      return 0;
    }
    int t = (int) threshold;
    long count = 0;
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
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
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] + b[i];
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
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
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] - b[i];
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
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
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] * b[i];
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).mul(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
    }
  }

  @Override
  public void neg(int[] a, int aOffset, int[] out, int outOffset, int length) {
    if ((aOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = -a[i];
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).neg().intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = -a[aOffset + i];
    }
  }

  @Override
  public void abs(int[] a, int aOffset, int[] out, int outOffset, int length) {
    if ((aOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.abs(a[i]);
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
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
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.min(a[i], b[i]);
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
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
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.max(a[i], b[i]);
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).max(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void clamp(int[] a, int aOffset, int lo, int hi, int[] out, int outOffset, int length) {
    assert lo <= hi;
    if ((aOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.min(Math.max(a[i], lo), hi);
      }
      return;
    }
    int i = 0;
    int bound = INT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).max(lo).min(hi).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.min(Math.max(a[aOffset + i], lo), hi);
    }
  }

  @Override
  public void prefixSum(int[] a, int aOffset, long[] out, int outOffset, int length, long initial) {
    if (length < LONG_LANES) {
      SCALAR.prefixSum(a, aOffset, out, outOffset, length, initial);
      return;
    }
    // IntKernelBenchmark at 64 Ki ints: 64 us against 69 us for the plain loop (a tie on a shared
    // machine; the carry broadcast is a serial chain of add and permute per vector).
    LongVector carry = LongVector.broadcast(LONG_SPECIES, initial);
    int i = 0;
    int bound = length - length % LONG_LANES;
    for (; i < bound; i += LONG_LANES) {
      LongVector prefix = LongScan.inclusive(widen(a, aOffset + i)).add(carry);
      prefix.intoArray(out, outOffset + i);
      carry = LongScan.lastLane(prefix);
    }
    // scalar tail
    long s = carry.lane(LONG_LANES - 1);
    for (; i < length; i++) {
      s += a[aOffset + i];
      out[outOffset + i] = s;
    }
  }

  private static IntVector load(int[] array, int index) {
    return IntVector.fromArray(INT_SPECIES, array, index);
  }

  /** {@code LONG_LANES} ints from {@code index}, sign-extended to a vector of longs. */
  private static LongVector widen(int[] array, int index) {
    return (LongVector)
        IntVector.fromArray(HALF_INT_SPECIES, array, index)
            .convertShape(VectorOperators.I2L, LONG_SPECIES, 0);
  }

  /** In-register prefix sums over the lanes of {@link #LONG_SPECIES}, shared with the longs. */
  static final class LongScan {

    // Step k moves every lane up by k lanes, zeros below: up to 32 lanes (2048-bit SVE). Fields,
    // not an array, so that C2 sees constant shuffles and masks and skips the steps it needs not.
    private static final VectorShuffle<Long> SHIFT_1 = shift(1);
    private static final VectorShuffle<Long> SHIFT_2 = shift(2);
    private static final VectorShuffle<Long> SHIFT_4 = shift(4);
    private static final VectorShuffle<Long> SHIFT_8 = shift(8);
    private static final VectorShuffle<Long> SHIFT_16 = shift(16);
    private static final VectorMask<Long> KEEP_1 = keep(1);
    private static final VectorMask<Long> KEEP_2 = keep(2);
    private static final VectorMask<Long> KEEP_4 = keep(4);
    private static final VectorMask<Long> KEEP_8 = keep(8);
    private static final VectorMask<Long> KEEP_16 = keep(16);

    private static final VectorShuffle<Long> LAST =
        VectorShuffle.fromOp(LONG_SPECIES, lane -> LONG_LANES - 1);

    private LongScan() {}

    private static VectorShuffle<Long> shift(int by) {
      return VectorShuffle.fromOp(LONG_SPECIES, lane -> Math.max(0, lane - by));
    }

    private static VectorMask<Long> keep(int by) {
      return VectorMask.fromLong(LONG_SPECIES, -1L << by);
    }

    /**
     * Lane j becomes the sum of lanes 0..j (wrapping), in log2(lanes) shift-and-add steps
     * (Hillis-Steele).
     */
    static LongVector inclusive(LongVector v) {
      if (LONG_LANES > 1) {
        v = v.add(v.rearrange(SHIFT_1, KEEP_1));
      }
      if (LONG_LANES > 2) {
        v = v.add(v.rearrange(SHIFT_2, KEEP_2));
      }
      if (LONG_LANES > 4) {
        v = v.add(v.rearrange(SHIFT_4, KEEP_4));
      }
      if (LONG_LANES > 8) {
        v = v.add(v.rearrange(SHIFT_8, KEEP_8));
      }
      if (LONG_LANES > 16) {
        v = v.add(v.rearrange(SHIFT_16, KEEP_16));
      }
      return v;
    }

    /** The last lane, in every lane: the carry into the next vector. */
    static LongVector lastLane(LongVector v) {
      return v.rearrange(LAST);
    }
  }
}
