package dev.flynn.engine;

import static dev.flynn.engine.FloatSegmentsTest.assertBits;
import static dev.flynn.engine.SegmentTestData.DOUBLE_LE;
import static dev.flynn.engine.SegmentTestData.FLOAT_LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The float kernels that run directly on segments (maps, selects, {@code toDouble}, argmin/argmax,
 * sums of squares, variances, count, prefix sum) in every mode, at lengths around the vector, the
 * unroll and the block boundaries, over aligned, element-offset, byte-misaligned and heap segments:
 * each result against a naive reference written here and against the array API's bits, with nothing
 * written outside the output range.
 */
class FloatSegmentsDirectTest {

  private static final int BLOCK = TestData.BLOCK;
  private static final int[] LENGTHS = {
    1, 15, 16, 17, 63, 64, 65, 127, 128, 129, BLOCK - 1, BLOCK, BLOCK + 1, 40_003
  };

  /** Lengths up to this run at every place and with every comparison; longer ones at one each. */
  private static final int SHORT = 100;

  /** Where the data sit: storage and element offset (UNALIGNED is one byte past 64 bytes). */
  private static final Object[][] PLACES = {
    {Storage.NATIVE, 0}, {Storage.NATIVE, 3}, {Storage.UNALIGNED, 1}, {Storage.HEAP, 2}
  };

  private static final float GUARD = Float.NaN;
  private static final float SENTINEL = -1234.5f;

