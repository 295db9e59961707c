package dev.flynn.engine;

import static dev.flynn.engine.SegmentTestData.DOUBLE_LE;
import static dev.flynn.engine.SegmentTestData.FLOAT_LE;
import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.engine.SegmentTestData.Storage;
import dev.flynn.kernels.Comparison;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels of {@link DoubleSegments} that read and write segments in place (the maps, the
 * statistics, the similarity reductions and the scan) against naive references written here, and
 * the reductions against the array API's bits: every mode, lengths around the vector, unroll and
 * block boundaries, aligned, misaligned (one byte past a 64-byte boundary) and heap segments, and
 * special values. {@link DoubleSegmentsTest} covers the same kernels at fewer lengths.
 */
class DoubleSegmentDirectTest {

  private static final int[] LENGTHS = {
    1, 15, 16, 17, 63, 64, 65, BLOCK - 1, BLOCK, BLOCK + 1, 40_000
  };

  /** Where the data sit: element-aligned native, misaligned native, heap, at an element offset. */
  private record Place(Storage storage, int offset) {}

  private static final Place[] PLACES = {
    new Place(Storage.NATIVE, 0), new Place(Storage.UNALIGNED, 1), new Place(Storage.HEAP, 3)
  };

  private static final double GUARD = -7777.25;
  private static final double SENTINEL = -1234.5;

