package dev.flynn.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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
 * multiply-adds instead of 2 for 1 or 2 one row at a time. Each row's arithmetic is the same
 * whether it is one of four or a leftover row: {@code dot} and {@code squaredDistance} keep two
 * accumulators per row (even and odd vectors of the row: 8 chains for 4 rows), {@code cosine} one
 * per sum (dot and row norm: 8 chains); then the row's lanes are folded in index order in double
 * and its tail added in double. So a score never depends on which rows share its call. The lanes
 * are folded in the kernel's own body and only doubles reach the per-row helpers: C2 may decline to
 * inline a helper into these large loops, and a vector passed to a call it did not inline is boxed
 * on the heap, which made the blocked kernels slower than the scalar ones.
 */
final class VectorSimilarityKernels implements SimilarityKernels {

  static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Double> DOUBLE_SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int FLOAT_LANES = FLOAT_SPECIES.length();
  private static final int DOUBLE_LANES = DOUBLE_SPECIES.length();

  private static final ScalarSimilarityKernels SCALAR = ScalarSimilarityKernels.INSTANCE;

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
      FloatVector x0 = load(a, at);
      FloatVector y0 = load(b, bt);
      FloatVector x1 = load(a, at + FLOAT_LANES);
      FloatVector y1 = load(b, bt + FLOAT_LANES);
      FloatVector x2 = load(a, at + 2 * FLOAT_LANES);
      FloatVector y2 = load(b, bt + 2 * FLOAT_LANES);
      FloatVector x3 = load(a, at + 3 * FLOAT_LANES);
      FloatVector y3 = load(b, bt + 3 * FLOAT_LANES);
      d0 = mulAdd(x0, y0, d0);
      s0 = mulAdd(x0, x0, s0);
      t0 = mulAdd(y0, y0, t0);
      d1 = mulAdd(x1, y1, d1);
      s1 = mulAdd(x1, x1, s1);
      t1 = mulAdd(y1, y1, t1);
      d2 = mulAdd(x2, y2, d2);
      s2 = mulAdd(x2, x2, s2);
      t2 = mulAdd(y2, y2, t2);
      d3 = mulAdd(x3, y3, d3);
      s3 = mulAdd(x3, x3, s3);
      t3 = mulAdd(y3, y3, t3);
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector x = load(a, aOffset + i);
      FloatVector y = load(b, bOffset + i);
      d0 = mulAdd(x, y, d0);
      s0 = mulAdd(x, x, s0);
      t0 = mulAdd(y, y, t0);
    }
    double dot = foldLanes(d0.add(d1).add(d2.add(d3)));
    double sumA = foldLanes(s0.add(s1).add(s2.add(s3)));
    double sumB = foldLanes(t0.add(t1).add(t2.add(t3)));
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
      FloatVector x0 = load(a, ai);
      FloatVector y0 = load(b, bi);
      FloatVector x1 = load(a, ai + FLOAT_LANES);
      FloatVector y1 = load(b, bi + FLOAT_LANES);
      FloatVector x2 = load(a, ai + 2 * FLOAT_LANES);
      FloatVector y2 = load(b, bi + 2 * FLOAT_LANES);
      FloatVector x3 = load(a, ai + 3 * FLOAT_LANES);
      FloatVector y3 = load(b, bi + 3 * FLOAT_LANES);
      d0 = mulAdd(x0, y0, d0);
      s0 = mulAdd(x0, x0, s0);
      t0 = mulAdd(y0, y0, t0);
      d1 = mulAdd(x1, y1, d1);
      s1 = mulAdd(x1, x1, s1);
      t1 = mulAdd(y1, y1, t1);
      d2 = mulAdd(x2, y2, d2);
      s2 = mulAdd(x2, x2, s2);
      t2 = mulAdd(y2, y2, t2);
      d3 = mulAdd(x3, y3, d3);
      s3 = mulAdd(x3, x3, s3);
      t3 = mulAdd(y3, y3, t3);
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector x = load(a, aOffset + i);
      FloatVector y = load(b, bOffset + i);
      d0 = mulAdd(x, y, d0);
      s0 = mulAdd(x, x, s0);
      t0 = mulAdd(y, y, t0);
    }
    double dot = foldLanes(d0.add(d1).add(d2.add(d3)));
    double sumA = foldLanes(s0.add(s1).add(s2.add(s3)));
    double sumB = foldLanes(t0.add(t1).add(t2.add(t3)));
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
      FloatVector e0 = load(a, at).sub(load(b, bt));
      FloatVector e1 = load(a, at + FLOAT_LANES).sub(load(b, bt + FLOAT_LANES));
      FloatVector e2 = load(a, at + 2 * FLOAT_LANES).sub(load(b, bt + 2 * FLOAT_LANES));
      FloatVector e3 = load(a, at + 3 * FLOAT_LANES).sub(load(b, bt + 3 * FLOAT_LANES));
      acc0 = mulAdd(e0, e0, acc0);
      acc1 = mulAdd(e1, e1, acc1);
      acc2 = mulAdd(e2, e2, acc2);
      acc3 = mulAdd(e3, e3, acc3);
    }
    int bound = FLOAT_SPECIES.loopBound(length);
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector e = load(a, aOffset + i).sub(load(b, bOffset + i));
      acc0 = mulAdd(e, e, acc0);
    }
    double sum = foldLanes(acc0.add(acc1).add(acc2.add(acc3)));
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
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int r0 = matrixOffset + r * rowStride;
      int r1 = r0 + rowStride;
      int r2 = r1 + rowStride;
      int r3 = r2 + rowStride;
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
        FloatVector q0 = load(query, queryOffset + i);
        FloatVector q1 = load(query, queryOffset + i + FLOAT_LANES);
        even0 = mulAdd(q0, load(matrix, r0 + i), even0);
        odd0 = mulAdd(q1, load(matrix, r0 + i + FLOAT_LANES), odd0);
        even1 = mulAdd(q0, load(matrix, r1 + i), even1);
        odd1 = mulAdd(q1, load(matrix, r1 + i + FLOAT_LANES), odd1);
        even2 = mulAdd(q0, load(matrix, r2 + i), even2);
        odd2 = mulAdd(q1, load(matrix, r2 + i + FLOAT_LANES), odd2);
        even3 = mulAdd(q0, load(matrix, r3 + i), even3);
        odd3 = mulAdd(q1, load(matrix, r3 + i + FLOAT_LANES), odd3);
      }
      if (i < bound) { // one vector left: an even one
        FloatVector q0 = load(query, queryOffset + i);
        even0 = mulAdd(q0, load(matrix, r0 + i), even0);
        even1 = mulAdd(q0, load(matrix, r1 + i), even1);
        even2 = mulAdd(q0, load(matrix, r2 + i), even2);
        even3 = mulAdd(q0, load(matrix, r3 + i), even3);
      }
      FloatVector sum0 = even0.add(odd0);
      FloatVector sum1 = even1.add(odd1);
      FloatVector sum2 = even2.add(odd2);
      FloatVector sum3 = even3.add(odd3);
      double lanes0 = 0;
      double lanes1 = 0;
      double lanes2 = 0;
      double lanes3 = 0;
      for (int lane = 0; lane < FLOAT_LANES; lane++) { // folded here, in index order: see the class
        lanes0 += sum0.lane(lane);
        lanes1 += sum1.lane(lane);
        lanes2 += sum2.lane(lane);
        lanes3 += sum3.lane(lane);
      }
      int s = scoresOffset + r;
      scores[s] = (float) rowDot(query, queryOffset, matrix, r0, bound, dim, lanes0);
      scores[s + 1] = (float) rowDot(query, queryOffset, matrix, r1, bound, dim, lanes1);
      scores[s + 2] = (float) rowDot(query, queryOffset, matrix, r2, bound, dim, lanes2);
      scores[s + 3] = (float) rowDot(query, queryOffset, matrix, r3, bound, dim, lanes3);
    }
    for (; r < rows; r++) { // the leftover rows, one at a time, with the same arithmetic
      int r0 = matrixOffset + r * rowStride;
      FloatVector even0 = FloatVector.zero(FLOAT_SPECIES);
      FloatVector odd0 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * FLOAT_LANES) {
        even0 = mulAdd(load(query, queryOffset + i), load(matrix, r0 + i), even0);
        odd0 =
            mulAdd(
                load(query, queryOffset + i + FLOAT_LANES),
                load(matrix, r0 + i + FLOAT_LANES),
                odd0);
      }
      if (i < bound) {
        even0 = mulAdd(load(query, queryOffset + i), load(matrix, r0 + i), even0);
      }
      FloatVector sum0 = even0.add(odd0);
      double lanes0 = 0;
      for (int lane = 0; lane < FLOAT_LANES; lane++) {
        lanes0 += sum0.lane(lane);
      }
      scores[scoresOffset + r] = (float) rowDot(query, queryOffset, matrix, r0, bound, dim, lanes0);
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
      FloatVector q = load(query, queryOffset + i);
      q2 = mulAdd(q, q, q2);
    }
    double sumQ = foldLanes(q2);
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double x = query[queryOffset + i];
      sumQ += x * x;
    }
    if (!ScalarSimilarityKernels.inFloatLaneRange(
        sumQ)) { // a zero, tiny, huge or non-finite query: every row the safe way
      for (int r = 0; r < rows; r++) {
        scores[scoresOffset + r] =
            (float) SCALAR.cosine(query, queryOffset, matrix, matrixOffset + r * rowStride, dim);
      }
      return;
    }
    double queryNorm = Math.sqrt(sumQ);
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int r0 = matrixOffset + r * rowStride;
      int r1 = r0 + rowStride;
      int r2 = r1 + rowStride;
      int r3 = r2 + rowStride;
      FloatVector dot0 = FloatVector.zero(FLOAT_SPECIES);
      FloatVector dot1 = dot0;
      FloatVector dot2 = dot0;
      FloatVector dot3 = dot0;
      FloatVector norm0 = dot0;
      FloatVector norm1 = dot0;
      FloatVector norm2 = dot0;
      FloatVector norm3 = dot0;
      for (int i = 0; i < bound; i += FLOAT_LANES) {
        FloatVector q = load(query, queryOffset + i);
        FloatVector x0 = load(matrix, r0 + i);
        FloatVector x1 = load(matrix, r1 + i);
        FloatVector x2 = load(matrix, r2 + i);
        FloatVector x3 = load(matrix, r3 + i);
        dot0 = mulAdd(q, x0, dot0);
        norm0 = mulAdd(x0, x0, norm0);
        dot1 = mulAdd(q, x1, dot1);
        norm1 = mulAdd(x1, x1, norm1);
        dot2 = mulAdd(q, x2, dot2);
        norm2 = mulAdd(x2, x2, norm2);
        dot3 = mulAdd(q, x3, dot3);
        norm3 = mulAdd(x3, x3, norm3);
      }
      double d0 = 0;
      double d1 = 0;
      double d2 = 0;
      double d3 = 0;
      double n0 = 0;
      double n1 = 0;
      double n2 = 0;
      double n3 = 0;
      for (int lane = 0; lane < FLOAT_LANES; lane++) {
        d0 += dot0.lane(lane);
        d1 += dot1.lane(lane);
        d2 += dot2.lane(lane);
        d3 += dot3.lane(lane);
        n0 += norm0.lane(lane);
        n1 += norm1.lane(lane);
        n2 += norm2.lane(lane);
        n3 += norm3.lane(lane);
      }
      int s = scoresOffset + r;
      scores[s] = (float) rowCosine(query, queryOffset, matrix, r0, bound, dim, d0, n0, queryNorm);
      scores[s + 1] =
          (float) rowCosine(query, queryOffset, matrix, r1, bound, dim, d1, n1, queryNorm);
      scores[s + 2] =
          (float) rowCosine(query, queryOffset, matrix, r2, bound, dim, d2, n2, queryNorm);
      scores[s + 3] =
          (float) rowCosine(query, queryOffset, matrix, r3, bound, dim, d3, n3, queryNorm);
    }
    for (; r < rows; r++) {
      int r0 = matrixOffset + r * rowStride;
      FloatVector dot0 = FloatVector.zero(FLOAT_SPECIES);
      FloatVector norm0 = dot0;
      for (int i = 0; i < bound; i += FLOAT_LANES) {
        FloatVector x0 = load(matrix, r0 + i);
        dot0 = mulAdd(load(query, queryOffset + i), x0, dot0);
        norm0 = mulAdd(x0, x0, norm0);
      }
      double d0 = 0;
      double n0 = 0;
      for (int lane = 0; lane < FLOAT_LANES; lane++) {
        d0 += dot0.lane(lane);
        n0 += norm0.lane(lane);
      }
      scores[scoresOffset + r] =
          (float) rowCosine(query, queryOffset, matrix, r0, bound, dim, d0, n0, queryNorm);
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
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int r0 = matrixOffset + r * rowStride;
      int r1 = r0 + rowStride;
      int r2 = r1 + rowStride;
      int r3 = r2 + rowStride;
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
        FloatVector q0 = load(query, queryOffset + i);
        FloatVector q1 = load(query, queryOffset + i + FLOAT_LANES);
        FloatVector e0 = q0.sub(load(matrix, r0 + i));
        FloatVector f0 = q1.sub(load(matrix, r0 + i + FLOAT_LANES));
        FloatVector e1 = q0.sub(load(matrix, r1 + i));
        FloatVector f1 = q1.sub(load(matrix, r1 + i + FLOAT_LANES));
        FloatVector e2 = q0.sub(load(matrix, r2 + i));
        FloatVector f2 = q1.sub(load(matrix, r2 + i + FLOAT_LANES));
        FloatVector e3 = q0.sub(load(matrix, r3 + i));
        FloatVector f3 = q1.sub(load(matrix, r3 + i + FLOAT_LANES));
        even0 = mulAdd(e0, e0, even0);
        odd0 = mulAdd(f0, f0, odd0);
        even1 = mulAdd(e1, e1, even1);
        odd1 = mulAdd(f1, f1, odd1);
        even2 = mulAdd(e2, e2, even2);
        odd2 = mulAdd(f2, f2, odd2);
        even3 = mulAdd(e3, e3, even3);
        odd3 = mulAdd(f3, f3, odd3);
      }
      if (i < bound) { // one vector left: an even one
        FloatVector q0 = load(query, queryOffset + i);
        FloatVector e0 = q0.sub(load(matrix, r0 + i));
        FloatVector e1 = q0.sub(load(matrix, r1 + i));
        FloatVector e2 = q0.sub(load(matrix, r2 + i));
        FloatVector e3 = q0.sub(load(matrix, r3 + i));
        even0 = mulAdd(e0, e0, even0);
        even1 = mulAdd(e1, e1, even1);
        even2 = mulAdd(e2, e2, even2);
        even3 = mulAdd(e3, e3, even3);
      }
      FloatVector sum0 = even0.add(odd0);
      FloatVector sum1 = even1.add(odd1);
      FloatVector sum2 = even2.add(odd2);
      FloatVector sum3 = even3.add(odd3);
      double lanes0 = 0;
      double lanes1 = 0;
      double lanes2 = 0;
      double lanes3 = 0;
      for (int lane = 0; lane < FLOAT_LANES; lane++) {
        lanes0 += sum0.lane(lane);
        lanes1 += sum1.lane(lane);
        lanes2 += sum2.lane(lane);
        lanes3 += sum3.lane(lane);
      }
      int s = scoresOffset + r;
      scores[s] = (float) rowDistance(query, queryOffset, matrix, r0, bound, dim, lanes0);
      scores[s + 1] = (float) rowDistance(query, queryOffset, matrix, r1, bound, dim, lanes1);
      scores[s + 2] = (float) rowDistance(query, queryOffset, matrix, r2, bound, dim, lanes2);
      scores[s + 3] = (float) rowDistance(query, queryOffset, matrix, r3, bound, dim, lanes3);
    }
    for (; r < rows; r++) {
      int r0 = matrixOffset + r * rowStride;
      FloatVector even0 = FloatVector.zero(FLOAT_SPECIES);
      FloatVector odd0 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * FLOAT_LANES) {
        FloatVector e0 = load(query, queryOffset + i).sub(load(matrix, r0 + i));
        FloatVector f0 =
            load(query, queryOffset + i + FLOAT_LANES).sub(load(matrix, r0 + i + FLOAT_LANES));
        even0 = mulAdd(e0, e0, even0);
        odd0 = mulAdd(f0, f0, odd0);
      }
      if (i < bound) {
        FloatVector e0 = load(query, queryOffset + i).sub(load(matrix, r0 + i));
        even0 = mulAdd(e0, e0, even0);
      }
      FloatVector sum0 = even0.add(odd0);
      double lanes0 = 0;
      for (int lane = 0; lane < FLOAT_LANES; lane++) {
        lanes0 += sum0.lane(lane);
      }
      scores[scoresOffset + r] =
          (float) rowDistance(query, queryOffset, matrix, r0, bound, dim, lanes0);
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

  private static FloatVector load(float[] array, int index) {
    return FloatVector.fromArray(FLOAT_SPECIES, array, index);
  }

  /** The guarded multiply-add: fused only where FMA is hardware (see {@link FusedMultiplyAdd}). */
  private static FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** Adds the lanes in index order in double (reduceLanes leaves the order open). */
  private static double foldLanes(FloatVector v) {
    double sum = 0;
    for (int lane = 0; lane < FLOAT_LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
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
      DoubleVector x0 = load(a, at);
      DoubleVector y0 = load(b, bt);
      DoubleVector x1 = load(a, at + DOUBLE_LANES);
      DoubleVector y1 = load(b, bt + DOUBLE_LANES);
      DoubleVector x2 = load(a, at + 2 * DOUBLE_LANES);
      DoubleVector y2 = load(b, bt + 2 * DOUBLE_LANES);
      DoubleVector x3 = load(a, at + 3 * DOUBLE_LANES);
      DoubleVector y3 = load(b, bt + 3 * DOUBLE_LANES);
      d0 = mulAdd(x0, y0, d0);
      s0 = mulAdd(x0, x0, s0);
      t0 = mulAdd(y0, y0, t0);
      d1 = mulAdd(x1, y1, d1);
      s1 = mulAdd(x1, x1, s1);
      t1 = mulAdd(y1, y1, t1);
      d2 = mulAdd(x2, y2, d2);
      s2 = mulAdd(x2, x2, s2);
      t2 = mulAdd(y2, y2, t2);
      d3 = mulAdd(x3, y3, d3);
      s3 = mulAdd(x3, x3, s3);
      t3 = mulAdd(y3, y3, t3);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += DOUBLE_LANES) {
      DoubleVector x = load(a, aOffset + i);
      DoubleVector y = load(b, bOffset + i);
      d0 = mulAdd(x, y, d0);
      s0 = mulAdd(x, x, s0);
      t0 = mulAdd(y, y, t0);
    }
    double dot = foldLanes(d0.add(d1).add(d2.add(d3)));
    double sumA = foldLanes(s0.add(s1).add(s2.add(s3)));
    double sumB = foldLanes(t0.add(t1).add(t2.add(t3)));
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
      DoubleVector x0 = load(a, ai);
      DoubleVector y0 = load(b, bi);
      DoubleVector x1 = load(a, ai + DOUBLE_LANES);
      DoubleVector y1 = load(b, bi + DOUBLE_LANES);
      DoubleVector x2 = load(a, ai + 2 * DOUBLE_LANES);
      DoubleVector y2 = load(b, bi + 2 * DOUBLE_LANES);
      DoubleVector x3 = load(a, ai + 3 * DOUBLE_LANES);
      DoubleVector y3 = load(b, bi + 3 * DOUBLE_LANES);
      d0 = mulAdd(x0, y0, d0);
      s0 = mulAdd(x0, x0, s0);
      t0 = mulAdd(y0, y0, t0);
      d1 = mulAdd(x1, y1, d1);
      s1 = mulAdd(x1, x1, s1);
      t1 = mulAdd(y1, y1, t1);
      d2 = mulAdd(x2, y2, d2);
      s2 = mulAdd(x2, x2, s2);
      t2 = mulAdd(y2, y2, t2);
      d3 = mulAdd(x3, y3, d3);
      s3 = mulAdd(x3, x3, s3);
      t3 = mulAdd(y3, y3, t3);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += DOUBLE_LANES) {
      DoubleVector x = load(a, aOffset + i);
      DoubleVector y = load(b, bOffset + i);
      d0 = mulAdd(x, y, d0);
      s0 = mulAdd(x, x, s0);
      t0 = mulAdd(y, y, t0);
    }
    double dot = foldLanes(d0.add(d1).add(d2.add(d3)));
    double sumA = foldLanes(s0.add(s1).add(s2.add(s3)));
    double sumB = foldLanes(t0.add(t1).add(t2.add(t3)));
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
      DoubleVector e0 = load(a, at).sub(load(b, bt));
      DoubleVector e1 = load(a, at + DOUBLE_LANES).sub(load(b, bt + DOUBLE_LANES));
      DoubleVector e2 = load(a, at + 2 * DOUBLE_LANES).sub(load(b, bt + 2 * DOUBLE_LANES));
      DoubleVector e3 = load(a, at + 3 * DOUBLE_LANES).sub(load(b, bt + 3 * DOUBLE_LANES));
      acc0 = mulAdd(e0, e0, acc0);
      acc1 = mulAdd(e1, e1, acc1);
      acc2 = mulAdd(e2, e2, acc2);
      acc3 = mulAdd(e3, e3, acc3);
    }
    int bound = DOUBLE_SPECIES.loopBound(length);
    for (; i < bound; i += DOUBLE_LANES) {
      DoubleVector e = load(a, aOffset + i).sub(load(b, bOffset + i));
      acc0 = mulAdd(e, e, acc0);
    }
    double sum = foldLanes(acc0.add(acc1).add(acc2.add(acc3)));
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
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int r0 = matrixOffset + r * rowStride;
      int r1 = r0 + rowStride;
      int r2 = r1 + rowStride;
      int r3 = r2 + rowStride;
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
        DoubleVector q0 = load(query, queryOffset + i);
        DoubleVector q1 = load(query, queryOffset + i + DOUBLE_LANES);
        even0 = mulAdd(q0, load(matrix, r0 + i), even0);
        odd0 = mulAdd(q1, load(matrix, r0 + i + DOUBLE_LANES), odd0);
        even1 = mulAdd(q0, load(matrix, r1 + i), even1);
        odd1 = mulAdd(q1, load(matrix, r1 + i + DOUBLE_LANES), odd1);
        even2 = mulAdd(q0, load(matrix, r2 + i), even2);
        odd2 = mulAdd(q1, load(matrix, r2 + i + DOUBLE_LANES), odd2);
        even3 = mulAdd(q0, load(matrix, r3 + i), even3);
        odd3 = mulAdd(q1, load(matrix, r3 + i + DOUBLE_LANES), odd3);
      }
      if (i < bound) { // one vector left: an even one
        DoubleVector q0 = load(query, queryOffset + i);
        even0 = mulAdd(q0, load(matrix, r0 + i), even0);
        even1 = mulAdd(q0, load(matrix, r1 + i), even1);
        even2 = mulAdd(q0, load(matrix, r2 + i), even2);
        even3 = mulAdd(q0, load(matrix, r3 + i), even3);
      }
      DoubleVector sum0 = even0.add(odd0);
      DoubleVector sum1 = even1.add(odd1);
      DoubleVector sum2 = even2.add(odd2);
      DoubleVector sum3 = even3.add(odd3);
      double lanes0 = 0;
      double lanes1 = 0;
      double lanes2 = 0;
      double lanes3 = 0;
      for (int lane = 0;
          lane < DOUBLE_LANES;
          lane++) { // folded here, in index order: see the class
        lanes0 += sum0.lane(lane);
        lanes1 += sum1.lane(lane);
        lanes2 += sum2.lane(lane);
        lanes3 += sum3.lane(lane);
      }
      int s = scoresOffset + r;
      scores[s] = rowDot(query, queryOffset, matrix, r0, bound, dim, lanes0);
      scores[s + 1] = rowDot(query, queryOffset, matrix, r1, bound, dim, lanes1);
      scores[s + 2] = rowDot(query, queryOffset, matrix, r2, bound, dim, lanes2);
      scores[s + 3] = rowDot(query, queryOffset, matrix, r3, bound, dim, lanes3);
    }
    for (; r < rows; r++) { // the leftover rows, one at a time, with the same arithmetic
      int r0 = matrixOffset + r * rowStride;
      DoubleVector even0 = DoubleVector.zero(DOUBLE_SPECIES);
      DoubleVector odd0 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * DOUBLE_LANES) {
        even0 = mulAdd(load(query, queryOffset + i), load(matrix, r0 + i), even0);
        odd0 =
            mulAdd(
                load(query, queryOffset + i + DOUBLE_LANES),
                load(matrix, r0 + i + DOUBLE_LANES),
                odd0);
      }
      if (i < bound) {
        even0 = mulAdd(load(query, queryOffset + i), load(matrix, r0 + i), even0);
      }
      DoubleVector sum0 = even0.add(odd0);
      double lanes0 = 0;
      for (int lane = 0; lane < DOUBLE_LANES; lane++) {
        lanes0 += sum0.lane(lane);
      }
      scores[scoresOffset + r] = rowDot(query, queryOffset, matrix, r0, bound, dim, lanes0);
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
      DoubleVector q = load(query, queryOffset + i);
      q2 = mulAdd(q, q, q2);
    }
    double sumQ = foldLanes(q2);
    // scalar tail
    for (int i = bound; i < dim; i++) {
      double x = query[queryOffset + i];
      sumQ += x * x;
    }
    if (!ScalarSimilarityKernels.inCosineRange(
        sumQ)) { // a zero, tiny, huge or non-finite query: every row the safe way
      for (int r = 0; r < rows; r++) {
        scores[scoresOffset + r] =
            ScalarSimilarityKernels.scaledCosine(
                query, queryOffset, matrix, matrixOffset + r * rowStride, dim);
      }
      return;
    }
    double queryNorm = Math.sqrt(sumQ);
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int r0 = matrixOffset + r * rowStride;
      int r1 = r0 + rowStride;
      int r2 = r1 + rowStride;
      int r3 = r2 + rowStride;
      DoubleVector dot0 = DoubleVector.zero(DOUBLE_SPECIES);
      DoubleVector dot1 = dot0;
      DoubleVector dot2 = dot0;
      DoubleVector dot3 = dot0;
      DoubleVector norm0 = dot0;
      DoubleVector norm1 = dot0;
      DoubleVector norm2 = dot0;
      DoubleVector norm3 = dot0;
      for (int i = 0; i < bound; i += DOUBLE_LANES) {
        DoubleVector q = load(query, queryOffset + i);
        DoubleVector x0 = load(matrix, r0 + i);
        DoubleVector x1 = load(matrix, r1 + i);
        DoubleVector x2 = load(matrix, r2 + i);
        DoubleVector x3 = load(matrix, r3 + i);
        dot0 = mulAdd(q, x0, dot0);
        norm0 = mulAdd(x0, x0, norm0);
        dot1 = mulAdd(q, x1, dot1);
        norm1 = mulAdd(x1, x1, norm1);
        dot2 = mulAdd(q, x2, dot2);
        norm2 = mulAdd(x2, x2, norm2);
        dot3 = mulAdd(q, x3, dot3);
        norm3 = mulAdd(x3, x3, norm3);
      }
      double d0 = 0;
      double d1 = 0;
      double d2 = 0;
      double d3 = 0;
      double n0 = 0;
      double n1 = 0;
      double n2 = 0;
      double n3 = 0;
      for (int lane = 0; lane < DOUBLE_LANES; lane++) {
        d0 += dot0.lane(lane);
        d1 += dot1.lane(lane);
        d2 += dot2.lane(lane);
        d3 += dot3.lane(lane);
        n0 += norm0.lane(lane);
        n1 += norm1.lane(lane);
        n2 += norm2.lane(lane);
        n3 += norm3.lane(lane);
      }
      int s = scoresOffset + r;
      scores[s] = rowCosine(query, queryOffset, matrix, r0, bound, dim, d0, n0, queryNorm);
      scores[s + 1] = rowCosine(query, queryOffset, matrix, r1, bound, dim, d1, n1, queryNorm);
      scores[s + 2] = rowCosine(query, queryOffset, matrix, r2, bound, dim, d2, n2, queryNorm);
      scores[s + 3] = rowCosine(query, queryOffset, matrix, r3, bound, dim, d3, n3, queryNorm);
    }
    for (; r < rows; r++) {
      int r0 = matrixOffset + r * rowStride;
      DoubleVector dot0 = DoubleVector.zero(DOUBLE_SPECIES);
      DoubleVector norm0 = dot0;
      for (int i = 0; i < bound; i += DOUBLE_LANES) {
        DoubleVector x0 = load(matrix, r0 + i);
        dot0 = mulAdd(load(query, queryOffset + i), x0, dot0);
        norm0 = mulAdd(x0, x0, norm0);
      }
      double d0 = 0;
      double n0 = 0;
      for (int lane = 0; lane < DOUBLE_LANES; lane++) {
        d0 += dot0.lane(lane);
        n0 += norm0.lane(lane);
      }
      scores[scoresOffset + r] =
          rowCosine(query, queryOffset, matrix, r0, bound, dim, d0, n0, queryNorm);
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
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int r0 = matrixOffset + r * rowStride;
      int r1 = r0 + rowStride;
      int r2 = r1 + rowStride;
      int r3 = r2 + rowStride;
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
        DoubleVector q0 = load(query, queryOffset + i);
        DoubleVector q1 = load(query, queryOffset + i + DOUBLE_LANES);
        DoubleVector e0 = q0.sub(load(matrix, r0 + i));
        DoubleVector f0 = q1.sub(load(matrix, r0 + i + DOUBLE_LANES));
        DoubleVector e1 = q0.sub(load(matrix, r1 + i));
        DoubleVector f1 = q1.sub(load(matrix, r1 + i + DOUBLE_LANES));
        DoubleVector e2 = q0.sub(load(matrix, r2 + i));
        DoubleVector f2 = q1.sub(load(matrix, r2 + i + DOUBLE_LANES));
        DoubleVector e3 = q0.sub(load(matrix, r3 + i));
        DoubleVector f3 = q1.sub(load(matrix, r3 + i + DOUBLE_LANES));
        even0 = mulAdd(e0, e0, even0);
        odd0 = mulAdd(f0, f0, odd0);
        even1 = mulAdd(e1, e1, even1);
        odd1 = mulAdd(f1, f1, odd1);
        even2 = mulAdd(e2, e2, even2);
        odd2 = mulAdd(f2, f2, odd2);
        even3 = mulAdd(e3, e3, even3);
        odd3 = mulAdd(f3, f3, odd3);
      }
      if (i < bound) { // one vector left: an even one
        DoubleVector q0 = load(query, queryOffset + i);
        DoubleVector e0 = q0.sub(load(matrix, r0 + i));
        DoubleVector e1 = q0.sub(load(matrix, r1 + i));
        DoubleVector e2 = q0.sub(load(matrix, r2 + i));
        DoubleVector e3 = q0.sub(load(matrix, r3 + i));
        even0 = mulAdd(e0, e0, even0);
        even1 = mulAdd(e1, e1, even1);
        even2 = mulAdd(e2, e2, even2);
        even3 = mulAdd(e3, e3, even3);
      }
      DoubleVector sum0 = even0.add(odd0);
      DoubleVector sum1 = even1.add(odd1);
      DoubleVector sum2 = even2.add(odd2);
      DoubleVector sum3 = even3.add(odd3);
      double lanes0 = 0;
      double lanes1 = 0;
      double lanes2 = 0;
      double lanes3 = 0;
      for (int lane = 0; lane < DOUBLE_LANES; lane++) {
        lanes0 += sum0.lane(lane);
        lanes1 += sum1.lane(lane);
        lanes2 += sum2.lane(lane);
        lanes3 += sum3.lane(lane);
      }
      int s = scoresOffset + r;
      scores[s] = rowDistance(query, queryOffset, matrix, r0, bound, dim, lanes0);
      scores[s + 1] = rowDistance(query, queryOffset, matrix, r1, bound, dim, lanes1);
      scores[s + 2] = rowDistance(query, queryOffset, matrix, r2, bound, dim, lanes2);
      scores[s + 3] = rowDistance(query, queryOffset, matrix, r3, bound, dim, lanes3);
    }
    for (; r < rows; r++) {
      int r0 = matrixOffset + r * rowStride;
      DoubleVector even0 = DoubleVector.zero(DOUBLE_SPECIES);
      DoubleVector odd0 = even0;
      int i = 0;
      for (; i < pairBound; i += 2 * DOUBLE_LANES) {
        DoubleVector e0 = load(query, queryOffset + i).sub(load(matrix, r0 + i));
        DoubleVector f0 =
            load(query, queryOffset + i + DOUBLE_LANES).sub(load(matrix, r0 + i + DOUBLE_LANES));
        even0 = mulAdd(e0, e0, even0);
        odd0 = mulAdd(f0, f0, odd0);
      }
      if (i < bound) {
        DoubleVector e0 = load(query, queryOffset + i).sub(load(matrix, r0 + i));
        even0 = mulAdd(e0, e0, even0);
      }
      DoubleVector sum0 = even0.add(odd0);
      double lanes0 = 0;
      for (int lane = 0; lane < DOUBLE_LANES; lane++) {
        lanes0 += sum0.lane(lane);
      }
      scores[scoresOffset + r] = rowDistance(query, queryOffset, matrix, r0, bound, dim, lanes0);
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

  private static DoubleVector load(double[] array, int index) {
    return DoubleVector.fromArray(DOUBLE_SPECIES, array, index);
  }

  /** The guarded multiply-add: fused only where FMA is hardware (see {@link FusedMultiplyAdd}). */
  private static DoubleVector mulAdd(DoubleVector a, DoubleVector b, DoubleVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** Adds the lanes in index order in double (reduceLanes leaves the order open). */
  private static double foldLanes(DoubleVector v) {
    double sum = 0;
    for (int lane = 0; lane < DOUBLE_LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
  }
}
