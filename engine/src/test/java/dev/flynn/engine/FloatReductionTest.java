package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static dev.flynn.engine.TestData.FLOAT_LANES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.Ref.ExactSum;
import dev.flynn.engine.TestData.Kind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

/** sum, dot, min and max over floats, in every mode, against exact references. */
class FloatReductionTest {

  /** The float kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("sum", "dot", "min", "max");

  private static final int L = FLOAT_LANES;
  private static final float GUARD = Float.NaN;

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
    float[] data = TestData.floats(Kind.DYADIC_SUM, n, 1);
    double exact = 0;
    for (float x : data) {
      exact += x; // every partial sum is k/256 with |k| < 2^30: exact in double
    }
    assertEquals(exact, (float) exact, 0.0, "test data: the exact sum must be a float");
    float[] a = TestData.padded(data, offset, GUARD);
    float r = flynn.using(mode).sum(a, offset, n);
    assertBits((float) exact, r, mode + " sum n=" + n);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void dotOfDyadicDataIsExact(Mode mode, int n, int offset) {
    float[] x = TestData.floats(Kind.DYADIC_DOT, n, 3);
    float[] y = TestData.floats(Kind.DYADIC_DOT, n, 4);
    double exact = 0;
    for (int i = 0; i < n; i++) {
      exact += (double) x[i] * y[i]; // k/256, |k| <= 225 per product: exact in double
    }
    assertEquals(exact, (float) exact, 0.0, "test data: the exact dot must be a float");
    float[] a = TestData.padded(x, offset, GUARD);
    float[] b = TestData.padded(y, offset + 2, GUARD);
    float r = flynn.using(mode).dot(a, offset, b, offset + 2, n);
    assertBits((float) exact, r, mode + " dot n=" + n);
  }

  // ---------------------------------------------------------------- documented bounds

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void sumOfUniformDataIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    float[] data = TestData.floats(Kind.UNIFORM, n, 5);
    BigDecimal exact =
        TestData.cached(
            List.of("float-exact-sum", n),
            k -> {
              ExactSum s = new ExactSum();
              for (float x : data) {
                s.add(x);
              }
              return s.value();
            });
    double sumAbs = 0;
    for (float x : data) {
      sumAbs += Math.abs(x);
    }
    float[] a = TestData.padded(data, offset, GUARD);
    float r = flynn.using(mode).sum(a, offset, n);
    double bound = sumBound(mode, n, exact.doubleValue(), sumAbs, 4, 6);
    double err = Ref.absError(r, exact);
    assertTrue(
        err <= bound,
        () -> mode + " sum n=" + n + ": error " + err + " exceeds the bound " + bound);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void dotOfUniformDataIsWithinTheDocumentedBound(Mode mode, int n, int offset) {
    float[] x = TestData.floats(Kind.UNIFORM, n, 6);
    float[] y = TestData.floats(Kind.UNIFORM, n, 7);
    BigDecimal exact =
        TestData.cached(
            List.of("float-exact-dot", n),
            k -> {
              ExactSum s = new ExactSum();
              for (int i = 0; i < n; i++) {
                s.add((double) x[i] * y[i]); // float products are exact in double
              }
              return s.value();
            });
    double sumAbs = 0;
    for (int i = 0; i < n; i++) {
      sumAbs += Math.abs((double) x[i] * y[i]);
    }
    float[] a = TestData.padded(x, offset, GUARD);
    float[] b = TestData.padded(y, offset + 1, GUARD);
    float r = flynn.using(mode).dot(a, offset, b, offset + 1, n);
    double bound = sumBound(mode, n, exact.doubleValue(), sumAbs, 8, 11);
    double err = Ref.absError(r, exact);
    assertTrue(
        err <= bound,
        () -> mode + " dot n=" + n + ": error " + err + " exceeds the bound " + bound);
  }

  /**
   * From {@link Blocks.FloatReduction#STREAMING_LENGTH} elements the vector modes run the streaming
   * dot (chains of at most 256 bits): still within the documented bound, with {@code L_s = min(L,
   * 8)} lanes, the same bits in SIMD, SIMD_MIMD and AUTO, and the same bits over a native segment
   * as over the array.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void dotFromTheStreamingLengthIsWithinItsBoundInEveryMode(Mode mode) {
    int n = Blocks.FloatReduction.STREAMING_LENGTH + 13;
    float[] x = TestData.floats(Kind.UNIFORM, n, 31);
    float[] y = TestData.floats(Kind.UNIFORM, n, 32);
    double[] reference =
        TestData.cached(
            List.of("float-streaming-dot", n),
            k -> {
              double dot = 0;
              double sumAbs = 0;
              for (int i = 0; i < n; i++) {
                double p = (double) x[i] * y[i]; // exact in double
                dot += p;
                sumAbs += Math.abs(p);
              }
              return new double[] {dot, sumAbs};
            });
    double sumAbs = reference[1];
    // the naive double reference is itself off by at most n 2^-53 sum|x_i y_i|
    double referenceError = n * 0x1p-53 * sumAbs;
    int depth = TestData.treeDepth(n);
    double bound =
        TestData.vectorClass(mode)
            ? (BLOCK / (8.0 * Math.min(L, 8)) + 11) * 0x1p-24 * sumAbs + depth * 0x1p-53 * sumAbs
            : 0x1p-24 * Math.abs(reference[0]) + (BLOCK + depth + 1) * 0x1p-53 * sumAbs;
    float r = flynn.using(mode).dot(x, y);
    double err = Math.abs(r - reference[0]);
    assertTrue(
        err <= bound + referenceError,
        () -> mode + " dot n=" + n + ": error " + err + " exceeds the bound " + bound);
    Mode same = TestData.vectorClass(mode) ? Mode.SIMD : Mode.SISD;
    assertBits(flynn.using(same).dot(x, y), r, mode + " against " + same);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment a = arena.allocate((long) n * Float.BYTES, 64);
      MemorySegment b = arena.allocate((long) n * Float.BYTES, 64);
      MemorySegment.copy(x, 0, a, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, n);
      MemorySegment.copy(y, 0, b, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, n);
      assertBits(r, flynn.using(mode).floatSegments().dot(a, b), mode + " segment against array");
    }
  }

  /**
   * The bounds of {@link FlynnOps#sum(float[])} and {@link FlynnOps#dot(float[], float[])}: scalar
   * modes {@code 2^-24 |s| + n 2^-53 sum|x|}; vector modes {@code (min(n, 16384) / (chains * L) +
   * c) 2^-24 sum|x|}: 4 chains and c = 6 for sum, 8 chains and c = 11 for dot.
   */
  private static double sumBound(Mode mode, int n, double s, double sumAbs, int chains, int c) {
    if (TestData.vectorClass(mode)) {
      return (Math.min(n, BLOCK) / ((double) chains * L) + c) * 0x1p-24 * sumAbs;
    }
    return 0x1p-24 * Math.abs(s) + n * 0x1p-53 * sumAbs;
  }