  private static final double[] SPECIALS = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    0.0,
    -0.0,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    Double.MIN_NORMAL,
    -0x1p-1030,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    0.25, // the thresholds and bounds below
    -0.5,
  };

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  /**
   * Mode x place x length; heap segments (whose accesses compile like native ones) at two lengths
   * only, to keep the class fast.
   */
  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Place place : PLACES) {
        for (int n : LENGTHS) {
          if (place.storage() != Storage.HEAP || n == 17 || n == BLOCK + 1) {
            all.add(Arguments.of(mode, place.storage(), place.offset(), n));
          }
        }
      }
    }
    return all.stream();
  }

  /** Values in [-1, 1) with every special value sprinkled over the body and the tail. */
  private static double[] mixed(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextInt(-64, 64) / 64.0; // coarse: equal pairs and threshold hits are common
    }
    for (int k = 0; k < Math.min(n, 3 * SPECIALS.length); k++) {
      x[r.nextInt(n)] = SPECIALS[k % SPECIALS.length];
    }
    x[n - 1] = SPECIALS[(int) (seed % SPECIALS.length)]; // one in the scalar tail
    return x;
  }

  /** k / 16 for k in [-15, 15]: every sum of squares and every prefix sum is exact. */
  private static double[] dyadic(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextInt(-15, 16) / 16.0;
    }
    return x;
  }

  // ---------------------------------------------------------------- maps

  @ParameterizedTest(name = "{0} {1} offset={2} n={3}")
  @MethodSource("cases")
  void mapsMatchTheirReferences(Mode mode, Storage storage, int offset, int n) {
    double[] x = mixed(n, 11);
    double[] y = mixed(n, 12);
    double[] t = mixed(n, 13);
    double[] f = mixed(n, 14);
    DoubleSegments seg = flynn.using(mode).doubleSegments();
    String at = mode + " " + storage + " offset=" + offset + " n=" + n;
    int o = offset;
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = SegmentTestData.doubles(arena, storage, x, o, GUARD);
      MemorySegment b = SegmentTestData.doubles(arena, storage, y, o, GUARD);
      MemorySegment ts = SegmentTestData.doubles(arena, storage, t, o, GUARD);
      MemorySegment fs = SegmentTestData.doubles(arena, storage, f, o, GUARD);
      double[] blank = new double[n];
      Arrays.fill(blank, SENTINEL);
      MemorySegment out = SegmentTestData.doubles(arena, storage, blank, o, SENTINEL);

      seg.neg(a, o, out, o, n);
      checkMap("neg", out, o, n, i -> Double.longBitsToDouble(bits(x[i]) ^ Long.MIN_VALUE), at);
      seg.abs(a, o, out, o, n);
      checkMap("abs", out, o, n, i -> Double.longBitsToDouble(bits(x[i]) & Long.MAX_VALUE), at);
      seg.sqrt(a, o, out, o, n);
      checkMap("sqrt", out, o, n, i -> StrictMath.sqrt(x[i]), at);
      seg.relu(a, o, out, o, n);
      checkMap("relu", out, o, n, i -> x[i] != x[i] ? x[i] : x[i] > 0 ? x[i] : 0.0, at);
      seg.clamp(a, o, -0.5, 0.25, out, o, n);
      checkMap("clamp", out, o, n, i -> clamp(x[i], -0.5, 0.25), at);
      seg.clamp(a, o, -0.0, 0.0, out, o, n);
      checkMap("clamp to zeros", out, o, n, i -> clamp(x[i], -0.0, 0.0), at);
      seg.minimum(a, o, b, o, out, o, n);
      checkMap("minimum", out, o, n, i -> least(x[i], y[i]), at);
      seg.maximum(a, o, b, o, out, o, n);
      checkMap("maximum", out, o, n, i -> -least(-x[i], -y[i]), at);
      for (Comparison c : Comparison.values()) {
        seg.select(a, o, c, 0.25, ts, o, fs, o, out, o, n);
        checkMap("select " + c, out, o, n, i -> holds(x[i], c, 0.25) ? t[i] : f[i], at);
        seg.selectPairwise(a, o, c, b, o, ts, o, fs, o, out, o, n);
        checkMap("selectPairwise " + c, out, o, n, i -> holds(x[i], c, y[i]) ? t[i] : f[i], at);
      }
      MemorySegment floats = storage.allocate(arena, 4L * (n + 2));
      floats.fill((byte) 0x55);
      seg.toFloat(a, o, floats, 1, n);
      for (int i = 0; i < n; i++) {
        float expected = (float) x[i];
        float actual = floats.get(FLOAT_LE, 4L * (i + 1));
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) {
          fail("toFloat " + at + " at " + i + ": " + x[i] + " gave " + actual);
        }
      }
      assertEquals(0x55555555, bitsOf(floats, 0), "toFloat wrote before its range");
      assertEquals(0x55555555, bitsOf(floats, 4L * (n + 1)), "toFloat wrote past its range");

      assertArrayEquals(TestData.padded(x, o, GUARD), SegmentTestData.doubles(a), "x changed");
      assertArrayEquals(TestData.padded(y, o, GUARD), SegmentTestData.doubles(b), "y changed");
      assertArrayEquals(TestData.padded(t, o, GUARD), SegmentTestData.doubles(ts), "t changed");
      assertArrayEquals(TestData.padded(f, o, GUARD), SegmentTestData.doubles(fs), "f changed");

      seg.neg(a, o, a, o, n); // in place: each element read before it is written
      checkMap(
          "neg in place", a, o, n, i -> Double.longBitsToDouble(bits(x[i]) ^ Long.MIN_VALUE), at);
    }
  }

  private static int bitsOf(MemorySegment s, long byteOffset) {
    return Float.floatToRawIntBits(s.get(FLOAT_LE, byteOffset));
  }

  /** The expected value of element {@code i}. */
  private interface Reference {
    double at(int i);
  }

  /**
   * Every element against its reference (bits, any NaN equal), and the guards around untouched;
   * then refills the range with the sentinel, so the next kernel cannot pass on this one's output.
   */
  private static void checkMap(
      String name, MemorySegment out, int offset, int n, Reference reference, String at) {
    double[] all = SegmentTestData.doubles(out);
    for (int i = 0; i < n; i++) {
      out.set(DOUBLE_LE, 8L * (offset + i), SENTINEL);
    }
    for (int i = 0; i < all.length; i++) {
      boolean inside = i >= offset && i < offset + n;
      if (!inside) {
        if (bits(all[i]) != bits(SENTINEL) && bits(all[i]) != bits(GUARD)) {
          fail(name + " " + at + ": wrote outside its range at " + i);
        }
        continue;
      }
      double expected = reference.at(i - offset);
      if (bits(expected) != bits(all[i])) {
        fail(name + " " + at + " at " + (i - offset) + ": expected " + expected + " was " + all[i]);
      }
    }
  }

  private static long bits(double v) {
    return Double.doubleToLongBits(v);
  }

  /** Math.min's rules written out: NaN wins, -0.0 below +0.0. */
  private static double least(double p, double q) {
    if (p != p || q != q) {
      return Double.NaN;
    }
    if (p == 0 && q == 0) {
      return bits(p) == bits(-0.0) ? p : q;
    }
    return p < q ? p : q;
  }

  private static double clamp(double x, double lo, double hi) {
    return least(-least(-x, -lo), hi);
  }

  private static boolean holds(double p, Comparison c, double q) {
    return switch (c) {
      case LESS -> p < q;
      case LESS_OR_EQUAL -> p <= q;
      case GREATER -> p > q;
      case GREATER_OR_EQUAL -> p >= q;
      case EQUAL -> p == q;
      case NOT_EQUAL -> p != q;
    };
  }

  // ---------------------------------------------------------------- reductions and the scan

  @ParameterizedTest(name = "{0} {1} offset={2} n={3}")
  @MethodSource("cases")
  void reductionsMatchTheirReferencesAndTheArrayBits(
      Mode mode, Storage storage, int offset, int n) {
    double[] d = dyadic(n, 21);
    double[] e = dyadic(n, 22);
    FlynnOps ops = flynn.using(mode);
    DoubleSegments seg = ops.doubleSegments();
    String at = mode + " " + storage + " offset=" + offset + " n=" + n;
    int o = offset;
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = SegmentTestData.doubles(arena, storage, d, o, GUARD);
      MemorySegment b = SegmentTestData.doubles(arena, storage, e, o + 1, GUARD);
      // exact references: every partial sum of k/16 values and their squares is a double
      double squares = 0;
      double distance = 0;
      double dot = 0;
      double squaresB = 0;
      double[] prefix = new double[n];
      double run = 0;
      for (int i = 0; i < n; i++) {
        squares += d[i] * d[i];
        squaresB += e[i] * e[i];
        dot += d[i] * e[i];
        distance += (d[i] - e[i]) * (d[i] - e[i]);
        run += d[i];
        prefix[i] = run;
      }
      assertBits(squares, seg.sumOfSquares(a, o, n), "sumOfSquares " + at);
      assertBits(distance, seg.squaredDistance(a, o, b, o + 1, n), "squaredDistance " + at);
      assertTrue(
          Math.abs(seg.norm2(a, o, n) - Math.sqrt(squares)) <= Math.ulp(Math.sqrt(squares)),
          "norm2 " + at);
      double cosine = dot / Math.sqrt(squares * squaresB);
      if (squares != 0 && squaresB != 0) {
        assertTrue(
            Math.abs(seg.cosine(a, o, b, o + 1, n) - cosine) <= 4 * Math.ulp(1.0), "cosine " + at);
      }
      double mean = run / n;
      double deviations = 0;
      for (double v : d) {
        deviations += (v - mean) * (v - mean);
      }
      assertTrue(
          Math.abs(seg.variance(a, o, n) - deviations / n) <= 1e-12 * (1 + deviations / n),
          "variance " + at);
      for (Comparison c : Comparison.values()) {
        long count = 0;
        for (double v : d) {
          count += holds(v, c, 0.25) ? 1 : 0;
        }
        assertEquals(count, seg.count(a, o, n, c, 0.25), "count " + c + " " + at);
      }
      assertEquals(position(d, true), seg.argmin(a, o, n), "argmin " + at);
      assertEquals(position(d, false), seg.argmax(a, o, n), "argmax " + at);
      double[] blank = new double[n];
      Arrays.fill(blank, SENTINEL);
      MemorySegment out = SegmentTestData.doubles(arena, storage, blank, o + 2, SENTINEL);
      seg.prefixSum(a, o, out, o + 2, n);
      checkMap("prefixSum", out, o + 2, n, i -> prefix[i], at);
      seg.prefixSum(a, o, a, o, n); // in place
      checkScan(a, o, prefix, at);

      // the array API's bits on values that round: the same blocks, leaves and tree
      double[] x = mixed(n, 23);
      double[] y = mixed(n, 24);
      for (int i = 0; i < n; i++) {
        x[i] = Double.isFinite(x[i]) ? x[i] * 0.9 + 0x1p-40 * i : 0.3;
        y[i] = Double.isFinite(y[i]) ? y[i] * 1.1 - 0x1p-41 * i : -0.7;
      }
      MemorySegment p = SegmentTestData.doubles(arena, storage, x, o, GUARD);
      MemorySegment q = SegmentTestData.doubles(arena, storage, y, o, GUARD);
      assertArrayBits(ops, seg, x, y, p, q, o, at);
    }
  }

  private static void checkScan(MemorySegment a, int offset, double[] expected, String at) {
    double[] all = SegmentTestData.doubles(a);
    for (int i = 0; i < expected.length; i++) {
      assertBits(expected[i], all[offset + i], "prefixSum in place " + at + " at " + i);
    }
  }

  /** Every direct reduction and the scan over segments against the array API: the same bits. */
  private static void assertArrayBits(
      FlynnOps ops,
      DoubleSegments seg,
      double[] x,
      double[] y,
      MemorySegment a,
      MemorySegment b,
      int o,
      String at) {
    int n = x.length;
    assertBits(ops.sumOfSquares(x), seg.sumOfSquares(a, o, n), "sumOfSquares bits " + at);
    assertBits(ops.norm2(x), seg.norm2(a, o, n), "norm2 bits " + at);
    assertBits(ops.variance(x), seg.variance(a, o, n), "variance bits " + at);
    assertBits(ops.standardDeviation(x), seg.standardDeviation(a, o, n), "sd bits " + at);
    if (n > 1) {
      assertBits(ops.sampleVariance(x), seg.sampleVariance(a, o, n), "sampleVariance " + at);
    }
    assertBits(ops.cosine(x, y), seg.cosine(a, o, b, o, n), "cosine bits " + at);
    assertBits(ops.squaredDistance(x, y), seg.squaredDistance(a, o, b, o, n), "distance " + at);
    assertEquals(ops.argmin(x), seg.argmin(a, o, n), "argmin bits " + at);
    assertEquals(ops.argmax(x), seg.argmax(a, o, n), "argmax bits " + at);
    assertEquals(
        ops.count(x, Comparison.LESS_OR_EQUAL, -0.5),
        seg.count(a, o, n, Comparison.LESS_OR_EQUAL, -0.5),
        "count bits " + at);
    double[] scanned = new double[n];
    ops.prefixSum(x, scanned);
    MemorySegment out = MemorySegment.ofArray(new double[n]);
    seg.prefixSum(a, o, out, 0, n);
    assertArrayEquals(scanned, SegmentTestData.doubles(out), "prefixSum bits " + at);
  }

  /** The first NaN if any, else the first least (greatest) by Double.compare: -0.0 below +0.0. */
  private static long position(double[] x, boolean least) {
    int best = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] != x[i]) {
        return i;
      }
      int order = Double.compare(x[i], x[best]);
      if (least ? order < 0 : order > 0) {
        best = i;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- special values

  /**
   * Special values placed in the vector body, at block boundaries and in the tail: positions
   * against the naive rule, the reductions against the array API (NaN, infinities, huge and tiny
   * values take the scaled paths of norm2, cosine and squaredDistance).
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValuesFollowTheRulesAndTheArrayBits(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    DoubleSegments seg = ops.doubleSegments();
    try (Arena arena = Arena.ofShared()) {
      for (int n : new int[] {17, 65, BLOCK + 40}) {
        // the long length at the block boundary only: the short ones cover body and tail
        int[] places = n > BLOCK ? new int[] {BLOCK} : new int[] {0, n - 2, n - 1};
        for (int place : places) {
          for (double special : SPECIALS) {
            double[] x = dyadic(n, 31);
            double[] y = dyadic(n, 32);
            x[place] = special;
            y[n - 1 - place] = -special;
            if (special == 0.0) { // signed zeros among zeros: ties broken by the sign
              x[(place + 1) % n] = -special;
            }
            String at = mode + " n=" + n + " " + special + " at " + place;
            MemorySegment a = SegmentTestData.doubles(arena, Storage.UNALIGNED, x, 1, GUARD);
            MemorySegment b = SegmentTestData.doubles(arena, Storage.NATIVE, y, 1, GUARD);
            assertEquals(position(x, true), seg.argmin(a, 1, n), "argmin " + at);
            assertEquals(position(x, false), seg.argmax(a, 1, n), "argmax " + at);
            assertArrayBits(ops, seg, x, y, a, b, 1, at);
          }
        }
        for (double scale : new double[] {0x1p600, 0x1p-515, 0x1p-1070}) {
          double[] x = dyadic(n, 33);
          double[] y = dyadic(n, 34);
          for (int i = 0; i < n; i++) {
            x[i] *= scale;
            y[i] *= i % 3 == 0 && scale > 1 ? 1 : scale; // tiny: every difference tiny too
          }
          String at = mode + " n=" + n + " scale=" + scale;
          MemorySegment a = SegmentTestData.doubles(arena, Storage.HEAP, x, 2, GUARD);
          MemorySegment b = SegmentTestData.doubles(arena, Storage.UNALIGNED, y, 2, GUARD);
          assertArrayBits(ops, seg, x, y, a, b, 2, at);
        }
      }
    }
  }

  /** Same bits, any NaN equal to any NaN. */
  private static void assertBits(double expected, double actual, String message) {
    assertEquals(
        Double.doubleToLongBits(expected),
        Double.doubleToLongBits(actual),
        () -> message + ": expected " + expected + " but was " + actual);
  }
}
