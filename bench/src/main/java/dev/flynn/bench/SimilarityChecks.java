package dev.flynn.bench;

/**
 * The correctness gate of the similarity benchmarks: naive double loops, run in set-up, outside the
 * timed region. Used by the kernel suites, {@link SimilarityBenchmark} and the peers.
 */
final class SimilarityChecks {

  /**
   * The score kernels of the kernel suites use rows of this many elements: a common embedding size.
   * The matrix is the first {@code size / DIM} rows of the suite's {@code a}.
   */
  static final int DIM = 128;

  /** Generous against every documented bound at these sizes (about 3e-5 at worst, float lanes). */
  private static final double TOLERANCE = 1e-4;

  private SimilarityChecks() {}

  /** Rows of {@link #DIM} elements in {@code size} elements; refuses sizes below one row. */
  static int rows(int size) {
    if (size < DIM) {
      throw new IllegalArgumentException(
          "the score kernels need size >= " + DIM + " (one row of " + DIM + "), not " + size);
    }
    return size / DIM;
  }

  /** Checks a cosine of two whole vectors against a naive double loop. */
  static void cosine(String who, float[] x, float[] y, double actual) {
    double dot = 0;
    double sumX = 0;
    double sumY = 0;
    for (int i = 0; i < x.length; i++) {
      dot += (double) x[i] * y[i];
      sumX += (double) x[i] * x[i];
      sumY += (double) y[i] * y[i];
    }
    Checks.near(who, "cosine", actual, dot / Math.sqrt(sumX * sumY), TOLERANCE);
  }

  /** Checks a squared distance against a naive double loop, relatively. */
  static void squaredDistance(String who, float[] x, float[] y, double actual) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double d = (double) x[i] - y[i];
      sum += d * d;
    }
    Checks.near(who, "squaredDistance", actual, sum, TOLERANCE * sum);
  }

  /**
   * Checks the scores of {@code query} against the first {@code rows * dim} elements of {@code
   * matrix}, row by row, for {@code kernel} {@code dotScores}, {@code cosineScores} or {@code
   * squaredDistanceScores}.
   */
  static void scores(
      String who, String kernel, float[] query, float[] matrix, int rows, int dim, float[] scores) {
    for (int r = 0; r < rows; r++) {
      double dot = 0;
      double magnitude = 0;
      double sumQ = 0;
      double sumR = 0;
      double distance = 0;
      for (int i = 0; i < dim; i++) {
        double q = query[i];
        double m = matrix[r * dim + i];
        dot += q * m;
        magnitude += Math.abs(q * m);
        sumQ += q * q;
        sumR += m * m;
        distance += (q - m) * (q - m);
      }
      switch (kernel) {
        case "dotScores" -> Checks.nearAt(who, kernel, r, scores[r], dot, TOLERANCE * magnitude);
        case "cosineScores" ->
            Checks.nearAt(who, kernel, r, scores[r], dot / Math.sqrt(sumQ * sumR), TOLERANCE);
        case "squaredDistanceScores" ->
            Checks.nearAt(who, kernel, r, scores[r], distance, TOLERANCE * distance);
        default -> throw new IllegalArgumentException("no score kernel " + kernel);
      }
    }
  }

  /** Checks a cosine of two whole vectors against a naive double loop. */
  static void cosine(String who, double[] x, double[] y, double actual) {
    double dot = 0;
    double sumX = 0;
    double sumY = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
      sumX += x[i] * x[i];
      sumY += y[i] * y[i];
    }
    Checks.near(who, "cosine", actual, dot / Math.sqrt(sumX * sumY), TOLERANCE);
  }

  /** Checks a squared distance against a naive double loop, relatively. */
  static void squaredDistance(String who, double[] x, double[] y, double actual) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - y[i];
      sum += d * d;
    }
    Checks.near(who, "squaredDistance", actual, sum, TOLERANCE * sum);
  }

  /**
   * Checks the scores of {@code query} against the first {@code rows * dim} elements of {@code
   * matrix}, row by row, for {@code kernel} {@code dotScores}, {@code cosineScores} or {@code
   * squaredDistanceScores}.
   */
  static void scores(
      String who,
      String kernel,
      double[] query,
      double[] matrix,
      int rows,
      int dim,
      double[] scores) {
    for (int r = 0; r < rows; r++) {
      double dot = 0;
      double magnitude = 0;
      double sumQ = 0;
      double sumR = 0;
      double distance = 0;
      for (int i = 0; i < dim; i++) {
        double q = query[i];
        double m = matrix[r * dim + i];
        dot += q * m;
        magnitude += Math.abs(q * m);
        sumQ += q * q;
        sumR += m * m;
        distance += (q - m) * (q - m);
      }
      switch (kernel) {
        case "dotScores" -> Checks.nearAt(who, kernel, r, scores[r], dot, TOLERANCE * magnitude);
        case "cosineScores" ->
            Checks.nearAt(who, kernel, r, scores[r], dot / Math.sqrt(sumQ * sumR), TOLERANCE);
        case "squaredDistanceScores" ->
            Checks.nearAt(who, kernel, r, scores[r], distance, TOLERANCE * distance);
        default -> throw new IllegalArgumentException("no score kernel " + kernel);
      }
    }
  }
}
