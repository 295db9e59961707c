package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static dev.flynn.engine.TestData.DOUBLE_LANES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.Ref.ExactSum;
import dev.flynn.engine.TestData.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** sum, dot, min and max over doubles, in every mode, against exact references. */
class DoubleReductionTest {

  /** The double kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("sum", "dot", "min", "max");

  private static final int L = DOUBLE_LANES;
  private static final double GUARD = Double.NaN;

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
    return TestData.modeLengthOffset(L);
  }

  // ---------------------------------------------------------------- exact on dyadic data

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void sumOfDyadicDataIsExact(Mode mode, int n, int offset) {
    double[] data = TestData.doubles(Kind.DYADIC_SUM, n, 1);
    double exact = 0;
    for (double x : data) {
      exact += x; // every partial sum is k/256 with |k| < 2^30: exact in double
    }
    double[] a = TestData.padded(data, offset, GUARD);
    double r = flynn.using(mode).sum(a, offset, n);
    assertBits(exact, r, mode + " sum n=" + n);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void dotOfDyadicDataIsExact(Mode mode, int n, int offset) {
    double[] x = TestData.doubles(Kind.DYADIC_DOT, n, 3);
    double[] y = TestData.doubles(Kind.DYADIC_DOT, n, 4);
    double exact = 0;
    for (int i = 0; i < n; i++) {
      exact += x[i] * y[i]; // k/256, |k| <= 225 per product: exact
    }
    double[] a = TestData.padded(x, offset, GUARD);
    double[] b = TestData.padded(y, offset + 2, GUARD);
    double r = flynn.using(mode).dot(a, offset, b, offset + 2, n);
    assertBits(exact, r, mode + " dot n=" + n);
  }

  // ---------------------------------------------------------------- documented bounds

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void sumOfUniformDataIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    double[] data = TestData.doubles(Kind.UNIFORM, n, 5);
    BigDecimal exact =
        TestData.cached(
            List.of("double-exact-sum", n),
            k -> {
              ExactSum s = new ExactSum();
              for (double x : data) {
                s.add(x);
              }
              return s.value();
            });
    double sumAbs = 0;
    for (double x : data) {
      sumAbs += Math.abs(x);
    }
    double[] a = TestData.padded(data, offset, GUARD);
    double r = flynn.using(mode).sum(a, offset, n);
    double bound = sumBound(mode, n, sumAbs, 6);
    double err = Ref.absError(r, exact);
    assertTrue(
        err <= bound,
        () -> mode + " sum n=" + n + ": error " + err + " exceeds the bound " + bound);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void dotOfUniformDataIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    double[] x = TestData.doubles(Kind.UNIFORM, n, 6);
    double[] y = TestData.doubles(Kind.UNIFORM, n, 7);
    BigDecimal exact =
        TestData.cached(
            List.of("double-exact-dot", n),
            k -> {
              ExactSum s = new ExactSum();
              for (int i = 0; i < n; i++) {
                s.addProduct(x[i], y[i]); // the product and its rounding error, both exact
              }
              return s.value();
            });
    double sumAbs = 0;
    for (int i = 0; i < n; i++) {
      sumAbs += Math.abs(x[i] * y[i]);
    }
    double[] a = TestData.padded(x, offset, GUARD);
    double[] b = TestData.padded(y, offset + 1, GUARD);
    double r = flynn.using(mode).dot(a, offset, b, offset + 1, n);
    double bound = sumBound(mode, n, sumAbs, 7);
    double err = Ref.absError(r, exact);
    assertTrue(
        err <= bound,
        () -> mode + " dot n=" + n + ": error " + err + " exceeds the bound " + bound);
  }

  /**
   * The bounds of {@link FlynnOps#sum(double[])} and {@link FlynnOps#dot(double[], double[])}, u =
   * 2^-53: scalar modes {@code (min(n, 16384) + log2(n / 16384) + 1) u sum|x|}; vector modes {@code
   * (min(n, 16384) / 4L + L + log2(n / 16384) + 6) u sum|x|}; dot adds one {@code u sum|x|} for the
   * products in the scalar modes, and its vector modes keep 8 chains: {@code (min(n, 16384) / 8L +
   * L + log2(n / 16384) + 11) u sum|x|}. The Javadoc's {@code log2(n / 16384)} is read as the depth
   * of the combine tree, {@code ceil(log2(blocks))}, which is 0 for a single block (the literal
   * formula goes negative below 16384 elements).
   */
  private static double sumBound(Mode mode, int n, double sumAbs, int c) {
    int depth = TestData.treeDepth(n);
    int products = c - 6; // 0 for sum, 1 for dot
    // The vector dot keeps 8 chains (n / 8L + L + d + 11), the vector sum 4 (n / 4L + L + d + 6).
    double units =
        TestData.vectorClass(mode)
            ? (products == 0
                ? Math.min(n, BLOCK) / (4.0 * L) + L + depth + 6
                : Math.min(n, BLOCK) / (8.0 * L) + L + depth + 11)
            : Math.min(n, BLOCK) + depth + 1 + products;
    return units * 0x1p-53 * sumAbs;
  }

