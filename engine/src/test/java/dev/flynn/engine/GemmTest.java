package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.MatrixTestSupport.Matrix;
import dev.flynn.engine.MatrixTestSupport.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gemm over floats and doubles, in every mode and for every transposition, against a reference
 * written here (an accurate dot product per element), with the error bound of {@link
 * FlynnOps#gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int,
 * float, float[], int, int)}: {@code gamma(k + 3) (|alpha| |op(A)| |op(B)| + |beta| |C|)}. Matrices
 * sit in NaN-filled arrays, with offsets and leading dimensions wider than the rows, so a read or
 * write outside a matrix shows.
 */
class GemmTest {

  /** The kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("gemm");

  /**
   * Shapes {m, n, k}: tiny, single row or column, odd sizes that are no multiple of the tile (6 x
   * 32 floats, 6 x 16 doubles with AVX-512) or of the inner block (256), inner dimensions over two
   * blocks, more rows than one packed block of A (252 floats on a 1 MiB L2), more columns than one
   * packed panel of B (2048).
   */
  static final int[][] SHAPES = {
    {1, 1, 1},
    {1, 37, 5},
    {37, 1, 5},
    {1, 1, 70},
    {2, 3, 1},
    {17, 33, 65},
    {6, 32, 256},
    {7, 33, 257},
    {13, 95, 300},
    {64, 64, 64},
    {100, 7, 530},
    {530, 40, 9},
    {2, 4200, 3},
  };

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Type type : Type.values()) {
      for (Mode mode : Mode.values()) {
        for (int t = 0; t < 4; t++) {
          for (int s = 0; s < SHAPES.length; s++) {
            all.add(Arguments.of(type, mode, (t & 1) != 0, (t & 2) != 0, s));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} transA={2} transB={3} shape#{4}")
  @MethodSource("cases")
  void matchesTheReferenceWithinTheBound(
      Type type, Mode mode, boolean transA, boolean transB, int shape) {
    int[] s = SHAPES[shape];
    int offset = new int[] {0, 1, 3}[shape % 3];
    int pad = new int[] {0, 3, 1}[shape % 3];
    check(
        type, flynn.using(mode), transA, transB, s[0], s[1], s[2], -1.25, 0.75, offset, pad, shape);
  }

  /**
   * alpha and beta in {0, 1, other}: NaN in C must vanish when beta == 0, in A and B when alpha ==
   * 0.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modesAndTypes")
  void alphaAndBetaFollowTheBlasRules(Type type, Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (double alpha : new double[] {0, 1, -1.25}) {
      for (double beta : new double[] {0, 1, 0.75}) {
        for (boolean trans : new boolean[] {false, true}) {
          check(type, ops, trans, trans, 17, 33, 65, alpha, beta, 1, 2, 99);
        }
      }
    }
  }

  static Stream<Arguments> modesAndTypes() {
    List<Arguments> all = new ArrayList<>();
    for (Type type : Type.values()) {
      for (Mode mode : Mode.values()) {
        all.add(Arguments.of(type, mode));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modesAndTypes")
  void emptyInnerDimensionScalesC(Type type, Mode mode) {
    FlynnOps ops = flynn.using(mode);
    check(type, ops, false, false, 5, 7, 0, 2.0, 0.5, 2, 1, 7);
    check(type, ops, true, true, 5, 7, 0, 2.0, 0.0, 0, 0, 8);
    check(type, ops, false, true, 0, 7, 4, 2.0, 0.5, 1, 0, 9);
    check(type, ops, true, false, 5, 0, 4, 2.0, 0.5, 3, 0, 10);
  }

  /** One large square product, split across the pool, still within the bound. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Type.class)
  void aLargeProductInTheParallelVectorModeIsWithinTheBound(Type type) {
    check(type, flynn.using(Mode.SIMD_MIMD), false, false, 384, 520, 600, 1.0, 0.0, 0, 0, 5);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Mode.class)
  void nanInARowOfAReachesOnlyThatRowOfC(Mode mode) {
    int m = 9;
    int n = 40;
    int k = 20;
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    Arrays.fill(a, 0.5f);
    Arrays.fill(b, 0.25f);
    a[4 * k + 7] = Float.NaN;
    float[] c = new float[m * n];
    flynn.using(mode).gemm(m, n, k, 1f, a, b, 0f, c);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        if (i == 4) {
          assertTrue(Float.isNaN(c[i * n + j]), "row 4 carries the NaN");
        } else {
          assertEquals(k * 0.125f, c[i * n + j], "(" + i + ", " + j + ")");
        }
      }
    }
  }

  @Test
  void wholeArrayFormMatchesTheRangeForm() {
    int m = 19;
    int n = 45;
    int k = 33;
    for (Mode mode : Mode.values()) {
      FlynnOps ops = flynn.using(mode);
      float[] a = MatrixTestSupport.toFloats(Matrix.random(Type.FLOAT, m, k, k, 0, 0, 1).data());
      float[] b = MatrixTestSupport.toFloats(Matrix.random(Type.FLOAT, k, n, n, 0, 0, 2).data());
      float[] c1 = MatrixTestSupport.toFloats(Matrix.random(Type.FLOAT, m, n, n, 0, 0, 3).data());
      float[] c2 = c1.clone();
      ops.gemm(m, n, k, 0.5f, a, b, 2f, c1);
      ops.gemm(false, false, m, n, k, 0.5f, a, 0, k, b, 0, n, 2f, c2, 0, n);
      assertEquals(Arrays.toString(c2), Arrays.toString(c1), mode.toString());
      double[] ad = Matrix.random(Type.DOUBLE, m, k, k, 0, 0, 1).data();
      double[] bd = Matrix.random(Type.DOUBLE, k, n, n, 0, 0, 2).data();
      double[] d1 = Matrix.random(Type.DOUBLE, m, n, n, 0, 0, 3).data();
      double[] d2 = d1.clone();
      ops.gemm(m, n, k, 0.5, ad, bd, 2.0, d1);
      ops.gemm(false, false, m, n, k, 0.5, ad, 0, k, bd, 0, n, 2.0, d2, 0, n);
      assertEquals(Arrays.toString(d2), Arrays.toString(d1), mode.toString());
    }
  }

  /**
   * Runs one gemm and checks every element of C against the reference, and that nothing outside C
   * changed. When beta == 0, C starts as NaN; when alpha == 0, A and B are NaN.
   */
  static void check(
      Type type,
      FlynnOps ops,
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double beta,
      int offset,
      int pad,
      long seed) {
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    Matrix a = Matrix.random(type, aRows, aCols, Math.max(1, aCols + pad), offset, 2, seed * 3);
    Matrix b =
        Matrix.random(type, bRows, bCols, Math.max(1, bCols + pad), offset + 1, 1, seed * 3 + 1);
    Matrix c = Matrix.random(type, m, n, Math.max(1, n + pad), offset, 3, seed * 3 + 2);
    if (alpha == 0) {
      Arrays.fill(a.data(), Double.NaN);
      Arrays.fill(b.data(), Double.NaN);
    }
    if (beta == 0) {
      Arrays.fill(c.data(), Double.NaN);
    }
    double[] out =
        type.gemm(
            ops,
            transA,
            transB,
            m,
            n,
            k,
            alpha,
            a.data(),
            a.offset(),
            a.ld(),
            b.data(),
            b.offset(),
            b.ld(),
            beta,
            c.data(),
            c.offset(),
            c.ld());
    String what =
        type
            + " "
            + ops.mode()
            + " transA="
            + transA
            + " transB="
            + transB
            + " "
            + m
            + "x"
            + n
            + "x"
            + k
            + " alpha="
            + alpha
            + " beta="
            + beta;
    for (int idx = 0; idx < out.length; idx++) {
      if (!c.inside(idx)) {
        assertEquals(
            Double.doubleToRawLongBits(c.data()[idx]),
            Double.doubleToRawLongBits(out[idx]),
            what + ": wrote outside C at index " + idx);
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double got = out[c.offset() + i * c.ld() + j];
        double old = c.get(i, j);
        String where = what + " at (" + i + ", " + j + ")";
        if (alpha == 0 || k == 0) {
          double expected = beta == 0 ? 0 : beta == 1 ? old : type.round(beta * old);
          assertEquals(expected, got, 0.0, where);
          continue;
        }
        int row = i;
        int col = j;
        double[] dot =
            MatrixTestSupport.accurateDot(k, p -> a.op(transA, row, p), p -> b.op(transB, p, col));
        MatrixTestSupport.assertWithinBound(type, k + 3, alpha, dot, beta, old, got, where);
      }
    }
  }
}
