package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.engine.ScanReference.Adversarial;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code prefixSum} over doubles in every mode: the documented bound against exact prefixes on
 * uniform and adversarial data, special values, in-place use, the same bits for every thread count,
 * and bad arguments rejected before any write.
 */
class DoubleScanTest {

  /** The double kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("prefixSum");

  private static final int L = TestData.DOUBLE_LANES;
  private static final int LOG2_L = Integer.numberOfTrailingZeros(L);
  private static final double GUARD = -7.25;

  /** More than four blocks with an odd tail. */
  private static final int SEVERAL_BLOCKS = (1 << 16) + 5;

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

  /**
   * The bound of {@link FlynnOps#prefixSum(double[], int, double[], int, int)} at index {@code i},
   * {@code u = 2^-53}: scalar modes {@code (min(i + 1, 16384) + i / 16384 + 2) u S_i}, vector modes
   * {@code (log2(L) + min(i + 1, 16384) / L + i / 16384 + 3) u S_i}.
   */
  static double bound(Mode mode, int i, double exact, double sumAbs) {
    double b;
    if (TestData.vectorClass(mode)) {
      b = (LOG2_L + Math.min(i + 1, BLOCK) / (double) L + i / BLOCK + 3) * 0x1p-53 * sumAbs;
    } else {
      b = (Math.min(i + 1, BLOCK) + i / BLOCK + 2) * 0x1p-53 * sumAbs;
    }
    return b * (1 + 0x1p-40); // the bound itself is computed in double
  }

  /**
   * Exact prefixes of the uniform data as unevaluated double-double sums {@code hi + lo}: values
   * are multiples of 2^-52 below 1, so a prefix of up to 2^21 of them has at most 74 significant
   * bits; TwoSum keeps {@code hi + lo} exact, and a zero error term certifies the one rounding
   * left.
   */
  private static double[][] exactUniformPrefixes(double[] data) {
    return TestData.cached(
        List.of("double-uniform-prefixes", data.length),
        k -> {
          double[] his = new double[data.length];
          double[] los = new double[data.length];
          double hi = 0;
          double lo = 0;
          for (int i = 0; i < data.length; i++) {
            double s = hi + data[i];
            double v = s - hi;
            double e = (hi - (s - v)) + (data[i] - v);
            double l = lo + e;
            double lv = l - lo;
            assertEquals(0.0, (lo - (l - lv)) + (e - lv), "test data: lo + e must be exact");
            hi = s + l; // renormalise: hi takes what it can, lo the exact rest
            lo = l - (hi - s);
            assertEquals(s + l, hi);
            his[i] = hi;
            los[i] = lo;
          }
          return new double[][] {his, los};
        });
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void prefixSumOfUniformDataIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    double[] data = TestData.doubles(Kind.UNIFORM, n, 21);
    double[][] exact = exactUniformPrefixes(data);
    double[] a = TestData.padded(data, offset, GUARD);
    double[] out = TestData.padded(new double[n], offset + 2, GUARD);
    flynn.using(mode).prefixSum(a, offset, out, offset + 2, n);
    double sumAbs = 0;
    for (int i = 0; i < n; i++) {
      sumAbs += Math.abs(data[i]);
      double hi = exact[0][i];
      double lo = exact[1][i];
      // out - hi is exact near hi (Sterbenz); far off, its rounding is far below the bound.
      double err = Math.abs((out[offset + 2 + i] - hi) - lo);
      double bound = bound(mode, i, hi, sumAbs);
      if (!(err <= bound)) {
        fail(
            mode
                + " n="
                + n
                + " i="
                + i
                + ": "
                + out[offset + 2 + i]
                + " against "
                + hi
                + " + "
                + lo
                + ", error "
                + err
                + " over the bound "
                + bound);
      }
    }
    assertGuards(out, offset + 2, n);
    assertArrayEquals(TestData.padded(data, offset, GUARD), a, "the input is unchanged");
  }

  // ---------------------------------------------------------------- adversarial data

