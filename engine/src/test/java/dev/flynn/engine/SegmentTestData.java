package dev.flynn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Segments for the segment kernel tests: test data placed at an element offset inside a segment of
 * one of several storages, with guard elements around it. Elements are written here with plain
 * little-endian layouts, not with the code under test.
 */
final class SegmentTestData {

  static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfDouble DOUBLE_LE =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Guard elements after the data: as many as {@link TestData#padded} puts there. */
  static final int TAIL = 5;

  private SegmentTestData() {}

  /** Where a segment's bytes live. */
  enum Storage {
    /** A heap segment over a byte[]: no alignment at all for floats beyond what the VM gives. */
    HEAP,
    /** Native memory, 64-byte aligned. */
    NATIVE,
    /** Native memory starting one byte past a 64-byte boundary: every element is misaligned. */
    UNALIGNED;

    MemorySegment allocate(Arena arena, long bytes) {
      return switch (this) {
        case HEAP -> MemorySegment.ofArray(new byte[Math.toIntExact(bytes)]);
        case NATIVE -> arena.allocate(bytes, 64);
        case UNALIGNED -> arena.allocate(bytes + 1, 64).asSlice(1);
      };
    }
  }

  /** {@code data} at element {@code offset}, {@code guard} before and after. */
  static MemorySegment floats(Arena arena, Storage storage, float[] data, int offset, float guard) {
    MemorySegment s = storage.allocate(arena, (long) (offset + data.length + TAIL) * Float.BYTES);
    for (long i = 0; i < offset; i++) {
      s.setAtIndex(FLOAT_LE, i, guard);
    }
    for (long i = offset + data.length; i < offset + data.length + TAIL; i++) {
      s.setAtIndex(FLOAT_LE, i, guard);
    }
    MemorySegment.copy(data, 0, s, FLOAT_LE, (long) offset * Float.BYTES, data.length);
    return s;
  }

  static MemorySegment doubles(
      Arena arena, Storage storage, double[] data, int offset, double guard) {
    MemorySegment s = storage.allocate(arena, (long) (offset + data.length + TAIL) * Double.BYTES);
    for (long i = 0; i < offset; i++) {
      s.setAtIndex(DOUBLE_LE, i, guard);
    }
    for (long i = offset + data.length; i < offset + data.length + TAIL; i++) {
      s.setAtIndex(DOUBLE_LE, i, guard);
    }
    MemorySegment.copy(data, 0, s, DOUBLE_LE, (long) offset * Double.BYTES, data.length);
    return s;
  }

  /** Every float of a segment, little-endian. */
  static float[] floats(MemorySegment s) {
    float[] a = new float[Math.toIntExact(s.byteSize() / Float.BYTES)];
    MemorySegment.copy(s, FLOAT_LE, 0, a, 0, a.length);
    return a;
  }

  static double[] doubles(MemorySegment s) {
    double[] a = new double[Math.toIntExact(s.byteSize() / Double.BYTES)];
    MemorySegment.copy(s, DOUBLE_LE, 0, a, 0, a.length);
    return a;
  }
}
