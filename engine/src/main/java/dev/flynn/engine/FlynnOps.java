package dev.flynn.engine;

import dev.flynn.engine.Blocks.DoubleReduction;
import dev.flynn.engine.Blocks.FloatReduction;
import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.FloatKernels;
import dev.flynn.kernels.Kernels;

/**
 * Every kernel Flynn offers, on whole arrays and on ranges {@code (array, offset, length)}, run in
 * one {@link Mode}. {@link Flynn} is the engine (it owns the pool and runs in its default mode);
 * {@link #using(Mode)} gives a view that runs the same calls in another mode on the same pool.
 *
 * <h2>Arguments</h2>
 *
 * Every argument is checked before anything is written: a null array throws {@link
 * NullPointerException}; a negative length, whole arrays of different lengths, or an output that
 * partially overlaps an input (same array, shifted window) throw {@link IllegalArgumentException};
 * a range outside its array throws {@link IndexOutOfBoundsException}. The message names the
 * argument and its values. An output may be exactly the same range as an input.
 *
 * <h2>Determinism</h2>
 *
 * Reductions cut the range into blocks of 16384 elements whose boundaries depend on the length only
 * and combine the block results in a fixed tree, so a reduction returns the same bits whatever the
 * thread count: SISD and MIMD agree bit for bit, and so do SIMD, SIMD_MIMD and AUTO (when vectors
 * are active). Elementwise kernels give the same bits in every mode except {@code exp}, which may
 * differ by 1 ulp between the scalar and vector modes.
 *
 * <h2>Thresholds</h2>
 *
 * In {@link Mode#AUTO} a call is split across the pool only from {@value #AUTO_FORK_STREAM}
 * elements for memory-bound kernels and from {@value #AUTO_FORK_TRANSCENDENTAL} for {@code exp};
 * below, it runs on the calling thread.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class FlynnOps {

  /**
   * AUTO forks memory-bound kernels (sum, dot, min, max, add, axpy...) from this many elements.
   *
   * <p>Measured with {@code DemoBenchmark} (bench module), SIMD against SIMD_MIMD on the reference
   * machine (2 vCPUs of an AMD Zen 5 EPYC, AVX-512): {@code ./flynn jmh
   * 'DemoBenchmark.(sum|axpy|exp)' -p size=32768,...,4194304 -p mode=SIMD,SIMD_MIMD -wi 3 -w 200ms
   * -i 5 -r 200ms}. A pooled call costs about 3 to 10 us (waking a worker on a virtual machine),
   * and in cache a second vCPU adds little to a load-bound loop, so two threads first won between 1
   * Mi elements (sum 54 us alone, 63 us pooled; axpy 101 us against 142 us) and 4 Mi elements (sum
   * 388 us against 293 us; axpy 959 us against 632 us).
   */
  public static final int AUTO_FORK_STREAM = 1 << 21;

  /**
   * AUTO forks {@code exp} from this many elements: it does far more arithmetic per element than a
   * sum, so a second core pays earlier. Same benchmark as above: at 256 Ki elements 80 us alone
   * against 65 us pooled; at 128 Ki 33 us against 41 us.
   */
  public static final int AUTO_FORK_TRANSCENDENTAL = 1 << 18;

  final Workers workers;
  private final Mode mode;

  FlynnOps(Workers workers, Mode mode) {
    this.workers = workers;
    this.mode = Check.notNull("mode", mode);
  }

  /** The mode these calls run in. */
  public Mode mode() {
    return mode;
  }

  /**
   * The same calls, on the same pool, run in {@code mode}. Cheap; closing stays with the engine.
   */
  public FlynnOps using(Mode mode) {
    return new FlynnOps(workers, mode);
  }

  /** The number of worker threads in the engine's pool. */
  public int threads() {
    return workers.threads();
  }

  /** Whether a call of {@code length} elements goes to the pool in this mode. */
  private boolean parallel(int length, int autoForkThreshold) {
    return switch (mode) {
      case SISD, SIMD -> false;
      case MIMD, SIMD_MIMD -> length > Blocks.BLOCK;
      case AUTO -> workers.threads() > 1 && length >= autoForkThreshold && length > Blocks.BLOCK;
    };
  }

  // ---------------------------------------------------------------- float reductions

  /**
   * The sum of {@code a}. Empty gives +0.0. Error against the exact sum: scalar modes at most
   * {@code 2^-24 |s| + n 2^-53 sum|a_i|} (double accumulation, one final rounding); vector modes at
   * most {@code (min(n, 16384) / 4L + 6) 2^-24 sum|a_i|}, L being the float lanes per vector.
   */
  public float sum(float[] a) {
    return sum(a, 0, Check.notNull("a", a).length);
  }

  /** The sum of {@code a[offset .. offset + length)}; see {@link #sum(float[])}. */
  public float sum(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    return (float) reduce(FloatReduction.SUM, a, offset, null, 0, length);
  }

  /**
   * The dot product of {@code a} and {@code b}. Empty gives +0.0. Error: scalar modes at most
   * {@code 2^-24 |s| + n 2^-53 sum|a_i b_i|}; vector modes at most {@code (min(n, 16384) / 8L + 11)
   * 2^-24 sum|a_i b_i|}.
   */
  public float dot(float[] a, float[] b) {
    int n = Check.sameLength("a", Check.notNull("a", a).length, "b", Check.notNull("b", b).length);
    return dot(a, 0, b, 0, n);
  }

  /** The dot product of two ranges of the same length; see {@link #dot(float[], float[])}. */
  public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    return (float) reduce(FloatReduction.DOT, a, aOffset, b, bOffset, length);
  }

  /** The least element, exact; NaN if any element is NaN; -0.0 is below +0.0. Empty throws. */
  public float min(float[] a) {
    return min(a, 0, Check.notNull("a", a).length);
  }

  /** The least element of a range; see {@link #min(float[])}. */
  public float min(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("min", "a", length);
    return (float) reduce(FloatReduction.MIN, a, offset, null, 0, length);
  }

  /** The greatest element, exact; NaN if any element is NaN; +0.0 is above -0.0. Empty throws. */
  public float max(float[] a) {
    return max(a, 0, Check.notNull("a", a).length);
  }

  /** The greatest element of a range; see {@link #max(float[])}. */
  public float max(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("max", "a", length);
    return (float) reduce(FloatReduction.MAX, a, offset, null, 0, length);
  }

  private double reduce(
      FloatReduction r, float[] a, int aOffset, float[] b, int bOffset, int length) {
    workers.ensureOpen();
    int blocks = Blocks.count(length);
    if (blocks == 0) {
      return 0.0;
    }
    FloatKernels k = floatKernels();
    if (!parallel(length, AUTO_FORK_STREAM)) {
      return Blocks.tree(r, k, a, aOffset, b, bOffset, length, 0, blocks);
    }
    double[] partials = new double[blocks];
    workers.forEachBlock(
        length,
        (start, n, block) ->
            partials[block] = r.leaf(k, a, aOffset + start, b, bOffset + start, n));
    return Blocks.combine(r, partials, 0, blocks);
  }

  // ---------------------------------------------------------------- float elementwise

  /**
   * {@code out[i] = a[i] + b[i]}, exact IEEE addition. {@code out} may be {@code a} or {@code b}.
   */
  public void add(float[] a, float[] b, float[] out) {
    add(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] + b[bOffset + i]} for {@code i < length}. */
  public void add(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.add(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.add(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = a[i] - b[i]}, exact IEEE subtraction. {@code out} may be {@code a} or {@code
   * b}.
   */
  public void sub(float[] a, float[] b, float[] out) {
    sub(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] - b[bOffset + i]} for {@code i < length}. */
  public void sub(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.sub(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.sub(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = a[i] * b[i]}, exact IEEE multiplication. */
  public void mul(float[] a, float[] b, float[] out) {
    mul(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] * b[bOffset + i]} for {@code i < length}. */
  public void mul(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.mul(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.mul(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = a[i] / b[i]}, exact IEEE division (x/0 is infinite or NaN, as in Java). */
  public void div(float[] a, float[] b, float[] out) {
    div(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] / b[bOffset + i]} for {@code i < length}. */
  public void div(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.div(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.div(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = alpha * x[i]}. {@code out} may be {@code x}. */
  public void scale(float alpha, float[] x, float[] out) {
    int n =
        Check.sameLength(
            "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
    scale(alpha, x, 0, out, 0, n);
  }

  /** {@code out[outOffset + i] = alpha * x[xOffset + i]} for {@code i < length}. */
  public void scale(float alpha, float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.scale(alpha, x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.scale(alpha, x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code y[i] = alpha * x[i] + y[i]}, with one rounding where the hardware has FMA and two
   * otherwise (the same in every mode). {@code x} may be {@code y}.
   */
  public void axpy(float alpha, float[] x, float[] y) {
    int n = Check.sameLength("x", Check.notNull("x", x).length, "y", Check.notNull("y", y).length);
    axpy(alpha, x, 0, y, 0, n);
  }

  /** {@code y[yOffset + i] = alpha * x[xOffset + i] + y[yOffset + i]} for {@code i < length}. */
  public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
    Check.range("x", x, xOffset, length);
    Check.range("y", y, yOffset, length);
    Check.noPartialOverlap("x", x, xOffset, "y", y, yOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.axpy(alpha, x, xOffset, y, yOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.axpy(alpha, x, xOffset + s, y, yOffset + s, n));
  }

  /** {@code out[i] = a[i] * b[i] + c[i]} with one rounding ({@link Math#fma}) in every mode. */
  public void fma(float[] a, float[] b, float[] c, float[] out) {
    int n = wholeLength(a, b, out);
    Check.sameLength("a", n, "c", Check.notNull("c", c).length);
    fma(a, 0, b, 0, c, 0, out, 0, n);
  }

  /**
   * The fused multiply-add of three ranges into a fourth; see {@link #fma(float[], float[],
   * float[], float[])}.
   */
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
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    Check.range("c", c, cOffset, length);
    Check.noPartialOverlap("c", c, cOffset, "out", out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.fma(a, aOffset, b, bOffset, c, cOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length,
        (s, n, block) ->
            kp.fma(a, aOffset + s, b, bOffset + s, c, cOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = e^x[i]}, within 1 ulp of the exact result; the scalar and vector modes may
   * differ by 1 ulp on an element. {@code out} may be {@code x}.
   */
  public void exp(float[] x, float[] out) {
    int n =
        Check.sameLength(
            "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
    exp(x, 0, out, 0, n);
  }

  /** {@code out[outOffset + i] = e^x[xOffset + i]} for {@code i < length}. */
  public void exp(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.exp(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.exp(x, xOffset + s, out, outOffset + s, n));
  }

  // ======== float MAPS: neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
  // conversions
  // (section maps: add this family's code below, above the next section line)

  // ======== float STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance,
  // standardDeviation, count
  // (section statistics: add this family's code below, above the next section line)

  // ======== float SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  // ======== float end of families

  private static int wholeLength(float[] a, float[] b, float[] out) {
    int n = Check.notNull("a", a).length;
    Check.sameLength("a", n, "b", Check.notNull("b", b).length);
    return Check.sameLength("a", n, "out", Check.notNull("out", out).length);
  }

  private static void checkBinary(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length);
  }

  private static void checkUnary(
      String inName, float[] in, int inOffset, float[] out, int outOffset, int length) {
    Check.range(inName, in, inOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap(inName, in, inOffset, "out", out, outOffset, length);
  }

  /** The kernels to run on the calling thread, or null when this call goes to the pool. */
  private FloatKernels floats(int length, int autoForkThreshold) {
    workers.ensureOpen();
    if (parallel(length, autoForkThreshold)) {
      return null;
    }
    return floatKernels();
  }

  /** The kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO, scalar otherwise. */
  private FloatKernels floatKernels() {
    return mode.vector() ? Kernels.vectorFloats() : Kernels.scalarFloats();
  }

  // ---------------------------------------------------------------- double reductions

  /**
   * The sum of {@code a}. Empty gives +0.0. Error against the exact sum, with {@code u = 2^-53}, L
   * the double lanes per vector and {@code d = ceil(log2(ceil(n / 16384)))} the depth of the tree
   * that combines the blocks: scalar modes at most {@code (min(n, 16384) + d + 1) u sum|a_i|};
   * vector modes at most {@code (min(n, 16384) / 4L + L + d + 6) u sum|a_i|}.
   */
  public double sum(double[] a) {
    return sum(a, 0, Check.notNull("a", a).length);
  }

  /** The sum of {@code a[offset .. offset + length)}; see {@link #sum(double[])}. */
  public double sum(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    return reduce(DoubleReduction.SUM, a, offset, null, 0, length);
  }

  /**
   * The dot product of {@code a} and {@code b}. Empty gives +0.0. Error as for {@link
   * #sum(double[])} plus one {@code u sum|a_i b_i|} for the products, except that the vector modes
   * keep 8 chains: {@code (min(n, 16384) / 8L + L + d + 11) u sum|a_i b_i|}.
   */
  public double dot(double[] a, double[] b) {
    int n = Check.sameLength("a", Check.notNull("a", a).length, "b", Check.notNull("b", b).length);
    return dot(a, 0, b, 0, n);
  }

  /** The dot product of two ranges of the same length; see {@link #dot(double[], double[])}. */
  public double dot(double[] a, int aOffset, double[] b, int bOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    return reduce(DoubleReduction.DOT, a, aOffset, b, bOffset, length);
  }

  /** The least element, exact; NaN if any element is NaN; -0.0 is below +0.0. Empty throws. */
  public double min(double[] a) {
    return min(a, 0, Check.notNull("a", a).length);
  }

  /** The least element of a range; see {@link #min(double[])}. */
  public double min(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("min", "a", length);
    return reduce(DoubleReduction.MIN, a, offset, null, 0, length);
  }

  /** The greatest element, exact; NaN if any element is NaN; +0.0 is above -0.0. Empty throws. */
  public double max(double[] a) {
    return max(a, 0, Check.notNull("a", a).length);
  }

  /** The greatest element of a range; see {@link #max(double[])}. */
  public double max(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("max", "a", length);
    return reduce(DoubleReduction.MAX, a, offset, null, 0, length);
  }

  private double reduce(
      DoubleReduction r, double[] a, int aOffset, double[] b, int bOffset, int length) {
    workers.ensureOpen();
    int blocks = Blocks.count(length);
    if (blocks == 0) {
      return 0.0;
    }
    DoubleKernels k = doubleKernels();
    if (!parallel(length, AUTO_FORK_STREAM)) {
      return Blocks.tree(r, k, a, aOffset, b, bOffset, length, 0, blocks);
    }
    double[] partials = new double[blocks];
    workers.forEachBlock(
        length,
        (start, n, block) ->
            partials[block] = r.leaf(k, a, aOffset + start, b, bOffset + start, n));
    return Blocks.combine(r, partials, 0, blocks);
  }

  // ---------------------------------------------------------------- double elementwise

  /**
   * {@code out[i] = a[i] + b[i]}, exact IEEE addition. {@code out} may be {@code a} or {@code b}.
   */
  public void add(double[] a, double[] b, double[] out) {
    add(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] + b[bOffset + i]} for {@code i < length}. */
  public void add(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.add(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.add(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = a[i] - b[i]}, exact IEEE subtraction. {@code out} may be {@code a} or {@code
   * b}.
   */
  public void sub(double[] a, double[] b, double[] out) {
    sub(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] - b[bOffset + i]} for {@code i < length}. */
  public void sub(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.sub(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.sub(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = a[i] * b[i]}, exact IEEE multiplication. */
  public void mul(double[] a, double[] b, double[] out) {
    mul(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] * b[bOffset + i]} for {@code i < length}. */
  public void mul(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.mul(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.mul(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = a[i] / b[i]}, exact IEEE division (x/0 is infinite or NaN, as in Java). */
  public void div(double[] a, double[] b, double[] out) {
    div(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /** {@code out[outOffset + i] = a[aOffset + i] / b[bOffset + i]} for {@code i < length}. */
  public void div(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.div(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.div(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = alpha * x[i]}. {@code out} may be {@code x}. */
  public void scale(double alpha, double[] x, double[] out) {
    int n =
        Check.sameLength(
            "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
    scale(alpha, x, 0, out, 0, n);
  }

  /** {@code out[outOffset + i] = alpha * x[xOffset + i]} for {@code i < length}. */
  public void scale(
      double alpha, double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.scale(alpha, x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.scale(alpha, x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code y[i] = alpha * x[i] + y[i]}, with one rounding where the hardware has FMA and two
   * otherwise (the same in every mode). {@code x} may be {@code y}.
   */
  public void axpy(double alpha, double[] x, double[] y) {
    int n = Check.sameLength("x", Check.notNull("x", x).length, "y", Check.notNull("y", y).length);
    axpy(alpha, x, 0, y, 0, n);
  }

  /** {@code y[yOffset + i] = alpha * x[xOffset + i] + y[yOffset + i]} for {@code i < length}. */
  public void axpy(double alpha, double[] x, int xOffset, double[] y, int yOffset, int length) {
    Check.range("x", x, xOffset, length);
    Check.range("y", y, yOffset, length);
    Check.noPartialOverlap("x", x, xOffset, "y", y, yOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.axpy(alpha, x, xOffset, y, yOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.axpy(alpha, x, xOffset + s, y, yOffset + s, n));
  }

  /** {@code out[i] = a[i] * b[i] + c[i]} with one rounding ({@link Math#fma}) in every mode. */
  public void fma(double[] a, double[] b, double[] c, double[] out) {
    int n = wholeLength(a, b, out);
    Check.sameLength("a", n, "c", Check.notNull("c", c).length);
    fma(a, 0, b, 0, c, 0, out, 0, n);
  }

  /**
   * The fused multiply-add of three ranges into a fourth; see {@link #fma(double[], double[],
   * double[], double[])}.
   */
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
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    Check.range("c", c, cOffset, length);
    Check.noPartialOverlap("c", c, cOffset, "out", out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.fma(a, aOffset, b, bOffset, c, cOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length,
        (s, n, block) ->
            kp.fma(a, aOffset + s, b, bOffset + s, c, cOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = e^x[i]}, within 1 ulp of the exact result; the scalar and vector modes may
   * differ by 1 ulp on an element. {@code out} may be {@code x}.
   */
  public void exp(double[] x, double[] out) {
    int n =
        Check.sameLength(
            "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
    exp(x, 0, out, 0, n);
  }

  /** {@code out[outOffset + i] = e^x[xOffset + i]} for {@code i < length}. */
  public void exp(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.exp(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.exp(x, xOffset + s, out, outOffset + s, n));
  }

  // ======== double MAPS: neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum,
  // select, conversions
  // (section maps: add this family's code below, above the next section line)

  // ======== double STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance,
  // standardDeviation, count
  // (section statistics: add this family's code below, above the next section line)

  // ======== double SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  // ======== double end of families

  private static int wholeLength(double[] a, double[] b, double[] out) {
    int n = Check.notNull("a", a).length;
    Check.sameLength("a", n, "b", Check.notNull("b", b).length);
    return Check.sameLength("a", n, "out", Check.notNull("out", out).length);
  }

  private static void checkBinary(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length);
  }

  private static void checkUnary(
      String inName, double[] in, int inOffset, double[] out, int outOffset, int length) {
    Check.range(inName, in, inOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap(inName, in, inOffset, "out", out, outOffset, length);
  }

  /** The kernels to run on the calling thread, or null when this call goes to the pool. */
  private DoubleKernels doubles(int length, int autoForkThreshold) {
    workers.ensureOpen();
    if (parallel(length, autoForkThreshold)) {
      return null;
    }
    return doubleKernels();
  }

  /** The kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO, scalar otherwise. */
  private DoubleKernels doubleKernels() {
    return mode.vector() ? Kernels.vectorDoubles() : Kernels.scalarDoubles();
  }

  // ======== SIMILARITY: cosine, squaredDistance, query-against-rows scores
  // (section sim)

  // ======== MATRIX: gemv, gemm
  // (section gemm)

  /**
   * AUTO splits {@code gemm} across the pool from this many flops ({@code 2 m n k}, here a 128 x
   * 128 x 128 product); below, it runs on the calling thread. Reasoned, not yet measured: a pooled
   * call costs about 3 to 10 us (see {@link #AUTO_FORK_STREAM}), and 4 Mflop take about 20 to 25 us
   * on one Zen 5 core at 170 to 200 GFLOPS, so a second core saves more than the fork costs from
   * about here. Measuring it needs {@code ./flynn jmh 'GemmBenchmark.gemm$' -p
   * shape=64x64x64,128x128x128,256x256x256 -p mode=SIMD,SIMD_MIMD -p threads=2} on a quiet machine;
   * the runs made so far shared two vCPUs with a load average of 15 and timed the interpreter.
   */
  public static final long AUTO_FORK_GEMM_FLOPS = 1L << 22;

  /**
   * {@code C = alpha * A * B + beta * C} for row-major {@code A} ({@code m x k}, {@code a.length ==
   * m * k}), {@code B} ({@code k x n}) and {@code C} ({@code m x n}), packed without gaps. See
   * {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int,
   * float, float[], int, int)} for the semantics and the error bound.
   */
  public void gemm(int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
    checkWholeMatrix("a", Check.notNull("a", a).length, "m * k", m, k);
    checkWholeMatrix("b", Check.notNull("b", b).length, "k * n", k, n);
    checkWholeMatrix("c", Check.notNull("c", c).length, "m * n", m, n);
    gemm(
        false,
        false,
        m,
        n,
        k,
        alpha,
        a,
        0,
        Math.max(1, k),
        b,
        0,
        Math.max(1, n),
        beta,
        c,
        0,
        Math.max(1, n));
  }

  /**
   * General matrix multiply, as BLAS {@code sgemm} on row-major matrices: {@code C = alpha * op(A)
   * * op(B) + beta * C}, where {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n} and
   * {@code C} is {@code m x n}.
   *
   * <p><b>Layout.</b> Element {@code (i, j)} of a matrix {@code X} held at {@code (x, xOffset,
   * ldx)} is {@code x[xOffset + i * ldx + j]}. {@code op(A) = A} when {@code transA} is false
   * ({@code a} holds the {@code m x k} matrix, {@code lda >= k}); when it is true {@code op(A) =
   * A^T} and {@code a} holds the {@code k x m} matrix {@code A} ({@code lda >= m}). Likewise {@code
   * op(B)} with {@code transB} ({@code b} holds {@code k x n}, {@code ldb >= n}, or {@code n x k},
   * {@code ldb >= k}). {@code ldc >= n}. Every leading dimension is at least 1.
   *
   * <p><b>Special values (BLAS rules).</b> When {@code beta == 0}, {@code C} is not read: a NaN or
   * infinity there does not reach the result. When {@code alpha == 0} or {@code k == 0}, {@code A}
   * and {@code B} are not read and {@code C} becomes {@code beta * C} (zeros when {@code beta ==
   * 0}, unchanged when {@code beta == 1}). Otherwise NaN and infinities propagate as in IEEE
   * arithmetic.
   *
   * <p><b>Accuracy.</b> With {@code u = 2^-24} and {@code gamma(n) = n u / (1 - n u)}, barring
   * underflow and overflow, every element satisfies {@code |C'_ij - C_ij| <= gamma(k + 3) (|alpha|
   * sum_p |op(A)_ip| |op(B)_pj| + |beta| |C_ij|)} in every mode. The scalar modes (SISD, MIMD) and
   * the vector modes (SIMD, SIMD_MIMD, AUTO) sum in different orders and may differ within that
   * bound.
   *
   * <p><b>Determinism.</b> Each element of {@code C} is computed by one task, in an order fixed by
   * the shape and the machine's cache sizes: MIMD gives the same bits as SISD, and SIMD_MIMD and
   * AUTO the same as SIMD, whatever the thread count.
   *
   * <p><b>Arguments</b> are checked before anything is written: a null array throws {@link
   * NullPointerException}; a negative dimension, a leading dimension below the width, or {@code C}
   * sharing array elements with {@code A} or {@code B} (their spans from first to last element
   * meet) throws {@link IllegalArgumentException}; a matrix reaching outside its array throws
   * {@link IndexOutOfBoundsException}.
   *
   * <p>AUTO splits the call across the pool from {@value #AUTO_FORK_GEMM_FLOPS} flops ({@code 2 m n
   * k}).
   */
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    Gemm.gemm(
        workers, mode, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c,
        cOffset, ldc);
  }

  /**
   * {@code y = alpha * A * x + beta * y} for a row-major {@code m x n} matrix {@code A} ({@code
   * a.length == m * n}), {@code x} of {@code n} and {@code y} of {@code m} elements. See {@link
   * #gemv(boolean, int, int, float, float[], int, int, float[], int, float, float[], int)}.
   */
  public void gemv(int m, int n, float alpha, float[] a, float[] x, float beta, float[] y) {
    checkWholeMatrix("a", Check.notNull("a", a).length, "m * n", m, n);
    Check.sameLength("n", n, "x", Check.notNull("x", x).length);
    Check.sameLength("m", m, "y", Check.notNull("y", y).length);
    gemv(false, m, n, alpha, a, 0, Math.max(1, n), x, 0, beta, y, 0);
  }

  /**
   * Matrix-vector multiply, as BLAS {@code sgemv} on a row-major matrix with contiguous vectors:
   * {@code y = alpha * op(A) * x + beta * y}. {@code a} holds the {@code m x n} matrix {@code A}
   * ({@code lda >= max(1, n)}); without transposition {@code x} has {@code n} elements and {@code
   * y} has {@code m}, with it ({@code op(A) = A^T}) {@code x} has {@code m} and {@code y} has
   * {@code n}.
   *
   * <p>Special values, arguments and determinism as for {@link #gemm(boolean, boolean, int, int,
   * int, float, float[], int, int, float[], int, int, float, float[], int, int)} ({@code y} plays
   * {@code C}). Accuracy: with {@code s} the length of the sums ({@code n}, or {@code m} with
   * transposition) and {@code L} the float lanes per vector ({@code 1} in the scalar modes), {@code
   * |y'_i - y_i| <= gamma(s + 2L + 3) (|alpha| sum_j |op(A)_ij| |x_j| + |beta| |y_i|)}. AUTO splits
   * from {@value #AUTO_FORK_STREAM} elements of {@code A}.
   */
  public void gemv(
      boolean transA,
      int m,
      int n,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] x,
      int xOffset,
      float beta,
      float[] y,
      int yOffset) {
    Gemm.gemv(workers, mode, transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
  }

  /**
   * {@code C = alpha * A * B + beta * C} for packed row-major double matrices; see {@link
   * #gemm(int, int, int, float, float[], float[], float, float[])}.
   */
  public void gemm(
      int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c) {
    checkWholeMatrix("a", Check.notNull("a", a).length, "m * k", m, k);
    checkWholeMatrix("b", Check.notNull("b", b).length, "k * n", k, n);
    checkWholeMatrix("c", Check.notNull("c", c).length, "m * n", m, n);
    gemm(
        false,
        false,
        m,
        n,
        k,
        alpha,
        a,
        0,
        Math.max(1, k),
        b,
        0,
        Math.max(1, n),
        beta,
        c,
        0,
        Math.max(1, n));
  }

  /**
   * General matrix multiply on doubles, as BLAS {@code dgemm} on row-major matrices: everything as
   * for {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int,
   * float, float[], int, int)}, with {@code u = 2^-53} in the error bound.
   */
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int aOffset,
      int lda,
      double[] b,
      int bOffset,
      int ldb,
      double beta,
      double[] c,
      int cOffset,
      int ldc) {
    Gemm.gemm(
        workers, mode, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c,
        cOffset, ldc);
  }

  /**
   * {@code y = alpha * A * x + beta * y} for a packed row-major double matrix; see {@link
   * #gemv(int, int, float, float[], float[], float, float[])}.
   */
  public void gemv(int m, int n, double alpha, double[] a, double[] x, double beta, double[] y) {
    checkWholeMatrix("a", Check.notNull("a", a).length, "m * n", m, n);
    Check.sameLength("n", n, "x", Check.notNull("x", x).length);
    Check.sameLength("m", m, "y", Check.notNull("y", y).length);
    gemv(false, m, n, alpha, a, 0, Math.max(1, n), x, 0, beta, y, 0);
  }

  /**
   * Matrix-vector multiply on doubles, as BLAS {@code dgemv}: everything as for {@link
   * #gemv(boolean, int, int, float, float[], int, int, float[], int, float, float[], int)}, with
   * {@code u = 2^-53} and {@code L} the double lanes per vector in the error bound.
   */
  public void gemv(
      boolean transA,
      int m,
      int n,
      double alpha,
      double[] a,
      int aOffset,
      int lda,
      double[] x,
      int xOffset,
      double beta,
      double[] y,
      int yOffset) {
    Gemm.gemv(workers, mode, transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
  }

  /** Checks that a whole-array matrix argument has exactly {@code rows * cols} elements. */
  private static void checkWholeMatrix(String name, int length, String shape, int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "negative dimension: " + shape + " with " + rows + " and " + cols);
    }
    if ((long) rows * cols != length) {
      throw new IllegalArgumentException(
          "shape mismatch: "
              + name
              + ".length="
              + length
              + ", but "
              + shape
              + " = "
              + rows
              + " * "
              + cols
              + " = "
              + (long) rows * cols);
    }
  }

  // ======== INT AND LONG kernels
  // (section ints)

  // ======== end of late families
}
