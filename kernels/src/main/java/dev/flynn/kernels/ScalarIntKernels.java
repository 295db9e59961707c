package dev.flynn.kernels;

/**
 * SISD int kernels: plain loops, one element at a time. The fallback when the Vector API is not
 * usable and the yardstick every speed-up is measured against. C2 auto-vectorises several of these
 * loops on its own (the elementwise ones, {@code sum}, {@code min}, {@code max}).
 */
public final class ScalarIntKernels implements IntKernels {

  /** The single instance; the class has no state. */
  public static final ScalarIntKernels INSTANCE = new ScalarIntKernels();

  private ScalarIntKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public long sum(int[] a, int aOffset, int length) {
    long sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a[aOffset + i];
    }
    return sum;
  }

  @Override
  public long dot(int[] a, int aOffset, int[] b, int bOffset, int length) {
    long wrapped = 0;
    long high = 0;
    for (int i = 0; i < length; i++) {
      long p = (long) a[aOffset + i] * b[bOffset + i]; // exact: |p| <= 2^62
      wrapped += p;
      high += p >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public int min(int[] a, int aOffset, int length) {
    assert length >= 1;
    int min = a[aOffset];
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public int max(int[] a, int aOffset, int length) {
    assert length >= 1;
    int max = a[aOffset];
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public int argmin(int[] a, int aOffset, int length) {
    assert length >= 1;
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (a[aOffset + i] < a[aOffset + best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public int argmax(int[] a, int aOffset, int length) {
    assert length >= 1;
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (a[aOffset + i] > a[aOffset + best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public long count(int[] a, int aOffset, int length, Comparison cmp, long threshold) {
    if (threshold != (int) threshold) {
      return outOfRangeCount(length, cmp, threshold);
    }
    int t = (int) threshold;
    long count = 0;
    // One loop per comparison, so that the loop body has no switch.
    switch (cmp) {
      case LESS -> {
        for (int i = 0; i < length; i++) {
          count += a[aOffset + i] < t ? 1 : 0;
        }
      }
      case LESS_OR_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a[aOffset + i] <= t ? 1 : 0;
        }
      }
      case GREATER -> {
        for (int i = 0; i < length; i++) {
          count += a[aOffset + i] > t ? 1 : 0;
        }
      }
      case GREATER_OR_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a[aOffset + i] >= t ? 1 : 0;
        }
      }
      case EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a[aOffset + i] == t ? 1 : 0;
        }
      }
      case NOT_EQUAL -> {
        for (int i = 0; i < length; i++) {
          count += a[aOffset + i] != t ? 1 : 0;
        }
      }
    }
    return count;
  }

  /**
   * The count for a threshold outside the int range: every element compares the same way with it,
   * as {@code 0} does.
   */
  static long outOfRangeCount(int length, Comparison cmp, long threshold) {
    return cmp.test(0L, threshold) ? length : 0;
  }

  @Override
  public void add(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] + b[bOffset + i];
    }
  }

  @Override
  public void sub(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] - b[bOffset + i];
    }
  }

  @Override
  public void mul(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
    }
  }

  @Override
  public void neg(int[] a, int aOffset, int[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = -a[aOffset + i];
    }
  }

  @Override
  public void abs(int[] a, int aOffset, int[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.abs(a[aOffset + i]);
    }
  }

  @Override
  public void minimum(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void maximum(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void clamp(int[] a, int aOffset, int lo, int hi, int[] out, int outOffset, int length) {
    assert lo <= hi;
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(Math.max(a[aOffset + i], lo), hi);
    }
  }

  @Override
  public void prefixSum(int[] a, int aOffset, long[] out, int outOffset, int length, long initial) {
    long s = initial;
    for (int i = 0; i < length; i++) {
      s += a[aOffset + i];
      out[outOffset + i] = s;
    }
  }
}
