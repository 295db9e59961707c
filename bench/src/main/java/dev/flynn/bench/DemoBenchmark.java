package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
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

/**
 * The demo's benchmark: {@code sum}, {@code dot}, {@code axpy} and {@code exp} on float arrays, in
 * one mode, at one size. Follows the JMH samples' rules: inputs live in non-final state fields,
 * results are returned (so JMH consumes them), no loop inside a benchmark, one fork per
 * configuration with a fixed heap. Each kernel's answer is checked against a naive loop before
 * timing starts.
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
      "-Xms1g",
      "-Xmx1g"
    })
public class DemoBenchmark {

  /** Elements per array. The defaults sit in L1, in L2, and far beyond the last-level cache. */
  @Param({"4096", "65536", "16777216"})
  public int size;

  @Param({"SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO"})
  public Mode mode;

  /** Pool threads; 0 means one per available processor. */
  @Param("0")
  public int threads;

  /** Non-final, so the JIT cannot fold it. */
  public float alpha = 1e-3f;

  private Flynn flynn;
  private FlynnOps ops;
  private float[] x;
  private float[] y;
  private float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    SplittableRandom random = new SplittableRandom(42);
    x = new float[size];
    y = new float[size];
    out = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
      y[i] = (float) (random.nextDouble() * 2 - 1);
    }
    verify();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public float sum() {
    return ops.sum(x);
  }

  @Benchmark
  public float dot() {
    return ops.dot(x, y);
  }

  @Benchmark
  public float[] axpy() {
    ops.axpy(alpha, x, y);
    return y;
  }

  @Benchmark
  public float[] exp() {
    ops.exp(x, out);
    return out;
  }

  /** Refuses to time a kernel whose answer is wrong: a fast wrong answer is not a result. */
  private void verify() {
    double sum = 0;
    double dot = 0;
    double magnitude = 0;
    for (int i = 0; i < size; i++) {
      sum += x[i];
      dot += (double) x[i] * y[i];
      magnitude += Math.abs(x[i]);
    }
    double tolerance = 1e-4 * magnitude + 1e-6;
    Checks.near(mode.name(), "sum", ops.sum(x), sum, tolerance);
    Checks.near(mode.name(), "dot", ops.dot(x, y), dot, tolerance);
    ops.exp(x, out);
    for (int i = 0; i < size; i += Math.max(1, size / 1000)) {
      double expected = Math.exp(x[i]);
      Checks.nearAt(mode.name(), "exp", i, out[i], expected, 2 * Math.ulp((float) expected));
    }
  }
}