  // ---------------------------------------------------------------- min and max

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void minIsTheExactLeastElement(Mode mode, int n, int offset) {
    double[] data = TestData.doubles(Kind.UNIFORM, n, 8);
    double[] a = TestData.padded(data, offset, GUARD);
    FlynnOps ops = flynn.using(mode);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.min(a, offset, 0));
      return;
    }
    double expected = data[0];
    for (double x : data) {
      expected = Math.min(expected, x);
    }
    assertBits(expected, ops.min(a, offset, n), mode + " min n=" + n);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void maxIsTheExactGreatestElement(Mode mode, int n, int offset) {
    double[] data = TestData.doubles(Kind.UNIFORM, n, 9);
    double[] a = TestData.padded(data, offset, GUARD);
    FlynnOps ops = flynn.using(mode);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.max(a, offset, 0));
      return;
    }
    double expected = data[0];
    for (double x : data) {
      expected = Math.max(expected, x);
    }
    assertBits(expected, ops.max(a, offset, n), mode + " max n=" + n);
  }

  // ---------------------------------------------------------------- whole-array overloads

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wholeArrayOverloadsMatchTheirReferences(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {1001, 2 * BLOCK + 5}) {
      double[] s = TestData.doubles(Kind.DYADIC_SUM, n, 10).clone();
      double[] x = TestData.doubles(Kind.DYADIC_DOT, n, 11).clone();
      double[] y = TestData.doubles(Kind.DYADIC_DOT, n, 12).clone();
      double sum = 0;
      double dot = 0;
      double min = s[0];
      double max = s[0];
      for (int i = 0; i < n; i++) {
        sum += s[i];
        dot += x[i] * y[i];
        min = Math.min(min, s[i]);
        max = Math.max(max, s[i]);
      }
      assertBits(sum, ops.sum(s), mode + " sum(a)");
      assertBits(dot, ops.dot(x, y), mode + " dot(a, b)");
      assertBits(min, ops.min(s), mode + " min(a)");
      assertBits(max, ops.max(s), mode + " max(a)");
    }
    assertBits(0.0, ops.sum(new double[0]), "empty sum is +0.0");
    assertBits(0.0, ops.dot(new double[0], new double[0]), "empty dot is +0.0");
  }

  // ---------------------------------------------------------------- special values

  /**
   * A length whose last block has an unrolled part, a single-vector part and a scalar tail, and
   * that AUTO forks (it is above AUTO_FORK_STREAM).
   */
  private static final int SPECIAL_N = 4 * BLOCK + 2 * 4 * L + L + 5;

  /** Positions in the vector body, at block edges, in the second block and in every tail. */
  static Stream<Arguments> nanPositions() {
    int last = 4 * BLOCK;
    int[][] lengthAndPosition = {
      {SPECIAL_N, 0},
      {SPECIAL_N, 5},
      {SPECIAL_N, BLOCK - 1},
      {SPECIAL_N, BLOCK},
      {SPECIAL_N, BLOCK + 7},
      {SPECIAL_N, 2 * BLOCK + 3 * L + 2},
      {SPECIAL_N, last + 4 * L + 3},
      {SPECIAL_N, last + 2 * 4 * L + 2},
      {SPECIAL_N, SPECIAL_N - 1},
      {L + 3, L + 1},
      {4 * L - 1, 4 * L - 2},
      {8 * L + 3, 8 * L + 2},
      {1, 0},
    };
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int[] lp : lengthAndPosition) {
        all.add(Arguments.of(mode, lp[0], lp[1]));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} n={1} NaN at {2}")
  @MethodSource("nanPositions")
  void nanPropagatesFromAnyPosition(Mode mode, int n, int position) {
    FlynnOps ops = flynn.using(mode);
    double[] a = TestData.doubles(Kind.UNIFORM, n, 13).clone();
    double[] b = TestData.doubles(Kind.UNIFORM, n, 14).clone();
    a[position] = Double.NaN;
    assertTrue(Double.isNaN(ops.sum(a)), "sum");
    assertTrue(Double.isNaN(ops.dot(a, b)), "dot, NaN in a");
    assertTrue(Double.isNaN(ops.dot(b, a)), "dot, NaN in b");
    assertTrue(Double.isNaN(ops.min(a)), "min");
    assertTrue(Double.isNaN(ops.max(a)), "max");
    // a NaN next to the range, not in it, must not leak in
    double[] c = TestData.doubles(Kind.UNIFORM, n, 15).clone();
    c[position] = Double.NaN;
    if (position > 0) {
      assertTrue(Double.isFinite(ops.sum(c, 0, position)), "sum before the NaN");
      assertTrue(Double.isFinite(ops.min(c, 0, position)), "min before the NaN");
    }
    if (position < n - 1) {
      assertTrue(Double.isFinite(ops.max(c, position + 1, n - position - 1)), "max after the NaN");
    }
  }

  @ParameterizedTest(name = "{0} n={1} at {2}")
  @MethodSource("nanPositions")
  void infinitiesFollowIeeeArithmetic(Mode mode, int n, int position) {
    FlynnOps ops = flynn.using(mode);
    double[] a = TestData.doubles(Kind.UNIFORM, n, 16).clone();
    double[] ones = new double[n];
    Arrays.fill(ones, 1.0);
    a[position] = Double.POSITIVE_INFINITY;
    assertBits(Double.POSITIVE_INFINITY, ops.sum(a), "sum with +Inf");
    assertBits(Double.POSITIVE_INFINITY, ops.dot(a, ones), "dot with +Inf");
    assertBits(Double.POSITIVE_INFINITY, ops.max(a), "max with +Inf");
    if (n > 1) {
      assertTrue(Double.isFinite(ops.min(a)), "min with +Inf stays finite");
    }
    a[position] = Double.NEGATIVE_INFINITY;
    assertBits(Double.NEGATIVE_INFINITY, ops.sum(a), "sum with -Inf");
    assertBits(Double.NEGATIVE_INFINITY, ops.min(a), "min with -Inf");
    double[] zeros = new double[n];
    assertTrue(Double.isNaN(ops.dot(a, zeros)), "dot with -Inf * 0");
    int other = position == 0 ? n - 1 : 0;
    if (other != position) {
      a[other] = Double.POSITIVE_INFINITY;
      assertTrue(Double.isNaN(ops.sum(a)), "sum of +Inf and -Inf");
    }
  }

  /** Zero positions in different lanes, vectors, blocks and tails. */
  static Stream<Arguments> zeroPositions() {
    int n = 3 * BLOCK + 4 * L + 3;
    int[] positions = {
      0, 1, L - 1, L + 2, 3 * L + 1, 4 * L + 5, BLOCK + 5, 2 * BLOCK + 2 * L + 9, n - 2, n - 1
    };
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int p : positions) {
        all.add(Arguments.of(mode, n, p));
      }
      all.add(Arguments.of(mode, 4 * L + 1, 4 * L)); // vector path, zero in the tail
      all.add(Arguments.of(mode, 4 * L + 1, 3 * L + 2));
      all.add(Arguments.of(mode, 3, 1)); // scalar path
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} n={1} at {2}")
  @MethodSource("zeroPositions")
  void minAndMaxOrderSignedZeros(Mode mode, int n, int position) {
    FlynnOps ops = flynn.using(mode);
    double[] a = new double[n]; // all +0.0
    a[position] = -0.0;
    assertBits(-0.0, ops.min(a), "min of +0s and one -0");
    assertBits(0.0, ops.max(a), "max of +0s and one -0");
    double[] b = new double[n];
    Arrays.fill(b, -0.0);
    b[position] = 0.0;
    assertBits(0.0, ops.max(b), "max of -0s and one +0");
    assertBits(-0.0, ops.min(b), "min of -0s and one +0");
    assertBits(0.0, ops.sum(b), "a sum of -0s is +0");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void subnormalsAddUpExactly(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {1000, 3 * BLOCK + 7, 5 * BLOCK + 11}) {
      double[] a = new double[n];
      Arrays.fill(a, Double.MIN_VALUE);
      double[] ones = new double[n];
      Arrays.fill(ones, 1.0);
      double expected = n * Double.MIN_VALUE; // k * 2^-1074 with k < 2^52: exact
      assertEquals(n, expected / Double.MIN_VALUE, 0.0);
      assertBits(expected, ops.sum(a), mode + " sum n=" + n);
      assertBits(expected, ops.dot(a, ones), mode + " dot n=" + n);
      assertBits(Double.MIN_VALUE, ops.min(a), mode + " min n=" + n);
      a[n / 2] = -Double.MIN_VALUE;
      assertBits(expected - 2 * Double.MIN_VALUE, ops.sum(a), mode + " sum with one negative");
      assertBits(-Double.MIN_VALUE, ops.min(a), mode + " min with one negative");
    }
  }

  static void assertBits(double expected, double actual, String what) {
    assertEquals(
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }
}
