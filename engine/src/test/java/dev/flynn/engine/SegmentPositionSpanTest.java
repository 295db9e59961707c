package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code argmin} and {@code argmax} of int and long segments longer than one span of a whole call
 * ({@link IntegerSegmentBlocks#SPAN} elements, searched by one kernel call each on the calling
 * thread): the first extreme across spans, ties included, in every mode, so both the span path
 * (SISD, SIMD, AUTO on one thread) and the block path (MIMD, SIMD_MIMD) and a call view. The
 * segments are zero except where a test places values, so the expected positions are known by
 * construction.
 */
class SegmentPositionSpanTest {

  private static final long SPAN = IntegerSegmentBlocks.SPAN;
  private static final long N = SPAN + 3 * TestData.BLOCK + 11;

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void intPositionsAcrossSpans(Mode mode) {
    ValueLayout.OfInt le =
        ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = arena.allocate(4 * N); // zeros
      IntSegments s = flynn.using(mode).intSegments();
      // the greatest only in the second span, the least only in the first
      a.setAtIndex(le, SPAN + 7, 9);
      a.setAtIndex(le, 5, -4);
      assertEquals(SPAN + 7, s.argmax(a), mode + " argmax in span 2");
      assertEquals(5, s.argmin(a), mode + " argmin in span 1");
      // a tie in the first span wins; a greater value in the last block wins over both
      a.setAtIndex(le, SPAN - 1, 9);
      assertEquals(SPAN - 1, s.argmax(a), mode + " argmax tie: first span");
      a.setAtIndex(le, N - 1, -4);
      assertEquals(5, s.argmin(a), mode + " argmin tie: first");
      a.setAtIndex(le, N - 2, Integer.MIN_VALUE);
      assertEquals(N - 2, s.argmin(a), mode + " argmin in the last block");
      // a range starting inside the first span, counted from its offset
      long from = SPAN - 100;
      assertEquals(99, s.argmax(a, from, N - from), mode + " argmax of a range");
      assertEquals(N - 2 - from, s.argmin(a, from, N - from), mode + " argmin of a range");
      assertEquals(
          SPAN - 1,
          flynn.using(mode).async().call(ops -> ops.intSegments().argmax(a)).join(),
          mode + " call view (block by block)");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void longPositionsAcrossSpans(Mode mode) {
    ValueLayout.OfLong le =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = arena.allocate(8 * N);
      LongSegments s = flynn.using(mode).longSegments();
      a.setAtIndex(le, SPAN + 7, 1L << 40);
      a.setAtIndex(le, 5, -(1L << 40));
      assertEquals(SPAN + 7, s.argmax(a), mode + " argmax in span 2");
      assertEquals(5, s.argmin(a), mode + " argmin in span 1");
      a.setAtIndex(le, SPAN - 1, 1L << 40);
      assertEquals(SPAN - 1, s.argmax(a), mode + " argmax tie: first span");
      a.setAtIndex(le, N - 2, Long.MIN_VALUE);
      assertEquals(N - 2, s.argmin(a), mode + " argmin in the last block");
      long from = SPAN - 100;
      assertEquals(99, s.argmax(a, from, N - from), mode + " argmax of a range");
    }
  }
}
