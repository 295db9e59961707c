package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gemv over floats and doubles, in every mode, with and without transposition, against a reference
 * written here, with the bound of {@link FlynnOps#gemv(boolean, int, int, float, float[], int, int,
 * float[], int, float, float[], int)}: {@code gamma(s + 2L + 3) (|alpha| |op(A)| |x| + |beta|
 * |y|)}. Matrices and vectors sit in NaN-filled arrays.
 */
class GemvTest {

  /** The kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("gemv");

  /**
   * Shapes {m, n} of the stored A: tiny, one row or column, around the vector length, long rows.
   */
  static final int[][] SHAPES = {
    {1, 1},
    {1, 37},
    {37, 1},
    {2, 3},
    {17, 33},
    {15, 65},
    {33, 64},
    {100, 1001},
    {1001, 100},
    {3, 5000},
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
        for (boolean trans : new boolean[] {false, true}) {
          for (int s = 0; s < SHAPES.length; s++) {
            all.add(Arguments.of(type, mode, trans, s));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} transA={2} shape#{3}")
  @MethodSource("cases")
  void matchesTheReferenceWithinTheBound(Type type, Mode mode, boolean transA, int shape) {
    int[] s = SHAPES[shape];
    check(
        type, flynn.using(mode), transA, s[0], s[1], -1.25, 0.75, shape % 3, shape % 2 * 3, shape);
  }

  static Stream<Arguments> modesAndTypes() {
    return GemmTest.modesAndTypes();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modesAndTypes")
  void alphaAndBetaFollowTheBlasRules(Type type, Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (double alpha : new double[] {0, 1, -1.25}) {
      for (double beta : new double[] {0, 1, 0.75}) {
        for (boolean trans : new boolean[] {false, true}) {
          check(type, ops, trans, 21, 70, alpha, beta, 1, 2, 50);
        }
      }
    }
    check(type, ops, false, 5, 0, 2.0, 0.5, 1, 0, 51);
    check(type, ops, true, 0, 5, 2.0, 0.0, 1, 0, 52);
    check(type, ops, false, 0, 5, 2.0, 0.5, 1, 0, 53);
    check(type, ops, true, 5, 0, 2.0, 0.5, 1, 0, 54);
  }

  @Test
  void wholeArrayFormMatchesTheRangeForm() {
    int m = 23;
    int n = 41;
    for (Mode mode : Mode.values()) {
      FlynnOps ops = flynn.using(mode);
      float[] a = MatrixTestSupport.toFloats(Matrix.random(Type.FLOAT, m, n, n, 0, 0, 1).data());
      float[] x = MatrixTestSupport.toFloats(Matrix.random(Type.FLOAT, 1, n, n, 0, 0, 2).data());
      float[] y1 = MatrixTestSupport.toFloats(Matrix.random(Type.FLOAT, 1, m, m, 0, 0, 3).data());
      float[] y2 = y1.clone();
      ops.gemv(m, n, 0.5f, a, x, 2f, y1);
      ops.gemv(false, m, n, 0.5f, a, 0, n, x, 0, 2f, y2, 0);
      assertEquals(Arrays.toString(y2), Arrays.toString(y1), mode.toString());
      double[] ad = Matrix.random(Type.DOUBLE, m, n, n, 0, 0, 1).data();
      double[] xd = Matrix.random(Type.DOUBLE, 1, n, n, 0, 0, 2).data();
      double[] z1 = Matrix.random(Type.DOUBLE, 1, m, m, 0, 0, 3).data();
      double[] z2 = z1.clone();
      ops.gemv(m, n, 0.5, ad, xd, 2.0, z1);
      ops.gemv(false, m, n, 0.5, ad, 0, n, xd, 0, 2.0, z2, 0);
      assertEquals(Arrays.toString(z2), Arrays.toString(z1), mode.toString());
    }
  }

  /** Runs one gemv and checks every element of y, and that nothing outside y changed. */
  static void check(
      Type type,
      FlynnOps ops,
      boolean transA,
      int m,
      int n,
      double alpha,
      double beta,
      int offset,
      int pad,
      long seed) {
    int xLength = transA ? m : n;
    int yLength = transA ? n : m;
    int sumLength = transA ? m : n;
    Matrix a = Matrix.random(type, m, n, Math.max(1, n + pad), offset, 2, seed * 3);
    Matrix x = Matrix.random(type, 1, xLength, Math.max(1, xLength), offset + 2, 1, seed * 3 + 1);
    Matrix y = Matrix.random(type, 1, yLength, Math.max(1, yLength), offset + 1, 3, seed * 3 + 2);
    if (alpha == 0) {
      Arrays.fill(a.data(), Double.NaN);
      Arrays.fill(x.data(), Double.NaN);
    }
    if (beta == 0) {
      Arrays.fill(y.data(), Double.NaN);
    }
    double[] out =
        type.gemv(
            ops,
            transA,
            m,
            n,
            alpha,
            a.data(),
            a.offset(),
            a.ld(),
            x.data(),
            x.offset(),
            beta,
            y.data(),
            y.offset());
    String what =
        type
            + " "
            + ops.mode()
            + " transA="
            + transA
            + " "
            + m
            + "x"
            + n
            + " alpha="
            + alpha
            + " beta="
            + beta;
    for (int idx = 0; idx < out.length; idx++) {
      if (!y.inside(idx)) {
        assertEquals(
            Double.doubleToRawLongBits(y.data()[idx]),
            Double.doubleToRawLongBits(out[idx]),
            what + ": wrote outside y at index " + idx);
      }
    }
    int lanes = type == Type.FLOAT ? TestData.FLOAT_LANES : TestData.DOUBLE_LANES;
    for (int i = 0; i < yLength; i++) {
      double got = out[y.offset() + i];
      double old = y.get(0, i);
      String where = what + " at " + i;
      if (alpha == 0 || sumLength == 0) {
        double expected = beta == 0 ? 0 : beta == 1 ? old : type.round(beta * old);
        assertEquals(expected, got, 0.0, where);
        continue;
      }
      int row = i;
      double[] dot =
          MatrixTestSupport.accurateDot(sumLength, p -> a.op(transA, row, p), p -> x.get(0, p));
      MatrixTestSupport.assertWithinBound(
          type, sumLength + 2 * lanes + 3, alpha, dot, beta, old, got, where);
    }
  }
}
