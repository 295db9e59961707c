package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.TestData.Kind;
import dev.flynn.kernels.EqualWidthBins;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code histogram} over floats and doubles in every mode, counted exactly against a reference that
 * places every value with {@link BigDecimal} arithmetic: random data, values on and next to every
 * edge, subnormals, infinities, NaN, huge and tiny ranges, one bin and 100000 bins.
 */
class HistogramTest {

  /** The kernels of {@link FlynnOps} this class covers, float and double; see CoverageTest. */
  static final Set<String> KERNELS = Set.of("histogram");

  private static final int BELOW = -1;
  private static final int ABOVE = -2;
  private static final int NAN = -3;

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  // ---------------------------------------------------------------- the reference

  /** The bin of {@code x} by the documented rule, in exact arithmetic; or BELOW, ABOVE, NAN. */
  static int referenceBin(double x, double lo, double hi, int bins) {
    if (Double.isNaN(x)) {
      return NAN;
    }
    if (x < lo) {
      return BELOW;
    }
    if (x >= hi) {
      return ABOVE;
    }
    BigDecimal scaled =
        new BigDecimal(x).subtract(new BigDecimal(lo)).multiply(new BigDecimal(bins));
    BigDecimal width = new BigDecimal(hi).subtract(new BigDecimal(lo));
    return scaled.divideToIntegralValue(width).intValueExact(); // floor: both are >= 0
  }

  /** Counts by the reference: bins, then below, above, NaN. */
  static long[] referenceCounts(double[] values, double lo, double hi, int bins) {
    long[] counts = new long[bins + 3];
    for (double x : values) {
      int k = referenceBin(x, lo, hi, bins);
      counts[k >= 0 ? k : k == BELOW ? bins : k == ABOVE ? bins + 1 : bins + 2]++;
    }
    return counts;
  }

  private static void assertCounts(
      long[] expected, Histogram h, double lo, double hi, String what) {
    int bins = expected.length - 3;
    assertEquals(bins, h.bins(), what + " bins");
    assertEquals(lo, h.lo(), what + " lo");
    assertEquals(hi, h.hi(), what + " hi");
    long[] counts = h.counts();
    for (int k = 0; k < bins; k++) {
      if (counts[k] != expected[k]) {
        assertEquals(expected[k], counts[k], what + ": count of bin " + k + " of " + bins);
      }
    }
    assertEquals(expected[bins], h.below(), what + " below");
    assertEquals(expected[bins + 1], h.above(), what + " above");
    assertEquals(expected[bins + 2], h.nan(), what + " NaN");
  }

