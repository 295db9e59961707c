package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.TestData.Kind;
import dev.flynn.kernels.Comparison;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files of little-endian floats and doubles, written here with a plain {@link ByteBuffer}, mapped
 * by {@link MappedFile} and reduced or transformed in place; and a sparse file of more than 2^31
 * floats, reached at offsets beyond 2^31 elements without touching most of it.
 */
class MappedFileTest {

  /** 2^31 + 1000 floats: 8 GiB of sparse file, only a few pages of it ever written. */
  static final long BIG = (1L << 31) + 1000;

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

  private static Path writeFloats(String name, float[] values) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return Files.write(dir.resolve(name), bytes.array());
  }

  private static Path writeDoubles(String name, double[] values) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asDoubleBuffer().put(values);
    return Files.write(dir.resolve(name), bytes.array());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFileOfFloatsReducesToTheArrayBits(Mode mode) throws IOException {
    int n = 5 * BLOCK + 17;
    float[] x = TestData.floats(Kind.WIDE, n, 91);
    float[] y = TestData.floats(Kind.WIDE, n, 92);
    FlynnOps ops = flynn.using(mode);
    try (MappedFile fx = MappedFile.readOnly(writeFloats("x-" + mode + ".f32", x));
        MappedFile fy = MappedFile.readOnly(writeFloats("y-" + mode + ".f32", y))) {
      FloatSegments s = ops.floatSegments();
      assertTrue(fx.segment().isReadOnly());
      assertEquals(4L * n, fx.segment().byteSize());
      FloatSegmentsTest.assertBits(ops.sum(x), s.sum(fx.segment()), mode + " sum");
      FloatSegmentsTest.assertBits(ops.dot(x, y), s.dot(fx.segment(), fy.segment()), "dot");
      FloatSegmentsTest.assertBits(ops.min(x), s.min(fx.segment()), mode + " min");
      FloatSegmentsTest.assertBits(ops.max(x, 3, n - 3), s.max(fx.segment(), 3, n - 3), "max");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFileOfDoublesReducesToTheArrayBits(Mode mode) throws IOException {
    int n = 3 * BLOCK + 5;
    double[] x = TestData.doubles(Kind.WIDE, n, 93);
    FlynnOps ops = flynn.using(mode);
    try (MappedFile fx = MappedFile.readOnly(writeDoubles("x-" + mode + ".f64", x))) {
      DoubleSegments s = ops.doubleSegments();
      DoubleSegmentsTest.assertBits(ops.sum(x), s.sum(fx.segment()), mode + " sum");
      DoubleSegmentsTest.assertBits(ops.max(x), s.max(fx.segment()), mode + " max");
    }
  }

  @Test
  void aReadOnlyMappingIsRefusedAsAnOutput() throws IOException {
    float[] x = TestData.floats(Kind.UNIFORM, 1000, 94);
    Path path = writeFloats("read-only.f32", x);
    try (MappedFile f = MappedFile.readOnly(path)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> flynn.floatSegments().scale(2f, f.segment(), f.segment()));
      assertTrue(e.getMessage().contains("out is a read-only segment"), e.getMessage());
    }
    assertEquals(-1, Files.mismatch(path, writeFloats("same.f32", x)), "the file changed");
  }

  @Test
  void aReadWriteMappingTakesTheOutputIntoTheFile() throws IOException {
    int n = 2 * BLOCK + 9;
    float[] x = TestData.floats(Kind.WIDE, n, 95);
    Path out = dir.resolve("out.f32");
    try (RandomAccessFile file = new RandomAccessFile(out.toFile(), "rw")) {
      file.setLength(4L * n);
    }
    try (MappedFile in = MappedFile.readOnly(writeFloats("in.f32", x));
        MappedFile f = MappedFile.readWrite(out)) {
      flynn.floatSegments().scale(0.7f, in.segment(), f.segment());
      f.segment().force();
    }
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      FloatSegmentsTest.assertBits(
          FloatElementwiseTest.expected(FloatElementwiseTest.Op.SCALE, x[i], 0, 0),
          bytes.getFloat(4 * i),
          "scale into the file at " + i);
    }
  }

  @Test
  void aClosedMappingIsRefusedClearly() throws IOException {
    MappedFile f = MappedFile.readOnly(writeFloats("closed.f32", new float[] {1, 2, 3}));
    MemorySegment s = f.segment();
    assertEquals(6f, flynn.floatSegments().sum(s));
    f.close();
    f.close(); // idempotent
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> flynn.floatSegments().sum(s));
    assertTrue(e.getMessage().contains("arena of this segment is closed"), e.getMessage());
    assertTrue(f.toString().endsWith(", closed]"), f.toString());
  }

  /**
   * A file dropped from the page cache and mapped again: where the system offers huge pages, the
   * mapping carries the kernel's huge-page flag ({@code hg}, from {@code madvise(MADV_HUGEPAGE)})
   * before anything is read, and reading the file back through it gives the values written.
   */
  @Test
  void aMappingIsAdvisedForHugePagesAndADroppedFileReadsBackTheSame() throws IOException {
    int n = (int) (3 * HugePages.SIZE / 4) + 777; // three huge pages and a bit
    float[] x = TestData.floats(Kind.WIDE, n, 96);
    Path path = writeFloats("dropped.f32", x);
    boolean linux = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux");
    assertEquals(linux, MappedFile.dropFromPageCache(path), "dropped where the system is Linux");
    try (MappedFile f = MappedFile.readOnly(path)) {
      if (HugePages.available()) {
        String flags = Smaps.line(f.segment().address(), "VmFlags:");
        assertTrue(
            flags != null && flags.matches("VmFlags:.* hg( .*)?"),
            "advised MADV_HUGEPAGE: " + flags);
      }
      FlynnOps ops = flynn.using(Mode.SIMD);
      FloatSegmentsTest.assertBits(ops.sum(x), flynn.floatSegments().sum(f.segment()), "sum");
      float[] back = new float[n];
      MemorySegment.copy(f.segment(), SegmentTestData.FLOAT_LE, 0, back, 0, n);
      assertArrayEquals(x, back);
    }
    assertFalse(MappedFile.dropFromPageCache(dir.resolve("no such file")), "missing: false");
    assertThrows(NullPointerException.class, () -> MappedFile.dropFromPageCache(null));
  }

  @Test
  void aMissingFileIsAnIoException() {
    assertThrows(IOException.class, () -> MappedFile.readOnly(dir.resolve("no such file")));
  }

  // ---------------------------------------------------------------- beyond 2^31 elements

  /**
   * A sparse file of 2^31 + 1000 floats with values written only beyond index 2^31: ranges there
   * are reduced and transformed at element offsets no int can hold, touching a few pages only.
   */
  @Test
  void rangesBeyond2To31ElementsOfASparseFile() throws IOException {
    Path path = sparseFile();
    long at = 1L << 31;
    try (MappedFile f = MappedFile.readOnly(path);
        Arena arena = Arena.ofShared()) {
      MemorySegment s = f.segment();
      assertEquals(4 * BIG, s.byteSize());
      for (Mode mode : Mode.values()) {
        FloatSegments fs = flynn.using(mode).floatSegments();
        // [2^31 - 40000, 2^31 + 1000): zeros, then the written values; several blocks
        long from = at - 40_000;
        assertEquals(3.5f + 1.25f - 2f + 8f, fs.sum(s, from, BIG - from), mode + " sum");
        assertEquals(8f, fs.max(s, from, BIG - from), mode + " max");
        assertEquals(-2f, fs.min(s, at, 1000), mode + " min");
        assertEquals(3.5f * 3.5f, fs.dot(s, at + 5, s, at + 5, 1), mode + " dot");
        MemorySegment out = arena.allocate(4 * 1000L);
        fs.add(s, at, s, at, out, 0, 1000);
        assertEquals(16f, out.getAtIndex(SegmentTestData.FLOAT_LE, 999), mode + " add");
        fs.exp(s, at, out, 0, 1000);
        assertEquals(1f, out.getAtIndex(SegmentTestData.FLOAT_LE, 0), mode + " exp");
        // the staged kernels: long positions and counts, a scan carried across blocks
        long length = BIG - from;
        assertEquals(at + 999 - from, fs.argmax(s, from, length), mode + " argmax");
        assertEquals(at + 500 - from, fs.argmin(s, from, length), mode + " argmin");
        assertEquals(4L, fs.count(s, from, length, Comparison.NOT_EQUAL, 0f), mode + " count");
        Histogram h = fs.histogram(s, from, length, -4f, 4f, 4);
        assertArrayEquals(new long[] {0, 1, length - 3, 1}, h.counts(), mode + " histogram");
        assertEquals(1L, h.above(), mode + " histogram above");
        MemorySegment scan = arena.allocate(4 * length);
        fs.prefixSum(s, from, scan, 0, length);
        assertEquals(
            3.5f, scan.getAtIndex(SegmentTestData.FLOAT_LE, at + 5 - from), mode + " scan");
        assertEquals(10.75f, scan.getAtIndex(SegmentTestData.FLOAT_LE, length - 1), mode + " scan");
      }
    }
  }

  /**
   * The whole sparse file, 2^31 + 1000 floats, reduced in every direct way: opt-in with {@code
   * -Dflynn.bigTests=true}, because reading 8 GiB of holes makes the kernel zero 2 million pages
   * (prints the time; see the class comment of the report).
   */
  @Test
  @EnabledIfSystemProperty(named = "flynn.bigTests", matches = "true")
  void aWholeFileOfMoreThan2To31Floats() throws IOException {
    Path path = sparseFile();
    try (MappedFile f = MappedFile.readOnly(path)) {
      for (Mode mode : new Mode[] {Mode.SIMD, Mode.SIMD_MIMD}) {
        FloatSegments fs = flynn.using(mode).floatSegments();
        long start = System.nanoTime();
        float sum = fs.sum(f.segment());
        long sumNanos = System.nanoTime() - start;
        start = System.nanoTime();
        float max = fs.max(f.segment());
        long maxNanos = System.nanoTime() - start;
        System.out.printf(
            Locale.ROOT,
            "%s over %d floats (%d GiB sparse file): sum %.2f s, max %.2f s%n",
            mode,
            BIG,
            4 * BIG >> 30,
            sumNanos * 1e-9,
            maxNanos * 1e-9);
        assertEquals(3.5f + 1.25f - 2f + 8f + 0.5f, sum, mode + " sum");
        assertEquals(8f, max, mode + " max");
      }
    }
  }

  /** 2^31 + 1000 floats, zero but for five values: index 7, and four beyond 2^31. */
  private static Path sparseFile() throws IOException {
    Path path = dir.resolve("sparse.f32");
    if (Files.exists(path)) {
      return path;
    }
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(4 * BIG);
    }
    long at = 1L << 31;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      put(channel, 7, 0.5f);
      put(channel, at + 5, 3.5f);
      put(channel, at + 6, 1.25f);
      put(channel, at + 500, -2f);
      put(channel, at + 999, 8f);
    }
    return path;
  }

  private static void put(FileChannel channel, long index, float value) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, value);
    channel.write(b, 4 * index);
  }
}
