package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.SegmentBadInputTest.Bad;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every argument check of {@link IntSegments} and {@link LongSegments}: the exception type, a
 * message naming the argument and its values, and no write to any segment before the throw (the
 * engine pools: a call that got past its checks would start writing at once).
 */
class IntegerSegmentBadInputTest {

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
    MemorySegment l = seg(8L * N);
    MemorySegment lOut = seg(8L * N);
    MemorySegment odd = seg(8L * N + 4);
    MemorySegment readOnly = seg(8L * N).asReadOnly();
    MemorySegment heap = MemorySegment.ofArray(new int[N]).fill(SENTINEL);
    all.add(
        bad(
            "int null input",
            NullPointerException.class,
            "a is null",
            f -> f.intSegments().sum(null)));
    all.add(
        bad(
            "long null output",
            NullPointerException.class,
            "out is null",
            f -> f.longSegments().add(l, l, null),
            l));
    all.add(
        bad(
            "null comparison",
            NullPointerException.class,
            "cmp is null",
            f -> f.longSegments().count(l, null, 0),
            l));
    all.add(
        bad(
            "int range too long",
            IndexOutOfBoundsException.class,
            "b: offset 3 and length 40000 ints|bytes [12, 160012)|segment of 160000 bytes (40000 ints)",
            f -> f.intSegments().add(a, 0, b, 3, out, 0, N),
            a,
            b,
            out));
    all.add(
        bad(
            "long range too long",
            IndexOutOfBoundsException.class,
            "out: offset 1 and length 40000 longs|bytes [8, 320008)|320000 bytes (40000 longs)",
            f -> f.longSegments().neg(l, 0, lOut, 1, N),
            l,
            lOut));
    all.add(
        bad(
            "int scan into too few longs",
            IndexOutOfBoundsException.class,
            "out: offset 0 and length 40000 longs|segment of 160000 bytes (20000 longs)",
            f -> f.intSegments().prefixSum(a, 0, out, 0, N),
            a,
            out));
    all.add(
        bad(
            "negative length",
            IllegalArgumentException.class,
            "length is negative: -1",
            f -> f.longSegments().sum(l, 0, -1),
            l));
    all.add(
        bad(
            "whole segments of different lengths",
            IllegalArgumentException.class,
            "length mismatch: a holds 40000 ints, out holds 80000",
            f -> f.intSegments().neg(a, lOut),
            a,
            lOut));
    all.add(
        bad(
            "not a whole number of longs",
            IllegalArgumentException.class,
            "a: a segment of 320004 bytes does not hold a whole number of longs (8 bytes each)",
            f -> f.longSegments().max(odd),
            odd));
    all.add(
        bad(
            "read-only output",
            IllegalArgumentException.class,
            "out is a read-only segment",
            f -> f.longSegments().prefixSum(l, readOnly),
            l,
            readOnly));
    all.add(
        bad(
            "shifted output window",
            IllegalArgumentException.class,
            "out overlaps a without being the same memory",
            f -> f.longSegments().abs(lOut, 0, lOut, 1, N - 1),
            lOut));
    all.add(
        bad(
            "shifted heap output",
            IllegalArgumentException.class,
            "out overlaps b without being the same memory",
            f -> f.intSegments().sub(a, 0, heap, 0, heap, 2, N - 2),
            a,
            heap));
    all.add(
        bad(
            "int scan onto its own bytes",
            IllegalArgumentException.class,
            "out overlaps a",
            f -> f.intSegments().prefixSum(l, 0, l, 0, N),
            l));
    all.add(
        bad(
            "toFloat onto its own bytes",
            IllegalArgumentException.class,
            "out overlaps x",
            f -> f.intSegments().toFloat(a, a),
            a));
    all.add(
        bad(
            "clamp bounds",
            IllegalArgumentException.class,
            "clamp: lo=5 is greater than hi=4",
            f -> f.intSegments().clamp(a, 5, 4, out),
            a,
            out));
    all.add(
        bad(
            "long clamp bounds",
            IllegalArgumentException.class,
            "clamp: lo=1 is greater than hi=-1",
            f -> f.longSegments().clamp(l, 0, 1, -1, lOut, 0, N),
            l,
            lOut));
    for (String op : List.of("min", "max", "argmin", "argmax")) {
      all.add(
          bad(
              "int " + op + " of nothing",
              IllegalArgumentException.class,
              op + " of an empty range is undefined",
              f -> {
                IntSegments s = f.intSegments();
                switch (op) {
                  case "min" -> s.min(a, 7, 0);
                  case "max" -> s.max(a.asSlice(0, 0));
                  case "argmin" -> s.argmin(a, N, 0);
                  default -> s.argmax(a, 0, 0);
                }
              },
              a));
      all.add(
          bad(
              "long " + op + " of nothing",
              IllegalArgumentException.class,
              op + " of an empty range is undefined",
              f -> {
                LongSegments s = f.longSegments();
                switch (op) {
                  case "min" -> s.min(l, 7, 0);
                  case "max" -> s.max(l.asSlice(0, 0));
                  case "argmin" -> s.argmin(l, N, 0);
                  default -> s.argmax(l, 0, 0);
                }
              },
              l));
    }
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
  void aClosedArenaAConfinedSegmentAndAClosedEngineAreRefused() throws Exception {
    Arena closed = Arena.ofShared();
    MemorySegment gone = closed.allocate(8L * N);
    closed.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> flynn.longSegments().sum(gone));
    assertTrue(e.getMessage().contains("a: the arena of this segment is closed"), e.getMessage());
    try (Arena confined = Arena.ofConfined()) {
      MemorySegment mine = confined.allocate(4L * N);
      var other = CompletableFuture.runAsync(() -> flynn.intSegments().sum(mine));
      ExecutionException failure = assertThrows(ExecutionException.class, other::get);
      assertTrue(failure.getCause() instanceof WrongThreadException, failure.toString());
      assertEquals(0L, flynn.intSegments().sum(mine)); // the owner may: on its own thread
    }
    Flynn engine = Flynn.create();
    IntSegments ints = engine.intSegments();
    engine.close();
    e = assertThrows(IllegalStateException.class, () -> ints.sum(seg(4L * N)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
