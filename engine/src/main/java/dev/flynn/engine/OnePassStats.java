package dev.flynn.engine;

import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.EqualWidthBins;
import dev.flynn.kernels.FloatKernels;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.OnePassKernels;

/**
 * One pass for many statistics (MISD: several kernels over one data stream): count, sum, min, max,
 * mean, variance and optionally a histogram, each 16384-element block read from memory once and
 * then re-read from L1/L2 by every kernel. Get it from {@link FlynnOps#stats()}:
 *
 * <pre>{@code
 * Stats s = flynn.stats().of(values);                  // count, sum, min, max, mean, variance
 * Stats h = flynn.stats().of(values, -1f, 1f, 100);    // the same, plus a histogram
 * }</pre>
 *
 * <p>Each block's partial comes from the engine's kernels of the view's mode class ({@code sum},
 * {@code min}, {@code max}, the centred sums about the block's own mean, {@code histogram}); blocks
 * are combined along the engine's fixed tree with Chan's pairwise formula (see {@link
 * OnePassKernels}). Hence: {@code sum}, {@code min}, {@code max}, {@code mean} and the histogram
 * have exactly the bits of the engine's separate kernels in the same mode (float sums before their
 * rounding to float), and the result has the same bits for any thread count. The variance is within
 * the bound of the engine's {@code variance} (both are corrected two-pass forms; this one centres
 * each block on its own mean, so it differs from it in the last bits).
 *
 * <p>Arguments are checked as in {@link FlynnOps}, before anything runs; the statistics of an empty
 * range throw {@link IllegalArgumentException}. The pooled modes split the blocks across the
 * engine's pool as its reductions do. Immutable and thread-safe, like the view it came from.
 */
public final class OnePassStats {

  private final Workers workers;
  private final Mode mode;

  OnePassStats(Workers workers, Mode mode) {
    this.workers = workers;
    this.mode = mode;
  }

  /** The statistics of {@code a}, without histogram. Empty throws. */
  public Stats of(float[] a) {
    return of(a, 0, Check.notNull("a", a).length);
  }

