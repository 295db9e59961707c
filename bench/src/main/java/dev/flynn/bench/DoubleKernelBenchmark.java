package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Histogram;
import dev.flynn.engine.Mode;
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
 * Every double kernel of the engine, in one mode, at one size, with one pool size: the suite behind
 * {@code ./flynn bench}. The JMH samples' rules hold: inputs in non-final state fields, results
 * returned, no loop in a benchmark, one fork per configuration with a fixed heap. Each kernel's
 * answer is checked against a naive loop in {@code double} before timing starts: the kernel the
 * fork times, and only that one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xms3g",
      "-Xmx3g"
    })
public class DoubleKernelBenchmark {

  /** Elements per array: L1, L2, last-level cache, DRAM, and an odd size whose tail is measured. */
  @Param({"4096", "65536", "1048576", "16777216", "65543"})
  public int size;

  @Param({"SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO"})
  public Mode mode;

  /** Threads sharing a pooled call; 0 means one per available processor. */
  @Param("0")
  public int threads;

  /** Non-final so that the JIT cannot fold it. */
  public double alpha = 1e-3;

  private Flynn flynn;
  private FlynnOps ops;
  private double[] a;
  private double[] b;
  private double[] c;
  private double[] out;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    SplittableRandom random = new SplittableRandom(42);
    a = new double[size];
    b = new double[size];
    c = new double[size];
    out = new double[size];
    for (int i = 0; i < size; i++) {
      a[i] = (random.nextDouble() * 2 - 1);
      // Away from zero, so that div measures division and not special cases.
      b[i] = (0.5 + random.nextDouble());
      c[i] = (random.nextDouble() * 2 - 1);
    }
    String benchmark = params.getBenchmark();
    verify(benchmark.substring(benchmark.lastIndexOf('.') + 1));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public double sum() {
    return ops.sum(a);
  }

  @Benchmark
  public double dot() {
    return ops.dot(a, b);
  }

  @Benchmark
  public double min() {
    return ops.min(a);
  }

  @Benchmark
  public double max() {
    return ops.max(a);
  }

  @Benchmark
  public double[] add() {
    ops.add(a, b, out);
    return out;
  }

  @Benchmark
  public double[] sub() {
    ops.sub(a, b, out);
    return out;
  }

  @Benchmark
  public double[] mul() {
    ops.mul(a, b, out);
    return out;
  }

  @Benchmark
  public double[] div() {
    ops.div(a, b, out);
    return out;
  }

  @Benchmark
  public double[] scale() {
    ops.scale(alpha, a, out);
    return out;
  }

  @Benchmark
  public double[] axpy() {
    ops.axpy(alpha, a, c);
    return c;
  }

  @Benchmark
  public double[] fma() {
    ops.fma(a, b, c, out);
    return out;
  }

  @Benchmark
  public double[] exp() {
    ops.exp(a, out);
    return out;
  }

  // ======== MAPS benchmarks
  // (section maps)

  // ======== STATISTICS benchmarks
  // (section statistics)

  // ======== SCAN AND HISTOGRAM benchmarks
  // (section scan)

  /** Bins of the histogram benchmark: a plot's resolution; the data fill all of [-1, 1). */
  private static final int HISTOGRAM_BINS = 100;

  /** Non-final, so that the JIT cannot fold them. */
  public double histogramLo = -1;

  public double histogramHi = 1;

  @Benchmark
  public double[] prefixSum() {
    ops.prefixSum(a, out);
    return out;
  }

  @Benchmark
  public Histogram histogram() {
    return ops.histogram(a, histogramLo, histogramHi, HISTOGRAM_BINS);
  }

  // ======== end of families benchmarks

