package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Histogram;
import dev.flynn.engine.Mode;
import dev.flynn.engine.Stats;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * MISD against one kernel per pass: {@code flynn.stats()} (count, sum, min, max, mean, variance,
 * optionally a histogram, each 16384-element block read from memory once) against the separate
 * kernels a user would call ({@code sum}, {@code min}, {@code max}, {@code variance}, which is
 * itself two passes, and {@code histogram}). At L2 size the data stay in cache and the separate
 * passes cost only their arithmetic; at DRAM size every separate pass streams the array again.
 *
 * <pre>{@code
 * ./flynn jmh 'StatsBenchmark' -p size=65536,16777216 -f 1 -wi 2 -w 200ms -i 3 -r 200ms
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xms1g",
      "-Xmx1g"
    })
public class StatsBenchmark {

  /** Floats: 256 KiB (L2) and 64 MiB (DRAM). */
  @Param({"65536", "16777216"})
  public int size;

  /** One thread (SIMD) by default; SIMD_MIMD splits the blocks over the pool. */
  @Param("SIMD")
  public Mode mode;

  /** Histogram bins; the data fill all of [lo, hi). Non-final, so the JIT cannot fold them. */
  public int bins = 100;

  public float lo = -1f;

  public float hi = 1f;

  private Flynn flynn;
  private FlynnOps ops;
  private float[] a;

  @Setup(Level.Trial)
  public void setUp() {
    flynn = Flynn.builder().mode(mode).build();
    ops = flynn.using(mode);
    SplittableRandom random = new SplittableRandom(42);
    a = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
    }
    verify();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public Stats onePass() {
    return ops.stats().of(a);
  }

  @Benchmark
  public void separatePasses(Blackhole bh) {
    bh.consume(ops.sum(a));
    bh.consume(ops.min(a));
    bh.consume(ops.max(a));
    bh.consume(ops.variance(a));
  }

  @Benchmark
  public Stats onePassWithHistogram() {
    return ops.stats().of(a, lo, hi, bins);
  }

  @Benchmark
  public void separatePassesWithHistogram(Blackhole bh) {
    bh.consume(ops.sum(a));
    bh.consume(ops.min(a));
    bh.consume(ops.max(a));
    bh.consume(ops.variance(a));
    bh.consume(ops.histogram(a, lo, hi, bins));
  }

  /** Refuses to time a wrong answer: one pass against a naive double loop. */
  private void verify() {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float v : a) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / size;
    double squares = 0;
    for (float v : a) {
      squares += (v - mean) * (v - mean);
    }
    Stats s = ops.stats().of(a, lo, hi, bins);
    Histogram h = ops.histogram(a, lo, hi, bins);
    boolean right =
        s.count() == size
            && s.min() == min
            && s.max() == max
            && Math.abs(s.sum() - sum) <= 1e-4 * size
            && Math.abs(s.variance() - squares / size) <= 1e-5 * squares / size
            && h.equals(s.histogram());
    if (!right) {
      throw new IllegalStateException("stats gave " + s + " for sum " + sum + ", " + squares);
    }
  }
}
