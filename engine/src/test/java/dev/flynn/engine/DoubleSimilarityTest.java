package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.SimilarityRef.Sums;
import dev.flynn.engine.TestData.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * cosine, squaredDistance and the three score kernels over doubles, in every mode, against exact
 * references (BigDecimal and exact double sums written in {@link SimilarityRef}), with the error
 * bounds stated on {@link FlynnOps}.
 */
class DoubleSimilarityTest {

  /** The double kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Set.of("cosine", "squaredDistance", "dotScores", "cosineScores", "squaredDistanceScores");

  private static final int L = TestData.DOUBLE_LANES;
  private static final double GUARD = Double.NaN;
  private static final double SENTINEL = -7.25;
  private static final double U = 0x1p-53;
  private static final double TINY = 0x1p-1074; // the smallest subnormal

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  // ---------------------------------------------------------------- the documented bounds

  private static double cosineBound(Mode mode, int n) {
    return TestData.vectorClass(mode)
        ? (Math.min(n, BLOCK) / (2.0 * L) + 4 * L + 2 * TestData.treeDepth(n) + 18) * U
        : (2.0 * n + 10) * U;
  }

  private static double distanceBound(Mode mode, int n) {
    return TestData.vectorClass(mode)
        ? (Math.min(n, BLOCK) / (4.0 * L) + 2 * L + TestData.treeDepth(n) + 8) * U
        : (n + 3.0) * U;
  }

  private static double cosineScoreBound(Mode mode, int dim) {
    return TestData.vectorClass(mode) ? (2.0 * dim / L + 4 * L + 12) * U : (2.0 * dim + 10) * U;
  }

  private static double distanceScoreBound(Mode mode, int dim) {
    return TestData.vectorClass(mode) ? (dim / (2.0 * L) + 2 * L + 8) * U : (dim + 3.0) * U;
  }

  /** The dot score bound, absolute: {@code sumAbs} is sum|q r|. */
  private static double dotScoreBound(Mode mode, int dim, double exact, double sumAbs) {
    return TestData.vectorClass(mode)
        ? (dim / (2.0 * L) + 2 * L + 6) * U * sumAbs
        : (dim + 1.0) * U * sumAbs;
  }

  // ---------------------------------------------------------------- pairwise

