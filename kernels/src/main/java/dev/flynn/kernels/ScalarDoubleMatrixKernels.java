package dev.flynn.kernels;

/**
 * SISD double matrix kernels: plain loops in a cache-friendly order, one element at a time. The
 * fallback when the Vector API is not usable and the yardstick for the vector form.
 *
 * <p>{@code gemm} without transposed {@code B} runs the rows of {@code C} as sums of scaled rows of
 * {@code B} (loop order i, p, j: the inner loop walks a row of {@code B} and a row of {@code C},
 * both contiguous); with transposed {@code B}, each element is a dot product of a row of {@code
 * op(A)} and a row of the stored {@code B^T} (loop order i, j, p). Multiply-adds are fused where
 * the hardware has FMA ({@link FusedMultiplyAdd}).
 */
public final class ScalarDoubleMatrixKernels implements DoubleMatrixKernels {

  /** The single instance; the class has no state. */
  public static final ScalarDoubleMatrixKernels INSTANCE = new ScalarDoubleMatrixKernels();

  private ScalarDoubleMatrixKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int tileRows() {
    return 1;
  }

  @Override
  public int tileColumns() {
    return 1;
  }

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int aOffset,
      int lda,
      double[] b,
      int bOffset,
      int ldb,
      double beta,
      double[] c,
      int cOffset,
      int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (alpha == 0 || k == 0) {
      scale(beta, m, n, c, cOffset, ldc);
      return;
    }
    // op(A)(i, p) = a[aOffset + i * aRowStride + p * aColumnStride]
    int aRowStride = transA ? 1 : lda;
    int aColumnStride = transA ? lda : 1;
    if (!transB) {
      for (int i = 0; i < m; i++) {
        int ci = cOffset + i * ldc;
        scale(beta, 1, n, c, ci, ldc);
        int ai = aOffset + i * aRowStride;
        for (int p = 0; p < k; p++) {
          double t = alpha * a[ai + p * aColumnStride];
          int bp = bOffset + p * ldb;
          for (int j = 0; j < n; j++) {
            c[ci + j] = FusedMultiplyAdd.mulAdd(t, b[bp + j], c[ci + j]);
          }
        }
      }
      return;
    }
    for (int i = 0; i < m; i++) {
      int ai = aOffset + i * aRowStride;
      int ci = cOffset + i * ldc;
      for (int j = 0; j < n; j++) {
        int bj = bOffset + j * ldb; // row j of the stored B^T is column j of op(B)
        double s = 0;
        for (int p = 0; p < k; p++) {
          s = FusedMultiplyAdd.mulAdd(a[ai + p * aColumnStride], b[bj + p], s);
        }
        c[ci + j] = combine(alpha, s, beta, c[ci + j]);
      }
    }
  }

  @Override
  public void gemv(
      boolean transA,
      int m,
      int n,
      double alpha,
      double[] a,
      int aOffset,
      int lda,
      double[] x,
      int xOffset,
      double beta,
      double[] y,
      int yOffset) {
    int outputs = transA ? n : m;
    int sumLength = transA ? m : n;
    if (outputs == 0) {
      return;
    }
    if (alpha == 0 || sumLength == 0) {
      scale(beta, 1, outputs, y, yOffset, outputs);
      return;
    }
    if (!transA) {
      for (int i = 0; i < m; i++) {
        int ai = aOffset + i * lda;
        double s = 0;
        for (int j = 0; j < n; j++) {
          s = FusedMultiplyAdd.mulAdd(a[ai + j], x[xOffset + j], s);
        }
        y[yOffset + i] = combine(alpha, s, beta, y[yOffset + i]);
      }
      return;
    }
    // y = beta y, then y += (alpha x_p) * row p of A: the rows are contiguous.
    scale(beta, 1, n, y, yOffset, n);
    for (int p = 0; p < m; p++) {
      double t = alpha * x[xOffset + p];
      int ap = aOffset + p * lda;
      for (int j = 0; j < n; j++) {
        y[yOffset + j] = FusedMultiplyAdd.mulAdd(t, a[ap + j], y[yOffset + j]);
      }
    }
  }

  /**
   * {@code alpha * s + beta * old}, where {@code old} is not used when {@code beta == 0} (BLAS: the
   * output is not read, so a NaN there does not propagate).
   */
  static double combine(double alpha, double s, double beta, double old) {
    return beta == 0 ? alpha * s : FusedMultiplyAdd.mulAdd(alpha, s, beta * old);
  }

  /**
   * {@code C = beta * C} on an {@code m x n} matrix: zeros without reading {@code C} when {@code
   * beta == 0}, nothing when {@code beta == 1}.
   */
  static void scale(double beta, int m, int n, double[] c, int cOffset, int ldc) {
    if (beta == 1) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int ci = cOffset + i * ldc;
      for (int j = 0; j < n; j++) {
        c[ci + j] = beta == 0 ? 0.0 : beta * c[ci + j];
      }
    }
  }
}
