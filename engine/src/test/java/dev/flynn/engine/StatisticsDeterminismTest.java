package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flynn.engine.TestData.Kind;
import dev.flynn.kernels.Comparison;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The statistics reductions return the same bits whatever the thread count: SISD and MIMD agree,
 * and so do SIMD, SIMD_MIMD and AUTO, on engines of 1, 2 and 3 threads. The exact ones (argmin,
 * argmax, count) agree across all five modes.
 */
class StatisticsDeterminismTest {

  private static final int[] THREADS = {1, 2, 3};
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

  /** Each statistic of float data as raw bits, so that NaN payloads and -0.0 count too. */
  private static Map<String, Function<FlynnOps, Long>> floatStatistics(float[] a, float[] v) {
    Map<String, Function<FlynnOps, Long>> all = new LinkedHashMap<>();
    all.put("argmin", ops -> (long) ops.argmin(a));
    all.put("argmax", ops -> (long) ops.argmax(a));
    all.put("count", ops -> ops.count(a, Comparison.GREATER_OR_EQUAL, 0.25f));
    all.put("sumOfSquares", ops -> (long) Float.floatToRawIntBits(ops.sumOfSquares(a)));
    all.put("norm2", ops -> (long) Float.floatToRawIntBits(ops.norm2(a)));
    all.put("mean", ops -> (long) Float.floatToRawIntBits(ops.mean(v)));
    all.put("variance", ops -> (long) Float.floatToRawIntBits(ops.variance(v)));
    all.put("sampleVariance", ops -> (long) Float.floatToRawIntBits(ops.sampleVariance(v)));
    all.put("standardDeviation", ops -> (long) Float.floatToRawIntBits(ops.standardDeviation(v)));
    return all;
  }

  private static Map<String, Function<FlynnOps, Long>> doubleStatistics(double[] a, double[] v) {
    Map<String, Function<FlynnOps, Long>> all = new LinkedHashMap<>();
    all.put("argmin", ops -> (long) ops.argmin(a));
    all.put("argmax", ops -> (long) ops.argmax(a));
    all.put("count", ops -> ops.count(a, Comparison.GREATER_OR_EQUAL, 0.25));
    all.put("sumOfSquares", ops -> Double.doubleToRawLongBits(ops.sumOfSquares(a)));
    all.put("norm2", ops -> Double.doubleToRawLongBits(ops.norm2(a)));
    all.put("mean", ops -> Double.doubleToRawLongBits(ops.mean(v)));
    all.put("variance", ops -> Double.doubleToRawLongBits(ops.variance(v)));
    all.put("sampleVariance", ops -> Double.doubleToRawLongBits(ops.sampleVariance(v)));
    all.put("standardDeviation", ops -> Double.doubleToRawLongBits(ops.standardDeviation(v)));
    return all;
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {TestData.LARGE, 5 * BLOCK + 1, BLOCK + 1})
  void floatStatisticsGiveTheSameBitsForEveryThreadCount(int n) {
    float[] a = TestData.floats(Kind.WIDE, n, 61).clone();
    float[] v = TestData.floats(Kind.UNIFORM, n, 62).clone();
    for (int i = 0; i < n; i++) {
      v[i] += 1000f; // an offset, so that the mean's rounding matters
    }
    a[n - 3] = a[7]; // a tie across blocks for whichever extreme a[7] is
    check(floatStatistics(a, v));
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {TestData.LARGE, 5 * BLOCK + 1, BLOCK + 1})
  void doubleStatisticsGiveTheSameBitsForEveryThreadCount(int n) {
    double[] a = TestData.doubles(Kind.WIDE, n, 63).clone();
    double[] v = TestData.doubles(Kind.UNIFORM, n, 64).clone();
    for (int i = 0; i < n; i++) {
      v[i] += 1e8;
    }
    // Blocks of every kind for Blue's sums: huge elements in one, tiny ones in another.
    for (int i = 0; i < 100; i++) {
      a[BLOCK / 2 + i] = 1e300 * (i + 1);
      a[Math.min(n - 1, BLOCK + 50 + i)] = 1e-310 * (i + 1);
    }
    check(doubleStatistics(a, v));
  }

  private static void check(Map<String, Function<FlynnOps, Long>> statistics) {
    for (Map.Entry<String, Function<FlynnOps, Long>> s : statistics.entrySet()) {
      boolean exact = List.of("argmin", "argmax", "count").contains(s.getKey());
      Map<String, Long> everyMode = new LinkedHashMap<>();
      for (Mode[] group : new Mode[][] {SCALAR, VECTOR}) {
        Map<String, Long> results = new LinkedHashMap<>();
        for (Flynn engine : ENGINES) {
          for (Mode mode : group) {
            long bits = s.getValue().apply(engine.using(mode));
            results.put(mode + "/" + engine.threads(), bits);
            everyMode.put(mode + "/" + engine.threads(), bits);
          }
        }
        assertAllEqual(s.getKey(), results);
      }
      if (exact) {
        assertAllEqual(s.getKey() + " (exact: every mode)", everyMode);
      }
    }
  }

  private static void assertAllEqual(String what, Map<String, Long> results) {
    Long first = results.values().iterator().next();
    for (Map.Entry<String, Long> e : results.entrySet()) {
      assertEquals(first, e.getValue(), () -> what + " differs between modes/threads: " + results);
    }
  }
}
