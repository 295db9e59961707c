package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Mode;
import dev.flynn.kernels.Comparison;
import java.math.BigInteger;
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
 * Every long kernel of the engine, in one mode, at one size, with one pool size, plus the plain
 * loops ({@code plainXxx}) that C2 is given for the same work: the yardstick of each vector kernel.
 * The rules of {@link FloatKernelBenchmark} hold: inputs in non-final state fields, results
 * returned, one fork per configuration, and the timed kernel alone checked in set-up against a
 * reference computed here (exact: integer kernels have no rounding).
 *
 * <p>{@code ./flynn bench --types long} runs its kernels (the plain loops are for {@code ./flynn
 * jmh}); the report labels them {@code sum (long)} and counts elements per second.
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
public class LongKernelBenchmark {

  /** Elements per array: L1, L2, last-level cache, DRAM, and an odd size whose tail is measured. */
  @Param({"4096", "65536", "1048576", "16777216", "65543"})
  public int size;

  @Param({"SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO"})
  public Mode mode;

  /** Threads sharing a pooled call; 0 means one per available processor. */
  @Param("0")
  public int threads;

  /** Non-final so that the JIT cannot fold them. */
  public long lo = -(1 << 20);

  public long hi = 1 << 20;

  public long threshold = 0;

  private Flynn flynn;
  private FlynnOps ops;
  private long[] a;
  private long[] b;
  private long[] out;
  private long[] prefix;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    SplittableRandom random = new SplittableRandom(42);
    a = new long[size];
    b = new long[size];
    out = new long[size];
    prefix = new long[size];
    for (int i = 0; i < size; i++) {
      a[i] = random.nextLong(-(1L << 40), 1L << 40);
      b[i] = random.nextLong(-(1L << 40), 1L << 40);
    }
    String benchmark = params.getBenchmark();
    verify(benchmark.substring(benchmark.lastIndexOf('.') + 1));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public long sum() {
    return ops.sum(a);
  }

  @Benchmark
  public long min() {
    return ops.min(a);
  }

  @Benchmark
  public long max() {
    return ops.max(a);
  }

  @Benchmark
  public int argmin() {
    return ops.argmin(a);
  }

  @Benchmark
  public int argmax() {
    return ops.argmax(a);
  }

  @Benchmark
  public long count() {
    return ops.count(a, Comparison.GREATER, threshold);
  }

  @Benchmark
  public long[] add() {
    ops.add(a, b, out);
    return out;
  }

  @Benchmark
  public long[] sub() {
    ops.sub(a, b, out);
    return out;
  }

  @Benchmark
  public long[] mul() {
    ops.mul(a, b, out);
    return out;
  }

  @Benchmark
  public long[] neg() {
    ops.neg(a, out);
    return out;
  }

  @Benchmark
  public long[] abs() {
    ops.abs(a, out);
    return out;
  }

  @Benchmark
  public long[] minimum() {
    ops.minimum(a, b, out);
    return out;
  }

  @Benchmark
  public long[] maximum() {
    ops.maximum(a, b, out);
    return out;
  }

  @Benchmark
  public long[] clamp() {
    ops.clamp(a, lo, hi, out);
    return out;
  }

  @Benchmark
  public long[] prefixSum() {
    ops.prefixSum(a, prefix);
    return prefix;
  }

  // ---------------------------------------------------------------- plain loops, one thread

  /**
   * The plain loop C2 is given for {@code sum}: a wrapping {@code s += a[i]}, which does not check
   * for overflow; Flynn's exact sum does, and this is what the check costs.
   */
  @Benchmark
  public long plainSum() {
    long s = 0;
    for (long x : a) {
      s += x;
    }
    return s;
  }

  /** The plain loop for {@code add}, which C2 auto-vectorises. */
  @Benchmark
  public long[] plainAdd() {
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  /** The plain loop for {@code scan} (no overflow check). */
  @Benchmark
  public long[] plainScan() {
    long s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i];
      prefix[i] = s;
    }
    return prefix;
  }

  /**
   * Refuses to time a kernel whose answer is wrong: a fast wrong answer is not a result. Only the
   * kernel this fork times runs here.
   */
  private void verify(String kernel) {
    switch (kernel) {
      case "sum", "plainSum" -> {
        BigInteger expected = BigInteger.ZERO;
        for (long x : a) {
          expected = expected.add(BigInteger.valueOf(x));
        }
        long actual = kernel.equals("sum") ? ops.sum(a) : plainSum();
        Checks.near(mode.name(), kernel, actual, expected.longValueExact(), 0);
      }
      case "min", "max" -> {
        long expected = a[0];
        for (long x : a) {
          expected = kernel.equals("min") ? Math.min(expected, x) : Math.max(expected, x);
        }
        Checks.near(
            mode.name(), kernel, kernel.equals("min") ? ops.min(a) : ops.max(a), expected, 0);
      }
      case "argmin", "argmax" -> {
        int expected = 0;
        for (int i = 1; i < size; i++) {
          boolean better = kernel.equals("argmin") ? a[i] < a[expected] : a[i] > a[expected];
          expected = better ? i : expected;
        }
        int actual = kernel.equals("argmin") ? ops.argmin(a) : ops.argmax(a);
        Checks.near(mode.name(), kernel, actual, expected, 0);
      }
      case "count" -> {
        long expected = 0;
        for (long x : a) {
          expected += x > threshold ? 1 : 0;
        }
        Checks.near(mode.name(), kernel, count(), expected, 0);
      }
      case "add", "sub", "mul", "neg", "abs", "minimum", "maximum", "clamp", "plainAdd" -> {
        switch (kernel) {
          case "add" -> add();
          case "sub" -> sub();
          case "mul" -> mul();
          case "neg" -> neg();
          case "abs" -> abs();
          case "minimum" -> minimum();
          case "maximum" -> maximum();
          case "clamp" -> clamp();
          default -> plainAdd();
        }
        for (int i = 0; i < size; i++) {
          long x = a[i];
          long y = b[i];
          long expected =
              switch (kernel) {
                case "add", "plainAdd" -> x + y;
                case "sub" -> x - y;
                case "mul" -> x * y;
                case "neg" -> -x;
                case "abs" -> Math.abs(x);
                case "minimum" -> Math.min(x, y);
                case "maximum" -> Math.max(x, y);
                default -> Math.min(Math.max(x, lo), hi);
              };
          if (out[i] != expected) {
            throw new IllegalStateException(
                mode + " " + kernel + " gave " + out[i] + " at [" + i + "], expected " + expected);
          }
        }
      }
      case "prefixSum", "plainScan" -> {
        if (kernel.equals("prefixSum")) {
          prefixSum();
        } else {
          plainScan();
        }
        long s = 0;
        for (int i = 0; i < size; i++) {
          s += a[i];
          if (prefix[i] != s) {
            throw new IllegalStateException(
                mode + " " + kernel + " gave " + prefix[i] + " at [" + i + "], expected " + s);
          }
        }
      }
      default -> throw new IllegalStateException("no check for kernel " + kernel);
    }
  }
}
