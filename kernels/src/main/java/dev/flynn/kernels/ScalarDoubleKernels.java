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

  @Override
  public void neg(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = -x[xOffset + i];
    }
  }

  @Override
  public void abs(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.abs(x[xOffset + i]);
    }
  }

  @Override
  public void sqrt(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.sqrt(x[xOffset + i]);
    }
  }

  @Override
  public void log(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.log(x[xOffset + i]);
    }
  }

  @Override
  public void tanh(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.tanh(x[xOffset + i]);
    }
  }

  @Override
  public void sigmoid(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      double v = x[xOffset + i];
      double t = Math.exp(-Math.abs(v));
      out[outOffset + i] = (v < 0 ? t : 1.0) / (1.0 + t);
    }
  }

  @Override
  public void relu(double[] x, int xOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.max(x[xOffset + i], 0.0);
    }
  }

  @Override
  public void clamp(
      double[] x, int xOffset, double lo, double hi, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(Math.max(x[xOffset + i], lo), hi);
    }
  }

  @Override
  public void minimum(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void maximum(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void select(
      double[] a,
      int aOffset,
      Comparison comparison,
      double threshold,
      double[] ifTrue,
      int ifTrueOffset,
      double[] ifFalse,
      int ifFalseOffset,
      double[] out,
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
      double[] a,
      int aOffset,
      Comparison comparison,
      double[] b,
      int bOffset,
      double[] ifTrue,
      int ifTrueOffset,
      double[] ifFalse,
      int ifFalseOffset,
      double[] out,
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
  public void toFloat(double[] x, int xOffset, float[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = (float) x[xOffset + i];
    }
  }

  // ======== STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance, standardDeviation,
  // count
  // (section statistics: add this family's code below, above the next section line)

  @Override
  public int argmin(double[] a, int aOffset, int length) {
    assert length >= 1;
    int best = 0;
    double min = a[aOffset];
    if (min != min) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      double x = a[aOffset + i];
      if (x != x) {
        return i; // the first NaN wins
      }
      // Double.compare orders -0.0 below +0.0; strictly below keeps the first of equal elements.
      if (Double.compare(x, min) < 0) {
        min = x;
        best = i;
      }
    }
    return best;
  }

  @Override
  public int argmax(double[] a, int aOffset, int length) {
    assert length >= 1;
    int best = 0;
    double max = a[aOffset];
    if (max != max) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      double x = a[aOffset + i];
      if (x != x) {
        return i;
      }
      if (Double.compare(x, max) > 0) {
        max = x;
        best = i;
      }
    }
    return best;
  }

  @Override
  public double sumOfSquares(double[] a, int aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double x = a[aOffset + i];
      sum += x * x;
    }
    return sum;
  }

  @Override
  public void scaledSumsOfSquares(
      double[] a, int aOffset, int length, double[] sums, int sumsOffset) {
    double big = 0;
    double medium = 0;
    double small = 0;
    for (int i = 0; i < length; i++) {
      double x = Math.abs(a[aOffset + i]);
      if (x > Blue.BIG_THRESHOLD) {
        double scaled = x * Blue.BIG_SCALE;
        big += scaled * scaled;
      } else if (x < Blue.SMALL_THRESHOLD) {
        double scaled = x * Blue.SMALL_SCALE;
        small += scaled * scaled;
      } else {
        medium += x * x; // NaN lands here: it fails both comparisons
      }
    }
    sums[sumsOffset] = big;
    sums[sumsOffset + 1] = medium;
    sums[sumsOffset + 2] = small;
  }

  @Override
  public void centeredSums(
      double[] a, int aOffset, int length, double center, double[] sums, int sumsOffset) {
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
  public int count(double[] a, int aOffset, int length, Comparison comparison, double threshold) {
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
