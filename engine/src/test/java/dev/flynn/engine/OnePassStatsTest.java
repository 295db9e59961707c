package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
 * {@link OnePassStats}: one pass against the engine's separate kernels in the same mode (sum, min,
 * max, mean and histogram bit for bit, variance within its bound) and against a naive double
 * reference written here; the same bits for any thread count; special values; bad input.
 */
class OnePassStatsTest {

  private static final int[] LENGTHS = {1, 2, 7, 16384, 16385, 5 * 16384 + 7};
  private static final int[] OFFSETS = {0, 3};
  private static final int BINS = 37;

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  /** Centres of the data: 0 (uniform in [-1, 1)) and 1000 (a large offset: the hard case). */
  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int length : LENGTHS) {
        for (int offset : OFFSETS) {
          for (double centre : new double[] {0, 1000}) {
            all.add(Arguments.of(mode, length, offset, centre));
          }
        }
      }
    }
    return all.stream();
  }

  private static float[] floats(int length, int offset, double centre) {
    SplittableRandom r = new SplittableRandom(length * 31L + offset);
    float[] a = new float[offset + length + 2];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (centre + r.nextDouble(-1, 1));
    }
    return a;
  }

  private static double[] doubles(int length, int offset, double centre) {
    SplittableRandom r = new SplittableRandom(length * 37L + offset);
    double[] a = new double[offset + length + 2];
    for (int i = 0; i < a.length; i++) {
      a[i] = centre + r.nextDouble(-1, 1);
    }
    return a;
  }

  /** count, sum, min, max, variance by plain loops in double: the independent reference. */
  private static double[] naive(double[] x) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / x.length;
    double squares = 0;
    for (double v : x) {
      squares += (v - mean) * (v - mean);
    }
    return new double[] {x.length, sum, min, max, squares / x.length};
  }

  private static double[] widen(float[] a, int offset, int length) {
    double[] x = new double[length];
    for (int i = 0; i < length; i++) {
      x[i] = a[offset + i];
    }
    return x;
  }

  private static double[] slice(double[] a, int offset, int length) {
    return java.util.Arrays.copyOfRange(a, offset, offset + length);
  }

  private static void assertClose(double expected, double actual, double relative, String what) {
    double tolerance = relative * Math.abs(expected) + 1e-300;
    assertTrue(
        Math.abs(actual - expected) <= tolerance,
        what + ": expected " + expected + " got " + actual + " (tolerance " + tolerance + ")");
  }

  @ParameterizedTest(name = "{0} n={1} offset={2} centre={3}")
  @MethodSource("cases")
  void floatsMatchTheSeparateKernelsAndTheNaiveReference(
      Mode mode, int length, int offset, double centre) {
    FlynnOps ops = flynn.using(mode);
    float[] a = floats(length, offset, centre);
    float lo = (float) (centre - 1);
    float hi = (float) (centre + 1);
    Stats s = ops.stats().of(a, offset, length, lo, hi, BINS);
    assertEquals(length, s.count());
    assertEquals(ops.sum(a, offset, length), (float) s.sum(), "sum");
    assertEquals(ops.mean(a, offset, length), (float) s.mean(), "mean");
    assertEquals(ops.min(a, offset, length), s.min(), "min");
    assertEquals(ops.max(a, offset, length), s.max(), "max");
    assertEquals(ops.histogram(a, offset, length, lo, hi, BINS), s.histogram(), "histogram");
    double[] x = widen(a, offset, length);
    double[] ref = naive(x);
    double magnitude = 0;
    for (double v : x) {
      magnitude += Math.abs(v);
    }
    // the vector sum's bound (FlynnOps.sum) with room for the tree: float lanes in each block
    double sumBound = (Math.min(length, 16384) / (4.0 * TestData.FLOAT_LANES) + 24) * 0x1p-24;
    assertTrue(Math.abs(ref[1] - s.sum()) <= sumBound * magnitude, "sum: " + ref[1] + " " + s);
    assertEquals(ref[2], s.min());
    assertEquals(ref[3], s.max());
    // FlynnOps.variance's float bound: 3(K + 4)u(1 + b^2), K <= 59, b <= 0.1 for these data
    assertClose(ref[4], s.variance(), 2e-5, "variance against the naive reference");
    assertClose(ops.variance(a, offset, length), (float) s.variance(), 4e-5, "variance kernel");
    Stats plain = ops.stats().of(a, offset, length);
    assertNull(plain.histogram());
    assertEquals(
        new Stats(s.count(), s.sum(), s.min(), s.max(), s.sumOfSquaredDeviations(), null), plain);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2} centre={3}")
  @MethodSource("cases")
  void doublesMatchTheSeparateKernelsAndTheNaiveReference(
      Mode mode, int length, int offset, double centre) {
    FlynnOps ops = flynn.using(mode);
    double[] a = doubles(length, offset, centre);
    Stats s = ops.stats().of(a, offset, length, centre - 1, centre + 1, BINS);
    assertEquals(length, s.count());
    assertEquals(ops.sum(a, offset, length), s.sum(), "sum");
    assertEquals(ops.mean(a, offset, length), s.mean(), "mean");
    assertEquals(ops.min(a, offset, length), s.min(), "min");
    assertEquals(ops.max(a, offset, length), s.max(), "max");
    assertEquals(
        ops.histogram(a, offset, length, centre - 1, centre + 1, BINS), s.histogram(), "hist");
    double[] ref = naive(slice(a, offset, length));
    assertClose(ref[1], s.sum(), 1e-12, "sum against the naive reference");
    assertEquals(ref[2], s.min());
    assertEquals(ref[3], s.max());
    assertClose(ref[4], s.variance(), 1e-9, "variance against the naive reference");
    assertClose(ops.variance(a, offset, length), s.variance(), 1e-9, "variance kernel");
    if (length > 1) {
      assertClose(ref[4] * length / (length - 1), s.sampleVariance(), 1e-9, "sample variance");
    }
    assertClose(Math.sqrt(ref[4]), s.standardDeviation(), 1e-9, "standard deviation");
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"MIMD", "SIMD_MIMD"})
  void theSameBitsForAnyThreadCount(Mode mode) {
    int length = (1 << 18) + 77; // 17 blocks: forked in these modes (AUTO is SIMD_MIMD above 2 Mi)
    float[] f = floats(length, 0, 1000);
    double[] d = doubles(length, 0, 1000);
    Stats floats = null;
    Stats doubles = null;
    Mode single = mode == Mode.MIMD ? Mode.SISD : Mode.SIMD;
    try (Flynn one = Flynn.builder().threads(1).mode(single).build()) {
      floats = one.stats().of(f, 999f, 1001f, BINS);
      doubles = one.stats().of(d, 999.0, 1001.0, BINS);
    }
    for (int threads : new int[] {1, 2, 3, 5}) {
      try (Flynn engine = Flynn.builder().threads(threads).mode(mode).build()) {
        assertEquals(floats, engine.stats().of(f, 999f, 1001f, BINS), threads + " threads");
        assertEquals(doubles, engine.stats().of(d, 999.0, 1001.0, BINS), threads + " threads");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValues(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    float[] a = floats(40_000, 0, 0);
    a[20_000] = Float.NaN;
    Stats s = ops.stats().of(a, -1f, 1f, 4);
    assertTrue(Double.isNaN(s.min()) && Double.isNaN(s.max()) && Double.isNaN(s.variance()));
    assertEquals(1, s.histogram().nan());
    double[] d = doubles(40_000, 0, 0);
    d[39_999] = Double.POSITIVE_INFINITY;
    Stats inf = ops.stats().of(d);
    assertEquals(Double.POSITIVE_INFINITY, inf.max());
    assertEquals(Double.POSITIVE_INFINITY, inf.sum());
    assertTrue(Double.isNaN(inf.variance()), "an infinite element makes the variance NaN");
    Stats constant = ops.stats().of(new double[] {3, 3, 3, 3, 3});
    assertEquals(0.0, constant.variance());
    assertEquals(-0.0, ops.stats().of(new float[] {-0.0f, 0.0f}).min());
    Stats one = ops.stats().of(new float[] {2.5f});
    assertEquals(0.0, one.variance());
    assertTrue(Double.isNaN(one.sampleVariance()));
  }

  @Test
  void badInputThrowsBeforeAnythingRuns() {
    OnePassStats stats = flynn.stats();
    assertThrows(NullPointerException.class, () -> stats.of((float[]) null));
    assertThrows(NullPointerException.class, () -> stats.of((double[]) null, 0, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> stats.of(new float[4], 2, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> stats.of(new double[4], -1, 2));
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> stats.of(new float[0]));
    assertTrue(empty.getMessage().contains("length 0"), empty.getMessage());
    IllegalArgumentException bounds =
        assertThrows(IllegalArgumentException.class, () -> stats.of(new double[3], 1.0, 1.0, 4));
    assertTrue(bounds.getMessage().contains("lo=1.0, hi=1.0"), bounds.getMessage());
    assertThrows(IllegalArgumentException.class, () -> stats.of(new float[3], 0f, 1f, 0));
    assertThrows(IllegalArgumentException.class, () -> stats.of(new float[3], Float.NaN, 1f, 4));
    assertThrows(IllegalArgumentException.class, () -> new Stats(0, 0, 0, 0, 0, null));
    Flynn closed = Flynn.builder().threads(2).build();
    OnePassStats late = closed.stats();
    closed.close();
    assertThrows(IllegalStateException.class, () -> late.of(new float[] {1f}));
  }
}
