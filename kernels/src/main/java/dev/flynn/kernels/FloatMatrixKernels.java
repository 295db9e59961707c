package dev.flynn.kernels;

/**
 * The float matrix kernels, BLAS level 2 and 3 on row-major matrices held in arrays: {@code gemv}
 * and {@code gemm}. Implementations never start threads, allocate only their reusable packing
 * buffers (once per thread, grown when a larger problem needs it), and trust their arguments:
 * shapes, leading dimensions, ranges and overlaps are checked once, at the engine's public door.
 *
 * <p>Two implementations exist side by side: {@link ScalarFloatMatrixKernels} (SISD, also the
 * fallback) and {@code VectorFloatMatrixKernels} (SIMD, GotoBLAS/BLIS blocking with a Vector API
 * micro-kernel), chosen by {@link Kernels}.
 *
 * <h2>Layout</h2>
 *
 * A matrix {@code X} of {@code rows x cols} at {@code (x, xOffset, ldx)} has its element {@code (i,
 * j)} at {@code x[xOffset + i * ldx + j]}, with {@code ldx >= cols}. {@code op(X)} is {@code X}, or
 * its transpose when the matching {@code trans} flag is true (then the array holds the {@code cols
 * x rows} matrix {@code X^T}, row-major).
 *
 * <h2>Semantics shared by both forms (those of the reference BLAS)</h2>
 *
 * <ul>
 *   <li>{@code beta == 0}: the output is not read, so a NaN or an infinity there does not
 *       propagate.
 *   <li>{@code alpha == 0} or an empty inner dimension: the inputs are not read and the output
 *       becomes {@code beta * output} ({@code +0.0} where {@code beta == 0}; untouched where {@code
 *       beta == 1}).
 *   <li>Otherwise NaN and infinities propagate as IEEE arithmetic makes them.
 *   <li>Every output element is computed from its own row of {@code op(A)} and column of {@code
 *       op(B)} (or {@code x}) only, in an order fixed by the shape; it does not depend on which
 *       sub-matrix of the output a call covers. Calls on disjoint tiles of the output therefore
 *       give the same bits as one call on the whole output: that is what lets the engine split a
 *       call across threads deterministically.
 * </ul>
 *
 * <h2>Accuracy</h2>
 *
 * With {@code u = 2^-24} and {@code gamma(n) = n u / (1 - n u)}, barring underflow and overflow,
 * each element of the output satisfies:
 *
 * <ul>
 *   <li>{@code gemm}: {@code |C' - C| <= gamma(k + 3) (|alpha| (|op(A)| |op(B)|)_ij + |beta|
 *       |C_ij|)}, in both forms, with or without hardware FMA. (The scalar form accumulates each
 *       element in one chain of at most {@code k + 2} roundings; the vector form accumulates blocks
 *       of {@code KC} products in registers and adds each block to {@code C}, at most {@code k + 2}
 *       roundings in all, {@code k + 3} without FMA.)
 *   <li>{@code gemv}: {@code |y' - y| <= gamma(s + 2L + 3) (|alpha| (|op(A)| |x|)_i + |beta|
 *       |y_i|)}, where {@code s} is the length of the sums ({@code n} without transposition, {@code
 *       m} with it) and {@code L} the float lanes per vector ({@code L = 1} in the scalar form):
 *       the vector form folds its lanes in index order.
 * </ul>
 */
public interface FloatMatrixKernels {

  /** A short name for logs and reports, for example {@code scalar} or {@code vector-512}. */
  String name();

  /**
   * The rows of output that a tile of the micro-kernel covers: splitting the output at multiples of
   * it keeps every tile full. 1 for the scalar form.
   */
  int tileRows();

  /** The columns of output that a tile of the micro-kernel covers; see {@link #tileRows()}. */
  int tileColumns();

  /**
   * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code m x k}, {@code
   * op(B)} is {@code k x n} and {@code C} is {@code m x n}. See the class comment for the layout,
   * the special cases and the error bound. {@code C} must not overlap {@code A} or {@code B}.
   */
  void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc);

  /**
   * {@code y = alpha * op(A) * x + beta * y}, where {@code A} is stored {@code m x n}: without
   * transposition {@code x} has {@code n} elements and {@code y} has {@code m}; with it, {@code x}
   * has {@code m} and {@code y} has {@code n}. Vectors are contiguous. {@code y} must not overlap
   * {@code A} or {@code x}.
   */
  void gemv(
      boolean transA,
      int m,
      int n,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] x,
      int xOffset,
      float beta,
      float[] y,
      int yOffset);
}
