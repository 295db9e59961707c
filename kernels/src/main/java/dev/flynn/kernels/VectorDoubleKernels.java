package dev.flynn.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD double kernels on the preferred vector species. Loaded by name from {@link Kernels} only
 * after {@code VectorSupport} has said the Vector API is usable, so a JVM without {@code
 * jdk.incubator.vector} never links this class.
 *
 * <p>Every kernel has the same shape: below {@link #VECTOR_THRESHOLD} elements the scalar kernel
 * runs; otherwise a vector main loop up to {@code loopBound}, then a scalar tail. Reductions keep
 * four accumulators in the main loop: a vector add has a latency of 3 to 4 cycles and two can issue
 * per cycle, so four independent chains keep the adders busy while one chain waits.
 */
final class VectorDoubleKernels implements DoubleKernels {

  static final VectorSpecies<Double> DOUBLE_SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int LANES = DOUBLE_SPECIES.length();

  /** Shorter ranges than one vector have nothing for the vector loop to do. */
  private static final int VECTOR_THRESHOLD = LANES;

  private static final ScalarDoubleKernels SCALAR = ScalarDoubleKernels.INSTANCE;

  VectorDoubleKernels() {}

  @Override
  public String name() {
    return "vector-" + DOUBLE_SPECIES.vectorBitSize();
  }

  @Override
  public double sum(double[] a, int aOffset, int length) {
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
      int at = aOffset + i;
      acc0 = acc0.add(DoubleVector.fromArray(DOUBLE_SPECIES, a, at));
      acc1 = acc1.add(DoubleVector.fromArray(DOUBLE_SPECIES, a, at + LANES));
      acc2 = acc2.add(DoubleVector.fromArray(DOUBLE_SPECIES, a, at + 2 * LANES));
      acc3 = acc3.add(DoubleVector.fromArray(DOUBLE_SPECIES, a, at + 3 * LANES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = acc0.add(DoubleVector.fromArray(DOUBLE_SPECIES, a, aOffset + i));
    }
    double sum = foldLanes(acc0.add(acc1).add(acc2.add(acc3)));
    // scalar tail
    for (; i < length; i++) {
      sum += a[aOffset + i];
    }
    return sum;
  }

  @Override
  public double dot(double[] a, int aOffset, double[] b, int bOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // Eight chains, not four: each step loads two vectors per multiply-add, and an FMA's latency
    // of 4 cycles on two pipes needs 8 independent chains to issue one per pipe every cycle.
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
      int at = aOffset + i;
      int bt = bOffset + i;
      acc0 = mulAdd(load(a, at), load(b, bt), acc0);
      acc1 = mulAdd(load(a, at + LANES), load(b, bt + LANES), acc1);
      acc2 = mulAdd(load(a, at + 2 * LANES), load(b, bt + 2 * LANES), acc2);
      acc3 = mulAdd(load(a, at + 3 * LANES), load(b, bt + 3 * LANES), acc3);
      acc4 = mulAdd(load(a, at + 4 * LANES), load(b, bt + 4 * LANES), acc4);
      acc5 = mulAdd(load(a, at + 5 * LANES), load(b, bt + 5 * LANES), acc5);
      acc6 = mulAdd(load(a, at + 6 * LANES), load(b, bt + 6 * LANES), acc6);
      acc7 = mulAdd(load(a, at + 7 * LANES), load(b, bt + 7 * LANES), acc7);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = mulAdd(load(a, aOffset + i), load(b, bOffset + i), acc0);
    }
    DoubleVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = foldLanes(acc);
    // scalar tail
    for (; i < length; i++) {
      sum += a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  @Override
  public double min(double[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    // Starting from the first elements avoids choosing an identity (+Inf) that NaN rules must
    // respect; MIN is exact and order-free, so the lane reduction order does not matter.
    DoubleVector m0 = load(a, aOffset);
    DoubleVector m1 = load(a, aOffset + LANES);
    DoubleVector m2 = load(a, aOffset + 2 * LANES);
    DoubleVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + LANES));
      m2 = m2.min(load(a, at + 2 * LANES));
      m3 = m3.min(load(a, at + 3 * LANES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i));
    }
    double min = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public double max(double[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    DoubleVector m0 = load(a, aOffset);
    DoubleVector m1 = load(a, aOffset + LANES);
    DoubleVector m2 = load(a, aOffset + 2 * LANES);
    DoubleVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + LANES));
      m2 = m2.max(load(a, at + 2 * LANES));
      m3 = m3.max(load(a, at + 3 * LANES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i));
    }
    double max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public void add(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
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
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
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
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).mul(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
    }
  }

  @Override
  public void div(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).div(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] / b[bOffset + i];
    }
  }

  @Override
  public void scale(
      double alpha, double[] x, int xOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).mul(alpha).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = alpha * x[xOffset + i];
    }
  }

  @Override
  public void axpy(double alpha, double[] x, int xOffset, double[] y, int yOffset, int length) {
    DoubleVector alphas = DoubleVector.broadcast(DOUBLE_SPECIES, alpha);
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      mulAdd(alphas, load(x, xOffset + i), load(y, yOffset + i)).intoArray(y, yOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      y[yOffset + i] = FusedMultiplyAdd.mulAdd(alpha, x[xOffset + i], y[yOffset + i]);
    }
  }

  @Override
  public void fma(
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset,
      double[] out,
      int outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i)
          .fma(load(b, bOffset + i), load(c, cOffset + i))
          .intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.fma(a[aOffset + i], b[bOffset + i], c[cOffset + i]);
    }
  }

  @Override
  public void exp(double[] x, int xOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).lanewise(VectorOperators.EXP).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.exp(x[xOffset + i]);
    }
  }

  private static DoubleVector load(double[] array, int index) {
    return DoubleVector.fromArray(DOUBLE_SPECIES, array, index);
  }

  /** The guarded multiply-add: fused only where FMA is hardware (see {@link FusedMultiplyAdd}). */
  private static DoubleVector mulAdd(DoubleVector a, DoubleVector b, DoubleVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /**
   * Adds the lanes in index order in double. {@code reduceLanes(ADD)} leaves the order to the
   * implementation (the interpreter and C2 may differ), which would break bit-for-bit determinism.
   */
  private static double foldLanes(DoubleVector v) {
    double sum = 0;
    for (int lane = 0; lane < LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
  }

  // ======== MAPS: neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
  // conversions
  // (section maps: add this family's code below, above the next section line)

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  // ======== SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  /**
   * The steps of the in-register prefix: step j adds the vector shifted up by 2^j lanes, the low
   * 2^j lanes zero. A masked rearrange (a permute with zeroing on AVX-512), not a multiply by 0,
   * which would turn an infinity into NaN in lanes it must not reach.
   */
  private static final int PREFIX_STEPS = Integer.numberOfTrailingZeros(LANES);

  @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
  private static final VectorShuffle<Double>[] PREFIX_SHIFTS = new VectorShuffle[PREFIX_STEPS];

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final VectorMask<Double>[] PREFIX_KEEPS = new VectorMask[PREFIX_STEPS];

  static {
    for (int step = 0; step < PREFIX_STEPS; step++) {
      int shift = 1 << step;
      PREFIX_SHIFTS[step] = VectorShuffle.iota(DOUBLE_SPECIES, -shift, 1, true);
      PREFIX_KEEPS[step] = DOUBLE_SPECIES.indexInRange(-shift, LANES);
    }
  }

  /** Lane i becomes {@code v[0] + ... + v[i]}: a fixed tree of log2(L) vector adds. */
  private static DoubleVector lanePrefix(DoubleVector v) {
    for (int step = 0; step < PREFIX_STEPS; step++) {
      v = v.add(v.rearrange(PREFIX_SHIFTS[step], PREFIX_KEEPS[step]));
    }
    return v;
  }

  @Override
  public double prefixSum(
      double[] a, int aOffset, double[] out, int outOffset, int length, double carry) {
    double run = 0;
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      DoubleVector prefix = lanePrefix(load(a, aOffset + i));
      prefix.add(carry + run).intoArray(out, outOffset + i);
      run += prefix.lane(LANES - 1);
    }
    // scalar tail, as the scalar form
    for (; i < length; i++) {
      run += a[aOffset + i];
      out[outOffset + i] = carry + run;
    }
    return run;
  }

  @Override
  public double prefixSumTotal(double[] a, int aOffset, int length) {
    double run = 0;
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      run += lanePrefix(load(a, aOffset + i)).lane(LANES - 1);
    }
    // scalar tail
    for (; i < length; i++) {
      run += a[aOffset + i];
    }
    return run;
  }

  private static final VectorSpecies<Double> HISTOGRAM_SPECIES = DOUBLE_SPECIES;
  private static final int HISTOGRAM_LANES = LANES;

  /**
   * Bin indices for a vector of values at once, with the scalar form's arithmetic ({@code t = (x -
   * lo) * scale}, truncated); when every lane is in range and clear of the edges, the counts are
   * incremented one by one, otherwise the vector's values take the scalar rule.
   */
  @Override
  public void histogram(double[] a, int aOffset, int length, EqualWidthBins rule, long[] counts) {
    assert counts.length >= rule.bins() + 3;
    DoubleVector los = DoubleVector.broadcast(HISTOGRAM_SPECIES, rule.lo());
    DoubleVector his = DoubleVector.broadcast(HISTOGRAM_SPECIES, rule.hi());
    DoubleVector scales = DoubleVector.broadcast(HISTOGRAM_SPECIES, rule.scale());
    double margin = rule.margin();
    double upper = 1 - margin;
    int i = 0;
    int bound = HISTOGRAM_SPECIES.loopBound(length);
    for (; i < bound; i += HISTOGRAM_LANES) {
      DoubleVector x = load(a, aOffset + i);
      DoubleVector t = x.sub(los).mul(scales);
      LongVector k = (LongVector) t.convert(VectorOperators.D2L, 0);
      DoubleVector fraction = t.sub(k.convert(VectorOperators.L2D, 0));
      VectorMask<Double> clear =
          x.compare(VectorOperators.GE, los)
              .and(x.compare(VectorOperators.LT, his))
              .and(fraction.compare(VectorOperators.GE, margin))
              .and(fraction.compare(VectorOperators.LE, upper));
      if (clear.allTrue()) {
        for (int lane = 0; lane < HISTOGRAM_LANES; lane++) {
          counts[(int) k.lane(lane)]++;
        }
      } else {
        for (int lane = 0; lane < HISTOGRAM_LANES; lane++) {
          rule.count(a[aOffset + i + lane], counts);
        }
      }
    }
    // scalar tail
    for (; i < length; i++) {
      rule.count(a[aOffset + i], counts);
    }
  }

  // ======== end of families
}
