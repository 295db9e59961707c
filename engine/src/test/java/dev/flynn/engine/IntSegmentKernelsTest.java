package dev.flynn.engine;

import static dev.flynn.engine.IntegerSegmentData.INT_LE;
import static dev.flynn.engine.IntegerSegmentData.passes;
import static dev.flynn.engine.SegmentTestData.FLOAT_LE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flynn.engine.IntKernelTest.Kind;
import dev.flynn.engine.SegmentTestData.Storage;
import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.IntKernels;
import dev.flynn.kernels.IntSegmentKernels;
import dev.flynn.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct int segment kernels ({@link IntSegmentKernels}), scalar and vector, called as the
 * engine calls them on one block: every kernel against a naive reference written here and against
 * the array kernel of the same class ({@link IntKernels}), exceptions included, at lengths around
 * the vector, unroll and chunk boundaries, over native memory (64-byte aligned, element-aligned at
 * an offset, and one byte past a 64-byte boundary) and heap segments, on data with the int
 * extremes; outputs written only inside their range; in place.
 */
class IntSegmentKernelsTest {

  static final int[] LENGTHS = {
    1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 16383, 16384, 16385, 40000
  };

  private static final int GUARD = 0x7EADBEEF;
  private static final int SENTINEL = 0x5EED5EED;
  private static final int LO = -1 << 20;
  private static final int HI = 1 << 24;

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String kernels : List.of("scalar", "vector")) {
      for (int n : LENGTHS) {
        // past a few vectors, the misaligned case only: the others add time, not coverage
        if (n < 1000) {
          all.add(Arguments.of(kernels, Storage.NATIVE, n, 0));
          all.add(Arguments.of(kernels, Storage.NATIVE, n, 1));
          all.add(Arguments.of(kernels, Storage.HEAP, n, 3));
        }
        all.add(Arguments.of(kernels, Storage.UNALIGNED, n, 0));
      }
    }
    return all.stream();
  }

  static IntSegmentKernels segmentKernels(String kernels) {
    return kernels.equals("scalar") ? Kernels.scalarIntSegments() : Kernels.vectorIntSegments();
  }

  static IntKernels arrayKernels(String kernels) {
    return kernels.equals("scalar") ? Kernels.scalarInts() : Kernels.vectorInts();
  }

  /** Random ints with the extremes, long runs of MIN_VALUE and of MAX_VALUE, and small ints. */
  static List<int[]> data(int n) {
    int[] runs = new int[n];
    for (int i = 0; i < n; i++) {
      runs[i] = (i / 5) % 3 == 0 ? Integer.MIN_VALUE : (i / 5) % 3 == 1 ? Integer.MAX_VALUE : -i;
    }
    return List.of(
        IntKernelTest.ints(Kind.FULL, n, 71), IntKernelTest.ints(Kind.SMALL, n, 72), runs);
  }

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("cases")
  void everyKernelMatchesTheReferenceAndTheArrayKernel(
      String kernels, Storage storage, int n, int offset) {
    IntSegmentKernels k = segmentKernels(kernels);
    IntKernels array = arrayKernels(kernels);
    try (Arena arena = Arena.ofShared()) {
      List<int[]> data = data(n);
      for (int d = 0; d < data.size(); d++) {
        int[] x = data.get(d);
        int[] y = data.get((d + 1) % data.size());
        String at = kernels + " " + storage + " n=" + n + " offset=" + offset + " data " + d;
        MemorySegment a = IntegerSegmentData.ints(arena, storage, x, offset, GUARD);
        MemorySegment b = IntegerSegmentData.ints(arena, storage, y, offset, GUARD);
        long aAt = 4L * offset;
        reductions(k, array, x, a, aAt, y, b, n, at);
        elementwise(arena, storage, k, array, x, a, aAt, y, b, n, at);
        scans(arena, storage, k, array, x, a, aAt, n, at);
        assertArrayEquals(
            IntKernelTest.padded(x, offset, GUARD), IntegerSegmentData.ints(a), "input " + at);
      }
    }
  }

  private static void reductions(
      IntSegmentKernels k,
      IntKernels array,
      int[] x,
      MemorySegment a,
      long aAt,
      int[] y,
      MemorySegment b,
      int n,
      String at) {
    long sum = 0;
    BigInteger dot = BigInteger.ZERO;
    int min = 0;
    int max = 0;
    for (int i = 0; i < n; i++) {
      sum += x[i]; // fewer than 2^31 ints: exact
      dot = dot.add(BigInteger.valueOf((long) x[i] * y[i]));
      min = x[i] < x[min] ? i : min;
      max = x[i] > x[max] ? i : max;
    }
    assertEquals(sum, k.sum(a, aAt, n), "sum " + at);
    assertEquals(array.sum(x, 0, n), k.sum(a, aAt, n), "sum as the array " + at);
    assertSame(dot, () -> k.dot(a, aAt, b, aAt, n), () -> array.dot(x, 0, y, 0, n), "dot " + at);
    assertEquals(x[min], k.min(a, aAt, n), "min " + at);
    assertEquals(x[max], k.max(a, aAt, n), "max " + at);
    assertEquals(min, k.argmin(a, aAt, n), "argmin " + at);
    assertEquals(max, k.argmax(a, aAt, n), "argmax " + at);
    long[] thresholds =
        n < 1000
            ? new long[] {x[n / 2], 0, Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 40, -(1L << 40)}
            : new long[] {x[n / 2], Integer.MIN_VALUE - 1L};
    for (long t : thresholds) {
      for (Comparison cmp : Comparison.values()) {
        long expected = 0;
        for (int v : x) {
          expected += passes(v, cmp, t) ? 1 : 0;
        }
        assertEquals(expected, k.count(a, aAt, n, cmp, t), cmp + " " + t + " count " + at);
        assertEquals(array.count(x, 0, n, cmp, t), k.count(a, aAt, n, cmp, t), "count " + at);
      }
    }
  }

  /** The exact value, or ArithmeticException, from both the segment and the array kernel. */
  private static void assertSame(
      BigInteger exact, LongSupplier segment, LongSupplier array, String what) {
    IntegerSegmentData.assertExact(exact, segment, what);
    IntegerSegmentData.assertExact(exact, array, what + " (array)");
  }

  private static void elementwise(
      Arena arena,
      Storage storage,
      IntSegmentKernels k,
      IntKernels array,
      int[] x,
      MemorySegment a,
      long aAt,
      int[] y,
      MemorySegment b,
      int n,
      String at) {
    for (String kernel :
        List.of("add", "sub", "mul", "neg", "abs", "minimum", "maximum", "clamp")) {
      int[] sentinels = new int[n];
      Arrays.fill(sentinels, SENTINEL);
      MemorySegment out = IntegerSegmentData.ints(arena, storage, sentinels, 2, SENTINEL);
      int[] expected = new int[n];
      int[] fromArray = new int[n];
      switch (kernel) {
        case "add" -> {
          k.add(a, aAt, b, aAt, out, 8, n);
          array.add(x, 0, y, 0, fromArray, 0, n);
        }
        case "sub" -> {
          k.sub(a, aAt, b, aAt, out, 8, n);
          array.sub(x, 0, y, 0, fromArray, 0, n);
        }
        case "mul" -> {
          k.mul(a, aAt, b, aAt, out, 8, n);
          array.mul(x, 0, y, 0, fromArray, 0, n);
        }
        case "neg" -> {
          k.neg(a, aAt, out, 8, n);
          array.neg(x, 0, fromArray, 0, n);
        }
        case "abs" -> {
          k.abs(a, aAt, out, 8, n);
          array.abs(x, 0, fromArray, 0, n);
        }
        case "minimum" -> {
          k.minimum(a, aAt, b, aAt, out, 8, n);
          array.minimum(x, 0, y, 0, fromArray, 0, n);
        }
        case "maximum" -> {
          k.maximum(a, aAt, b, aAt, out, 8, n);
          array.maximum(x, 0, y, 0, fromArray, 0, n);
        }
        default -> {
          k.clamp(a, aAt, LO, HI, out, 8, n);
          array.clamp(x, 0, LO, HI, fromArray, 0, n);
        }
      }
      for (int i = 0; i < n; i++) {
        int p = x[i];
        int q = y[i];
        expected[i] =
            switch (kernel) {
              case "add" -> p + q;
              case "sub" -> p - q;
              case "mul" -> p * q;
              case "neg" -> -p;
              case "abs" -> p < 0 ? -p : p; // wraps at MIN_VALUE, as Math.abs
              case "minimum" -> p < q ? p : q;
              case "maximum" -> p > q ? p : q;
              default -> p < LO ? LO : p > HI ? HI : p;
            };
      }
      int[] all = IntegerSegmentData.ints(out);
      assertArrayEquals(expected, Arrays.copyOfRange(all, 2, 2 + n), kernel + " " + at);
      assertArrayEquals(fromArray, expected, kernel + " as the array " + at);
      assertEquals(SENTINEL, all[0], kernel + " before its range " + at);
      assertEquals(SENTINEL, all[1], kernel + " before its range " + at);
      for (int i = 2 + n; i < all.length; i++) {
        assertEquals(SENTINEL, all[i], kernel + " after its range " + at);
      }
    }
    // in place: out is a
    MemorySegment copy = IntegerSegmentData.ints(arena, Storage.NATIVE, x, 0, GUARD);
    k.neg(copy, 0, copy, 0, n);
    k.add(copy, 0, copy, 0, copy, 0, n);
    for (int i = 0; i < n; i++) {
      assertEquals(-x[i] * 2, copy.getAtIndex(INT_LE, i), "in place at " + i + " " + at);
    }
  }

  private static void scans(
      Arena arena,
      Storage storage,
      IntSegmentKernels k,
      IntKernels array,
      int[] x,
      MemorySegment a,
      long aAt,
      int n,
      String at) {
    for (long initial : new long[] {0, -12345, 1L << 62, -(1L << 62)}) {
      long[] sentinels = new long[n];
      Arrays.fill(sentinels, SENTINEL);
      MemorySegment out = IntegerSegmentData.longs(arena, storage, sentinels, 1, SENTINEL);
      k.prefixSum(a, aAt, out, 8, n, initial);
      long[] fromArray = new long[n];
      array.prefixSum(x, 0, fromArray, 0, n, initial);
      long[] all = IntegerSegmentData.longs(out);
      long s = initial;
      for (int i = 0; i < n; i++) {
        s += x[i]; // |initial| <= 2^62 and fewer than 2^31 ints: exact
        assertEquals(s, all[i + 1], "prefixSum at " + i + " from " + initial + " " + at);
        assertEquals(fromArray[i], all[i + 1], "prefixSum as the array " + at);
      }
      assertEquals(SENTINEL, all[0], "prefixSum before its range " + at);
      assertEquals(SENTINEL, all[n + 1], "prefixSum after its range " + at);
    }
    float[] nans = new float[n];
    Arrays.fill(nans, Float.NaN);
    MemorySegment out = SegmentTestData.floats(arena, storage, nans, 1, Float.NaN);
    k.toFloat(a, aAt, out, 4, n);
    for (int i = 0; i < n + 2; i++) {
      boolean inside = i >= 1 && i <= n;
      float expected = inside ? (float) x[i - 1] : Float.NaN; // Java's cast: nearest even
      assertEquals(expected, out.getAtIndex(FLOAT_LE, i), "toFloat at " + i + " " + at);
    }
  }

  /**
   * A dot product whose exact value does not fit (four products of 2^62) throws from both kernel
   * classes, as the array kernels do; with products of opposite signs after it, it fits.
   */
  @ParameterizedTest
  @EnumSource(
      value = Storage.class,
      names = {"NATIVE", "UNALIGNED"})
  void dotOverflowsExactlyWhenTheArrayKernelDoes(Storage storage) {
    for (String kernels : List.of("scalar", "vector")) {
      IntSegmentKernels k = segmentKernels(kernels);
      int n = 100;
      int[] x = new int[n];
      int[] y = new int[n];
      for (int i = 0; i < 4; i++) {
        x[10 + i] = y[10 + i] = Integer.MIN_VALUE;
        x[70 + i] = Integer.MIN_VALUE;
        y[70 + i] = Integer.MAX_VALUE;
      }
      try (Arena arena = Arena.ofShared()) {
        MemorySegment a = IntegerSegmentData.ints(arena, storage, x, 0, 0);
        MemorySegment b = IntegerSegmentData.ints(arena, storage, y, 0, 0);
        assertEquals(1L << 33, k.dot(a, 0, b, 0, n), kernels);
        assertThrows(ArithmeticException.class, () -> k.dot(a, 0, b, 0, 60), kernels);
        assertThrows(ArithmeticException.class, () -> arrayKernels(kernels).dot(x, 0, y, 0, 60));
      }
    }
  }
}
