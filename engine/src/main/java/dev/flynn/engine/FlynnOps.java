package dev.flynn.engine;

import dev.flynn.engine.Blocks.DoubleReduction;
import dev.flynn.engine.Blocks.FloatReduction;
import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.FloatKernels;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.SimilarityKernels;

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

  // The error bounds below use u = 2^-24 (float) or 2^-53 (double), L the lanes per vector of the
  // type, m = min(n, 16384) and d = ceil(log2(ceil(n / 16384))), the depth of the fixed tree that
  // combines the blocks of a long vector. Cosine bounds are absolute: the value lies in [-1, 1] and
  // near 0 no relative bound can hold (the dot product cancels). Distance bounds are relative to
  // the exact result s. Every bound holds for all finite inputs, of any magnitude (see
  // SimilarityKernels: sums that leave the safe range are redone in double or scaled).

  /**
   * The cosine similarity {@code dot(a, b) / (|a| |b|)}, clamped to [-1, 1]. A zero vector gives
   * NaN (the angle is undefined); a NaN or an infinity in either input gives NaN; empty vectors
   * throw. Error against the exact cosine: scalar modes at most {@code u + (2n + 10) 2^-53} (sums
   * in double); vector modes at most {@code (m / 2L + 20) u} (float lanes, 4 chains per sum, redone
   * in double where they would overflow or underflow).
   */
  public float cosine(float[] a, float[] b) {
    int n = Check.sameLength("a", Check.notNull("a", a).length, "b", Check.notNull("b", b).length);
    return cosine(a, 0, b, 0, n);
  }

  /** The cosine of two ranges of the same length; see {@link #cosine(float[], float[])}. */
  public float cosine(float[] a, int aOffset, float[] b, int bOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    Similarity.notEmptyVectors("cosine", "length", length);
    workers.ensureOpen();
    SimilarityKernels k = similarityKernels();
    int blocks = Blocks.count(length);
    if (blocks == 1) {
      return (float) k.cosine(a, aOffset, b, bOffset, length);
    }
    double[] terms = new double[blocks * SimilarityKernels.COSINE_TERMS];
    if (parallel(length, AUTO_FORK_STREAM)) {
      workers.forEachBlock(
          length,
          (s, n, block) ->
              k.cosineTerms(
                  a,
                  aOffset + s,
                  b,
                  bOffset + s,
                  n,
                  terms,
                  block * SimilarityKernels.COSINE_TERMS));
    } else {
      for (int block = 0; block < blocks; block++) {
        int s = Blocks.start(block);
        k.cosineTerms(
            a,
            aOffset + s,
            b,
            bOffset + s,
            Blocks.length(block, length),
            terms,
            block * SimilarityKernels.COSINE_TERMS);
      }
    }
    return (float) Similarity.cosineOfBlocks(terms, blocks);
  }

  /**
   * The squared Euclidean distance {@code sum (a_i - b_i)^2}. Empty gives +0.0; NaN in an input
   * gives NaN; an infinity gives +Inf (NaN if both hold the same infinity at one index); a result
   * beyond {@link Float#MAX_VALUE} is +Inf. Error relative to the exact result s: scalar modes at
   * most {@code u s + (n + 3) 2^-53 s} (differences and sums in double); vector modes at most
   * {@code (m / 4L + 8) u s} (float lanes, redone in double when they would overflow or when s <
   * 2^-60, where squares may have underflowed).
   */
  public float squaredDistance(float[] a, float[] b) {
    int n = Check.sameLength("a", Check.notNull("a", a).length, "b", Check.notNull("b", b).length);
    return squaredDistance(a, 0, b, 0, n);
  }

  /** The squared distance of two ranges; see {@link #squaredDistance(float[], float[])}. */
  public float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    workers.ensureOpen();
    SimilarityKernels k = similarityKernels();
    int blocks = Blocks.count(length);
    if (blocks <= 1) {
      return (float) k.squaredDistance(a, aOffset, b, bOffset, length);
    }
    double[] partials = new double[blocks];
    if (parallel(length, AUTO_FORK_STREAM)) {
      workers.forEachBlock(
          length,
          (s, n, block) -> partials[block] = k.squaredDistance(a, aOffset + s, b, bOffset + s, n));
    } else {
      for (int block = 0; block < blocks; block++) {
        int s = Blocks.start(block);
        partials[block] =
            k.squaredDistance(a, aOffset + s, b, bOffset + s, Blocks.length(block, length));
      }
    }
    return (float) Blocks.combine(FloatReduction.SUM, partials, 0, blocks);
  }

  /**
   * {@code scores[r] = dot(query, row r)} for the {@code rows} rows of a row-major {@code matrix}
   * of {@code rows * dim} elements; {@code query.length == dim}, {@code scores.length == rows}.
   * {@code dim} 0 gives +0.0 scores. Each score is computed from its row alone, so it has the same
   * bits in every thread count (and, in the vector modes, whichever rows share a call). Error of a
   * score against the exact {@code s = sum q_i r_i}: scalar modes at most {@code u |s| + dim 2^-53
   * sum|q_i r_i|}; vector modes at most {@code (dim / 2L + 8) u sum|q_i r_i|}, and like {@link
   * #dot(float[], float[])} float lanes can overflow where the scalar double sum does not.
   */
  public void dotScores(float[] query, float[] matrix, int rows, int dim, float[] scores) {
    wholeScores("dotScores", query, matrix, rows, dim, scores);
    dotScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The dot scores of the rows {@code matrix[matrixOffset + r * rowStride .. + dim)}, {@code r <
   * rows}, {@code rowStride >= dim}, into {@code scores[scoresOffset .. + rows)}; see {@link
   * #dotScores(float[], float[], int, int, float[])}. The scores may not overlap the query or the
   * matrix rows.
   */
  public void dotScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset) {
    rangeScores(
        "dotScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset);
    SimilarityKernels k = similarityKernels();
    forRows(
        rows,
        dim,
        (first, count) ->
            k.dotScores(
                query,
                queryOffset,
                matrix,
                matrixOffset + first * rowStride,
                count,
                dim,
                rowStride,
                scores,
                scoresOffset + first));
  }

  /**
   * {@code scores[r] = cosine(query, row r)}, with the semantics of {@link #cosine(float[],
   * float[])} (zero rows or query give NaN; {@code dim} 0 throws). The query's norm is computed
   * once per call. Error of a score: scalar modes at most {@code u + (2 dim + 10) 2^-53} (the same
   * bits as {@code cosine(query, row)}); vector modes at most {@code (2 dim / L + 12) u}.
   */
  public void cosineScores(float[] query, float[] matrix, int rows, int dim, float[] scores) {
    wholeScores("cosineScores", query, matrix, rows, dim, scores);
    cosineScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The cosine scores of strided rows; see {@link #cosineScores(float[], float[], int, int,
   * float[])} and {@link #dotScores(float[], int, float[], int, int, int, int, float[], int)}.
   */
  public void cosineScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset) {
    rangeScores(
        "cosineScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset);
    Similarity.notEmptyVectors("cosineScores", "dim", dim);
    SimilarityKernels k = similarityKernels();
    forRows(
        rows,
        dim,
        (first, count) ->
            k.cosineScores(
                query,
                queryOffset,
                matrix,
                matrixOffset + first * rowStride,
                count,
                dim,
                rowStride,
                scores,
                scoresOffset + first));
  }

  /**
   * {@code scores[r] = squaredDistance(query, row r)}, with the semantics of {@link
   * #squaredDistance(float[], float[])}. Error of a score relative to the exact s: scalar modes at
   * most {@code u s + (dim + 3) 2^-53 s} (the same bits as {@code squaredDistance(query, row)});
   * vector modes at most {@code (dim / 2L + 8) u s}.
   */
  public void squaredDistanceScores(
      float[] query, float[] matrix, int rows, int dim, float[] scores) {
    wholeScores("squaredDistanceScores", query, matrix, rows, dim, scores);
    squaredDistanceScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The squared-distance scores of strided rows; see {@link #squaredDistanceScores(float[],
   * float[], int, int, float[])}.
   */
  public void squaredDistanceScores(
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset) {
    rangeScores(
        "squaredDistanceScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset);
    SimilarityKernels k = similarityKernels();
    forRows(
        rows,
        dim,
        (first, count) ->
            k.squaredDistanceScores(
                query,
                queryOffset,
                matrix,
                matrixOffset + first * rowStride,
                count,
                dim,
                rowStride,
                scores,
                scoresOffset + first));
  }

  private static void wholeScores(
      String kernel, float[] query, float[] matrix, int rows, int dim, float[] scores) {
    Similarity.wholeShape(
        kernel,
        Check.notNull("query", query).length,
        Check.notNull("matrix", matrix).length,
        rows,
        dim,
        Check.notNull("scores", scores).length);
  }

  private static void rangeScores(
      String kernel,
      float[] query,
      int queryOffset,
      float[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      float[] scores,
      int scoresOffset) {
    Similarity.ranges(
        kernel,
        query,
        Check.notNull("query", query).length,
        queryOffset,
        matrix,
        Check.notNull("matrix", matrix).length,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        Check.notNull("scores", scores).length,
        scoresOffset);
  }

  /**
   * The cosine similarity {@code dot(a, b) / (|a| |b|)}, clamped to [-1, 1]. A zero vector gives
   * NaN (the angle is undefined); a NaN or an infinity in either input gives NaN; empty vectors
   * throw. Error against the exact cosine: scalar modes at most {@code (2n + 10) u}; vector modes
   * at most {@code (m / 2L + 4L + 2d + 18) u}. Sums of squares outside [2^-500, 2^500] are redone
   * on inputs scaled by powers of two, so no finite input overflows or underflows.
   */
  public double cosine(double[] a, double[] b) {
    int n = Check.sameLength("a", Check.notNull("a", a).length, "b", Check.notNull("b", b).length);
    return cosine(a, 0, b, 0, n);
  }

  /** The cosine of two ranges of the same length; see {@link #cosine(double[], double[])}. */
  public double cosine(double[] a, int aOffset, double[] b, int bOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    Similarity.notEmptyVectors("cosine", "length", length);
    workers.ensureOpen();
    SimilarityKernels k = similarityKernels();
    int blocks = Blocks.count(length);
    if (blocks == 1) {
      return k.cosine(a, aOffset, b, bOffset, length);
    }
    double[] terms = new double[blocks * SimilarityKernels.COSINE_TERMS];
    if (parallel(length, AUTO_FORK_STREAM)) {
      workers.forEachBlock(
          length,
          (s, n, block) ->
              k.cosineTerms(
                  a,
                  aOffset + s,
                  b,
                  bOffset + s,
                  n,
                  terms,
                  block * SimilarityKernels.COSINE_TERMS));
    } else {
      for (int block = 0; block < blocks; block++) {
        int s = Blocks.start(block);
        k.cosineTerms(
            a,
            aOffset + s,
            b,
            bOffset + s,
            Blocks.length(block, length),
            terms,
            block * SimilarityKernels.COSINE_TERMS);
      }
    }
    return Similarity.cosineOfBlocks(terms, blocks);
  }

  /**
   * The squared Euclidean distance {@code sum (a_i - b_i)^2}. Empty gives +0.0; NaN in an input
   * gives NaN; an infinity gives +Inf (NaN if both hold the same infinity at one index); a result
   * beyond {@link Double#MAX_VALUE} is +Inf. Error relative to the exact result s: scalar modes at
   * most {@code (n + 3) u s}; vector modes at most {@code (m / 4L + 2L + d + 8) u s}; a result
   * below 2^-960 (or an overflowing sum) is redone scaled by the largest difference's power of two,
   * so only a subnormal result adds its own rounding, 2^-1075 absolute.
   */
  public double squaredDistance(double[] a, double[] b) {
    int n = Check.sameLength("a", Check.notNull("a", a).length, "b", Check.notNull("b", b).length);
    return squaredDistance(a, 0, b, 0, n);
  }

  /** The squared distance of two ranges; see {@link #squaredDistance(double[], double[])}. */
  public double squaredDistance(double[] a, int aOffset, double[] b, int bOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("b", b, bOffset, length);
    workers.ensureOpen();
    SimilarityKernels k = similarityKernels();
    int blocks = Blocks.count(length);
    if (blocks <= 1) {
      return k.squaredDistance(a, aOffset, b, bOffset, length);
    }
    double[] partials = new double[blocks];
    if (parallel(length, AUTO_FORK_STREAM)) {
      workers.forEachBlock(
          length,
          (s, n, block) -> partials[block] = k.squaredDistance(a, aOffset + s, b, bOffset + s, n));
    } else {
      for (int block = 0; block < blocks; block++) {
        int s = Blocks.start(block);
        partials[block] =
            k.squaredDistance(a, aOffset + s, b, bOffset + s, Blocks.length(block, length));
      }
    }
    return Blocks.combine(DoubleReduction.SUM, partials, 0, blocks);
  }

  /**
   * {@code scores[r] = dot(query, row r)} for the {@code rows} rows of a row-major {@code matrix}
   * of {@code rows * dim} elements; {@code query.length == dim}, {@code scores.length == rows}.
   * {@code dim} 0 gives +0.0 scores. Each score is computed from its row alone, so it has the same
   * bits in every thread count (and, in the vector modes, whichever rows share a call). Error of a
   * score against the exact {@code s = sum q_i r_i}: scalar modes at most {@code (dim + 1) u
   * sum|q_i r_i|}; vector modes at most {@code (dim / 2L + 2L + 6) u sum|q_i r_i|}. Like {@link
   * #dot(double[], double[])}, no scaling: sums beyond double's range overflow.
   */
  public void dotScores(double[] query, double[] matrix, int rows, int dim, double[] scores) {
    wholeScores("dotScores", query, matrix, rows, dim, scores);
    dotScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The dot scores of the rows {@code matrix[matrixOffset + r * rowStride .. + dim)}, {@code r <
   * rows}, {@code rowStride >= dim}, into {@code scores[scoresOffset .. + rows)}; see {@link
   * #dotScores(double[], double[], int, int, double[])}. The scores may not overlap the query or
   * the matrix rows.
   */
  public void dotScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset) {
    rangeScores(
        "dotScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset);
    SimilarityKernels k = similarityKernels();
    forRows(
        rows,
        dim,
        (first, count) ->
            k.dotScores(
                query,
                queryOffset,
                matrix,
                matrixOffset + first * rowStride,
                count,
                dim,
                rowStride,
                scores,
                scoresOffset + first));
  }

  /**
   * {@code scores[r] = cosine(query, row r)}, with the semantics of {@link #cosine(double[],
   * double[])} (zero rows or query give NaN; {@code dim} 0 throws). The query's norm is computed
   * once per call. Error of a score: scalar modes at most {@code (2 dim + 10) u} (the same bits as
   * {@code cosine(query, row)}); vector modes at most {@code (2 dim / L + 4L + 12) u}.
   */
  public void cosineScores(double[] query, double[] matrix, int rows, int dim, double[] scores) {
    wholeScores("cosineScores", query, matrix, rows, dim, scores);
    cosineScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The cosine scores of strided rows; see {@link #cosineScores(double[], double[], int, int,
   * double[])} and {@link #dotScores(double[], int, double[], int, int, int, int, double[], int)}.
   */
  public void cosineScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset) {
    rangeScores(
        "cosineScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset);
    Similarity.notEmptyVectors("cosineScores", "dim", dim);
    SimilarityKernels k = similarityKernels();
    forRows(
        rows,
        dim,
        (first, count) ->
            k.cosineScores(
                query,
                queryOffset,
                matrix,
                matrixOffset + first * rowStride,
                count,
                dim,
                rowStride,
                scores,
                scoresOffset + first));
  }

  /**
   * {@code scores[r] = squaredDistance(query, row r)}, with the semantics of {@link
   * #squaredDistance(double[], double[])}. Error of a score relative to the exact s: scalar modes
   * at most {@code (dim + 3) u s} (the same bits as {@code squaredDistance(query, row)}); vector
   * modes at most {@code (dim / 2L + 2L + 8) u s}.
   */
  public void squaredDistanceScores(
      double[] query, double[] matrix, int rows, int dim, double[] scores) {
    wholeScores("squaredDistanceScores", query, matrix, rows, dim, scores);
    squaredDistanceScores(query, 0, matrix, 0, rows, dim, dim, scores, 0);
  }

  /**
   * The squared-distance scores of strided rows; see {@link #squaredDistanceScores(double[],
   * double[], int, int, double[])}.
   */
  public void squaredDistanceScores(
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset) {
    rangeScores(
        "squaredDistanceScores",
        query,
        queryOffset,
        matrix,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        scoresOffset);
    SimilarityKernels k = similarityKernels();
    forRows(
        rows,
        dim,
        (first, count) ->
            k.squaredDistanceScores(
                query,
                queryOffset,
                matrix,
                matrixOffset + first * rowStride,
                count,
                dim,
                rowStride,
                scores,
                scoresOffset + first));
  }

  private static void wholeScores(
      String kernel, double[] query, double[] matrix, int rows, int dim, double[] scores) {
    Similarity.wholeShape(
        kernel,
        Check.notNull("query", query).length,
        Check.notNull("matrix", matrix).length,
        rows,
        dim,
        Check.notNull("scores", scores).length);
  }

  private static void rangeScores(
      String kernel,
      double[] query,
      int queryOffset,
      double[] matrix,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      double[] scores,
      int scoresOffset) {
    Similarity.ranges(
        kernel,
        query,
        Check.notNull("query", query).length,
        queryOffset,
        matrix,
        Check.notNull("matrix", matrix).length,
        matrixOffset,
        rows,
        dim,
        rowStride,
        scores,
        Check.notNull("scores", scores).length,
        scoresOffset);
  }

  /** Runs {@code action} on all rows here, or on blocks of rows across the pool. */
  private void forRows(int rows, int dim, RowsAction action) {
    workers.ensureOpen();
    long work = (long) rows * Math.max(dim, 1);
    if (rows <= 1 || !parallel((int) Math.min(work, Integer.MAX_VALUE), AUTO_FORK_STREAM)) {
      action.run(0, rows);
      return;
    }
    int rowsPerBlock = Similarity.rowsPerBlock(rows, dim);
    int rowBlocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
    // forEachBlock hands out block numbers over a length of whole blocks; each number is one block
    // of rows (rowsPerBlock keeps rowBlocks * BLOCK below 2^30).
    workers.forEachBlock(
        rowBlocks * Blocks.BLOCK,
        (start, length, block) -> {
          int first = block * rowsPerBlock;
          action.run(first, Math.min(rowsPerBlock, rows - first));
        });
  }

  /** Computes the scores of rows {@code [first, first + count)}. */
  @FunctionalInterface
  private interface RowsAction {
    void run(int first, int count);
  }

  /** The similarity kernels of this mode's class: vector for SIMD, SIMD_MIMD and AUTO. */
  private SimilarityKernels similarityKernels() {
    return mode.vector() ? Kernels.vectorSimilarity() : Kernels.scalarSimilarity();
  }

  // ======== MATRIX: gemv, gemm
  // (section gemm)

  // ======== INT AND LONG kernels
  // (section ints)

  // ======== end of late families
}
