package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static dev.flynn.engine.TestData.DOUBLE_LANES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.StatisticsRef.Moments;
import dev.flynn.engine.TestData.Kind;
import dev.flynn.kernels.Comparison;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * argmin, argmax, sumOfSquares, norm2, mean, variance, sampleVariance, standardDeviation and count
 * over doubles, in every mode, against exact references written here.
 */
class DoubleStatisticsTest {

  /** The double kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Set.of(
          "argmin",
          "argmax",
          "sumOfSquares",
          "norm2",
          "mean",
          "variance",
          "sampleVariance",
          "standardDeviation",
          "count");

  private static final int L = DOUBLE_LANES;
  private static final double GUARD = Double.NaN;
  private static final double U = StatisticsRef.U;

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

  // ---------------------------------------------------------------- argmin and argmax

  /** The reference: the first NaN, else the first strictly least (-0.0 below +0.0). */
  private static int firstLeast(double[] a, boolean max) {
    int best = 0;
    for (int i = 0; i < a.length; i++) {
      if (Double.isNaN(a[i])) {
        return i;
      }
      boolean zerosOrdered =
          a[i] == 0 && a[best] == 0 && (Math.copySign(1.0, a[i]) > Math.copySign(1.0, a[best]));
      boolean better =
          max
              ? a[i] > a[best] || zerosOrdered
              : a[i] < a[best]
                  || (a[i] == 0
                      && a[best] == 0
                      && Math.copySign(1.0, a[i]) < Math.copySign(1.0, a[best]));
      if (better) {
        best = i;
      }
    }
    return best;
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void argminAndArgmaxFindTheFirstExtremeElement(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    // Uniform data (few ties) and 31 distinct values (ties everywhere: the first one must win).
    for (Kind kind : new Kind[] {Kind.UNIFORM, Kind.DYADIC_DOT}) {
      double[] data = TestData.doubles(kind, n, 21);
      double[] a = TestData.padded(data, offset, GUARD);
      if (n == 0) {
        assertThrows(IllegalArgumentException.class, () -> ops.argmin(a, offset, 0));
        assertThrows(IllegalArgumentException.class, () -> ops.argmax(a, offset, 0));
        return;
      }
      assertEquals(firstLeast(data, false), ops.argmin(a, offset, n), mode + " argmin " + kind);
      assertEquals(firstLeast(data, true), ops.argmax(a, offset, n), mode + " argmax " + kind);
    }
  }

  /** NaN positions in the vector body, at block edges, in later blocks and in every tail. */
  static Stream<Arguments> positions() {
    int n = 4 * BLOCK + 2 * 4 * L + L + 5;
    int[] at = {0, 5, L + 1, BLOCK - 1, BLOCK, 2 * BLOCK + 3 * L + 2, 4 * BLOCK + 9 * L, n - 1};
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int p : at) {
        all.add(Arguments.of(mode, n, p));
      }
      all.add(Arguments.of(mode, 4 * L + 3, 4 * L + 1));
      all.add(Arguments.of(mode, 3, 2));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} n={1} at {2}")
  @MethodSource("positions")
  void theFirstNanWinsAndSignedZerosAreOrdered(Mode mode, int n, int p) {
    FlynnOps ops = flynn.using(mode);
    double[] a = TestData.doubles(Kind.UNIFORM, n, 22).clone();
    a[p] = Double.NaN;
    if (p + 1 < n) {
      a[n - 1] =
          Double.longBitsToDouble(0xfff8000000000001L); // a later NaN with another payload and sign
    }
    assertEquals(p, ops.argmin(a), "argmin: the first NaN");
    assertEquals(p, ops.argmax(a), "argmax: the first NaN");
    double[] zeros = new double[n]; // all +0.0
    zeros[p] = -0.0;
    assertEquals(p, ops.argmin(zeros), "argmin: -0.0 is below +0.0");
    assertEquals(p == 0 ? 1 % n : 0, ops.argmax(zeros), "argmax: the first +0.0");
    Arrays.fill(zeros, -0.0);
    zeros[p] = 0.0;
    assertEquals(p, ops.argmax(zeros), "argmax: +0.0 is above -0.0");
    double[] inf = TestData.doubles(Kind.UNIFORM, n, 23).clone();
    inf[p] = Double.NEGATIVE_INFINITY;
    inf[n - 1 - (p == n - 1 ? 1 % n : 0)] = Double.POSITIVE_INFINITY;
    assertEquals(p, ops.argmin(inf), "argmin: -Inf");
    // the range form counts from its offset
    int from = p / 2;
    assertEquals(p - from, ops.argmin(inf, from, n - from), "argmin of a range");
  }

