package dev.flynn.kernels;

/**
 * SISD float kernels: plain loops, one element at a time. The fallback when the Vector API is not
 * usable and the yardstick every speed-up is measured against. C2 may still auto-vectorise the
 * elementwise loops here; reductions stay sequential because their order is fixed.
 */
public final class ScalarFloatKernels implements FloatKernels {

  /** The single instance; the class has no state. */
  public static final ScalarFloatKernels INSTANCE = new ScalarFloatKernels();

  private ScalarFloatKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public double sum(float[] a, int aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a[aOffset + i];
    }
    return sum;
  }

  @Override
  public double dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      // The product of two floats is exact in double.
      sum += (double) a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  @Override
  public float min(float[] a, int aOffset, int length) {
    assert length >= 1;
    float min = a[aOffset];
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public float max(float[] a, int aOffset, int length) {
    assert length >= 1;
    float max = a[aOffset];
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public void add(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] + b[bOffset + i];
    }
  }

  @Override
  public void sub(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] - b[bOffset + i];
    }
  }

  @Override
  public void mul(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
    }
  }

  @Override
  public void div(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] / b[bOffset + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = alpha * x[xOffset + i];
    }
  }

  @Override
  public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
    for (int i = 0; i < length; i++) {
      y[yOffset + i] = FusedMultiplyAdd.mulAdd(alpha, x[xOffset + i], y[yOffset + i]);
    }
  }

  @Override
  public void fma(
      float[] a,
      int aOffset,
      float[] b,
      int bOffset,
      float[] c,
      int cOffset,
      float[] out,
      int outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.fma(a[aOffset + i], b[bOffset + i], c[cOffset + i]);
    }
  }

  @Override
  public void exp(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = (float) Math.exp(x[xOffset + i]);
    }
  }

  // ======== MAPS: neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
  // conversions
  // (section maps: add this family's code below, above the next section line)

  @Override
  public void neg(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = -x[xOffset + i];
    }
  }

  @Override
  public void abs(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.abs(x[xOffset + i]);
    }
  }

  @Override
  public void sqrt(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      // Rounding the double square root to float is innocuous (53 >= 2 * 24 + 2): correctly
      // rounded, and C2 compiles it to the float square root instruction.
      out[outOffset + i] = (float) Math.sqrt(x[xOffset + i]);
    }
  }

  @Override
  public void log(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = (float) Math.log(x[xOffset + i]);
    }
  }

  @Override
  public void tanh(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = (float) Math.tanh(x[xOffset + i]);
    }
  }

  @Override
  public void sigmoid(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      float v = x[xOffset + i];
      double t = Math.exp(-Math.abs((double) v));
      out[outOffset + i] = (float) ((v < 0 ? t : 1.0) / (1.0 + t));
    }
  }

  @Override
  public void relu(float[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.max(x[xOffset + i], 0.0f);
    }
  }

  @Override
  public void clamp(
      float[] x, int xOffset, float lo, float hi, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(Math.max(x[xOffset + i], lo), hi);
    }
  }

  @Override
  public void minimum(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void maximum(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void select(
      float[] a,
      int aOffset,
      Comparison comparison,
      float threshold,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] =
          comparison.test(a[aOffset + i], threshold)
              ? ifTrue[ifTrueOffset + i]
              : ifFalse[ifFalseOffset + i];
    }
  }

  @Override
  public void selectPairwise(
      float[] a,
      int aOffset,
      Comparison comparison,
      float[] b,
      int bOffset,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] =
          comparison.test(a[aOffset + i], b[bOffset + i])
              ? ifTrue[ifTrueOffset + i]
              : ifFalse[ifFalseOffset + i];
    }
  }

  @Override
  public void toDouble(float[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = x[xOffset + i];
    }
  }

  @Override
  public void toFloat(int[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = x[xOffset + i];
    }
  }

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  @Override
  public int argmin(float[] a, int aOffset, int length) {
    assert length >= 1;
    int best = 0;
    float min = a[aOffset];
    if (min != min) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      float x = a[aOffset + i];
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
  public int argmax(float[] a, int aOffset, int length) {
    assert length >= 1;
    int best = 0;
    float max = a[aOffset];
    if (max != max) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      float x = a[aOffset + i];
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
  public double sumOfSquares(float[] a, int aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double x = a[aOffset + i];
      sum += x * x; // exact: a float squared fits in double's 53 bits and exponent range
    }
    return sum;
  }

  @Override
  public void centeredSums(
      float[] a, int aOffset, int length, double center, double[] sums, int sumsOffset) {
    double sum = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < length; i++) {
      double d = a[aOffset + i] - center;
      sum += d;
      sumOfSquares += d * d;
    }
    sums[sumsOffset] = sum;
    sums[sumsOffset + 1] = sumOfSquares;
  }

  @Override
  public int count(float[] a, int aOffset, int length, Comparison comparison, float threshold) {
    int count = 0;
    for (int i = 0; i < length; i++) {
      if (comparison.test(a[aOffset + i], threshold)) {
        count++;
      }
    }
    return count;
  }

  // ======== SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  @Override
  public double prefixSum(
      float[] a, int aOffset, float[] out, int outOffset, int length, double carry) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a[aOffset + i];
      out[outOffset + i] = (float) (carry + run);
    }
    return run;
  }

  @Override
  public double prefixSumTotal(float[] a, int aOffset, int length) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a[aOffset + i];
    }
    return run;
  }

  @Override
  public void histogram(float[] a, int aOffset, int length, EqualWidthBins rule, long[] counts) {
    assert counts.length >= rule.bins() + 3;
    for (int i = 0; i < length; i++) {
      rule.count(a[aOffset + i], counts);
    }
  }

  // ======== end of families
}
