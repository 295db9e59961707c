package dev.flynn.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD similarity kernels on the preferred species. Loaded by name from {@link Kernels} only after
 * {@code VectorSupport} has found the Vector API usable.
 *
 * <p><b>Pairwise kernels</b> ({@code cosine}, {@code cosineTerms}, {@code squaredDistance}) have
 * the shape of {@code dot}: below one vector the scalar kernel runs; otherwise a main loop of four
 * vectors per step with four accumulators per sum (the cosine keeps three sums, so twelve chains:
 * enough to keep both FMA pipes busy on a 4-cycle latency, and within AVX-512's 32 registers),
 * lanes folded in index order in double, then a scalar tail in double. Float lanes accumulate in
 * float; when the result leaves the safe range of {@link SimilarityKernels} the scalar kernel
 * (double sums) or the scaled double path redoes it.
 *
 * <p><b>Score kernels</b> register-block four rows against the query: each query vector is loaded
 * once and used by four rows, so a step loads 5 vectors for 4 (dot, distance) or 8 (cosine)
 * multiply-adds instead of 2 for 1 or 2 one row at a time. When fewer than four rows are left, the
 * missing ones repeat the last row (computed, not stored), so every row goes through the same
 * arithmetic and a score never depends on which rows share its call. {@code dot} and {@code
 * squaredDistance} keep two accumulators per row (even and odd vectors of the row: 8 chains for 4
 * rows), {@code cosine} one per sum (dot and row norm: 8 chains). A row's lanes are then folded by
 * a butterfly in the input's precision: lane {@code i} plus lane {@code i ^ L/2}, then {@code i ^
 * L/4}, down to two lanes, which are added in double with the row's tail. That is {@code log2(L) -
 * 1} additions per element, a fixed order (the same bits from the interpreter and from C2, unlike
 * {@code reduceLanes}, whose order is open), and {@code log2(L) - 1} shuffles and additions per row
 * where a lane by lane fold in double costs about {@code 2L} operations: at 128 dimensions that
 * fold was as long as the row's multiply-adds.
 *
 * <p><b>Everything in the loops is written out</b>: no helper takes or returns a vector. C2
 * declines to inline a small helper that is already compiled on its own ("already compiled into a
 * medium method" in {@code -XX:+PrintInlining}), and a vector that crosses a call C2 did not inline
 * is boxed on the heap, which made the blocked kernels barely faster than the scalar ones.
 */
final class VectorSimilarityKernels implements SimilarityKernels {

  // At most 512 bits, so that the butterfly folds below need at most 16 float lanes.
  static final VectorSpecies<Float> FLOAT_SPECIES =
      FloatVector.SPECIES_PREFERRED.vectorBitSize() <= 512
          ? FloatVector.SPECIES_PREFERRED
          : FloatVector.SPECIES_512;
  static final VectorSpecies<Double> DOUBLE_SPECIES =
      DoubleVector.SPECIES_PREFERRED.vectorBitSize() <= 512
          ? DoubleVector.SPECIES_PREFERRED
          : DoubleVector.SPECIES_512;
  private static final int FLOAT_LANES = FLOAT_SPECIES.length();
  private static final int DOUBLE_LANES = DOUBLE_SPECIES.length();

  /** Fuse multiply-adds only where that is fast: {@link FusedMultiplyAdd}'s rule. */
  private static final boolean FMA = FusedMultiplyAdd.FAST;

  // The butterfly fold's shuffles: lane i takes lane i ^ k (null where k >= the lane count).
  private static final VectorShuffle<Float> FLOAT_XOR_8 = xor(FLOAT_SPECIES, 8);
  private static final VectorShuffle<Float> FLOAT_XOR_4 = xor(FLOAT_SPECIES, 4);
  private static final VectorShuffle<Float> FLOAT_XOR_2 = xor(FLOAT_SPECIES, 2);
  private static final VectorShuffle<Double> DOUBLE_XOR_4 = xor(DOUBLE_SPECIES, 4);
  private static final VectorShuffle<Double> DOUBLE_XOR_2 = xor(DOUBLE_SPECIES, 2);

  private static final ScalarSimilarityKernels SCALAR = ScalarSimilarityKernels.INSTANCE;

  private static <E> VectorShuffle<E> xor(VectorSpecies<E> species, int k) {
    return k < species.length() ? VectorShuffle.fromOp(species, i -> i ^ k) : null;
  }

  /** The last step of a butterfly fold: its two lanes, added in double. */
  private static double lanes(float lane0, float lane1) {
    return (double) lane0 + lane1;
  }

  /** The last step of a butterfly fold: its two lanes. */
  private static double lanes(double lane0, double lane1) {
    return lane0 + lane1;
  }

  VectorSimilarityKernels() {}

  @Override
  public String name() {
    return "vector-" + FLOAT_SPECIES.vectorBitSize();
  }

  // ---------------------------------------------------------------- float

  @Override
  public double cosine(float[] a, int aOffset, float[] b, int bOffset, int length) {
    if (length < FLOAT_LANES) {
      return SCALAR.cosine(a, aOffset, b, bOffset, length);
    }
    FloatVector d0 = FloatVector.zero(FLOAT_SPECIES);
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
    int unrolledBound = length - length % (4 * FLOAT_LANES);
    for (; i < unrolledBound; i += 4 * FLOAT_LANES) {
      int at = aOffset + i;
      int bt = bOffset + i;
      FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, a, at);
      FloatVector y0 = FloatVector.fromArray(FLOAT_SPECIES, b, bt);
      FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, a, at + FLOAT_LANES);
      FloatVector y1 = FloatVector.fromArray(FLOAT_SPECIES, b, bt + FLOAT_LANES);
      FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, a, at + 2 * FLOAT_LANES);
      FloatVector y2 = FloatVector.fromArray(FLOAT_SPECIES, b, bt + 2 * FLOAT_LANES);
      FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, a, at + 3 * FLOAT_LANES);
      FloatVector y3 = FloatVector.fromArray(FLOAT_SPECIES, b, bt + 3 * FLOAT_LANES);
      d0 = FMA ? x0.fma(y0, d0) : x0.mul(y0).add(d0);
      s0 = FMA ? x0.fma(x0, s0) : x0.mul(x0).add(s0);
      t0 = FMA ? y0.fma(y0, t0) : y0.mul(y0).add(t0);
      d1 = FMA ? x1.fma(y1, d1) : x1.mul(y1).add(d1);
      s1 = FMA ? x1.fma(x1, s1) : x1.mul(x1).add(s1);
      t1 = FMA ? y1.fma(y1, t1) : y1.mul(y1).add(t1);
      d2 = FMA ? x2.fma(y2, d2) : x2.mul(y2).add(d2);
      s2 = FMA ? x2.fma(x2, s2) : x2.mul(x2).add(s2);
      t2 = FMA ? y2.fma(y2, t2) : y2.mul(y2).add(t2);
      d3 = FMA ? x3.fma(y3, d3) : x3.mul(y3).add(d3);
      s3 = FMA ? x3.fma(x3, s3) : x3.mul(x3).add(s3);
      t3 = FMA ? y3.fma(y3, t3) : y3.mul(y3).add(t3);
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector x = FloatVector.fromArray(FLOAT_SPECIES, a, aOffset + i);
      FloatVector y = FloatVector.fromArray(FLOAT_SPECIES, b, bOffset + i);
      d0 = FMA ? x.fma(y, d0) : x.mul(y).add(d0);
      s0 = FMA ? x.fma(x, s0) : x.mul(x).add(s0);
      t0 = FMA ? y.fma(y, t0) : y.mul(y).add(t0);
    }
    FloatVector dots = d0.add(d1).add(d2.add(d3));
    FloatVector squaresA = s0.add(s1).add(s2.add(s3));
    FloatVector squaresB = t0.add(t1).add(t2.add(t3));
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int lane = 0; lane < FLOAT_LANES; lane++) { // in index order, in double
      dot += dots.lane(lane);
      sumA += squaresA.lane(lane);
      sumB += squaresB.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (ScalarSimilarityKernels.inFloatLaneRange(sumA)
        && ScalarSimilarityKernels.inFloatLaneRange(sumB)) {
      return SimilarityKernels.cosineOf(dot, sumA, sumB);
    }
    return SCALAR.cosine(a, aOffset, b, bOffset, length);
  }

  @Override
  public void cosineTerms(
      float[] a, int aOffset, float[] b, int bOffset, int length, double[] terms, int at) {
    if (length < FLOAT_LANES) {
      SCALAR.cosineTerms(a, aOffset, b, bOffset, length, terms, at);
      return;
    }
    // The loop of cosine(), keeping the three sums instead of their quotient.
    FloatVector d0 = FloatVector.zero(FLOAT_SPECIES);
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
    int unrolledBound = length - length % (4 * FLOAT_LANES);
    for (; i < unrolledBound; i += 4 * FLOAT_LANES) {
      int ai = aOffset + i;
      int bi = bOffset + i;
      FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, a, ai);
      FloatVector y0 = FloatVector.fromArray(FLOAT_SPECIES, b, bi);
      FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, a, ai + FLOAT_LANES);
      FloatVector y1 = FloatVector.fromArray(FLOAT_SPECIES, b, bi + FLOAT_LANES);
      FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, a, ai + 2 * FLOAT_LANES);
      FloatVector y2 = FloatVector.fromArray(FLOAT_SPECIES, b, bi + 2 * FLOAT_LANES);
      FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, a, ai + 3 * FLOAT_LANES);
      FloatVector y3 = FloatVector.fromArray(FLOAT_SPECIES, b, bi + 3 * FLOAT_LANES);
      d0 = FMA ? x0.fma(y0, d0) : x0.mul(y0).add(d0);
      s0 = FMA ? x0.fma(x0, s0) : x0.mul(x0).add(s0);
      t0 = FMA ? y0.fma(y0, t0) : y0.mul(y0).add(t0);
      d1 = FMA ? x1.fma(y1, d1) : x1.mul(y1).add(d1);
      s1 = FMA ? x1.fma(x1, s1) : x1.mul(x1).add(s1);
      t1 = FMA ? y1.fma(y1, t1) : y1.mul(y1).add(t1);
      d2 = FMA ? x2.fma(y2, d2) : x2.mul(y2).add(d2);
      s2 = FMA ? x2.fma(x2, s2) : x2.mul(x2).add(s2);
      t2 = FMA ? y2.fma(y2, t2) : y2.mul(y2).add(t2);
      d3 = FMA ? x3.fma(y3, d3) : x3.mul(y3).add(d3);
      s3 = FMA ? x3.fma(x3, s3) : x3.mul(x3).add(s3);
      t3 = FMA ? y3.fma(y3, t3) : y3.mul(y3).add(t3);
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector x = FloatVector.fromArray(FLOAT_SPECIES, a, aOffset + i);
      FloatVector y = FloatVector.fromArray(FLOAT_SPECIES, b, bOffset + i);
      d0 = FMA ? x.fma(y, d0) : x.mul(y).add(d0);
      s0 = FMA ? x.fma(x, s0) : x.mul(x).add(s0);
      t0 = FMA ? y.fma(y, t0) : y.mul(y).add(t0);
    }
    FloatVector dots = d0.add(d1).add(d2.add(d3));
    FloatVector squaresA = s0.add(s1).add(s2.add(s3));
    FloatVector squaresB = t0.add(t1).add(t2.add(t3));
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int lane = 0; lane < FLOAT_LANES; lane++) { // in index order, in double
      dot += dots.lane(lane);
      sumA += squaresA.lane(lane);
      sumB += squaresB.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
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
  public double squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
    if (length < FLOAT_LANES) {
      return SCALAR.squaredDistance(a, aOffset, b, bOffset, length);
    }
    // Four chains: a step loads two vectors, so loads, not the multiply-adds, are the limit.
    FloatVector acc0 = FloatVector.zero(FLOAT_SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    int i = 0;
    int unrolledBound = length - length % (4 * FLOAT_LANES);
    for (; i < unrolledBound; i += 4 * FLOAT_LANES) {
      int at = aOffset + i;
      int bt = bOffset + i;
      FloatVector e0 =
          FloatVector.fromArray(FLOAT_SPECIES, a, at)
              .sub(FloatVector.fromArray(FLOAT_SPECIES, b, bt));
      FloatVector e1 =
          FloatVector.fromArray(FLOAT_SPECIES, a, at + FLOAT_LANES)
              .sub(FloatVector.fromArray(FLOAT_SPECIES, b, bt + FLOAT_LANES));
      FloatVector e2 =
          FloatVector.fromArray(FLOAT_SPECIES, a, at + 2 * FLOAT_LANES)
              .sub(FloatVector.fromArray(FLOAT_SPECIES, b, bt + 2 * FLOAT_LANES));
      FloatVector e3 =
          FloatVector.fromArray(FLOAT_SPECIES, a, at + 3 * FLOAT_LANES)
              .sub(FloatVector.fromArray(FLOAT_SPECIES, b, bt + 3 * FLOAT_LANES));
      acc0 = FMA ? e0.fma(e0, acc0) : e0.mul(e0).add(acc0);
      acc1 = FMA ? e1.fma(e1, acc1) : e1.mul(e1).add(acc1);
      acc2 = FMA ? e2.fma(e2, acc2) : e2.mul(e2).add(acc2);
      acc3 = FMA ? e3.fma(e3, acc3) : e3.mul(e3).add(acc3);
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector e =
          FloatVector.fromArray(FLOAT_SPECIES, a, aOffset + i)
              .sub(FloatVector.fromArray(FLOAT_SPECIES, b, bOffset + i));
      acc0 = FMA ? e.fma(e, acc0) : e.mul(e).add(acc0);
    }
    FloatVector squares = acc0.add(acc1).add(acc2.add(acc3));
    double sum = 0;
    for (int lane = 0; lane < FLOAT_LANES; lane++) { // in index order, in double
      sum += squares.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double e = (double) a[aOffset + i] - b[bOffset + i];
      sum += e * e;
    }
    return (sum >= FLOAT_LANES_LOW && sum < Double.POSITIVE_INFINITY)
        ? sum
        : SCALAR.squaredDistance(a, aOffset, b, bOffset, length);
  }

  @Override
  public void dotScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset) {
    int pairBound = dim - dim % (2 * FLOAT_LANES);
    int bound = FLOAT_SPECIES.loopBound(dim);
    for (int r = 0; r < rows; r += 4) {
      // Four rows per step; past the last row the last one again (computed, not stored).
      int r0 = matrixOffset + r * rowStride;
      int r1 = matrixOffset + Math.min(r + 1, rows - 1) * rowStride;
      int r2 = matrixOffset + Math.min(r + 2, rows - 1) * rowStride;
      int r3 = matrixOffset + Math.min(r + 3, rows - 1) * rowStride;
      FloatVector even0 = FloatVector.zero(FLOAT_SPECIES);
      FloatVector odd0 = even0;
      FloatVector even1 = even0;
      FloatVector odd1 = even0;
      FloatVector even2 = even0;
      FloatVector odd2 = even0;
      FloatVector even3 = even0;
      FloatVector odd3 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * FLOAT_LANES) {
        int j = i + FLOAT_LANES;
        FloatVector q0 = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + i);
        FloatVector q1 = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + j);
        FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r0 + i);
        FloatVector y0 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r0 + j);
        FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r1 + i);
        FloatVector y1 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r1 + j);
        FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r2 + i);
        FloatVector y2 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r2 + j);
        FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r3 + i);
        FloatVector y3 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r3 + j);
        even0 = FMA ? q0.fma(x0, even0) : q0.mul(x0).add(even0);
        odd0 = FMA ? q1.fma(y0, odd0) : q1.mul(y0).add(odd0);
        even1 = FMA ? q0.fma(x1, even1) : q0.mul(x1).add(even1);
        odd1 = FMA ? q1.fma(y1, odd1) : q1.mul(y1).add(odd1);
        even2 = FMA ? q0.fma(x2, even2) : q0.mul(x2).add(even2);
        odd2 = FMA ? q1.fma(y2, odd2) : q1.mul(y2).add(odd2);
        even3 = FMA ? q0.fma(x3, even3) : q0.mul(x3).add(even3);
        odd3 = FMA ? q1.fma(y3, odd3) : q1.mul(y3).add(odd3);
      }
      if (i < bound) { // one vector left: an even one
        FloatVector q0 = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + i);
        FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r0 + i);
        FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r1 + i);
        FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r2 + i);
        FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r3 + i);
        even0 = FMA ? q0.fma(x0, even0) : q0.mul(x0).add(even0);
        even1 = FMA ? q0.fma(x1, even1) : q0.mul(x1).add(even1);
        even2 = FMA ? q0.fma(x2, even2) : q0.mul(x2).add(even2);
        even3 = FMA ? q0.fma(x3, even3) : q0.mul(x3).add(even3);
      }
      FloatVector sum0 = even0.add(odd0);
      FloatVector sum1 = even1.add(odd1);
      FloatVector sum2 = even2.add(odd2);
      FloatVector sum3 = even3.add(odd3);
      // the butterfly fold, written out: see the class comment
      if (FLOAT_LANES > 8) {
        sum0 = sum0.add(sum0.rearrange(FLOAT_XOR_8));
        sum1 = sum1.add(sum1.rearrange(FLOAT_XOR_8));
        sum2 = sum2.add(sum2.rearrange(FLOAT_XOR_8));
        sum3 = sum3.add(sum3.rearrange(FLOAT_XOR_8));
      }
      if (FLOAT_LANES > 4) {
        sum0 = sum0.add(sum0.rearrange(FLOAT_XOR_4));
        sum1 = sum1.add(sum1.rearrange(FLOAT_XOR_4));
        sum2 = sum2.add(sum2.rearrange(FLOAT_XOR_4));
        sum3 = sum3.add(sum3.rearrange(FLOAT_XOR_4));
      }
      if (FLOAT_LANES > 2) {
        sum0 = sum0.add(sum0.rearrange(FLOAT_XOR_2));
        sum1 = sum1.add(sum1.rearrange(FLOAT_XOR_2));
        sum2 = sum2.add(sum2.rearrange(FLOAT_XOR_2));
        sum3 = sum3.add(sum3.rearrange(FLOAT_XOR_2));
      }
      int s = scoresOffset + r;
      scores[s] =
          (float)
              rowDot(query, queryOffset, matrix, r0, bound, dim, lanes(sum0.lane(0), sum0.lane(1)));
      if (r + 1 < rows) {
        scores[s + 1] =
            (float)
                rowDot(
                    query, queryOffset, matrix, r1, bound, dim, lanes(sum1.lane(0), sum1.lane(1)));
      }
      if (r + 2 < rows) {
        scores[s + 2] =
            (float)
                rowDot(
                    query, queryOffset, matrix, r2, bound, dim, lanes(sum2.lane(0), sum2.lane(1)));
      }
      if (r + 3 < rows) {
        scores[s + 3] =
            (float)
                rowDot(
                    query, queryOffset, matrix, r3, bound, dim, lanes(sum3.lane(0), sum3.lane(1)));
      }
    }
  }

  /** A row's dot product: its folded lanes, then its tail, in double. */
  private static double rowDot(
      float[] query, int queryOffset, float[] matrix, int row, int bound, int dim, double lanes) {
    double sum = lanes;
    // scalar tail
    for (int i = bound; i < dim; i++) {
      sum += (double) query[queryOffset + i] * matrix[row + i];
    }
    return sum;
  }

  @Override
  public void cosineScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset) {
    int bound = FLOAT_SPECIES.loopBound(dim);
    // The query's norm, once per call, with the same arithmetic as a row's.
    FloatVector q2 = FloatVector.zero(FLOAT_SPECIES);
    for (int i = 0; i < bound; i += FLOAT_LANES) {
      FloatVector q = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + i);
      q2 = FMA ? q.fma(q, q2) : q.mul(q).add(q2);
    }
    if (FLOAT_LANES > 8) {
      q2 = q2.add(q2.rearrange(FLOAT_XOR_8));
    }
    if (FLOAT_LANES > 4) {
      q2 = q2.add(q2.rearrange(FLOAT_XOR_4));
    }
    if (FLOAT_LANES > 2) {
      q2 = q2.add(q2.rearrange(FLOAT_XOR_2));
    }
    double sumQ = lanes(q2.lane(0), q2.lane(1));
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double x = query[queryOffset + i];
      sumQ += x * x;
    }
    if (!ScalarSimilarityKernels.inFloatLaneRange(sumQ)) {
      // a zero, tiny, huge or non-finite query: every row the safe way
      for (int r = 0; r < rows; r++) {
        scores[scoresOffset + r] =
            (float) SCALAR.cosine(query, queryOffset, matrix, matrixOffset + r * rowStride, dim);
      }
      return;
    }
    double queryNorm = Math.sqrt(sumQ);
    for (int r = 0; r < rows; r += 4) {
      // Four rows per step; past the last row the last one again (computed, not stored).
      int r0 = matrixOffset + r * rowStride;
      int r1 = matrixOffset + Math.min(r + 1, rows - 1) * rowStride;
      int r2 = matrixOffset + Math.min(r + 2, rows - 1) * rowStride;
      int r3 = matrixOffset + Math.min(r + 3, rows - 1) * rowStride;
      FloatVector dot0 = FloatVector.zero(FLOAT_SPECIES);
      FloatVector dot1 = dot0;
      FloatVector dot2 = dot0;
      FloatVector dot3 = dot0;
      FloatVector norm0 = dot0;
      FloatVector norm1 = dot0;
      FloatVector norm2 = dot0;
      FloatVector norm3 = dot0;
      for (int i = 0; i < bound; i += FLOAT_LANES) {
        FloatVector q = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + i);
        FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r0 + i);
        FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r1 + i);
        FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r2 + i);
        FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, matrix, r3 + i);
        dot0 = FMA ? q.fma(x0, dot0) : q.mul(x0).add(dot0);
        norm0 = FMA ? x0.fma(x0, norm0) : x0.mul(x0).add(norm0);
        dot1 = FMA ? q.fma(x1, dot1) : q.mul(x1).add(dot1);
        norm1 = FMA ? x1.fma(x1, norm1) : x1.mul(x1).add(norm1);
        dot2 = FMA ? q.fma(x2, dot2) : q.mul(x2).add(dot2);
        norm2 = FMA ? x2.fma(x2, norm2) : x2.mul(x2).add(norm2);
        dot3 = FMA ? q.fma(x3, dot3) : q.mul(x3).add(dot3);
        norm3 = FMA ? x3.fma(x3, norm3) : x3.mul(x3).add(norm3);
      }
      // the butterfly fold, written out: see the class comment
      if (FLOAT_LANES > 8) {
        dot0 = dot0.add(dot0.rearrange(FLOAT_XOR_8));
        dot1 = dot1.add(dot1.rearrange(FLOAT_XOR_8));
        dot2 = dot2.add(dot2.rearrange(FLOAT_XOR_8));
        dot3 = dot3.add(dot3.rearrange(FLOAT_XOR_8));
        norm0 = norm0.add(norm0.rearrange(FLOAT_XOR_8));
        norm1 = norm1.add(norm1.rearrange(FLOAT_XOR_8));
        norm2 = norm2.add(norm2.rearrange(FLOAT_XOR_8));
        norm3 = norm3.add(norm3.rearrange(FLOAT_XOR_8));
      }
      if (FLOAT_LANES > 4) {
        dot0 = dot0.add(dot0.rearrange(FLOAT_XOR_4));
        dot1 = dot1.add(dot1.rearrange(FLOAT_XOR_4));
        dot2 = dot2.add(dot2.rearrange(FLOAT_XOR_4));
        dot3 = dot3.add(dot3.rearrange(FLOAT_XOR_4));
        norm0 = norm0.add(norm0.rearrange(FLOAT_XOR_4));
        norm1 = norm1.add(norm1.rearrange(FLOAT_XOR_4));
        norm2 = norm2.add(norm2.rearrange(FLOAT_XOR_4));
        norm3 = norm3.add(norm3.rearrange(FLOAT_XOR_4));
      }
      if (FLOAT_LANES > 2) {
        dot0 = dot0.add(dot0.rearrange(FLOAT_XOR_2));
        dot1 = dot1.add(dot1.rearrange(FLOAT_XOR_2));
        dot2 = dot2.add(dot2.rearrange(FLOAT_XOR_2));
        dot3 = dot3.add(dot3.rearrange(FLOAT_XOR_2));
        norm0 = norm0.add(norm0.rearrange(FLOAT_XOR_2));
        norm1 = norm1.add(norm1.rearrange(FLOAT_XOR_2));
        norm2 = norm2.add(norm2.rearrange(FLOAT_XOR_2));
        norm3 = norm3.add(norm3.rearrange(FLOAT_XOR_2));
      }
      int s = scoresOffset + r;
      scores[s] =
          (float)
              rowCosine(
                  query,
                  queryOffset,
                  matrix,
                  r0,
                  bound,
                  dim,
                  lanes(dot0.lane(0), dot0.lane(1)),
                  lanes(norm0.lane(0), norm0.lane(1)),
                  queryNorm);
      if (r + 1 < rows) {
        scores[s + 1] =
            (float)
                rowCosine(
                    query,
                    queryOffset,
                    matrix,
                    r1,
                    bound,
                    dim,
                    lanes(dot1.lane(0), dot1.lane(1)),
                    lanes(norm1.lane(0), norm1.lane(1)),
                    queryNorm);
      }
      if (r + 2 < rows) {
        scores[s + 2] =
            (float)
                rowCosine(
                    query,
                    queryOffset,
                    matrix,
                    r2,
                    bound,
                    dim,
                    lanes(dot2.lane(0), dot2.lane(1)),
                    lanes(norm2.lane(0), norm2.lane(1)),
                    queryNorm);
      }
      if (r + 3 < rows) {
        scores[s + 3] =
            (float)
                rowCosine(
                    query,
                    queryOffset,
                    matrix,
                    r3,
                    bound,
                    dim,
                    lanes(dot3.lane(0), dot3.lane(1)),
                    lanes(norm3.lane(0), norm3.lane(1)),
                    queryNorm);
      }
    }
  }

  /** A row's cosine from its folded lanes: tail, range check, the safe way if out of range. */
  private static double rowCosine(
      float[] query,
      int queryOffset,
      float[] matrix,
      int row,
      int bound,
      int dim,
      double dotLanes,
      double normLanes,
      double queryNorm) {
    double dot = dotLanes;
    double sumR = normLanes;
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double x = query[queryOffset + i];
      double y = matrix[row + i];
      dot += x * y;
      sumR += y * y;
    }
    if (ScalarSimilarityKernels.inFloatLaneRange(sumR)) {
      return SimilarityKernels.cosineFromNorms(dot, queryNorm, Math.sqrt(sumR));
    }
    return SCALAR.cosine(query, queryOffset, matrix, row, dim);
  }

  @Override
  public void squaredDistanceScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset) {
    int pairBound = dim - dim % (2 * FLOAT_LANES);
    int bound = FLOAT_SPECIES.loopBound(dim);
    for (int r = 0; r < rows; r += 4) {
      // Four rows per step; past the last row the last one again (computed, not stored).
      int r0 = matrixOffset + r * rowStride;
      int r1 = matrixOffset + Math.min(r + 1, rows - 1) * rowStride;
      int r2 = matrixOffset + Math.min(r + 2, rows - 1) * rowStride;
      int r3 = matrixOffset + Math.min(r + 3, rows - 1) * rowStride;
      FloatVector even0 = FloatVector.zero(FLOAT_SPECIES);
      FloatVector odd0 = even0;
      FloatVector even1 = even0;
      FloatVector odd1 = even0;
      FloatVector even2 = even0;
      FloatVector odd2 = even0;
      FloatVector even3 = even0;
      FloatVector odd3 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * FLOAT_LANES) {
        int j = i + FLOAT_LANES;
        FloatVector q0 = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + i);
        FloatVector q1 = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + j);
        FloatVector e0 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r0 + i));
        FloatVector f0 = q1.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r0 + j));
        FloatVector e1 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r1 + i));
        FloatVector f1 = q1.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r1 + j));
        FloatVector e2 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r2 + i));
        FloatVector f2 = q1.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r2 + j));
        FloatVector e3 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r3 + i));
        FloatVector f3 = q1.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r3 + j));
        even0 = FMA ? e0.fma(e0, even0) : e0.mul(e0).add(even0);
        odd0 = FMA ? f0.fma(f0, odd0) : f0.mul(f0).add(odd0);
        even1 = FMA ? e1.fma(e1, even1) : e1.mul(e1).add(even1);
        odd1 = FMA ? f1.fma(f1, odd1) : f1.mul(f1).add(odd1);
        even2 = FMA ? e2.fma(e2, even2) : e2.mul(e2).add(even2);
        odd2 = FMA ? f2.fma(f2, odd2) : f2.mul(f2).add(odd2);
        even3 = FMA ? e3.fma(e3, even3) : e3.mul(e3).add(even3);
        odd3 = FMA ? f3.fma(f3, odd3) : f3.mul(f3).add(odd3);
      }
      if (i < bound) { // one vector left: an even one
        FloatVector q0 = FloatVector.fromArray(FLOAT_SPECIES, query, queryOffset + i);
        FloatVector e0 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r0 + i));
        FloatVector e1 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r1 + i));
        FloatVector e2 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r2 + i));
        FloatVector e3 = q0.sub(FloatVector.fromArray(FLOAT_SPECIES, matrix, r3 + i));
        even0 = FMA ? e0.fma(e0, even0) : e0.mul(e0).add(even0);
        even1 = FMA ? e1.fma(e1, even1) : e1.mul(e1).add(even1);
        even2 = FMA ? e2.fma(e2, even2) : e2.mul(e2).add(even2);
        even3 = FMA ? e3.fma(e3, even3) : e3.mul(e3).add(even3);
      }
      FloatVector sum0 = even0.add(odd0);
      FloatVector sum1 = even1.add(odd1);
      FloatVector sum2 = even2.add(odd2);
      FloatVector sum3 = even3.add(odd3);
      // the butterfly fold, written out: see the class comment
      if (FLOAT_LANES > 8) {
        sum0 = sum0.add(sum0.rearrange(FLOAT_XOR_8));
        sum1 = sum1.add(sum1.rearrange(FLOAT_XOR_8));
        sum2 = sum2.add(sum2.rearrange(FLOAT_XOR_8));
        sum3 = sum3.add(sum3.rearrange(FLOAT_XOR_8));
      }
      if (FLOAT_LANES > 4) {
        sum0 = sum0.add(sum0.rearrange(FLOAT_XOR_4));
        sum1 = sum1.add(sum1.rearrange(FLOAT_XOR_4));
        sum2 = sum2.add(sum2.rearrange(FLOAT_XOR_4));
        sum3 = sum3.add(sum3.rearrange(FLOAT_XOR_4));
      }
      if (FLOAT_LANES > 2) {
        sum0 = sum0.add(sum0.rearrange(FLOAT_XOR_2));
        sum1 = sum1.add(sum1.rearrange(FLOAT_XOR_2));
        sum2 = sum2.add(sum2.rearrange(FLOAT_XOR_2));
        sum3 = sum3.add(sum3.rearrange(FLOAT_XOR_2));
      }
      int s = scoresOffset + r;
      scores[s] =
          (float)
              rowDistance(
                  query, queryOffset, matrix, r0, bound, dim, lanes(sum0.lane(0), sum0.lane(1)));
      if (r + 1 < rows) {
        scores[s + 1] =
            (float)
                rowDistance(
                    query, queryOffset, matrix, r1, bound, dim, lanes(sum1.lane(0), sum1.lane(1)));
      }
      if (r + 2 < rows) {
        scores[s + 2] =
            (float)
                rowDistance(
                    query, queryOffset, matrix, r2, bound, dim, lanes(sum2.lane(0), sum2.lane(1)));
      }
      if (r + 3 < rows) {
        scores[s + 3] =
            (float)
                rowDistance(
                    query, queryOffset, matrix, r3, bound, dim, lanes(sum3.lane(0), sum3.lane(1)));
      }
    }
  }

  /** A row's squared distance: fold, tail, and the safe way when out of range. */
  private static double rowDistance(
      float[] query, int queryOffset, float[] matrix, int row, int bound, int dim, double lanes) {
    double sum = lanes;
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double e = (double) query[queryOffset + i] - matrix[row + i];
      sum += e * e;
    }
    return (sum >= FLOAT_LANES_LOW && sum < Double.POSITIVE_INFINITY)
        ? sum
        : SCALAR.squaredDistance(query, queryOffset, matrix, row, dim);
  }

  // ---------------------------------------------------------------- double

  @Override
  public double cosine(double[] a, int aOffset, double[] b, int bOffset, int length) {
    if (length < DOUBLE_LANES) {
      return SCALAR.cosine(a, aOffset, b, bOffset, length);
    }
    DoubleVector d0 = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector d1 = d0;
    DoubleVector d2 = d0;
    DoubleVector d3 = d0;
    DoubleVector s0 = d0;
    DoubleVector s1 = d0;
    DoubleVector s2 = d0;
    DoubleVector s3 = d0;
    DoubleVector t0 = d0;
    DoubleVector t1 = d0;
    DoubleVector t2 = d0;
    DoubleVector t3 = d0;
    int i = 0;
    int unrolledBound = length - length % (4 * DOUBLE_LANES);
    for (; i < unrolledBound; i += 4 * DOUBLE_LANES) {
      int at = aOffset + i;
      int bt = bOffset + i;
      DoubleVector x0 = DoubleVector.fromArray(DOUBLE_SPECIES, a, at);
      DoubleVector y0 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bt);
      DoubleVector x1 = DoubleVector.fromArray(DOUBLE_SPECIES, a, at + DOUBLE_LANES);
      DoubleVector y1 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bt + DOUBLE_LANES);
      DoubleVector x2 = DoubleVector.fromArray(DOUBLE_SPECIES, a, at + 2 * DOUBLE_LANES);
      DoubleVector y2 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bt + 2 * DOUBLE_LANES);
      DoubleVector x3 = DoubleVector.fromArray(DOUBLE_SPECIES, a, at + 3 * DOUBLE_LANES);
      DoubleVector y3 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bt + 3 * DOUBLE_LANES);
      d0 = FMA ? x0.fma(y0, d0) : x0.mul(y0).add(d0);
      s0 = FMA ? x0.fma(x0, s0) : x0.mul(x0).add(s0);
      t0 = FMA ? y0.fma(y0, t0) : y0.mul(y0).add(t0);
      d1 = FMA ? x1.fma(y1, d1) : x1.mul(y1).add(d1);
      s1 = FMA ? x1.fma(x1, s1) : x1.mul(x1).add(s1);
      t1 = FMA ? y1.fma(y1, t1) : y1.mul(y1).add(t1);
      d2 = FMA ? x2.fma(y2, d2) : x2.mul(y2).add(d2);
      s2 = FMA ? x2.fma(x2, s2) : x2.mul(x2).add(s2);
      t2 = FMA ? y2.fma(y2, t2) : y2.mul(y2).add(t2);
      d3 = FMA ? x3.fma(y3, d3) : x3.mul(y3).add(d3);
      s3 = FMA ? x3.fma(x3, s3) : x3.mul(x3).add(s3);
      t3 = FMA ? y3.fma(y3, t3) : y3.mul(y3).add(t3);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += DOUBLE_LANES) {
      DoubleVector x = DoubleVector.fromArray(DOUBLE_SPECIES, a, aOffset + i);
      DoubleVector y = DoubleVector.fromArray(DOUBLE_SPECIES, b, bOffset + i);
      d0 = FMA ? x.fma(y, d0) : x.mul(y).add(d0);
      s0 = FMA ? x.fma(x, s0) : x.mul(x).add(s0);
      t0 = FMA ? y.fma(y, t0) : y.mul(y).add(t0);
    }
    DoubleVector dots = d0.add(d1).add(d2.add(d3));
    DoubleVector squaresA = s0.add(s1).add(s2.add(s3));
    DoubleVector squaresB = t0.add(t1).add(t2.add(t3));
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int lane = 0; lane < DOUBLE_LANES; lane++) { // in index order, in double
      dot += dots.lane(lane);
      sumA += squaresA.lane(lane);
      sumB += squaresB.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (ScalarSimilarityKernels.inCosineRange(sumA)
        && ScalarSimilarityKernels.inCosineRange(sumB)) {
      return SimilarityKernels.cosineOf(dot, sumA, sumB);
    }
    return ScalarSimilarityKernels.scaledCosine(a, aOffset, b, bOffset, length);
  }

  @Override
  public void cosineTerms(
      double[] a, int aOffset, double[] b, int bOffset, int length, double[] terms, int at) {
    if (length < DOUBLE_LANES) {
      SCALAR.cosineTerms(a, aOffset, b, bOffset, length, terms, at);
      return;
    }
    // The loop of cosine(), keeping the three sums instead of their quotient.
    DoubleVector d0 = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector d1 = d0;
    DoubleVector d2 = d0;
    DoubleVector d3 = d0;
    DoubleVector s0 = d0;
    DoubleVector s1 = d0;
    DoubleVector s2 = d0;
    DoubleVector s3 = d0;
    DoubleVector t0 = d0;
    DoubleVector t1 = d0;
    DoubleVector t2 = d0;
    DoubleVector t3 = d0;
    int i = 0;
    int unrolledBound = length - length % (4 * DOUBLE_LANES);
    for (; i < unrolledBound; i += 4 * DOUBLE_LANES) {
      int ai = aOffset + i;
      int bi = bOffset + i;
      DoubleVector x0 = DoubleVector.fromArray(DOUBLE_SPECIES, a, ai);
      DoubleVector y0 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bi);
      DoubleVector x1 = DoubleVector.fromArray(DOUBLE_SPECIES, a, ai + DOUBLE_LANES);
      DoubleVector y1 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bi + DOUBLE_LANES);
      DoubleVector x2 = DoubleVector.fromArray(DOUBLE_SPECIES, a, ai + 2 * DOUBLE_LANES);
      DoubleVector y2 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bi + 2 * DOUBLE_LANES);
      DoubleVector x3 = DoubleVector.fromArray(DOUBLE_SPECIES, a, ai + 3 * DOUBLE_LANES);
      DoubleVector y3 = DoubleVector.fromArray(DOUBLE_SPECIES, b, bi + 3 * DOUBLE_LANES);
      d0 = FMA ? x0.fma(y0, d0) : x0.mul(y0).add(d0);
      s0 = FMA ? x0.fma(x0, s0) : x0.mul(x0).add(s0);
      t0 = FMA ? y0.fma(y0, t0) : y0.mul(y0).add(t0);
      d1 = FMA ? x1.fma(y1, d1) : x1.mul(y1).add(d1);
      s1 = FMA ? x1.fma(x1, s1) : x1.mul(x1).add(s1);
      t1 = FMA ? y1.fma(y1, t1) : y1.mul(y1).add(t1);
      d2 = FMA ? x2.fma(y2, d2) : x2.mul(y2).add(d2);
      s2 = FMA ? x2.fma(x2, s2) : x2.mul(x2).add(s2);
      t2 = FMA ? y2.fma(y2, t2) : y2.mul(y2).add(t2);
      d3 = FMA ? x3.fma(y3, d3) : x3.mul(y3).add(d3);
      s3 = FMA ? x3.fma(x3, s3) : x3.mul(x3).add(s3);
      t3 = FMA ? y3.fma(y3, t3) : y3.mul(y3).add(t3);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += DOUBLE_LANES) {
      DoubleVector x = DoubleVector.fromArray(DOUBLE_SPECIES, a, aOffset + i);
      DoubleVector y = DoubleVector.fromArray(DOUBLE_SPECIES, b, bOffset + i);
      d0 = FMA ? x.fma(y, d0) : x.mul(y).add(d0);
      s0 = FMA ? x.fma(x, s0) : x.mul(x).add(s0);
      t0 = FMA ? y.fma(y, t0) : y.mul(y).add(t0);
    }
    DoubleVector dots = d0.add(d1).add(d2.add(d3));
    DoubleVector squaresA = s0.add(s1).add(s2.add(s3));
    DoubleVector squaresB = t0.add(t1).add(t2.add(t3));
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int lane = 0; lane < DOUBLE_LANES; lane++) { // in index order, in double
      dot += dots.lane(lane);
      sumA += squaresA.lane(lane);
      sumB += squaresB.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (ScalarSimilarityKernels.inCosineRange(sumA)
        && ScalarSimilarityKernels.inCosineRange(sumB)) {
      terms[at] = dot;
      terms[at + 1] = sumA;
      terms[at + 2] = sumB;
      terms[at + 3] = 0;
      terms[at + 4] = 0;
    } else {
      ScalarSimilarityKernels.scaledTerms(a, aOffset, b, bOffset, length, terms, at);
    }
  }

  @Override
  public double squaredDistance(double[] a, int aOffset, double[] b, int bOffset, int length) {
    if (length < DOUBLE_LANES) {
      return SCALAR.squaredDistance(a, aOffset, b, bOffset, length);
    }
    // Four chains: a step loads two vectors, so loads, not the multiply-adds, are the limit.
    DoubleVector acc0 = DoubleVector.zero(DOUBLE_SPECIES);
    DoubleVector acc1 = acc0;
    DoubleVector acc2 = acc0;
    DoubleVector acc3 = acc0;
    int i = 0;
    int unrolledBound = length - length % (4 * DOUBLE_LANES);
    for (; i < unrolledBound; i += 4 * DOUBLE_LANES) {
      int at = aOffset + i;
      int bt = bOffset + i;
      DoubleVector e0 =
          DoubleVector.fromArray(DOUBLE_SPECIES, a, at)
              .sub(DoubleVector.fromArray(DOUBLE_SPECIES, b, bt));
      DoubleVector e1 =
          DoubleVector.fromArray(DOUBLE_SPECIES, a, at + DOUBLE_LANES)
              .sub(DoubleVector.fromArray(DOUBLE_SPECIES, b, bt + DOUBLE_LANES));
      DoubleVector e2 =
          DoubleVector.fromArray(DOUBLE_SPECIES, a, at + 2 * DOUBLE_LANES)
              .sub(DoubleVector.fromArray(DOUBLE_SPECIES, b, bt + 2 * DOUBLE_LANES));
      DoubleVector e3 =
          DoubleVector.fromArray(DOUBLE_SPECIES, a, at + 3 * DOUBLE_LANES)
              .sub(DoubleVector.fromArray(DOUBLE_SPECIES, b, bt + 3 * DOUBLE_LANES));
      acc0 = FMA ? e0.fma(e0, acc0) : e0.mul(e0).add(acc0);
      acc1 = FMA ? e1.fma(e1, acc1) : e1.mul(e1).add(acc1);
      acc2 = FMA ? e2.fma(e2, acc2) : e2.mul(e2).add(acc2);
      acc3 = FMA ? e3.fma(e3, acc3) : e3.mul(e3).add(acc3);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += DOUBLE_LANES) {
      DoubleVector e =
          DoubleVector.fromArray(DOUBLE_SPECIES, a, aOffset + i)
              .sub(DoubleVector.fromArray(DOUBLE_SPECIES, b, bOffset + i));
      acc0 = FMA ? e.fma(e, acc0) : e.mul(e).add(acc0);
    }
    DoubleVector squares = acc0.add(acc1).add(acc2.add(acc3));
    double sum = 0;
    for (int lane = 0; lane < DOUBLE_LANES; lane++) { // in index order, in double
      sum += squares.lane(lane);
    }
    // scalar tail
    for (; i < length; i++) {
      double e = a[aOffset + i] - b[bOffset + i];
      sum += e * e;
    }
    return ScalarSimilarityKernels.distanceInRange(sum)
        ? sum
        : ScalarSimilarityKernels.scaledSquaredDistance(a, aOffset, b, bOffset, length);
  }

  @Override
  public void dotScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset) {
    int pairBound = dim - dim % (2 * DOUBLE_LANES);
    int bound = DOUBLE_SPECIES.loopBound(dim);
    for (int r = 0; r < rows; r += 4) {
      // Four rows per step; past the last row the last one again (computed, not stored).
      int r0 = matrixOffset + r * rowStride;
      int r1 = matrixOffset + Math.min(r + 1, rows - 1) * rowStride;
      int r2 = matrixOffset + Math.min(r + 2, rows - 1) * rowStride;
      int r3 = matrixOffset + Math.min(r + 3, rows - 1) * rowStride;
      DoubleVector even0 = DoubleVector.zero(DOUBLE_SPECIES);
      DoubleVector odd0 = even0;
      DoubleVector even1 = even0;
      DoubleVector odd1 = even0;
      DoubleVector even2 = even0;
      DoubleVector odd2 = even0;
      DoubleVector even3 = even0;
      DoubleVector odd3 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * DOUBLE_LANES) {
        int j = i + DOUBLE_LANES;
        DoubleVector q0 = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + i);
        DoubleVector q1 = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + j);
        DoubleVector x0 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r0 + i);
        DoubleVector y0 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r0 + j);
        DoubleVector x1 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r1 + i);
        DoubleVector y1 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r1 + j);
        DoubleVector x2 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r2 + i);
        DoubleVector y2 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r2 + j);
        DoubleVector x3 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r3 + i);
        DoubleVector y3 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r3 + j);
        even0 = FMA ? q0.fma(x0, even0) : q0.mul(x0).add(even0);
        odd0 = FMA ? q1.fma(y0, odd0) : q1.mul(y0).add(odd0);
        even1 = FMA ? q0.fma(x1, even1) : q0.mul(x1).add(even1);
        odd1 = FMA ? q1.fma(y1, odd1) : q1.mul(y1).add(odd1);
        even2 = FMA ? q0.fma(x2, even2) : q0.mul(x2).add(even2);
        odd2 = FMA ? q1.fma(y2, odd2) : q1.mul(y2).add(odd2);
        even3 = FMA ? q0.fma(x3, even3) : q0.mul(x3).add(even3);
        odd3 = FMA ? q1.fma(y3, odd3) : q1.mul(y3).add(odd3);
      }
      if (i < bound) { // one vector left: an even one
        DoubleVector q0 = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + i);
        DoubleVector x0 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r0 + i);
        DoubleVector x1 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r1 + i);
        DoubleVector x2 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r2 + i);
        DoubleVector x3 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r3 + i);
        even0 = FMA ? q0.fma(x0, even0) : q0.mul(x0).add(even0);
        even1 = FMA ? q0.fma(x1, even1) : q0.mul(x1).add(even1);
        even2 = FMA ? q0.fma(x2, even2) : q0.mul(x2).add(even2);
        even3 = FMA ? q0.fma(x3, even3) : q0.mul(x3).add(even3);
      }
      DoubleVector sum0 = even0.add(odd0);
      DoubleVector sum1 = even1.add(odd1);
      DoubleVector sum2 = even2.add(odd2);
      DoubleVector sum3 = even3.add(odd3);
      // the butterfly fold, written out: see the class comment
      if (DOUBLE_LANES > 4) {
        sum0 = sum0.add(sum0.rearrange(DOUBLE_XOR_4));
        sum1 = sum1.add(sum1.rearrange(DOUBLE_XOR_4));
        sum2 = sum2.add(sum2.rearrange(DOUBLE_XOR_4));
        sum3 = sum3.add(sum3.rearrange(DOUBLE_XOR_4));
      }
      if (DOUBLE_LANES > 2) {
        sum0 = sum0.add(sum0.rearrange(DOUBLE_XOR_2));
        sum1 = sum1.add(sum1.rearrange(DOUBLE_XOR_2));
        sum2 = sum2.add(sum2.rearrange(DOUBLE_XOR_2));
        sum3 = sum3.add(sum3.rearrange(DOUBLE_XOR_2));
      }
      int s = scoresOffset + r;
      scores[s] =
          rowDot(query, queryOffset, matrix, r0, bound, dim, lanes(sum0.lane(0), sum0.lane(1)));
      if (r + 1 < rows) {
        scores[s + 1] =
            rowDot(query, queryOffset, matrix, r1, bound, dim, lanes(sum1.lane(0), sum1.lane(1)));
      }
      if (r + 2 < rows) {
        scores[s + 2] =
            rowDot(query, queryOffset, matrix, r2, bound, dim, lanes(sum2.lane(0), sum2.lane(1)));
      }
      if (r + 3 < rows) {
        scores[s + 3] =
            rowDot(query, queryOffset, matrix, r3, bound, dim, lanes(sum3.lane(0), sum3.lane(1)));
      }
    }
  }

  /** A row's dot product: its folded lanes, then its tail, in double. */
  private static double rowDot(
      double[] query, int queryOffset, double[] matrix, int row, int bound, int dim, double lanes) {
    double sum = lanes;
    // scalar tail
    for (int i = bound; i < dim; i++) {
      sum += query[queryOffset + i] * matrix[row + i];
    }
    return sum;
  }

  @Override
  public void cosineScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset) {
    int bound = DOUBLE_SPECIES.loopBound(dim);
    // The query's norm, once per call, with the same arithmetic as a row's.
    DoubleVector q2 = DoubleVector.zero(DOUBLE_SPECIES);
    for (int i = 0; i < bound; i += DOUBLE_LANES) {
      DoubleVector q = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + i);
      q2 = FMA ? q.fma(q, q2) : q.mul(q).add(q2);
    }
    if (DOUBLE_LANES > 4) {
      q2 = q2.add(q2.rearrange(DOUBLE_XOR_4));
    }
    if (DOUBLE_LANES > 2) {
      q2 = q2.add(q2.rearrange(DOUBLE_XOR_2));
    }
    double sumQ = lanes(q2.lane(0), q2.lane(1));
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double x = query[queryOffset + i];
      sumQ += x * x;
    }
    if (!ScalarSimilarityKernels.inCosineRange(sumQ)) {
      // a zero, tiny, huge or non-finite query: every row the safe way
      for (int r = 0; r < rows; r++) {
        scores[scoresOffset + r] =
            ScalarSimilarityKernels.scaledCosine(
                query, queryOffset, matrix, matrixOffset + r * rowStride, dim);
      }
      return;
    }
    double queryNorm = Math.sqrt(sumQ);
    for (int r = 0; r < rows; r += 4) {
      // Four rows per step; past the last row the last one again (computed, not stored).
      int r0 = matrixOffset + r * rowStride;
      int r1 = matrixOffset + Math.min(r + 1, rows - 1) * rowStride;
      int r2 = matrixOffset + Math.min(r + 2, rows - 1) * rowStride;
      int r3 = matrixOffset + Math.min(r + 3, rows - 1) * rowStride;
      DoubleVector dot0 = DoubleVector.zero(DOUBLE_SPECIES);
      DoubleVector dot1 = dot0;
      DoubleVector dot2 = dot0;
      DoubleVector dot3 = dot0;
      DoubleVector norm0 = dot0;
      DoubleVector norm1 = dot0;
      DoubleVector norm2 = dot0;
      DoubleVector norm3 = dot0;
      for (int i = 0; i < bound; i += DOUBLE_LANES) {
        DoubleVector q = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + i);
        DoubleVector x0 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r0 + i);
        DoubleVector x1 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r1 + i);
        DoubleVector x2 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r2 + i);
        DoubleVector x3 = DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r3 + i);
        dot0 = FMA ? q.fma(x0, dot0) : q.mul(x0).add(dot0);
        norm0 = FMA ? x0.fma(x0, norm0) : x0.mul(x0).add(norm0);
        dot1 = FMA ? q.fma(x1, dot1) : q.mul(x1).add(dot1);
        norm1 = FMA ? x1.fma(x1, norm1) : x1.mul(x1).add(norm1);
        dot2 = FMA ? q.fma(x2, dot2) : q.mul(x2).add(dot2);
        norm2 = FMA ? x2.fma(x2, norm2) : x2.mul(x2).add(norm2);
        dot3 = FMA ? q.fma(x3, dot3) : q.mul(x3).add(dot3);
        norm3 = FMA ? x3.fma(x3, norm3) : x3.mul(x3).add(norm3);
      }
      // the butterfly fold, written out: see the class comment
      if (DOUBLE_LANES > 4) {
        dot0 = dot0.add(dot0.rearrange(DOUBLE_XOR_4));
        dot1 = dot1.add(dot1.rearrange(DOUBLE_XOR_4));
        dot2 = dot2.add(dot2.rearrange(DOUBLE_XOR_4));
        dot3 = dot3.add(dot3.rearrange(DOUBLE_XOR_4));
        norm0 = norm0.add(norm0.rearrange(DOUBLE_XOR_4));
        norm1 = norm1.add(norm1.rearrange(DOUBLE_XOR_4));
        norm2 = norm2.add(norm2.rearrange(DOUBLE_XOR_4));
        norm3 = norm3.add(norm3.rearrange(DOUBLE_XOR_4));
      }
      if (DOUBLE_LANES > 2) {
        dot0 = dot0.add(dot0.rearrange(DOUBLE_XOR_2));
        dot1 = dot1.add(dot1.rearrange(DOUBLE_XOR_2));
        dot2 = dot2.add(dot2.rearrange(DOUBLE_XOR_2));
        dot3 = dot3.add(dot3.rearrange(DOUBLE_XOR_2));
        norm0 = norm0.add(norm0.rearrange(DOUBLE_XOR_2));
        norm1 = norm1.add(norm1.rearrange(DOUBLE_XOR_2));
        norm2 = norm2.add(norm2.rearrange(DOUBLE_XOR_2));
        norm3 = norm3.add(norm3.rearrange(DOUBLE_XOR_2));
      }
      int s = scoresOffset + r;
      scores[s] =
          rowCosine(
              query,
              queryOffset,
              matrix,
              r0,
              bound,
              dim,
              lanes(dot0.lane(0), dot0.lane(1)),
              lanes(norm0.lane(0), norm0.lane(1)),
              queryNorm);
      if (r + 1 < rows) {
        scores[s + 1] =
            rowCosine(
                query,
                queryOffset,
                matrix,
                r1,
                bound,
                dim,
                lanes(dot1.lane(0), dot1.lane(1)),
                lanes(norm1.lane(0), norm1.lane(1)),
                queryNorm);
      }
      if (r + 2 < rows) {
        scores[s + 2] =
            rowCosine(
                query,
                queryOffset,
                matrix,
                r2,
                bound,
                dim,
                lanes(dot2.lane(0), dot2.lane(1)),
                lanes(norm2.lane(0), norm2.lane(1)),
                queryNorm);
      }
      if (r + 3 < rows) {
        scores[s + 3] =
            rowCosine(
                query,
                queryOffset,
                matrix,
                r3,
                bound,
                dim,
                lanes(dot3.lane(0), dot3.lane(1)),
                lanes(norm3.lane(0), norm3.lane(1)),
                queryNorm);
      }
    }
  }

  /** A row's cosine from its folded lanes: tail, range check, the safe way if out of range. */
  private static double rowCosine(
      double[] query,
      int queryOffset,
      double[] matrix,
      int row,
      int bound,
      int dim,
      double dotLanes,
      double normLanes,
      double queryNorm) {
    double dot = dotLanes;
    double sumR = normLanes;
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double x = query[queryOffset + i];
      double y = matrix[row + i];
      dot += x * y;
      sumR += y * y;
    }
    if (ScalarSimilarityKernels.inCosineRange(sumR)) {
      return SimilarityKernels.cosineFromNorms(dot, queryNorm, Math.sqrt(sumR));
    }
    return ScalarSimilarityKernels.scaledCosine(query, queryOffset, matrix, row, dim);
  }

  @Override
  public void squaredDistanceScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset) {
    int pairBound = dim - dim % (2 * DOUBLE_LANES);
    int bound = DOUBLE_SPECIES.loopBound(dim);
    for (int r = 0; r < rows; r += 4) {
      // Four rows per step; past the last row the last one again (computed, not stored).
      int r0 = matrixOffset + r * rowStride;
      int r1 = matrixOffset + Math.min(r + 1, rows - 1) * rowStride;
      int r2 = matrixOffset + Math.min(r + 2, rows - 1) * rowStride;
      int r3 = matrixOffset + Math.min(r + 3, rows - 1) * rowStride;
      DoubleVector even0 = DoubleVector.zero(DOUBLE_SPECIES);
      DoubleVector odd0 = even0;
      DoubleVector even1 = even0;
      DoubleVector odd1 = even0;
      DoubleVector even2 = even0;
      DoubleVector odd2 = even0;
      DoubleVector even3 = even0;
      DoubleVector odd3 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * DOUBLE_LANES) {
        int j = i + DOUBLE_LANES;
        DoubleVector q0 = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + i);
        DoubleVector q1 = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + j);
        DoubleVector e0 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r0 + i));
        DoubleVector f0 = q1.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r0 + j));
        DoubleVector e1 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r1 + i));
        DoubleVector f1 = q1.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r1 + j));
        DoubleVector e2 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r2 + i));
        DoubleVector f2 = q1.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r2 + j));
        DoubleVector e3 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r3 + i));
        DoubleVector f3 = q1.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r3 + j));
        even0 = FMA ? e0.fma(e0, even0) : e0.mul(e0).add(even0);
        odd0 = FMA ? f0.fma(f0, odd0) : f0.mul(f0).add(odd0);
        even1 = FMA ? e1.fma(e1, even1) : e1.mul(e1).add(even1);
        odd1 = FMA ? f1.fma(f1, odd1) : f1.mul(f1).add(odd1);
        even2 = FMA ? e2.fma(e2, even2) : e2.mul(e2).add(even2);
        odd2 = FMA ? f2.fma(f2, odd2) : f2.mul(f2).add(odd2);
        even3 = FMA ? e3.fma(e3, even3) : e3.mul(e3).add(even3);
        odd3 = FMA ? f3.fma(f3, odd3) : f3.mul(f3).add(odd3);
      }
      if (i < bound) { // one vector left: an even one
        DoubleVector q0 = DoubleVector.fromArray(DOUBLE_SPECIES, query, queryOffset + i);
        DoubleVector e0 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r0 + i));
        DoubleVector e1 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r1 + i));
        DoubleVector e2 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r2 + i));
        DoubleVector e3 = q0.sub(DoubleVector.fromArray(DOUBLE_SPECIES, matrix, r3 + i));
        even0 = FMA ? e0.fma(e0, even0) : e0.mul(e0).add(even0);
        even1 = FMA ? e1.fma(e1, even1) : e1.mul(e1).add(even1);
        even2 = FMA ? e2.fma(e2, even2) : e2.mul(e2).add(even2);
        even3 = FMA ? e3.fma(e3, even3) : e3.mul(e3).add(even3);
      }
      DoubleVector sum0 = even0.add(odd0);
      DoubleVector sum1 = even1.add(odd1);
      DoubleVector sum2 = even2.add(odd2);
      DoubleVector sum3 = even3.add(odd3);
      // the butterfly fold, written out: see the class comment
      if (DOUBLE_LANES > 4) {
        sum0 = sum0.add(sum0.rearrange(DOUBLE_XOR_4));
        sum1 = sum1.add(sum1.rearrange(DOUBLE_XOR_4));
        sum2 = sum2.add(sum2.rearrange(DOUBLE_XOR_4));
        sum3 = sum3.add(sum3.rearrange(DOUBLE_XOR_4));
      }
      if (DOUBLE_LANES > 2) {
        sum0 = sum0.add(sum0.rearrange(DOUBLE_XOR_2));
        sum1 = sum1.add(sum1.rearrange(DOUBLE_XOR_2));
        sum2 = sum2.add(sum2.rearrange(DOUBLE_XOR_2));
        sum3 = sum3.add(sum3.rearrange(DOUBLE_XOR_2));
      }
      int s = scoresOffset + r;
      scores[s] =
          rowDistance(
              query, queryOffset, matrix, r0, bound, dim, lanes(sum0.lane(0), sum0.lane(1)));
      if (r + 1 < rows) {
        scores[s + 1] =
            rowDistance(
                query, queryOffset, matrix, r1, bound, dim, lanes(sum1.lane(0), sum1.lane(1)));
      }
      if (r + 2 < rows) {
        scores[s + 2] =
            rowDistance(
                query, queryOffset, matrix, r2, bound, dim, lanes(sum2.lane(0), sum2.lane(1)));
      }
      if (r + 3 < rows) {
        scores[s + 3] =
            rowDistance(
                query, queryOffset, matrix, r3, bound, dim, lanes(sum3.lane(0), sum3.lane(1)));
      }
    }
  }

  /** A row's squared distance: fold, tail, and the safe way when out of range. */
  private static double rowDistance(
      double[] query, int queryOffset, double[] matrix, int row, int bound, int dim, double lanes) {
    double sum = lanes;
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double e = query[queryOffset + i] - matrix[row + i];
      sum += e * e;
    }
    return ScalarSimilarityKernels.distanceInRange(sum)
        ? sum
        : ScalarSimilarityKernels.scaledSquaredDistance(query, queryOffset, matrix, row, dim);
  }
}