  // ---------------------------------------------------------------- sums of squares and norm

  private static Moments doubleMoments(String name, double[] data) {
    return TestData.cached(
        List.of("double-moments", name, data.length), k -> StatisticsRef.moments(data));
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void sumOfSquaresAndNormAreWithinTheirBounds(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    double[] data = TestData.doubles(Kind.WIDE, n, 24);
    double[] a = TestData.padded(data, offset, GUARD);
    BigDecimal s = doubleMoments("wide", data).sumOfSquares();
    double k = StatisticsRef.doubleSumOfSquaresK(mode, n);
    double sumSq = ops.sumOfSquares(a, offset, n);
    double sumSqBound = (k + 1) * U * s.doubleValue() + 0.5 * n * Double.MIN_VALUE;
    double sumSqError = StatisticsRef.absoluteError(sumSq, s);
    assertTrue(
        sumSqError <= sumSqBound,
        () -> mode + " sumOfSquares n=" + n + ": " + sumSqError + " > " + sumSqBound);
    BigDecimal norm = StatisticsRef.sqrt(s);
    double r = ops.norm2(a, offset, n);
    double normBound = normBound(mode, n, norm);
    double normError = StatisticsRef.absoluteError(r, norm);
    assertTrue(
        normError <= normBound,
        () -> mode + " norm2 n=" + n + ": " + normError + " > " + normBound);
  }

  /** The documented bound of norm2: (K / 2 + 6) u ||a|| + 2^-1074. */
  private static double normBound(Mode mode, int n, BigDecimal norm) {
    return (StatisticsRef.doubleNormK(mode, n) / 2 + 6) * U * norm.doubleValue() + 0x1p-1074;
  }

  /**
   * Where {@code sqrt(sum x^2)} fails and Blue's scaling does not: elements of 1e300 (the squares
   * overflow), tiny and subnormal elements (the squares underflow to 0), huge and tiny together,
   * medium and tiny together, blocks of each kind side by side, and a subnormal result.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void normOfHugeAndTinyElementsIsAccurate(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    SplittableRandom r = new SplittableRandom(25);
    for (int n : new int[] {7, 4 * L + 3, 2 * BLOCK + 7}) {
      double[] huge = new double[n];
      double[] tiny = new double[n];
      double[] subnormal = new double[n];
      double[] hugeAndTiny = new double[n];
      double[] mediumAndTiny = new double[n];
      double[] blocks = new double[n];
      for (int i = 0; i < n; i++) {
        double sign = r.nextBoolean() ? 1 : -1;
        huge[i] = sign * (0.5 + r.nextDouble()) * 1e300;
        tiny[i] = sign * (0.5 + r.nextDouble()) * 1e-300;
        subnormal[i] = sign * Double.MIN_VALUE * (1 + r.nextInt(1 << 30));
        hugeAndTiny[i] = i % 3 == 0 ? huge[i] : tiny[i];
        mediumAndTiny[i] = i % 5 == 0 ? sign * 1e-160 * (1 + r.nextDouble()) : subnormal[i];
        blocks[i] = (i / BLOCK) % 2 == 0 ? tiny[i] : sign * r.nextDouble();
      }
      double plainHuge = 0;
      double plainTiny = 0;
      for (int i = 0; i < n; i++) {
        plainHuge += huge[i] * huge[i];
        plainTiny += tiny[i] * tiny[i];
      }
      assertEquals(Double.POSITIVE_INFINITY, plainHuge, "test data: the squares overflow");
      assertEquals(0.0, plainTiny, "test data: the squares underflow");
      double[] single = new double[n];
      single[n / 2] = 3 * Double.MIN_VALUE; // a subnormal norm, exact
      for (double[] a :
          new double[][] {huge, tiny, subnormal, hugeAndTiny, mediumAndTiny, blocks}) {
        BigDecimal norm = StatisticsRef.sqrt(StatisticsRef.exactSumOfSquares(a));
        double result = ops.norm2(a);
        double error = StatisticsRef.absoluteError(result, norm);
        double bound = normBound(mode, n, norm);
        assertTrue(
            error <= bound,
            () -> mode + " norm2 n=" + n + ": " + result + " vs " + norm + ", error " + error);
      }
      assertEquals(3 * Double.MIN_VALUE, ops.norm2(single), "a subnormal norm");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValuesOfSumsOfSquares(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {1, 5 * L + 3, 2 * BLOCK + 3}) {
      double[] a = TestData.doubles(Kind.UNIFORM, n, 26).clone();
      assertEquals(0.0, ops.norm2(new double[0]));
      assertEquals(0.0, ops.sumOfSquares(new double[0]));
      a[n / 2] = Double.NEGATIVE_INFINITY;
      assertEquals(Double.POSITIVE_INFINITY, ops.norm2(a), "norm2 with -Inf");
      assertEquals(Double.POSITIVE_INFINITY, ops.sumOfSquares(a), "sumOfSquares with -Inf");
      a[n - 1] = Double.NaN;
      assertTrue(Double.isNaN(ops.norm2(a)), "norm2 with NaN and Inf");
      assertTrue(Double.isNaN(ops.sumOfSquares(a)), "sumOfSquares with NaN");
      double[] big = new double[n];
      Arrays.fill(big, 1e200); // the squares overflow, as documented; the norm does not
      assertEquals(Double.POSITIVE_INFINITY, ops.sumOfSquares(big), "sumOfSquares overflows");
      assertEquals(1e200 * Math.sqrt(n), ops.norm2(big), 1e200 * Math.sqrt(n) * 1e-12, "norm2");
      double[] zeros = new double[n];
      Arrays.fill(zeros, -0.0);
      assertEquals(0L, Double.doubleToRawLongBits(ops.norm2(zeros)), "norm2 of -0.0s is +0.0");
    }
  }

  // ---------------------------------------------------------------- mean, variance, deviation

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void meanIsWithinTheSumBoundOverN(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    double[] data = TestData.doubles(Kind.WIDE, n, 27);
    double[] a = TestData.padded(data, offset, GUARD);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.mean(a, offset, 0));
      return;
    }
    Moments m = doubleMoments("wide27", data);
    BigDecimal mean = m.mean();
    double bound =
        StatisticsRef.doubleSumBound(mode, n, m.sumAbs().doubleValue()) / n
            + U * Math.abs(mean.doubleValue());
    double error = StatisticsRef.absoluteError(ops.mean(a, offset, n), mean);
    assertTrue(error <= bound, () -> mode + " mean n=" + n + ": " + error + " > " + bound);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void varianceAndDeviationAreWithinTheirBounds(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    // An offset of 1000 with noise in [-1, 1): kappa is about 1700.
    double[] data =
        TestData.cached(
            List.of("double-offset-1000", n),
            key -> {
              double[] u = TestData.doubles(Kind.UNIFORM, n, 28);
              double[] x = new double[n];
              for (int i = 0; i < n; i++) {
                x[i] = 1000 + u[i];
              }
              return x;
            });
    double[] a = TestData.padded(data, offset, GUARD);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.variance(a, offset, 0));
      assertThrows(IllegalArgumentException.class, () -> ops.standardDeviation(a, offset, 0));
      assertThrows(IllegalArgumentException.class, () -> ops.sampleVariance(a, offset, 0));
      return;
    }
    if (n == 1) {
      assertEquals(0.0, ops.variance(a, offset, 1));
      assertEquals(0.0, ops.standardDeviation(a, offset, 1));
      assertThrows(IllegalArgumentException.class, () -> ops.sampleVariance(a, offset, 1));
      return;
    }
    checkVariance(ops, mode, a, offset, n, doubleMoments("offset1000", data));
  }

  /** Checks variance, sampleVariance and standardDeviation against the documented bounds. */
  static void checkVariance(FlynnOps ops, Mode mode, double[] a, int offset, int n, Moments m) {
    BigDecimal m2 = m.squaredDeviations();
    double rho =
        StatisticsRef.varianceBound(
            StatisticsRef.doubleVarianceK(mode, n),
            StatisticsRef.doubleMeanBeta(mode, n),
            m.kappaSquared());
    BigDecimal variance = m2.divide(BigDecimal.valueOf(n), StatisticsRef.WIDE);
    double e1 = StatisticsRef.relativeError(ops.variance(a, offset, n), variance);
    assertTrue(e1 <= rho, () -> mode + " variance n=" + n + ": " + e1 + " > " + rho);
    BigDecimal sample = m2.divide(BigDecimal.valueOf(n - 1), StatisticsRef.WIDE);
    double e2 = StatisticsRef.relativeError(ops.sampleVariance(a, offset, n), sample);
    assertTrue(e2 <= rho, () -> mode + " sampleVariance n=" + n + ": " + e2 + " > " + rho);
    double deviationBound = rho / 2 + 0x1p-52;
    BigDecimal deviation = variance.sqrt(MathContext.DECIMAL128);
    double e3 = StatisticsRef.relativeError(ops.standardDeviation(a, offset, n), deviation);
    assertTrue(e3 <= deviationBound, () -> mode + " standardDeviation n=" + n + ": " + e3);
  }

  /**
   * 1e8 plus noise in [-1, 1): the textbook {@code E[x^2] - E[x]^2} in double loses every digit
   * (kappa^2 is about 3e16), the documented bound still holds, at about 1e-13. Also on a long array
   * (2^22 + 5).
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void varianceSurvivesALargeOffset(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {1001, 3 * BLOCK + 7, (1 << 22) + 5}) {
      double[] a =
          TestData.cached(
              List.of("double-offset-1e8", n),
              key -> {
                SplittableRandom r = new SplittableRandom(29);
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                  x[i] = 1e8 + (r.nextDouble() * 2 - 1);
                }
                return x;
              });
      Moments m = doubleMoments("offset1e8", a);
      double naiveSum = 0;
      double naiveSquares = 0;
      for (double x : a) {
        naiveSum += x;
        naiveSquares += x * x;
      }
      double naive = naiveSquares / n - (naiveSum / n) * (naiveSum / n);
      BigDecimal variance = m.squaredDeviations().divide(BigDecimal.valueOf(n), StatisticsRef.WIDE);
      assertTrue(
          StatisticsRef.relativeError(naive, variance) > 1e-6,
          "test data: the naive formula should fail here");
      checkVariance(ops, mode, a, 0, n, m);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValuesOfMomentsFollowTheirRules(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {2, 5 * L + 3, 2 * BLOCK + 3}) {
      double[] a = new double[n];
      Arrays.fill(a, 0.5); // dyadic: the sums are exact, so the deviations are 0
      assertEquals(0.0, ops.variance(a), "constant data: exactly 0");
      assertEquals(0.5, ops.mean(a), "mean of constant data");
      a[n / 2] = Double.POSITIVE_INFINITY;
      assertEquals(Double.POSITIVE_INFINITY, ops.mean(a), "mean with +Inf");
      assertTrue(Double.isNaN(ops.variance(a)), "variance with +Inf is NaN");
      a[n / 2] = Double.NaN;
      assertTrue(Double.isNaN(ops.mean(a)), "mean with NaN");
      assertTrue(Double.isNaN(ops.variance(a)), "variance with NaN");
      assertTrue(Double.isNaN(ops.standardDeviation(a)), "standardDeviation with NaN");
      double[] spread = new double[n];
      for (int i = 0; i < n; i++) {
        spread[i] = i % 2 == 0 ? 1e200 : -1e200;
      }
      assertEquals(Double.POSITIVE_INFINITY, ops.variance(spread), "squares overflow: +Inf");
    }
  }

  // ---------------------------------------------------------------- count

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void countIsExact(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    double[] data = TestData.doubles(Kind.DYADIC_DOT, n, 30).clone(); // many ties with thresholds
    for (int i = 0; i < n; i += 7) {
      data[i] = i % 2 == 0 ? Double.NaN : -0.0;
    }
    double[] a = TestData.padded(data, offset, GUARD);
    double[] thresholds = {0.5, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, -0.9375};
    for (Comparison c : Comparison.values()) {
      for (double t : thresholds) {
        long expected = 0;
        for (double x : data) {
          boolean hit =
              switch (c) {
                case LESS -> x < t;
                case LESS_OR_EQUAL -> x <= t;
                case GREATER -> x > t;
                case GREATER_OR_EQUAL -> x >= t;
                case EQUAL -> x == t;
                case NOT_EQUAL -> x != t;
              };
          expected += hit ? 1 : 0;
        }
        assertEquals(expected, ops.count(a, offset, n, c, t), mode + " count " + c + " " + t);
      }
    }
    assertEquals(n, ops.count(data, Comparison.NOT_EQUAL, Double.NaN), "whole array, NaN");
  }
}
