package dev.flynn.engine;

import dev.flynn.kernels.EqualWidthBins;

/**
 * What the float and double histograms of {@link FlynnOps} share: the checks of the bounds and the
 * bin count, and the split of a range across the pool. Counts are integers, so any split and any
 * merge order give the same result; the split here only bounds the memory: one array of counts per
 * task, at most two tasks per thread, each task a run of whole blocks.
 */
final class Histograms {

  /** The most bins a histogram may have (its working array also holds three outside counts). */
  static final int MAX_BINS = 1 << 30;

  private Histograms() {}

  /** Counts elements {@code [start, start + length)} of the range into {@code counts}. */
  @FunctionalInterface
  interface RangeCounter {
    void count(int start, int length, long[] counts);
  }

  /** Checks float bounds and the bin count; the rule they define. */
  static EqualWidthBins rule(float lo, float hi, int bins) {
    if (!Float.isFinite(lo) || !Float.isFinite(hi) || !(lo < hi)) {
      throw badBounds(Float.toString(lo), Float.toString(hi));
    }
    return new EqualWidthBins(lo, hi, checkBins(bins));
  }

  /** Checks double bounds and the bin count; the rule they define. */
  static EqualWidthBins rule(double lo, double hi, int bins) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
      throw badBounds(Double.toString(lo), Double.toString(hi));
    }
    return new EqualWidthBins(lo, hi, checkBins(bins));
  }

  private static IllegalArgumentException badBounds(String lo, String hi) {
    return new IllegalArgumentException(
        "histogram bounds must be finite with lo < hi: lo=" + lo + ", hi=" + hi);
  }

  private static int checkBins(int bins) {
    if (bins < 1 || bins > MAX_BINS) {
      throw new IllegalArgumentException(
          "histogram bins must be between 1 and " + MAX_BINS + ": bins=" + bins);
    }
    return bins;
  }

  /** Checks the caller's counts array of the accumulating form: its length is the bin count. */
  static long[] checkCounts(long[] counts) {
    Check.notNull("counts", counts);
    if (counts.length < 1 || counts.length > MAX_BINS) {
      throw new IllegalArgumentException(
          "counts.length is the number of bins, between 1 and "
              + MAX_BINS
              + ": counts.length="
              + counts.length);
    }
    return counts;
  }

  /**
   * The counts of a range of {@code length} elements: bins, then below, above and NaN. Pooled when
   * {@code pooled}: tasks of whole blocks, each with its own counts, added up at the end.
   *
   * <p>Why private partials and not a shared table: {@code CombineBenchmark} measured the
   * alternatives ({@code dev.flynn.engine.combine}, see docs/combine.md). Updating one shared table
   * per element cost 2.3x to 2.8x the time of private partials under {@code synchronized}, a {@code
   * ReentrantLock} or a binary {@code Semaphore}, 0.8x to 1.2x with {@code AtomicLongArray} and
   * 1.2x to 2x with {@code LongAdder}s (256 Ki floats, 128 bins, 1 and 2 threads on 2 busy vCPUs:
   * indicative); combining a per-block partial under a lock or with atomics was never faster than
   * private partials, and needs synchronisation that they do not. A task's partial is {@code bins +
   * 3} longs, small beside its blocks, and integer counts add up the same in any order.
   */
  static long[] count(
      Workers workers, boolean pooled, int length, EqualWidthBins rule, RangeCounter counter) {
    int width = rule.bins() + 3;
    if (!pooled) {
      long[] counts = new long[width];
      counter.count(0, length, counts);
      return counts;
    }
    int blocks = Blocks.count(length);
    int tasks = Math.min(blocks, 2 * workers.threads());
    long[][] partials = new long[tasks][];
    // forEachBlock hands out task numbers: a range of tasks blocks, one "block" per task.
    workers.forEachBlock(
        tasks * Blocks.BLOCK,
        workers.threadsFor(length),
        (ignored, n, task) -> {
          int end = (int) ((long) (task + 1) * blocks / tasks);
          long[] counts = new long[width];
          for (int b = (int) ((long) task * blocks / tasks); b < end; b++) {
            workers.checkpoint(b); // an asynchronous call stops between blocks
            counter.count(Blocks.start(b), Blocks.length(b, length), counts);
          }
          partials[task] = counts;
        });
    long[] counts = partials[0];
    for (int t = 1; t < tasks; t++) {
      for (int k = 0; k < width; k++) {
        counts[k] += partials[t][k];
      }
    }
    return counts;
  }

  /** The record of a histogram's counts as {@link #count} returns them. */
  static Histogram result(EqualWidthBins rule, long[] all) {
    int bins = rule.bins();
    return new Histogram(
        rule.lo(),
        rule.hi(),
        java.util.Arrays.copyOf(all, bins),
        all[bins],
        all[bins + 1],
        all[bins + 2]);
  }

  /** Adds the bin counts (not the outside ones) to the caller's array. */
  static void addBins(long[] all, long[] counts) {
    for (int k = 0; k < counts.length; k++) {
      counts[k] += all[k];
    }
  }
}
