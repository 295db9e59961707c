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
 * {@code prefixSum} over floats in every mode: the documented bound against exact prefixes on
 * uniform and adversarial data, special values, in-place use, the same bits for every thread count,
 * and bad arguments rejected before any write.
 */
class FloatScanTest {

  /** The float kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("prefixSum");

  private static final int L = TestData.FLOAT_LANES;
  private static final int LOG2_L = Integer.numberOfTrailingZeros(L);
  private static final float GUARD = -7.25f;

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
   * The bound of {@link FlynnOps#prefixSum(float[], int, float[], int, int)} at index {@code i}:
   * scalar modes {@code 2^-24 |P_i| + (min(i + 1, 16384) + i / 16384 + 2) 2^-53 S_i}, vector modes
   * {@code (log2(L) + 3) 2^-24 S_i}.
   */
  static double bound(Mode mode, int i, double exact, double sumAbs) {
    double b;
    if (TestData.vectorClass(mode)) {
      b = (LOG2_L + 3) * 0x1p-24 * sumAbs;
    } else {
      b = 0x1p-24 * Math.abs(exact) + (Math.min(i + 1, BLOCK) + i / BLOCK + 2) * 0x1p-53 * sumAbs;
    }
    return b * (1 + 0x1p-40); // the bound itself is computed in double
  }

  /**
   * Exact prefixes of the uniform data in double: values are multiples of 2^-23 below 1, so every
   * prefix of up to 2^30 of them is a double; TwoSum's error term certifies each step.
   */
  private static double[] exactUniformPrefixes(float[] data) {
    return TestData.cached(
        List.of("float-uniform-prefixes", data.length),
        k -> {
          double[] p = new double[data.length];
          double run = 0;
          for (int i = 0; i < data.length; i++) {
            double next = run + data[i];
            double virtual = next - run;
            double error = (run - (next - virtual)) + (data[i] - virtual);
            assertEquals(0.0, error, "test data: the double prefix must be exact");
            run = next;
            p[i] = run;
          }
          return p;
        });
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void prefixSumOfUniformDataIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    float[] data = TestData.floats(Kind.UNIFORM, n, 21);
    double[] exact = exactUniformPrefixes(data);
    float[] a = TestData.padded(data, offset, GUARD);
    float[] out = TestData.padded(new float[n], offset + 2, GUARD);
    flynn.using(mode).prefixSum(a, offset, out, offset + 2, n);
    double sumAbs = 0;
    for (int i = 0; i < n; i++) {
      sumAbs += Math.abs(data[i]); // exact, as the prefixes
      double err = Math.abs(out[offset + 2 + i] - exact[i]);
      double bound = bound(mode, i, exact[i], sumAbs);
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
                + exact[i]
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
    double[] values = ScanReference.adversarial(kind, n, 22, true);
    // Exact prefixes in BigDecimal, once per kind, kept as hi + lo: hi the nearest double, lo the
    // residual rounded once (a relative error of 2^-53 on the residual, far below any bound).
    double[][] exact =
        TestData.cached(
            List.of("float-adversarial", kind),
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
    float[] a = new float[n + 1];
    for (int i = 0; i < n; i++) {
      a[i + 1] = (float) values[i];
    }
    float[] out = new float[n];
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
    float[] clean = TestData.floats(Kind.UNIFORM, n, 23);
    float[] expected = new float[n];
    ops.prefixSum(clean, expected);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (float special : specials) {
      float[] a = clean.clone();
      a[position] = special;
      float[] out = new float[n];
      ops.prefixSum(a, out);
      for (int i = 0; i < position; i++) {
        assertBits(expected[i], out[i], mode + " before " + special + " at " + i);
      }
      for (int i = position; i < n; i++) {
        assertBits(special, out[i], mode + " from " + special + " on, at " + i);
      }
    }
    if (position + 1 < n) {
      float[] a = clean.clone();
      a[position] = Float.POSITIVE_INFINITY;
      a[n - 1] = Float.NEGATIVE_INFINITY;
      float[] out = new float[n];
      ops.prefixSum(a, out);
      assertBits(Float.POSITIVE_INFINITY, out[n - 2], mode + " +Inf before -Inf");
      assertTrue(Float.isNaN(out[n - 1]), mode + " +Inf + -Inf is NaN");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void signedZerosAndSubnormalsAreExact(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {3, 4 * L + 1, 3 * BLOCK + 7}) {
      float[] zeros = new float[n];
      Arrays.fill(zeros, -0.0f);
      float[] out = new float[n];
      ops.prefixSum(zeros, out);
      for (int i = 0; i < n; i++) {
        assertBits(0.0f, out[i], mode + " a prefix of -0.0 is +0.0");
      }
      float[] tiny = new float[n];
      for (int i = 0; i < n; i++) {
        tiny[i] = (i % 3 - 1) * Float.MIN_VALUE;
      }
      ops.prefixSum(tiny, out);
      long run = 0;
      for (int i = 0; i < n; i++) {
        run += i % 3 - 1; // subnormal sums are exact
        assertEquals(run * Float.MIN_VALUE, out[i], 0.0, mode + " subnormal prefix at " + i);
      }
    }
  }

  // ---------------------------------------------------------------- in place and whole arrays

  @ParameterizedTest
  @EnumSource(Mode.class)
  void inPlaceGivesTheSameBitsAsOutOfPlace(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {0, 1, L + 1, 1001, SEVERAL_BLOCKS, TestData.LARGE}) {
      float[] data = TestData.floats(Kind.WIDE, n, 24);
      float[] out = new float[n];
      ops.prefixSum(data, out);
      float[] inPlace = TestData.padded(data, 3, GUARD);
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
    float[] a = TestData.floats(Kind.WIDE, n, 25);
    List<Flynn> engines = new ArrayList<>();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        engines.add(Flynn.builder().threads(threads).build());
      }
      Map<String, float[]> scalar = new LinkedHashMap<>();
      Map<String, float[]> vector = new LinkedHashMap<>();
      for (Flynn engine : engines) {
        for (Mode mode : Mode.values()) {
          float[] out = new float[n];
          engine.using(mode).prefixSum(a, out);
          boolean vectorMode = mode == Mode.SIMD || mode == Mode.SIMD_MIMD || mode == Mode.AUTO;
          (vectorMode ? vector : scalar).put(mode + "/" + engine.threads(), out);
        }
      }
      for (Map<String, float[]> group : List.of(scalar, vector)) {
        float[] first = group.values().iterator().next();
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
    float[] a = new float[10];
    float[] out = new float[10];
    Arrays.fill(out, GUARD);
    float[] copy = out.clone();
    assertMessage(assertThrows(NullPointerException.class, () -> ops.prefixSum(null, out)), "a");
    assertMessage(assertThrows(NullPointerException.class, () -> ops.prefixSum(a, null)), "out");
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> ops.prefixSum(a, new float[9])),
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
    float[] out = {GUARD};
    for (Mode mode : Mode.values()) {
      flynn.using(mode).prefixSum(new float[0], 0, out, 1, 0);
      flynn.using(mode).prefixSum(new float[0], new float[0]);
    }
    assertBits(GUARD, out[0], "untouched");
  }

  private static void assertMessage(RuntimeException e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
    }
  }

  private static void assertGuards(float[] out, int offset, int n) {
    for (int i = 0; i < out.length; i++) {
      if (i < offset || i >= offset + n) {
        assertBits(GUARD, out[i], "guard at " + i);
      }
    }
  }

  private static void assertBits(float expected, float actual, String what) {
    assertEquals(
        Float.floatToRawIntBits(expected),
        Float.floatToRawIntBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }
}
