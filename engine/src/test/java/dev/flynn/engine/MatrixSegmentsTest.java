package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gemm and gemv over segments give the same bits as over arrays holding the same values (the array
 * forms are tested against a naive double reference in {@link GemmTest} and {@link GemvTest}), in
 * every mode and transposition, with offsets and leading dimensions wider than the rows; elements
 * outside the output's rows are left alone; bad shapes are refused before anything is written.
 */
class MatrixSegmentsTest {

  /** The segment kernels this class covers; {@link SegmentCoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("gemm", "gemv");

  private static final float GUARD = -7.25f;

  private static Flynn flynn;

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
    int[][] shapes = {{1, 1, 1}, {7, 33, 19}, {70, 45, 260}};
    for (Mode mode : Mode.values()) {
      for (int[] s : shapes) {
        for (int t = 0; t < 4; t++) {
          all.add(Arguments.of(mode, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}x{2}x{3} transA={4} transB={5}")
  @MethodSource("cases")
  void floatGemmOverSegmentsMatchesTheArrays(
      Mode mode, int m, int n, int k, boolean transA, boolean transB) {
    SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    int lda = aCols + 3;
    int ldb = bCols + 1;
    int ldc = n + 2;
    float[] a = random(r, aRows * lda);
    float[] b = random(r, bRows * ldb);
    float[] c = random(r, m * ldc);
    float[] expected = c.clone();
    FlynnOps ops = flynn.using(mode);
    ops.gemm(transA, transB, m, n, k, 0.75f, a, 0, lda, b, 0, ldb, -0.5f, expected, 0, ldc);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment as = copyOf(arena, a, 5);
      MemorySegment bs = copyOf(arena, b, 2);
      MemorySegment cs = copyOf(arena, c, 1);
      ops.floatSegments()
          .gemm(transA, transB, m, n, k, 0.75f, as, 5, lda, bs, 2, ldb, -0.5f, cs, 1, ldc);
      float[] actual = new float[c.length];
      MemorySegment.copy(cs, FloatSegments.LAYOUT, 4, actual, 0, c.length);
      assertArrayEquals(expected, actual, mode + " gemm");
      assertEquals(GUARD, cs.getAtIndex(FloatSegments.LAYOUT, 0), "before c");
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}x{3} transA={4}")
  @MethodSource("cases")
  void doubleGemvOverSegmentsMatchesTheArrays(
      Mode mode, int m, int n, int k, boolean transA, boolean unused) {
    SplittableRandom r = new SplittableRandom(m * 13L + n);
    int lda = n + 4;
    double[] a = new double[m * lda];
    double[] x = new double[transA ? m : n];
    double[] y = new double[transA ? n : m];
    for (double[] v : List.of(a, x, y)) {
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextDouble(-1, 1);
      }
    }
    double[] expected = y.clone();
    FlynnOps ops = flynn.using(mode);
    ops.gemv(transA, m, n, 1.5, a, 0, lda, x, 0, 0.25, expected, 0);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment as = arena.allocate((long) a.length * 8);
      MemorySegment xs = arena.allocate((long) x.length * 8);
      MemorySegment ys = arena.allocate((long) y.length * 8);
      MemorySegment.copy(a, 0, as, DoubleSegments.LAYOUT, 0, a.length);
      MemorySegment.copy(x, 0, xs, DoubleSegments.LAYOUT, 0, x.length);
      MemorySegment.copy(y, 0, ys, DoubleSegments.LAYOUT, 0, y.length);
      ops.doubleSegments().gemv(transA, m, n, 1.5, as, 0, lda, xs, 0, 0.25, ys, 0);
      double[] actual = new double[y.length];
      MemorySegment.copy(ys, DoubleSegments.LAYOUT, 0, actual, 0, y.length);
      assertArrayEquals(expected, actual, mode + " gemv");
    }
  }

  @Test
  void wholeFormsMatchTheArrays() {
    SplittableRandom r = new SplittableRandom(3);
    float[] a = random(r, 6 * 5);
    float[] b = random(r, 5 * 4);
    float[] c = new float[6 * 4];
    flynn.gemm(6, 4, 5, 1f, a, b, 0f, c);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment as = arena.allocateFrom(FloatSegments.LAYOUT, a);
      MemorySegment bs = arena.allocateFrom(FloatSegments.LAYOUT, b);
      MemorySegment cs = arena.allocate(c.length * 4L);
      cs.fill((byte) 0x7f); // NaN-like garbage: beta == 0 must not read it
      flynn.floatSegments().gemm(6, 4, 5, 1f, as, bs, 0f, cs);
      assertArrayEquals(c, cs.toArray(FloatSegments.LAYOUT));
      float[] y = new float[6];
      flynn.gemv(6, 5, 2f, a, java.util.Arrays.copyOf(b, 5), 0f, y);
      MemorySegment ys = arena.allocate(6 * 4L);
      flynn.floatSegments().gemv(6, 5, 2f, as, bs.asSlice(0, 5 * 4L), 0f, ys);
      assertArrayEquals(y, ys.toArray(FloatSegments.LAYOUT));
    }
  }

  @Test
  void badShapesAreRefusedBeforeAnyWrite() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment a = arena.allocate(12 * 4L);
      MemorySegment b = arena.allocate(12 * 4L);
      MemorySegment c = arena.allocate(12 * 4L);
      c.fill((byte) 1);
      FloatSegments s = flynn.floatSegments();
      IllegalArgumentException mismatch =
          assertThrows(IllegalArgumentException.class, () -> s.gemm(3, 4, 5, 1f, a, b, 0f, c));
      assertTrue(mismatch.getMessage().contains("m * k"), mismatch.getMessage());
      IllegalArgumentException ld =
          assertThrows(
              IllegalArgumentException.class,
              () -> s.gemm(false, false, 3, 4, 4, 1f, a, 0, 3, b, 0, 4, 0f, c, 0, 4));
      assertTrue(ld.getMessage().contains("lda=3"), ld.getMessage());
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> s.gemm(false, false, 3, 4, 4, 1f, a, 1, 4, b, 0, 4, 0f, c, 0, 4));
      IllegalArgumentException overlap =
          assertThrows(
              IllegalArgumentException.class,
              () -> s.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, a, 2, 2));
      assertTrue(overlap.getMessage().contains("a"), overlap.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> s.gemv(false, 3, 4, 1f, a, 0, 4, b, 0, 0f, c.asReadOnly(), 0));
      for (byte v : c.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)) {
        assertEquals(1, v, "c was written");
      }
    }
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble(-1, 1);
    }
    return v;
  }

  /** A native segment holding {@code values} after {@code pad} guard elements. */
  private static MemorySegment copyOf(Arena arena, float[] values, int pad) {
    MemorySegment s = arena.allocate((values.length + pad) * 4L);
    for (int i = 0; i < pad; i++) {
      s.setAtIndex(FloatSegments.LAYOUT, i, GUARD);
    }
    MemorySegment.copy(values, 0, s, FloatSegments.LAYOUT, pad * 4L, values.length);
    return s;
  }
}
