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
 *
 * <p>The simple maps ({@code add}, {@code sub}, {@code mul}, {@code div}, {@code scale}, {@code
 * neg}, {@code abs}, {@code relu}, {@code clamp}, {@code minimum}, {@code maximum}) have two forms.
 * Over whole arrays (every offset 0, as in the engine's whole-array calls) they run a plain loop
 * with one index: C2 vectorises it itself (SuperWord: the same index in every array rules out a
 * loop-carried alias) and peels it so that the stores are aligned to the cache line, which a Vector
 * API loop over a heap array cannot do (a heap array has no address to align to; it is only 8-byte
 * aligned, so most 64-byte stores straddle two lines, and how many depends on where the array
 * lies). JMH, 2 forks each, against a plain Java loop: the Vector API forms ran at 0.54x to 0.76x
 * of it for clamp, maximum and relu at 4 Ki floats, with forks 30% apart at 16 Mi. Ranges with
 * offsets run the Vector API loop: with two offsets C2 cannot rule out that the arrays are one
 * array shifted, and leaves a plain loop scalar (4x to 11x slower than the Vector API loop, in
 * earlier runs of clamp and minimum). Both forms give the same bits (each element is one correctly
 * rounded or exact operation).
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
      int at = aOffset + i;
      m0 = m0.min(load(a, at));
      m1 = m1.min(load(a, at + LANES));
      m2 = m2.min(load(a, at + 2 * LANES));
      m3 = m3.min(load(a, at + 3 * LANES));
      m4 = m4.min(load(a, at + 4 * LANES));
      m5 = m5.min(load(a, at + 5 * LANES));
      m6 = m6.min(load(a, at + 6 * LANES));
      m7 = m7.min(load(a, at + 7 * LANES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i));
    }
    double min =
        m0.min(m1).min(m2.min(m3)).min(m4.min(m5).min(m6.min(m7))).reduceLanes(VectorOperators.MIN);
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
      int at = aOffset + i;
      m0 = m0.max(load(a, at));
      m1 = m1.max(load(a, at + LANES));
      m2 = m2.max(load(a, at + 2 * LANES));
      m3 = m3.max(load(a, at + 3 * LANES));
      m4 = m4.max(load(a, at + 4 * LANES));
      m5 = m5.max(load(a, at + 5 * LANES));
      m6 = m6.max(load(a, at + 6 * LANES));
      m7 = m7.max(load(a, at + 7 * LANES));
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i));
    }
    double max =
        m0.max(m1).max(m2.max(m3)).max(m4.max(m5).max(m6.max(m7))).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public void add(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] + b[i];
      }
      return;
    }
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
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] - b[i];
      }
      return;
    }
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
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] * b[i];
      }
      return;
    }
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
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] / b[i];
      }
      return;
    }
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
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = alpha * x[i];
      }
      return;
    }
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
    // The scalar kernel's loop: y += alpha * x through FusedMultiplyAdd.mulAdd, fused exactly where
    // the CPU has FMA (the documented rule); the Vector API form ran at 0.61x to 1.04x of it in L1.
    SCALAR.axpy(alpha, x, xOffset, y, yOffset, length);
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

  @Override
  public void neg(double[] x, int xOffset, double[] out, int outOffset, int length) {
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = -x[i];
      }
      return;
    }
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).neg().intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = -x[xOffset + i];
    }
  }

  @Override
  public void abs(double[] x, int xOffset, double[] out, int outOffset, int length) {
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.abs(x[i]);
      }
      return;
    }
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).abs().intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.abs(x[xOffset + i]);
    }
  }

  @Override
  public void sqrt(double[] x, int xOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).sqrt().intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.sqrt(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void log(double[] x, int xOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).lanewise(VectorOperators.LOG).intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.log(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void tanh(double[] x, int xOffset, double[] out, int outOffset, int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).lanewise(VectorOperators.TANH).intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.tanh(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void sigmoid(double[] x, int xOffset, double[] out, int outOffset, int length) {
    DoubleVector ones = DoubleVector.broadcast(DOUBLE_SPECIES, 1.0);
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      // n / (1 + t) with t = e^-|x| never overflows; n = t below zero gives e^x / (1 + e^x).
      DoubleVector v = load(x, xOffset + i);
      DoubleVector t = v.abs().neg().lanewise(VectorOperators.EXP);
      DoubleVector n = ones.blend(t, v.compare(VectorOperators.LT, 0.0));
      n.div(t.add(ones)).intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.sigmoid(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void relu(double[] x, int xOffset, double[] out, int outOffset, int length) {
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.max(x[i], 0.0);
      }
      return;
    }
    // max(+0.0) is Math.max bit for bit: NaN propagates, -0.0 gives +0.0.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).max(0.0).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.max(x[xOffset + i], 0.0);
    }
  }

  @Override
  public void clamp(
      double[] x, int xOffset, double lo, double hi, double[] out, int outOffset, int length) {
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.min(Math.max(x[i], lo), hi);
      }
      return;
    }
    // max(lo).min(hi) is Math.clamp bit for bit when lo <= hi (the engine checks it): NaN
    // propagates, -0.0 is below +0.0. An output that is exactly the input is safe: each vector is
    // loaded before it is stored.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).max(lo).min(hi).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.min(Math.max(x[xOffset + i], lo), hi);
    }
  }

  @Override
  public void minimum(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.min(a[i], b[i]);
      }
      return;
    }
    // The lanewise min is Math.min lane for lane: NaN propagates, -0.0 is below +0.0. An output
    // that is exactly an input is safe: each vector is loaded before it is stored.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
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
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.max(a[i], b[i]);
      }
      return;
    }
    // The lanewise max is Math.max lane for lane: NaN propagates, -0.0 is below +0.0. An output
    // that is exactly an input is safe: each vector is loaded before it is stored.
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(a, aOffset + i).max(load(b, bOffset + i)).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void select(
      double[] a,
      int aOffset,
      Comparison comparison,
      double threshold,
      double[] ifTrue,
      int ifTrueOffset,
      double[] ifFalse,
      int ifFalseOffset,
      double[] out,
      int outOffset,
      int length) {
    DoubleVector thresholds = DoubleVector.broadcast(DOUBLE_SPECIES, threshold);
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      VectorMask<Double> m = compare(load(a, aOffset + i), comparison, thresholds);
      load(ifFalse, ifFalseOffset + i)
          .blend(load(ifTrue, ifTrueOffset + i), m)
          .intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.select(
        a,
        aOffset + i,
        comparison,
        threshold,
        ifTrue,
        ifTrueOffset + i,
        ifFalse,
        ifFalseOffset + i,
        out,
        outOffset + i,
        length - i);
  }

  @Override
  public void selectPairwise(
      double[] a,
      int aOffset,
      Comparison comparison,
      double[] b,
      int bOffset,
      double[] ifTrue,
      int ifTrueOffset,
      double[] ifFalse,
      int ifFalseOffset,
      double[] out,
      int outOffset,
      int length) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      VectorMask<Double> m = compare(load(a, aOffset + i), comparison, load(b, bOffset + i));
      load(ifFalse, ifFalseOffset + i)
          .blend(load(ifTrue, ifTrueOffset + i), m)
          .intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.selectPairwise(
        a,
        aOffset + i,
        comparison,
        b,
        bOffset + i,
        ifTrue,
        ifTrueOffset + i,
        ifFalse,
        ifFalseOffset + i,
        out,
        outOffset + i,
        length - i);
  }

  /** The lanes where {@code x comparison y} holds; see {@code VectorFloatKernels.compare}. */
  static VectorMask<Double> compare(DoubleVector x, Comparison comparison, DoubleVector y) {
    return switch (comparison) {
      case LESS -> x.compare(VectorOperators.LT, y);
      case LESS_OR_EQUAL -> x.compare(VectorOperators.LE, y);
      case GREATER -> x.compare(VectorOperators.GT, y);
      case GREATER_OR_EQUAL -> x.compare(VectorOperators.GE, y);
      case EQUAL -> x.compare(VectorOperators.EQ, y);
      case NOT_EQUAL -> x.compare(VectorOperators.NE, y);
    };
  }

  @Override
  public void toFloat(double[] x, int xOffset, float[] out, int outOffset, int length) {
    SCALAR.toFloat(x, xOffset, out, outOffset, length);
  }

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  @Override
  public int argmin(double[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.argmin(a, aOffset, length);
    }
    // Two passes over a block that sits in cache: the least element by the vector min (NaN wins,
    // -0.0 below +0.0), then the first element with its bits, which stops early.
    return firstIndexOf(a, aOffset, length, min(a, aOffset, length));
  }

  @Override
  public int argmax(double[] a, int aOffset, int length) {
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
  private static int firstIndexOf(double[] a, int aOffset, int length, double value) {
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    if (value != value) {
      for (; i < bound; i += LANES) {
        VectorMask<Double> nan = load(a, aOffset + i).test(VectorOperators.IS_NAN);
        if (nan.anyTrue()) {
          return i + nan.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Double.isNaN(a[aOffset + i])) {
          return i;
        }
      }
    } else {
      long bits = Double.doubleToRawLongBits(value);
      for (; i < bound; i += LANES) {
        VectorMask<Long> same =
            load(a, aOffset + i).reinterpretAsLongs().compare(VectorOperators.EQ, bits);
        if (same.anyTrue()) {
          return i + same.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Double.doubleToRawLongBits(a[aOffset + i]) == bits) {
          return i;
        }
      }
    }
    throw new AssertionError("the min or max of a range is not in it");
  }

  @Override
  public double sumOfSquares(double[] a, int aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sumOfSquares(a, aOffset, length);
    }
    // Eight chains of multiply-adds, as in dot (one load per multiply-add here).
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
      DoubleVector x0 = load(a, at);
      DoubleVector x1 = load(a, at + LANES);
      DoubleVector x2 = load(a, at + 2 * LANES);
      DoubleVector x3 = load(a, at + 3 * LANES);
      DoubleVector x4 = load(a, at + 4 * LANES);
      DoubleVector x5 = load(a, at + 5 * LANES);
      DoubleVector x6 = load(a, at + 6 * LANES);
      DoubleVector x7 = load(a, at + 7 * LANES);
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
      DoubleVector x = load(a, aOffset + i);
      acc0 = mulAdd(x, x, acc0);
    }
    DoubleVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = foldLanes(acc);
    // scalar tail
    for (; i < length; i++) {
      double x = a[aOffset + i];
      sum += x * x;
    }
    return sum;
  }

  /**
   * From this sum of squares up, a block's plain sum holds the squares of its tiny elements to
   * within its last bit: at most 2^14 squares that underflow lose at most 2^14 * 2^-1075 = 2^-1061,
   * under half an ulp of 2^-1008.
   */
  static final double UNSCALED_FLOOR = 0x1p-1008;

  /**
   * Below this sum of squares, no square overflowed and the plain sums of up to 2^17 blocks (2^31
   * elements) stay below 2^1003, far from overflow when the engine adds them up.
   */
  static final double UNSCALED_CEILING = 0x1p986;

  @Override
  public void scaledSumsOfSquares(
      double[] a, int aOffset, int length, double[] sums, int sumsOffset) {
    if (length < VECTOR_THRESHOLD) {
      SCALAR.scaledSumsOfSquares(a, aOffset, length, sums, sumsOffset);
      return;
    }
    // Fast path: the plain sum of squares (eight chains), kept when it lies in [UNSCALED_FLOOR,
    // UNSCALED_CEILING), as it does for nearly all data. A NaN or an infinity fails both tests.
    double medium = sumOfSquares(a, aOffset, length);
    if (medium >= UNSCALED_FLOOR && medium < UNSCALED_CEILING) {
      sums[sumsOffset] = 0;
      sums[sumsOffset + 1] = medium;
      sums[sumsOffset + 2] = 0;
      return;
    }
    scaledSumsOfSquaresBody(a, aOffset, length, sums, sumsOffset);
  }

  /** Blue's three sums with masks, for blocks with huge, tiny, infinite or NaN elements. */
  private static void scaledSumsOfSquaresBody(
      double[] a, int aOffset, int length, double[] sums, int sumsOffset) {
    DoubleVector big = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector medium = big;
    DoubleVector small = big;
    int i = 0;
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      DoubleVector x = load(a, aOffset + i).abs();
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
      double x = Math.abs(a[aOffset + i]);
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
      double[] a, int aOffset, int length, double center, double[] sums, int sumsOffset) {
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
      int at = aOffset + i;
      DoubleVector d0 = load(a, at).sub(c);
      DoubleVector d1 = load(a, at + LANES).sub(c);
      DoubleVector d2 = load(a, at + 2 * LANES).sub(c);
      DoubleVector d3 = load(a, at + 3 * LANES).sub(c);
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
      DoubleVector d = load(a, aOffset + i).sub(c);
      s0 = s0.add(d);
      q0 = mulAdd(d, d, q0);
    }
    double sum = foldLanes(s0.add(s1).add(s2.add(s3)));
    double sumOfSquares = foldLanes(q0.add(q1).add(q2.add(q3)));
    // scalar tail
    for (; i < length; i++) {
      double d = a[aOffset + i] - center;
      sum += d;
      sumOfSquares += d * d;
    }
    sums[sumsOffset] = sum;
    sums[sumsOffset + 1] = sumOfSquares;
  }

  @Override
  public int count(double[] a, int aOffset, int length, Comparison comparison, double threshold) {
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
      count += compare(load(a, aOffset + i), comparison, thresholds).trueCount();
    }
    // scalar tail
    for (; i < length; i++) {
      if (comparison.test(a[aOffset + i], threshold)) {
        count++;
      }
    }
    return count;
  }

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
  static DoubleVector lanePrefix(DoubleVector v) {
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
