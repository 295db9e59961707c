package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.flynn.engine.TestData.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reductions return the same bits whatever the thread count: SISD and MIMD agree with each other,
 * and so do SIMD, SIMD_MIMD and AUTO, on engines of 1, 2, 3 and 16 threads.
 */
class DeterminismTest {

  private static final int[] THREADS = {1, 2, 3, 16};
  private static final Mode[] SCALAR = {Mode.SISD, Mode.MIMD};
  private static final Mode[] VECTOR = {Mode.SIMD, Mode.SIMD_MIMD, Mode.AUTO};

  private static final List<Flynn> ENGINES = new ArrayList<>();

  @BeforeAll
  static void start() {
    for (int t : THREADS) {
      ENGINES.add(Flynn.builder().threads(t).build());
    }
  }

  @AfterAll
  static void stop() {
    ENGINES.forEach(Flynn::close);
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {TestData.LARGE, 3 * BLOCK + 7, 5 * BLOCK + 1, BLOCK + 1})
  void floatReductionsGiveTheSameBitsForEveryThreadCount(int n) {
    float[] a = TestData.floats(Kind.UNIFORM, n, 41);
    float[] b = TestData.floats(Kind.UNIFORM, n, 42);
    for (Mode[] group : new Mode[][] {SCALAR, VECTOR}) {
      Map<String, Integer> sum = new LinkedHashMap<>();
      Map<String, Integer> dot = new LinkedHashMap<>();
      Map<String, Integer> min = new LinkedHashMap<>();
      Map<String, Integer> max = new LinkedHashMap<>();
      for (Flynn engine : ENGINES) {
        for (Mode mode : group) {
          FlynnOps ops = engine.using(mode);
          String key = mode + "/" + engine.threads();
          sum.put(key, Float.floatToRawIntBits(ops.sum(a)));
          dot.put(key, Float.floatToRawIntBits(ops.dot(a, b)));
          min.put(key, Float.floatToRawIntBits(ops.min(a)));
          max.put(key, Float.floatToRawIntBits(ops.max(a)));
        }
      }
      assertAllEqual("sum", sum);
      assertAllEqual("dot", dot);
      assertAllEqual("min", min);
      assertAllEqual("max", max);
    }
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {TestData.LARGE, 3 * BLOCK + 7, 5 * BLOCK + 1, BLOCK + 1})
  void doubleReductionsGiveTheSameBitsForEveryThreadCount(int n) {
    double[] a = TestData.doubles(Kind.UNIFORM, n, 43);
    double[] b = TestData.doubles(Kind.UNIFORM, n, 44);
    for (Mode[] group : new Mode[][] {SCALAR, VECTOR}) {
      Map<String, Long> sum = new LinkedHashMap<>();
      Map<String, Long> dot = new LinkedHashMap<>();
      Map<String, Long> min = new LinkedHashMap<>();
      Map<String, Long> max = new LinkedHashMap<>();
      for (Flynn engine : ENGINES) {
        for (Mode mode : group) {
          FlynnOps ops = engine.using(mode);
          String key = mode + "/" + engine.threads();
          sum.put(key, Double.doubleToRawLongBits(ops.sum(a)));
          dot.put(key, Double.doubleToRawLongBits(ops.dot(a, b)));
          min.put(key, Double.doubleToRawLongBits(ops.min(a)));
          max.put(key, Double.doubleToRawLongBits(ops.max(a)));
        }
      }
      assertAllEqual("sum", sum);
      assertAllEqual("dot", dot);
      assertAllEqual("min", min);
      assertAllEqual("max", max);
    }
  }

  /**
   * Data on which the combine order matters: the blocks are paired at random, and each pair gets a
   * big value (2^20 .. 2^90, random sign) in one block and its negation in the other, among small
   * uniform values. Which small values survive depends on when the big ones cancel, so any change
   * in the order in which block partials are combined (a left fold instead of the fixed tree, a
   * thread-count-dependent split) changes the bits.
   */
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {67 * BLOCK + 5, 9 * BLOCK + 7})
  void reductionsAreDeterministicWhereTheCombineOrderMatters(int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(45);
    float[] a = TestData.floats(Kind.UNIFORM, n, 46).clone();
    double[] d = TestData.doubles(Kind.UNIFORM, n, 47).clone();
    int blocks = (n + BLOCK - 1) / BLOCK;
    List<Integer> order = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      order.add(b);
    }
    java.util.Collections.shuffle(order, new java.util.Random(48));
    for (int p = 0; p + 1 < blocks; p += 2) {
      float big = Math.scalb(1f + r.nextInt(1 << 10) / 1024f, 20 + r.nextInt(71));
      big = r.nextBoolean() ? big : -big;
      int first = order.get(p) * BLOCK;
      int second = order.get(p + 1) * BLOCK;
      first += r.nextInt(Math.min(100, n - first));
      second += r.nextInt(Math.min(100, n - second));
      a[first] = big;
      a[second] = -big;
      d[first] = big;
      d[second] = -big;
    }
    double naive = 0;
    for (float x : a) {
      naive += x;
    }
    for (Mode[] group : new Mode[][] {SCALAR, VECTOR}) {
      Map<String, Integer> floatSum = new LinkedHashMap<>();
      Map<String, Long> doubleSum = new LinkedHashMap<>();
      for (Flynn engine : ENGINES) {
        for (Mode mode : group) {
          String key = mode + "/" + engine.threads();
          floatSum.put(key, Float.floatToRawIntBits(engine.using(mode).sum(a)));
          doubleSum.put(key, Double.doubleToRawLongBits(engine.using(mode).sum(d)));
        }
      }
      assertAllEqual("float sum", floatSum);
      assertAllEqual("double sum", doubleSum);
    }
    assertNotEquals(
        Float.floatToRawIntBits((float) naive),
        Float.floatToRawIntBits(ENGINES.get(0).using(Mode.SISD).sum(a)),
        "not order-sensitive data: a plain left-to-right sum gives the same float");
  }

  /**
   * The comparisons above are not vacuous: the two classes really round differently, so a mode that
   * silently ran the other class's kernels would change its group's bits. Data: a 1 followed by
   * many quarter-ulps (float) or eighth-ulps (double) of 1. The float scalar modes accumulate in
   * double and keep every one; in the vector modes the lane that holds the 1 drops its own. In
   * double, the scalar modes drop all of block 0's, the vector modes only those in the 1's lane.
   */
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {(1 << 20) + 1, 3 * BLOCK + 7})
  void scalarAndVectorClassesDoRoundDifferently(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 0x1p-25f);
    a[0] = 1f;
    double[] d = new double[n];
    java.util.Arrays.fill(d, 0x1p-55);
    d[0] = 1.0;
    float exactFloat = (float) (1 + (n - 1) * 0x1p-25); // the double sum is exact here
    for (Flynn engine : ENGINES) {
      double scalarDouble = engine.using(Mode.SISD).sum(d);
      for (Mode mode : SCALAR) {
        assertEquals(exactFloat, engine.using(mode).sum(a), mode + " float");
      }
      for (Mode mode : VECTOR) {
        assertNotEquals(exactFloat, engine.using(mode).sum(a), mode + " float");
        assertNotEquals(scalarDouble, engine.using(mode).sum(d), mode + " double");
      }
    }
  }

  private static <T> void assertAllEqual(String what, Map<String, T> results) {
    T first = results.values().iterator().next();
    for (Map.Entry<String, T> e : results.entrySet()) {
      assertEquals(first, e.getValue(), () -> what + " differs between modes/threads: " + results);
    }
  }
}
