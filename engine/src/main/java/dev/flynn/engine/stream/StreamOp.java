package dev.flynn.engine.stream;

import dev.flynn.engine.Histogram;
import dev.flynn.engine.Stats;
import dev.flynn.kernels.EqualWidthBins;
import dev.flynn.kernels.OnePassKernels;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link StreamPipeline} computes over a stream: a reduction (sum, the one-pass statistics,
 * a histogram) or an elementwise map written in order to a channel. Immutable.
 *
 * <p>Reductions are deterministic: each chunk's partial comes from the engine's block kernels
 * ({@link OnePassKernels}: blocks of 16384 elements combined in a fixed tree), and the partials of
 * the chunks are combined in chunk order along a fixed tree that depends on the number of chunks
 * only (a binary counter: two partials of equal height are combined as soon as both exist, the
 * remaining ones right to left at the end), so the result has the same bits for any number of
 * consumers and buffers. It depends on the chunk size, which sets the chunk boundaries; a stream of
 * one chunk gives the engine's own result for that array. The error grows with the log of the
 * number of chunks, not linearly.
 */
public final class StreamOp<R> {

  enum Kind {
    SUM,
    STATS,
    HISTOGRAM,
    MAP
  }

  final String name;
  final Kind kind;
  final EqualWidthBins rule;
  final ElementType mapType;
  final FloatMap floatMap;
  final DoubleMap doubleMap;
  final WritableByteChannel out;
  private final Function<Totals, R> finish;

  private StreamOp(
      String name,
      Kind kind,
      EqualWidthBins rule,
      ElementType mapType,
      FloatMap floatMap,
      DoubleMap doubleMap,
      WritableByteChannel out,
      Function<Totals, R> finish) {
    this.name = name;
    this.kind = kind;
    this.rule = rule;
    this.mapType = mapType;
    this.floatMap = floatMap;
    this.doubleMap = doubleMap;
    this.out = out;
    this.finish = finish;
  }

  /** The sum of the values (+0.0 for an empty stream), in double for float data too. */
  public static StreamOp<Double> sum() {
    return new StreamOp<>("sum", Kind.SUM, null, null, null, null, null, t -> t.sum);
  }

  /**
   * Count, sum, min, max, mean and variance in one pass ({@link Stats}). An empty stream fails the
   * run with {@link IllegalArgumentException}.
   */
  public static StreamOp<Stats> stats() {
    return new StreamOp<>("stats", Kind.STATS, null, null, null, null, null, Totals::stats);
  }

  /**
   * The statistics of {@link #stats()} and a histogram ({@link Stats#histogram()}) over {@code
   * bins} equal-width bins of {@code [lo, hi)}, with the engine's exact rule ({@link
   * EqualWidthBins}; for float data as the engine's float histogram with these bounds).
   *
   * @throws IllegalArgumentException if {@code lo} or {@code hi} is NaN or infinite, {@code lo >=
   *     hi}, or {@code bins} is not between 1 and 2^30
   */
  public static StreamOp<Stats> stats(double lo, double hi, int bins) {
    return new StreamOp<>(
        "stats", Kind.STATS, rule(lo, hi, bins), null, null, null, null, Totals::stats);
  }

  /** The least value, from {@link #stats()}: exact, NaN if any is NaN. Empty fails. */
  public static StreamOp<Double> min() {
    return derived("min", Stats::min);
  }

  /** The greatest value, from {@link #stats()}. Empty fails. */
  public static StreamOp<Double> max() {
    return derived("max", Stats::max);
  }

  /** The mean, from {@link #stats()}. Empty fails. */
  public static StreamOp<Double> mean() {
    return derived("mean", Stats::mean);
  }

  /** The population variance, from {@link #stats()}. Empty fails. */
  public static StreamOp<Double> variance() {
    return derived("variance", Stats::variance);
  }

  /**
   * The histogram over {@code bins} equal-width bins of {@code [lo, hi)}, with below, above and NaN
   * counts; exact, so the same whatever the chunk size. Bounds as {@link #stats(double, double,
   * int)}.
   */
  public static StreamOp<Histogram> histogram(double lo, double hi, int bins) {
    return new StreamOp<>(
        "histogram", Kind.HISTOGRAM, rule(lo, hi, bins), null, null, null, null, Totals::histogram);
  }

  /**
   * Applies {@code map} to every float of the stream and writes the results, little-endian, to
   * {@code out} in the order of the input, whatever the number of consumers. Returns the number of
   * values written. The pipeline does not close {@code out}; a write that fails stops the run with
   * that exception (an interruptible channel closes when its writer is interrupted, as happens to
   * it when the run stops because of a failure elsewhere). The source must hold floats.
   */
  public static StreamOp<Long> mapFloats(FloatMap map, WritableByteChannel out) {
    Objects.requireNonNull(map, "map is null");
    Objects.requireNonNull(out, "out is null");
    return new StreamOp<>("map", Kind.MAP, null, ElementType.FLOAT, map, null, out, t -> t.values);
  }

  /** Maps every double of the stream to {@code out}; see {@link #mapFloats}. */
  public static StreamOp<Long> mapDoubles(DoubleMap map, WritableByteChannel out) {
    Objects.requireNonNull(map, "map is null");
    Objects.requireNonNull(out, "out is null");
    return new StreamOp<>("map", Kind.MAP, null, ElementType.DOUBLE, null, map, out, t -> t.values);
  }

  private static StreamOp<Double> derived(String name, Function<Stats, Double> field) {
    return new StreamOp<>(
        name, Kind.STATS, null, null, null, null, null, t -> field.apply(t.stats()));
  }

  private static EqualWidthBins rule(double lo, double hi, int bins) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
      throw new IllegalArgumentException(
          "histogram bounds must be finite with lo < hi: lo=" + lo + ", hi=" + hi);
    }
    if (bins < 1 || bins > 1 << 30) {
      throw new IllegalArgumentException(
          "histogram bins must be between 1 and " + (1 << 30) + ": bins=" + bins);
    }
    return new EqualWidthBins(lo, hi, bins);
  }

  /** Counts per slot: bins plus below, above and NaN; none without a histogram. */
  int countsWidth() {
    return rule == null ? 0 : rule.bins() + 3;
  }

  R finish(Totals totals) {
    return finish.apply(totals);
  }

  @Override
  public String toString() {
    return "StreamOp[" + name + (rule == null ? "" : ", " + rule.bins() + " bins") + "]";
  }

  /** What the in-order sink accumulated over the whole stream. */
  static final class Totals {
    double sum;
    final double[] partial = new double[OnePassKernels.WIDTH];
    long[] counts;
    long values;
    EqualWidthBins rule;

    Stats stats() {
      return new Stats(
          values,
          partial[OnePassKernels.SUM],
          partial[OnePassKernels.MIN],
          partial[OnePassKernels.MAX],
          partial[OnePassKernels.M2],
          rule == null ? null : histogram());
    }

    Histogram histogram() {
      int bins = rule.bins();
      return new Histogram(
          rule.lo(),
          rule.hi(),
          Arrays.copyOf(counts, bins),
          counts[bins],
          counts[bins + 1],
          counts[bins + 2]);
    }
  }
}
