package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flynn.engine.SegmentTestData.Storage;
import dev.flynn.kernels.Comparison;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;

/**
 * Int and long segments for the integer segment tests, written with plain little-endian layouts
 * (not the code under test), and the exact references those tests share.
 */
final class IntegerSegmentData {

  static final ValueLayout.OfInt INT_LE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfLong LONG_LE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Guard elements after the data. */
  static final int TAIL = SegmentTestData.TAIL;

  private IntegerSegmentData() {}

  /** {@code data} at element {@code offset}, {@code guard} before and after. */
  static MemorySegment ints(Arena arena, Storage storage, int[] data, int offset, int guard) {
    MemorySegment s = storage.allocate(arena, (long) (offset + data.length + TAIL) * Integer.BYTES);
    for (long i = 0; i < offset + data.length + TAIL; i++) {
      s.setAtIndex(INT_LE, i, guard);
    }
    MemorySegment.copy(data, 0, s, INT_LE, (long) offset * Integer.BYTES, data.length);
    return s;
  }

  static MemorySegment longs(Arena arena, Storage storage, long[] data, int offset, long guard) {
    MemorySegment s = storage.allocate(arena, (long) (offset + data.length + TAIL) * Long.BYTES);
    for (long i = 0; i < offset + data.length + TAIL; i++) {
      s.setAtIndex(LONG_LE, i, guard);
    }
    MemorySegment.copy(data, 0, s, LONG_LE, (long) offset * Long.BYTES, data.length);
    return s;
  }

  /** Every int of a segment, little-endian. */
  static int[] ints(MemorySegment s) {
    int[] a = new int[Math.toIntExact(s.byteSize() / Integer.BYTES)];
    MemorySegment.copy(s, INT_LE, 0, a, 0, a.length);
    return a;
  }

  static long[] longs(MemorySegment s) {
    long[] a = new long[Math.toIntExact(s.byteSize() / Long.BYTES)];
    MemorySegment.copy(s, LONG_LE, 0, a, 0, a.length);
    return a;
  }

  /** The comparison, written out here rather than taken from {@link Comparison#test}. */
  static boolean passes(long x, Comparison cmp, long t) {
    return switch (cmp) {
      case LESS -> x < t;
      case LESS_OR_EQUAL -> x <= t;
      case GREATER -> x > t;
      case GREATER_OR_EQUAL -> x >= t;
      case EQUAL -> x == t;
      case NOT_EQUAL -> x != t;
    };
  }

  static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  static boolean fitsInLong(BigInteger x) {
    return x.compareTo(LONG_MIN) >= 0 && x.compareTo(LONG_MAX) <= 0;
  }

  /** {@code call} returns {@code exact} when it fits in a long, else throws ArithmeticException. */
  static void assertExact(BigInteger exact, LongSupplier call, String what) {
    if (fitsInLong(exact)) {
      assertEquals(exact.longValueExact(), call.getAsLong(), what);
    } else {
      ArithmeticException e = assertThrows(ArithmeticException.class, call::getAsLong, what);
      assertEquals("long overflow: the exact sum " + exact + " does not fit", e.getMessage(), what);
    }
  }

  /**
   * The index of the first prefix sum of {@code values} that leaves the long range, or -1: while
   * every earlier prefix fits, {@link Math#addExact} fails exactly when the next one does not.
   */
  static int firstPrefixOverflow(long[] values) {
    long s = 0;
    for (int i = 0; i < values.length; i++) {
      try {
        s = Math.addExact(s, values[i]);
      } catch (ArithmeticException e) {
        return i;
      }
    }
    return -1;
  }
}
