package dev.flynn.kernels;

import static dev.flynn.kernels.FloatSegmentKernels.FLOAT_LE;

import java.lang.foreign.MemorySegment;

/**
 * SISD float kernels over memory segments: the loops of {@link ScalarFloatKernels}, element by
 * element, reading and writing little-endian floats in place. Same order, same accumulator, same
 * bits.
 */
public final class ScalarFloatSegmentKernels implements FloatSegmentKernels {

  /** The single instance; the class has no state. */
  public static final ScalarFloatSegmentKernels INSTANCE = new ScalarFloatSegmentKernels();

  private static final long BYTES = Float.BYTES;

  private ScalarFloatSegmentKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public double sum(MemorySegment a, long aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a.get(FLOAT_LE, aOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      // The product of two floats is exact in double.
      sum += (double) a.get(FLOAT_LE, aOffset + i * BYTES) * b.get(FLOAT_LE, bOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public float min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    float min = a.get(FLOAT_LE, aOffset);
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a.get(FLOAT_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public float max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    float max = a.get(FLOAT_LE, aOffset);
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a.get(FLOAT_LE, aOffset + i * BYTES));
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
          FLOAT_LE, outOffset + at, a.get(FLOAT_LE, aOffset + at) + b.get(FLOAT_LE, bOffset + at));
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
          FLOAT_LE, outOffset + at, a.get(FLOAT_LE, aOffset + at) - b.get(FLOAT_LE, bOffset + at));
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
          FLOAT_LE, outOffset + at, a.get(FLOAT_LE, aOffset + at) * b.get(FLOAT_LE, bOffset + at));
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
          FLOAT_LE, outOffset + at, a.get(FLOAT_LE, aOffset + at) / b.get(FLOAT_LE, bOffset + at));
    }
  }

  @Override
  public void scale(
      float alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(FLOAT_LE, outOffset + at, alpha * x.get(FLOAT_LE, xOffset + at));
    }
  }

  @Override
  public void axpy(
      float alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      float r =
          FusedMultiplyAdd.mulAdd(
              alpha, x.get(FLOAT_LE, xOffset + at), y.get(FLOAT_LE, yOffset + at));
      y.set(FLOAT_LE, yOffset + at, r);
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
      float r =
          Math.fma(
              a.get(FLOAT_LE, aOffset + at),
              b.get(FLOAT_LE, bOffset + at),
              c.get(FLOAT_LE, cOffset + at));
      out.set(FLOAT_LE, outOffset + at, r);
    }
  }
}
