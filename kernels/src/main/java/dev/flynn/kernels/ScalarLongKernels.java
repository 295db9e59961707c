package dev.flynn.kernels;

/**
 * SISD long kernels: plain loops, one element at a time. The fallback when the Vector API is not
 * usable and the yardstick every speed-up is measured against.
 */
public final class ScalarLongKernels implements LongKernels {

  /** The single instance; the class has no state. */
  public static final ScalarLongKernels INSTANCE = new ScalarLongKernels();

  private ScalarLongKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public long sum(long[] a, int aOffset, int length) {
    long wrapped = 0;
    long high = 0;
    for (int i = 0; i < length; i++) {
      long x = a[aOffset + i];
      wrapped += x;
      high += x >> 32;
    }
    return ExactSum.of(wrapped, high);
  }

  @Override
  public long min(long[] a, int aOffset, int length) {
    assert length >= 1;
    long min = a[aOffset];
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a[aOffset + i]);
    }
    return min;
  }

  @Override
  public long max(long[] a, int aOffset, int length) {
    assert length >= 1;
    long max = a[aOffset];
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a[aOffset + i]);
    }
    return max;
  }

  @Override
  public int argmin(long[] a, int aOffset, int length) {
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
  public int argmax(long[] a, int aOffset, int length) {
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
  public long count(long[] a, int aOffset, int length, Comparison cmp, long threshold) {
    long t = threshold;
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

  @Override
  public void add(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] + b[bOffset + i];
    }
  }

  @Override
  public void sub(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] - b[bOffset + i];
    }
  }

  @Override
  public void mul(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
    }
  }

  @Override
  public void neg(long[] a, int aOffset, long[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = -a[aOffset + i];
    }
  }

  @Override
  public void abs(long[] a, int aOffset, long[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.abs(a[aOffset + i]);
    }
  }

  @Override
  public void minimum(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void maximum(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i]);
    }
  }

  @Override
  public void clamp(
      long[] a, int aOffset, long lo, long hi, long[] out, int outOffset, int length) {
    assert lo <= hi;
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = Math.min(Math.max(a[aOffset + i], lo), hi);
    }
  }

  @Override
  public void prefixSum(
      long[] a, int aOffset, long[] out, int outOffset, int length, long initial) {
    long s = initial;
    for (int i = 0; i < length; i++) {
      long x = a[aOffset + i];
      long next = s + x;
      if (ExactSum.overflows(s, x, next)) {
        throw ExactSum.scanOverflow(a, aOffset, i, i + 1, s);
      }
      s = next;
      out[outOffset + i] = s;
    }
  }
}
