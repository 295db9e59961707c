package dev.flynn.kernels;

import static dev.flynn.kernels.LongSegmentKernels.LONG_LE;

import java.lang.foreign.MemorySegment;

/**
 * SISD long kernels over memory segments: the loops of {@link ScalarLongKernels}, element by
 * element, reading and writing little-endian longs in place.
 */
public final class ScalarLongSegmentKernels implements LongSegmentKernels {

  /** The single instance; the class has no state. */
  public static final ScalarLongSegmentKernels INSTANCE = new ScalarLongSegmentKernels();

  private static final long BYTES = Long.BYTES;

  private ScalarLongSegmentKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public long sum(MemorySegment a, long aOffset, int length) {
    long wrapped = 0;
    long high = 0;
    for (int i = 0; i < length; i++) {
      long x = a.get(LONG_LE, aOffset + i * BYTES);
      wrapped += x;
      high += x >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public long min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    long min = a.get(LONG_LE, aOffset);
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a.get(LONG_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public long max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    long max = a.get(LONG_LE, aOffset);
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a.get(LONG_LE, aOffset + i * BYTES));
    }
    return max;
  }

  @Override
  public int argmin(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int best = 0;
    long bestValue = a.get(LONG_LE, aOffset);
    for (int i = 1; i < length; i++) {
      long x = a.get(LONG_LE, aOffset + i * BYTES);
      if (x < bestValue) {
        best = i;
        bestValue = x;
      }
    }
    return best;
  }

  @Override
  public int argmax(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int best = 0;
    long bestValue = a.get(LONG_LE, aOffset);
    for (int i = 1; i < length; i++) {
      long x = a.get(LONG_LE, aOffset + i * BYTES);
      if (x > bestValue) {
        best = i;
        bestValue = x;
      }
    }
    return best;
  }

  @Override
  public long count(MemorySegment a, long aOffset, int length, Comparison cmp, long threshold) {
    long t = threshold;
    long count = 0;
    // One loop per comparison, so that the loop body has no switch.
    switch (cmp) {
      case LESS -> {
        for (int i = 0; i < length; i++) {
          count += a.get(LONG_LE, aOffset + i * BYTES) < t ? 1 : 0;
        }
      }
      case LESS_OR_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(LONG_LE, aOffset + i * BYTES) <= t ? 1 : 0;
        }
      }
      case GREATER -> {
        for (int i = 0; i < length; i++) {
          count += a.get(LONG_LE, aOffset + i * BYTES) > t ? 1 : 0;
        }
      }
      case GREATER_OR_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(LONG_LE, aOffset + i * BYTES) >= t ? 1 : 0;
        }
      }
      case EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(LONG_LE, aOffset + i * BYTES) == t ? 1 : 0;
        }
      }
      case NOT_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(LONG_LE, aOffset + i * BYTES) != t ? 1 : 0;
        }
      }
    }
    return count;
  }

  @Override
  public void add(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(LONG_LE, outOffset + at, a.get(LONG_LE, aOffset + at) + b.get(LONG_LE, bOffset + at));
    }
  }

  @Override
  public void sub(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(LONG_LE, outOffset + at, a.get(LONG_LE, aOffset + at) - b.get(LONG_LE, bOffset + at));
    }
  }

  @Override
  public void mul(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(LONG_LE, outOffset + at, a.get(LONG_LE, aOffset + at) * b.get(LONG_LE, bOffset + at));
    }
  }

  @Override
  public void neg(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(LONG_LE, outOffset + at, -a.get(LONG_LE, aOffset + at));
    }
  }

  @Override
  public void abs(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(LONG_LE, outOffset + at, Math.abs(a.get(LONG_LE, aOffset + at)));
    }
  }

  @Override
  public void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          LONG_LE,
          outOffset + at,
          Math.min(a.get(LONG_LE, aOffset + at), b.get(LONG_LE, bOffset + at)));
    }
  }

  @Override
  public void maximum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          LONG_LE,
          outOffset + at,
          Math.max(a.get(LONG_LE, aOffset + at), b.get(LONG_LE, bOffset + at)));
    }
  }

  @Override
  public void clamp(
      MemorySegment a,
      long aOffset,
      long lo,
      long hi,
      MemorySegment out,
      long outOffset,
      int length) {
    assert lo <= hi;
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(LONG_LE, outOffset + at, Math.min(Math.max(a.get(LONG_LE, aOffset + at), lo), hi));
    }
  }

  @Override
  public int prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, long initial) {
    long s = initial;
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      long x = a.get(LONG_LE, aOffset + at);
      long next = s + x;
      if (ExactSum.overflows(s, x, next)) {
        return i; // nothing written from i on
      }
      s = next;
      out.set(LONG_LE, outOffset + at, s);
    }
    return length;
  }
}