  // ---------------------------------------------------------------- min and max

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void minIsTheExactLeastElement(Mode mode, int n, int offset) {
    float[] data = TestData.floats(Kind.UNIFORM, n, 8);
    float[] a = TestData.padded(data, offset, GUARD);
    FlynnOps ops = flynn.using(mode);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.min(a, offset, 0));
      return;
    }
    float expected = data[0];
    for (float x : data) {
      expected = Math.min(expected, x);
    }
    assertBits(expected, ops.min(a, offset, n), mode + " min n=" + n);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void maxIsTheExactGreatestElement(Mode mode, int n, int offset) {
    float[] data = TestData.floats(Kind.UNIFORM, n, 9);
    float[] a = TestData.padded(data, offset, GUARD);
    FlynnOps ops = flynn.using(mode);
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> ops.max(a, offset, 0));
      return;
    }
    float expected = data[0];
    for (float x : data) {
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
      float[] s = TestData.floats(Kind.DYADIC_SUM, n, 10).clone();
      float[] x = TestData.floats(Kind.DYADIC_DOT, n, 11).clone();
      float[] y = TestData.floats(Kind.DYADIC_DOT, n, 12).clone();
      double sum = 0;
      double dot = 0;
      float min = s[0];
      float max = s[0];
      for (int i = 0; i < n; i++) {
        sum += s[i];
        dot += (double) x[i] * y[i];
        min = Math.min(min, s[i]);
        max = Math.max(max, s[i]);
      }
      assertBits((float) sum, ops.sum(s), mode + " sum(a)");
      assertBits((float) dot, ops.dot(x, y), mode + " dot(a, b)");
      assertBits(min, ops.min(s), mode + " min(a)");
      assertBits(max, ops.max(s), mode + " max(a)");
    }
    assertBits(0f, ops.sum(new float[0]), "empty sum is +0.0");
    assertBits(0f, ops.dot(new float[0], new float[0]), "empty dot is +0.0");
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
    float[] a = TestData.floats(Kind.UNIFORM, n, 13).clone();
    float[] b = TestData.floats(Kind.UNIFORM, n, 14).clone();
    a[position] = Float.NaN;
    assertTrue(Float.isNaN(ops.sum(a)), "sum");
    assertTrue(Float.isNaN(ops.dot(a, b)), "dot, NaN in a");
    assertTrue(Float.isNaN(ops.dot(b, a)), "dot, NaN in b");
    assertTrue(Float.isNaN(ops.min(a)), "min");
    assertTrue(Float.isNaN(ops.max(a)), "max");
    // a NaN next to the range, not in it, must not leak in
    float[] c = TestData.floats(Kind.UNIFORM, n, 15).clone();
    c[position] = Float.NaN;
    if (position > 0) {
      assertTrue(Float.isFinite(ops.sum(c, 0, position)), "sum before the NaN");
      assertTrue(Float.isFinite(ops.min(c, 0, position)), "min before the NaN");
    }
    if (position < n - 1) {
      assertTrue(Float.isFinite(ops.max(c, position + 1, n - position - 1)), "max after the NaN");
    }
  }

  @ParameterizedTest(name = "{0} n={1} at {2}")
  @MethodSource("nanPositions")
  void infinitiesFollowIeeeArithmetic(Mode mode, int n, int position) {
    FlynnOps ops = flynn.using(mode);
    float[] a = TestData.floats(Kind.UNIFORM, n, 16).clone();
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    a[position] = Float.POSITIVE_INFINITY;
    assertBits(Float.POSITIVE_INFINITY, ops.sum(a), "sum with +Inf");
    assertBits(Float.POSITIVE_INFINITY, ops.dot(a, ones), "dot with +Inf");
    assertBits(Float.POSITIVE_INFINITY, ops.max(a), "max with +Inf");
    if (n > 1) {
      assertTrue(Float.isFinite(ops.min(a)), "min with +Inf stays finite");
    }
    a[position] = Float.NEGATIVE_INFINITY;
    assertBits(Float.NEGATIVE_INFINITY, ops.sum(a), "sum with -Inf");
    assertBits(Float.NEGATIVE_INFINITY, ops.min(a), "min with -Inf");
    float[] zeros = new float[n];
    assertTrue(Float.isNaN(ops.dot(a, zeros)), "dot with -Inf * 0");
    int other = position == 0 ? n - 1 : 0;
    if (other != position) {
      a[other] = Float.POSITIVE_INFINITY;
      assertTrue(Float.isNaN(ops.sum(a)), "sum of +Inf and -Inf");
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
    float[] a = new float[n]; // all +0.0
    a[position] = -0.0f;
    assertBits(-0.0f, ops.min(a), "min of +0s and one -0");
    assertBits(0.0f, ops.max(a), "max of +0s and one -0");
    float[] b = new float[n];
    Arrays.fill(b, -0.0f);
    b[position] = 0.0f;
    assertBits(0.0f, ops.max(b), "max of -0s and one +0");
    assertBits(-0.0f, ops.min(b), "min of -0s and one +0");
    assertBits(0.0f, ops.sum(b), "a sum of -0s is +0");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void subnormalsAddUpExactly(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {1000, 3 * BLOCK + 7, 5 * BLOCK + 11}) {
      float[] a = new float[n];
      Arrays.fill(a, Float.MIN_VALUE);
      float[] ones = new float[n];
      Arrays.fill(ones, 1f);
      float expected = n * Float.MIN_VALUE; // k * 2^-149 with k < 2^23: exact
      assertEquals((double) n * Float.MIN_VALUE, expected, 0.0);
      assertBits(expected, ops.sum(a), mode + " sum n=" + n);
      assertBits(expected, ops.dot(a, ones), mode + " dot n=" + n);
      assertBits(Float.MIN_VALUE, ops.min(a), mode + " min n=" + n);
      a[n / 2] = -Float.MIN_VALUE;
      assertBits(expected - 2 * Float.MIN_VALUE, ops.sum(a), mode + " sum with one negative");
      assertBits(-Float.MIN_VALUE, ops.min(a), mode + " min with one negative");
    }
  }

  static void assertBits(float expected, float actual, String what) {
    assertEquals(
        Float.floatToRawIntBits(expected),
        Float.floatToRawIntBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }
}
