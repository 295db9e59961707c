package dev.flynn.kernels;

/**
 * SISD double kernels: plain loops, one element at a time. The fallback when the Vector API is not
 * usable and the yardstick every speed-up is measured against. C2 may still auto-vectorise the
 * elementwise loops here; reductions stay sequential because their order is fixed.
 */
public final class ScalarDoubleKernels implements DoubleKernels {

  /** The single instance; the class has no state. */
  public static final ScalarDoubleKernels INSTANCE = new ScalarDoubleKernels();

  private ScalarDoubleKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public double sum(double[] a, int aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a[aOffset + i];
    }
    return sum;
  }

  @Override
  public double dot(double[] a, int aOffset, double[] b, int bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  @Override
  public double min(double[] a, int aOffset, int length) {
    assert length >= 1;
    double min = a[aOffset];
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public double max(double[] a, int aOffset, int length) {
    assert length >= 1;
    double max = a[aOffset];
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public void add(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] + b[bOffset + i];
    }
  }

  @Override
  public void sub(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] - b[bOffset + i];
    }
  }

  @Override
  public void mul(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
    }
  }

  @Override
  public void div(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] / b[bOffset + i];
    }
  }

  @Override
  public void scale(
      double alpha, double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = alpha * x[xOffset + i];
    }
  }

  @Override
  public void axpy(double alpha, double[] x, int xOffset, double[] y, int yOffset, int length) {
    for (int i = 0; i < length; i++) {
      y[yOffset + i] = FusedMultiplyAdd.mulAdd(alpha, x[xOffset + i], y[yOffset + i]);
    }
  }

  @Override
  public void fma(
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset,
      double[] out,
      int outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.fma(a[aOffset + i], b[bOffset + i], c[cOffset + i]);
    }
  }

  @Override
  public void exp(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.exp(x[xOffset + i]);
    }
  }

  // ======== MAPS: neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
  // conversions
  // (section maps: add this family's code below, above the next section line)

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  // ======== SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  @Override
  public double prefixSum(
      double[] a, int aOffset, double[] out, int outOffset, int length, double carry) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a[aOffset + i];
      out[outOffset + i] = carry + run;
    }
    return run;
  }

  @Override
  public double prefixSumTotal(double[] a, int aOffset, int length) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a[aOffset + i];
    }
    return run;
  }

  @Override
  public void histogram(double[] a, int aOffset, int length, EqualWidthBins rule, long[] counts) {
    assert counts.length >= rule.bins() + 3;
    for (int i = 0; i < length; i++) {
      rule.count(a[aOffset + i], counts);
    }
  }

  // ======== end of families
}
