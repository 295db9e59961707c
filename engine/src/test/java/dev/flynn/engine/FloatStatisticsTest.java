package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static dev.flynn.engine.TestData.FLOAT_LANES;
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
 * over floats, in every mode, against exact references written here.
 */
class FloatStatisticsTest {

  /** The float kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
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

  private static final int L = FLOAT_LANES;
  private static final float GUARD = Float.NaN;
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
  private static int firstLeast(float[] a, boolean max) {
    int best = 0;
    for (int i = 0; i < a.length; i++) {
      if (Float.isNaN(a[i])) {
        return i;
      }
      boolean zerosOrdered =
          a[i] == 0 && a[best] == 0 && (Math.copySign(1f, a[i]) > Math.copySign(1f, a[best]));
      boolean better =
          max
              ? a[i] > a[best] || zerosOrdered
              : a[i] < a[best]
                  || (a[i] == 0
                      && a[best] == 0
                      && Math.copySign(1f, a[i]) < Math.copySign(1f, a[best]));
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
      float[] data = TestData.floats(kind, n, 21);
      float[] a = TestData.padded(data, offset, GUARD);
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
    float[] a = TestData.floats(Kind.UNIFORM, n, 22).clone();
    a[p] = Float.NaN;
    if (p + 1 < n) {
      a[n - 1] = Float.intBitsToFloat(0xffc00001); // a later NaN with another payload and sign
    }
    assertEquals(p, ops.argmin(a), "argmin: the first NaN");
    assertEquals(p, ops.argmax(a), "argmax: the first NaN");
    float[] zeros = new float[n]; // all +0.0
    zeros[p] = -0.0f;
    assertEquals(p, ops.argmin(zeros), "argmin: -0.0 is below +0.0");
    assertEquals(p == 0 ? 1 % n : 0, ops.argmax(zeros), "argmax: the first +0.0");
    Arrays.fill(zeros, -0.0f);
    zeros[p] = 0.0f;
    assertEquals(p, ops.argmax(zeros), "argmax: +0.0 is above -0.0");
    float[] inf = TestData.floats(Kind.UNIFORM, n, 23).clone();
    inf[p] = Float.NEGATIVE_INFINITY;
    inf[n - 1 - (p == n - 1 ? 1 % n : 0)] = Float.POSITIVE_INFINITY;
    assertEquals(p, ops.argmin(inf), "argmin: -Inf");
    // the range form counts from its offset
    int from = p / 2;
    assertEquals(p - from, ops.argmin(inf, from, n - from), "argmin of a range");
  }

  // ---------------------------------------------------------------- sums of squares and norm

  private static Moments floatMoments(String name, float[] data) {
    return TestData.cached(
        List.of("float-moments", name, data.length), k -> StatisticsRef.moments(data));
  }

  /**
   * The documented relative error of the double sum of squares before its last rounding: {@code K
   * u} in the scalar modes; in the vector modes {@code F 2^-24 + (2L + d) u} with {@code F = 128 /
   * L + ceil(min(n, 16384) / 1024) + 11} float roundings (eight chains restarted every 1024
   * elements, folded in double).
   */
  private static double squaresError(Mode mode, int n) {
    if (!TestData.vectorClass(mode)) {
      return StatisticsRef.floatK(mode, n) * U;
    }
    double f = 128.0 / L + Math.ceil(Math.min(n, BLOCK) / 1024.0) + 11;
    return f * 0x1p-24 + (2 * L + StatisticsRef.depth(n)) * U;
  }

  /** The documented bound of sumOfSquares: {@code (2^-24 + E + u) S + 2^-150}. */
  private static double sumOfSquaresBound(Mode mode, int n, double s) {
    return (0x1p-24 + squaresError(mode, n) + U) * s + 0x1p-150;
  }

