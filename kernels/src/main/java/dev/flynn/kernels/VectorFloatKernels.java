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
final class VectorFloatKernels implements FloatKernels {

  static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = FLOAT_SPECIES.length();

  /**
   * The species of {@link #dotStreaming}: at most 256 bits (see {@link FloatKernels#dotStreaming}).
   */
  static final VectorSpecies<Float> STREAM_SPECIES =
      FLOAT_SPECIES.vectorBitSize() > 256 ? FloatVector.SPECIES_256 : FLOAT_SPECIES;

  private static final int STREAM_LANES = STREAM_SPECIES.length();

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
  public double dotStreaming(float[] a, int aOffset, float[] b, int bOffset, int length) {
    if (length < STREAM_LANES) {
      return SCALAR.dot(a, aOffset, b, bOffset, length);
    }
    // dot's loop on STREAM_SPECIES, written out again: a species passed as an argument is not a
    // constant to C2, and the Vector API then falls back to objects (about 6x slower).
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
      int at = aOffset + i;
      int bt = bOffset + i;
      acc0 = mulAdd(loadStream(a, at), loadStream(b, bt), acc0);
      acc1 = mulAdd(loadStream(a, at + STREAM_LANES), loadStream(b, bt + STREAM_LANES), acc1);
      acc2 =
          mulAdd(loadStream(a, at + 2 * STREAM_LANES), loadStream(b, bt + 2 * STREAM_LANES), acc2);
      acc3 =
          mulAdd(loadStream(a, at + 3 * STREAM_LANES), loadStream(b, bt + 3 * STREAM_LANES), acc3);
      acc4 =
          mulAdd(loadStream(a, at + 4 * STREAM_LANES), loadStream(b, bt + 4 * STREAM_LANES), acc4);
      acc5 =
          mulAdd(loadStream(a, at + 5 * STREAM_LANES), loadStream(b, bt + 5 * STREAM_LANES), acc5);
      acc6 =
          mulAdd(loadStream(a, at + 6 * STREAM_LANES), loadStream(b, bt + 6 * STREAM_LANES), acc6);
      acc7 =
          mulAdd(loadStream(a, at + 7 * STREAM_LANES), loadStream(b, bt + 7 * STREAM_LANES), acc7);
    }
    int bound = STREAM_SPECIES.loopBound(length);
    for (; i < bound; i += STREAM_LANES) {
      acc0 = mulAdd(loadStream(a, aOffset + i), loadStream(b, bOffset + i), acc0);
    }
    FloatVector acc = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)));
    double sum = 0;
    for (int lane = 0; lane < STREAM_LANES; lane++) {
      sum += acc.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      sum += (double) a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  private static FloatVector loadStream(float[] array, int index) {
    return FloatVector.fromArray(STREAM_SPECIES, array, index);
  }

  @Override
  public float min(float[] a, int aOffset, int length) {
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.min(load(a, aOffset + i));
    }
    float min =
        m0.min(m1).min(m2.min(m3)).min(m4.min(m5).min(m6.min(m7))).reduceLanes(VectorOperators.MIN);
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
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      m0 = m0.max(load(a, aOffset + i));
    }
    float max =
        m0.max(m1).max(m2.max(m3)).max(m4.max(m5).max(m6.max(m7))).reduceLanes(VectorOperators.MAX);
    // scalar tail
    for (; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public void add(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] + b[i];
      }
      return;
    }
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
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] - b[i];
      }
      return;
    }
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
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] * b[i];
      }
      return;
    }
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
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = a[i] / b[i];
      }
      return;
    }
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
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = alpha * x[i];
      }
      return;
    }
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
    // The scalar kernel's loop: y += alpha * x through FusedMultiplyAdd.mulAdd, fused exactly where
    // the CPU has FMA (the documented rule); the Vector API form ran at 0.61x to 1.04x of it in L1.
    SCALAR.axpy(alpha, x, xOffset, y, yOffset, length);
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

  @Override
  public void neg(float[] x, int xOffset, float[] out, int outOffset, int length) {
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = -x[i];
      }
      return;
    }
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).neg().intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = -x[xOffset + i];
    }
  }

  @Override
  public void abs(float[] x, int xOffset, float[] out, int outOffset, int length) {
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.abs(x[i]);
      }
      return;
    }
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).abs().intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.abs(x[xOffset + i]);
    }
  }

  @Override
  public void sqrt(float[] x, int xOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).sqrt().intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.sqrt(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void log(float[] x, int xOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).lanewise(VectorOperators.LOG).intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.log(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void tanh(float[] x, int xOffset, float[] out, int outOffset, int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).lanewise(VectorOperators.TANH).intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.tanh(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void sigmoid(float[] x, int xOffset, float[] out, int outOffset, int length) {
    FloatVector ones = FloatVector.broadcast(FLOAT_SPECIES, 1f);
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      // n / (1 + t) with t = e^-|x| never overflows; n = t below zero gives e^x / (1 + e^x).
      FloatVector v = load(x, xOffset + i);
      FloatVector t = v.abs().neg().lanewise(VectorOperators.EXP);
      FloatVector n = ones.blend(t, v.compare(VectorOperators.LT, 0f));
      n.div(t.add(ones)).intoArray(out, outOffset + i);
    }
    // scalar tail
    SCALAR.sigmoid(x, xOffset + i, out, outOffset + i, length - i);
  }

  @Override
  public void relu(float[] x, int xOffset, float[] out, int outOffset, int length) {
    if ((xOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.max(x[i], 0.0f);
      }
      return;
    }
    // max(+0.0) is Math.max bit for bit: NaN propagates, -0.0 gives +0.0.
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      load(x, xOffset + i).max(0.0f).intoArray(out, outOffset + i);
    }
    // scalar tail
    for (; i < length; i++) {
      out[outOffset + i] = Math.max(x[xOffset + i], 0.0f);
    }
  }

  @Override
  public void clamp(
      float[] x, int xOffset, float lo, float hi, float[] out, int outOffset, int length) {
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
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.min(a[i], b[i]);
      }
      return;
    }
    // The lanewise min is Math.min lane for lane: NaN propagates, -0.0 is below +0.0. An output
    // that is exactly an input is safe: each vector is loaded before it is stored.
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    if ((aOffset | bOffset | outOffset) == 0) {
      for (int i = 0; i < length; i++) { // whole arrays: see the class comment
        out[i] = Math.max(a[i], b[i]);
      }
      return;
    }
    // The lanewise max is Math.max lane for lane: NaN propagates, -0.0 is below +0.0. An output
    // that is exactly an input is safe: each vector is loaded before it is stored.
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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
      float[] a,
      int aOffset,
      Comparison comparison,
      float threshold,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length) {
    FloatVector thresholds = FloatVector.broadcast(FLOAT_SPECIES, threshold);
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      VectorMask<Float> m = compare(load(a, aOffset + i), comparison, thresholds);
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
      float[] a,
      int aOffset,
      Comparison comparison,
      float[] b,
      int bOffset,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      VectorMask<Float> m = compare(load(a, aOffset + i), comparison, load(b, bOffset + i));
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

  /**
   * The lanes where {@code x comparison y} holds. The switch stays inside the vector loops: the
   * Vector API compiles a comparison to one instruction only when its operator is a constant, and a
   * branch that goes the same way every time costs next to nothing.
   */
  static VectorMask<Float> compare(FloatVector x, Comparison comparison, FloatVector y) {
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
  public void toDouble(float[] x, int xOffset, double[] out, int outOffset, int length) {
    // the scalar kernel's plain loop; a Vector API form's speed-up over it, in an A/B harness in
    // L1: float:
    // 0.84x and 0.96x
    // at 4096 floats
    SCALAR.toDouble(x, xOffset, out, outOffset, length);
  }

  @Override
  public void toFloat(int[] x, int xOffset, float[] out, int outOffset, int length) {
    // the scalar kernel's plain loop; a Vector API form's speed-up over it, in an A/B harness in
    // L1: float:
    // 0.75x and 0.87x
    // at 4096 floats
    SCALAR.toFloat(x, xOffset, out, outOffset, length);
  }

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  /** Double lanes per preferred vector: the float kernels below widen to them. */
  static final VectorSpecies<Double> WIDE_SPECIES = DoubleVector.SPECIES_PREFERRED;

  private static final int WIDE_LANES = WIDE_SPECIES.length();

  /** Floats with as many lanes as {@link #WIDE_SPECIES}: half its width, widened lane for lane. */
  static final VectorSpecies<Float> NARROW_SPECIES =
      VectorSpecies.of(float.class, VectorShape.forBitSize(WIDE_SPECIES.vectorBitSize() / 2));

  @Override
  public int argmin(float[] a, int aOffset, int length) {
    assert length >= 1;
    if (length < 4 * LANES) {
      return SCALAR.argmin(a, aOffset, length);
    }
    // Two passes over a block that sits in cache: the least element by the vector min (NaN wins,
    // -0.0 below +0.0), then the first element with its bits, which stops early.
    return firstIndexOf(a, aOffset, length, min(a, aOffset, length));
  }

  @Override
  public int argmax(float[] a, int aOffset, int length) {
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
  private static int firstIndexOf(float[] a, int aOffset, int length, float value) {
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
    if (value != value) {
      for (; i < bound; i += LANES) {
        VectorMask<Float> nan = load(a, aOffset + i).test(VectorOperators.IS_NAN);
        if (nan.anyTrue()) {
          return i + nan.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Float.isNaN(a[aOffset + i])) {
          return i;
        }
      }
    } else {
      int bits = Float.floatToRawIntBits(value);
      for (; i < bound; i += LANES) {
        VectorMask<Integer> same =
            load(a, aOffset + i).reinterpretAsInts().compare(VectorOperators.EQ, bits);
        if (same.anyTrue()) {
          return i + same.firstTrue();
        }
      }
      // scalar tail
      for (; i < length; i++) {
        if (Float.floatToRawIntBits(a[aOffset + i]) == bits) {
          return i;
        }
      }
    }
    throw new AssertionError("the min or max of a range is not in it");
  }

  /**
   * Elements per call of {@link #squaresInFloatLanes}: its float lanes cannot overflow while every
   * element is below 2^57 in magnitude (2^14 squares below 2^114 each), and a chunk's error stays
   * bounded however long the range.
   */
  static final int SQUARES_CHUNK = 16384;

  /**
   * Elements per inner round of {@link #squaresInFloatLanes}: eight chains of {@code 1024 / 8L}
   * multiply-adds, each then added to its outer chain, so an element meets {@code 1024 / 8L + 7}
   * roundings inside a round and at most 16 outside it instead of {@code 16384 / 8L + 7}.
   */
  static final int SQUARES_ROUND = 1024;

  /**
   * A chunk whose float-lane sum is below this may have lost something significant to underflow (up
   * to 2^-150 per operation); it is summed again with its elements scaled up.
   */
  static final double SQUARES_LOW = 0x1p-64;

  @Override
  public double sumOfSquares(float[] a, int aOffset, int length) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.sumOfSquares(a, aOffset, length);
    }
    // Squares summed in float lanes, chunk by chunk, each chunk's sum folded into double. Where the
    // float lanes overflowed (the sum is infinite or NaN) or the sum is so small that underflow may
    // matter, the chunk is summed again with its elements scaled by a power of two: exact, and then
    // neither overflows nor loses anything significant to underflow.
    int bound = FLOAT_SPECIES.loopBound(length);
    double sum = 0;
    for (int start = 0; start < bound; start += SQUARES_CHUNK) {
      int at = aOffset + start;
      int n = Math.min(SQUARES_CHUNK, bound - start);
      double chunk = squaresInFloatLanes(a, at, n);
      if (!(chunk >= SQUARES_LOW && chunk < Double.POSITIVE_INFINITY)) {
        chunk = scaledSquares(a, at, n);
      }
      sum += chunk;
    }
    // scalar tail
    for (int i = bound; i < length; i++) {
      double x = a[aOffset + i];
      sum += x * x;
    }
    return sum;
  }

  /**
   * {@code sum a_i^2} over {@code n <= SQUARES_CHUNK} elements, {@code n} a multiple of the lanes,
   * in float lanes: eight chains (an FMA's latency of 4 cycles on two pipes), restarted every
   * {@link #SQUARES_ROUND} elements and added to eight outer chains; the chains are added pairwise
   * in float and the lanes folded in index order in double. Infinite on overflow, NaN for NaN.
   */
  private static double squaresInFloatLanes(float[] a, int at, int n) {
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
        int j = at + i;
        FloatVector x0 = load(a, j);
        FloatVector x1 = load(a, j + LANES);
        FloatVector x2 = load(a, j + 2 * LANES);
        FloatVector x3 = load(a, j + 3 * LANES);
        FloatVector x4 = load(a, j + 4 * LANES);
        FloatVector x5 = load(a, j + 5 * LANES);
        FloatVector x6 = load(a, j + 6 * LANES);
        FloatVector x7 = load(a, j + 7 * LANES);
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
        FloatVector x = load(a, at + i);
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
   * {@link #squaresInFloatLanes} for a chunk that overflowed or may have underflowed there: the
   * elements are multiplied by {@code 2^k} chosen from the largest magnitude so that it lies in [1,
   * 2) (in [2^-23, 1) when it is subnormal), exactly but for scaled elements below 2^-126, whose
   * squares are below 2^-252 against a sum of at least 2^-46; the float sum is then below 2^16 and
   * is scaled back by {@code 2^-2k} in double, exactly. An all-zero chunk gives +0.0; NaN or
   * infinite elements take the double loop.
   */
  private static double scaledSquares(float[] a, int at, int n) {
    FloatVector m = FloatVector.zero(FLOAT_SPECIES);
    for (int i = 0; i < n; i += LANES) {
      m = m.max(load(a, at + i).abs()); // NaN wins
    }
    float max = m.reduceLanes(VectorOperators.MAX); // order-free: max is exact
    if (max == 0) {
      return 0.0; // all zeros, of either sign
    }
    if (!(max < Float.POSITIVE_INFINITY)) {
      return SCALAR.sumOfSquares(a, at, n); // NaN or infinite elements
    }
    int k = Math.clamp(-Math.getExponent(max), -Float.MAX_EXPONENT + 1, Float.MAX_EXPONENT - 1);
    float scale = Math.scalb(1f, k);
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
    // the loop of squaresInFloatLanes, each element scaled first: the same roundings
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
        int j = at + i;
        FloatVector x0 = load(a, j).mul(scale);
        FloatVector x1 = load(a, j + LANES).mul(scale);
        FloatVector x2 = load(a, j + 2 * LANES).mul(scale);
        FloatVector x3 = load(a, j + 3 * LANES).mul(scale);
        FloatVector x4 = load(a, j + 4 * LANES).mul(scale);
        FloatVector x5 = load(a, j + 5 * LANES).mul(scale);
        FloatVector x6 = load(a, j + 6 * LANES).mul(scale);
        FloatVector x7 = load(a, j + 7 * LANES).mul(scale);
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
        FloatVector x = load(a, at + i).mul(scale);
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
    double sum = foldLanes(s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))));
    return Math.scalb(sum, -2 * k);
  }

  @Override
  public void centeredSums(
      float[] a, int aOffset, int length, double center, double[] sums, int sumsOffset) {
    if (length < WIDE_LANES) {
      SCALAR.centeredSums(a, aOffset, length, center, sums, sumsOffset);
      return;
    }
    DoubleVector c = DoubleVector.broadcast(WIDE_SPECIES, center);
    DoubleVector s0 = DoubleVector.zero(WIDE_SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    DoubleVector q0 = s0;
    DoubleVector q1 = s0;
    DoubleVector q2 = s0;
    DoubleVector q3 = s0;
    int i = 0;
    int unrolledBound = length - length % (4 * WIDE_LANES);
    for (; i < unrolledBound; i += 4 * WIDE_LANES) {
      int at = aOffset + i;
      DoubleVector d0 = widen(a, at).sub(c);
      DoubleVector d1 = widen(a, at + WIDE_LANES).sub(c);
      DoubleVector d2 = widen(a, at + 2 * WIDE_LANES).sub(c);
      DoubleVector d3 = widen(a, at + 3 * WIDE_LANES).sub(c);
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
      DoubleVector d = widen(a, aOffset + i).sub(c);
      s0 = s0.add(d);
      q0 = wideMulAdd(d, d, q0);
    }
    double sum = foldWideLanes(s0.add(s1).add(s2.add(s3)));
    double sumOfSquares = foldWideLanes(q0.add(q1).add(q2.add(q3)));
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
  public int count(float[] a, int aOffset, int length, Comparison comparison, float threshold) {
    if (length < VECTOR_THRESHOLD) {
      return SCALAR.count(a, aOffset, length, comparison, threshold);
    }
    // The Vector API's comparisons follow Java's operators, NaN included. The switch stays inside
    // the loop (compare): an operator held in a variable is not a constant to C2, and that loop ran
    // at a sixth of the memory's speed (16 Mi floats, one thread: 30 ms against 5 ms).
    FloatVector thresholds = FloatVector.broadcast(FLOAT_SPECIES, threshold);
    int count = 0;
    int i = 0;
    int bound = FLOAT_SPECIES.loopBound(length);
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

  /** {@link #WIDE_LANES} floats from {@code index}, widened (exactly) to double lanes. */
  private static DoubleVector widen(float[] array, int index) {
    return (DoubleVector)
        FloatVector.fromArray(NARROW_SPECIES, array, index)
            .convertShape(VectorOperators.F2D, WIDE_SPECIES, 0);
  }

  private static DoubleVector wideMulAdd(DoubleVector a, DoubleVector b, DoubleVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** Adds double lanes in index order, for the same reason as {@link #foldLanes}. */
  private static double foldWideLanes(DoubleVector v) {
    double sum = 0;
    for (int lane = 0; lane < WIDE_LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
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
  static FloatVector lanePrefix(FloatVector v) {
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
