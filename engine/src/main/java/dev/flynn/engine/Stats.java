package dev.flynn.engine;

/**
 * Summary statistics of one data set, from one pass over it ({@link OnePassStats}, or the {@code
 * stats} operation of a {@link dev.flynn.engine.stream.StreamPipeline}).
 *
 * <p>For float data the values are the double partials before any rounding to float: {@code (float)
 * sum()} is the engine's {@code sum} of the same array in the same mode class, bit for bit, and
 * {@code (float) mean()} its {@code mean}. {@code min} and {@code max} are exact (NaN if any
 * element is NaN, -0.0 below +0.0).
 *
 * @param count the number of elements, at least 1
 * @param sum their sum (the engine's blocks and fixed tree)
 * @param min the least element
 * @param max the greatest element
 * @param sumOfSquaredDeviations {@code sum (a_i - mean)^2}: block by block about each block's own
 *     mean (corrected two-pass), blocks combined by Chan's pairwise formula; NaN if any element is
 *     NaN or infinite
 * @param histogram the histogram, or null when none was asked for
 */
public record Stats(
    long count,
    double sum,
    double min,
    double max,
    double sumOfSquaredDeviations,
    Histogram histogram) {

  /** Checks that there is at least one element. */
  public Stats {
    if (count < 1) {
      throw new IllegalArgumentException("statistics need at least one element: count=" + count);
    }
  }

  /** The arithmetic mean {@code sum / count}. */
  public double mean() {
    return sum / count;
  }

  /** The population variance {@code sumOfSquaredDeviations / count}. */
  public double variance() {
    return sumOfSquaredDeviations / count;
  }

  /**
   * The sample variance {@code sumOfSquaredDeviations / (count - 1)}; NaN for a single element
   * (undefined), where the engine's {@code sampleVariance} throws.
   */
  public double sampleVariance() {
    return count < 2 ? Double.NaN : sumOfSquaredDeviations / (count - 1);
  }

  /** The population standard deviation, {@code sqrt(variance())}. */
  public double standardDeviation() {
    return Math.sqrt(variance());
  }
}
