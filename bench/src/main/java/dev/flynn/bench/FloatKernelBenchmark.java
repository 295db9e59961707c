package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Histogram;
import dev.flynn.engine.Mode;
import dev.flynn.kernels.Comparison;
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
 * Every float kernel of the engine, in one mode, at one size, with one pool size: the suite behind
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
      "-Xms2g",
      "-Xmx2g"
    })
public class FloatKernelBenchmark {

  /** Elements per array: L1, L2, last-level cache, DRAM, and an odd size whose tail is measured. */
  @Param({"4096", "65536", "1048576", "16777216", "65543"})
  public int size;

  @Param({"SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO"})
  public Mode mode;

  /** Threads sharing a pooled call; 0 means one per available processor. */
  @Param("0")
  public int threads;

  /** Non-final so that the JIT cannot fold it. */
  public float alpha = 1e-3f;

  /** The threshold of {@code count}: about 40% of the uniform [-1, 1) data lie above it. */
  public float countThreshold = 0.2f;

  private Flynn flynn;
  private FlynnOps ops;
  private float[] a;
  private float[] b;
  private float[] c;
  private float[] out;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    SplittableRandom random = new SplittableRandom(42);
    a = new float[size];
    b = new float[size];
    c = new float[size];
    out = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = (float) (random.nextDouble() * 2 - 1);
      // Away from zero, so that div measures division and not special cases.
      b[i] = (float) (0.5 + random.nextDouble());
      c[i] = (float) (random.nextDouble() * 2 - 1);
    }
    String benchmark = params.getBenchmark();
    verify(benchmark.substring(benchmark.lastIndexOf('.') + 1));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public float sum() {
    return ops.sum(a);
  }

  @Benchmark
  public float dot() {
    return ops.dot(a, b);
  }

  @Benchmark
  public float min() {
    return ops.min(a);
  }

  @Benchmark
  public float max() {
    return ops.max(a);
  }

  @Benchmark
  public float[] add() {
    ops.add(a, b, out);
    return out;
  }

  @Benchmark
  public float[] sub() {
    ops.sub(a, b, out);
    return out;
  }

  @Benchmark
  public float[] mul() {
    ops.mul(a, b, out);
    return out;
  }

  @Benchmark
  public float[] div() {
    ops.div(a, b, out);
    return out;
  }

  @Benchmark
  public float[] scale() {
    ops.scale(alpha, a, out);
    return out;
  }

  @Benchmark
  public float[] axpy() {
    ops.axpy(alpha, a, c);
    return c;
  }

  @Benchmark
  public float[] fma() {
    ops.fma(a, b, c, out);
    return out;
  }

  @Benchmark
  public float[] exp() {
    ops.exp(a, out);
    return out;
  }

  // ======== MAPS benchmarks
  // (section maps)

  /**
   * Bounds of clamp, threshold and comparison of select: non-final, so the JIT cannot fold them.
   */
  public float clampLo = -0.5f;

  public float clampHi = 0.5f;

  public float threshold = 0f;

  public Comparison comparison = Comparison.GREATER;

  /** convert's output and convertInts' input, allocated by their checks only. */
  private double[] converted;

  private int[] ints;

  @Benchmark
  public float[] neg() {
    ops.neg(a, out);
    return out;
  }

  @Benchmark
  public float[] abs() {
    ops.abs(a, out);
    return out;
  }

  @Benchmark
  public float[] sqrt() {
    ops.sqrt(b, out);
    return out;
  }

  @Benchmark
  public float[] log() {
    ops.log(b, out);
    return out;
  }

  @Benchmark
  public float[] tanh() {
    ops.tanh(a, out);
    return out;
  }

  @Benchmark
  public float[] sigmoid() {
    ops.sigmoid(a, out);
    return out;
  }

  @Benchmark
  public float[] relu() {
    ops.relu(a, out);
    return out;
  }

  @Benchmark
  public float[] clamp() {
    ops.clamp(a, clampLo, clampHi, out);
    return out;
  }

  @Benchmark
  public float[] minimum() {
    ops.minimum(a, c, out);
    return out;
  }

  @Benchmark
  public float[] maximum() {
    ops.maximum(a, c, out);
    return out;
  }

  @Benchmark
  public float[] select() {
    ops.select(a, comparison, threshold, b, c, out);
    return out;
  }

  @Benchmark
  public float[] selectPairwise() {
    ops.selectPairwise(a, comparison, c, b, c, out);
    return out;
  }

  /** float[] to double[]. */
  @Benchmark
  public double[] convert() {
    ops.toDouble(a, converted);
    return converted;
  }

  /** int[] to float[]. */
  @Benchmark
  public float[] convertInts() {
    ops.toFloat(ints, out);
    return out;
  }

  // ======== STATISTICS benchmarks
  // (section statistics)

  @Benchmark
  public int argmin() {
    return ops.argmin(a);
  }

  @Benchmark
  public int argmax() {
    return ops.argmax(a);
  }

  @Benchmark
  public float sumOfSquares() {
    return ops.sumOfSquares(a);
  }

  @Benchmark
  public float norm2() {
    return ops.norm2(a);
  }

  @Benchmark
  public float mean() {
    return ops.mean(a);
  }

  @Benchmark
  public float variance() {
    return ops.variance(a);
  }

  @Benchmark
  public float sampleVariance() {
    return ops.sampleVariance(a);
  }

  @Benchmark
  public float standardDeviation() {
    return ops.standardDeviation(a);
  }

  @Benchmark
  public long count() {
    return ops.count(a, Comparison.GREATER, countThreshold);
  }

  // ======== SCAN AND HISTOGRAM benchmarks
  // (section scan)

  // ======== SIMILARITY benchmarks
  // cosine and squaredDistance of a and b; the score kernels take the first size / 128 rows of 128
  // elements of a as the matrix and the first 128 elements of b as the query (set by verify, which
  // runs before timing).

  private float[] query;
  private float[] scores;
  private int rows;

  @Benchmark
  public float cosine() {
    return ops.cosine(a, b);
  }

  @Benchmark
  public float squaredDistance() {
    return ops.squaredDistance(a, b);
  }

  @Benchmark
  public float[] dotScores() {
    ops.dotScores(query, 0, a, 0, rows, SimilarityChecks.DIM, SimilarityChecks.DIM, scores, 0);
    return scores;
  }

  @Benchmark
  public float[] cosineScores() {
    ops.cosineScores(query, 0, a, 0, rows, SimilarityChecks.DIM, SimilarityChecks.DIM, scores, 0);
    return scores;
  }

  @Benchmark
  public float[] squaredDistanceScores() {
    ops.squaredDistanceScores(
        query, 0, a, 0, rows, SimilarityChecks.DIM, SimilarityChecks.DIM, scores, 0);
    return scores;
  }

  /** Bins of the histogram benchmark: a plot's resolution; the data fill all of [-1, 1). */
  private static final int HISTOGRAM_BINS = 100;

  /** Non-final, so that the JIT cannot fold them. */
  public float histogramLo = -1f;

  public float histogramHi = 1f;

  @Benchmark
  public float[] prefixSum() {
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
          double term = kernel.equals("sum") ? a[i] : (double) a[i] * b[i];
          expected += term;
          magnitude += Math.abs(term);
        }
        double actual = kernel.equals("sum") ? ops.sum(a) : ops.dot(a, b);
        Checks.near(mode.name(), kernel, actual, expected, 1e-4 * magnitude + 1e-6);
      }
      case "min", "max" -> {
        float expected = a[0];
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
          Checks.nearAt(mode.name(), kernel, i, out[i], (double) alpha * a[i], Math.ulp(out[i]));
        }
      }
      case "axpy" -> {
        float[] y = c.clone();
        ops.axpy(alpha, a, y);
        for (int i = 0; i < size; i += step) {
          Checks.nearAt(
              mode.name(), kernel, i, y[i], (double) alpha * a[i] + c[i], 2 * Math.ulp(y[i]));
        }
      }
      case "fma" -> {
        ops.fma(a, b, c, out);
        for (int i = 0; i < size; i += step) {
          Checks.nearAt(
              mode.name(), kernel, i, out[i], (double) a[i] * b[i] + c[i], Math.ulp(out[i]));
        }
      }
      case "exp" -> {
        ops.exp(a, out);
        for (int i = 0; i < size; i += step) {
          double expected = Math.exp(a[i]);
          Checks.nearAt(mode.name(), kernel, i, out[i], expected, 2 * Math.ulp((float) expected));
        }
      }
      // ======== MAPS checks
      // (section maps)

      case "neg", "abs", "relu", "clamp", "minimum", "maximum", "select", "selectPairwise" -> {
        switch (kernel) {
          case "neg" -> ops.neg(a, out);
          case "abs" -> ops.abs(a, out);
          case "relu" -> ops.relu(a, out);
          case "clamp" -> ops.clamp(a, clampLo, clampHi, out);
          case "minimum" -> ops.minimum(a, c, out);
          case "maximum" -> ops.maximum(a, c, out);
          case "select" -> ops.select(a, comparison, threshold, b, c, out);
          default -> ops.selectPairwise(a, comparison, c, b, c, out);
        }
        for (int i = 0; i < size; i += step) {
          double x = a[i];
          double expected =
              switch (kernel) {
                case "neg" -> -x;
                case "abs" -> x < 0 ? -x : x;
                case "relu" -> x > 0 ? x : 0;
                case "clamp" -> x < clampLo ? clampLo : x > clampHi ? clampHi : x;
                case "minimum" -> x < c[i] ? x : c[i];
                case "maximum" -> x > c[i] ? x : c[i];
                case "select" -> x > threshold ? b[i] : c[i];
                default -> x > c[i] ? b[i] : c[i];
              };
          Checks.nearAt(mode.name(), kernel, i, out[i], expected, 0);
        }
      }
      case "sqrt", "log", "tanh", "sigmoid" -> {
        float[] in = kernel.equals("sqrt") || kernel.equals("log") ? b : a;
        switch (kernel) {
          case "sqrt" -> ops.sqrt(in, out);
          case "log" -> ops.log(in, out);
          case "tanh" -> ops.tanh(in, out);
          default -> ops.sigmoid(in, out);
        }
        for (int i = 0; i < size; i += step) {
          double x = in[i];
          double expected =
              switch (kernel) {
                case "sqrt" -> Math.sqrt(x);
                case "log" -> Math.log(x);
                case "tanh" -> Math.tanh(x);
                default -> 1 / (1 + Math.exp(-x));
              };
          // within the documented bounds: 1, 1, 2.5 and 4 ulps, and the reference's own error
          Checks.nearAt(mode.name(), kernel, i, out[i], expected, 5 * Math.ulp((float) expected));
        }
      }
      case "convert" -> {
        converted = new double[size];
        ops.toDouble(a, converted);
        for (int i = 0; i < size; i += step) {
          Checks.nearAt(mode.name(), kernel, i, converted[i], a[i], 0);
        }
      }
      case "convertInts" -> {
        SplittableRandom random = new SplittableRandom(43);
        ints = new int[size];
        for (int i = 0; i < size; i++) {
          ints[i] = random.nextInt();
        }
        ops.toFloat(ints, out);
        for (int i = 0; i < size; i += step) {
          Checks.nearAt(mode.name(), kernel, i, out[i], ints[i], Math.ulp(out[i]) / 2);
        }
      }

      // ======== STATISTICS checks
      // (section statistics)
      case "argmin", "argmax" -> {
        int expected = 0;
        for (int i = 1; i < size; i++) {
          boolean better = kernel.equals("argmin") ? a[i] < a[expected] : a[i] > a[expected];
          expected = better ? i : expected;
        }
        int actual = kernel.equals("argmin") ? ops.argmin(a) : ops.argmax(a);
        Checks.near(mode.name(), kernel, actual, expected, 0);
      }
      case "sumOfSquares", "norm2" -> {
        double squares = 0;
        for (int i = 0; i < size; i++) {
          squares += (double) a[i] * a[i];
        }
        double expected = kernel.equals("norm2") ? Math.sqrt(squares) : squares;
        double actual = kernel.equals("norm2") ? ops.norm2(a) : ops.sumOfSquares(a);
        Checks.near(mode.name(), kernel, actual, expected, 1e-6 * expected);
      }
      case "mean", "variance", "sampleVariance", "standardDeviation" -> {
        double sum = 0;
        double magnitude = 0;
        for (int i = 0; i < size; i++) {
          sum += a[i];
          magnitude += Math.abs(a[i]);
        }
        double mean = sum / size;
        double squares = 0;
        for (int i = 0; i < size; i++) {
          squares += (a[i] - mean) * (a[i] - mean);
        }
        double expected =
            switch (kernel) {
              case "mean" -> mean;
              case "variance" -> squares / size;
              case "sampleVariance" -> squares / (size - 1);
              default -> Math.sqrt(squares / size);
            };
        double actual =
            switch (kernel) {
              case "mean" -> ops.mean(a);
              case "variance" -> ops.variance(a);
              case "sampleVariance" -> ops.sampleVariance(a);
              default -> ops.standardDeviation(a);
            };
        double tolerance = kernel.equals("mean") ? 1e-4 * magnitude / size : 1e-6 * expected;
        Checks.near(mode.name(), kernel, actual, expected, tolerance);
      }
      case "count" -> {
        long expected = 0;
        for (int i = 0; i < size; i++) {
          expected += a[i] > countThreshold ? 1 : 0;
        }
        Checks.near(
            mode.name(), kernel, ops.count(a, Comparison.GREATER, countThreshold), expected, 0);
      }

      // ======== SCAN AND HISTOGRAM checks
      // (section scan)
      case "prefixSum" -> {
        ops.prefixSum(a, out);
        double run = 0;
        double magnitude = 0;
        for (int i = 0; i < size; i++) {
          run += a[i];
          magnitude += Math.abs(a[i]);
          Checks.nearAt(
              mode.name(), kernel, i, out[i], run, 1e-5 * magnitude + Math.ulp((float) run));
        }
      }
      case "histogram" -> {
        // (x - lo) * 50 with lo = -1 is exact in double for every value here: an exact reference.
        long[] expected = new long[HISTOGRAM_BINS];
        for (float x : a) {
          expected[(int) Math.floor(((double) x - histogramLo) * HISTOGRAM_BINS / 2)]++;
        }
        Histogram h = ops.histogram(a, histogramLo, histogramHi, HISTOGRAM_BINS);
        for (int k = 0; k < HISTOGRAM_BINS; k++) {
          Checks.nearAt(mode.name(), kernel, k, h.count(k), expected[k], 0);
        }
        Checks.near(mode.name(), kernel + " outside", h.below() + h.above() + h.nan(), 0, 0);
      }

      // ======== SIMILARITY checks
      case "cosine" -> SimilarityChecks.cosine(mode.name(), a, b, ops.cosine(a, b));
      case "squaredDistance" ->
          SimilarityChecks.squaredDistance(mode.name(), a, b, ops.squaredDistance(a, b));
      case "dotScores", "cosineScores", "squaredDistanceScores" -> {
        rows = SimilarityChecks.rows(size);
        query = java.util.Arrays.copyOf(b, SimilarityChecks.DIM);
        scores = new float[rows];
        switch (kernel) {
          case "dotScores" -> dotScores();
          case "cosineScores" -> cosineScores();
          default -> squaredDistanceScores();
        }
        SimilarityChecks.scores(mode.name(), kernel, query, a, rows, SimilarityChecks.DIM, scores);
      }

      // ======== end of families checks

      default -> throw new IllegalStateException("no check for kernel " + kernel);
    }
  }
}
