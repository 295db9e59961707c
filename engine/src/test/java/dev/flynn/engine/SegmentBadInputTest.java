package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every argument check of the segment kernels: the exception type, a message naming the argument
 * and its values (elements and bytes), and no write to any segment before the throw.
 */
class SegmentBadInputTest {

  private static final byte SENTINEL = (byte) 0xA5;
  private static final int N = 40_000; // several blocks: a pooled call would start

  private static Flynn flynn;
  private static Arena arena;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(2).mode(Mode.SIMD_MIMD).build();
    arena = Arena.ofShared();
  }

  @AfterAll
  static void stop() {
    flynn.close();
    arena.close();
  }

  /** A call that must throw {@code type} with every fragment in its message. */
  record Bad(
      String name,
      Class<? extends RuntimeException> type,
      List<String> fragments,
      Consumer<Flynn> call,
      List<MemorySegment> segments) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static MemorySegment seg(long bytes) {
    return arena.allocate(bytes, 64).fill(SENTINEL);
  }

  private static Bad bad(
      String name,
      Class<? extends RuntimeException> type,
      String fragments,
      Consumer<Flynn> call,
      MemorySegment... segments) {
    return new Bad(name, type, List.of(fragments.split("\\|")), call, List.of(segments));
  }

  static Stream<Bad> cases() {
    List<Bad> all = new ArrayList<>();
    MemorySegment a = seg(4L * N);
    MemorySegment b = seg(4L * N);
    MemorySegment out = seg(4L * N);
    MemorySegment d = seg(8L * N);
    MemorySegment dOut = seg(8L * N);
    MemorySegment odd = seg(4L * N + 2);
    MemorySegment readOnly = seg(4L * N).asReadOnly();
    MemorySegment heap = MemorySegment.ofArray(new float[N]).fill(SENTINEL);
    MemorySegment heapShifted = heap.asSlice(4);
    all.add(
        bad(
            "null input",
            NullPointerException.class,
            "a is null",
            f -> f.floatSegments().sum(null),
            a));
    all.add(
        bad(
            "null output",
            NullPointerException.class,
            "out is null",
            f -> f.floatSegments().add(a, b, null),
            a,
            b));
    all.add(
        bad(
            "null c of fma",
            NullPointerException.class,
            "c is null",
            f -> f.doubleSegments().fma(d, 0, d, 0, null, 0, dOut, 0, N),
            d,
            dOut));
    all.add(
        bad(
            "range too long",
            IndexOutOfBoundsException.class,
            "b: offset 3 and length 40000 floats|bytes [12, 160012)|segment of 160000 bytes (40000 floats)",
            f -> f.floatSegments().add(a, 0, b, 3, out, 0, N),
            a,
            b,
            out));
    all.add(
        bad(
            "double range too long",
            IndexOutOfBoundsException.class,
            "out: offset 1 and length 40000 doubles|bytes [8, 320008)|320000 bytes (40000 doubles)",
            f -> f.doubleSegments().exp(d, 0, dOut, 1, N),
            d,
            dOut));
    all.add(
        bad(
            "negative offset",
            IndexOutOfBoundsException.class,
            "a: offset -1",
            f -> f.floatSegments().sum(a, -1, 5),
            a));
    all.add(
        bad(
            "absurd offset",
            IndexOutOfBoundsException.class,
            "offset 4611686018427387904|bytes [18446744073709551616,",
            f -> f.floatSegments().max(a, 1L << 62, 1),
            a));
    all.add(
        bad(
            "negative length",
            IllegalArgumentException.class,
            "length is negative: -2",
            f -> f.floatSegments().scale(2f, a, 0, out, 0, -2),
            a,
            out));
    all.add(
        bad(
            "beyond 2^45",
            IllegalArgumentException.class,
            "length 70368744177664 exceeds",
            f -> f.floatSegments().sum(a, 0, 1L << 46),
            a));
    all.add(
        bad(
            "not whole floats",
            IllegalArgumentException.class,
            "a: a segment of 160002 bytes does not hold a whole number of floats (4 bytes each)",
            f -> f.floatSegments().sum(odd),
            odd));
    all.add(
        bad(
            "whole lengths differ",
            IllegalArgumentException.class,
            "length mismatch: a holds 40000 floats, out holds 20000",
            f -> f.floatSegments().sub(a, b, d.asSlice(0, 4L * N / 2)),
            a,
            b,
            d));
    all.add(
        bad(
            "read-only output",
            IllegalArgumentException.class,
            "out is a read-only segment",
            f -> f.floatSegments().mul(a, b, readOnly),
            a,
            b,
            readOnly));
    all.add(
        bad(
            "read-only axpy y",
            IllegalArgumentException.class,
            "y is a read-only segment",
            f -> f.floatSegments().axpy(2f, a, readOnly),
            a,
            readOnly));
    all.add(
        bad(
            "read-only exp output",
            IllegalArgumentException.class,
            "out is a read-only",
            f -> f.floatSegments().exp(a, readOnly),
            a,
            readOnly));
    all.add(
        bad(
            "partial overlap, native",
            IllegalArgumentException.class,
            "out overlaps a without being the same memory",
            f -> f.floatSegments().add(a, 0, b, 0, a, 1, N - 1),
            a,
            b));
    all.add(
        bad(
            "partial overlap by one byte",
            IllegalArgumentException.class,
            "out overlaps x without being the same memory",
            f -> f.floatSegments().scale(2f, a, 0, a.asSlice(1, 4L * N - 4), 0, N - 1),
            a));
    all.add(
        bad(
            "partial overlap, slices",
            IllegalArgumentException.class,
            "y overlaps x",
            f -> f.doubleSegments().axpy(2, d.asSlice(8), 0, d, 0, N - 2),
            d));
    all.add(
        bad(
            "partial overlap, heap",
            IllegalArgumentException.class,
            "out overlaps b",
            f -> f.floatSegments().div(a, 0, heap, 0, heapShifted, 0, N - 1),
            a,
            heap));
    all.add(
        bad(
            "partial overlap, fma c",
            IllegalArgumentException.class,
            "out overlaps c",
            f -> f.floatSegments().fma(a, 0, b, 0, out, 1, out, 0, N - 1),
            a,
            b,
            out));
    all.add(
        bad(
            "min of nothing",
            IllegalArgumentException.class,
            "min of an empty range",
            f -> f.floatSegments().min(a, 7, 0),
            a));
    all.add(
        bad(
            "max of nothing",
            IllegalArgumentException.class,
            "max of an empty range",
            f -> f.doubleSegments().max(d.asSlice(0, 0)),
            d));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputThrowsBeforeAnyWrite(Bad bad) {
    RuntimeException e = assertThrows(bad.type(), () -> bad.call().accept(flynn), bad.name());
    for (String fragment : bad.fragments()) {
      assertTrue(
          e.getMessage().contains(fragment),
          bad.name() + ": message lacks \"" + fragment + "\": " + e.getMessage());
    }
    for (MemorySegment s : bad.segments()) {
      MemorySegment expected = MemorySegment.ofArray(new byte[(int) s.byteSize()]).fill(SENTINEL);
      assertEquals(-1L, s.mismatch(expected), bad.name() + ": a segment was written");
    }
  }

  @Test
  void anExactlyAliasedOutputIsAccepted() {
    MemorySegment a = seg(4L * N);
    a.fill((byte) 0); // +0.0f everywhere
    flynn.floatSegments().add(a, a, a);
    flynn.floatSegments().axpy(1f, a, a);
    flynn.floatSegments().exp(a, 0, a.asSlice(0), 0, N); // same address through another slice
    assertEquals(1f, a.getAtIndex(SegmentTestData.FLOAT_LE, N - 1));
  }

  @Test
  void aClosedArenaIsRefusedClearly() {
    Arena closed = Arena.ofShared();
    MemorySegment gone = closed.allocate(4L * N);
    MemorySegment out = seg(4L * N);
    closed.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> flynn.floatSegments().sum(gone));
    assertTrue(e.getMessage().contains("a: the arena of this segment is closed"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> flynn.floatSegments().exp(gone, out));
    assertTrue(e.getMessage().startsWith("x: the arena"), e.getMessage());
    assertEquals(-1L, out.mismatch(MemorySegment.ofArray(new byte[4 * N]).fill(SENTINEL)));
  }

  @Test
  void aClosedEngineIsRefused() {
    Flynn engine = Flynn.create();
    FloatSegments segments = engine.floatSegments();
    engine.close();
    MemorySegment a = seg(4L * N);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> segments.sum(a));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
