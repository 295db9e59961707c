package dev.flynn.engine;

import dev.flynn.engine.Blocks.DoubleReduction;
import dev.flynn.engine.Blocks.FloatReduction;
import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.FloatKernels;
import dev.flynn.kernels.IntKernels;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.LongKernels;

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

  // ======== INT AND LONG kernels
  // (section ints)

  // Integer kernels are exact or wrap as Java's own operators do, so every mode and thread count
  // gives the same values; reductions need no fixed combine tree. Overflow rules: int sums, dot
  // products and prefix sums are returned as longs, exact; a long sum or prefix sum, or an int dot
  // product, that does not fit in a long throws ArithmeticException (exact or nothing, never a
  // wrapped value); add, sub, mul, neg and abs wrap like + - * and Math.abs.

  // ---------------------------------------------------------------- int reductions

  /**
   * The sum of {@code a}, exact, as a long: it always fits (fewer than 2^31 elements of magnitude
   * at most 2^31). Empty gives 0.
   */
  public long sum(int[] a) {
    return sum(a, 0, Check.notNull("a", a).length);
  }

  /** The exact sum of a range; see {@link #sum(int[])}. */
  public long sum(int[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.sum(a, offset, length);
    }
    IntKernels kp = intKernels();
    long[] partials = new long[Blocks.count(length)];
    workers.forEachBlock(length, (s, n, block) -> partials[block] = kp.sum(a, offset + s, n));
    long sum = 0;
    for (long p : partials) {
      sum += p; // every partial sum of the partials is a sum of ints: below 2^62
    }
    return sum;
  }

  /**
   * The dot product of {@code a} and {@code b}, exact, as a long. Empty gives 0. Each product is
   * exact in a long; when the exact sum does not fit in a long, throws {@link ArithmeticException}
   * rather than return a wrapped value, whatever the order of the additions. That cannot happen
   * while {@code sum|a_i b_i| < 2^63}, for instance when every element is below 2^16 in magnitude.
   */
  public long dot(int[] a, int[] b) {
    int n = Check.sameLength("a", Check.notNull("a", a).length, "b", Check.notNull("b", b).length);
    return dot(a, 0, b, 0, n);
  }

  /** The exact dot product of two ranges of the same length; see {@link #dot(int[], int[])}. */
  public long dot(int[] a, int aOffset, int[] b, int bOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.dot(a, aOffset, b, bOffset, length);
    }
    IntKernels kp = intKernels();
    long[] partials = new long[Blocks.count(length)];
    try {
      workers.forEachBlock(
          length, (s, n, block) -> partials[block] = kp.dot(a, aOffset + s, b, bOffset + s, n));
    } catch (ArithmeticException blockOverflow) {
      // A block's own dot product does not fit; the total may. One kernel call over the whole
      // range keeps it exactly (rare: products near 2^62).
      return kp.dot(a, aOffset, b, bOffset, length);
    }
    return Kernels.scalarLongs().sum(partials, 0, partials.length); // exact or throws
  }

  /** The least element of {@code a}, exact. Empty throws. */
  public int min(int[] a) {
    return min(a, 0, Check.notNull("a", a).length);
  }

  /** The least element of a range; see {@link #min(int[])}. */
  public int min(int[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("min", "a", length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.min(a, offset, length);
    }
    IntKernels kp = intKernels();
    int[] partials = new int[Blocks.count(length)];
    workers.forEachBlock(length, (s, n, block) -> partials[block] = kp.min(a, offset + s, n));
    int min = partials[0];
    for (int p : partials) {
      min = Math.min(min, p);
    }
    return min;
  }

  /** The greatest element of {@code a}, exact. Empty throws. */
  public int max(int[] a) {
    return max(a, 0, Check.notNull("a", a).length);
  }

  /** The greatest element of a range; see {@link #max(int[])}. */
  public int max(int[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("max", "a", length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.max(a, offset, length);
    }
    IntKernels kp = intKernels();
    int[] partials = new int[Blocks.count(length)];
    workers.forEachBlock(length, (s, n, block) -> partials[block] = kp.max(a, offset + s, n));
    int max = partials[0];
    for (int p : partials) {
      max = Math.max(max, p);
    }
    return max;
  }

  /**
   * The index of the least element of {@code a}; the first one when several are equal. Empty
   * throws.
   */
  public int argmin(int[] a) {
    return argmin(a, 0, Check.notNull("a", a).length);
  }

  /**
   * The index, counted from {@code offset}, of the least element of a range; the first one when
   * several are equal. Empty throws.
   */
  public int argmin(int[] a, int offset, int length) {
    return extremeIndex(a, offset, length, true);
  }

  /**
   * The index of the greatest element of {@code a}; the first one when several are equal. Empty
   * throws.
   */
  public int argmax(int[] a) {
    return argmax(a, 0, Check.notNull("a", a).length);
  }

  /**
   * The index, counted from {@code offset}, of the greatest element of a range; the first one when
   * several are equal. Empty throws.
   */
  public int argmax(int[] a, int offset, int length) {
    return extremeIndex(a, offset, length, false);
  }

  private int extremeIndex(int[] a, int offset, int length, boolean least) {
    Check.range("a", a, offset, length);
    Check.notEmpty(least ? "argmin" : "argmax", "a", length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      return least ? k.argmin(a, offset, length) : k.argmax(a, offset, length);
    }
    IntKernels kp = intKernels();
    int[] partials = new int[Blocks.count(length)];
    workers.forEachBlock(
        length,
        (s, n, block) ->
            partials[block] =
                s + (least ? kp.argmin(a, offset + s, n) : kp.argmax(a, offset + s, n)));
    // Blocks in index order, strict comparison: the first block that holds the extreme wins.
    int best = partials[0];
    for (int p : partials) {
      if (least ? a[offset + p] < a[offset + best] : a[offset + p] > a[offset + best]) {
        best = p;
      }
    }
    return best;
  }

  /**
   * How many elements {@code x} of {@code a} satisfy {@code cmp.test(x, threshold)}, exact. The
   * comparison is {@link Comparison#test(long, long)}, on longs: a threshold outside the int range
   * counts every element or none, as the math says. {@code cmp} must not be null.
   */
  public long count(int[] a, Comparison cmp, long threshold) {
    return count(a, 0, Check.notNull("a", a).length, cmp, threshold);
  }

  /** How many elements of a range pass; see {@link #count(int[], Comparison, long)}. */
  public long count(int[] a, int offset, int length, Comparison cmp, long threshold) {
    Check.range("a", a, offset, length);
    Check.notNull("cmp", cmp);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.count(a, offset, length, cmp, threshold);
    }
    IntKernels kp = intKernels();
    long[] partials = new long[Blocks.count(length)];
    workers.forEachBlock(
        length, (s, n, block) -> partials[block] = kp.count(a, offset + s, n, cmp, threshold));
    long count = 0;
    for (long p : partials) {
      count += p;
    }
    return count;
  }

  // ---------------------------------------------------------------- int elementwise

  /**
   * {@code out[i] = a[i] + b[i]}, wrapping as Java's {@code int} addition does (two's complement,
   * modulo 2^32). {@code out} may be {@code a} or {@code b}.
   */
  public void add(int[] a, int[] b, int[] out) {
    add(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset + i] + b[bOffset + i]} for {@code i < length}, wrapping.
   */
  public void add(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.add(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.add(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = a[i] - b[i]}, wrapping as Java's {@code int} subtraction does. {@code out} may
   * be {@code a} or {@code b}.
   */
  public void sub(int[] a, int[] b, int[] out) {
    sub(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset + i] - b[bOffset + i]} for {@code i < length}, wrapping.
   */
  public void sub(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.sub(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.sub(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = a[i] * b[i]}, wrapping as Java's {@code int} multiplication does: the low 32
   * bits of the exact product. {@code out} may be {@code a} or {@code b}.
   */
  public void mul(int[] a, int[] b, int[] out) {
    mul(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset + i] * b[bOffset + i]} for {@code i < length}, wrapping.
   */
  public void mul(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.mul(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.mul(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = -a[i]}, wrapping: {@code -Integer.MIN_VALUE} is {@code Integer.MIN_VALUE}.
   * {@code out} may be {@code a}.
   */
  public void neg(int[] a, int[] out) {
    neg(a, 0, out, 0, unaryLength(a, out));
  }

  /** {@code out[outOffset + i] = -a[aOffset + i]} for {@code i < length}, wrapping. */
  public void neg(int[] a, int aOffset, int[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.neg(a, aOffset, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.neg(a, aOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.abs(a[i])}: as in Java, {@code abs(Integer.MIN_VALUE)} is {@code
   * Integer.MIN_VALUE}, the one negative result. {@code out} may be {@code a}.
   */
  public void abs(int[] a, int[] out) {
    abs(a, 0, out, 0, unaryLength(a, out));
  }

  /** {@code out[outOffset + i] = Math.abs(a[aOffset + i])} for {@code i < length}. */
  public void abs(int[] a, int aOffset, int[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.abs(a, aOffset, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.abs(a, aOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = Math.min(a[i], b[i])}. {@code out} may be {@code a} or {@code b}. */
  public void minimum(int[] a, int[] b, int[] out) {
    minimum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void minimum(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.minimum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.minimum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = Math.max(a[i], b[i])}. {@code out} may be {@code a} or {@code b}. */
  public void maximum(int[] a, int[] b, int[] out) {
    maximum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void maximum(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.maximum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.maximum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.clamp(a[i], lo, hi)}: {@code lo} below {@code lo}, {@code hi} above {@code
   * hi}, else {@code a[i]}. {@code lo > hi} throws {@link IllegalArgumentException}. {@code out}
   * may be {@code a}.
   */
  public void clamp(int[] a, int lo, int hi, int[] out) {
    clamp(a, 0, lo, hi, out, 0, unaryLength(a, out));
  }

  /** {@code out[outOffset + i] = Math.clamp(a[aOffset + i], lo, hi)} for {@code i < length}. */
  public void clamp(int[] a, int aOffset, int lo, int hi, int[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    checkBounds(lo, hi);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.clamp(a, aOffset, lo, hi, out, outOffset, length);
      return;
    }
    IntKernels kp = intKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.clamp(a, aOffset + s, lo, hi, out, outOffset + s, n));
  }

  /**
   * The inclusive prefix sum of {@code a} into {@code out}: {@code out[i] = a[0] + ... + a[i]},
   * exact (every prefix of ints fits in a long). The pooled modes run the two-pass block scan:
   * block sums, then each block scanned from the exact sum of the blocks before it.
   */
  public void scan(int[] a, long[] out) {
    int n =
        Check.sameLength(
            "a", Check.notNull("a", a).length, "out", Check.notNull("out", out).length);
    scan(a, 0, out, 0, n);
  }

  /**
   * {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset + i]} for {@code i < length}, exact;
   * see {@link #scan(int[], long[])}.
   */
  public void scan(int[] a, int aOffset, long[] out, int outOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("out", out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.scan(a, aOffset, out, outOffset, length, 0);
      return;
    }
    IntKernels kp = intKernels();
    long[] before = new long[Blocks.count(length)];
    workers.forEachBlock(length, (s, n, block) -> before[block] = kp.sum(a, aOffset + s, n));
    long running = 0;
    for (int b = 0; b < before.length; b++) {
      long blockSum = before[b];
      before[b] = running;
      running += blockSum; // a prefix of ints: below 2^62
    }
    workers.forEachBlock(
        length, (s, n, block) -> kp.scan(a, aOffset + s, out, outOffset + s, n, before[block]));
  }

  private static int wholeLength(int[] a, int[] b, int[] out) {
    int n = Check.notNull("a", a).length;
    Check.sameLength("a", n, "b", Check.notNull("b", b).length);
    return Check.sameLength("a", n, "out", Check.notNull("out", out).length);
  }

  private static int unaryLength(int[] a, int[] out) {
    return Check.sameLength(
        "a", Check.notNull("a", a).length, "out", Check.notNull("out", out).length);
  }

  private static void checkBinary(
      int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length);
  }

  private static void checkUnary(
      String inName, int[] in, int inOffset, int[] out, int outOffset, int length) {
    Check.range(inName, in, inOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap(inName, in, inOffset, "out", out, outOffset, length);
  }

  /** The kernels to run on the calling thread, or null when this call goes to the pool. */
  private IntKernels ints(int length, int autoForkThreshold) {
    workers.ensureOpen();
    if (parallel(length, autoForkThreshold)) {
      return null;
    }
    return intKernels();
  }

  /** The kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO, scalar otherwise. */
  private IntKernels intKernels() {
    return mode.vector() ? Kernels.vectorInts() : Kernels.scalarInts();
  }

  // ---------------------------------------------------------------- long reductions

  /**
   * The sum of {@code a}, exact or nothing: the exact sum when it fits in a long, else {@link
   * ArithmeticException}, even where wrapping intermediate sums would have come back into range.
   * Empty gives 0. The kernels keep the sum exactly (the sum modulo 2^64 and the sum of the high
   * halves, two extra operations per element), so the answer does not depend on the mode or the
   * thread count.
   */
  public long sum(long[] a) {
    return sum(a, 0, Check.notNull("a", a).length);
  }

  /** The exact sum of a range; see {@link #sum(long[])}. */
  public long sum(long[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.sum(a, offset, length);
    }
    LongKernels kp = longKernels();
    long[] partials = new long[Blocks.count(length)];
    try {
      workers.forEachBlock(length, (s, n, block) -> partials[block] = kp.sum(a, offset + s, n));
    } catch (ArithmeticException blockOverflow) {
      // A block's own sum does not fit; the total may. One kernel call over the whole range
      // keeps it exactly (rare: elements near 2^63 / 16384).
      return kp.sum(a, offset, length);
    }
    return Kernels.scalarLongs().sum(partials, 0, partials.length); // exact or throws
  }

  /** The least element of {@code a}, exact. Empty throws. */
  public long min(long[] a) {
    return min(a, 0, Check.notNull("a", a).length);
  }

  /** The least element of a range; see {@link #min(long[])}. */
  public long min(long[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("min", "a", length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.min(a, offset, length);
    }
    LongKernels kp = longKernels();
    long[] partials = new long[Blocks.count(length)];
    workers.forEachBlock(length, (s, n, block) -> partials[block] = kp.min(a, offset + s, n));
    long min = partials[0];
    for (long p : partials) {
      min = Math.min(min, p);
    }
    return min;
  }

  /** The greatest element of {@code a}, exact. Empty throws. */
  public long max(long[] a) {
    return max(a, 0, Check.notNull("a", a).length);
  }

  /** The greatest element of a range; see {@link #max(long[])}. */
  public long max(long[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("max", "a", length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.max(a, offset, length);
    }
    LongKernels kp = longKernels();
    long[] partials = new long[Blocks.count(length)];
    workers.forEachBlock(length, (s, n, block) -> partials[block] = kp.max(a, offset + s, n));
    long max = partials[0];
    for (long p : partials) {
      max = Math.max(max, p);
    }
    return max;
  }

  /**
   * The index of the least element of {@code a}; the first one when several are equal. Empty
   * throws.
   */
  public int argmin(long[] a) {
    return argmin(a, 0, Check.notNull("a", a).length);
  }

  /**
   * The index, counted from {@code offset}, of the least element of a range; the first one when
   * several are equal. Empty throws.
   */
  public int argmin(long[] a, int offset, int length) {
    return extremeIndex(a, offset, length, true);
  }

  /**
   * The index of the greatest element of {@code a}; the first one when several are equal. Empty
   * throws.
   */
  public int argmax(long[] a) {
    return argmax(a, 0, Check.notNull("a", a).length);
  }

  /**
   * The index, counted from {@code offset}, of the greatest element of a range; the first one when
   * several are equal. Empty throws.
   */
  public int argmax(long[] a, int offset, int length) {
    return extremeIndex(a, offset, length, false);
  }

  private int extremeIndex(long[] a, int offset, int length, boolean least) {
    Check.range("a", a, offset, length);
    Check.notEmpty(least ? "argmin" : "argmax", "a", length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      return least ? k.argmin(a, offset, length) : k.argmax(a, offset, length);
    }
    LongKernels kp = longKernels();
    int[] partials = new int[Blocks.count(length)];
    workers.forEachBlock(
        length,
        (s, n, block) ->
            partials[block] =
                s + (least ? kp.argmin(a, offset + s, n) : kp.argmax(a, offset + s, n)));
    // Blocks in index order, strict comparison: the first block that holds the extreme wins.
    int best = partials[0];
    for (int p : partials) {
      if (least ? a[offset + p] < a[offset + best] : a[offset + p] > a[offset + best]) {
        best = p;
      }
    }
    return best;
  }

  /**
   * How many elements {@code x} of {@code a} satisfy {@code cmp.test(x, threshold)} ({@link
   * Comparison#test(long, long)}), exact. {@code cmp} must not be null.
   */
  public long count(long[] a, Comparison cmp, long threshold) {
    return count(a, 0, Check.notNull("a", a).length, cmp, threshold);
  }

  /** How many elements of a range pass; see {@link #count(long[], Comparison, long)}. */
  public long count(long[] a, int offset, int length, Comparison cmp, long threshold) {
    Check.range("a", a, offset, length);
    Check.notNull("cmp", cmp);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      return k.count(a, offset, length, cmp, threshold);
    }
    LongKernels kp = longKernels();
    long[] partials = new long[Blocks.count(length)];
    workers.forEachBlock(
        length, (s, n, block) -> partials[block] = kp.count(a, offset + s, n, cmp, threshold));
    long count = 0;
    for (long p : partials) {
      count += p;
    }
    return count;
  }

  // ---------------------------------------------------------------- long elementwise

  /**
   * {@code out[i] = a[i] + b[i]}, wrapping as Java's {@code long} addition does (two's complement,
   * modulo 2^64). {@code out} may be {@code a} or {@code b}.
   */
  public void add(long[] a, long[] b, long[] out) {
    add(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset + i] + b[bOffset + i]} for {@code i < length}, wrapping.
   */
  public void add(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.add(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.add(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = a[i] - b[i]}, wrapping as Java's {@code long} subtraction does. {@code out} may
   * be {@code a} or {@code b}.
   */
  public void sub(long[] a, long[] b, long[] out) {
    sub(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset + i] - b[bOffset + i]} for {@code i < length}, wrapping.
   */
  public void sub(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.sub(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.sub(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = a[i] * b[i]}, wrapping as Java's {@code long} multiplication does: the low 64
   * bits of the exact product. {@code out} may be {@code a} or {@code b}.
   */
  public void mul(long[] a, long[] b, long[] out) {
    mul(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset + i] * b[bOffset + i]} for {@code i < length}, wrapping.
   */
  public void mul(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.mul(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.mul(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = -a[i]}, wrapping: {@code -Long.MIN_VALUE} is {@code Long.MIN_VALUE}. {@code
   * out} may be {@code a}.
   */
  public void neg(long[] a, long[] out) {
    neg(a, 0, out, 0, unaryLength(a, out));
  }

  /** {@code out[outOffset + i] = -a[aOffset + i]} for {@code i < length}, wrapping. */
  public void neg(long[] a, int aOffset, long[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.neg(a, aOffset, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.neg(a, aOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.abs(a[i])}: as in Java, {@code abs(Long.MIN_VALUE)} is {@code
   * Long.MIN_VALUE}, the one negative result. {@code out} may be {@code a}.
   */
  public void abs(long[] a, long[] out) {
    abs(a, 0, out, 0, unaryLength(a, out));
  }

  /** {@code out[outOffset + i] = Math.abs(a[aOffset + i])} for {@code i < length}. */
  public void abs(long[] a, int aOffset, long[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.abs(a, aOffset, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.abs(a, aOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = Math.min(a[i], b[i])}. {@code out} may be {@code a} or {@code b}. */
  public void minimum(long[] a, long[] b, long[] out) {
    minimum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void minimum(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.minimum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.minimum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /** {@code out[i] = Math.max(a[i], b[i])}. {@code out} may be {@code a} or {@code b}. */
  public void maximum(long[] a, long[] b, long[] out) {
    maximum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void maximum(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.maximum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.maximum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.clamp(a[i], lo, hi)}: {@code lo} below {@code lo}, {@code hi} above {@code
   * hi}, else {@code a[i]}. {@code lo > hi} throws {@link IllegalArgumentException}. {@code out}
   * may be {@code a}.
   */
  public void clamp(long[] a, long lo, long hi, long[] out) {
    clamp(a, 0, lo, hi, out, 0, unaryLength(a, out));
  }

  /** {@code out[outOffset + i] = Math.clamp(a[aOffset + i], lo, hi)} for {@code i < length}. */
  public void clamp(
      long[] a, int aOffset, long lo, long hi, long[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    checkBounds(lo, hi);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.clamp(a, aOffset, lo, hi, out, outOffset, length);
      return;
    }
    LongKernels kp = longKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.clamp(a, aOffset + s, lo, hi, out, outOffset + s, n));
  }

  /**
   * The inclusive prefix sum of {@code a} into {@code out}: {@code out[i] = a[0] + ... + a[i]},
   * exact or nothing element by element: when a prefix sum does not fit in a long, throws {@link
   * ArithmeticException} naming its index; {@code out} then holds unspecified values ({@code a} is
   * untouched unless it is {@code out}). {@code out} may be {@code a}. The pooled modes run the
   * two-pass block scan; there an overflow at a block boundary is found before anything is written.
   */
  public void scan(long[] a, long[] out) {
    scan(a, 0, out, 0, unaryLength(a, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset + i]} for {@code i < length}, exact or
   * {@link ArithmeticException}; see {@link #scan(long[], long[])}.
   */
  public void scan(long[] a, int aOffset, long[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.scan(a, aOffset, out, outOffset, length, 0);
      return;
    }
    LongKernels kp = longKernels();
    long[] before = new long[Blocks.count(length)];
    try {
      workers.forEachBlock(length, (s, n, block) -> before[block] = kp.sum(a, aOffset + s, n));
    } catch (ArithmeticException blockOverflow) {
      // A block's own sum does not fit, so the block offsets cannot be formed; nothing is written
      // yet. Scan on this thread, which checks every prefix.
      kp.scan(a, aOffset, out, outOffset, length, 0);
      return;
    }
    long running = 0;
    for (int b = 0; b < before.length; b++) {
      long blockSum = before[b];
      before[b] = running;
      long next = running + blockSum;
      if (((running ^ next) & (blockSum ^ next)) < 0) {
        // The prefix at the end of block b does not fit, and nothing is written yet.
        throw firstPrefixOverflow(a, aOffset, Blocks.start(b), Blocks.length(b, length), running);
      }
      running = next;
    }
    workers.forEachBlock(
        length, (s, n, block) -> kp.scan(a, aOffset + s, out, outOffset + s, n, before[block]));
  }

  private static int wholeLength(long[] a, long[] b, long[] out) {
    int n = Check.notNull("a", a).length;
    Check.sameLength("a", n, "b", Check.notNull("b", b).length);
    return Check.sameLength("a", n, "out", Check.notNull("out", out).length);
  }

  private static int unaryLength(long[] a, long[] out) {
    return Check.sameLength(
        "a", Check.notNull("a", a).length, "out", Check.notNull("out", out).length);
  }

  private static void checkBinary(
      long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length);
  }

  private static void checkUnary(
      String inName, long[] in, int inOffset, long[] out, int outOffset, int length) {
    Check.range(inName, in, inOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap(inName, in, inOffset, "out", out, outOffset, length);
  }

  /** The kernels to run on the calling thread, or null when this call goes to the pool. */
  private LongKernels longs(int length, int autoForkThreshold) {
    workers.ensureOpen();
    if (parallel(length, autoForkThreshold)) {
      return null;
    }
    return longKernels();
  }

  /** The kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO, scalar otherwise. */
  private LongKernels longKernels() {
    return mode.vector() ? Kernels.vectorLongs() : Kernels.scalarLongs();
  }

  /**
   * The exception for the first prefix sum that does not fit, searched in {@code [start, start +
   * n)} of the range from {@code prefix}, the exact sum before {@code start}; the message is the
   * kernels' own.
   */
  private static ArithmeticException firstPrefixOverflow(
      long[] a, int aOffset, int start, int n, long prefix) {
    long s = prefix;
    for (int i = start; i < start + n; i++) {
      long x = a[aOffset + i];
      long next = s + x;
      if (((s ^ next) & (x ^ next)) < 0) {
        return new ArithmeticException(
            "long overflow: the prefix sum at index "
                + i
                + " of the range does not fit ("
                + s
                + " + "
                + x
                + ")");
      }
      s = next;
    }
    throw new AssertionError("no prefix overflows in [" + start + ", " + (start + n) + ")");
  }

  private static void checkBounds(long lo, long hi) {
    if (lo > hi) {
      throw new IllegalArgumentException("clamp: lo=" + lo + " is greater than hi=" + hi);
    }
  }

  // ======== end of late families
}
