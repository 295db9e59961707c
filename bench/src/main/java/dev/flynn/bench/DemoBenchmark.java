package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Mode;
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
 * configuration with a fixed heap. The data come from {@link BenchData}, which checks each kernel's
 * answer against a naive reference before timing starts.
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
    // The host JVM already logged the kernel choice; forks keep only warnings.
    java.util.logging.Logger.getLogger("dev.flynn.kernels")
        .setLevel(java.util.logging.Level.WARNING);
    flynn =
        Flynn.builder()
            .threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
            .build();
    ops = flynn.using(mode);
    BenchData data = BenchData.generate(size);
    x = data.x();
    y = data.y();
    out = new float[size];
    // Refuses to time a kernel whose answer is wrong: a fast wrong answer is not a result.
    data.checkSum(mode.name(), ops.sum(x));
    data.checkDot(mode.name(), ops.dot(x, y));
    ops.exp(x, out);
    data.checkExp(mode.name(), out);
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
}
