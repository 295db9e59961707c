package dev.flynn.engine;

import static dev.flynn.engine.IntegerSegmentData.LONG_LE;
import static dev.flynn.engine.IntegerSegmentData.assertExact;
import static dev.flynn.engine.IntegerSegmentData.passes;
import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.IntKernelTest.Kind;
import dev.flynn.engine.SegmentTestData.Storage;
import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.Kernels;
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
 * The int segment kernels ({@link IntSegments}) in every mode, over heap, native, misaligned native
 * and mapped segments, at lengths around the block boundaries: every kernel against a reference
 * computed here (BigInteger sums and dot products, naive loops, Java's int operators), writing
 * nothing outside its range; overflow of the exact results; ranges past 2^31 elements.
 */
class IntSegmentsTest {

  /** The int kernels this class tests; {@link SegmentCoverageTest} checks the list. */
  static final Set<String> KERNELS =
      Set.of(
          "sum",
          "dot",
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
          "prefixSum",
          "toFloat");

  /** Around one and two blocks, and a length past AUTO's fork threshold (native only). */
  private static final int[] LENGTHS = {0, 1, 17, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3};

  private static final int AUTO_POOLED = FlynnOps.AUTO_FORK_STREAM + 13;
  private static final int[] OFFSETS = {0, 1, 3};
  private static final int GUARD = 0x7EADBEEF;
  private static final int SENTINEL = 0x5EED5EED;
  private static final int LO = -1 << 20;
  private static final int HI = 1 << 24;

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
    all.add(Arguments.of(Storage.NATIVE, Mode.AUTO, AUTO_POOLED, 1)); // AUTO on the pool
    return all.stream();
  }

  // ---------------------------------------------------------------- every kernel

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("cases")
  void everyKernelMatchesTheReference(Storage storage, Mode mode, int n, int offset) {
    int[] x = IntKernelTest.ints(Kind.FULL, n, 41);
    int[] y = IntKernelTest.ints(Kind.SMALL, n, 42);
    FlynnOps ops = flynn.using(mode);
    IntSegments segments = ops.intSegments();
    String at = storage + " " + mode + " n=" + n + " offset=" + offset;
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = IntegerSegmentData.ints(arena, storage, x, offset, GUARD);
      MemorySegment b = IntegerSegmentData.ints(arena, storage, y, offset + 1, GUARD);
      reductions(segments, x, a, offset, y, b, offset + 1, n, at);
      for (String kernel : List.of("add", "sub", "mul", "neg", "abs", "minimum", "maximum")) {
        elementwise(arena, storage, segments, kernel, x, a, offset, y, b, offset + 1, n, at);
      }
      elementwise(arena, storage, segments, "clamp", x, a, offset, y, b, offset + 1, n, at);
      prefixSum(arena, storage, segments, x, a, offset, n, at);
      toFloat(arena, storage, segments, x, a, offset, n, at);
      // the array form agrees, exceptions included
      assertEquals(ops.sum(x), segments.sum(a, offset, n), "array sum " + at);
      assertEquals(ops.dot(x, y), segments.dot(a, offset, b, offset + 1, n), "array dot " + at);
    }
  }

  private static void reductions(
      IntSegments s,
      int[] x,
      MemorySegment a,
      int aOff,
      int[] y,
      MemorySegment b,
      int bOff,
      int n,
      String at) {
    long[] xy = new long[n];
    long[] xx = new long[n];
    long[] xs = new long[n];
    for (int i = 0; i < n; i++) {
      xs[i] = x[i];
      xy[i] = (long) x[i] * y[i]; // |product| <= 2^62: exact
      xx[i] = (long) x[i] * x[i];
    }
    BigInteger sum = exactSum(xs);
    BigInteger dotXY = exactSum(xy);
    BigInteger dotXX = exactSum(xx);
    assertExact(sum, () -> s.sum(a, aOff, n), "sum " + at);
    assertExact(dotXY, () -> s.dot(a, aOff, b, bOff, n), "dot " + at);
    assertExact(dotXX, () -> s.dot(a, aOff, a, aOff, n), "dot with itself " + at);
    for (Comparison cmp : Comparison.values()) {
      long t = n == 0 ? 0 : y[n / 2];
      long expected = 0;
      for (int v : y) {
        expected += passes(v, cmp, t) ? 1 : 0;
      }
      assertEquals(expected, s.count(b, bOff, n, cmp, t), cmp + " count " + at);
    }
    assertEquals(n, s.count(a, aOff, n, Comparison.LESS, 1L << 40), "count, threshold > int");
    if (n == 0) {
      assertThrows(IllegalArgumentException.class, () -> s.min(a, aOff, 0));
      assertThrows(IllegalArgumentException.class, () -> s.max(a, aOff, 0));
      assertThrows(IllegalArgumentException.class, () -> s.argmin(a, aOff, 0));
      assertThrows(IllegalArgumentException.class, () -> s.argmax(a, aOff, 0));
      return;
    }
    for (int[] data : List.of(x, y)) { // y: many ties, the first one counts
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

  /** The exact sum: long additions while they fit, carried into a BigInteger when not. */
  static BigInteger exactSum(long[] terms) {
    BigInteger total = BigInteger.ZERO;
    long partial = 0;
    for (long t : terms) {
      long next = partial + t;
      if (((partial ^ next) & (t ^ next)) < 0) { // would overflow: flush first
        total = total.add(BigInteger.valueOf(partial));
        next = t;
      }
      partial = next;
    }
    return total.add(BigInteger.valueOf(partial));
  }

  private static void elementwise(
      Arena arena,
      Storage storage,
      IntSegments s,
      String kernel,
      int[] x,
      MemorySegment a,
      int aOff,
      int[] y,
      MemorySegment b,
      int bOff,
      int n,
      String at) {
    int outOff = 3 - aOff;
    int[] sentinels = new int[n];
    Arrays.fill(sentinels, SENTINEL);
    MemorySegment out = IntegerSegmentData.ints(arena, storage, sentinels, outOff, SENTINEL);
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
    int[] expected = new int[n];
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
    int[] outside = new int[all.length - n];
    System.arraycopy(all, 0, outside, 0, outOff);
    System.arraycopy(all, outOff + n, outside, outOff, all.length - outOff - n);
    int[] allSentinels = new int[outside.length];
    Arrays.fill(allSentinels, SENTINEL);
    assertArrayEquals(allSentinels, outside, kernel + " wrote outside its range " + at);
    assertArrayEquals(expected, Arrays.copyOfRange(all, outOff, outOff + n), kernel + " " + at);
    assertArrayEquals(
        IntKernelTest.padded(x, aOff, GUARD), IntegerSegmentData.ints(a), "input changed " + at);
  }

  private static void prefixSum(
      Arena arena,
      Storage storage,
      IntSegments s,
      int[] x,
      MemorySegment a,
      int aOff,
      int n,
      String at) {
    int outOff = 2;
    long[] sentinels = new long[n];
    Arrays.fill(sentinels, SENTINEL);
    MemorySegment out = IntegerSegmentData.longs(arena, storage, sentinels, outOff, SENTINEL);
    s.prefixSum(a, aOff, out, outOff, n);
    long[] all = IntegerSegmentData.longs(out);
    long running = 0;
    for (int i = 0; i < all.length; i++) {
      if (i < outOff || i >= outOff + n) {
        assertEquals(SENTINEL, all[i], "prefixSum wrote outside its range at " + i + " " + at);
      } else {
        running += x[i - outOff]; // fewer than 2^31 ints: exact in long
        assertEquals(running, all[i], "prefixSum at " + (i - outOff) + " " + at);
      }
    }
  }

  private static void toFloat(
      Arena arena,
      Storage storage,
      IntSegments s,
      int[] x,
      MemorySegment a,
      int aOff,
      int n,
      String at) {
    float[] nans = new float[n];
    Arrays.fill(nans, Float.NaN);
    MemorySegment out = SegmentTestData.floats(arena, storage, nans, 2, Float.NaN);
    s.toFloat(a, aOff, out, 2, n);
    float[] all = SegmentTestData.floats(out);
    for (int i = 0; i < all.length; i++) {
      boolean inside = i >= 2 && i < 2 + n;
      float expected = inside ? (float) x[i - 2] : Float.NaN; // Java's cast: round to nearest even
      assertEquals(expected, all[i], "toFloat at " + i + " " + at);
    }
  }

  // ---------------------------------------------------------------- in place, whole segments

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wholeSegmentFormsAndAnOutputThatIsTheInput(Mode mode) {
    int n = 2 * BLOCK + 7;
    int[] x = IntKernelTest.ints(Kind.FULL, n, 43);
    int[] y = IntKernelTest.ints(Kind.HALF, n, 44);
    IntSegments s = flynn.using(mode).intSegments();
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = arena.allocate(4L * n);
      MemorySegment b = arena.allocate(4L * n);
      MemorySegment.copy(x, 0, a, IntSegments.LAYOUT, 0, n);
      MemorySegment.copy(y, 0, b, IntSegments.LAYOUT, 0, n);
      BigInteger dot = BigInteger.ZERO;
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += x[i];
        dot = dot.add(BigInteger.valueOf((long) x[i] * y[i]));
      }
      assertEquals(sum, s.sum(a), mode + " sum");
      assertEquals(dot.longValueExact(), s.dot(a, b), mode + " dot");
      assertEquals(Arrays.stream(x).min().orElseThrow(), s.min(a), mode + " min");
      assertEquals(Arrays.stream(x).max().orElseThrow(), s.max(a), mode + " max");
      MemorySegment scan = arena.allocate(8L * n);
      s.prefixSum(a, scan);
      assertEquals(sum, scan.getAtIndex(LONG_LE, n - 1), mode + " prefixSum");
      s.add(a, b, a); // in place: a = a + b
      s.neg(a, a);
      for (int i = 0; i < n; i += 97) {
        assertEquals(-(x[i] + y[i]), a.getAtIndex(IntSegments.LAYOUT, i), mode + " at " + i);
      }
    }
  }

  // ---------------------------------------------------------------- overflow

  /**
   * A dot product whose first block does not fit in a long (four products of 2^62) while the whole
   * does (four products of -2^62 + 2^31 in the next block): the exact total in every mode, as the
   * array form; without the second block, ArithmeticException.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aDotWhoseBlockOverflowsButWhoseTotalFits(Mode mode) {
    int n = 3 * BLOCK + 5;
    int[] x = new int[n];
    int[] y = new int[n];
    for (int i = 0; i < 4; i++) {
      x[10 + i] = y[10 + i] = Integer.MIN_VALUE; // 2^62 each
      x[BLOCK + 20 + i] = Integer.MIN_VALUE;
      y[BLOCK + 20 + i] = Integer.MAX_VALUE; // -2^62 + 2^31 each
    }
    FlynnOps ops = flynn.using(mode);
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = IntegerSegmentData.ints(arena, Storage.NATIVE, x, 1, GUARD);
      MemorySegment b = IntegerSegmentData.ints(arena, Storage.UNALIGNED, y, 2, GUARD);
      assertEquals(1L << 33, ops.intSegments().dot(a, 1, b, 2, n), mode + " dot");
      assertEquals(1L << 33, ops.dot(x, y), mode + " array dot");
      ArithmeticException e =
          assertThrows(
              ArithmeticException.class, () -> ops.intSegments().dot(a, 1, b, 2, BLOCK + 20));
      assertEquals(
          "long overflow: the exact sum " + BigInteger.ONE.shiftLeft(64) + " does not fit",
          e.getMessage());
      assertThrows(ArithmeticException.class, () -> ops.dot(x, 0, y, 0, BLOCK + 20));
    }
  }

  /**
   * The checked scan a block takes when its carry is beyond 2^62 in magnitude (only past 2^32
   * ints): exact prefixes while they fit; nothing written when one does not, and the message names
   * the index in the range of the first that does not.
   */
  @Test
  void aScanFromACarryNearTheLongRangeIsChecked() {
    int[] values = {5, -7, Integer.MAX_VALUE, 1, 2};
    long carry = Long.MAX_VALUE - (1L << 31) + 2;
    try (Arena arena = Arena.ofShared()) {
      for (Storage storage : Storage.values()) {
        for (var k : List.of(Kernels.scalarIntSegments(), Kernels.vectorIntSegments())) {
          String at = storage + " " + k.name();
          MemorySegment in = IntegerSegmentData.ints(arena, storage, values, 1, GUARD);
          long[] sentinels = new long[values.length];
          Arrays.fill(sentinels, SENTINEL);
          MemorySegment out = IntegerSegmentData.longs(arena, storage, sentinels, 1, SENTINEL);
          assertEquals(4, IntSegments.scanBlock(k, in, 4, out, 8, 4, carry), at);
          assertArrayEquals(
              new long[] {SENTINEL, carry + 5, carry - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE},
              Arrays.copyOf(IntegerSegmentData.longs(out), 5),
              at);
          MemorySegment clean = IntegerSegmentData.longs(arena, storage, sentinels, 1, SENTINEL);
          assertEquals(0, IntSegments.scanBlock(k, in, 4, clean, 8, 5, carry), at);
          for (long v : IntegerSegmentData.longs(clean)) {
            assertEquals(SENTINEL, v, "nothing written on overflow " + at);
          }
          ArithmeticException e =
              IntegerSegmentBlocks.prefixOverflow(in, IntSegments.LAYOUT, 4, 5, 1000, carry);
          assertEquals(
              "long overflow: the prefix sum at index 1004 of the range does not fit ("
                  + Long.MAX_VALUE
                  + " + 2)",
              e.getMessage(),
              at);
          MemorySegment minus4 = IntegerSegmentData.ints(arena, storage, new int[] {-4}, 0, GUARD);
          assertEquals(0, IntSegments.scanBlock(k, minus4, 0, clean, 0, 1, Long.MIN_VALUE + 3), at);
          // within 2^62 the kernel runs
          assertEquals(5, IntSegments.scanBlock(k, in, 4, out, 0, 5, 1L << 62), at);
          assertEquals((1L << 62) + 5 - 7 + Integer.MAX_VALUE + 3, out.getAtIndex(LONG_LE, 4), at);
        }
      }
    }
  }

  // ---------------------------------------------------------------- files, determinism

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aMappedFileOfInts(Mode mode) throws IOException {
    int n = 3 * BLOCK + 11;
    int[] x = IntKernelTest.ints(Kind.FULL, n, 45);
    ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asIntBuffer().put(x);
    Path in = Files.write(dir.resolve("x-" + mode + ".i32"), bytes.array());
    Path outPath = dir.resolve("scan-" + mode + ".i64");
    try (RandomAccessFile file = new RandomAccessFile(outPath.toFile(), "rw")) {
      file.setLength(8L * n);
    }
    IntSegments s = flynn.using(mode).intSegments();
    try (MappedFile f = MappedFile.readOnly(in);
        MappedFile out = MappedFile.readWrite(outPath)) {
      long sum = 0;
      int argmax = 0;
      for (int i = 0; i < n; i++) {
        sum += x[i];
        argmax = x[i] > x[argmax] ? i : argmax;
      }
      assertEquals(sum, s.sum(f.segment()), mode + " sum");
      assertEquals(argmax, s.argmax(f.segment()), mode + " argmax");
      assertEquals(x[argmax], s.max(f.segment()), mode + " max");
      s.prefixSum(f.segment(), out.segment());
      assertEquals(sum, out.segment().getAtIndex(LONG_LE, n - 1), mode + " scan into a file");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> s.neg(f.segment(), f.segment()));
      assertTrue(e.getMessage().contains("out is a read-only segment"), e.getMessage());
    }
  }

  /**
   * A sparse file of 2^31 + 1000 ints with values only beyond index 2^31: ranges there, at offsets
   * no int can hold, touching a few pages.
   */
  @Test
  void rangesBeyond2To31Ints() throws IOException {
    long big = (1L << 31) + 1000;
    long at = 1L << 31;
    Path path = dir.resolve("sparse.i32");
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(4 * big);
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      for (long[] v : new long[][] {{at + 5, 7}, {at + 6, -3}, {at + 500, -9}, {at + 999, 11}}) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) v[1]);
        channel.write(b, 4 * v[0]);
      }
    }
    try (MappedFile f = MappedFile.readOnly(path);
        Arena arena = Arena.ofShared()) {
      MemorySegment s = f.segment();
      long from = at - 40_000;
      long length = big - from;
      for (Mode mode : Mode.values()) {
        IntSegments is = flynn.using(mode).intSegments();
        assertEquals(7 - 3 - 9 + 11, is.sum(s, from, length), mode + " sum");
        assertEquals(at + 999 - from, is.argmax(s, from, length), mode + " argmax");
        assertEquals(at + 500 - from, is.argmin(s, from, length), mode + " argmin");
        assertEquals(-9, is.min(s, from, length), mode + " min");
        assertEquals(4L, is.count(s, from, length, Comparison.NOT_EQUAL, 0), mode + " count");
        assertEquals(49 + 9, is.dot(s, at + 5, s, at + 5, 2), mode + " dot");
        MemorySegment scan = arena.allocate(8 * length);
        is.prefixSum(s, from, scan, 0, length);
        assertEquals(4L, scan.getAtIndex(LONG_LE, at + 6 - from), mode + " scan");
        assertEquals(6L, scan.getAtIndex(LONG_LE, length - 1), mode + " scan");
      }
    }
  }

  @Test
  void theThreadCountChangesNothing() {
    int n = 5 * BLOCK + 3;
    int[] x = IntKernelTest.ints(Kind.FULL, n, 46);
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = IntegerSegmentData.ints(arena, Storage.NATIVE, x, 0, GUARD);
      List<List<Long>> results = new ArrayList<>();
      for (int threads : new int[] {1, 2, 4}) {
        try (Flynn f = Flynn.builder().threads(threads).mode(Mode.SIMD_MIMD).build()) {
          IntSegments s = f.intSegments();
          results.add(
              List.of(
                  s.sum(a, 0, n),
                  s.argmin(a, 0, n),
                  s.argmax(a, 0, n),
                  s.count(a, 0, n, Comparison.GREATER, 0)));
        }
      }
      assertEquals(results.get(0), results.get(1));
      assertEquals(results.get(0), results.get(2));
    }
  }
}
