package dev.flynn.kernels;

import static dev.flynn.kernels.FloatSegmentKernels.FLOAT_LE;
import static dev.flynn.kernels.IntSegmentKernels.INT_LE;
import static dev.flynn.kernels.LongSegmentKernels.LONG_LE;

import java.lang.foreign.MemorySegment;

/**
 * SISD int kernels over memory segments: the loops of {@link ScalarIntKernels}, element by element,
 * reading and writing little-endian ints in place.
 */
public final class ScalarIntSegmentKernels implements IntSegmentKernels {

  /** The single instance; the class has no state. */
  public static final ScalarIntSegmentKernels INSTANCE = new ScalarIntSegmentKernels();

  private static final long BYTES = Integer.BYTES;

  private ScalarIntSegmentKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public long sum(MemorySegment a, long aOffset, int length) {
    long sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a.get(INT_LE, aOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public long dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    long wrapped = 0;
    long high = 0;
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      long p = (long) a.get(INT_LE, aOffset + at) * b.get(INT_LE, bOffset + at); // |p| <= 2^62
      wrapped += p;
      high += p >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public int min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int min = a.get(INT_LE, aOffset);
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a.get(INT_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public int max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int max = a.get(INT_LE, aOffset);
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a.get(INT_LE, aOffset + i * BYTES));
    }
    return max;
  }

  @Override
  public int argmin(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int best = 0;
    int bestValue = a.get(INT_LE, aOffset);
    for (int i = 1; i < length; i++) {
      int x = a.get(INT_LE, aOffset + i * BYTES);
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
    int bestValue = a.get(INT_LE, aOffset);
    for (int i = 1; i < length; i++) {
      int x = a.get(INT_LE, aOffset + i * BYTES);
      if (x > bestValue) {
        best = i;
        bestValue = x;
      }
    }
    return best;
  }

  @Override
  public long count(MemorySegment a, long aOffset, int length, Comparison cmp, long threshold) {
    if (threshold != (int) threshold) {
      return ScalarIntKernels.outOfRangeCount(length, cmp, threshold);
    }
    int t = (int) threshold;
    long count = 0;
    // One loop per comparison, so that the loop body has no switch.
    switch (cmp) {
      case LESS -> {
        for (int i = 0; i < length; i++) {
          count += a.get(INT_LE, aOffset + i * BYTES) < t ? 1 : 0;
        }
      }
      case LESS_OR_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(INT_LE, aOffset + i * BYTES) <= t ? 1 : 0;
        }
      }
      case GREATER -> {
        for (int i = 0; i < length; i++) {
          count += a.get(INT_LE, aOffset + i * BYTES) > t ? 1 : 0;
        }
      }
      case GREATER_OR_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(INT_LE, aOffset + i * BYTES) >= t ? 1 : 0;
        }
      }
      case EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(INT_LE, aOffset + i * BYTES) == t ? 1 : 0;
        }
      }
      case NOT_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a.get(INT_LE, aOffset + i * BYTES) != t ? 1 : 0;
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
      out.set(INT_LE, outOffset + at, a.get(INT_LE, aOffset + at) + b.get(INT_LE, bOffset + at));
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
      out.set(INT_LE, outOffset + at, a.get(INT_LE, aOffset + at) - b.get(INT_LE, bOffset + at));
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
      out.set(INT_LE, outOffset + at, a.get(INT_LE, aOffset + at) * b.get(INT_LE, bOffset + at));
    }
  }

  @Override
  public void neg(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(INT_LE, outOffset + at, -a.get(INT_LE, aOffset + at));
    }
  }

  @Override
  public void abs(MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(INT_LE, outOffset + at, Math.abs(a.get(INT_LE, aOffset + at)));
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
          INT_LE,
          outOffset + at,
          Math.min(a.get(INT_LE, aOffset + at), b.get(INT_LE, bOffset + at)));
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
          INT_LE,
          outOffset + at,
          Math.max(a.get(INT_LE, aOffset + at), b.get(INT_LE, bOffset + at)));
    }
  }

  @Override
  public void clamp(
      MemorySegment a,
      long aOffset,
      int lo,
      int hi,
      MemorySegment out,
      long outOffset,
      int length) {
    assert lo <= hi;
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(INT_LE, outOffset + at, Math.min(Math.max(a.get(INT_LE, aOffset + at), lo), hi));
    }
  }

  @Override
  public void prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, long initial) {
    long s = initial;
    for (int i = 0; i < length; i++) {
      s += a.get(INT_LE, aOffset + i * BYTES);
      out.set(LONG_LE, outOffset + i * (long) Long.BYTES, s);
    }
  }

  @Override
  public void toFloat(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out.set(FLOAT_LE, outOffset + i * (long) Float.BYTES, a.get(INT_LE, aOffset + i * BYTES));
    }
  }
}