  static Stream<Arguments> adversarialCases() {
    List<Arguments> all = new ArrayList<>();
    for (Adversarial kind : Adversarial.values()) {
      for (Mode mode : Mode.values()) {
        all.add(Arguments.of(kind, mode));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adversarialCases")
  void prefixSumOfAdversarialDataIsWithinTheBoundAgainstBigDecimal(Adversarial kind, Mode mode) {
    int n = SEVERAL_BLOCKS;
    double[] values = ScanReference.adversarial(kind, n, 22, false);
    // Exact prefixes in BigDecimal, once per kind, kept as hi + lo: hi the nearest double, lo the
    // residual rounded once (a relative error of 2^-53 on the residual, far below any bound).
    double[][] exact =
        TestData.cached(
            List.of("double-adversarial", kind),
            k -> {
              BigDecimal[] big = ScanReference.exactPrefixes(values);
              double[] his = new double[n];
              double[] los = new double[n];
              for (int i = 0; i < n; i++) {
                his[i] = big[i].doubleValue();
                los[i] = big[i].subtract(new BigDecimal(his[i])).doubleValue();
              }
              return new double[][] {his, los};
            });
    double[] sumAbs = ScanReference.absolutePrefixes(values);
    double[] a = new double[n + 1];
    for (int i = 0; i < n; i++) {
      a[i + 1] = values[i];
    }
    double[] out = new double[n];
    flynn.using(mode).prefixSum(a, 1, out, 0, n);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double err = Math.abs((out[i] - exact[0][i]) - exact[1][i]);
      double bound = bound(mode, i, exact[0][i], sumAbs[i]);
      if (!(err <= bound)) {
        fail(
            mode
                + " "
                + kind
                + " i="
                + i
                + ": "
                + out[i]
                + " against "
                + exact[0][i]
                + ", error "
                + err
                + " over the bound "
                + bound);
      }
      if (sumAbs[i] > 0) {
        worst = Math.max(worst, err / sumAbs[i]);
      }
    }
    assertTrue(worst < 1, "sanity");
  }

  // ---------------------------------------------------------------- special values

  /** Positions in the first vector, at lane and block edges, in later blocks and in the tail. */
  static Stream<Arguments> positions() {
    int n = 3 * BLOCK + 4 * L + 3;
    int[] at = {
      0, 1, L - 1, L, 2 * L + 1, BLOCK - 1, BLOCK, BLOCK + L - 1, 2 * BLOCK + 5, n - 2, n - 1
    };
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int p : at) {
        all.add(Arguments.of(mode, n, p));
      }
      all.add(Arguments.of(mode, L + 3, L + 1)); // one vector and a tail
      all.add(Arguments.of(mode, 3, 1)); // tail only
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} n={1} at {2}")
  @MethodSource("positions")
  void nanAndInfinitiesPropagateFromTheirIndexOn(Mode mode, int n, int position) {
    FlynnOps ops = flynn.using(mode);
    double[] clean = TestData.doubles(Kind.UNIFORM, n, 23);
    double[] expected = new double[n];
    ops.prefixSum(clean, expected);
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (double special : specials) {
      double[] a = clean.clone();
      a[position] = special;
      double[] out = new double[n];
      ops.prefixSum(a, out);
      for (int i = 0; i < position; i++) {
        assertBits(expected[i], out[i], mode + " before " + special + " at " + i);
      }
      for (int i = position; i < n; i++) {
        assertBits(special, out[i], mode + " from " + special + " on, at " + i);
      }
    }
    if (position + 1 < n) {
      double[] a = clean.clone();
      a[position] = Double.POSITIVE_INFINITY;
      a[n - 1] = Double.NEGATIVE_INFINITY;
      double[] out = new double[n];
      ops.prefixSum(a, out);
      assertBits(Double.POSITIVE_INFINITY, out[n - 2], mode + " +Inf before -Inf");
      assertTrue(Double.isNaN(out[n - 1]), mode + " +Inf + -Inf is NaN");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void signedZerosAndSubnormalsAreExact(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {3, 4 * L + 1, 3 * BLOCK + 7}) {
      double[] zeros = new double[n];
      Arrays.fill(zeros, -0.0);
      double[] out = new double[n];
      ops.prefixSum(zeros, out);
      for (int i = 0; i < n; i++) {
        assertBits(0.0, out[i], mode + " a prefix of -0.0 is +0.0");
      }
      double[] tiny = new double[n];
      for (int i = 0; i < n; i++) {
        tiny[i] = (i % 3 - 1) * Double.MIN_VALUE;
      }
      ops.prefixSum(tiny, out);
      long run = 0;
      for (int i = 0; i < n; i++) {
        run += i % 3 - 1; // subnormal sums are exact
        assertEquals(run * Double.MIN_VALUE, out[i], 0.0, mode + " subnormal prefix at " + i);
      }
    }
  }

  // ---------------------------------------------------------------- in place and whole arrays

  @ParameterizedTest
  @EnumSource(Mode.class)
  void inPlaceGivesTheSameBitsAsOutOfPlace(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {0, 1, L + 1, 1001, SEVERAL_BLOCKS, TestData.LARGE}) {
      double[] data = TestData.doubles(Kind.WIDE, n, 24);
      double[] out = new double[n];
      ops.prefixSum(data, out);
      double[] inPlace = TestData.padded(data, 3, GUARD);
      ops.prefixSum(inPlace, 3, inPlace, 3, n);
      for (int i = 0; i < n; i++) {
        assertBits(out[i], inPlace[3 + i], mode + " n=" + n + " at " + i);
      }
      assertGuards(inPlace, 3, n);
    }
  }

  // ---------------------------------------------------------------- determinism

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {BLOCK + 1, 5 * BLOCK + 1, (1 << 21) + 5})
  void everyModeOfAClassGivesTheSameBitsForEveryThreadCount(int n) {
    double[] a = TestData.doubles(Kind.WIDE, n, 25);
    List<Flynn> engines = new ArrayList<>();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        engines.add(Flynn.builder().threads(threads).build());
      }
      Map<String, double[]> scalar = new LinkedHashMap<>();
      Map<String, double[]> vector = new LinkedHashMap<>();
      for (Flynn engine : engines) {
        for (Mode mode : Mode.values()) {
          double[] out = new double[n];
          engine.using(mode).prefixSum(a, out);
          boolean vectorMode = mode == Mode.SIMD || mode == Mode.SIMD_MIMD || mode == Mode.AUTO;
          (vectorMode ? vector : scalar).put(mode + "/" + engine.threads(), out);
        }
      }
      for (Map<String, double[]> group : List.of(scalar, vector)) {
        double[] first = group.values().iterator().next();
        group.forEach(
            (key, out) -> {
              for (int i = 0; i < n; i++) {
                assertBits(first[i], out[i], key + " against " + group.keySet() + " at " + i);
              }
            });
      }
    } finally {
      engines.forEach(Flynn::close);
    }
  }

  // ---------------------------------------------------------------- bad input

  @ParameterizedTest
  @EnumSource(Mode.class)
  void badArgumentsThrowBeforeAnyWrite(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    double[] a = new double[10];
    double[] out = new double[10];
    Arrays.fill(out, GUARD);
    double[] copy = out.clone();
    assertMessage(assertThrows(NullPointerException.class, () -> ops.prefixSum(null, out)), "a");
    assertMessage(assertThrows(NullPointerException.class, () -> ops.prefixSum(a, null)), "out");
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> ops.prefixSum(a, new double[9])),
        "a.length=10",
        "out.length=9");
    assertMessage(
        assertThrows(IndexOutOfBoundsException.class, () -> ops.prefixSum(a, 0, out, 5, 6)),
        "out",
        "offset 5",
        "length 6");
    assertMessage(
        assertThrows(IndexOutOfBoundsException.class, () -> ops.prefixSum(a, -1, out, 0, 3)),
        "a",
        "offset -1");
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> ops.prefixSum(a, 0, out, 0, -1)),
        "negative");
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> ops.prefixSum(out, 0, out, 1, 5)),
        "overlaps");
    assertArrayEquals(copy, out, "nothing written");
  }

  @Test
  void emptyRangesWriteNothing() {
    double[] out = {GUARD};
    for (Mode mode : Mode.values()) {
      flynn.using(mode).prefixSum(new double[0], 0, out, 1, 0);
      flynn.using(mode).prefixSum(new double[0], new double[0]);
    }
    assertBits(GUARD, out[0], "untouched");
  }

  private static void assertMessage(RuntimeException e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
    }
  }

  private static void assertGuards(double[] out, int offset, int n) {
    for (int i = 0; i < out.length; i++) {
      if (i < offset || i >= offset + n) {
        assertBits(GUARD, out[i], "guard at " + i);
      }
    }
  }

  private static void assertBits(double expected, double actual, String what) {
    assertEquals(
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }
}