  private static final float[] SPECIALS = {
    Float.NaN,
    0f,
    -0f,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    1f,
    -1f,
    0.1f,
    -0.25f
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

  /** Mode x length x place; the long lengths take one place each, turning with the mode. */
  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int l = 0; l < LENGTHS.length; l++) {
        int n = LENGTHS[l];
        for (int p = 0; p < PLACES.length; p++) {
          if (n <= SHORT || p == (l + mode.ordinal()) % PLACES.length) {
            all.add(Arguments.of(mode, n, PLACES[p][0], PLACES[p][1]));
          }
        }
      }
    }
    return all.stream();
  }

  /** Every comparison for short lengths; two (turning with the length) for long ones. */
  private static Comparison[] comparisons(int n) {
    Comparison[] all = Comparison.values();
    return n <= SHORT ? all : new Comparison[] {all[n % all.length], Comparison.NOT_EQUAL};
  }

  /** Uniform in [-1, 1) with a few exact repeats, so argmin/argmax meet ties. */
  private static float[] data(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
    }
    for (int i = 0; i < n / 7; i++) {
      x[random.nextInt(n)] = x[random.nextInt(n)];
    }
    return x;
  }

  @ParameterizedTest(name = "{0} n={1} {2} offset={3}")
  @MethodSource("cases")
  void mapsMatchTheReferenceAndTheArrayBits(Mode mode, int n, Storage storage, int offset) {
    float[] x = data(n, 1);
    float[] y = data(n, 2);
    float[] z = data(n, 3);
    checkMaps(mode, storage, offset, x, y, z);
  }

  @ParameterizedTest(name = "{0} n={1} {2} offset={3}")
  @MethodSource("cases")
  void reductionsMatchTheReferenceAndTheArrayBits(Mode mode, int n, Storage storage, int offset) {
    float[] x = data(n, 4);
    checkReductions(mode, storage, offset, x, mode + " n=" + n + " " + storage);
  }

  /** Every pair of specials, and the specials planted at places past the vector loops' starts. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void specialValues(Mode mode) {
    int k = SPECIALS.length;
    float[] x = new float[k * k];
    float[] y = new float[k * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = SPECIALS[i / k];
      y[i] = SPECIALS[i % k];
    }
    checkMaps(mode, Storage.UNALIGNED, 1, x, y, x);
    checkReductions(mode, Storage.NATIVE, 0, y, mode + " specials");
    float[] noNaN = Arrays.copyOfRange(y, 1, y.length);
    for (int i = 0; i < noNaN.length; i++) {
      if (Float.isNaN(noNaN[i])) {
        noNaN[i] = 0.5f;
      }
    }
    checkReductions(mode, Storage.UNALIGNED, 1, noNaN, mode + " specials without NaN");
    for (int n : new int[] {65, BLOCK + 1}) {
      for (float special : SPECIALS) {
        float[] planted = data(n, 5);
        planted[n / 2] = special; // inside the vector loop
        planted[n - 1] = special == 0f ? -0f : special; // in the scalar tail or the last vector
        checkReductions(mode, Storage.HEAP, 2, planted, mode + " n=" + n + " with " + special);
      }
    }
  }

  /**
   * Sums of squares whose float lanes overflow or underflow (the rescaled path), by chunk: huge,
   * tiny, subnormal, and a chunk of huge values beside a chunk of ordinary ones.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void sumsOfSquaresOutsideTheFloatLaneRange(Mode mode) {
    int n = 2 * BLOCK + 37;
    for (float magnitude : new float[] {1e30f, 3e38f, 1e-30f, 1e-41f, Float.MIN_VALUE}) {
      float[] x = data(n, 6);
      for (int i = 0; i < n; i++) {
        x[i] *= magnitude;
      }
      checkSquares(mode, Storage.UNALIGNED, 1, x, mode + " scaled by " + magnitude);
      float[] mixed = data(n, 7);
      for (int i = BLOCK; i < 2 * BLOCK; i++) {
        mixed[i] = magnitude * (i % 3 - 1);
      }
      checkSquares(mode, Storage.NATIVE, 0, mixed, mode + " one chunk scaled by " + magnitude);
    }
  }

  // ---------------------------------------------------------------- maps

  private static void checkMaps(
      Mode mode, Storage storage, int offset, float[] x, float[] y, float[] z) {
    int n = x.length;
    FlynnOps ops = flynn.using(mode);
    FloatSegments seg = ops.floatSegments();
    String at = mode + " n=" + n + " " + storage + " offset=" + offset;
    int outOff = offset + 1;
    float lo = -0.5f;
    float hi = 0.25f;
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = SegmentTestData.floats(arena, storage, x, offset, GUARD);
      MemorySegment b = SegmentTestData.floats(arena, storage, y, offset + 2, GUARD);
      MemorySegment c = SegmentTestData.floats(arena, storage, z, offset + 1, GUARD);
      float[] blank = new float[n];
      Arrays.fill(blank, SENTINEL);
      MemorySegment out = SegmentTestData.floats(arena, storage, blank, outOff, SENTINEL);
      float[] expected = new float[n];
      float[] array = new float[n];

      seg.neg(a, offset, out, outOff, n);
      ops.neg(x, array);
      for (int i = 0; i < n; i++) {
        expected[i] = -x[i];
      }
      checkMap("neg", expected, array, out, outOff, at);

      seg.abs(a, offset, out, outOff, n);
      ops.abs(x, array);
      for (int i = 0; i < n; i++) {
        expected[i] = Float.intBitsToFloat(Float.floatToRawIntBits(x[i]) & 0x7fffffff);
      }
      checkMap("abs", expected, array, out, outOff, at);

      seg.sqrt(a, offset, out, outOff, n);
      ops.sqrt(x, array);
      for (int i = 0; i < n; i++) {
        expected[i] = (float) StrictMath.sqrt(x[i]); // correctly rounded: 53 >= 2 * 24 + 2
      }
      checkMap("sqrt", expected, array, out, outOff, at);

      seg.relu(a, offset, out, outOff, n);
      ops.relu(x, array);
      for (int i = 0; i < n; i++) {
        expected[i] = x[i] != x[i] ? Float.NaN : x[i] > 0 ? x[i] : 0f;
      }
      checkMap("relu", expected, array, out, outOff, at);

      seg.clamp(a, offset, lo, hi, out, outOff, n);
      ops.clamp(x, lo, hi, array);
      for (int i = 0; i < n; i++) {
        expected[i] = x[i] != x[i] ? Float.NaN : x[i] < lo ? lo : x[i] > hi ? hi : x[i];
      }
      checkMap("clamp", expected, array, out, outOff, at);

      seg.minimum(a, offset, b, offset + 2, out, outOff, n);
      ops.minimum(x, y, array);
      for (int i = 0; i < n; i++) {
        expected[i] = naiveMin(x[i], y[i]);
      }
      checkMap("minimum", expected, array, out, outOff, at);

      seg.maximum(a, offset, b, offset + 2, out, outOff, n);
      ops.maximum(x, y, array);
      for (int i = 0; i < n; i++) {
        expected[i] = -naiveMin(-x[i], -y[i]);
      }
      checkMap("maximum", expected, array, out, outOff, at);

      for (Comparison comparison : comparisons(n)) {
        float threshold = 0.1f;
        seg.select(a, offset, comparison, threshold, b, offset + 2, c, offset + 1, out, outOff, n);
        ops.select(x, comparison, threshold, y, z, array);
        for (int i = 0; i < n; i++) {
          expected[i] = holds(comparison, x[i], threshold) ? y[i] : z[i];
        }
        checkMap("select " + comparison, expected, array, out, outOff, at);

        seg.selectPairwise(
            a, offset, comparison, b, offset + 2, c, offset + 1, a, offset, out, outOff, n);
        ops.selectPairwise(x, comparison, y, z, x, array);
        for (int i = 0; i < n; i++) {
          expected[i] = holds(comparison, x[i], y[i]) ? z[i] : x[i];
        }
        checkMap("selectPairwise " + comparison, expected, array, out, outOff, at);
      }

      // in place: the output is exactly the input
      MemorySegment copy = SegmentTestData.floats(arena, storage, x, offset, SENTINEL);
      seg.relu(copy, offset, copy, offset, n);
      ops.relu(x, array);
      checkMap("relu in place", array, array, copy, offset, at);

      MemorySegment doubles = arena.allocate((long) Double.BYTES * (n + 3), 64);
      doubles.fill((byte) 0x55);
      seg.toDouble(a, offset, doubles, 1, n);
      for (int i = 0; i < n + 3; i++) {
        long bits = Double.doubleToRawLongBits(doubles.getAtIndex(DOUBLE_LE, i));
        long want = i >= 1 && i <= n ? Double.doubleToRawLongBits(x[i - 1]) : 0x5555555555555555L;
        assertEquals(want, bits, "toDouble " + at + " at " + i);
      }
    }
  }

  /** The output range holds {@code expected} (and the array API's bits), the rest its sentinels. */
  private static void checkMap(
      String name, float[] expected, float[] array, MemorySegment out, int outOff, String at) {
    float[] all = SegmentTestData.floats(out);
    int n = expected.length;
    for (int i = 0; i < all.length; i++) {
      boolean inside = i >= outOff && i < outOff + n;
      if (inside) {
        assertBits(expected[i - outOff], all[i], name + " " + at + " at " + (i - outOff));
        assertBits(array[i - outOff], all[i], name + " (array) " + at + " at " + (i - outOff));
      } else {
        assertBits(SENTINEL, all[i], name + " " + at + ": wrote outside the range at " + i);
      }
    }
  }

  /** Math.min spelled out: NaN wins, -0.0 is below +0.0. */
  private static float naiveMin(float p, float q) {
    if (p != p || q != q) {
      return Float.NaN;
    }
    if (p == 0f && q == 0f) {
      return (Float.floatToRawIntBits(p) | Float.floatToRawIntBits(q)) != 0 ? -0f : 0f;
    }
    return p < q ? p : q;
  }

  private static boolean holds(Comparison comparison, float p, float q) {
    return switch (comparison) {
      case LESS -> p < q;
      case LESS_OR_EQUAL -> p <= q;
      case GREATER -> p > q;
      case GREATER_OR_EQUAL -> p >= q;
      case EQUAL -> p == q;
      case NOT_EQUAL -> p != q;
    };
  }

  // ---------------------------------------------------------------- reductions and the scan

  private static void checkReductions(
      Mode mode, Storage storage, int offset, float[] x, String at) {
    int n = x.length;
    FlynnOps ops = flynn.using(mode);
    FloatSegments seg = ops.floatSegments();
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = SegmentTestData.floats(arena, storage, x, offset, GUARD);

      checkSimilarity(mode, storage, offset, x, at);
      assertEquals(naiveArg(x, true), seg.argmin(a, offset, n), "argmin " + at);
      assertEquals(naiveArg(x, false), seg.argmax(a, offset, n), "argmax " + at);

      for (Comparison comparison : comparisons(n)) {
        for (float threshold : new float[] {0.25f, -0f, Float.NaN}) {
          long count = 0;
          for (float v : x) {
            count += holds(comparison, v, threshold) ? 1 : 0;
          }
          assertEquals(
              count,
              seg.count(a, offset, n, comparison, threshold),
              "count " + comparison + " " + threshold + " " + at);
        }
      }

      checkSquares(ops, seg, a, offset, x, at);
      boolean finite = true;
      double magnitude = 0;
      for (float v : x) {
        finite &= Float.isFinite(v);
        magnitude = Math.max(magnitude, Math.abs(v));
      }
      assertBits(ops.variance(x), seg.variance(a, offset, n), "variance " + at);
      assertBits(ops.standardDeviation(x), seg.standardDeviation(a, offset, n), "deviation " + at);
      if (n >= 2) {
        assertBits(ops.sampleVariance(x), seg.sampleVariance(a, offset, n), "sample " + at);
      }
      if (finite && magnitude < 1e15 && magnitude > 1e-15) {
        double mean = 0;
        for (float v : x) {
          mean += v;
        }
        mean /= n;
        double deviations = 0;
        for (float v : x) {
          deviations += (v - mean) * (v - mean);
        }
        float variance = seg.variance(a, offset, n);
        double reference = deviations / n;
        assertTrue(
            Math.abs(variance - reference) <= 1e-5 * reference + 1e-30,
            "variance " + at + ": " + variance + " vs " + reference);
      }

      float[] scanned = new float[n];
      ops.prefixSum(x, scanned);
      float[] blank = new float[n];
      Arrays.fill(blank, SENTINEL);
      MemorySegment out = SegmentTestData.floats(arena, storage, blank, offset + 1, SENTINEL);
      seg.prefixSum(a, offset, out, offset + 1, n);
      float[] all = SegmentTestData.floats(out);
      double run = 0;
      double absolute = 0;
      for (int i = 0; i < all.length; i++) {
        if (i < offset + 1 || i >= offset + 1 + n) {
          assertBits(SENTINEL, all[i], "prefixSum " + at + ": wrote outside at " + i);
          continue;
        }
        int j = i - offset - 1;
        assertBits(scanned[j], all[i], "prefixSum (array) " + at + " at " + j);
        run += x[j];
        absolute += Math.abs(x[j]);
        if (finite && absolute < 1e30) {
          double tolerance = 1e-5 * absolute + Math.ulp((float) run);
          assertTrue(
              Math.abs(all[i] - run) <= tolerance,
              "prefixSum " + at + " at " + j + ": " + all[i] + " vs " + run);
        }
      }
      seg.prefixSum(a, offset, a, offset, n); // in place
      for (int j = 0; j < n; j++) {
        assertBits(
            scanned[j], a.getAtIndex(FLOAT_LE, offset + j), "prefixSum in place " + at + " " + j);
      }
    }
  }

  private static void checkSquares(Mode mode, Storage storage, int offset, float[] x, String at) {
    FlynnOps ops = flynn.using(mode);
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = SegmentTestData.floats(arena, storage, x, offset, GUARD);
      checkSquares(ops, ops.floatSegments(), a, offset, x, at);
      assertBits(ops.variance(x), ops.floatSegments().variance(a, offset, x.length), "var " + at);
    }
    checkSimilarity(mode, storage, offset, x, at);
  }

  /**
   * cosine and squaredDistance of {@code x} and a mix of its values (reversed, or shifted and
   * scaled by -0.5, so specials meet specials): the array bits, and a double reference where the
   * data are finite and moderate.
   */
  private static void checkSimilarity(
      Mode mode, Storage storage, int offset, float[] x, String at) {
    int n = x.length;
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2 == 0 ? x[n - 1 - i] : -0.5f * x[(i + n / 3) % n];
    }
    FlynnOps ops = flynn.using(mode);
    FloatSegments seg = ops.floatSegments();
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = SegmentTestData.floats(arena, storage, x, offset, GUARD);
      MemorySegment b = SegmentTestData.floats(arena, Storage.UNALIGNED, y, offset + 1, GUARD);
      float cosine = seg.cosine(a, offset, b, offset + 1, n);
      float distance = seg.squaredDistance(a, offset, b, offset + 1, n);
      assertBits(ops.cosine(x, y), cosine, "cosine (array) " + at);
      assertBits(ops.squaredDistance(x, y), distance, "squaredDistance (array) " + at);
      double dot = 0;
      double squaresA = 0;
      double squaresB = 0;
      double differences = 0;
      double magnitude = 0;
      boolean finite = true;
      for (int i = 0; i < n; i++) {
        dot += (double) x[i] * y[i];
        squaresA += (double) x[i] * x[i];
        squaresB += (double) y[i] * y[i];
        differences += ((double) x[i] - y[i]) * ((double) x[i] - y[i]);
        finite &= Float.isFinite(x[i]);
        magnitude = Math.max(magnitude, Math.abs(x[i]));
      }
      if (finite && magnitude < 1e15 && magnitude > 1e-15) {
        double reference = Math.max(-1, Math.min(1, dot / Math.sqrt(squaresA * squaresB)));
        assertTrue(
            Math.abs(cosine - reference) <= 1e-5,
            "cosine " + at + ": " + cosine + " vs " + reference);
        assertTrue(
            Math.abs(distance - differences) <= 1e-5 * differences + Math.ulp((float) differences),
            "squaredDistance " + at + ": " + distance + " vs " + differences);
      }
    }
  }

  /** sumOfSquares and norm2: the array bits, and the reference within the documented bound. */
  private static void checkSquares(
      FlynnOps ops, FloatSegments seg, MemorySegment a, int offset, float[] x, String at) {
    int n = x.length;
    double exactSquares = 0; // the reference: in double, then bounded below
    boolean nan = false;
    boolean infinite = false;
    for (float v : x) {
      nan |= v != v;
      infinite |= Float.isInfinite(v);
      exactSquares += (double) v * v;
    }
    float squares = seg.sumOfSquares(a, offset, n);
    assertBits(ops.sumOfSquares(x), squares, "sumOfSquares (array) " + at);
    assertBits(ops.norm2(x), seg.norm2(a, offset, n), "norm2 " + at);
    if (nan) {
      assertTrue(Float.isNaN(squares), "sumOfSquares of a NaN " + at);
    } else if (infinite) {
      assertEquals(Float.POSITIVE_INFINITY, squares, "sumOfSquares of an infinity " + at);
    } else if (Float.isInfinite((float) exactSquares)) {
      assertEquals(Float.POSITIVE_INFINITY, squares, "sumOfSquares beyond float " + at);
    } else {
      // the documented bound, about 2.1e-6 relative, plus the rounding to float
      double tolerance = 4e-6 * exactSquares + Math.ulp((float) exactSquares);
      assertTrue(
          Math.abs(squares - exactSquares) <= tolerance,
          "sumOfSquares " + at + ": " + squares + " vs " + exactSquares);
    }
  }

  /** The first NaN if any, else the first least (or greatest) by Float.compare. */
  private static int naiveArg(float[] x, boolean least) {
    int best = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] != x[i]) {
        return i;
      }
      int order = Float.compare(x[i], x[best]);
      if (least ? order < 0 : order > 0) {
        best = i;
      }
    }
    return best;
  }
}
