package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.Ref.ExactSum;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sum and dot bounds of {@link FlynnOps}, stated per 16384-element block plus the depth of the
 * combine tree, checked on adversarial data against exact sums: cancellation (large +x/-x pairs
 * among small values, the result far below sum|a_i|), a wide dynamic range, subnormals, and long
 * arrays of positive values (2^22 + 5 elements), where a bound linear in n would be 256 times
 * weaker than the stated one.
 */
class SumAccuracyTest {

  private static final double U = StatisticsRef.U;
  private static final int LONG = (1 << 22) + 5;

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  enum Data {
    CANCELLATION,
    WIDE_RANGE,
    SUBNORMALS,
    POSITIVE
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Data data : Data.values()) {
        for (int n : new int[] {1001, 3 * BLOCK + 7, LONG}) {
          all.add(Arguments.of(mode, data, n));
        }
      }
    }
    return all.stream();
  }

  /**
   * Adversarial float data: CANCELLATION puts pairs +x, -x (x up to 2^40) at random positions, in
   * different blocks, among values in [-1, 1); WIDE_RANGE draws exponents in [-60, 60]; SUBNORMALS
   * mixes subnormals with values near 2^-120; POSITIVE is uniform in (0, 1).
   */
  static float[] floats(Data data, int n, long seed) {
    return TestData.cached(
        List.of("sum-accuracy-float", data, n, seed),
        key -> {
          SplittableRandom r = new SplittableRandom(seed);
          float[] a = new float[n];
          for (int i = 0; i < n; i++) {
            float sign = r.nextBoolean() ? 1 : -1;
            a[i] =
                switch (data) {
                  case CANCELLATION, POSITIVE -> (float) r.nextDouble();
                  case WIDE_RANGE ->
                      sign * Math.scalb((float) (0.5 + r.nextDouble()), r.nextInt(-60, 61));
                  case SUBNORMALS ->
                      i % 4 == 0
                          ? sign * Math.scalb((float) (0.5 + r.nextDouble()), -120)
                          : sign * Float.MIN_VALUE * r.nextInt(1, 1 << 22);
                };
            if (data == Data.CANCELLATION) {
              a[i] = a[i] * 2 - 1;
            }
          }
          if (data == Data.CANCELLATION) {
            for (int p = 0; p < n / 50; p++) {
              float big = Math.scalb((float) (0.5 + r.nextDouble()), r.nextInt(10, 41));
              a[r.nextInt(n)] = big;
              a[r.nextInt(n)] = -big;
            }
          }
          return a;
        });
  }

  static double[] doubles(Data data, int n, long seed) {
    return TestData.cached(
        List.of("sum-accuracy-double", data, n, seed),
        key -> {
          SplittableRandom r = new SplittableRandom(seed);
          double[] a = new double[n];
          for (int i = 0; i < n; i++) {
            double sign = r.nextBoolean() ? 1 : -1;
            a[i] =
                switch (data) {
                  case CANCELLATION -> r.nextDouble() * 2 - 1;
                  case POSITIVE -> r.nextDouble();
                  case WIDE_RANGE -> sign * Math.scalb(0.5 + r.nextDouble(), r.nextInt(-400, 401));
                  case SUBNORMALS ->
                      i % 4 == 0
                          ? sign * Math.scalb(0.5 + r.nextDouble(), -1000)
                          : sign * Double.MIN_VALUE * r.nextLong(1, 1L << 50);
                };
          }
          if (data == Data.CANCELLATION) {
            for (int p = 0; p < n / 50; p++) {
              double big = Math.scalb(0.5 + r.nextDouble(), r.nextInt(20, 200));
              a[r.nextInt(n)] = big;
              a[r.nextInt(n)] = -big;
            }
          }
          return a;
        });
  }

  /** Powers of two of random sign, so that products with subnormals stay exact in the reference. */
  static double[] signs(int n, long seed) {
    return TestData.cached(
        List.of("sum-accuracy-signs", n, seed),
        key -> {
          SplittableRandom r = new SplittableRandom(seed);
          double[] a = new double[n];
          for (int i = 0; i < n; i++) {
            a[i] = (r.nextBoolean() ? 1 : -1) * (r.nextBoolean() ? 1 : 2);
          }
          return a;
        });
  }

  private static int depth(int n) {
    return TestData.treeDepth(n);
  }

  @ParameterizedTest(name = "{0} {1} n={2}")
  @MethodSource("cases")
  void floatSumAndDotAreWithinTheirBlockBounds(Mode mode, Data data, int n) {
    FlynnOps ops = flynn.using(mode);
    float[] a = floats(data, n, 51);
    float[] b = floats(Data.CANCELLATION, n, 52);
    ExactSum sum = new ExactSum();
    ExactSum dot = new ExactSum();
    double sumAbs = 0;
    double dotAbs = 0;
    for (int i = 0; i < n; i++) {
      double product = (double) a[i] * b[i]; // exact in double
      sum.add(a[i]);
      dot.add(product);
      sumAbs += Math.abs(a[i]);
      dotAbs += Math.abs(product);
    }
    // The reference magnitudes get a relative margin of n * 2^-53 for their own rounding.
    sumAbs *= 1 + n * U;
    dotAbs *= 1 + n * U;
    BigDecimal exactSum = sum.value();
    BigDecimal exactDot = dot.value();
    int m = Math.min(n, BLOCK);
    int d = depth(n);
    int lanes = TestData.FLOAT_LANES;
    boolean vector = TestData.vectorClass(mode);
    double sumBound = StatisticsRef.floatSumBound(mode, n, exactSum.doubleValue(), sumAbs);
    double dotBound =
        vector
            ? (m / (8.0 * lanes) + 11) * 0x1p-24 * dotAbs + d * U * dotAbs
            : 0x1p-24 * Math.abs(exactDot.doubleValue()) + (m + d + 1) * U * dotAbs;
    double sumError = Ref.absError(ops.sum(a), exactSum);
    double dotError = Ref.absError(ops.dot(a, b), exactDot);
    assertTrue(sumError <= sumBound, () -> mode + " sum: " + sumError + " > " + sumBound);
    assertTrue(dotError <= dotBound, () -> mode + " dot: " + dotError + " > " + dotBound);
    if (n == LONG && vector) {
      // The point of the block form: a bound linear in n is far weaker at this length. (In the
      // scalar modes the final rounding to float, 2^-24 |s|, dominates either way.)
      double linear = (n / (4.0 * lanes)) * 0x1p-24 * sumAbs;
      assertTrue(sumBound < linear / 100, "the block bound is not the linear one");
    }
  }

  @ParameterizedTest(name = "{0} {1} n={2}")
  @MethodSource("cases")
  void doubleSumAndDotAreWithinTheirBlockBounds(Mode mode, Data data, int n) {
    FlynnOps ops = flynn.using(mode);
    double[] a = doubles(data, n, 53);
    double[] b = signs(n, 54);
    ExactSum sum = new ExactSum();
    ExactSum dot = new ExactSum();
    double sumAbs = 0;
    for (int i = 0; i < n; i++) {
      sum.add(a[i]);
      dot.add(a[i] * b[i]); // a power of two times a double: exact, subnormals included
      sumAbs += Math.abs(a[i]);
    }
    sumAbs *= 1 + n * U;
    double dotAbs = 0;
    for (int i = 0; i < n; i++) {
      dotAbs += Math.abs(a[i] * b[i]);
    }
    dotAbs *= 1 + n * U;
    BigDecimal exactSum = sum.value();
    BigDecimal exactDot = dot.value();
    int m = Math.min(n, BLOCK);
    int d = depth(n);
    int lanes = TestData.DOUBLE_LANES;
    boolean vector = TestData.vectorClass(mode);
    double sumBound = StatisticsRef.doubleSumBound(mode, n, sumAbs);
    double dotBound =
        vector ? (m / (8.0 * lanes) + lanes + d + 11) * U * dotAbs : (m + d + 2) * U * dotAbs;
    double sumError = Ref.absError(ops.sum(a), exactSum);
    double dotError = Ref.absError(ops.dot(a, b), exactDot);
    assertTrue(sumError <= sumBound, () -> mode + " sum: " + sumError + " > " + sumBound);
    assertTrue(dotError <= dotBound, () -> mode + " dot: " + dotError + " > " + dotBound);
    if (n == LONG) {
      double linear = vector ? (n / (4.0 * lanes)) * U * sumAbs : n * U * sumAbs;
      assertTrue(sumBound < linear / 100, "the block bound is not the linear one");
    }
  }
}
