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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Flynn's {@code gemm} and {@code gemv}, float and double, in one mode, on one shape, with one pool
 * size. {@code gemm} computes {@code C = A B} ({@code alpha = 1}, {@code beta = 0}) on row-major
 * {@code m x k} and {@code k x n} matrices; {@code gemv} computes {@code y = A x} with the {@code m
 * x k} matrix. GFLOPS are {@code 2 m n k / time} ({@code 2 m k / time} for gemv). {@link
 * Nd4jGemmBenchmark} times ND4J on the same shapes and data.
 *
 * <p>The timed method's answer is checked before timing starts, on 64 elements against a dot
 * product in {@code double} computed here, with the error bound of {@code FlynnOps.gemm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xms2g",
      "-Xmx2g"
    })
public class GemmBenchmark {

  /** {@code m x n x k}: squares from L1-sized to far beyond L2, and a wide one with a short k. */
  @Param({"64x64x64", "256x256x256", "1024x1024x1024", "2048x2048x2048", "300x3000x200"})
  public String shape;

  @Param({"SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO"})
  public Mode mode;

  /** Threads sharing a pooled call; 0 means one per available processor. */
  @Param({"1", "2"})
  public int threads;

  private Flynn flynn;
  private FlynnOps ops;
  GemmData data;
  private float[] c;
  private double[] cd;
  private float[] y;
  private double[] yd;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    data = GemmData.of(shape);
    c = new float[data.m() * data.n()];
    cd = new double[data.m() * data.n()];
    y = new float[data.m()];
    yd = new double[data.m()];
    String benchmark = params.getBenchmark();
    switch (benchmark.substring(benchmark.lastIndexOf('.') + 1)) {
      case "gemm" -> data.checkGemm("flynn " + mode, gemm());
      case "gemmDouble" -> data.checkGemm("flynn " + mode, gemmDouble());
      case "gemv" -> data.checkGemv("flynn " + mode, gemv());
      case "gemvDouble" -> data.checkGemv("flynn " + mode, gemvDouble());
      default -> throw new IllegalStateException("no check for " + benchmark);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public float[] gemm() {
    ops.gemm(data.m(), data.n(), data.k(), 1f, data.a(), data.b(), 0f, c);
    return c;
  }

  @Benchmark
  public double[] gemmDouble() {
    ops.gemm(data.m(), data.n(), data.k(), 1.0, data.ad(), data.bd(), 0.0, cd);
    return cd;
  }

  @Benchmark
  public float[] gemv() {
    ops.gemv(data.m(), data.k(), 1f, data.a(), data.x(), 0f, y);
    return y;
  }

  @Benchmark
  public double[] gemvDouble() {
    ops.gemv(data.m(), data.k(), 1.0, data.ad(), data.xd(), 0.0, yd);
    return yd;
  }

  /**
   * Seeded inputs for one shape, and the checks of an answer. {@code a} is {@code m x k}, {@code b}
   * is {@code k x n}, {@code x} has {@code k} elements; values uniform in [-1, 1).
   */
  record GemmData(
      int m, int n, int k, float[] a, float[] b, float[] x, double[] ad, double[] bd, double[] xd) {

    static GemmData of(String shape) {
      String[] parts = shape.split("x");
      if (parts.length != 3) {
        throw new IllegalArgumentException("shape must be m x n x k, like 64x64x64: " + shape);
      }
      int m = Integer.parseInt(parts[0]);
      int n = Integer.parseInt(parts[1]);
      int k = Integer.parseInt(parts[2]);
      SplittableRandom random = new SplittableRandom(42);
      float[] a = new float[m * k];
      float[] b = new float[k * n];
      float[] x = new float[k];
      for (float[] array : new float[][] {a, b, x}) {
        for (int i = 0; i < array.length; i++) {
          array[i] = (float) (random.nextDouble() * 2 - 1);
        }
      }
      return new GemmData(m, n, k, a, b, x, toDoubles(a), toDoubles(b), toDoubles(x));
    }

    private static double[] toDoubles(float[] f) {
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }

    /** Checks 64 seeded elements of {@code C = A B}, float or double, against double dots. */
    void checkGemm(String who, Object c) {
      SplittableRandom random = new SplittableRandom(7);
      for (int t = 0; t < 64; t++) {
        int i = random.nextInt(m);
        int j = random.nextInt(n);
        double s = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double prod = (double) a[i * k + p] * b[p * n + j];
          s += prod;
          abs += Math.abs(prod);
        }
        check(who, "C", i * n + j, c, s, abs);
      }
    }

    /** Checks every element of {@code y = A x} against double dots. */
    void checkGemv(String who, Object y) {
      for (int i = 0; i < m; i++) {
        double s = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double prod = (double) a[i * k + p] * x[p];
          s += prod;
          abs += Math.abs(prod);
        }
        check(who, "y", i, y, s, abs);
      }
    }

    /** Within {@code (k + 2L + 3) u} relative to {@code sum |a b|}, L up to 16 lanes. */
    private void check(String who, String name, int index, Object out, double s, double abs) {
      boolean isFloat = out instanceof float[];
      double got = isFloat ? ((float[]) out)[index] : ((double[]) out)[index];
      double u = isFloat ? 0x1p-24 : 0x1p-53;
      // The double data are floats, so a double dot of them is as exact as this reference.
      double bound = (k + 35) * u * abs + 0x1p-50 * abs;
      if (!(Math.abs(got - s) <= bound)) {
        throw new IllegalStateException(
            who
                + ": "
                + name
                + "["
                + index
                + "] = "
                + got
                + ", expected "
                + s
                + " within "
                + bound);
      }
    }
  }
}
