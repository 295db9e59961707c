package dev.flynn.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What {@link GemmTest} and {@link GemvTest} share: the two element types behind one interface
 * (inputs are held as doubles whose values are floats for {@link Type#FLOAT}), seeded matrices
 * surrounded by NaN guards, and an independent reference written here, not taken from the code
 * under test.
 */
final class MatrixTestSupport {

  private MatrixTestSupport() {}

  /** The element type under test. */
  enum Type {
    FLOAT(0x1p-24),
    DOUBLE(0x1p-53);

    /** The unit roundoff. */
    final double u;

    Type(double u) {
      this.u = u;
    }

    /** A value of this type, uniform in [-1, 1). */
    double random(SplittableRandom r) {
      return this == FLOAT ? (float) (r.nextDouble() * 2 - 1) : r.nextDouble() * 2 - 1;
    }

    /** {@code x} rounded to this type. */
    double round(double x) {
      return this == FLOAT ? (float) x : x;
    }

    /** {@code gamma(n) = n u / (1 - n u)}. */
    double gamma(int n) {
      return n * u / (1 - n * u);
    }

    /** Runs the range form of gemm on copies of the arrays; returns the output array. */
    double[] gemm(
        FlynnOps ops,
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
      if (this == DOUBLE) {
        double[] out = c.clone();
        ops.gemm(
            transA, transB, m, n, k, alpha, a.clone(), aOffset, lda, b.clone(), bOffset, ldb, beta,
            out, cOffset, ldc);
        return out;
      }
      float[] out = toFloats(c);
      ops.gemm(
          transA,
          transB,
          m,
          n,
          k,
          (float) alpha,
          toFloats(a),
          aOffset,
          lda,
          toFloats(b),
          bOffset,
          ldb,
          (float) beta,
          out,
          cOffset,
          ldc);
      return toDoubles(out);
    }

    /** Runs the range form of gemv on copies of the arrays; returns the output array. */
    double[] gemv(
        FlynnOps ops,
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
      if (this == DOUBLE) {
        double[] out = y.clone();
        ops.gemv(
            transA, m, n, alpha, a.clone(), aOffset, lda, x.clone(), xOffset, beta, out, yOffset);
        return out;
      }
      float[] out = toFloats(y);
      ops.gemv(
          transA,
          m,
          n,
          (float) alpha,
          toFloats(a),
          aOffset,
          lda,
          toFloats(x),
          xOffset,
          (float) beta,
          out,
          yOffset);
      return toDoubles(out);
    }
  }

  static float[] toFloats(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  static double[] toDoubles(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /**
   * A {@code rows x cols} matrix at {@code offset} with leading dimension {@code ld}, in an array
   * that is NaN everywhere else (gaps between rows and {@code tail} elements after the end).
   */
  record Matrix(double[] data, int offset, int rows, int cols, int ld) {

    static Matrix random(Type type, int rows, int cols, int ld, int offset, int tail, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      int span = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
      double[] data = new double[offset + span + tail];
      Arrays.fill(data, Double.NaN);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          data[offset + i * ld + j] = type.random(r);
        }
      }
      return new Matrix(data, offset, rows, cols, ld);
    }

    double get(int i, int j) {
      return data[offset + i * ld + j];
    }

    /** Element {@code (i, j)} of {@code op(this)}. */
    double op(boolean trans, int i, int j) {
      return trans ? get(j, i) : get(i, j);
    }

    boolean inside(int index) {
      int rel = index - offset;
      return rel >= 0 && rows > 0 && rel / ld < rows && rel % ld < cols;
    }
  }

  /**
   * The sum of {@code x_p y_p} for {@code p < length}, accurate to about one rounding in double
   * (Ogita, Rump and Oishi's Dot2: exact products by FMA, error-free additions), and {@code sum
   * |x_p y_p|} beside it.
   */
  static double[] accurateDot(
      int length,
      java.util.function.IntToDoubleFunction x,
      java.util.function.IntToDoubleFunction y) {
    double s = 0;
    double err = 0;
    double abs = 0;
    for (int p = 0; p < length; p++) {
      double xp = x.applyAsDouble(p);
      double yp = y.applyAsDouble(p);
      double prod = xp * yp;
      double prodErr = Math.fma(xp, yp, -prod);
      double t = s + prod;
      double z = t - s;
      err += (s - (t - z)) + (prod - z) + prodErr;
      s = t;
      abs += Math.abs(prod);
    }
    return new double[] {s + err, abs};
  }

  /**
   * Asserts {@code |got - (alpha s + beta old)| <= gamma(terms) (|alpha| abs + |beta| |old|)} plus
   * the reference's own error; {@code old} is ignored when {@code beta == 0}.
   */
  static void assertWithinBound(
      Type type,
      int terms,
      double alpha,
      double[] dot,
      double beta,
      double old,
      double got,
      String where) {
    double betaTerm = beta == 0 ? 0 : beta * old;
    double expected = alpha * dot[0] + betaTerm;
    double scale = Math.abs(alpha) * dot[1] + Math.abs(betaTerm);
    double bound = type.gamma(terms) * scale + 4 * 0x1p-53 * scale;
    double error = Math.abs(got - expected);
    if (!(error <= bound)) {
      throw new AssertionError(
          where
              + ": got "
              + got
              + ", expected "
              + expected
              + ", error "
              + error
              + " exceeds the bound "
              + bound
              + " (gamma("
              + terms
              + ") x "
              + scale
              + ")");
    }
  }
}
