package dev.flynn.kernels;

/**
 * SISD similarity kernels: one element at a time, in index order. Float inputs are summed in
 * double, where no finite float input can overflow or underflow (a float squared lies in [2^-298,
 * 2^256], and 2^31 of them stay below 2^287), so the float kernels need no slow path. Double inputs
 * are summed in double; the rare result outside the safe range of {@link SimilarityKernels} is
 * redone on inputs scaled by powers of two ({@link #scaledTerms}, {@link #scaledSquaredDistance}),
 * which the vector kernels use as their fallback too.
 */
public final class ScalarSimilarityKernels implements SimilarityKernels {

  /** The single instance; the class has no state. */
  public static final ScalarSimilarityKernels INSTANCE = new ScalarSimilarityKernels();

  private ScalarSimilarityKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  // ---------------------------------------------------------------- float

  @Override
  public double cosine(float[] a, int aOffset, float[] b, int bOffset, int length) {
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot += x * y; // products of floats are exact in double
      sumA += x * x;
      sumB += y * y;
    }
    return SimilarityKernels.cosineOf(dot, sumA, sumB);
  }

  @Override
  public void cosineTerms(
      float[] a, int aOffset, float[] b, int bOffset, int length, double[] terms, int at) {
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    terms[at] = dot;
    terms[at + 1] = sumA;
    terms[at + 2] = sumB;
    terms[at + 3] = 0;
    terms[at + 4] = 0;
  }

  @Override
  public double squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double d = (double) a[aOffset + i] - b[bOffset + i];
      sum += d * d;
    }
    return sum;
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
    for (int r = 0; r < rows; r++) {
      int row = matrixOffset + r * rowStride;
      double dot = 0;
      for (int i = 0; i < dim; i++) {
        dot += (double) query[queryOffset + i] * matrix[row + i];
      }
      scores[scoresOffset + r] = (float) dot;
    }
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
    double sumQ = 0;
    for (int i = 0; i < dim; i++) {
      double x = query[queryOffset + i];
      sumQ += x * x;
    }
    double queryNorm = Math.sqrt(sumQ);
    for (int r = 0; r < rows; r++) {
      int row = matrixOffset + r * rowStride;
      double dot = 0;
      double sumR = 0;
      for (int i = 0; i < dim; i++) {
        double x = query[queryOffset + i];
        double y = matrix[row + i];
        dot += x * y;
        sumR += y * y;
      }
      scores[scoresOffset + r] =
          (float) SimilarityKernels.cosineFromNorms(dot, queryNorm, Math.sqrt(sumR));
    }
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
    for (int r = 0; r < rows; r++) {
      scores[scoresOffset + r] =
          (float) squaredDistance(query, queryOffset, matrix, matrixOffset + r * rowStride, dim);
    }
  }

  // ---------------------------------------------------------------- double

  @Override
  public double cosine(double[] a, int aOffset, double[] b, int bOffset, int length) {
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (inCosineRange(sumA) && inCosineRange(sumB)) {
      return SimilarityKernels.cosineOf(dot, sumA, sumB);
    }
    return scaledCosine(a, aOffset, b, bOffset, length);
  }

  @Override
  public void cosineTerms(
      double[] a, int aOffset, double[] b, int bOffset, int length, double[] terms, int at) {
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = a[aOffset + i];
      double y = b[bOffset + i];
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (inCosineRange(sumA) && inCosineRange(sumB)) {
      terms[at] = dot;
      terms[at + 1] = sumA;
      terms[at + 2] = sumB;
      terms[at + 3] = 0;
      terms[at + 4] = 0;
    } else {
      scaledTerms(a, aOffset, b, bOffset, length, terms, at);
    }
  }

  @Override
  public double squaredDistance(double[] a, int aOffset, double[] b, int bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double d = a[aOffset + i] - b[bOffset + i];
      sum += d * d;
    }
    return distanceInRange(sum) ? sum : scaledSquaredDistance(a, aOffset, b, bOffset, length);
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
    for (int r = 0; r < rows; r++) {
      int row = matrixOffset + r * rowStride;
      double dot = 0;
      for (int i = 0; i < dim; i++) {
        dot += query[queryOffset + i] * matrix[row + i];
      }
      scores[scoresOffset + r] = dot;
    }
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
    double sumQ = 0;
    for (int i = 0; i < dim; i++) {
      double x = query[queryOffset + i];
      sumQ += x * x;
    }
    boolean queryInRange = inCosineRange(sumQ);
    double queryNorm = Math.sqrt(sumQ);
    for (int r = 0; r < rows; r++) {
      int row = matrixOffset + r * rowStride;
      double dot = 0;
      double sumR = 0;
      for (int i = 0; i < dim; i++) {
        double y = matrix[row + i];
        dot += query[queryOffset + i] * y;
        sumR += y * y;
      }
      scores[scoresOffset + r] =
          queryInRange && inCosineRange(sumR)
              ? SimilarityKernels.cosineFromNorms(dot, queryNorm, Math.sqrt(sumR))
              : scaledCosine(query, queryOffset, matrix, row, dim);
    }
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
    for (int r = 0; r < rows; r++) {
      scores[scoresOffset + r] =
          squaredDistance(query, queryOffset, matrix, matrixOffset + r * rowStride, dim);
    }
  }

  // ---------------------------------------------------------------- the safe paths

  /** Whether a float-lane sum of squares is far enough from underflow and overflow. */
  static boolean inFloatLaneRange(double sumOfSquares) {
    return sumOfSquares >= FLOAT_LANES_LOW && sumOfSquares <= FLOAT_LANES_HIGH;
  }

  /** Whether a double sum of squares needs no scaling for a cosine (false for NaN). */
  static boolean inCosineRange(double sumOfSquares) {
    return sumOfSquares >= DOUBLE_COSINE_LOW && sumOfSquares <= DOUBLE_COSINE_HIGH;
  }

  /** Whether a double squared distance needs no scaling (false for NaN and infinities). */
  static boolean distanceInRange(double sum) {
    return sum >= DOUBLE_DISTANCE_LOW && sum < Double.POSITIVE_INFINITY;
  }

  /**
   * The cosine terms of double ranges scaled by powers of two: {@code a} by {@code 2^-ea} where
   * {@code ea} is the exponent of its largest magnitude, {@code b} likewise, so that the largest
   * scaled element lies in [1, 2) (or is normal, for subnormal maxima) and no sum can overflow or
   * lose a significant square to underflow. Scaling by a power of two is exact except for elements
   * that fall below 2^-1022 of the largest, whose squares are negligible. NaN or infinite inputs
   * give NaN terms.
   */
  static void scaledTerms(
      double[] a, int aOffset, double[] b, int bOffset, int length, double[] terms, int at) {
    double maxA = 0;
    double maxB = 0;
    for (int i = 0; i < length; i++) {
      maxA = Math.max(maxA, Math.abs(a[aOffset + i]));
      maxB = Math.max(maxB, Math.abs(b[bOffset + i]));
    }
    if (!Double.isFinite(maxA) || !Double.isFinite(maxB)) {
      terms[at] = Double.NaN;
      terms[at + 1] = Double.NaN;
      terms[at + 2] = Double.NaN;
      terms[at + 3] = 0;
      terms[at + 4] = 0;
      return;
    }
    int ea = maxA == 0 ? 0 : Math.getExponent(maxA);
    int eb = maxB == 0 ? 0 : Math.getExponent(maxB);
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = Math.scalb(a[aOffset + i], -ea);
      double y = Math.scalb(b[bOffset + i], -eb);
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    terms[at] = dot;
    terms[at + 1] = sumA;
    terms[at + 2] = sumB;
    terms[at + 3] = ea;
    terms[at + 4] = eb;
  }

  /** The cosine from {@link #scaledTerms}: the scale factors cancel. Allocates: slow path only. */
  static double scaledCosine(double[] a, int aOffset, double[] b, int bOffset, int length) {
    double[] terms = new double[COSINE_TERMS];
    scaledTerms(a, aOffset, b, bOffset, length, terms, 0);
    return SimilarityKernels.cosineOf(terms[0], terms[1], terms[2]);
  }

  /**
   * {@code sum (a_i - b_i)^2} of double ranges, scaled by the largest difference's power of two:
   * relative accuracy whatever the magnitudes. A NaN difference gives NaN, an infinite one (an
   * infinite input, or a difference that overflows, whose exact square is beyond double's range)
   * +Inf; all differences zero give +0.
   */
  static double scaledSquaredDistance(
      double[] a, int aOffset, double[] b, int bOffset, int length) {
    double maxD = 0;
    for (int i = 0; i < length; i++) {
      maxD = Math.max(maxD, Math.abs(a[aOffset + i] - b[bOffset + i]));
    }
    if (maxD == 0 || !Double.isFinite(maxD)) {
      return maxD; // +0, NaN or +Inf
    }
    int e = Math.getExponent(maxD);
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double d = Math.scalb(a[aOffset + i] - b[bOffset + i], -e);
      sum += d * d;
    }
    return Math.scalb(sum, 2 * e);
  }
}
