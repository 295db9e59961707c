package dev.flynn.kernels;

/**
 * Similarity kernels for vector search, over float and double ranges: cosine similarity and squared
 * Euclidean distance of two vectors, and the scores of one query against every row of a row-major
 * matrix. Like {@link FloatKernels}, implementations never allocate on the hot path, never start
 * threads and trust their arguments (the engine checks them once).
 *
 * <p>Two implementations: {@link ScalarSimilarityKernels} (SISD, also the fallback) and {@code
 * VectorSimilarityKernels} (SIMD), chosen once by {@link Kernels}.
 *
 * <h2>Semantics shared by both forms</h2>
 *
 * <ul>
 *   <li>{@code cosine(a, b) = dot(a, b) / (|a| |b|)}, computed as {@code dot / (sqrt(sum a_i^2) *
 *       sqrt(sum b_i^2))} and clamped to [-1, 1] (the exact value lies there, so the clamp never
 *       moves a result away from it). The cosine of a zero vector is <b>NaN</b> (0/0: the angle is
 *       undefined, and a NaN cannot be mistaken for a similarity); so is any cosine whose inputs
 *       hold a NaN or an infinity.
 *   <li>{@code squaredDistance(a, b) = sum (a_i - b_i)^2}: NaN when an input holds a NaN (or +Inf
 *       and +Inf at the same index), +Inf when an input holds an infinity otherwise or when the
 *       exact result exceeds the type's range.
 *   <li><b>No spurious overflow or underflow.</b> A fast path accumulates in the input's precision
 *       (float lanes in the vector float kernels); when its result leaves a safe range (sums of
 *       squares outside [2^-60, 2^100] for float lanes, [2^-500, 2^500] for double cosine, below
 *       2^-960 or non-finite for double distances), the computation is redone where it cannot go
 *       wrong: float inputs in double (a float squared times 2^31 stays far inside double's range),
 *       double inputs scaled by powers of two (exact), per vector. So the bounds below hold for
 *       every finite input, whatever its magnitude; only the final rounding of a result that is
 *       itself subnormal (or beyond the type's range) adds its own absolute error (or gives +-Inf).
 *       Zero, tiny, huge, NaN and infinite inputs take the slow path, which runs at about scalar
 *       speed.
 *   <li>Scores: row {@code r} of the matrix starts at {@code matrixOffset + r * rowStride} and has
 *       {@code dim} elements; {@code scores[scoresOffset + r]} receives its score against {@code
 *       query[queryOffset .. + dim)}. Each score is computed from its row alone, in the same order
 *       whichever rows a call covers, so splitting the rows across calls (threads) never changes a
 *       bit. The cosine kernels compute the query's norm once per call.
 * </ul>
 *
 * <p>Error bounds are stated, per method, on the engine ({@code FlynnOps}), where the block split
 * is known.
 */
public interface SimilarityKernels {

  /** Sums of squares of float lanes below this may have lost bits to underflow: redo in double. */
  double FLOAT_LANES_LOW = 0x1p-60;

  /** Sums of squares of float lanes above this are near overflow: redo in double. */
  double FLOAT_LANES_HIGH = 0x1p100;

  /**
   * A double cosine's sums of squares outside [2^-500, 2^500] are redone scaled: inside, no product
   * of two of them and no underflowed square matters.
   */
  double DOUBLE_COSINE_LOW = 0x1p-500;

  /** See {@link #DOUBLE_COSINE_LOW}. */
  double DOUBLE_COSINE_HIGH = 0x1p500;

  /**
   * A double squared distance below this is redone scaled: the squares that underflowed (at most
   * {@code n 2^-1075} in all) are then below {@code 2^-84} of the result.
   */
  double DOUBLE_DISTANCE_LOW = 0x1p-960;

  /** Slots per block that {@code cosineTerms} writes: dot, sum a^2, sum b^2, exponents ea, eb. */
  int COSINE_TERMS = 5;

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /**
   * The final cosine from a dot product and the two norms: {@code dot / (normA * normB)}, clamped
   * to [-1, 1], NaN preserved. Shared by every kernel so that the same sums give the same bits.
   */
  static double cosineFromNorms(double dot, double normA, double normB) {
    double c = dot / (normA * normB);
    return Math.max(-1.0, Math.min(1.0, c));
  }

  /** {@link #cosineFromNorms} from sums of squares. */
  static double cosineOf(double dot, double sumSquaresA, double sumSquaresB) {
    return cosineFromNorms(dot, Math.sqrt(sumSquaresA), Math.sqrt(sumSquaresB));
  }

  // ---------------------------------------------------------------- float

  /** The cosine of two float ranges, {@code length >= 1}, robust as the class comment says. */
  double cosine(float[] a, int aOffset, float[] b, int bOffset, int length);

  /**
   * The three sums a cosine is made of, for one block of a longer vector: writes {@code terms[at] =
   * dot}, {@code terms[at + 1] = sum a_i^2}, {@code terms[at + 2] = sum b_i^2}, and the binary
   * exponents {@code terms[at + 3] = ea}, {@code terms[at + 4] = eb} by which they are scaled: the
   * true sums are {@code dot 2^(ea + eb)}, {@code 2^(2 ea) sum a_i^2} and {@code 2^(2 eb) sum
   * b_i^2}. Float kernels sum in double where needed and always write zero exponents.
   */
  void cosineTerms(
      float[] a, int aOffset, float[] b, int bOffset, int length, double[] terms, int at);

  /** {@code sum (a_i - b_i)^2} of two float ranges, as a double, robust. */
  double squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length);

  /** {@code scores[r] = dot(query, row r)} for {@code r < rows}. */
  void dotScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset);

  /** {@code scores[r] = cosine(query, row r)}; {@code dim >= 1}. */
  void cosineScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset);

  /** {@code scores[r] = squaredDistance(query, row r)}. */
  void squaredDistanceScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset);

  // ---------------------------------------------------------------- double

  /** The cosine of two double ranges, {@code length >= 1}, robust as the class comment says. */
  double cosine(double[] a, int aOffset, double[] b, int bOffset, int length);

  /**
   * As {@link #cosineTerms(float[], int, float[], int, int, double[], int)}; the exponents are
   * nonzero when the block was scaled to keep its sums in range.
   */
  void cosineTerms(
      double[] a, int aOffset, double[] b, int bOffset, int length, double[] terms, int at);

  /**
   * {@code sum (a_i - b_i)^2} of two double ranges, robust: relative accuracy down to a result of
   * 2^-1022, +Inf when the exact result exceeds {@link Double#MAX_VALUE}.
   */
  double squaredDistance(double[] a, int aOffset, double[] b, int bOffset, int length);

  /** {@code scores[r] = dot(query, row r)} for {@code r < rows}. */
  void dotScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset);

  /** {@code scores[r] = cosine(query, row r)}; {@code dim >= 1}. */
  void cosineScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset);

  /** {@code scores[r] = squaredDistance(query, row r)}. */
  void squaredDistanceScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset);
}
