package dev.flynn.engine;

import static dev.flynn.engine.IntegerSegmentData.LONG_LE;
import static dev.flynn.engine.IntegerSegmentData.passes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.LongKernelTest.Kind;
import dev.flynn.engine.SegmentTestData.Storage;
import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.LongKernels;
import dev.flynn.kernels.LongSegmentKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct long segment kernels ({@link LongSegmentKernels}), scalar and vector, called as the
 * engine calls them on one block: every kernel against a naive reference written here and against
 * the array kernel of the same class ({@link LongKernels}), exceptions included, at lengths around
 * the vector, unroll and chunk boundaries, aligned and misaligned, on data with the long extremes;
 * the checked scan's stop (nothing written from it on, inputs there untouched even in place); and,
 * through the engine, an in-place scan that overflows inside a block gets the block's inputs back.
 */
class LongSegmentKernelsTest {

  private static final long GUARD = 0x7EADBEEF_0BADF00DL;
  private static final long SENTINEL = 0x5EED5EED_5EED5EEDL;
  private static final long LO = -1L << 40;
  private static final long HI = 1L << 44;

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String kernels : List.of("scalar", "vector")) {
      for (int n : IntSegmentKernelsTest.LENGTHS) {
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

  static LongSegmentKernels segmentKernels(String kernels) {
    return kernels.equals("scalar") ? Kernels.scalarLongSegments() : Kernels.vectorLongSegments();
  }

  static LongKernels arrayKernels(String kernels) {
    return kernels.equals("scalar") ? Kernels.scalarLongs() : Kernels.vectorLongs();
  }

  /** Random longs with the extremes (sums and scans overflow), small ones, and medium ones. */
  static List<long[]> data(int n) {
    return List.of(
        LongKernelTest.longs(Kind.FULL, n, 81),
        LongKernelTest.longs(Kind.SMALL, n, 82),
        LongKernelTest.longs(Kind.MEDIUM, n, 83));
  }

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("cases")
  void everyKernelMatchesTheReferenceAndTheArrayKernel(
      String kernels, Storage storage, int n, int offset) {
    LongSegmentKernels k = segmentKernels(kernels);
    LongKernels array = arrayKernels(kernels);
    try (Arena arena = Arena.ofShared()) {
      List<long[]> data = data(n);
      for (int d = 0; d < data.size(); d++) {
        long[] x = data.get(d);
        long[] y = data.get((d + 1) % data.size());
        String at = kernels + " " + storage + " n=" + n + " offset=" + offset + " data " + d;
        MemorySegment a = IntegerSegmentData.longs(arena, storage, x, offset, GUARD);
        MemorySegment b = IntegerSegmentData.longs(arena, storage, y, offset, GUARD);
        long aAt = 8L * offset;
        reductions(k, array, x, a, aAt, n, at);
        elementwise(arena, storage, k, array, x, a, aAt, y, b, n, at);
        scan(arena, storage, k, array, x, a, aAt, n, 0, at);
        scan(arena, storage, k, array, x, a, aAt, n, Long.MAX_VALUE - 1000, at);
        scan(arena, storage, k, array, x, a, aAt, n, Long.MIN_VALUE + 1000, at);
        assertArrayEquals(
            LongKernelTest.padded(x, offset, GUARD), IntegerSegmentData.longs(a), "input " + at);
      }
    }
  }

  private static void reductions(
      LongSegmentKernels k,
      LongKernels array,
      long[] x,
      MemorySegment a,
      long aAt,
      int n,
      String at) {
    BigInteger sum = BigInteger.ZERO;
    int min = 0;
    int max = 0;
    for (int i = 0; i < n; i++) {
      sum = sum.add(BigInteger.valueOf(x[i]));
      min = x[i] < x[min] ? i : min;
      max = x[i] > x[max] ? i : max;
    }
    IntegerSegmentData.assertExact(sum, () -> k.sum(a, aAt, n), "sum " + at);
    IntegerSegmentData.assertExact(sum, () -> array.sum(x, 0, n), "array sum " + at);
    assertEquals(x[min], k.min(a, aAt, n), "min " + at);
    assertEquals(x[max], k.max(a, aAt, n), "max " + at);
    assertEquals(min, k.argmin(a, aAt, n), "argmin " + at);
    assertEquals(max, k.argmax(a, aAt, n), "argmax " + at);
    long[] thresholds =
        n < 1000
            ? new long[] {x[n / 2], 0, Long.MIN_VALUE, Long.MAX_VALUE, -7}
            : new long[] {x[n / 2], Long.MAX_VALUE};
    for (long t : thresholds) {
      for (Comparison cmp : Comparison.values()) {
        long expected = 0;
        for (long v : x) {
          expected += passes(v, cmp, t) ? 1 : 0;
        }
        assertEquals(expected, k.count(a, aAt, n, cmp, t), cmp + " " + t + " count " + at);
        assertEquals(array.count(x, 0, n, cmp, t), expected, "array count " + at);
      }
    }
  }

  private static void elementwise(
      Arena arena,
      Storage storage,
      LongSegmentKernels k,
      LongKernels array,
      long[] x,
      MemorySegment a,
      long aAt,
      long[] y,
      MemorySegment b,
      int n,
      String at) {
    for (String kernel :
        List.of("add", "sub", "mul", "neg", "abs", "minimum", "maximum", "clamp")) {
      long[] sentinels = new long[n];
      Arrays.fill(sentinels, SENTINEL);
      MemorySegment out = IntegerSegmentData.longs(arena, storage, sentinels, 2, SENTINEL);
      long[] expected = new long[n];
      long[] fromArray = new long[n];
      switch (kernel) {
        case "add" -> {
          k.add(a, aAt, b, aAt, out, 16, n);
          array.add(x, 0, y, 0, fromArray, 0, n);
        }
        case "sub" -> {
          k.sub(a, aAt, b, aAt, out, 16, n);
          array.sub(x, 0, y, 0, fromArray, 0, n);
        }
        case "mul" -> {
          k.mul(a, aAt, b, aAt, out, 16, n);
          array.mul(x, 0, y, 0, fromArray, 0, n);
        }
        case "neg" -> {
          k.neg(a, aAt, out, 16, n);
          array.neg(x, 0, fromArray, 0, n);
        }
        case "abs" -> {
          k.abs(a, aAt, out, 16, n);
          array.abs(x, 0, fromArray, 0, n);
        }
        case "minimum" -> {
          k.minimum(a, aAt, b, aAt, out, 16, n);
          array.minimum(x, 0, y, 0, fromArray, 0, n);
        }
        case "maximum" -> {
          k.maximum(a, aAt, b, aAt, out, 16, n);
          array.maximum(x, 0, y, 0, fromArray, 0, n);
        }
        default -> {
          k.clamp(a, aAt, LO, HI, out, 16, n);
          array.clamp(x, 0, LO, HI, fromArray, 0, n);
        }
      }
      for (int i = 0; i < n; i++) {
        long p = x[i];
        long q = y[i];
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
      long[] all = IntegerSegmentData.longs(out);
      assertArrayEquals(expected, Arrays.copyOfRange(all, 2, 2 + n), kernel + " " + at);
      assertArrayEquals(fromArray, expected, kernel + " as the array " + at);
      assertEquals(SENTINEL, all[0], kernel + " before its range " + at);
      assertEquals(SENTINEL, all[1], kernel + " before its range " + at);
      for (int i = 2 + n; i < all.length; i++) {
        assertEquals(SENTINEL, all[i], kernel + " after its range " + at);
      }
    }
    MemorySegment copy = IntegerSegmentData.longs(arena, Storage.NATIVE, x, 0, GUARD);
    k.neg(copy, 0, copy, 0, n);
    k.sub(copy, 0, copy, 0, copy, 0, n);
    for (int i = 0; i < n; i++) {
      assertEquals(0, copy.getAtIndex(LONG_LE, i), "in place at " + i + " " + at);
    }
  }

  /**
   * The checked scan from {@code initial}: every prefix when all fit, as the array kernel; else a
   * stop at or before the first overflow (within one vector of 32 lanes at most), the prefixes
   * before it written, nothing from it on. Then the same in place.
   */
  private static void scan(
      Arena arena,
      Storage storage,
      LongSegmentKernels k,
      LongKernels array,
      long[] x,
      MemorySegment a,
      long aAt,
      int n,
      long initial,
      String at) {
    long[] prefixes = new long[n];
    int first = -1;
    long s = initial;
    for (int i = 0; i < n && first < 0; i++) {
      try {
        s = Math.addExact(s, x[i]);
        prefixes[i] = s;
      } catch (ArithmeticException e) {
        first = i;
      }
    }
    String what = "prefixSum from " + initial + " " + at;
    long[] sentinels = new long[n];
    Arrays.fill(sentinels, SENTINEL);
    MemorySegment out = IntegerSegmentData.longs(arena, storage, sentinels, 1, SENTINEL);
    int written = k.prefixSum(a, aAt, out, 8, n, initial);
    long[] all = IntegerSegmentData.longs(out);
    long[] fromArray = new long[n];
    if (first < 0) {
      assertEquals(n, written, what);
      array.prefixSum(x, 0, fromArray, 0, n, initial);
      assertArrayEquals(prefixes, Arrays.copyOfRange(all, 1, n + 1), what);
      assertArrayEquals(prefixes, fromArray, "array " + what);
    } else {
      assertTrue(written <= first && first < written + 32, written + " for " + first + " " + what);
      assertThrows(
          ArithmeticException.class, () -> array.prefixSum(x, 0, fromArray, 0, n, initial), what);
      for (int i = 0; i < n; i++) {
        assertEquals(i < written ? prefixes[i] : SENTINEL, all[i + 1], "at " + i + " " + what);
      }
    }
    assertEquals(SENTINEL, all[0], "before the range " + what);
    assertEquals(SENTINEL, all[n + 1], "after the range " + what);
    // in place: the inputs from the stop on are untouched
    MemorySegment copy = IntegerSegmentData.longs(arena, storage, x, 1, GUARD);
    assertEquals(written, k.prefixSum(copy, 8, copy, 8, n, initial), "in place " + what);
    long[] inPlace = IntegerSegmentData.longs(copy);
    for (int i = 0; i < n; i++) {
      assertEquals(i < written ? prefixes[i] : x[i], inPlace[i + 1], "in place " + i + what);
    }
  }

  /**
   * Through the engine, in every mode: a scan in place whose first overflow lies inside a block
   * throws naming it, and leaves that block as it was (its prefixes written before the stop are
   * turned back into the inputs); the blocks before it hold their prefix sums on one thread.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void anInPlaceScanThatOverflowsInsideABlockLeavesTheBlock(Mode mode) {
    int n = 2 * TestData.BLOCK + 100;
    long[] x = LongKernelTest.longs(Kind.SMALL, n, 84).clone(); // every prefix within 2^21
    int at = TestData.BLOCK + 777;
    x[at - 1] = Long.MAX_VALUE - (1L << 42);
    x[at] = 1L << 42; // the first prefix that does not fit
    x[at + 1] = -(1L << 43); // and back, so that no later block overflows
    assertEquals(at, IntegerSegmentData.firstPrefixOverflow(x), "the data");
    int first = at;
    try (Arena arena = Arena.ofShared();
        Flynn flynn = Flynn.builder().threads(3).build()) {
      MemorySegment a = IntegerSegmentData.longs(arena, Storage.UNALIGNED, x, 0, GUARD);
      ArithmeticException e =
          assertThrows(
              ArithmeticException.class,
              () -> flynn.using(mode).longSegments().prefixSum(a, 0, a, 0, n));
      assertTrue(
          e.getMessage().startsWith("long overflow: the prefix sum at index " + first + " "),
          e.getMessage());
      long[] after = IntegerSegmentData.longs(a);
      for (int i = TestData.BLOCK; i < 2 * TestData.BLOCK; i++) {
        assertEquals(x[i], after[i], mode + " the overflowing block at " + i);
      }
    }
  }

  /** A sum whose lanes overflow both ways while the total fits, and one whose total does not. */
  @Test
  void sumsAreExactOrThrow() {
    for (String kernels : List.of("scalar", "vector")) {
      LongSegmentKernels k = segmentKernels(kernels);
      long[] x = new long[67];
      x[3] = x[4] = x[20] = Long.MAX_VALUE;
      x[30] = x[31] = x[50] = Long.MIN_VALUE;
      try (Arena arena = Arena.ofShared()) {
        MemorySegment a = IntegerSegmentData.longs(arena, Storage.UNALIGNED, x, 0, 0);
        assertEquals(-3, k.sum(a, 0, 67), kernels);
        ArithmeticException e =
            assertThrows(ArithmeticException.class, () -> k.sum(a, 0, 30), kernels);
        assertEquals(
            "long overflow: the exact sum "
                + BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(3))
                + " does not fit",
            e.getMessage());
      }
    }
  }
}