  static Stream<Arguments> cases() {
    return TestData.modeLengthOffset(L);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void cosineIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    double[] x = TestData.doubles(Kind.UNIFORM, n, 21);
    double[] y = correlated(x, 22);
    double[] a = TestData.padded(x, offset, GUARD);
    double[] b = TestData.padded(y, offset + 1, GUARD);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.cosine(a, offset, b, offset + 1, 0));
      return;
    }
    double exact =
        TestData.cached(
            List.of("double-cosine", n), k -> SimilarityRef.sums(x, 0, y, 0, n).cosine());
    double r = ops.cosine(a, offset, b, offset + 1, n);
    assertWithin(r, exact, cosineBound(mode, n), mode + " cosine n=" + n);
    // independent data: a cosine near 0, where only the absolute bound can hold
    double[] z = TestData.doubles(Kind.UNIFORM, n, 23);
    double exactIndependent =
        TestData.cached(
            List.of("double-cosine-independent", n),
            k -> SimilarityRef.sums(x, 0, z, 0, n).cosine());
    double[] c = TestData.padded(z, offset + 2, GUARD);
    assertWithin(
        ops.cosine(a, offset, c, offset + 2, n),
        exactIndependent,
        cosineBound(mode, n),
        mode + " cosine of independent vectors n=" + n);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void squaredDistanceIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    double[] x = TestData.doubles(Kind.WIDE, n, 24);
    double[] y = correlated(x, 25);
    double[] a = TestData.padded(x, offset, GUARD);
    double[] b = TestData.padded(y, offset + 3, GUARD);
    BigDecimal exact =
        TestData.cached(
            List.of("double-distance", n), k -> SimilarityRef.squaredDistance(x, 0, y, 0, n));
    double r = ops.squaredDistance(a, offset, b, offset + 3, n);
    if (n == 0) {
      assertBits(0.0, r, "empty squared distance is +0.0");
      return;
    }
    double err = SimilarityRef.relativeError(r, exact);
    double bound = distanceBound(mode, n);
    assertTrue(
        err <= bound, () -> mode + " distance n=" + n + ": relative error " + err + " > " + bound);
  }

  /** Magnitudes where double sums overflow or underflow: the kernels redo them scaled. */
  static Stream<Arguments> extremes() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int scale : new int[] {-1000, -600, -300, 0, 300, 600, 1000}) {
        for (int n : new int[] {1, L + 3, 1001, 2 * BLOCK + 5}) {
          all.add(Arguments.of(mode, scale, n));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} x 2^{1} n={2}")
  @MethodSource("extremes")
  void tinyAndHugeVectorsKeepTheirBounds(Mode mode, int scale, int n) {
    FlynnOps ops = flynn.using(mode);
    double[] x = scaled(TestData.doubles(Kind.UNIFORM, n, 26), scale);
    double[] y = scaled(correlated(TestData.doubles(Kind.UNIFORM, n, 26), 27), scale);
    Sums sums =
        TestData.cached(
            List.of("double-extreme-sums", scale, n), k -> SimilarityRef.bigSums(x, 0, y, 0, n));
    if (sums.sumA().signum() != 0 && sums.sumB().signum() != 0) {
      assertWithin(
          ops.cosine(x, y), sums.cosine(), cosineBound(mode, n), mode + " cosine 2^" + scale);
    }
    BigDecimal exact =
        TestData.cached(
            List.of("double-extreme-distance", scale, n),
            k -> SimilarityRef.squaredDistance(x, 0, y, 0, n));
    double r = ops.squaredDistance(x, y);
    if (exact.compareTo(new BigDecimal(Double.MAX_VALUE)) > 0) {
      assertBits(Double.POSITIVE_INFINITY, r, mode + " distance beyond the double range");
    } else {
      // a result that is itself subnormal carries its own rounding: one subnormal ulp at most
      double err = Ref.absError(r, exact);
      double bound = distanceBound(mode, n) * exact.doubleValue() + TINY;
      assertTrue(err <= bound, () -> mode + " distance 2^" + scale + ": " + err + " > " + bound);
    }
  }

  /**
   * Blocks of very different magnitudes, each scaled by its own power of two: the engine must bring
   * their terms to a common exponent before adding them.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void blocksOfDifferentMagnitudesCombine(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    int n = 4 * BLOCK + 9;
    double[] x = TestData.doubles(Kind.UNIFORM, n, 40).clone();
    double[] y = correlated(x, 41);
    int[] exponents = {600, -700, 0, 900, -40};
    for (int i = 0; i < n; i++) {
      int e = exponents[i / BLOCK];
      x[i] = Math.scalb(x[i], e);
      y[i] =
          Math.scalb(y[i], i / BLOCK == 1 ? -e : e); // b's second block is huge where a's is tiny
    }
    Sums sums =
        TestData.cached(List.of("double-mixed-blocks"), k -> SimilarityRef.bigSums(x, 0, y, 0, n));
    assertWithin(ops.cosine(x, y), sums.cosine(), cosineBound(mode, n), mode + " cosine");
  }

  // ---------------------------------------------------------------- scores

  /** (rows, dim): 1x1, dims around the lanes, a row count past 4-row blocks, many row blocks. */
  static int[][] shapes() {
    return new int[][] {
      {1, 1},
      {0, 5},
      {3, L - 1},
      {4, L},
      {5, L + 1},
      {7, 2 * L + 3},
      {6, 4 * L - 1},
      {9, 128},
      {17, 100},
      {2100, 33},
      {16411, 131}, // above AUTO_FORK_STREAM elements: AUTO forks too
    };
  }

  static Stream<Arguments> scoreCases() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int[] shape : shapes()) {
        for (int offset : TestData.OFFSETS) {
          if (offset == 0 || shape[0] * shape[1] < 1 << 20) { // the largest shape once
            all.add(Arguments.of(mode, shape[0], shape[1], offset));
          }
        }
      }
    }
    return all.stream();
  }

  /** The query, and rows where every third is the query plus noise (cosines near 1). */
  private record Problem(double[] query, double[] rows) {}

  private static Problem problem(int rows, int dim) {
    return TestData.cached(
        List.of("double-scores", rows, dim),
        k -> {
          double[] query = TestData.doubles(Kind.UNIFORM, dim, 31);
          double[] m = TestData.doubles(Kind.UNIFORM, rows * dim, 32).clone();
          double[] noise = TestData.doubles(Kind.UNIFORM, rows * dim, 33);
          for (int r = 0; r < rows; r += 3) {
            for (int i = 0; i < dim; i++) {
              m[r * dim + i] = query[i] + noise[r * dim + i] * 0x1p-6;
            }
          }
          return new Problem(query, m);
        });
  }

  /** The problem laid out with offsets and a row stride of {@code dim + offset}, NaN in gaps. */
  private record Layout(double[] query, double[] matrix, double[] scores, int stride, int offset) {}

  private static Layout layout(Problem p, int rows, int dim, int offset) {
    int stride = dim + offset;
    double[] query = TestData.padded(p.query(), offset, GUARD);
    double[] matrix = new double[offset + 1 + rows * stride + 3];
    Arrays.fill(matrix, GUARD);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(p.rows(), r * dim, matrix, offset + 1 + r * stride, dim);
    }
    double[] scores = new double[offset + 2 + rows + 3];
    Arrays.fill(scores, SENTINEL);
    return new Layout(query, matrix, scores, stride, offset);
  }

  private interface ScoresCall {
    void run(FlynnOps ops, Layout l, int rows, int dim);
  }

  private static double[] run(FlynnOps ops, Layout l, int rows, int dim, ScoresCall call) {
    call.run(ops, l, rows, dim);
    double[] s = l.scores();
    int start = l.offset() + 2;
    for (int i = 0; i < s.length; i++) {
      if (i < start || i >= start + rows) {
        assertBits(SENTINEL, s[i], "a score was written outside the scores range at " + i);
      }
    }
    return Arrays.copyOfRange(s, start, start + rows);
  }

  @ParameterizedTest(name = "{0} {1}x{2} offset={3}")
  @MethodSource("scoreCases")
  void dotScoresAreWithinTheDocumentedBound(Mode mode, int rows, int dim, int offset) {
    Problem p = problem(rows, dim);
    Layout l = layout(p, rows, dim, offset);
    double[] scores =
        run(
            flynn.using(mode),
            l,
            rows,
            dim,
            (ops, x, r, d) ->
                ops.dotScores(
                    x.query(),
                    x.offset(),
                    x.matrix(),
                    x.offset() + 1,
                    r,
                    d,
                    x.stride(),
                    x.scores(),
                    x.offset() + 2));
    for (int r = 0; r < rows; r++) {
      Sums s = sums(p, r, dim);
      double sumAbs = 0;
      for (int i = 0; i < dim; i++) {
        sumAbs += Math.abs(p.query()[i] * p.rows()[r * dim + i]);
      }
      double exact = s.dot().doubleValue();
      assertWithin(
          scores[r], exact, dotScoreBound(mode, dim, exact, sumAbs), mode + " dot row " + r);
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2} offset={3}")
  @MethodSource("scoreCases")
  void cosineScoresAreWithinTheDocumentedBound(Mode mode, int rows, int dim, int offset) {
    Problem p = problem(rows, dim);
    Layout l = layout(p, rows, dim, offset);
    double[] scores =
        run(
            flynn.using(mode),
            l,
            rows,
            dim,
            (ops, x, r, d) ->
                ops.cosineScores(
                    x.query(),
                    x.offset(),
                    x.matrix(),
                    x.offset() + 1,
                    r,
                    d,
                    x.stride(),
                    x.scores(),
                    x.offset() + 2));
    for (int r = 0; r < rows; r++) {
      assertWithin(
          scores[r], sums(p, r, dim).cosine(), cosineScoreBound(mode, dim), mode + " row " + r);
    }
    if (!TestData.vectorClass(mode) && rows > 0) {
      // the scalar modes promise the bits of the pairwise cosine
      for (int r = 0; r < rows; r += Math.max(1, rows / 50)) {
        double pairwise = flynn.using(mode).cosine(p.query(), 0, p.rows(), r * dim, dim);
        assertBits(pairwise, scores[r], mode + " cosineScores == cosine, row " + r);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2} offset={3}")
  @MethodSource("scoreCases")
  void squaredDistanceScoresAreWithinTheDocumentedBound(Mode mode, int rows, int dim, int offset) {
    Problem p = problem(rows, dim);
    Layout l = layout(p, rows, dim, offset);
    double[] scores =
        run(
            flynn.using(mode),
            l,
            rows,
            dim,
            (ops, x, r, d) ->
                ops.squaredDistanceScores(
                    x.query(),
                    x.offset(),
                    x.matrix(),
                    x.offset() + 1,
                    r,
                    d,
                    x.stride(),
                    x.scores(),
                    x.offset() + 2));
    for (int r = 0; r < rows; r++) {
      int row = r;
      BigDecimal exact =
          TestData.cached(
              List.of("double-row-distance", rows, dim, r),
              k -> SimilarityRef.squaredDistance(p.query(), 0, p.rows(), row * dim, dim));
      double err = SimilarityRef.relativeError(scores[r], exact);
      double bound = distanceScoreBound(mode, dim);
      assertTrue(err <= bound, () -> mode + " distance row " + row + ": " + err + " > " + bound);
      if (!TestData.vectorClass(mode) && r % 7 == 0) {
        double pairwise = flynn.using(mode).squaredDistance(p.query(), 0, p.rows(), r * dim, dim);
        assertBits(pairwise, scores[r], mode + " squaredDistanceScores == squaredDistance");
      }
    }
  }

  private static Sums sums(Problem p, int r, int dim) {
    return TestData.cached(
        List.of("double-row-sums", p.rows().length, dim, r),
        k -> SimilarityRef.sums(p.query(), 0, p.rows(), r * dim, dim));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wholeArrayFormsMatchTheRangeForms(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    int rows = 37;
    int dim = 3 * L + 5;
    Problem p = problem(rows, dim);
    double[] whole = new double[rows];
    double[] range = new double[rows + 2];
    ops.dotScores(p.query(), p.rows(), rows, dim, whole);
    ops.dotScores(p.query(), 0, p.rows(), 0, rows, dim, dim, range, 2);
    assertEquals(
        Arrays.toString(whole), Arrays.toString(Arrays.copyOfRange(range, 2, rows + 2)), "dot");
    ops.cosineScores(p.query(), p.rows(), rows, dim, whole);
    ops.cosineScores(p.query(), 0, p.rows(), 0, rows, dim, dim, range, 2);
    assertEquals(
        Arrays.toString(whole), Arrays.toString(Arrays.copyOfRange(range, 2, rows + 2)), "cos");
    ops.squaredDistanceScores(p.query(), p.rows(), rows, dim, whole);
    ops.squaredDistanceScores(p.query(), 0, p.rows(), 0, rows, dim, dim, range, 2);
    assertEquals(
        Arrays.toString(whole), Arrays.toString(Arrays.copyOfRange(range, 2, rows + 2)), "dist");
    double[] x = Arrays.copyOfRange(p.rows(), 0, dim);
    double[] y = Arrays.copyOfRange(p.rows(), dim, 2 * dim);
    assertBits(ops.cosine(x, 0, y, 0, dim), ops.cosine(x, y), "cosine(a, b)");
    assertBits(ops.squaredDistance(x, 0, y, 0, dim), ops.squaredDistance(x, y), "distance(a, b)");
    // dim 0: dot and distance scores are +0.0, cosine is undefined
    double[] zeros = {SENTINEL, SENTINEL};
    ops.dotScores(new double[0], new double[0], 2, 0, zeros);
    assertEquals("[0.0, 0.0]", Arrays.toString(zeros));
    Arrays.fill(zeros, SENTINEL);
    ops.squaredDistanceScores(new double[0], new double[0], 2, 0, zeros);
    assertEquals("[0.0, 0.0]", Arrays.toString(zeros));
    assertThrows(
        IllegalArgumentException.class,
        () -> ops.cosineScores(new double[0], new double[0], 2, 0, zeros));
  }

  // ---------------------------------------------------------------- special values

  static Stream<Arguments> specialLengths() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int n : new int[] {1, L - 1, 4 * L + 5, 1001, 3 * BLOCK + 5}) {
        all.add(Arguments.of(mode, n));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("specialLengths")
  void aZeroVectorHasNoCosine(Mode mode, int n) {
    FlynnOps ops = flynn.using(mode);
    double[] zero = new double[n];
    double[] x = TestData.doubles(Kind.UNIFORM, n, 34);
    assertBits(Double.NaN, ops.cosine(zero, x), "cosine(0, x)");
    assertBits(Double.NaN, ops.cosine(x, zero), "cosine(x, 0)");
    assertBits(Double.NaN, ops.cosine(zero, zero), "cosine(0, 0)");
    assertBits(0.0, ops.squaredDistance(zero, zero), "distance(0, 0)");
    double[] negativeZero = new double[n];
    Arrays.fill(negativeZero, -0.0);
    assertBits(0.0, ops.squaredDistance(zero, negativeZero), "distance(+0, -0)");
    assertBits(Double.NaN, ops.cosine(negativeZero, x), "cosine(-0, x)");
    if (n <= 1001) {
      // a zero row among others, and a zero query
      double[] matrix = new double[3 * n];
      System.arraycopy(x, 0, matrix, 0, n);
      System.arraycopy(x, 0, matrix, 2 * n, n);
      double[] scores = new double[3];
      ops.cosineScores(x, matrix, 3, n, scores);
      assertBits(Double.NaN, scores[1], "zero row");
      assertTrue(Math.abs(scores[0] - 1) <= cosineScoreBound(mode, n), "row equal to the query");
      assertBits(scores[0], scores[2], "equal rows, equal scores");
      ops.cosineScores(zero, matrix, 3, n, scores);
      assertEquals("[NaN, NaN, NaN]", Arrays.toString(scores), "zero query");
      ops.squaredDistanceScores(x, matrix, 3, n, scores);
      assertBits(0.0, scores[0], "distance to an equal row is exactly 0");
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("specialLengths")
  void nanAndInfinitiesPropagate(Mode mode, int n) {
    FlynnOps ops = flynn.using(mode);
    double[] x = TestData.doubles(Kind.UNIFORM, n, 35);
    double[] y = TestData.doubles(Kind.UNIFORM, n, 36);
    for (int position : new int[] {0, n / 2, n - 1}) {
      double[] a = x.clone();
      a[position] = Double.NaN;
      assertBits(Double.NaN, ops.cosine(a, y), "cosine with NaN at " + position);
      assertBits(Double.NaN, ops.cosine(y, a), "cosine with NaN in b at " + position);
      assertBits(Double.NaN, ops.squaredDistance(a, y), "distance with NaN at " + position);
      a[position] = Double.POSITIVE_INFINITY;
      assertBits(Double.NaN, ops.cosine(a, y), "cosine with +Inf");
      assertBits(Double.POSITIVE_INFINITY, ops.squaredDistance(a, y), "distance with +Inf");
      double[] b = y.clone();
      b[position] = Double.POSITIVE_INFINITY;
      assertBits(Double.NaN, ops.squaredDistance(a, b), "distance with +Inf - +Inf");
      a[position] = Double.NEGATIVE_INFINITY;
      assertBits(Double.POSITIVE_INFINITY, ops.squaredDistance(y, a), "distance with -Inf");
      // largest doubles of opposite signs: the difference overflows double, not the result's math
      double[] big = new double[n];
      double[] small = new double[n];
      big[position] = Double.MAX_VALUE;
      small[position] = -Double.MAX_VALUE;
      assertBits(Double.POSITIVE_INFINITY, ops.squaredDistance(big, small), "distance > MAX");
      assertBits(-1.0, ops.cosine(big, small), "cosine of opposite huge vectors");
    }
    if (n <= 1001) {
      double[] matrix = new double[4 * n];
      for (int r = 0; r < 4; r++) {
        System.arraycopy(y, 0, matrix, r * n, n);
      }
      matrix[2 * n + n / 2] = Double.NaN;
      double[] scores = new double[4];
      for (String kernel : List.of("dot", "cosine", "distance")) {
        switch (kernel) {
          case "dot" -> ops.dotScores(x, matrix, 4, n, scores);
          case "cosine" -> ops.cosineScores(x, matrix, 4, n, scores);
          default -> ops.squaredDistanceScores(x, matrix, 4, n, scores);
        }
        assertBits(Double.NaN, scores[2], kernel + ": the row with a NaN");
        assertTrue(
            Double.isFinite(scores[1]) && Double.isFinite(scores[3]), kernel + ": the others");
        assertBits(scores[0], scores[3], kernel + ": equal rows, equal bits");
      }
      double[] q = x.clone();
      q[n - 1] = Double.NaN;
      ops.dotScores(q, matrix, 4, n, scores);
      assertEquals("[NaN, NaN, NaN, NaN]", Arrays.toString(scores), "NaN in the query");
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("specialLengths")
  void equalAndOppositeVectors(Mode mode, int n) {
    FlynnOps ops = flynn.using(mode);
    double[] x = TestData.doubles(Kind.WIDE, n, 37);
    double[] minus = x.clone();
    for (int i = 0; i < n; i++) {
      minus[i] = -minus[i];
    }
    double same = ops.cosine(x, x);
    assertTrue(same <= 1.0 && 1 - same <= cosineBound(mode, n), mode + " cosine(x, x)=" + same);
    double opposite = ops.cosine(x, minus);
    assertTrue(opposite >= -1.0 && 1 + opposite <= cosineBound(mode, n), "cosine(x, -x)");
    assertBits(0.0, ops.squaredDistance(x, x.clone()), "distance(x, x)");
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void theSameBitsForEveryThreadCount() {
    int n = 3 * BLOCK + 7;
    double[] x = TestData.doubles(Kind.UNIFORM, n, 38);
    double[] y = correlated(x, 39);
    int rows = 3001;
    int dim = 37;
    Problem p = problem(rows, dim);
    List<Flynn> engines = new ArrayList<>();
    for (int t : new int[] {1, 2, 3}) {
      engines.add(Flynn.builder().threads(t).build());
    }
    try {
      for (Mode[] group :
          new Mode[][] {{Mode.SISD, Mode.MIMD}, {Mode.SIMD, Mode.SIMD_MIMD, Mode.AUTO}}) {
        Map<String, String> results = new LinkedHashMap<>();
        for (Flynn engine : engines) {
          for (Mode mode : group) {
            FlynnOps ops = engine.using(mode);
            double[] dot = new double[rows];
            double[] cos = new double[rows];
            double[] dist = new double[rows];
            ops.dotScores(p.query(), p.rows(), rows, dim, dot);
            ops.cosineScores(p.query(), p.rows(), rows, dim, cos);
            ops.squaredDistanceScores(p.query(), p.rows(), rows, dim, dist);
            String bits =
                Double.doubleToRawLongBits(ops.cosine(x, y))
                    + " "
                    + Double.doubleToRawLongBits(ops.squaredDistance(x, y))
                    + " "
                    + Arrays.hashCode(dot)
                    + " "
                    + Arrays.hashCode(cos)
                    + " "
                    + Arrays.hashCode(dist);
            results.put(mode + "/" + engine.threads(), bits);
            // a score does not depend on the rows that share its call
            for (int r = 0; r < rows; r += 97) {
              double[] one = new double[1];
              ops.cosineScores(p.query(), 0, p.rows(), r * dim, 1, dim, dim, one, 0);
              assertBits(cos[r], one[0], mode + " cosine row " + r + " alone");
              ops.dotScores(p.query(), 0, p.rows(), r * dim, 1, dim, dim, one, 0);
              assertBits(dot[r], one[0], mode + " dot row " + r + " alone");
              ops.squaredDistanceScores(p.query(), 0, p.rows(), r * dim, 1, dim, dim, one, 0);
              assertBits(dist[r], one[0], mode + " distance row " + r + " alone");
            }
          }
        }
        assertEquals(1, new java.util.HashSet<>(results.values()).size(), results::toString);
      }
    } finally {
      engines.forEach(Flynn::close);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** {@code x} plus noise of 1/64 of its scale: a cosine near 1, a distance with cancellation. */
  private static double[] correlated(double[] x, long seed) {
    double[] noise = TestData.doubles(Kind.UNIFORM, x.length, seed);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] + noise[i] * Math.abs(x[i]) * 0x1p-6;
    }
    return y;
  }

  private static double[] scaled(double[] x, int exponent) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.scalb(x[i], exponent);
    }
    return y;
  }

  private static void assertWithin(double actual, double exact, double bound, String what) {
    if (Double.isNaN(exact)) {
      assertBits(Double.NaN, actual, what);
      return;
    }
    double err = Math.abs(actual - exact);
    assertTrue(
        err <= bound,
        () -> what + ": " + actual + " against " + exact + ", error " + err + " > " + bound);
  }

  /** Same bits; any NaN matches a NaN (the hardware's default NaN may carry a sign). */
  static void assertBits(double expected, double actual, String what) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), () -> what + ": expected NaN but was " + actual);
      return;
    }
    assertEquals(
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }
}
