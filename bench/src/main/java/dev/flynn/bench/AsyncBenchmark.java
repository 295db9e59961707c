package dev.flynn.bench;

import dev.flynn.engine.AsyncFlynnOps;
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
 * What an asynchronous call costs: a blocking {@code sum} against the same call through {@code
 * flynn.async()} and {@code join()} (the hand-off to the pool and back), and two independent sums
 * one after the other against two asynchronous sums composed with {@code thenCombine} (which may
 * run side by side on the pool). At a small size the difference is the overhead; at a large one it
 * disappears behind the work, and composition can win by overlapping the calls. Each answer is
 * checked against a naive loop before timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
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
public class AsyncBenchmark {

  /** Elements per array: in L1, and far beyond the last-level cache. */
  @Param({"4096", "16777216"})
  public int size;

  @Param({"SIMD", "AUTO"})
  public Mode mode;

  /** Pool threads; 0 means one per available processor. */
  @Param("0")
  public int threads;

  private Flynn flynn;
  private FlynnOps ops;
  private AsyncFlynnOps async;
  private float[] x;
  private float[] y;

  @Setup(Level.Trial)
  public void setUp() {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    async = ops.async();
    SplittableRandom random = new SplittableRandom(42);
    x = new float[size];
    y = new float[size];
    double sx = 0;
    double sy = 0;
    double magnitude = 0;
    for (int i = 0; i < size; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
      y[i] = (float) (random.nextDouble() * 2 - 1);
      sx += x[i];
      sy += y[i];
      magnitude += Math.abs(x[i]) + Math.abs(y[i]);
    }
    double tolerance = 1e-4 * magnitude + 1e-6;
    Checks.near(mode.name(), "blockingSum", blockingSum(), sx, tolerance);
    Checks.near(mode.name(), "asyncSum", asyncSum(), sx, tolerance);
    Checks.near(mode.name(), "blockingTwoSums", blockingTwoSums(), sx + sy, tolerance);
    Checks.near(mode.name(), "asyncTwoSumsComposed", asyncTwoSumsComposed(), sx + sy, tolerance);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public float blockingSum() {
    return ops.sum(x);
  }

  @Benchmark
  public float asyncSum() {
    return async.sum(x).join();
  }

  @Benchmark
  public float blockingTwoSums() {
    return ops.sum(x) + ops.sum(y);
  }

  @Benchmark
  public float asyncTwoSumsComposed() {
    return async.sum(x).thenCombine(async.sum(y), Float::sum).join();
  }
}