  /** The statistics of {@code a[offset .. offset + length)}, without histogram. */
  public Stats of(float[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("stats", "a", length);
    return floats(a, offset, length, null);
  }

  /**
   * The statistics of {@code a} and its histogram over {@code bins} equal-width bins of {@code [lo,
   * hi)}, with the exact rule of {@link FlynnOps#histogram(float[], int, int, float, float, int)}.
   *
   * @throws IllegalArgumentException for the bounds and bins as the histogram, or an empty array
   */
  public Stats of(float[] a, float lo, float hi, int bins) {
    return of(a, 0, Check.notNull("a", a).length, lo, hi, bins);
  }

  /** The statistics and histogram of a range; see {@link #of(float[], float, float, int)}. */
  public Stats of(float[] a, int offset, int length, float lo, float hi, int bins) {
    Check.range("a", a, offset, length);
    EqualWidthBins rule = Histograms.rule(lo, hi, bins);
    Check.notEmpty("stats", "a", length);
    return floats(a, offset, length, rule);
  }

  /** The statistics of {@code a}, without histogram. Empty throws. */
  public Stats of(double[] a) {
    return of(a, 0, Check.notNull("a", a).length);
  }

  /** The statistics of {@code a[offset .. offset + length)}, without histogram. */
  public Stats of(double[] a, int offset, int length) {
    Check.range("a", a, offset, length);
    Check.notEmpty("stats", "a", length);
    return doubles(a, offset, length, null);
  }

  /**
   * The statistics of {@code a} and its histogram; see {@link #of(float[], float, float, int)} and
   * {@link FlynnOps#histogram(double[], int, int, double, double, int)}.
   */
  public Stats of(double[] a, double lo, double hi, int bins) {
    return of(a, 0, Check.notNull("a", a).length, lo, hi, bins);
  }

  /** The statistics and histogram of a range; see {@link #of(double[], double, double, int)}. */
  public Stats of(double[] a, int offset, int length, double lo, double hi, int bins) {
    Check.range("a", a, offset, length);
    EqualWidthBins rule = Histograms.rule(lo, hi, bins);
    Check.notEmpty("stats", "a", length);
    return doubles(a, offset, length, rule);
  }

  private Stats floats(float[] a, int offset, int length, EqualWidthBins rule) {
    workers.ensureOpen();
    FloatKernels k = mode.vector() ? Kernels.vectorFloats() : Kernels.scalarFloats();
    return run(
        length,
        rule,
        (start, n, counts, out, at) ->
            OnePassKernels.block(k, a, offset + start, n, rule, counts, out, at),
        (counts, out, scratch) ->
            OnePassKernels.range(k, a, offset, length, rule, counts, out, 0, scratch));
  }

  private Stats doubles(double[] a, int offset, int length, EqualWidthBins rule) {
    workers.ensureOpen();
    DoubleKernels k = mode.vector() ? Kernels.vectorDoubles() : Kernels.scalarDoubles();
    return run(
        length,
        rule,
        (start, n, counts, out, at) ->
            OnePassKernels.block(k, a, offset + start, n, rule, counts, out, at),
        (counts, out, scratch) ->
            OnePassKernels.range(k, a, offset, length, rule, counts, out, 0, scratch));
  }

  /** One block's partial at {@code out[at ..]}, its histogram added to {@code counts}. */
  @FunctionalInterface
  private interface BlockLeaf {
    void run(int start, int length, long[] counts, double[] out, int at);
  }

  /** The whole range's partial on the calling thread. */
  @FunctionalInterface
  private interface WholeRange {
    void run(long[] counts, double[] out, double[] scratch);
  }

  private Stats run(int length, EqualWidthBins rule, BlockLeaf leaf, WholeRange whole) {
    int width = rule == null ? 0 : rule.bins() + 3;
    double[] result = new double[OnePassKernels.WIDTH];
    long[] counts = new long[width];
    if (!workers.inBlocks(mode, length, FlynnOps.AUTO_FORK_STREAM)) {
      whole.run(counts, result, new double[OnePassKernels.scratchLength()]);
    } else {
      int blocks = Blocks.count(length);
      double[] partials = new double[blocks * OnePassKernels.WIDTH];
      // As Histograms.count: tasks of whole blocks, each with its own counts, merged into the
      // result under its lock (integers: any merge order gives the same counts); at most two tasks
      // per thread, except in an asynchronous call, whose view stops at block boundaries: there
      // every block is a task of its own (but for the last two blocks of a range near 2^31, so
      // that tasks * BLOCK stays an int).
      int tasks =
          workers.blockwise()
              ? Math.min(blocks, Integer.MAX_VALUE / Blocks.BLOCK)
              : Math.min(blocks, 2 * workers.threads());
      workers.forEachBlock(
          tasks * Blocks.BLOCK,
          (ignored, n, task) -> {
            long[] own = new long[width];
            int first = (int) ((long) task * blocks / tasks);
            int end = (int) ((long) (task + 1) * blocks / tasks);
            for (int b = first; b < end; b++) {
              leaf.run(
                  Blocks.start(b),
                  Blocks.length(b, length),
                  own,
                  partials,
                  b * OnePassKernels.WIDTH);
            }
            synchronized (counts) {
              for (int i = 0; i < width; i++) {
                counts[i] += own[i];
              }
            }
          });
      combine(partials, 0, blocks, result, 0, new double[OnePassKernels.scratchLength()], 0);
    }
    return new Stats(
        length,
        result[OnePassKernels.SUM],
        result[OnePassKernels.MIN],
        result[OnePassKernels.MAX],
        result[OnePassKernels.M2],
        rule == null ? null : Histograms.result(rule, counts));
  }

  /** Block partials {@code [lo, hi)} along the fixed tree, as {@link OnePassKernels#range}. */
  private static void combine(
      double[] partials, int lo, int hi, double[] out, int at, double[] scratch, int depth) {
    if (hi - lo == 1) {
      System.arraycopy(partials, lo * OnePassKernels.WIDTH, out, at, OnePassKernels.WIDTH);
      return;
    }
    int mid = (lo + hi) >>> 1;
    int right = depth * OnePassKernels.WIDTH;
    combine(partials, lo, mid, out, at, scratch, depth + 1);
    combine(partials, mid, hi, scratch, right, scratch, depth + 1);
    OnePassKernels.combine(out, at, scratch, right, out, at);
  }
}
