package dev.flynn.nativecheck;

/**
 * The loops that calibration times: a read sweep, an FMA throughput loop and a dot product, in a
 * scalar form and (when the Vector API is active) a vector form. They are deliberately separate
 * from Flynn's kernels: calibration measures the machine, not Flynn.
 */
interface CalibrationKernels {

  /**
   * Sums {@code a} (a read sweep over it); the result only keeps the JIT from dropping the loop.
   */
  float sum(float[] a);

  /**
   * Runs {@code iterations} rounds of independent multiply-add chains that never touch memory, and
   * returns a value derived from them (to keep the work alive).
   */
  float multiplyAddChains(long iterations);

  /**
   * Floating-point operations (a multiply-add counts 2) in one round of {@link #multiplyAddChains}.
   */
  long flopsPerRound();

  /** The dot product of two equally long arrays. */
  double dot(float[] a, float[] b);

  /** A name for the report: {@code scalar} or {@code vector-512}. */
  String name();
}
