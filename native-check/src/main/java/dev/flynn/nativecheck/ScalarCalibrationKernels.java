package dev.flynn.nativecheck;

/** Scalar calibration loops: what one core does without vector lanes. */
final class ScalarCalibrationKernels implements CalibrationKernels {

  /** Independent chains: enough to cover an FMA latency of 4 cycles on 2 or more FMA ports. */
  private static final int CHAINS = 8;

  private final boolean fusedMultiplyAdd;

  ScalarCalibrationKernels(boolean fusedMultiplyAdd) {
    this.fusedMultiplyAdd = fusedMultiplyAdd;
  }

  @Override
  public float sum(float[] a) {
    // Eight accumulators so that the sweep is bound by loads, not by the add latency.
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int i = 0;
    for (; i + 8 <= a.length; i += 8) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
      s4 += a[i + 4];
      s5 += a[i + 5];
      s6 += a[i + 6];
      s7 += a[i + 7];
    }
    for (; i < a.length; i++) {
      s0 += a[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  @Override
  public float multiplyAddChains(long iterations) {
    float x = 0.999_999f;
    float y = 1e-7f;
    float c0 = 1, c1 = 2, c2 = 3, c3 = 4, c4 = 5, c5 = 6, c6 = 7, c7 = 8;
    for (long r = 0; r < iterations; r++) {
      if (fusedMultiplyAdd) {
        c0 = Math.fma(c0, x, y);
        c1 = Math.fma(c1, x, y);
        c2 = Math.fma(c2, x, y);
        c3 = Math.fma(c3, x, y);
        c4 = Math.fma(c4, x, y);
        c5 = Math.fma(c5, x, y);
        c6 = Math.fma(c6, x, y);
        c7 = Math.fma(c7, x, y);
      } else {
        c0 = c0 * x + y;
        c1 = c1 * x + y;
        c2 = c2 * x + y;
        c3 = c3 * x + y;
        c4 = c4 * x + y;
        c5 = c5 * x + y;
        c6 = c6 * x + y;
        c7 = c7 * x + y;
      }
    }
    return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7;
  }

  @Override
  public long flopsPerRound() {
    return 2L * CHAINS;
  }

  @Override
  public double dot(float[] a, float[] b) {
    // The same loop as Flynn's SISD dot: products exact in double, one accumulator.
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Override
  public String name() {
    return "scalar";
  }
}
