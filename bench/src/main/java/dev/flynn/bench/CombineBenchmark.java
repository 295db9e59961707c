package dev.flynn.bench;

import dev.flynn.engine.Histogram;
import dev.flynn.engine.combine.CombineStrategy;
import dev.flynn.engine.combine.Combiner;
import dev.flynn.engine.combine.Grain;
import dev.flynn.engine.combine.Summary;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Locks and their alternatives where parallel workers combine partial results ({@link Combiner}):
 * every {@link CombineStrategy} at 1, 2, 4 and 8 workers, on a histogram and on an exact {@link
 * Summary}, at both grains: {@code histogramFine} and {@code summaryFine} update the combining
 * structure for every element (one, resp. four updates per element), {@code histogramCoarse} and
 * {@code summaryCoarse} reduce each block privately and combine once per block. Blocks of {@code
 * block} elements, small by default so that combining happens often. The report reads {@code
 * strategy} as the mode. Each fork checks its result against a naive reference before timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xms2g",
      "-Xmx2g"
    })
public class CombineBenchmark {

  /** Elements: 1 MiB of floats, in L2 or the last-level cache. */
  @Param("262144")
  public int size;

  @Param({
    "SYNCHRONIZED",
    "REENTRANT_LOCK",
    "CONDITION_BARRIER",
    "SEMAPHORE",
    "ATOMIC",
    "LONG_ADDER",
    "PARTIALS"
  })
  public CombineStrategy strategy;

  /** Workers of every call. */
  @Param({"1", "2", "4", "8"})
  public int threads;

  /** Elements per block: 64 blocks at the default size, so the coarse grain combines 64 times. */
  @Param("4096")
  public int block;

  /** Bins of the histogram; (x + 1) * 64 is exact for the data, so the reference is exact. */
  private static final int BINS = 128;

  /** Non-final, so that the JIT cannot fold them. */
  public float lo = -1f;

  public float hi = 1f;

  private Combiner combiner;
  private float[] a;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    combiner = new Combiner(threads, block);
    SplittableRandom random = new SplittableRandom(42);
    a = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = (float) (random.nextDouble() * 2 - 1);
    }
    String benchmark = params.getBenchmark();
    verify(benchmark.substring(benchmark.lastIndexOf('.') + 1));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    combiner.close();
  }

  @Benchmark
  public Histogram histogramFine() {
    return combiner.histogram(a, 0, size, lo, hi, BINS, strategy, Grain.FINE);
  }

  @Benchmark
  public Histogram histogramCoarse() {
    return combiner.histogram(a, 0, size, lo, hi, BINS, strategy, Grain.COARSE);
  }

  @Benchmark
  public Summary summaryFine() {
    return combiner.summary(a, 0, size, strategy, Grain.FINE);
  }

  @Benchmark
  public Summary summaryCoarse() {
    return combiner.summary(a, 0, size, strategy, Grain.COARSE);
  }

  /** Refuses to time a wrong answer: the method this fork times, against naive loops. */
  private void verify(String method) {
    String what = strategy + " " + method;
    if (method.startsWith("histogram")) {
      long[] expected = new long[BINS];
      for (float x : a) {
        expected[(int) Math.floor(((double) x - lo) * BINS / 2)]++;
      }
      Histogram h = method.endsWith("Fine") ? histogramFine() : histogramCoarse();
      for (int k = 0; k < BINS; k++) {
        Checks.nearAt(what, "histogram", k, h.count(k), expected[k], 0);
      }
      Checks.near(what, "histogram outside", h.below() + h.above() + h.nan(), 0, 0);
    } else {
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      BigDecimal sum = BigDecimal.ZERO;
      for (float x : a) {
        min = Math.min(min, x);
        max = Math.max(max, x);
        sum = sum.add(new BigDecimal(x));
      }
      Summary s = method.endsWith("Fine") ? summaryFine() : summaryCoarse();
      Checks.near(what, "count", s.count(), size, 0);
      Checks.near(what, "min", s.min(), min, 0);
      Checks.near(what, "max", s.max(), max, 0);
      Checks.near(what, "sum", s.sum(), sum.doubleValue(), 0);
    }
  }
}
