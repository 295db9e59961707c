package dev.flynn.engine;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;

/**
 * Argument checks for the segment kernels, at the public door and before anything is written.
 * Offsets and lengths count elements ({@code bytes} each, named {@code type}); messages give both
 * the elements and the bytes.
 */
final class SegmentCheck {

  private SegmentCheck() {}

  /** Not null, its arena alive, and readable from this thread. */
  static MemorySegment usable(String name, MemorySegment segment) {
    Check.notNull(name, segment);
    if (!segment.scope().isAlive()) {
      throw new IllegalStateException(
          name + ": the arena of this segment is closed, so its memory is gone");
    }
    if (!segment.isAccessibleBy(Thread.currentThread())) {
      throw new WrongThreadException(
          name
              + ": this segment is confined to another thread (Arena.ofConfined); use it from that"
              + " thread or allocate it in a shared arena");
    }
    return segment;
  }

  /** The number of elements in a whole segment, for the whole-segment forms. */
  static long elements(String name, MemorySegment segment, int bytes, String type) {
    long size = usable(name, segment).byteSize();
    if (size % bytes != 0) {
      throw new IllegalArgumentException(
          name
              + ": a segment of "
              + size
              + " bytes does not hold a whole number of "
              + type
              + "s ("
              + bytes
              + " bytes each)");
    }
    return size / bytes;
  }

  /** Checks that elements {@code [offset, offset + length)} lie inside {@code segment}. */
  static void range(
      String name, MemorySegment segment, long offset, long length, int bytes, String type) {
    long size = usable(name, segment).byteSize();
    if (length < 0) {
      throw new IllegalArgumentException("length is negative: " + length);
    }
    if (length > LongBlocks.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "length " + length + " exceeds the longest range Flynn splits, " + LongBlocks.MAX_LENGTH);
    }
    long capacity = size / bytes;
    if (offset < 0 || offset > capacity || length > capacity - offset) {
      throw new IndexOutOfBoundsException(
          name
              + ": offset "
              + offset
              + " and length "
              + length
              + " "
              + type
              + "s (bytes ["
              + bytes(offset, 0, bytes)
              + ", "
              + bytes(offset, length, bytes)
              + ")) do not fit in a segment of "
              + size
              + " bytes ("
              + capacity
              + " "
              + type
              + "s)");
    }
  }

  static long sameLength(String firstName, long first, String name, long length, String type) {
    if (length != first) {
      throw new IllegalArgumentException(
          "length mismatch: "
              + firstName
              + " holds "
              + first
              + " "
              + type
              + "s, "
              + name
              + " holds "
              + length);
    }
    return first;
  }

  /** An output must be writable: not mapped READ_ONLY, not made by {@code asReadOnly()}. */
  static void writable(String name, MemorySegment segment) {
    if (segment.isReadOnly()) {
      throw new IllegalArgumentException(
          name
              + " is a read-only segment (mapped READ_ONLY or made by asReadOnly()): an output must"
              + " be writable");
    }
  }

  /**
   * An output may be the very same memory as an input (same address), but not a shifted window of
   * it. Two segments share memory when both are native (including mapped) or both wrap the same
   * heap array; their {@code address()} then compares positions in that memory. Two mappings of the
   * same file at different addresses are different memory to this check.
   */
  static void noPartialOverlap(
      String inName,
      MemorySegment in,
      long inOffset,
      String outName,
      MemorySegment out,
      long outOffset,
      long length,
      int bytes) {
    if (length == 0 || !sameMemory(in, out)) {
      return;
    }
    long inStart = in.address() + inOffset * bytes;
    long outStart = out.address() + outOffset * bytes;
    long span = length * bytes;
    if (inStart != outStart && inStart < outStart + span && outStart < inStart + span) {
      throw new IllegalArgumentException(
          outName
              + " overlaps "
              + inName
              + " without being the same memory: "
              + inName
              + " covers bytes ["
              + hex(inStart)
              + ", "
              + hex(inStart + span)
              + ") and "
              + outName
              + " bytes ["
              + hex(outStart)
              + ", "
              + hex(outStart + span)
              + ")");
    }
  }

  /**
   * No byte shared at all between an input of {@code inBytes} bytes from byte {@code inStart} and
   * an output of {@code outBytes} bytes from {@code outStart}: for outputs written while other
   * parts of the input are still to be read (scores, conversions between element sizes).
   */
  static void noOverlap(
      String inName,
      MemorySegment in,
      long inStart,
      long inBytes,
      String outName,
      MemorySegment out,
      long outStart,
      long outBytes) {
    if (inBytes == 0 || outBytes == 0 || !sameMemory(in, out)) {
      return;
    }
    long inAt = in.address() + inStart;
    long outAt = out.address() + outStart;
    if (inAt < outAt + outBytes && outAt < inAt + inBytes) {
      throw new IllegalArgumentException(
          outName
              + " overlaps "
              + inName
              + ": "
              + inName
              + " covers bytes ["
              + hex(inAt)
              + ", "
              + hex(inAt + inBytes)
              + ") and "
              + outName
              + " bytes ["
              + hex(outAt)
              + ", "
              + hex(outAt + outBytes)
              + ")");
    }
  }

  private static boolean sameMemory(MemorySegment a, MemorySegment b) {
    if (a.isNative() || b.isNative()) {
      return a.isNative() && b.isNative();
    }
    // A read-only view of a heap segment hides its array (heapBase() is empty): such an input
    // cannot be matched to an output, and is taken as distinct memory.
    return a.heapBase().isPresent() && a.heapBase().get() == b.heapBase().orElse(null);
  }

  /** {@code (offset + length) * bytes}, exact even where a long would overflow. */
  private static String bytes(long offset, long length, int bytes) {
    return BigInteger.valueOf(offset)
        .add(BigInteger.valueOf(length))
        .multiply(BigInteger.valueOf(bytes))
        .toString();
  }

  private static String hex(long address) {
    return "0x" + Long.toHexString(address);
  }
}
