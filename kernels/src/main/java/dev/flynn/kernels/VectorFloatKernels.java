package dev.flynn.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD float kernels on the preferred vector species. Loaded by name from {@link Kernels} only
 * after {@code VectorSupport} has said the Vector API is usable, so a JVM without {@code
 * jdk.incubator.vector} never links this class.
 *
 * <p>Every kernel has the same shape: below {@link #VECTOR_THRESHOLD} elements the scalar kernel
 * runs; otherwise a vector main loop up to {@code loopBound}, then a scalar tail. Reductions keep
 * four accumulators in the main loop: a vector add has a latency of 3 to 4 cycles and two can issue
 * per cycle, so four independent chains keep the adders busy while one chain waits.
 */
final class VectorFloatKernels implements FloatKernels {

  static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = FLOAT_SPECIES.length();

  /** Shorter ranges than one vector have nothing for the vector loop to do. */
  private static final int VECTOR_THRESHOLD = LANES;

  private static final ScalarFloatKernels SCALAR = ScalarFloatKernels.INSTANCE;

  VectorFloatKernels() {}

  @Override
  public String name() {
    return "vector-" + FLOAT_SPECIES.vectorBitSize();
  }

  @Override
  public double sum(float[] a, int aOffset, int length) {
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
      int at = aOffset + i;
      acc0 = acc0.add(FloatVector.fromArray(FLOAT_SPECIES, a, at));
      acc1 = acc1.add(FloatVector.fromArray(FLOAT_SPECIES, a, at + LANES));
      acc2 = acc2.add(FloatVector.fromArray(FLOAT_SPECIES, a, at + 2 * LANES));
      acc3 = acc3.add(FloatVector.fromArray(FLOAT_SPECIES, a, at + 3 * LANES));
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = acc0.add(FloatVector.fromArray(FLOAT_SPECIES, a, aOffset + i));
    }
    double sum = foldLanes(acc0.add(acc1).add(acc2.add(acc3)));
    // scalar tail
    for (; i < length; i++) {
      sum += a[aOffset + i];
    }
    return sum;
  }

  @Override
  public double dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // Eight chains, not four: each step loads two vectors per multiply-add, and an FMA's latency
    // of 4 cycles on two pipes needs 8 independent chains to issue one per pipe every cycle.
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = mulAdd(load(a, aOffset + i), load(b, bOffset + i), acc0);
    }
    FloatVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = foldLanes(acc);
    // scalar tail
    for (; i < length; i++) {
      sum += (double) a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  @Override
  public float min(float[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.min(a, aOffset, length);
    }
    // Starting from the first elements avoids choosing an identity (+Inf) that NaN rules must
    // respect; MIN is exact and order-free, so the lane reduction order does not matter.
    FloatVector m0 = load(a, aOffset);
    FloatVector m1 = load(a, aOffset + LANES);
    FloatVector m2 = load(a, aOffset + 2 * LANES);
    FloatVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + LANES));
      m2 = m2.min(load(a, at + 2 * LANES));
      m3 = m3.min(load(a, at + 3 * LANES));
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i));
    }
    float min = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
    // scalar tail
    for (; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public float max(float[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.max(a, aOffset, length);
    }
    FloatVector m0 = load(a, aOffset);
    FloatVector m1 = load(a, aOffset + LANES);
    FloatVector m2 = load(a, aOffset + 2 * LANES);
    FloatVector m3 = load(a, aOffset + 3 * LANES);
    int i = 4 * LANES;
    int unrolledBound = length - length % (4 * LANES);
    for (; i < unrolledBound; i += 4 * LANES) {
      int at = aOffset + i;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + LANES));
      m2 = m2.max(load(a, at + 2 * LANES));
      m3 = m3.max(load(a, at + 3 * LANES));
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i));
    }
    float max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public void add(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).div(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] / b[bOffset + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).mul(alpha).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = alpha * x[xOffset + i];
    }
  }

  @Override
  public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
    FloatVector alphas = FloatVector.broadcast(FLOAT_SPECIES, alpha);
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float[] a,
      int aOffset,
      float[] b,
      int bOffset,
      float[] c,
      int cOffset,
      float[] out,
      int outOffset,
      int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
  public void exp(float[] x, int xOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).lanewise(VectorOperators.EXP).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = (float) Math.exp(x[xOffset + i]);
    }
  }

  private static FloatVector load(float[] array, int index) {
    return FloatVector.fromArray(FLOAT_SPECIES, array, index);
  }

  /** The guarded multiply-add: fused only where FMA is hardware (see {@link FusedMultiplyAdd}). */
  private static FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /**
   * Adds the lanes in index order in double. {@code reduceLanes(ADD)} leaves the order to the
   * implementation (the interpreter and C2 may differ), which would break bit-for-bit determinism.
   */
  private static double foldLanes(FloatVector v) {
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
  private static final VectorShuffle<Float>[] PREFIX_SHIFTS = new VectorShuffle[PREFIX_STEPS];

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final VectorMask<Float>[] PREFIX_KEEPS = new VectorMask[PREFIX_STEPS];

  static {
    for (int step = 0; step < PREFIX_STEPS; step++) {
      int shift = 1 << step;
      PREFIX_SHIFTS[step] = VectorShuffle.iota(FLOAT_SPECIES, -shift, 1, true);
      PREFIX_KEEPS[step] = FLOAT_SPECIES.indexInRange(-shift, LANES);
    }
  }

  /** Lane i becomes {@code v[0] + ... + v[i]}: a fixed tree of log2(L) vector adds. */
  private static FloatVector lanePrefix(FloatVector v) {
    for (int step = 0; step < PREFIX_STEPS; step++) {
      v = v.add(v.rearrange(PREFIX_SHIFTS[step], PREFIX_KEEPS[step]));
    }
    return v;
  }

  @Override
  public double prefixSum(
      float[] a, int aOffset, float[] out, int outOffset, int length, double carry) {
    double run = 0;
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      FloatVector prefix = lanePrefix(load(a, aOffset + i));
      prefix.add((float) (carry + run)).intoArray(out, outOffset + i);
      run += prefix.lane(LANES - 1);
    }
    // scalar tail, as the scalar form
    for (; i < length; i++) {
      run += a[aOffset + i];
      out[outOffset + i] = (float) (carry + run);
    }
    return run;
  }

  @Override
  public double prefixSumTotal(float[] a, int aOffset, int length) {
    double run = 0;
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      run += lanePrefix(load(a, aOffset + i)).lane(LANES - 1);
    }
    // scalar tail
    for (; i < length; i++) {
      run += a[aOffset + i];
    }
    return run;
  }

  /** The double species of the histogram's bin arithmetic, and floats of the same lane count. */
  private static final VectorSpecies<Double> HISTOGRAM_SPECIES = DoubleVector.SPECIES_PREFERRED;

  private static final VectorSpecies<Float> HALF_SPECIES =
      VectorSpecies.of(float.class, VectorShape.forBitSize(HISTOGRAM_SPECIES.vectorBitSize() / 2));

  private static final int HISTOGRAM_LANES = HISTOGRAM_SPECIES.length();

  /**
   * Bin indices for a vector of values at once, with the scalar form's arithmetic ({@code t = (x -
   * lo) * scale}, truncated); when every lane is in range and clear of the edges, the counts are
   * incremented one by one, otherwise the vector's values take the scalar rule.
   */
  @Override
  public void histogram(float[] a, int aOffset, int length, EqualWidthBins rule, long[] counts) {
    assert counts.length >= rule.bins() + 3;
    DoubleVector los = DoubleVector.broadcast(HISTOGRAM_SPECIES, rule.lo());
    DoubleVector his = DoubleVector.broadcast(HISTOGRAM_SPECIES, rule.hi());
    DoubleVector scales = DoubleVector.broadcast(HISTOGRAM_SPECIES, rule.scale());
    double margin = rule.margin();
    double upper = 1 - margin;
    int i = 0;
    int bound = HISTOGRAM_SPECIES.loopBound(length);
    for (; i < bound; i += HISTOGRAM_LANES) {
      DoubleVector x =
          (DoubleVector)
              FloatVector.fromArray(HALF_SPECIES, a, aOffset + i)
                  .convertShape(VectorOperators.F2D, HISTOGRAM_SPECIES, 0);
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
