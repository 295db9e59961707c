package dev.flynn.kernels;

import static dev.flynn.kernels.DoubleSegmentKernels.DOUBLE_LE;
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
  private static final long DOUBLE_BYTES = Double.BYTES;

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

  // ---------------------------------------------------------------- maps

  @Override
  public void neg(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(FLOAT_LE, outOffset + at, -x.get(FLOAT_LE, xOffset + at));
    }
  }

  @Override
  public void abs(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(FLOAT_LE, outOffset + at, Math.abs(x.get(FLOAT_LE, xOffset + at)));
    }
  }

  @Override
  public void sqrt(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      // The double square root of a float, rounded to float, is the correctly rounded float root.
      out.set(FLOAT_LE, outOffset + at, (float) Math.sqrt(x.get(FLOAT_LE, xOffset + at)));
    }
  }

  @Override
  public void relu(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(FLOAT_LE, outOffset + at, Math.max(x.get(FLOAT_LE, xOffset + at), 0.0f));
    }
  }

  @Override
  public void clamp(
      MemorySegment x,
      long xOffset,
      float lo,
      float hi,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(FLOAT_LE, outOffset + at, Math.min(Math.max(x.get(FLOAT_LE, xOffset + at), lo), hi));
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
          FLOAT_LE,
          outOffset + at,
          Math.min(a.get(FLOAT_LE, aOffset + at), b.get(FLOAT_LE, bOffset + at)));
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
          FLOAT_LE,
          outOffset + at,
          Math.max(a.get(FLOAT_LE, aOffset + at), b.get(FLOAT_LE, bOffset + at)));
    }
  }

  @Override
  public void select(
      MemorySegment a,
      long aOffset,
      Comparison comparison,
      float threshold,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      float r =
          comparison.test(a.get(FLOAT_LE, aOffset + at), threshold)
              ? ifTrue.get(FLOAT_LE, ifTrueOffset + at)
              : ifFalse.get(FLOAT_LE, ifFalseOffset + at);
      out.set(FLOAT_LE, outOffset + at, r);
    }
  }

  @Override
  public void selectPairwise(
      MemorySegment a,
      long aOffset,
      Comparison comparison,
      MemorySegment b,
      long bOffset,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      float r =
          comparison.test(a.get(FLOAT_LE, aOffset + at), b.get(FLOAT_LE, bOffset + at))
              ? ifTrue.get(FLOAT_LE, ifTrueOffset + at)
              : ifFalse.get(FLOAT_LE, ifFalseOffset + at);
      out.set(FLOAT_LE, outOffset + at, r);
    }
  }

  @Override
  public void toDouble(
      MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out.set(DOUBLE_LE, outOffset + i * DOUBLE_BYTES, x.get(FLOAT_LE, xOffset + i * BYTES));
    }
  }

  // ---------------------------------------------------------------- statistics

  @Override
  public int argmin(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int best = 0;
    float min = a.get(FLOAT_LE, aOffset);
    if (min != min) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      float x = a.get(FLOAT_LE, aOffset + i * BYTES);
      if (x != x) {
        return i; // the first NaN wins
      }
      // Float.compare orders -0.0 below +0.0; strictly below keeps the first of equal elements.
      if (Float.compare(x, min) < 0) {
        min = x;
        best = i;
      }
    }
    return best;
  }

  @Override
  public int argmax(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int best = 0;
    float max = a.get(FLOAT_LE, aOffset);
    if (max != max) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      float x = a.get(FLOAT_LE, aOffset + i * BYTES);
      if (x != x) {
        return i;
      }
      if (Float.compare(x, max) > 0) {
        max = x;
        best = i;
      }
    }
    return best;
  }

  @Override
  public double sumOfSquares(MemorySegment a, long aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double x = a.get(FLOAT_LE, aOffset + i * BYTES);
      sum += x * x; // exact: a float squared fits in double's 53 bits and exponent range
    }
    return sum;
  }

  @Override
  public void centeredSums(
      MemorySegment a, long aOffset, int length, double center, double[] sums, int sumsOffset) {
    double sum = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < length; i++) {
      double d = a.get(FLOAT_LE, aOffset + i * BYTES) - center;
      sum += d;
      sumOfSquares += d * d;
    }
    sums[sumsOffset] = sum;
    sums[sumsOffset + 1] = sumOfSquares;
  }

  @Override
  public int count(
      MemorySegment a, long aOffset, int length, Comparison comparison, float threshold) {
    int count = 0;
    for (int i = 0; i < length; i++) {
      if (comparison.test(a.get(FLOAT_LE, aOffset + i * BYTES), threshold)) {
        count++;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------- scan

  @Override
  public double prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, double carry) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a.get(FLOAT_LE, aOffset + i * BYTES);
      out.set(FLOAT_LE, outOffset + i * BYTES, (float) (carry + run));
    }
    return run;
  }

  @Override
  public double prefixSumTotal(MemorySegment a, long aOffset, int length) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a.get(FLOAT_LE, aOffset + i * BYTES);
    }
    return run;
  }

  // ---------------------------------------------------------------- similarity

  @Override
  public void cosineTerms(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      int length,
      double[] terms,
      int at) {
    // ScalarSimilarityKernels.cosineTerms: three double chains, products of floats exact.
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = a.get(FLOAT_LE, aOffset + i * BYTES);
      double y = b.get(FLOAT_LE, bOffset + i * BYTES);
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    terms[at] = dot;
    terms[at + 1] = sumA;
    terms[at + 2] = sumB;
    terms[at + 3] = 0;
    terms[at + 4] = 0;
  }

  @Override
  public double squaredDistance(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double d =
          (double) a.get(FLOAT_LE, aOffset + i * BYTES) - b.get(FLOAT_LE, bOffset + i * BYTES);
      sum += d * d;
    }
    return sum;
  }
}