  /** The documented bound of norm2: {@code (2^-24 + E / 2 + 2u) ||a|| + 2^-150}. */
  private static double normBound(Mode mode, int n, double norm) {
    return (0x1p-24 + squaresError(mode, n) / 2 + 2 * U) * norm + 0x1p-150;
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void sumOfSquaresAndNormAreWithinTheirBounds(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    float[] data = TestData.floats(Kind.WIDE, n, 24);
    float[] a = TestData.padded(data, offset, GUARD);
    BigDecimal s = floatMoments("wide", data).sumOfSquares();
    float sumSq = ops.sumOfSquares(a, offset, n);
    double sumSqBound = sumOfSquaresBound(mode, n, s.doubleValue());
    double sumSqError = StatisticsRef.absoluteError(sumSq, s);
    assertTrue(
        sumSqError <= sumSqBound,
        () -> mode + " sumOfSquares n=" + n + ": " + sumSqError + " > " + sumSqBound);
    BigDecimal norm = StatisticsRef.sqrt(s);
    float r = ops.norm2(a, offset, n);
    double normBound = normBound(mode, n, norm.doubleValue());
    double normError = StatisticsRef.absoluteError(r, norm);
    assertTrue(
        normError <= normBound,
        () -> mode + " norm2 n=" + n + ": " + normError + " > " + normBound);
  }

  /**
   * Where plain float arithmetic fails and the documented bound still holds: elements of 1e38 (the
   * squares overflow float), subnormals (the squares underflow to 0), and both in one array.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void normOfHugeAndTinyElementsNeedsNoScaling(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    SplittableRandom r = new SplittableRandom(25);
    for (int n : new int[] {7, 4 * L + 3, 3 * BLOCK + 7}) {
      float[] huge = new float[n];
      float[] tiny = new float[n];
      float[] mixed = new float[n];
      for (int i = 0; i < n; i++) {
        huge[i] = (float) ((r.nextBoolean() ? 1 : -1) * (0.5 + r.nextDouble()) * 1e38 / n);
        tiny[i] = (r.nextBoolean() ? 1 : -1) * Float.MIN_VALUE * (1 + r.nextInt(1 << 20));
        mixed[i] = i % 3 == 0 ? huge[i] : tiny[i];
      }
      huge[n / 2] = 3e38f;
      float plainHuge = 0;
      float plainTiny = 0;
      for (int i = 0; i < n; i++) {
        plainHuge += huge[i] * huge[i];
        plainTiny += tiny[i] * tiny[i];
      }
      assertEquals(Float.POSITIVE_INFINITY, plainHuge, "test data: float squares overflow");
      assertEquals(0f, plainTiny, "test data: float squares underflow");
      for (float[] a : new float[][] {huge, tiny, mixed}) {
        BigDecimal norm = StatisticsRef.sqrt(StatisticsRef.moments(a).sumOfSquares());
        float result = ops.norm2(a);
        double bound = normBound(mode, n, norm.doubleValue());
        double error = StatisticsRef.absoluteError(result, norm);
        assertTrue(error <= bound, () -> mode + " norm2 n=" + n + ": " + result + " vs " + norm);
      }
    }
  }

  /**
   * Inputs that push the float lanes of the vector modes: equal elements (every rounding of a chain
   * errs the same way), elements near 2^57 (the lanes overflow in some blocks only), sums near the
   * 2^-64 where a block is summed again scaled, one huge element among ordinary ones, subnormals
   * with normal elements, and mixed magnitudes; each within the documented bounds.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void sumOfSquaresAndNormHoldTheirBoundsOnAdversarialInputs(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    SplittableRandom r = new SplittableRandom(28);
    for (int n : new int[] {4 * L + 3, 4096, BLOCK, 3 * BLOCK + 2 * L + 5}) {
      List<float[]> inputs = new ArrayList<>();
      float[] equal = new float[n];
      Arrays.fill(equal, 1 + 0x1p-12f); // square 1 + 2^-11 + 2^-24: each float addition rounds
      inputs.add(equal);
      float[] ones = new float[n];
      Arrays.fill(ones, 0.75f + 0x1p-23f);
      inputs.add(ones);
      float[] nearOverflow = new float[n];
      float[] nearLow = new float[n];
      float[] oneHuge = new float[n];
      float[] subnormalAndNormal = new float[n];
      float[] mixed = new float[n];
      for (int i = 0; i < n; i++) {
        double sign = r.nextBoolean() ? 1 : -1;
        // blocks alternate: elements of 2^58 overflow the float lanes, those of 2^55 do not
        nearOverflow[i] =
            (float) (sign * (1 + r.nextDouble()) * ((i / BLOCK) % 2 == 0 ? 0x1p58 : 0x1p55));
        // squares of 2^-78 to 2^-72: block sums on both sides of 2^-64, squares still normal
        nearLow[i] = (float) (sign * (1 + r.nextDouble()) * Math.scalb(1.0, -39 - (i / 4096) % 3));
        oneHuge[i] = (float) (sign * r.nextDouble());
        subnormalAndNormal[i] =
            i % 5 == 0
                ? (float) (sign * r.nextDouble() * 0x1p-30)
                : (float) (sign * Float.MIN_VALUE * (1 + r.nextInt(1 << 22)));
        mixed[i] = (float) (sign * (1 + r.nextDouble()) * Math.scalb(1.0, r.nextInt(-60, 60)));
      }
      oneHuge[n / 3] = 3e38f;
      inputs.add(nearOverflow);
      inputs.add(nearLow);
      inputs.add(oneHuge);
      inputs.add(subnormalAndNormal);
      inputs.add(mixed);
      for (int c = 0; c < inputs.size(); c++) {
        float[] a = inputs.get(c);
        BigDecimal s = StatisticsRef.moments(a).sumOfSquares();
        float sumSq = ops.sumOfSquares(a);
        if (s.doubleValue() > Float.MAX_VALUE) {
          assertEquals(Float.POSITIVE_INFINITY, sumSq, "sumOfSquares overflows float");
        } else {
          double sumSqError = StatisticsRef.absoluteError(sumSq, s);
          double sumSqBound = sumOfSquaresBound(mode, n, s.doubleValue());
          int input = c;
          assertTrue(
              sumSqError <= sumSqBound,
              () -> mode + " sumOfSquares input " + input + " n=" + n + ": " + sumSqError);
        }
        BigDecimal norm = StatisticsRef.sqrt(s);
        double normError = StatisticsRef.absoluteError(ops.norm2(a), norm);
        double normBound = normBound(mode, n, norm.doubleValue());
        int input = c;
        assertTrue(
            normError <= normBound,
            () ->
                mode + " norm2 input " + input + " n=" + n + ": " + normError + " > " + normBound);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValuesOfSumsOfSquares(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {1, 5 * L + 3, 2 * BLOCK + 3}) {
      float[] a = TestData.floats(Kind.UNIFORM, n, 26).clone();
      assertEquals(0f, ops.norm2(new float[0]));
      assertEquals(0f, ops.sumOfSquares(new float[0]));
      a[n / 2] = Float.NEGATIVE_INFINITY;
      assertEquals(Float.POSITIVE_INFINITY, ops.norm2(a), "norm2 with -Inf");
      assertEquals(Float.POSITIVE_INFINITY, ops.sumOfSquares(a), "sumOfSquares with -Inf");
      a[n - 1] = Float.NaN;
      assertTrue(Float.isNaN(ops.norm2(a)), "norm2 with NaN and Inf");
      assertTrue(Float.isNaN(ops.sumOfSquares(a)), "sumOfSquares with NaN");
      float[] big = new float[n];
      Arrays.fill(big, 2e19f); // squares 4e38: the float result overflows, as documented
      assertEquals(Float.POSITIVE_INFINITY, ops.sumOfSquares(big), "sumOfSquares overflows");
      assertEquals(2e19 * Math.sqrt(n), ops.norm2(big), 2e19 * Math.sqrt(n) * 0x1p-23, "norm2");
      float[] zeros = new float[n];
      Arrays.fill(zeros, -0.0f);
      assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ops.norm2(zeros)));
    }
  }

  // ---------------------------------------------------------------- mean, variance, deviation

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void meanIsWithinTheSumBoundOverN(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    float[] data = TestData.floats(Kind.WIDE, n, 27);
    float[] a = TestData.padded(data, offset, GUARD);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.mean(a, offset, 0));
      return;
    }
    Moments m = floatMoments("wide27", data);
    BigDecimal mean = m.mean();
    double bound =
        StatisticsRef.floatSumBound(mode, n, m.sum().doubleValue(), m.sumAbs().doubleValue()) / n
            + U * Math.abs(mean.doubleValue());
    double error = StatisticsRef.absoluteError(ops.mean(a, offset, n), mean);
    assertTrue(error <= bound, () -> mode + " mean n=" + n + ": " + error + " > " + bound);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void varianceAndDeviationAreWithinTheirBounds(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    // An offset of 1000 with noise in [-1, 1): kappa is about 1700.
    float[] data =
        TestData.cached(
            List.of("float-offset-1000", n),
            key -> {
              float[] u = TestData.floats(Kind.UNIFORM, n, 28);
              float[] x = new float[n];
              for (int i = 0; i < n; i++) {
                x[i] = 1000f + u[i];
              }
              return x;
            });
    float[] a = TestData.padded(data, offset, GUARD);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.variance(a, offset, 0));
      assertThrows(IllegalArgumentException.class, () -> ops.standardDeviation(a, offset, 0));
      assertThrows(IllegalArgumentException.class, () -> ops.sampleVariance(a, offset, 0));
      return;
    }
    if (n == 1) {
      assertEquals(0f, ops.variance(a, offset, 1));
      assertEquals(0f, ops.standardDeviation(a, offset, 1));
      assertThrows(IllegalArgumentException.class, () -> ops.sampleVariance(a, offset, 1));
      return;
    }
    checkVariance(ops, mode, a, offset, n, floatMoments("offset1000", data));
  }

  /** Checks variance, sampleVariance and standardDeviation against the documented bounds. */
  static void checkVariance(FlynnOps ops, Mode mode, float[] a, int offset, int n, Moments m) {
    BigDecimal m2 = m.squaredDeviations();
    double rho =
        StatisticsRef.varianceBound(
            StatisticsRef.floatK(mode, n), StatisticsRef.floatMeanBeta(mode, n), m.kappaSquared());
    double varianceBound = 0x1p-24 + rho + 0x1p-52; // the 2^-50 of the float form
    BigDecimal variance = m2.divide(BigDecimal.valueOf(n), StatisticsRef.WIDE);
    double e1 = StatisticsRef.relativeError(ops.variance(a, offset, n), variance);
    assertTrue(e1 <= varianceBound, () -> mode + " variance n=" + n + ": " + e1);
    BigDecimal sample = m2.divide(BigDecimal.valueOf(n - 1), StatisticsRef.WIDE);
    double e2 = StatisticsRef.relativeError(ops.sampleVariance(a, offset, n), sample);
    assertTrue(e2 <= varianceBound, () -> mode + " sampleVariance n=" + n + ": " + e2);
    double deviationBound = 0x1p-24 + (rho + 0x1p-52) / 2 + 0x1p-51;
    BigDecimal deviation = variance.sqrt(MathContext.DECIMAL128);
    double e3 = StatisticsRef.relativeError(ops.standardDeviation(a, offset, n), deviation);
    assertTrue(e3 <= deviationBound, () -> mode + " standardDeviation n=" + n + ": " + e3);
  }

  /**
   * 1e8 plus multiples of 8 (the float spacing there): the textbook {@code E[x^2] - E[x]^2} in
   * float is meaningless, the documented bound still holds. Also on a long array (2^22 + 5).
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void varianceSurvivesALargeOffset(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {1001, 3 * BLOCK + 7, (1 << 22) + 5}) {
      float[] a =
          TestData.cached(
              List.of("float-offset-1e8", n),
              key -> {
                SplittableRandom r = new SplittableRandom(29);
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                  x[i] = 1e8f + 8 * r.nextInt(-100, 101);
                }
                return x;
              });
      Moments m = floatMoments("offset1e8", a);
      float naiveSum = 0;
      float naiveSquares = 0;
      for (float x : a) {
        naiveSum += x;
        naiveSquares += x * x;
      }
      float naive = naiveSquares / n - (naiveSum / n) * (naiveSum / n);
      BigDecimal variance = m.squaredDeviations().divide(BigDecimal.valueOf(n), StatisticsRef.WIDE);
      assertTrue(
          StatisticsRef.relativeError(naive, variance) > 0.1,
          "test data: the naive formula should fail here");
      checkVariance(ops, mode, a, 0, n, m);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValuesOfMomentsFollowTheirRules(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {2, 5 * L + 3, 2 * BLOCK + 3}) {
      float[] a = new float[n];
      Arrays.fill(a, 0.5f); // dyadic: the sums are exact, so the deviations are 0
      assertEquals(0f, ops.variance(a), "constant data: exactly 0");
      assertEquals(0.5f, ops.mean(a), "mean of constant data");
      a[n / 2] = Float.POSITIVE_INFINITY;
      assertEquals(Float.POSITIVE_INFINITY, ops.mean(a), "mean with +Inf");
      assertTrue(Float.isNaN(ops.variance(a)), "variance with +Inf is NaN");
      a[n / 2] = Float.NaN;
      assertTrue(Float.isNaN(ops.mean(a)), "mean with NaN");
      assertTrue(Float.isNaN(ops.variance(a)), "variance with NaN");
      assertTrue(Float.isNaN(ops.standardDeviation(a)), "standardDeviation with NaN");
    }
  }

  // ---------------------------------------------------------------- count

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void countIsExact(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    float[] data = TestData.floats(Kind.DYADIC_DOT, n, 30).clone(); // many ties with thresholds
    for (int i = 0; i < n; i += 7) {
      data[i] = i % 2 == 0 ? Float.NaN : -0.0f;
    }
    float[] a = TestData.padded(data, offset, GUARD);
    float[] thresholds = {0.5f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, -0.9375f};
    for (Comparison c : Comparison.values()) {
      for (float t : thresholds) {
        long expected = 0;
        for (float x : data) {
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
    assertEquals(n, ops.count(data, Comparison.NOT_EQUAL, Float.NaN), "whole array, NaN");
  }
}
