package dev.flynn.engine;

import dev.flynn.engine.Blocks.DoubleReduction;
import dev.flynn.engine.Blocks.FloatReduction;
import dev.flynn.kernels.Blue;
import dev.flynn.kernels.Comparison;
import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.EqualWidthBins;
import dev.flynn.kernels.FloatKernels;
import dev.flynn.kernels.IntKernels;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.LongKernels;
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
 * are active). Elementwise kernels give the same bits in every mode except {@code exp}, {@code
 * log}, {@code tanh} and {@code sigmoid}, whose scalar and vector modes may differ within their
 * bounds; in the vector modes these four use the Vector API's {@code EXP}, {@code LOG} and {@code
 * TANH}, whose interpreted and compiled forms may differ in the last bit, so two vector calls may
 * differ (within the same bounds) while the JIT is still warming the kernel up.
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
    return new FlynnOps(workers.forMode(Check.notNull("mode", mode)), mode);
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

  /**
   * The int kernels over memory segments, in this mode on the same pool; see {@link IntSegments}.
   * Cheap.
   */
  public IntSegments intSegments() {
    return new IntSegments(workers, mode);
  }

  /** The long kernels over memory segments, in this mode; see {@link LongSegments}. Cheap. */
  public LongSegments longSegments() {
    return new LongSegments(workers, mode);
  }

  /**
   * Count, sum, min, max, mean, variance and optionally a histogram in one pass over the data, in
   * this mode on the same pool; see {@link OnePassStats}. Cheap.
   */
  public OnePassStats stats() {
    return new OnePassStats(workers, mode);
  }

  /**
   * The same calls as asynchronous ones, in this mode on the same pool: each returns a {@link
   * java.util.concurrent.CompletableFuture} at once; see {@link AsyncFlynnOps}. Cheap.
   */
  public AsyncFlynnOps async() {
    return new AsyncFlynnOps(workers, mode);
  }

  /**
   * Whether a call of {@code length} elements goes through blocks; see {@link Workers#inBlocks}.
   */
  private boolean parallel(int length, int autoForkThreshold) {
    return workers.inBlocks(mode, length, autoForkThreshold);
  }

  // ---------------------------------------------------------------- float reductions

  /**
   * The sum of {@code a}. Empty gives +0.0. Error against the exact sum {@code s}, with L the float
   * lanes per vector and {@code d = ceil(log2(ceil(n / 16384)))} the depth of the tree that
   * combines the blocks: scalar modes at most {@code 2^-24 |s| + (min(n, 16384) + d + 1) 2^-53
   * sum|a_i|} (double accumulation, one final rounding to float); vector modes at most {@code
   * (min(n, 16384) / 4L + 6) 2^-24 sum|a_i| + d 2^-53 sum|a_i|}.
   *
   * <p>The error does not grow linearly with n: an element meets at most the additions of its own
   * 16384-element block (one double chain in the scalar form; {@code 16384 / 4L + 5} float
   * roundings in a vector lane, counting the folds) and then d additions in double in the tree, and
   * d is at most 17 for any array. Beyond one block the bound grows only by {@code 2^-53 sum|a_i|}
   * per doubling of n.
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
   * The dot product of {@code a} and {@code b}. Empty gives +0.0. Error, with L and d as for {@link
   * #sum(float[])}: scalar modes at most {@code 2^-24 |s| + (min(n, 16384) + d + 1) 2^-53 sum|a_i
   * b_i|} (products exact in double); vector modes at most {@code (min(n, 16384) / 8L + 11) 2^-24
   * sum|a_i b_i| + d 2^-53 sum|a_i b_i|} (eight chains of float multiply-adds per block). As for
   * the sum, the error does not grow with n beyond one block but for the d additions of the tree.
   *
   * <p>From 2^23 elements (32 MiB per operand, more than the caches hold) the vector modes run the
   * chains on vectors of at most 256 bits (L is then at most 8; see {@code
   * FloatKernels.dotStreaming}): a heap array is only 16-byte aligned, so most 512-bit loads
   * straddle two cache lines, which costs more when the data streams from memory. The rule depends
   * on the length only, so the result is still the same in every vector mode and thread count, and
   * the same over a {@link FloatSegments segment}.
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
      FloatReduction reduction, float[] a, int aOffset, float[] b, int bOffset, int length) {
    workers.ensureOpen();
    FloatReduction r = FloatReduction.forLength(reduction, length);
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

  /**
   * {@code out[i] = -x[i]}, exact: flips the sign bit (-(+0.0) is -0.0; NaN stays NaN). {@code out}
   * may be {@code x}.
   */
  public void neg(float[] x, float[] out) {
    neg(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = neg(x[xOffset + i])} for {@code i < length}; see {@link
   * #neg(float[], float[])}.
   */
  public void neg(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.neg(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.neg(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = |x[i]|} as {@link Math#abs(float)}, exact: abs(-0.0) is +0.0; NaN stays NaN.
   * {@code out} may be {@code x}.
   */
  public void abs(float[] x, float[] out) {
    abs(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = abs(x[xOffset + i])} for {@code i < length}; see {@link
   * #abs(float[], float[])}.
   */
  public void abs(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.abs(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.abs(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = sqrt(x[i])}, correctly rounded in every mode: sqrt(-0.0) is -0.0, sqrt(+Inf) is
   * +Inf, sqrt of a negative number or NaN is NaN. {@code out} may be {@code x}.
   */
  public void sqrt(float[] x, float[] out) {
    sqrt(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = sqrt(x[xOffset + i])} for {@code i < length}; see {@link
   * #sqrt(float[], float[])}.
   */
  public void sqrt(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.sqrt(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.sqrt(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = ln x[i]}: log(+-0.0) is -Inf, log of a negative number or NaN is NaN, log(+Inf)
   * is +Inf, log(1) is +0.0. Within 1 ulp of the exact result in every mode (scalar modes: {@link
   * Math#log} rounded to float; vector modes: the Vector API's {@code LOG}); the scalar and vector
   * modes may differ by 1 ulp on an element. {@code out} may be {@code x}.
   */
  public void log(float[] x, float[] out) {
    log(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = log(x[xOffset + i])} for {@code i < length}; see {@link
   * #log(float[], float[])}.
   */
  public void log(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.log(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.log(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = tanh x[i]}: tanh(+-0.0) is +-0.0, tanh(+-Inf) is +-1, tanh(NaN) is NaN. Scalar
   * modes within 1 ulp ({@link Math#tanh} rounded to float); vector modes within 2.5 ulps (the
   * Vector API's {@code TANH}, specified as accurate as {@link Math#tanh}). {@code out} may be
   * {@code x}.
   */
  public void tanh(float[] x, float[] out) {
    tanh(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = tanh(x[xOffset + i])} for {@code i < length}; see {@link
   * #tanh(float[], float[])}.
   */
  public void tanh(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.tanh(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.tanh(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = 1 / (1 + e^-x[i])}, the logistic function, computed without overflow:
   * sigmoid(+Inf) is 1, sigmoid(-Inf) is +0.0, sigmoid(+-0.0) is 0.5, sigmoid(NaN) is NaN; results
   * in the subnormal range (x below about -87) keep their accuracy. Scalar modes within 1 ulp
   * (computed in double, rounded once); vector modes within 4 ulps (float lanes: the exp error and
   * two roundings). {@code out} may be {@code x}.
   */
  public void sigmoid(float[] x, float[] out) {
    sigmoid(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = sigmoid(x[xOffset + i])} for {@code i < length}; see {@link
   * #sigmoid(float[], float[])}.
   */
  public void sigmoid(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.sigmoid(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.sigmoid(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = max(x[i], +0.0)} as {@link Math#max(float, float)}, exact: relu(-0.0) is +0.0
   * and relu(NaN) is NaN (a NaN is passed on, not hidden as 0). {@code out} may be {@code x}.
   */
  public void relu(float[] x, float[] out) {
    relu(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = relu(x[xOffset + i])} for {@code i < length}; see {@link
   * #relu(float[], float[])}.
   */
  public void relu(float[] x, int xOffset, float[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.relu(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.relu(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = min(max(x[i], lo), hi)} as {@link Math#clamp(float, float, float)}, exact: a
   * NaN element stays NaN, -0.0 is below +0.0. {@code out} may be {@code x}.
   *
   * @throws IllegalArgumentException if {@code lo} or {@code hi} is NaN, {@code lo > hi}, or {@code
   *     lo} is +0.0 and {@code hi} is -0.0
   */
  public void clamp(float[] x, float lo, float hi, float[] out) {
    clamp(x, 0, lo, hi, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = clamp(x[xOffset + i], lo, hi)}; see {@link #clamp(float[], float,
   * float, float[])}.
   */
  public void clamp(
      float[] x, int xOffset, float lo, float hi, float[] out, int outOffset, int length) {
    checkClampBounds(lo, hi);
    checkUnary("x", x, xOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.clamp(x, xOffset, lo, hi, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.clamp(x, xOffset + s, lo, hi, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.min(a[i], b[i])}, exact: NaN if either is NaN; -0.0 is below +0.0. {@code
   * out} may be {@code a} or {@code b}.
   */
  public void minimum(float[] a, float[] b, float[] out) {
    minimum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void minimum(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.minimum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.minimum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.max(a[i], b[i])}, exact: NaN if either is NaN; +0.0 is above -0.0. {@code
   * out} may be {@code a} or {@code b}.
   */
  public void maximum(float[] a, float[] b, float[] out) {
    maximum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void maximum(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.maximum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.maximum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = comparison.test(a[i], threshold) ? ifTrue[i] : ifFalse[i]}, exact, with the
   * IEEE rules of {@link Comparison}: a comparison with NaN is false except {@code NOT_EQUAL}; -0.0
   * equals +0.0. {@code out} may be any of the arrays.
   */
  public void select(
      float[] a,
      Comparison comparison,
      float threshold,
      float[] ifTrue,
      float[] ifFalse,
      float[] out) {
    int n = selectLength(a, ifTrue, ifFalse, out);
    select(a, 0, comparison, threshold, ifTrue, 0, ifFalse, 0, out, 0, n);
  }

  /**
   * The select of ranges of the same length; see {@link #select(float[], Comparison, float,
   * float[], float[], float[])}.
   */
  public void select(
      float[] a,
      int aOffset,
      Comparison comparison,
      float threshold,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length) {
    Check.notNull("comparison", comparison);
    checkSelect(a, aOffset, ifTrue, ifTrueOffset, ifFalse, ifFalseOffset, out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.select(
          a,
          aOffset,
          comparison,
          threshold,
          ifTrue,
          ifTrueOffset,
          ifFalse,
          ifFalseOffset,
          out,
          outOffset,
          length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length,
        (s, n, block) ->
            kp.select(
                a,
                aOffset + s,
                comparison,
                threshold,
                ifTrue,
                ifTrueOffset + s,
                ifFalse,
                ifFalseOffset + s,
                out,
                outOffset + s,
                n));
  }

  /**
   * {@code out[i] = comparison.test(a[i], b[i]) ? ifTrue[i] : ifFalse[i]}, exact; see {@link
   * #select(float[], Comparison, float, float[], float[], float[])}. {@code out} may be any of the
   * arrays.
   */
  public void selectPairwise(
      float[] a, Comparison comparison, float[] b, float[] ifTrue, float[] ifFalse, float[] out) {
    int n = selectLength(a, ifTrue, ifFalse, out);
    Check.sameLength("a", n, "b", Check.notNull("b", b).length);
    selectPairwise(a, 0, comparison, b, 0, ifTrue, 0, ifFalse, 0, out, 0, n);
  }

  /**
   * The pairwise select of ranges of the same length; see {@link #selectPairwise(float[],
   * Comparison, float[], float[], float[], float[])}.
   */
  public void selectPairwise(
      float[] a,
      int aOffset,
      Comparison comparison,
      float[] b,
      int bOffset,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length) {
    Check.notNull("comparison", comparison);
    checkSelect(a, aOffset, ifTrue, ifTrueOffset, ifFalse, ifFalseOffset, out, outOffset, length);
    Check.range("b", b, bOffset, length);
    Check.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.selectPairwise(
          a,
          aOffset,
          comparison,
          b,
          bOffset,
          ifTrue,
          ifTrueOffset,
          ifFalse,
          ifFalseOffset,
          out,
          outOffset,
          length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length,
        (s, n, block) ->
            kp.selectPairwise(
                a,
                aOffset + s,
                comparison,
                b,
                bOffset + s,
                ifTrue,
                ifTrueOffset + s,
                ifFalse,
                ifFalseOffset + s,
                out,
                outOffset + s,
                n));
  }

  /** {@code out[i] = (double) x[i]}: exact, every float is a double; NaN stays NaN. */
  public void toDouble(float[] x, double[] out) {
    int n =
        Check.sameLength(
            "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
    toDouble(x, 0, out, 0, n);
  }

  /**
   * {@code out[outOffset + i] = (double) x[xOffset + i]} for {@code i < length}; see {@link
   * #toDouble(float[], double[])}.
   */
  public void toDouble(float[] x, int xOffset, double[] out, int outOffset, int length) {
    Check.range("x", x, xOffset, length);
    Check.range("out", out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.toDouble(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.toDouble(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = (float) x[i]}: correctly rounded to nearest even, as Java's cast (exact for
   * {@code |x| <= 2^24}).
   */
  public void toFloat(int[] x, float[] out) {
    int n =
        Check.sameLength(
            "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
    toFloat(x, 0, out, 0, n);
  }

  /**
   * {@code out[outOffset + i] = (float) x[xOffset + i]} for {@code i < length}; see {@link
   * #toFloat(int[], float[])}.
   */
  public void toFloat(int[] x, int xOffset, float[] out, int outOffset, int length) {
    Check.range("x", x, xOffset, length);
    Check.range("out", out, outOffset, length);
    FloatKernels k = floats(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.toFloat(x, xOffset, out, outOffset, length);
      return;
    }
    FloatKernels kp = floatKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.toFloat(x, xOffset + s, out, outOffset + s, n));
  }

  private static int mapLength(float[] x, float[] out) {
    return Check.sameLength(
        "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
  }

  private static int selectLength(float[] a, float[] ifTrue, float[] ifFalse, float[] out) {
    int n = Check.notNull("a", a).length;
    Check.sameLength("a", n, "ifTrue", Check.notNull("ifTrue", ifTrue).length);
    Check.sameLength("a", n, "ifFalse", Check.notNull("ifFalse", ifFalse).length);
    return Check.sameLength("a", n, "out", Check.notNull("out", out).length);
  }

  private static void checkSelect(
      float[] a,
      int aOffset,
      float[] ifTrue,
      int ifTrueOffset,
      float[] ifFalse,
      int ifFalseOffset,
      float[] out,
      int outOffset,
      int length) {
    Check.range("a", a, aOffset, length);
    Check.range("ifTrue", ifTrue, ifTrueOffset, length);
    Check.range("ifFalse", ifFalse, ifFalseOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("ifTrue", ifTrue, ifTrueOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("ifFalse", ifFalse, ifFalseOffset, "out", out, outOffset, length);
  }

  /** Bounds that {@link Math#clamp(float, float, float)} accepts, or an exception naming them. */
  static void checkClampBounds(float lo, float hi) {
    if (Float.isNaN(lo) || Float.isNaN(hi)) {
      throw new IllegalArgumentException("clamp bounds must not be NaN: lo=" + lo + ", hi=" + hi);
    }
    if (lo > hi || (lo == hi && Math.copySign(1f, lo) > 0 && Math.copySign(1f, hi) < 0)) {
      throw new IllegalArgumentException(
          "clamp needs lo <= hi (and not lo=+0.0 with hi=-0.0): lo=" + lo + ", hi=" + hi);
    }
  }

  // ======== float STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance,
  // standardDeviation, count
  // (section statistics: add this family's code below, above the next section line)

  /*
   * Notation of the bounds below: n the length, u = 2^-53, d = ceil(log2(ceil(n / 16384))) the
   * depth of the tree that combines the blocks, L the float lanes and D the double lanes per
   * vector. K counts the additions an element goes through: min(n, 16384) + d in the scalar modes,
   * min(n, 16384) / 4D + 2D + d + 6 in the vector modes.
   */

  /**
   * The position of the least element of {@code a}: the first one when several are equal; the first
   * NaN when there is one (as {@link #min(float[])} returns NaN then); -0.0 is below +0.0. Exact,
   * the same in every mode. Empty throws.
   */
  public int argmin(float[] a) {
    return argmin(a, 0, Check.notNull("a", a).length);
  }

  /**
   * The position of the least element of a range, counted from {@code offset} (a result {@code i}
   * means {@code a[offset + i]}); see {@link #argmin(float[])}.
   */
  public int argmin(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("argmin", "a", length);
    workers.ensureOpen();
    FloatKernels k = floatKernels();
    return Partials.index(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        (start, n) -> k.argmin(a, offset + start, n),
        (left, right) -> Partials.lesser(a, offset, left, right));
  }

  /**
   * The position of the greatest element of {@code a}: the first one on ties; the first NaN when
   * there is one; +0.0 is above -0.0. Exact, the same in every mode. Empty throws.
   */
  public int argmax(float[] a) {
    return argmax(a, 0, Check.notNull("a", a).length);
  }

  /** The position, counted from {@code offset}, of the greatest element of a range. */
  public int argmax(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("argmax", "a", length);
    workers.ensureOpen();
    FloatKernels k = floatKernels();
    return Partials.index(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        (start, n) -> k.argmax(a, offset + start, n),
        (left, right) -> Partials.greater(a, offset, left, right));
  }

  /**
   * The sum of squares {@code S = sum a_i^2}, combined in double, where a sum of up to 2^31 float
   * squares neither overflows nor underflows, so only the final rounding to float can overflow
   * (+Inf when S exceeds {@code Float.MAX_VALUE}). Error at most {@code (2^-24 + E + u) S +
   * 2^-150}, where E, the relative error of the double S before that rounding, is {@code K u} in
   * the scalar modes (exact squares, double additions) and {@code F 2^-24 + (2L + d) u} in the
   * vector modes, {@code F = 128 / L + ceil(min(n, 16384) / 1024) + 11}: each block's squares are
   * summed in float lanes (eight chains restarted every 1024 elements), a block that overflows
   * there or sums below 2^-64 again with its elements scaled by a power of two, so no block
   * overflows or loses anything significant to underflow. For L = 16, F is at most 35: about
   * 2.1e-6. NaN if any element is NaN, else +Inf if any is infinite. Empty gives +0.0.
   */
  public float sumOfSquares(float[] a) {
    return sumOfSquares(a, 0, Check.notNull("a", a).length);
  }

  /** The sum of squares of a range; see {@link #sumOfSquares(float[])}. */
  public float sumOfSquares(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    return (float) floatSumOfSquares(a, offset, length);
  }

  /**
   * The Euclidean norm {@code sqrt(sum a_i^2)}, from the double sum of squares of {@link
   * #sumOfSquares(float[])}, which neither overflows nor underflows, so a norm of 1e38-sized or
   * subnormal elements is as accurate as any. Error at most {@code (2^-24 + E / 2 + 2u) ||a|| +
   * 2^-150}, with E as there: {@code K u} in the scalar modes, {@code F 2^-24 + (2L + d) u} in the
   * vector modes (for L = 16 at most about 1.1e-6 relative beyond the final rounding); the last
   * term is for results below 2^-126. NaN if any element is NaN, else +Inf if any is infinite;
   * empty gives +0.0.
   */
  public float norm2(float[] a) {
    return norm2(a, 0, Check.notNull("a", a).length);
  }

  /** The Euclidean norm of a range; see {@link #norm2(float[])}. */
  public float norm2(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    return (float) Math.sqrt(floatSumOfSquares(a, offset, length));
  }

  private double floatSumOfSquares(float[] a, int offset, int length) {
    workers.ensureOpen();
    if (length == 0) {
      return 0.0;
    }
    FloatKernels k = floatKernels();
    return Partials.sums(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        1,
        (start, n, out, at) -> out[at] = k.sumOfSquares(a, offset + start, n))[0];
  }

  /**
   * The arithmetic mean {@code sum(a) / n}, from the double sum behind {@link #sum(float[])}: error
   * at most that sum's bound divided by n, plus {@code u |mean|}. NaN and infinities propagate as
   * in the sum. Empty throws.
   */
  public float mean(float[] a) {
    return mean(a, 0, Check.notNull("a", a).length);
  }

  /** The mean of a range; see {@link #mean(float[])}. */
  public float mean(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("mean", "a", length);
    return (float) (reduce(FloatReduction.SUM, a, offset, null, 0, length) / length);
  }

  /**
   * The population variance {@code sum (a_i - m)^2 / n} (denominator n, the mean squared deviation;
   * {@link #sampleVariance(float[])} divides by n - 1), by the corrected two-pass algorithm (Chan,
   * Golub and LeVeque, 1983): the mean {@code m'} as {@link #mean(float[])} computes it (in
   * double), then, block by block and added in the fixed tree, {@code s1 = sum (a_i - m')} and
   * {@code s2 = sum (a_i - m')^2} in double, and {@code (s2 - s1^2 / n) / n}. The correction
   * removes the first order effect of the mean's error, so a large offset costs nothing, where
   * {@code E[x^2] - E[x]^2} loses every digit.
   *
   * <p>Relative error at most {@code 2^-24 + (3g + 2^-50)(1 + b^2)}, where {@code g = (K + 4) u},
   * {@code b = beta kappa}, {@code kappa = sqrt(sum a_i^2 / sum (a_i - m)^2)} is the condition
   * number of the data, and {@code beta} bounds the mean's error against {@code mean |a_i|}: {@code
   * (min(n, 16384) + d + 2) u} in the scalar modes, {@code (min(n, 16384) / 4L + 6) 2^-24 + (d + 1)
   * u} in the vector modes. NaN if any element is NaN or infinite; +0.0 for n = 1. Empty throws.
   */
  public float variance(float[] a) {
    return variance(a, 0, Check.notNull("a", a).length);
  }

  /** The population variance of a range; see {@link #variance(float[])}. */
  public float variance(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("variance", "a", length);
    return (float) (sumOfSquaredDeviations(a, offset, length) / length);
  }

  /**
   * The sample variance {@code sum (a_i - m)^2 / (n - 1)} (Bessel's correction, what ND4J's {@code
   * var()} and R's {@code var} compute), with the bound of {@link #variance(float[])}. Needs at
   * least two elements.
   */
  public float sampleVariance(float[] a) {
    return sampleVariance(a, 0, Check.notNull("a", a).length);
  }

  /** The sample variance of a range; see {@link #sampleVariance(float[])}. */
  public float sampleVariance(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.atLeast("sampleVariance", "a", length, 2);
    return (float) (sumOfSquaredDeviations(a, offset, length) / (length - 1));
  }

  /**
   * The population standard deviation, {@code sqrt} of the variance of {@link #variance(float[])}
   * taken in double: relative error at most {@code 2^-24 + (3g + 2^-50)(1 + b^2) / 2 + 2^-51}, with
   * g and b as there. Empty throws.
   */
  public float standardDeviation(float[] a) {
    return standardDeviation(a, 0, Check.notNull("a", a).length);
  }

  /** The population standard deviation of a range; see {@link #standardDeviation(float[])}. */
  public float standardDeviation(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("standardDeviation", "a", length);
    return (float) Math.sqrt(sumOfSquaredDeviations(a, offset, length) / length);
  }

  /** {@code sum (a_i - m)^2} by the corrected two-pass algorithm, {@code length >= 1}. */
  private double sumOfSquaredDeviations(float[] a, int offset, int length) {
    double mean = reduce(FloatReduction.SUM, a, offset, null, 0, length) / length;
    FloatKernels k = floatKernels();
    double[] s =
        Partials.sums(
            workers,
            parallel(length, AUTO_FORK_STREAM),
            length,
            2,
            (start, n, out, at) -> k.centeredSums(a, offset + start, n, mean, out, at));
    return centeredSumOfSquares(s[0], s[1], length);
  }

  /**
   * {@code s2 - s1^2 / n}, never below zero (rounding could take it there when the data are
   * constant); +Inf stays +Inf, NaN stays NaN.
   */
  private static double centeredSumOfSquares(double s1, double s2, int n) {
    if (s2 == Double.POSITIVE_INFINITY) {
      return s2;
    }
    return Math.max(0.0, s2 - s1 * s1 / n);
  }

  /**
   * The number of elements {@code x} of {@code a} with {@code comparison.test(x, threshold)}:
   * Java's comparison operators, so NaN compares false except with {@link Comparison#NOT_EQUAL},
   * and -0.0 equals +0.0. Exact. Empty gives 0.
   */
  public long count(float[] a, Comparison comparison, float threshold) {
    return count(a, 0, Check.notNull("a", a).length, comparison, threshold);
  }

  /** The count over a range; see {@link #count(float[], Comparison, float)}. */
  public long count(float[] a, int offset, int length, Comparison comparison, float threshold) {
    Check.range("a", a, offset, length);
    Check.notNull("comparison", comparison);
    workers.ensureOpen();
    if (length == 0) {
      return 0;
    }
    FloatKernels k = floatKernels();
    // Block counts are at most 16384 and their sum below 2^31: exact in double.
    return (long)
        Partials.sums(
            workers,
            parallel(length, AUTO_FORK_STREAM),
            length,
            1,
            (start, n, out, at) -> out[at] = k.count(a, offset + start, n, comparison, threshold))[
            0];
  }

  // ======== float SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  /**
   * The inclusive prefix sum (scan) {@code out[i] = a[0] + ... + a[i]}. {@code out} may be {@code
   * a} (in place). See {@link #prefixSum(float[], int, float[], int, int)}.
   */
  public void prefixSum(float[] a, float[] out) {
    int n =
        Check.sameLength(
            "a", Check.notNull("a", a).length, "out", Check.notNull("out", out).length);
    prefixSum(a, 0, out, 0, n);
  }

  /**
   * The inclusive prefix sum of a range: {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset +
   * i]} for {@code i < length}. {@code out} may be the same range as {@code a}.
   *
   * <p>Every mode cuts the range into the blocks of 16384 elements that reductions use. Block
   * {@code b}'s outputs are its own running sum (from +0.0) plus the carry {@code c_b}, where
   * {@code c_0 = 0} and {@code c_(b+1) = c_b + T_b} in double, {@code T_b} being block {@code b}'s
   * total. The single-threaded modes scan the blocks in order; the pooled ones find the totals in
   * parallel, take their prefix on the calling thread and then scan the blocks in parallel, each
   * from its carry. Both ways compute the same numbers, so SISD and MIMD give the same bits, and so
   * do SIMD, SIMD_MIMD and AUTO, whatever the thread count.
   *
   * <p>Error, with {@code P_i} the exact prefix and {@code S_i = |a[0]| + ... + |a[i]|}: scalar
   * modes {@code |out[i] - P_i| <= 2^-24 |P_i| + (min(i + 1, 16384) + i / 16384 + 2) 2^-53 S_i} (a
   * double running sum, rounded once to float); vector modes {@code (log2(L) + 3) 2^-24 S_i}, L
   * being the float lanes per vector (each vector's prefix is a float tree of depth log2(L); the
   * running sum across vectors and blocks is kept in double).
   *
   * <p>A NaN makes every output from its index on NaN, an infinity makes them that infinity (NaN
   * from where the opposite infinity joins), and outputs before it are untouched by it; float lanes
   * of the vector modes may overflow to an infinity where the exact prefix is finite. A prefix of
   * zeros is +0.0 (the running sum starts from +0.0). An empty range writes nothing.
   */
  public void prefixSum(float[] a, int aOffset, float[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    workers.ensureOpen();
    FloatKernels k = floatKernels();
    int blocks = Blocks.count(length);
    if (!parallel(length, AUTO_FORK_STREAM)) {
      double carry = 0;
      for (int b = 0; b < blocks; b++) {
        int start = Blocks.start(b);
        carry +=
            k.prefixSum(
                a, aOffset + start, out, outOffset + start, Blocks.length(b, length), carry);
      }
      return;
    }
    double[] carries = new double[blocks];
    workers.forEachBlock(
        length, (start, n, block) -> carries[block] = k.prefixSumTotal(a, aOffset + start, n));
    double carry = 0;
    for (int b = 0; b < blocks; b++) {
      double total = carries[b];
      carries[b] = carry;
      carry += total;
    }
    workers.forEachBlock(
        length,
        (start, n, block) ->
            k.prefixSum(a, aOffset + start, out, outOffset + start, n, carries[block]));
  }

  /**
   * The histogram of {@code a} over {@code bins} equal-width bins of {@code [lo, hi)}; see {@link
   * #histogram(float[], int, int, float, float, int)}.
   */
  public Histogram histogram(float[] a, float lo, float hi, int bins) {
    return histogram(a, 0, Check.notNull("a", a).length, lo, hi, bins);
  }

  /**
   * The histogram of a range over {@code bins} equal-width bins of {@code [lo, hi)}, exact: value
   * {@code x} goes to bin {@code k = floor(bins (x - lo) / (hi - lo))} computed in real arithmetic,
   * that is the bin with {@code lo + k (hi - lo) / bins <= x < lo + (k + 1) (hi - lo) / bins} for
   * the exact edges, so a value on an edge starts the bin above it. Values below {@code lo} (with
   * -Inf) count as {@code below}, values at or above {@code hi} (with {@code hi} itself and +Inf)
   * as {@code above}, NaN as {@code nan}; -0.0 and +0.0 are the same value. Every mode counts
   * exactly the same.
   *
   * @throws IllegalArgumentException if {@code lo} or {@code hi} is NaN or infinite, {@code lo >=
   *     hi}, or {@code bins} is not between 1 and 2^30
   */
  public Histogram histogram(float[] a, int offset, int length, float lo, float hi, int bins) {
    Check.range("a", a, offset, length);
    EqualWidthBins rule = Histograms.rule(lo, hi, bins);
    return Histograms.result(rule, countHistogram(a, offset, length, rule));
  }

  /**
   * Adds the histogram of {@code a} to {@code counts}, one bin per element of {@code counts}; see
   * {@link #histogram(float[], int, int, float, float, long[])}.
   */
  public void histogram(float[] a, float lo, float hi, long[] counts) {
    histogram(a, 0, Check.notNull("a", a).length, lo, hi, counts);
  }

  /**
   * Adds the histogram of a range to {@code counts}: {@code counts.length} equal-width bins of
   * {@code [lo, hi)}, the exact rule of {@link #histogram(float[], int, int, float, float, int)}.
   * Values outside the bins and NaN are not counted here (the {@link Histogram} form counts them).
   * Accumulates: calls over several ranges add up.
   *
   * @throws IllegalArgumentException for the bounds as the other form, or if {@code counts} has no
   *     element or more than 2^30
   */
  public void histogram(float[] a, int offset, int length, float lo, float hi, long[] counts) {
    Check.range("a", a, offset, length);
    EqualWidthBins rule = Histograms.rule(lo, hi, Histograms.checkCounts(counts).length);
    Histograms.addBins(countHistogram(a, offset, length, rule), counts);
  }

  private long[] countHistogram(float[] a, int offset, int length, EqualWidthBins rule) {
    workers.ensureOpen();
    FloatKernels k = floatKernels();
    return Histograms.count(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        rule,
        (start, n, counts) -> k.histogram(a, offset + start, n, rule, counts));
  }

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
   * vector modes at most {@code (min(n, 16384) / 4L + L + d + 6) u sum|a_i|}. As for {@link
   * #sum(float[])}, the error does not grow linearly with n: an element meets the additions of its
   * own 16384-element block and then d more in the tree (d is at most 17).
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

  /**
   * {@code out[i] = -x[i]}, exact: flips the sign bit (-(+0.0) is -0.0; NaN stays NaN). {@code out}
   * may be {@code x}.
   */
  public void neg(double[] x, double[] out) {
    neg(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = neg(x[xOffset + i])} for {@code i < length}; see {@link
   * #neg(double[], double[])}.
   */
  public void neg(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.neg(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.neg(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = |x[i]|} as {@link Math#abs(double)}, exact: abs(-0.0) is +0.0; NaN stays NaN.
   * {@code out} may be {@code x}.
   */
  public void abs(double[] x, double[] out) {
    abs(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = abs(x[xOffset + i])} for {@code i < length}; see {@link
   * #abs(double[], double[])}.
   */
  public void abs(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.abs(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.abs(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = sqrt(x[i])}, correctly rounded in every mode: sqrt(-0.0) is -0.0, sqrt(+Inf) is
   * +Inf, sqrt of a negative number or NaN is NaN. {@code out} may be {@code x}.
   */
  public void sqrt(double[] x, double[] out) {
    sqrt(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = sqrt(x[xOffset + i])} for {@code i < length}; see {@link
   * #sqrt(double[], double[])}.
   */
  public void sqrt(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.sqrt(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.sqrt(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = ln x[i]}: log(+-0.0) is -Inf, log of a negative number or NaN is NaN, log(+Inf)
   * is +Inf, log(1) is +0.0. Within 1 ulp of the exact result in every mode ({@link Math#log}; the
   * Vector API's {@code LOG}); the scalar and vector modes may differ by 1 ulp on an element.
   * {@code out} may be {@code x}.
   */
  public void log(double[] x, double[] out) {
    log(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = log(x[xOffset + i])} for {@code i < length}; see {@link
   * #log(double[], double[])}.
   */
  public void log(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.log(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.log(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = tanh x[i]}: tanh(+-0.0) is +-0.0, tanh(+-Inf) is +-1, tanh(NaN) is NaN. Within
   * 2.5 ulps in every mode ({@link Math#tanh}; the Vector API's {@code TANH}, specified as accurate
   * as {@link Math#tanh}). {@code out} may be {@code x}.
   */
  public void tanh(double[] x, double[] out) {
    tanh(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = tanh(x[xOffset + i])} for {@code i < length}; see {@link
   * #tanh(double[], double[])}.
   */
  public void tanh(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.tanh(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.tanh(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = 1 / (1 + e^-x[i])}, the logistic function, computed without overflow:
   * sigmoid(+Inf) is 1, sigmoid(-Inf) is +0.0, sigmoid(+-0.0) is 0.5, sigmoid(NaN) is NaN; results
   * in the subnormal range keep their accuracy. Within 4 ulps in every mode (the exp error and two
   * roundings). {@code out} may be {@code x}.
   */
  public void sigmoid(double[] x, double[] out) {
    sigmoid(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = sigmoid(x[xOffset + i])} for {@code i < length}; see {@link
   * #sigmoid(double[], double[])}.
   */
  public void sigmoid(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_TRANSCENDENTAL);
    if (k != null) {
      k.sigmoid(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.sigmoid(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = max(x[i], +0.0)} as {@link Math#max(double, double)}, exact: relu(-0.0) is +0.0
   * and relu(NaN) is NaN (a NaN is passed on, not hidden as 0). {@code out} may be {@code x}.
   */
  public void relu(double[] x, double[] out) {
    relu(x, 0, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = relu(x[xOffset + i])} for {@code i < length}; see {@link
   * #relu(double[], double[])}.
   */
  public void relu(double[] x, int xOffset, double[] out, int outOffset, int length) {
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.relu(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(length, (s, n, block) -> kp.relu(x, xOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = min(max(x[i], lo), hi)} as {@link Math#clamp(double, double, double)}, exact: a
   * NaN element stays NaN, -0.0 is below +0.0. {@code out} may be {@code x}.
   *
   * @throws IllegalArgumentException if {@code lo} or {@code hi} is NaN, {@code lo > hi}, or {@code
   *     lo} is +0.0 and {@code hi} is -0.0
   */
  public void clamp(double[] x, double lo, double hi, double[] out) {
    clamp(x, 0, lo, hi, out, 0, mapLength(x, out));
  }

  /**
   * {@code out[outOffset + i] = clamp(x[xOffset + i], lo, hi)}; see {@link #clamp(double[], double,
   * double, double[])}.
   */
  public void clamp(
      double[] x, int xOffset, double lo, double hi, double[] out, int outOffset, int length) {
    checkClampBounds(lo, hi);
    checkUnary("x", x, xOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.clamp(x, xOffset, lo, hi, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.clamp(x, xOffset + s, lo, hi, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.min(a[i], b[i])}, exact: NaN if either is NaN; -0.0 is below +0.0. {@code
   * out} may be {@code a} or {@code b}.
   */
  public void minimum(double[] a, double[] b, double[] out) {
    minimum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.min(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void minimum(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.minimum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.minimum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = Math.max(a[i], b[i])}, exact: NaN if either is NaN; +0.0 is above -0.0. {@code
   * out} may be {@code a} or {@code b}.
   */
  public void maximum(double[] a, double[] b, double[] out) {
    maximum(a, 0, b, 0, out, 0, wholeLength(a, b, out));
  }

  /**
   * {@code out[outOffset + i] = Math.max(a[aOffset + i], b[bOffset + i])} for {@code i < length}.
   */
  public void maximum(
      double[] a, int aOffset, double[] b, int bOffset, double[] out, int outOffset, int length) {
    checkBinary(a, aOffset, b, bOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.maximum(a, aOffset, b, bOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.maximum(a, aOffset + s, b, bOffset + s, out, outOffset + s, n));
  }

  /**
   * {@code out[i] = comparison.test(a[i], threshold) ? ifTrue[i] : ifFalse[i]}, exact, with the
   * IEEE rules of {@link Comparison}: a comparison with NaN is false except {@code NOT_EQUAL}; -0.0
   * equals +0.0. {@code out} may be any of the arrays.
   */
  public void select(
      double[] a,
      Comparison comparison,
      double threshold,
      double[] ifTrue,
      double[] ifFalse,
      double[] out) {
    int n = selectLength(a, ifTrue, ifFalse, out);
    select(a, 0, comparison, threshold, ifTrue, 0, ifFalse, 0, out, 0, n);
  }

  /**
   * The select of ranges of the same length; see {@link #select(double[], Comparison, double,
   * double[], double[], double[])}.
   */
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
    Check.notNull("comparison", comparison);
    checkSelect(a, aOffset, ifTrue, ifTrueOffset, ifFalse, ifFalseOffset, out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.select(
          a,
          aOffset,
          comparison,
          threshold,
          ifTrue,
          ifTrueOffset,
          ifFalse,
          ifFalseOffset,
          out,
          outOffset,
          length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length,
        (s, n, block) ->
            kp.select(
                a,
                aOffset + s,
                comparison,
                threshold,
                ifTrue,
                ifTrueOffset + s,
                ifFalse,
                ifFalseOffset + s,
                out,
                outOffset + s,
                n));
  }

  /**
   * {@code out[i] = comparison.test(a[i], b[i]) ? ifTrue[i] : ifFalse[i]}, exact; see {@link
   * #select(double[], Comparison, double, double[], double[], double[])}. {@code out} may be any of
   * the arrays.
   */
  public void selectPairwise(
      double[] a,
      Comparison comparison,
      double[] b,
      double[] ifTrue,
      double[] ifFalse,
      double[] out) {
    int n = selectLength(a, ifTrue, ifFalse, out);
    Check.sameLength("a", n, "b", Check.notNull("b", b).length);
    selectPairwise(a, 0, comparison, b, 0, ifTrue, 0, ifFalse, 0, out, 0, n);
  }

  /**
   * The pairwise select of ranges of the same length; see {@link #selectPairwise(double[],
   * Comparison, double[], double[], double[], double[])}.
   */
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
    Check.notNull("comparison", comparison);
    checkSelect(a, aOffset, ifTrue, ifTrueOffset, ifFalse, ifFalseOffset, out, outOffset, length);
    Check.range("b", b, bOffset, length);
    Check.noPartialOverlap("b", b, bOffset, "out", out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.selectPairwise(
          a,
          aOffset,
          comparison,
          b,
          bOffset,
          ifTrue,
          ifTrueOffset,
          ifFalse,
          ifFalseOffset,
          out,
          outOffset,
          length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length,
        (s, n, block) ->
            kp.selectPairwise(
                a,
                aOffset + s,
                comparison,
                b,
                bOffset + s,
                ifTrue,
                ifTrueOffset + s,
                ifFalse,
                ifFalseOffset + s,
                out,
                outOffset + s,
                n));
  }

  /**
   * {@code out[i] = (float) x[i]}: correctly rounded to nearest even, as Java's cast: beyond the
   * float range to +-Inf, below it to a subnormal or a zero of the same sign, NaN to NaN.
   */
  public void toFloat(double[] x, float[] out) {
    int n =
        Check.sameLength(
            "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
    toFloat(x, 0, out, 0, n);
  }

  /**
   * {@code out[outOffset + i] = (float) x[xOffset + i]} for {@code i < length}; see {@link
   * #toFloat(double[], float[])}.
   */
  public void toFloat(double[] x, int xOffset, float[] out, int outOffset, int length) {
    Check.range("x", x, xOffset, length);
    Check.range("out", out, outOffset, length);
    DoubleKernels k = doubles(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.toFloat(x, xOffset, out, outOffset, length);
      return;
    }
    DoubleKernels kp = doubleKernels();
    workers.forEachBlock(
        length, (s, n, block) -> kp.toFloat(x, xOffset + s, out, outOffset + s, n));
  }

  private static int mapLength(double[] x, double[] out) {
    return Check.sameLength(
        "x", Check.notNull("x", x).length, "out", Check.notNull("out", out).length);
  }

  private static int selectLength(double[] a, double[] ifTrue, double[] ifFalse, double[] out) {
    int n = Check.notNull("a", a).length;
    Check.sameLength("a", n, "ifTrue", Check.notNull("ifTrue", ifTrue).length);
    Check.sameLength("a", n, "ifFalse", Check.notNull("ifFalse", ifFalse).length);
    return Check.sameLength("a", n, "out", Check.notNull("out", out).length);
  }

  private static void checkSelect(
      double[] a,
      int aOffset,
      double[] ifTrue,
      int ifTrueOffset,
      double[] ifFalse,
      int ifFalseOffset,
      double[] out,
      int outOffset,
      int length) {
    Check.range("a", a, aOffset, length);
    Check.range("ifTrue", ifTrue, ifTrueOffset, length);
    Check.range("ifFalse", ifFalse, ifFalseOffset, length);
    Check.range("out", out, outOffset, length);
    Check.noPartialOverlap("a", a, aOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("ifTrue", ifTrue, ifTrueOffset, "out", out, outOffset, length);
    Check.noPartialOverlap("ifFalse", ifFalse, ifFalseOffset, "out", out, outOffset, length);
  }

  /**
   * Bounds that {@link Math#clamp(double, double, double)} accepts, or an exception naming them.
   */
  static void checkClampBounds(double lo, double hi) {
    if (Double.isNaN(lo) || Double.isNaN(hi)) {
      throw new IllegalArgumentException("clamp bounds must not be NaN: lo=" + lo + ", hi=" + hi);
    }
    if (lo > hi || (lo == hi && Math.copySign(1.0, lo) > 0 && Math.copySign(1.0, hi) < 0)) {
      throw new IllegalArgumentException(
          "clamp needs lo <= hi (and not lo=+0.0 with hi=-0.0): lo=" + lo + ", hi=" + hi);
    }
  }

  // ======== double STATISTICS: argmin, argmax, norm2, sumOfSquares, mean, variance,
  // standardDeviation, count
  // (section statistics: add this family's code below, above the next section line)

  /*
   * Notation of the bounds below: n the length, u = 2^-53, d = ceil(log2(ceil(n / 16384))) the
   * depth of the tree that combines the blocks, L the double lanes per vector.
   */

  /**
   * The position of the least element of {@code a}: the first one when several are equal; the first
   * NaN when there is one (as {@link #min(double[])} returns NaN then); -0.0 is below +0.0. Exact,
   * the same in every mode. Empty throws.
   */
  public int argmin(double[] a) {
    return argmin(a, 0, Check.notNull("a", a).length);
  }

  /**
   * The position of the least element of a range, counted from {@code offset} (a result {@code i}
   * means {@code a[offset + i]}); see {@link #argmin(double[])}.
   */
  public int argmin(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("argmin", "a", length);
    workers.ensureOpen();
    DoubleKernels k = doubleKernels();
    return Partials.index(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        (start, n) -> k.argmin(a, offset + start, n),
        (left, right) -> Partials.lesser(a, offset, left, right));
  }

  /**
   * The position of the greatest element of {@code a}: the first one on ties; the first NaN when
   * there is one; +0.0 is above -0.0. Exact, the same in every mode. Empty throws.
   */
  public int argmax(double[] a) {
    return argmax(a, 0, Check.notNull("a", a).length);
  }

  /** The position, counted from {@code offset}, of the greatest element of a range. */
  public int argmax(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("argmax", "a", length);
    workers.ensureOpen();
    DoubleKernels k = doubleKernels();
    return Partials.index(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        (start, n) -> k.argmax(a, offset + start, n),
        (left, right) -> Partials.greater(a, offset, left, right));
  }

  /**
   * The sum of squares {@code S = sum a_i^2}, unscaled (use {@link #norm2(double[])} for a norm
   * that cannot overflow): +Inf when a square or the sum exceeds {@code Double.MAX_VALUE} (an
   * element above about 1.34e154 is enough), and squares below 2^-1022 lose precision. Error at
   * most {@code (K + 1) u S + n 2^-1075}, with {@code K = min(n, 16384) + d} in the scalar modes
   * and {@code min(n, 16384) / 8L + 2L + d + 10} in the vector modes. NaN if any element is NaN;
   * empty gives +0.0.
   */
  public double sumOfSquares(double[] a) {
    return sumOfSquares(a, 0, Check.notNull("a", a).length);
  }

  /** The sum of squares of a range; see {@link #sumOfSquares(double[])}. */
  public double sumOfSquares(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    workers.ensureOpen();
    if (length == 0) {
      return 0.0;
    }
    DoubleKernels k = doubleKernels();
    return Partials.sums(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        1,
        (start, n, out, at) -> out[at] = k.sumOfSquares(a, offset + start, n))[0];
  }

  /**
   * The Euclidean norm {@code sqrt(sum a_i^2)} by Blue's algorithm with LAPACK 3.10's constants
   * (see {@link Blue}): elements above 2^486 and below 2^-511 in magnitude are summed at scales
   * where their squares neither overflow nor underflow, so the result is accurate whenever it is
   * representable, e.g. for elements of 1e300 or subnormal ones, where {@code sqrt(sumOfSquares)}
   * gives +Inf or 0. Error at most {@code (K / 2 + 6) u ||a|| + 2^-1074} (the last term for
   * subnormal results), with {@code K = min(n, 16384) + d} in the scalar modes and {@code min(n,
   * 16384) / L + 2L + d + 7} in the vector modes. NaN if any element is NaN, else +Inf if any is
   * infinite; empty gives +0.0.
   */
  public double norm2(double[] a) {
    return norm2(a, 0, Check.notNull("a", a).length);
  }

  /** The Euclidean norm of a range; see {@link #norm2(double[])}. */
  public double norm2(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    workers.ensureOpen();
    if (length == 0) {
      return 0.0;
    }
    DoubleKernels k = doubleKernels();
    double[] s =
        Partials.sums(
            workers,
            parallel(length, AUTO_FORK_STREAM),
            length,
            3,
            (start, n, out, at) -> k.scaledSumsOfSquares(a, offset + start, n, out, at));
    return Blue.norm(s[0], s[1], s[2]);
  }

  /**
   * The arithmetic mean {@code sum(a) / n}, from {@link #sum(double[])}: error at most that sum's
   * bound divided by n, plus {@code u |mean|}. NaN and infinities propagate as in the sum (a sum
   * that overflows gives an infinite mean). Empty throws.
   */
  public double mean(double[] a) {
    return mean(a, 0, Check.notNull("a", a).length);
  }

  /** The mean of a range; see {@link #mean(double[])}. */
  public double mean(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("mean", "a", length);
    return reduce(DoubleReduction.SUM, a, offset, null, 0, length) / length;
  }

  /**
   * The population variance {@code sum (a_i - m)^2 / n} (denominator n, the mean squared deviation;
   * {@link #sampleVariance(double[])} divides by n - 1), by the corrected two-pass algorithm (Chan,
   * Golub and LeVeque, 1983): the mean {@code m'} of {@link #mean(double[])}, then, block by block
   * and added in the fixed tree, {@code s1 = sum (a_i - m')} and {@code s2 = sum (a_i - m')^2}, and
   * {@code (s2 - s1^2 / n) / n}. The correction removes the first order effect of the mean's error,
   * so a large offset (1e8 + noise) costs nothing, where {@code E[x^2] - E[x]^2} loses every digit.
   *
   * <p>Relative error at most {@code (3g + 2^-51)(1 + b^2)}, where {@code g = (K + 4) u} with
   * {@code K = min(n, 16384) + d} in the scalar modes and {@code min(n, 16384) / 4L + 2L + d + 6}
   * in the vector modes; {@code b = beta kappa}, {@code kappa = sqrt(sum a_i^2 / sum (a_i - m)^2)}
   * is the condition number of the data and {@code beta} bounds the mean's error against {@code
   * mean |a_i|}: {@code (min(n, 16384) + d + 2) u} in the scalar modes, {@code (min(n, 16384) / 4L
   * + L + d + 7) u} in the vector modes. NaN if any element is NaN or infinite or the sum
   * overflows; +Inf when the squared deviations overflow; +0.0 for n = 1. Empty throws.
   */
  public double variance(double[] a) {
    return variance(a, 0, Check.notNull("a", a).length);
  }

  /** The population variance of a range; see {@link #variance(double[])}. */
  public double variance(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("variance", "a", length);
    return sumOfSquaredDeviations(a, offset, length) / length;
  }

  /**
   * The sample variance {@code sum (a_i - m)^2 / (n - 1)} (Bessel's correction, what ND4J's {@code
   * var()} and R's {@code var} compute), with the bound of {@link #variance(double[])}. Needs at
   * least two elements.
   */
  public double sampleVariance(double[] a) {
    return sampleVariance(a, 0, Check.notNull("a", a).length);
  }

  /** The sample variance of a range; see {@link #sampleVariance(double[])}. */
  public double sampleVariance(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.atLeast("sampleVariance", "a", length, 2);
    return sumOfSquaredDeviations(a, offset, length) / (length - 1);
  }

  /**
   * The population standard deviation, {@code sqrt} of {@link #variance(double[])}: relative error
   * at most {@code (3g + 2^-51)(1 + b^2) / 2 + 2^-52}, with g and b as there. Empty throws.
   */
  public double standardDeviation(double[] a) {
    return standardDeviation(a, 0, Check.notNull("a", a).length);
  }

  /** The population standard deviation of a range; see {@link #standardDeviation(double[])}. */
  public double standardDeviation(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("standardDeviation", "a", length);
    return Math.sqrt(sumOfSquaredDeviations(a, offset, length) / length);
  }

  /** {@code sum (a_i - m)^2} by the corrected two-pass algorithm, {@code length >= 1}. */
  private double sumOfSquaredDeviations(double[] a, int offset, int length) {
    double mean = reduce(DoubleReduction.SUM, a, offset, null, 0, length) / length;
    DoubleKernels k = doubleKernels();
    double[] s =
        Partials.sums(
            workers,
            parallel(length, AUTO_FORK_STREAM),
            length,
            2,
            (start, n, out, at) -> k.centeredSums(a, offset + start, n, mean, out, at));
    return centeredSumOfSquares(s[0], s[1], length);
  }

  /**
   * The number of elements {@code x} of {@code a} with {@code comparison.test(x, threshold)}:
   * Java's comparison operators, so NaN compares false except with {@link Comparison#NOT_EQUAL},
   * and -0.0 equals +0.0. Exact. Empty gives 0.
   */
  public long count(double[] a, Comparison comparison, double threshold) {
    return count(a, 0, Check.notNull("a", a).length, comparison, threshold);
  }

  /** The count over a range; see {@link #count(double[], Comparison, double)}. */
  public long count(double[] a, int offset, int length, Comparison comparison, double threshold) {
    Check.range("a", a, offset, length);
    Check.notNull("comparison", comparison);
    workers.ensureOpen();
    if (length == 0) {
      return 0;
    }
    DoubleKernels k = doubleKernels();
    // Block counts are at most 16384 and their sum below 2^31: exact in double.
    return (long)
        Partials.sums(
            workers,
            parallel(length, AUTO_FORK_STREAM),
            length,
            1,
            (start, n, out, at) -> out[at] = k.count(a, offset + start, n, comparison, threshold))[
            0];
  }

  // ======== double SCAN AND HISTOGRAM: inclusive prefix sum, histogram
  // (section scan: add this family's code below, above the next section line)

  /**
   * The inclusive prefix sum (scan) {@code out[i] = a[0] + ... + a[i]}. {@code out} may be {@code
   * a} (in place). See {@link #prefixSum(double[], int, double[], int, int)}.
   */
  public void prefixSum(double[] a, double[] out) {
    int n =
        Check.sameLength(
            "a", Check.notNull("a", a).length, "out", Check.notNull("out", out).length);
    prefixSum(a, 0, out, 0, n);
  }

  /**
   * The inclusive prefix sum of a range: {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset +
   * i]} for {@code i < length}. {@code out} may be the same range as {@code a}.
   *
   * <p>Every mode cuts the range into the blocks of 16384 elements that reductions use. Block
   * {@code b}'s outputs are its own running sum (from +0.0) plus the carry {@code c_b}, where
   * {@code c_0 = 0} and {@code c_(b+1) = c_b + T_b} in double, {@code T_b} being block {@code b}'s
   * total. The single-threaded modes scan the blocks in order; the pooled ones find the totals in
   * parallel, take their prefix on the calling thread and then scan the blocks in parallel, each
   * from its carry. Both ways compute the same numbers, so SISD and MIMD give the same bits, and so
   * do SIMD, SIMD_MIMD and AUTO, whatever the thread count.
   *
   * <p>Error, with {@code P_i} the exact prefix, {@code S_i = |a[0]| + ... + |a[i]|} and {@code u =
   * 2^-53}: scalar modes {@code |out[i] - P_i| <= (min(i + 1, 16384) + i / 16384 + 2) u S_i};
   * vector modes {@code (log2(L) + min(i + 1, 16384) / L + i / 16384 + 3) u S_i}, L being the
   * double lanes per vector (each vector's prefix is a tree of depth log2(L), the vectors' totals
   * run in order).
   *
   * <p>A NaN makes every output from its index on NaN, an infinity makes them that infinity (NaN
   * from where the opposite infinity joins), and outputs before it are untouched by it; a partial
   * sum may overflow to an infinity where the exact prefix is finite. A prefix of zeros is +0.0
   * (the running sum starts from +0.0). An empty range writes nothing.
   */
  public void prefixSum(double[] a, int aOffset, double[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    workers.ensureOpen();
    DoubleKernels k = doubleKernels();
    int blocks = Blocks.count(length);
    if (!parallel(length, AUTO_FORK_STREAM)) {
      double carry = 0;
      for (int b = 0; b < blocks; b++) {
        int start = Blocks.start(b);
        carry +=
            k.prefixSum(
                a, aOffset + start, out, outOffset + start, Blocks.length(b, length), carry);
      }
      return;
    }
    double[] carries = new double[blocks];
    workers.forEachBlock(
        length, (start, n, block) -> carries[block] = k.prefixSumTotal(a, aOffset + start, n));
    double carry = 0;
    for (int b = 0; b < blocks; b++) {
      double total = carries[b];
      carries[b] = carry;
      carry += total;
    }
    workers.forEachBlock(
        length,
        (start, n, block) ->
            k.prefixSum(a, aOffset + start, out, outOffset + start, n, carries[block]));
  }

  /**
   * The histogram of {@code a} over {@code bins} equal-width bins of {@code [lo, hi)}; see {@link
   * #histogram(double[], int, int, double, double, int)}.
   */
  public Histogram histogram(double[] a, double lo, double hi, int bins) {
    return histogram(a, 0, Check.notNull("a", a).length, lo, hi, bins);
  }

  /**
   * The histogram of a range over {@code bins} equal-width bins of {@code [lo, hi)}, exact: value
   * {@code x} goes to bin {@code k = floor(bins (x - lo) / (hi - lo))} computed in real arithmetic,
   * that is the bin with {@code lo + k (hi - lo) / bins <= x < lo + (k + 1) (hi - lo) / bins} for
   * the exact edges, so a value on an edge starts the bin above it. Values below {@code lo} (with
   * -Inf) count as {@code below}, values at or above {@code hi} (with {@code hi} itself and +Inf)
   * as {@code above}, NaN as {@code nan}; -0.0 and +0.0 are the same value. Every mode counts
   * exactly the same.
   *
   * @throws IllegalArgumentException if {@code lo} or {@code hi} is NaN or infinite, {@code lo >=
   *     hi}, or {@code bins} is not between 1 and 2^30
   */
  public Histogram histogram(double[] a, int offset, int length, double lo, double hi, int bins) {
    Check.range("a", a, offset, length);
    EqualWidthBins rule = Histograms.rule(lo, hi, bins);
    return Histograms.result(rule, countHistogram(a, offset, length, rule));
  }

  /**
   * Adds the histogram of {@code a} to {@code counts}, one bin per element of {@code counts}; see
   * {@link #histogram(double[], int, int, double, double, long[])}.
   */
  public void histogram(double[] a, double lo, double hi, long[] counts) {
    histogram(a, 0, Check.notNull("a", a).length, lo, hi, counts);
  }

  /**
   * Adds the histogram of a range to {@code counts}: {@code counts.length} equal-width bins of
   * {@code [lo, hi)}, the exact rule of {@link #histogram(double[], int, int, double, double,
   * int)}. Values outside the bins and NaN are not counted here (the {@link Histogram} form counts
   * them). Accumulates: calls over several ranges add up.
   *
   * @throws IllegalArgumentException for the bounds as the other form, or if {@code counts} has no
   *     element or more than 2^30
   */
  public void histogram(double[] a, int offset, int length, double lo, double hi, long[] counts) {
    Check.range("a", a, offset, length);
    EqualWidthBins rule = Histograms.rule(lo, hi, Histograms.checkCounts(counts).length);
    Histograms.addBins(countHistogram(a, offset, length, rule), counts);
  }

  private long[] countHistogram(double[] a, int offset, int length, EqualWidthBins rule) {
    workers.ensureOpen();
    DoubleKernels k = doubleKernels();
    return Histograms.count(
        workers,
        parallel(length, AUTO_FORK_STREAM),
        length,
        rule,
        (start, n, counts) -> k.histogram(a, offset + start, n, rule, counts));
  }

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
  public void prefixSum(int[] a, long[] out) {
    int n =
        Check.sameLength(
            "a", Check.notNull("a", a).length, "out", Check.notNull("out", out).length);
    prefixSum(a, 0, out, 0, n);
  }

  /**
   * {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset + i]} for {@code i < length}, exact;
   * see {@link #prefixSum(int[], long[])}.
   */
  public void prefixSum(int[] a, int aOffset, long[] out, int outOffset, int length) {
    Check.range("a", a, aOffset, length);
    Check.range("out", out, outOffset, length);
    IntKernels k = ints(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.prefixSum(a, aOffset, out, outOffset, length, 0);
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
        length,
        (s, n, block) -> kp.prefixSum(a, aOffset + s, out, outOffset + s, n, before[block]));
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
  public void prefixSum(long[] a, long[] out) {
    prefixSum(a, 0, out, 0, unaryLength(a, out));
  }

  /**
   * {@code out[outOffset + i] = a[aOffset] + ... + a[aOffset + i]} for {@code i < length}, exact or
   * {@link ArithmeticException}; see {@link #prefixSum(long[], long[])}.
   */
  public void prefixSum(long[] a, int aOffset, long[] out, int outOffset, int length) {
    checkUnary("a", a, aOffset, out, outOffset, length);
    LongKernels k = longs(length, AUTO_FORK_STREAM);
    if (k != null) {
      k.prefixSum(a, aOffset, out, outOffset, length, 0);
      return;
    }
    LongKernels kp = longKernels();
    long[] before = new long[Blocks.count(length)];
    try {
      workers.forEachBlock(length, (s, n, block) -> before[block] = kp.sum(a, aOffset + s, n));
    } catch (ArithmeticException blockOverflow) {
      // A block's own sum does not fit, so the block offsets cannot be formed; nothing is written
      // yet. Scan on this thread, which checks every prefix.
      kp.prefixSum(a, aOffset, out, outOffset, length, 0);
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
        length,
        (s, n, block) -> kp.prefixSum(a, aOffset + s, out, outOffset + s, n, before[block]));
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

  /** For clamp of ints and longs, here and in the segment views. */
  static void checkBounds(long lo, long hi) {
    if (lo > hi) {
      throw new IllegalArgumentException("clamp: lo=" + lo + " is greater than hi=" + hi);
    }
  }

  // ======== end of late families
}
