package dev.flynn.kernels;

import static dev.flynn.kernels.DoubleSegmentKernels.DOUBLE_LE;

import java.lang.foreign.MemorySegment;

/**
 * SISD double kernels over memory segments: the loops of {@link ScalarDoubleKernels}, element by
 * element, reading and writing little-endian doubles in place. Same order, same accumulator, same
 * bits.
 */
public final class ScalarDoubleSegmentKernels implements DoubleSegmentKernels {

  /** The single instance; the class has no state. */
  public static final ScalarDoubleSegmentKernels INSTANCE = new ScalarDoubleSegmentKernels();

  private static final long BYTES = Double.BYTES;

  private ScalarDoubleSegmentKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public double sum(MemorySegment a, long aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a.get(DOUBLE_LE, aOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a.get(DOUBLE_LE, aOffset + i * BYTES) * b.get(DOUBLE_LE, bOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    double min = a.get(DOUBLE_LE, aOffset);
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a.get(DOUBLE_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public double max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    double max = a.get(DOUBLE_LE, aOffset);
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a.get(DOUBLE_LE, aOffset + i * BYTES));
    }
    return max;
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
      out.set(
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) + b.get(DOUBLE_LE, bOffset + at));
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
      out.set(
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) - b.get(DOUBLE_LE, bOffset + at));
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
      out.set(
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) * b.get(DOUBLE_LE, bOffset + at));
    }
  }

  @Override
  public void div(
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
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) / b.get(DOUBLE_LE, bOffset + at));
    }
  }

  @Override
  public void scale(
      double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(DOUBLE_LE, outOffset + at, alpha * x.get(DOUBLE_LE, xOffset + at));
    }
  }

  @Override
  public void axpy(
      double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      double r =
          FusedMultiplyAdd.mulAdd(
              alpha, x.get(DOUBLE_LE, xOffset + at), y.get(DOUBLE_LE, yOffset + at));
      y.set(DOUBLE_LE, yOffset + at, r);
    }
  }

  @Override
  public void fma(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment c,
      long cOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      double r =
          Math.fma(
              a.get(DOUBLE_LE, aOffset + at),
              b.get(DOUBLE_LE, bOffset + at),
              c.get(DOUBLE_LE, cOffset + at));
      out.set(DOUBLE_LE, outOffset + at, r);
    }
  }
}