  /**
   * Refuses to time a kernel whose answer is wrong: a fast wrong answer is not a result. Only the
   * kernel this fork times runs here, so that set-up leaves the JIT's profiles as the benchmark
   * alone would.
   */
  private void verify(String kernel) {
    int step = Math.max(1, size / 1000);
    switch (kernel) {
      case "sum", "dot" -> {
        double expected = 0;
        double magnitude = 0;
        for (int i = 0; i < size; i++) {
          double term = kernel.equals("sum") ? a[i] : a[i] * b[i];
          expected += term;
          magnitude += Math.abs(term);
        }
        double actual = kernel.equals("sum") ? ops.sum(a) : ops.dot(a, b);
        Checks.near(mode.name(), kernel, actual, expected, 1e-4 * magnitude + 1e-6);
      }
      case "min", "max" -> {
        double expected = a[0];
        for (int i = 1; i < size; i++) {
          expected = kernel.equals("min") ? Math.min(expected, a[i]) : Math.max(expected, a[i]);
        }
        Checks.near(
            mode.name(), kernel, kernel.equals("min") ? ops.min(a) : ops.max(a), expected, 0);
      }
      case "add", "sub", "mul", "div" -> {
        switch (kernel) {
          case "add" -> ops.add(a, b, out);
          case "sub" -> ops.sub(a, b, out);
          case "mul" -> ops.mul(a, b, out);
          default -> ops.div(a, b, out);
        }
        for (int i = 0; i < size; i += step) {
          double x = a[i];
          double y = b[i];
          double expected =
              switch (kernel) {
                case "add" -> x + y;
                case "sub" -> x - y;
                case "mul" -> x * y;
                default -> x / y;
              };
          Checks.nearAt(mode.name(), kernel, i, out[i], expected, Math.ulp(out[i]));
        }
      }
      case "scale" -> {
        ops.scale(alpha, a, out);
        for (int i = 0; i < size; i += step) {
          Checks.nearAt(mode.name(), kernel, i, out[i], alpha * a[i], Math.ulp(out[i]));
        }
      }
      case "axpy" -> {
        double[] y = c.clone();
        ops.axpy(alpha, a, y);
        for (int i = 0; i < size; i += step) {
          Checks.nearAt(mode.name(), kernel, i, y[i], alpha * a[i] + c[i], 2 * Math.ulp(y[i]));
        }
      }
      case "fma" -> {
        ops.fma(a, b, c, out);
        for (int i = 0; i < size; i += step) {
          Checks.nearAt(mode.name(), kernel, i, out[i], Math.fma(a[i], b[i], c[i]), 0);
        }
      }
      case "exp" -> {
        ops.exp(a, out);
        for (int i = 0; i < size; i += step) {
          double expected = Math.exp(a[i]);
          Checks.nearAt(mode.name(), kernel, i, out[i], expected, 2 * Math.ulp(expected));
        }
      }
      // ======== MAPS checks
      // (section maps)

      // ======== STATISTICS checks
      // (section statistics)

      // ======== SCAN AND HISTOGRAM checks
      // (section scan)
      case "prefixSum" -> {
        ops.prefixSum(a, out);
        double run = 0;
        double magnitude = 0;
        for (int i = 0; i < size; i++) {
          run += a[i];
          magnitude += Math.abs(a[i]);
          Checks.nearAt(mode.name(), kernel, i, out[i], run, 1e-12 * magnitude);
        }
      }
      case "histogram" -> {
        // A naive double reference: it could misplace only a value within 1e-15 of an edge.
        long[] expected = new long[HISTOGRAM_BINS];
        for (double x : a) {
          expected[(int) Math.floor((x - histogramLo) * HISTOGRAM_BINS / 2)]++;
        }
        Histogram h = ops.histogram(a, histogramLo, histogramHi, HISTOGRAM_BINS);
        for (int k = 0; k < HISTOGRAM_BINS; k++) {
          Checks.nearAt(mode.name(), kernel, k, h.count(k), expected[k], 0);
        }
        Checks.near(mode.name(), kernel + " outside", h.below() + h.above() + h.nan(), 0, 0);
      }

      // ======== end of families checks

      default -> throw new IllegalStateException("no check for kernel " + kernel);
    }
  }
}
