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

  /**
   * The float kernels over memory segments (native memory, memory-mapped files, heap segments) of
   * any length, in this mode on the same pool; see {@link FloatSegments}. Cheap.
   */
  public FloatSegments floatSegments() {
    return new FloatSegments(workers, mode);
  }

  /** The double kernels over memory segments, in this mode; see {@link DoubleSegments}. Cheap. */
  public DoubleSegments doubleSegments() {
    return new DoubleSegments(workers, mode);
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

  // ======== end of late families
}
