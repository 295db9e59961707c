package dev.flynn.engine;

import static dev.flynn.engine.IntegerSegmentData.assertExact;
import static dev.flynn.engine.IntegerSegmentData.passes;
import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.LongKernelTest.Kind;
import dev.flynn.engine.SegmentTestData.Storage;
import dev.flynn.kernels.Comparison;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long segment kernels ({@link LongSegments}) in every mode, over heap, native, misaligned
 * native and mapped segments, at lengths around the block boundaries: every kernel against a
 * reference computed here (BigInteger sums and scans, naive loops, Java's long operators); the
 * exact-or-nothing rule of sum and prefixSum on data whose blocks or intermediate sums overflow
 * while the result does not, and the reverse; ranges past 2^31 elements.
 */
class LongSegmentsTest {

  /** The long kernels this class tests; {@link SegmentCoverageTest} checks the list. */
  static final Set<String> KERNELS =
      Set.of(
          "sum",
          "min",
          "max",
          "argmin",
          "argmax",
          "count",
          "add",
          "sub",
          "mul",
          "neg",
          "abs",
          "minimum",
          "maximum",
          "clamp",
          "prefixSum");

  private static final int[] LENGTHS = {0, 1, 17, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3};
  private static final int[] OFFSETS = {0, 1, 3};
  private static final long GUARD = 0x7EADBEEF_7EADBEEFL;
  private static final long SENTINEL = 0x5EED5EED_5EED5EEDL;
  private static final long LO = -1L << 40;
  private static final long HI = 1L << 50;

  private static Flynn flynn;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Storage storage : Storage.values()) {
      for (Mode mode : Mode.values()) {
        for (int n : LENGTHS) {
          for (int offset : OFFSETS) {
            // native memory at every length and offset; heap and misaligned segments at offset 1
            // and the lengths that cross a block boundary or end short of a vector
            if (storage == Storage.NATIVE
                || (offset == 1 && (n == 0 || n == 17 || n == BLOCK + 1 || n == 2 * BLOCK + 3))) {
              all.add(Arguments.of(storage, mode, n, offset));
            }
          }
        }
      }
    }
    // AUTO on the pool runs the runner's pooled path, which MIMD and SIMD_MIMD take here from two
    // blocks on; IntSegmentsTest runs AUTO past its fork threshold
    return all.stream();
  }

  // ---------------------------------------------------------------- every kernel

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("cases")
  void everyKernelMatchesTheReference(Storage storage, Mode mode, int n, int offset) {
    long[] x = LongKernelTest.longs(Kind.FULL, n, 51);
    long[] y = LongKernelTest.longs(Kind.SMALL, n, 52);
    long[] m = LongKernelTest.longs(Kind.MEDIUM, n, 53);
    FlynnOps ops = flynn.using(mode);
    LongSegments s = ops.longSegments();
    String at = storage + " " + mode + " n=" + n + " offset=" + offset;
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = IntegerSegmentData.longs(arena, storage, x, offset, GUARD);
      MemorySegment b = IntegerSegmentData.longs(arena, storage, y, offset + 1, GUARD);
      MemorySegment c = IntegerSegmentData.longs(arena, storage, m, offset + 2, GUARD);
      // sum: FULL data usually overflows (exception), MEDIUM data fits
      assertExact(IntSegmentsTest.exactSum(x), () -> s.sum(a, offset, n), "sum " + at);
      assertExact(IntSegmentsTest.exactSum(m), () -> s.sum(c, offset + 2, n), "sum " + at);
      assertEquals(ops.sum(m), s.sum(c, offset + 2, n), "array sum " + at);
      for (Comparison cmp : Comparison.values()) {
        long t = n == 0 ? 0 : y[n / 2];
        long expected = 0;
        for (long v : y) {
          expected += passes(v, cmp, t) ? 1 : 0;
        }
        assertEquals(expected, s.count(b, offset + 1, n, cmp, t), cmp + " count " + at);
      }
      extremes(s, x, a, offset, y, b, offset + 1, n, at);
      for (String kernel :
          List.of("add", "sub", "mul", "neg", "abs", "minimum", "maximum", "clamp")) {
        elementwise(arena, storage, s, kernel, x, a, offset, y, b, offset + 1, n, at);
      }
      prefixSum(arena, storage, s, m, c, offset + 2, n, at);
      prefixSum(arena, storage, s, x, a, offset, n, at); // usually overflows
    }
  }

  private static void extremes(
      LongSegments s,
      long[] x,
      MemorySegment a,
      int aOff,
      long[] y,
      MemorySegment b,
      int bOff,
      int n,
      String at) {
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> s.min(a, aOff, 0));
      assertThrows(IllegalArgumentException.class, () -> s.max(a, aOff, 0));
      assertThrows(IllegalArgumentException.class, () -> s.argmin(a, aOff, 0));
      assertThrows(IllegalArgumentException.class, () -> s.argmax(a, aOff, 0));
      return;
    }
    for (long[] data : List.of(x, y)) { // y: many ties, the first one counts
      MemorySegment seg = data == x ? a : b;
      int off = data == x ? aOff : bOff;
      int min = 0;
      int max = 0;
      for (int i = 1; i < n; i++) {
        min = data[i] < data[min] ? i : min;
        max = data[i] > data[max] ? i : max;
      }
      assertEquals(data[min], s.min(seg, off, n), "min " + at);
      assertEquals(data[max], s.max(seg, off, n), "max " + at);
      assertEquals(min, s.argmin(seg, off, n), "argmin " + at);
      assertEquals(max, s.argmax(seg, off, n), "argmax " + at);
    }
  }

  private static void elementwise(
      Arena arena,
      Storage storage,
      LongSegments s,
      String kernel,
      long[] x,
      MemorySegment a,
      int aOff,
      long[] y,
      MemorySegment b,
      int bOff,
      int n,
      String at) {
    int outOff = 3 - aOff;
    long[] sentinels = new long[n];
    Arrays.fill(sentinels, SENTINEL);
    MemorySegment out = IntegerSegmentData.longs(arena, storage, sentinels, outOff, SENTINEL);
    switch (kernel) {
      case "add" -> s.add(a, aOff, b, bOff, out, outOff, n);
      case "sub" -> s.sub(a, aOff, b, bOff, out, outOff, n);
      case "mul" -> s.mul(a, aOff, b, bOff, out, outOff, n);
      case "neg" -> s.neg(a, aOff, out, outOff, n);
      case "abs" -> s.abs(a, aOff, out, outOff, n);
      case "minimum" -> s.minimum(a, aOff, b, bOff, out, outOff, n);
      case "maximum" -> s.maximum(a, aOff, b, bOff, out, outOff, n);
      case "clamp" -> s.clamp(a, aOff, LO, HI, out, outOff, n);
      default -> throw new AssertionError(kernel);
    }
    long[] expected = new long[n];
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
    for (int i = 0; i < all.length; i++) {
      if (i < outOff || i >= outOff + n) {
        assertEquals(SENTINEL, all[i], kernel + " wrote outside its range at " + i + " " + at);
      }
    }
    assertArrayEquals(expected, Arrays.copyOfRange(all, outOff, outOff + n), kernel + " " + at);
    assertArrayEquals(
        LongKernelTest.padded(x, aOff, GUARD), IntegerSegmentData.longs(a), "input changed " + at);
  }

  /** The scan of {@code data} (at {@code aOff} in {@code a}) against a BigInteger scan. */
  private static void prefixSum(
      Arena arena,
      Storage storage,
      LongSegments s,
      long[] data,
      MemorySegment a,
      int aOff,
      int n,
      String at) {
    int outOff = 2;
    long[] sentinels = new long[n];
    Arrays.fill(sentinels, SENTINEL);
    MemorySegment out = IntegerSegmentData.longs(arena, storage, sentinels, outOff, SENTINEL);
    int first = IntegerSegmentData.firstPrefixOverflow(data);
    if (first >= 0) {
      ArithmeticException e =
          assertThrows(ArithmeticException.class, () -> s.prefixSum(a, aOff, out, outOff, n), at);
      assertNamesAnOverflow(data, e, s.mode(), first);
      return;
    }
    s.prefixSum(a, aOff, out, outOff, n);
    long[] all = IntegerSegmentData.longs(out);
    long running = 0;
    for (int i = 0; i < all.length; i++) {
      if (i < outOff || i >= outOff + n) {
        assertEquals(SENTINEL, all[i], "prefixSum wrote outside its range at " + i + " " + at);
      } else {
        running = Math.addExact(running, data[i - outOff]); // no prefix overflows: exact
        assertEquals(running, all[i], "prefixSum at " + (i - outOff) + at);
      }
    }
  }

  /**
   * The message names an index whose prefix sum does not fit while the one before does: the first
   * of the range on one thread; pooled, as in the array form, the first of some block.
   */
  private static void assertNamesAnOverflow(
      long[] data, ArithmeticException e, Mode mode, int first) {
    String message = e.getMessage();
    String prefix = "long overflow: the prefix sum at index ";
    assertTrue(message.startsWith(prefix), message);
    int index = Integer.parseInt(message.substring(prefix.length(), message.indexOf(' ', 40)));
    BigInteger before = BigInteger.ZERO;
    for (int i = 0; i < index; i++) {
      before = before.add(BigInteger.valueOf(data[i]));
    }
    BigInteger after = before.add(BigInteger.valueOf(data[index]));
    assertTrue(
        !IntegerSegmentData.fitsInLong(after), "the prefix at " + index + " fits: " + message);
    assertTrue(
        message.endsWith(
            "of the range does not fit (" + before.longValue() + " + " + data[index] + ")"),
        message);
    if (mode == Mode.SISD || mode == Mode.SIMD) {
      assertEquals(first, index, message);
    }
  }

  // ---------------------------------------------------------------- exact or nothing

  /** n longs, zero but for {@code values[k] = {index, value}}. */
  private static long[] sparse(int n, long[]... values) {
    long[] a = new long[n];
    for (long[] v : values) {
      a[(int) v[0]] = v[1];
    }
    return a;
  }

  /**
   * Sums whose blocks, or whose running sum of block partials, leave the long range while the total
   * does not, and totals that do not fit: the exact total or ArithmeticException in every mode, as
   * the array form.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void sumsThrowOnTheExactResultOnly(Mode mode) {
    int n = 4 * BLOCK + 3;
    long max = Long.MAX_VALUE;
    long min = Long.MIN_VALUE;
    List<long[]> rows =
        List.of(
            // block 0's own sum does not fit; block 1 brings it back: -2
            sparse(
                n,
                new long[] {3, max},
                new long[] {9, max},
                new long[] {BLOCK + 1, min},
                new long[] {BLOCK + 2, min}),
            // every block fits, the partials' running sum does not: max + max + min + min = -2
            sparse(
                n,
                new long[] {0, max},
                new long[] {BLOCK, max},
                new long[] {2 * BLOCK, min},
                new long[] {3 * BLOCK, min}),
            // the total itself does not fit
            sparse(n, new long[] {0, max}, new long[] {3 * BLOCK + 2, 1}),
            sparse(n, new long[] {5, min}, new long[] {BLOCK + 5, min}, new long[] {4 * BLOCK, 7}));
    FlynnOps ops = flynn.using(mode);
    try (Arena arena = Arena.ofShared()) {
      for (long[] data : rows) {
        MemorySegment a = IntegerSegmentData.longs(arena, Storage.UNALIGNED, data, 1, GUARD);
        BigInteger exact = IntSegmentsTest.exactSum(data);
        assertExact(exact, () -> ops.longSegments().sum(a, 1, n), mode + " sum");
        assertExact(exact, () -> ops.sum(data), mode + " array sum");
      }
    }
  }

  /**
   * Scans whose first overflow is at a block boundary, inside a block whose boundaries fit, or
   * nowhere although a block's own sum does not fit: in every mode the exception exactly when a
   * prefix sum does not fit (as the array form), naming such an index; the pooled modes write
   * nothing when the overflow is found at a block boundary.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void scansThrowExactlyWhenAPrefixDoesNotFit(Mode mode) {
    int n = 3 * BLOCK + 9;
    long max = Long.MAX_VALUE;
    long min = Long.MIN_VALUE;
    long[] atBoundary = sparse(n, new long[] {7, max}, new long[] {BLOCK, 1});
    long[] inside =
        sparse(
            n,
            new long[] {BLOCK + 10, max},
            new long[] {BLOCK + 11, 1},
            new long[] {BLOCK + 12, min});
    long[] blockSumTooBig =
        sparse(n, new long[] {2, min + 1}, new long[] {BLOCK, max}, new long[] {BLOCK + 1, max});
    FlynnOps ops = flynn.using(mode);
    try (Arena arena = Arena.ofShared()) {
      for (long[] data : List.of(atBoundary, inside, blockSumTooBig)) {
        MemorySegment a = IntegerSegmentData.longs(arena, Storage.NATIVE, data, 1, GUARD);
        prefixSum(arena, Storage.NATIVE, ops.longSegments(), data, a, 1, n, mode.name());
        int first = IntegerSegmentData.firstPrefixOverflow(data);
        long[] out = new long[n];
        if (first >= 0) {
          assertThrows(ArithmeticException.class, () -> ops.prefixSum(data, out), "array");
        } else {
          ops.prefixSum(data, out);
          MemorySegment scanned = arena.allocate(8L * n);
          ops.longSegments().prefixSum(a.asSlice(8, 8L * n), scanned);
          assertArrayEquals(out, IntegerSegmentData.longs(scanned), mode + " as the array form");
        }
      }
      if (mode == Mode.MIMD || mode == Mode.SIMD_MIMD) {
        MemorySegment a = IntegerSegmentData.longs(arena, Storage.NATIVE, atBoundary, 0, GUARD);
        MemorySegment out = arena.allocate(8L * n).fill((byte) 0x5A);
        ArithmeticException e =
            assertThrows(
                ArithmeticException.class, () -> ops.longSegments().prefixSum(a, 0, out, 0, n));
        assertTrue(e.getMessage().contains("at index " + BLOCK + " "), e.getMessage());
        for (long i = 0; i < n; i++) {
          assertEquals(0x5A5A5A5A5A5A5A5AL, out.getAtIndex(IntegerSegmentData.LONG_LE, i));
        }
      }
    }
  }

  // ---------------------------------------------------------------- in place, files

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wholeSegmentFormsAndAnOutputThatIsTheInput(Mode mode) {
    int n = 2 * BLOCK + 7;
    long[] x = LongKernelTest.longs(Kind.MEDIUM, n, 54);
    LongSegments s = flynn.using(mode).longSegments();
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = arena.allocate(8L * n);
      MemorySegment.copy(x, 0, a, LongSegments.LAYOUT, 0, n);
      long sum = 0;
      for (long v : x) {
        sum += v; // |x| < 2^40, n < 2^16: exact
      }
      assertEquals(sum, s.sum(a), mode + " sum");
      assertEquals(Arrays.stream(x).min().orElseThrow(), s.min(a), mode + " min");
      s.prefixSum(a, a); // in place
      assertEquals(sum, a.getAtIndex(LongSegments.LAYOUT, n - 1), mode + " prefixSum in place");
      assertEquals(x[0] + x[1], a.getAtIndex(LongSegments.LAYOUT, 1), mode + " prefixSum");
      s.abs(a, a);
      assertEquals(Math.abs(sum), a.getAtIndex(LongSegments.LAYOUT, n - 1), mode + " abs");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aMappedFileOfLongs(Mode mode) throws IOException {
    int n = 3 * BLOCK + 11;
    long[] x = LongKernelTest.longs(Kind.MEDIUM, n, 55);
    ByteBuffer bytes = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(x);
    Path in = Files.write(dir.resolve("x-" + mode + ".i64"), bytes.array());
    Path outPath = dir.resolve("out-" + mode + ".i64");
    try (RandomAccessFile file = new RandomAccessFile(outPath.toFile(), "rw")) {
      file.setLength(8L * n);
    }
    LongSegments s = flynn.using(mode).longSegments();
    try (MappedFile f = MappedFile.readOnly(in);
        MappedFile out = MappedFile.readWrite(outPath)) {
      long sum = 0;
      int argmin = 0;
      for (int i = 0; i < n; i++) {
        sum += x[i];
        argmin = x[i] < x[argmin] ? i : argmin;
      }
      assertEquals(sum, s.sum(f.segment()), mode + " sum");
      assertEquals(argmin, s.argmin(f.segment()), mode + " argmin");
      s.prefixSum(f.segment(), out.segment());
      assertEquals(sum, out.segment().getAtIndex(LongSegments.LAYOUT, n - 1), mode + " scan");
      s.sub(f.segment(), f.segment(), out.segment());
      assertEquals(0L, out.segment().getAtIndex(LongSegments.LAYOUT, 5), mode + " sub");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> s.prefixSum(out.segment(), f.segment()));
      assertTrue(e.getMessage().contains("out is a read-only segment"), e.getMessage());
    }
  }

  /** A sparse file of 2^31 + 1000 longs (16 GiB of holes), reached past 2^31 elements. */
  @Test
  void rangesBeyond2To31Longs() throws IOException {
    long big = (1L << 31) + 1000;
    long at = 1L << 31;
    Path path = dir.resolve("sparse.i64");
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(8 * big);
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      long[][] values = {{at + 5, Long.MAX_VALUE}, {at + 6, 9}, {at + 500, Long.MIN_VALUE}};
      for (long[] v : values) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v[1]);
        channel.write(b, 8 * v[0]);
      }
    }
    try (MappedFile f = MappedFile.readOnly(path);
        Arena arena = Arena.ofShared()) {
      MemorySegment s = f.segment();
      long from = at - 40_000;
      long length = big - from;
      for (Mode mode : Mode.values()) {
        LongSegments ls = flynn.using(mode).longSegments();
        // MAX + 9 leaves the range, MIN brings it back: 8, exact
        assertEquals(8L, ls.sum(s, from, length), mode + " sum");
        assertEquals(at + 5 - from, ls.argmax(s, from, length), mode + " argmax");
        assertEquals(at + 500 - from, ls.argmin(s, from, length), mode + " argmin");
        assertEquals(3L, ls.count(s, from, length, Comparison.NOT_EQUAL, 0), mode + " count");
        MemorySegment scan = arena.allocate(8 * length);
        ArithmeticException e =
            assertThrows(ArithmeticException.class, () -> ls.prefixSum(s, from, scan, 0, length));
        assertTrue(e.getMessage().contains("index " + (at + 6 - from) + " "), e.getMessage());
        ls.prefixSum(s, at + 6, scan, 0, 1000 - 6);
        assertEquals(9L + Long.MIN_VALUE, scan.getAtIndex(LongSegments.LAYOUT, 999 - 6), mode + "");
      }
    }
  }
}