  private static double[] widen(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  // ---------------------------------------------------------------- random data, every shape

  static Stream<Arguments> floatCases() {
    return TestData.modeLengthOffset(TestData.DOUBLE_LANES); // the bin arithmetic runs in doubles
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("floatCases")
  void floatHistogramOfRandomDataIsExact(Mode mode, int n, int offset) {
    float lo = -0.75f;
    float hi = 0.6f;
    int bins = 37;
    float[] data = TestData.floats(Kind.UNIFORM, n, 31);
    long[] expected =
        TestData.cached(
            List.of("float-histogram", n), k -> referenceCounts(widen(data), lo, hi, bins));
    float[] a = TestData.padded(data, offset, Float.NaN); // NaN guards must not be counted
    Histogram h = flynn.using(mode).histogram(a, offset, n, lo, hi, bins);
    assertCounts(expected, h, lo, hi, mode + " n=" + n);
    assertEquals(n, h.total());
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("floatCases")
  void doubleHistogramOfRandomDataIsExact(Mode mode, int n, int offset) {
    double lo = -0.75;
    double hi = 0.6;
    int bins = 37;
    double[] data = TestData.doubles(Kind.UNIFORM, n, 32);
    long[] expected =
        TestData.cached(List.of("double-histogram", n), k -> referenceCounts(data, lo, hi, bins));
    double[] a = TestData.padded(data, offset, Double.NaN);
    Histogram h = flynn.using(mode).histogram(a, offset, n, lo, hi, bins);
    assertCounts(expected, h, lo, hi, mode + " n=" + n);
    assertEquals(n, h.total());
  }

  // ---------------------------------------------------------------- edges and special values

  /** Bounds and bin counts: ordinary, one bin, many bins, huge, tiny and subnormal ranges. */
  static final double[][] FLOAT_RULES = {
    {0, 1, 10},
    {-1, 1, 3},
    {0, 1, 1},
    {0, 100, 100},
    {0.1f, 0.3f, 7},
    {-3.7f, 1e-3f, 100000},
    {-Float.MAX_VALUE, Float.MAX_VALUE, 9},
    {-Float.MAX_VALUE, 1e-30f, 1000},
    {-1e-40f, 1e-40f, 5},
    {Float.MIN_VALUE, 3 * Float.MIN_VALUE, 2},
    {1, Math.nextUp(1f), 3},
    {-1e20f, 3e-20f, 1 << 20},
  };

  static final double[][] DOUBLE_RULES = {
    {0, 1, 10},
    {-1, 1, 3},
    {0, 1, 1},
    {0, 100, 100},
    {0.1, 0.3, 7},
    {-3.7, 1e-3, 100000},
    {-Double.MAX_VALUE, Double.MAX_VALUE, 9}, // hi - lo overflows
    {-1e308, 1e300, 1000},
    {-1e300, 1e-300, 7},
    {1e-300, 1e300, 1000},
    {-1e-310, 1e-310, 5},
    {Double.MIN_VALUE, 3 * Double.MIN_VALUE, 2},
    {1, Math.nextUp(1.0), 3},
    {-1e20, 3e-20, 1 << 20},
  };

  /**
   * Values on and next to edges (each exact edge rounded to the type, and its neighbours two ulps
   * either way), the bounds and their neighbours, zeros, subnormals, extremes, infinities, NaN and
   * random values; repeated and shuffled to more than two blocks.
   */
  static double[] edgeData(double lo, double hi, int bins, boolean floats, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Double> values = new ArrayList<>();
    List<Integer> ks = new ArrayList<>(List.of(0, 1, bins / 2, bins - 1, bins));
    for (int i = 0; i < Math.min(bins, 3000); i++) {
      ks.add(bins <= 3000 ? i : r.nextInt(bins + 1));
    }
    BigDecimal bLo = new BigDecimal(lo);
    BigDecimal width = new BigDecimal(hi).subtract(bLo);
    MathContext context = new MathContext(80);
    for (int k : ks) {
      if (k < 0 || k > bins) {
        continue;
      }
      BigDecimal edge =
          bLo.add(width.multiply(new BigDecimal(k)).divide(new BigDecimal(bins), context));
      double e = floats ? edge.floatValue() : edge.doubleValue();
      addNeighbours(values, e, floats);
    }
    for (double v : new double[] {lo, hi, 0.0, -0.0}) {
      addNeighbours(values, v, floats);
    }
    double min = floats ? Float.MIN_VALUE : Double.MIN_VALUE;
    double minNormal = floats ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    double max = floats ? Float.MAX_VALUE : Double.MAX_VALUE;
    for (double v : new double[] {min, minNormal, max, Double.POSITIVE_INFINITY}) {
      values.add(v);
      values.add(-v);
    }
    values.add(Double.NaN);
    for (int i = 0; i < 500; i++) {
      double x = lo + (hi - lo) * r.nextDouble(); // may overflow for the widest ranges: fine
      values.add(floats ? (float) x : x);
      values.add(
          floats ? (float) (lo / 2 + hi / 2 * r.nextDouble()) : lo / 2 + hi / 2 * r.nextDouble());
    }
    List<Double> all = new ArrayList<>();
    // Two blocks at least, so that the pooled modes split; fewer for bounds beyond 2^991, where
    // values next to edges take the rule's slow BigDecimal comparisons.
    boolean widest = Math.max(Math.abs(lo), Math.abs(hi)) > 0x1p991;
    while (all.size() < (widest ? BLOCK + 7 : 2 * BLOCK + 7)) {
      all.addAll(values);
    }
    Collections.shuffle(all, new Random(seed));
    double[] a = new double[all.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = all.get(i);
    }
    return a;
  }

  private static void addNeighbours(List<Double> values, double v, boolean floats) {
    if (floats) {
      float f = (float) v;
      values.addAll(
          List.of(
              (double) f,
              (double) Math.nextUp(f),
              (double) Math.nextDown(f),
              (double) Math.nextUp(Math.nextUp(f)),
              (double) Math.nextDown(Math.nextDown(f))));
    } else {
      values.addAll(
          List.of(
              v,
              Math.nextUp(v),
              Math.nextDown(v),
              Math.nextUp(Math.nextUp(v)),
              Math.nextDown(Math.nextDown(v))));
    }
  }

  static Stream<Arguments> floatRules() {
    List<Arguments> all = new ArrayList<>();
    for (double[] rule : FLOAT_RULES) {
      all.add(Arguments.of((float) rule[0], (float) rule[1], (int) rule[2]));
    }
    return all.stream();
  }

  static Stream<Arguments> doubleRules() {
    List<Arguments> all = new ArrayList<>();
    for (double[] rule : DOUBLE_RULES) {
      all.add(Arguments.of(rule[0], rule[1], (int) rule[2]));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "[{0}, {1}) bins={2}")
  @MethodSource("floatRules")
  void floatValuesOnAndNextToEdgesLandInTheirExactBins(float lo, float hi, int bins) {
    double[] values = edgeData(lo, hi, bins, true, 33);
    float[] a = new float[values.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) values[i];
    }
    long[] expected = referenceCounts(values, lo, hi, bins);
    for (Mode mode : Mode.values()) {
      Histogram h = flynn.using(mode).histogram(a, lo, hi, bins);
      assertCounts(expected, h, lo, hi, mode + " [" + lo + ", " + hi + ") bins=" + bins);
      long[] accumulated = new long[bins];
      Arrays.fill(accumulated, 5);
      flynn.using(mode).histogram(a, 1, a.length - 1, lo, hi, accumulated);
      long[] once = flynn.using(mode).histogram(a, 1, a.length - 1, lo, hi, bins).counts();
      for (int k = 0; k < bins; k++) {
        assertEquals(5 + once[k], accumulated[k], mode + " accumulated bin " + k);
      }
    }
    assertRuleAgrees(values, lo, hi, bins);
  }

  @ParameterizedTest(name = "[{0}, {1}) bins={2}")
  @MethodSource("doubleRules")
  void doubleValuesOnAndNextToEdgesLandInTheirExactBins(double lo, double hi, int bins) {
    double[] a = edgeData(lo, hi, bins, false, 34);
    long[] expected = referenceCounts(a, lo, hi, bins);
    for (Mode mode : Mode.values()) {
      Histogram h = flynn.using(mode).histogram(a, lo, hi, bins);
      assertCounts(expected, h, lo, hi, mode + " [" + lo + ", " + hi + ") bins=" + bins);
      long[] accumulated = new long[bins];
      flynn.using(mode).histogram(a, lo, hi, accumulated);
      assertArrayEquals(h.counts(), accumulated, mode + " accumulated");
    }
    assertRuleAgrees(a, lo, hi, bins);
  }

  /**
   * The rule's exact search from any candidate, as the kernels call it for values next to an edge
   * or when the fast arithmetic overflows: right from a good guess, from one off and from far off.
   */
  private static void assertRuleAgrees(double[] values, double lo, double hi, int bins) {
    EqualWidthBins rule = new EqualWidthBins(lo, hi, bins);
    SplittableRandom r = new SplittableRandom(35);
    boolean widest = Math.max(Math.abs(lo), Math.abs(hi)) > 0x1p991; // BigDecimal comparisons
    for (int i = 0; i < Math.min(values.length, widest ? 500 : 4000); i++) {
      double x = values[i];
      int expected = referenceBin(x, lo, hi, bins);
      if (expected < 0) {
        continue;
      }
      assertEquals(expected, rule.bin(x), "bin(" + x + ")");
      for (int candidate :
          new int[] {expected, expected - 1, expected + 1, r.nextInt(bins), -5, bins + 7}) {
        assertEquals(
            expected, rule.exactBin(x, candidate), "exactBin(" + x + ", " + candidate + ")");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValuesAreCountedApart(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    float[] f = {
      Float.NaN,
      Float.NEGATIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      -0.0f,
      0.0f,
      1f,
      Math.nextDown(1f),
      -Float.MIN_VALUE,
      Float.MIN_VALUE,
      0.5f,
      Math.nextDown(0.5f)
    };
    Histogram h = ops.histogram(f, 0f, 1f, 2);
    // -0.0 and +0.0 are lo itself; 1 is hi: above; -MIN_VALUE is below; 0.5 starts bin 1.
    assertEquals(new Histogram(0, 1, new long[] {4, 2}, 2, 2, 1), h);
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] =
          f[i] == Math.nextDown(1f)
              ? Math.nextDown(1.0)
              : f[i] == Math.nextDown(0.5f) ? Math.nextDown(0.5) : f[i];
    }
    assertEquals(new Histogram(0, 1, new long[] {4, 2}, 2, 2, 1), ops.histogram(d, 0.0, 1.0, 2));
    assertEquals(0, ops.histogram(new float[0], 0f, 1f, 3).total());
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void everyModeAndThreadCountCountsTheSame() {
    int n = (1 << 21) + 5; // AUTO forks too
    float[] a = TestData.floats(Kind.WIDE, n, 36);
    double[] d = TestData.doubles(Kind.WIDE, n, 37);
    List<Histogram> floats = new ArrayList<>();
    List<Histogram> doubles = new ArrayList<>();
    for (int threads : new int[] {1, 2, 3}) {
      try (Flynn engine = Flynn.builder().threads(threads).build()) {
        for (Mode mode : Mode.values()) {
          floats.add(engine.using(mode).histogram(a, -1e5f, 2e5f, 1000));
          doubles.add(engine.using(mode).histogram(d, -1e5, 2e5, 1000));
        }
      }
    }
    for (Histogram h : floats) {
      assertEquals(floats.get(0), h);
    }
    for (Histogram h : doubles) {
      assertEquals(doubles.get(0), h);
    }
    assertNotEquals(0, floats.get(0).below() * floats.get(0).above(), "data on both sides");
    assertEquals(n, doubles.get(0).total());
  }

  // ---------------------------------------------------------------- the record

  @Test
  void theRecordKeepsItsOwnCounts() {
    long[] counts = {1, 2, 3};
    Histogram h = new Histogram(0, 1, counts, 4, 5, 6);
    counts[0] = 99;
    assertEquals(1, h.count(0));
    h.counts()[1] = 99;
    assertEquals(2, h.count(1));
    assertEquals(21, h.total());
    assertEquals(3, h.bins());
    assertEquals(h, new Histogram(0, 1, new long[] {1, 2, 3}, 4, 5, 6));
    assertEquals(h.hashCode(), new Histogram(0, 1, new long[] {1, 2, 3}, 4, 5, 6).hashCode());
    assertTrue(h.toString().contains("[1, 2, 3]"), h::toString);
  }

  // ---------------------------------------------------------------- bad input

  @ParameterizedTest
  @EnumSource(Mode.class)
  void badArgumentsThrowBeforeAnyWrite(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    float[] f = new float[10];
    double[] d = new double[10];
    long[] counts = {7, 7, 7};
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    assertMessage(assertThrows(iae, () -> ops.histogram(f, 0f, 1f, 0)), "bins=0");
    assertMessage(assertThrows(iae, () -> ops.histogram(d, 0, 1, -3)), "bins=-3");
    assertMessage(assertThrows(iae, () -> ops.histogram(d, 0, 1, (1 << 30) + 1)), "bins=");
    assertMessage(assertThrows(iae, () -> ops.histogram(f, Float.NaN, 1f, 3)), "lo=NaN");
    assertMessage(
        assertThrows(iae, () -> ops.histogram(d, 0, Double.POSITIVE_INFINITY, 3)), "hi=Infinity");
    assertMessage(assertThrows(iae, () -> ops.histogram(f, 1f, 1f, 3)), "lo=1.0", "hi=1.0");
    assertMessage(assertThrows(iae, () -> ops.histogram(d, 2, 1, 3)), "lo=2.0", "hi=1.0");
    assertMessage(assertThrows(iae, () -> ops.histogram(f, 2f, 1f, counts)), "lo=2.0");
    assertMessage(assertThrows(iae, () -> ops.histogram(d, 0, 1, new long[0])), "counts.length=0");
    assertMessage(
        assertThrows(NullPointerException.class, () -> ops.histogram((float[]) null, 0f, 1f, 3)),
        "a");
    assertMessage(
        assertThrows(NullPointerException.class, () -> ops.histogram(d, 0, 1, (long[]) null)),
        "counts");
    assertMessage(
        assertThrows(IndexOutOfBoundsException.class, () -> ops.histogram(f, 5, 6, 0f, 1f, counts)),
        "offset 5",
        "length 6");
    assertMessage(
        assertThrows(IndexOutOfBoundsException.class, () -> ops.histogram(d, -1, 2, 0, 1, 3)),
        "offset -1");
    assertMessage(assertThrows(iae, () -> ops.histogram(d, 0, -1, 0, 1, counts)), "negative");
    assertArrayEquals(new long[] {7, 7, 7}, counts, "nothing written");
  }

  private static void assertMessage(RuntimeException e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
    }
  }
}
