package dev.flynn.engine;

import dev.flynn.kernels.EqualWidthBins;
import java.util.Arrays;

/**
 * The counts of a histogram over {@code bins} equal-width bins of {@code [lo, hi)}, and of the
 * values that fell in none: {@code below} (less than {@code lo}, -Inf included), {@code above} (at
 * or above {@code hi}, +Inf included) and {@code nan}. Bin {@code k} holds the values {@code x}
 * with {@code lo + k (hi - lo) / bins <= x < lo + (k + 1) (hi - lo) / bins}, the edges taken
 * exactly (see {@link FlynnOps#histogram(double[], double, double, int)}).
 *
 * <p>The record keeps its own copy of {@code counts}, and {@link #counts()} hands out a copy; use
 * {@link #count(int)} to read one bin without copying.
 *
 * @param lo the lower end of bin 0 (a float bound, for float data, exactly as a double)
 * @param hi the end of the last bin, itself in no bin
 * @param counts the number of values in each bin; its length is the number of bins
 * @param below values below {@code lo}
 * @param above values at or above {@code hi}
 * @param nan NaN values
 */
public record Histogram(double lo, double hi, long[] counts, long below, long above, long nan) {

  /** The most bins a histogram may have. */
  public static final int MAX_BINS = Histograms.MAX_BINS;

  /**
   * The exact binning rule of a histogram of {@code bins} equal-width bins over {@code [lo, hi)},
   * for code outside the engine that bins the same way (the combining strategies).
   *
   * @throws IllegalArgumentException if a bound is not finite, {@code lo >= hi}, or {@code bins} is
   *     not between 1 and {@link #MAX_BINS}; the message gives the values
   */
  public static EqualWidthBins rule(float lo, float hi, int bins) {
    return Histograms.rule(lo, hi, bins);
  }

  /** Copies {@code counts}, so that the caller's array and the record's stay apart. */
  public Histogram {
    counts = Check.notNull("counts", counts).clone();
  }

  /** A copy of the counts per bin. */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** The count of bin {@code k}. */
  public long count(int k) {
    return counts[k];
  }

  /** The number of bins. */
  public int bins() {
    return counts.length;
  }

  /** Every value counted: in the bins, below, above and NaN; the length of the range. */
  public long total() {
    long total = below + above + nan;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h
        && Double.compare(lo, h.lo) == 0
        && Double.compare(hi, h.hi) == 0
        && Arrays.equals(counts, h.counts)
        && below == h.below
        && above == h.above
        && nan == h.nan;
  }

  @Override
  public int hashCode() {
    int hash = Double.hashCode(lo);
    hash = 31 * hash + Double.hashCode(hi);
    hash = 31 * hash + Arrays.hashCode(counts);
    hash = 31 * hash + Long.hashCode(below);
    hash = 31 * hash + Long.hashCode(above);
    return 31 * hash + Long.hashCode(nan);
  }

  @Override
  public String toString() {
    return "Histogram[lo="
        + lo
        + ", hi="
        + hi
        + ", counts="
        + (counts.length <= 16 ? Arrays.toString(counts) : counts.length + " bins")
        + ", below="
        + below
        + ", above="
        + above
        + ", nan="
        + nan
        + "]";
  }
}
