package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Mode;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.SimilarityKernels;
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
 * One query against every row of a row-major matrix, the loop vector databases spend their time in:
 * {@code dotScores}, {@code cosineScores} and {@code squaredDistanceScores} at shapes {@code rows x
 * dim} of real embedding stores, in one mode, for float or double. {@code cosineScoresRowByRow}
 * times the SIMD cosine kernel called for one row at a time (the same per-row arithmetic without
 * the four-row register blocking, so with two loads per two multiply-adds instead of five per
 * eight): the ratio to {@code cosineScores} in SIMD mode is what the blocking buys. Scores are
 * checked against naive double loops before timing.
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
public class SimilarityBenchmark {

  /** {@code rows x dim}: 5 MB and 51 MB of float embeddings of 128, and 1000 of 768. */
  @Param({"10000x128", "100000x128", "1000x768"})
  public String shape;

  @Param({"SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO"})
  public Mode mode;

  /** {@code float} or {@code double} elements. */
  @Param({"float", "double"})
  public String type;

  /** Threads sharing a pooled call; 0 means one per available processor. */
  @Param("0")
  public int threads;

  private Flynn flynn;
  private FlynnOps ops;
  private SimilarityKernels rowByRow;
  private int rows;
  private int dim;
  private boolean doubles;
  private float[] queryF;
  private float[] matrixF;
  private float[] scoresF;
  private double[] queryD;
  private double[] matrixD;
  private double[] scoresD;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String[] parts = shape.split("x");
    rows = Integer.parseInt(parts[0]);
    dim = Integer.parseInt(parts[1]);
    doubles =
        switch (type) {
          case "float" -> false;
          case "double" -> true;
          default -> throw new IllegalArgumentException("type is float or double, not " + type);
        };
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    rowByRow = Kernels.vectorSimilarity();
    SplittableRandom random = new SplittableRandom(42);
    queryF = new float[dim];
    matrixF = new float[rows * dim];
    scoresF = new float[rows];
    for (int i = 0; i < dim; i++) {
      queryF[i] = (float) (random.nextDouble() * 2 - 1);
    }
    for (int i = 0; i < matrixF.length; i++) {
      matrixF[i] = (float) (random.nextDouble() * 2 - 1);
    }
    if (doubles) {
      queryD = toDoubles(queryF);
      matrixD = toDoubles(matrixF);
      scoresD = new double[rows];
      matrixF = null;
    }
    String benchmark = params.getBenchmark();
    String kernel = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    run(kernel);
    String checked = kernel.equals("cosineScoresRowByRow") ? "cosineScores" : kernel;
    if (doubles) {
      SimilarityChecks.scores(mode.name(), checked, queryD, matrixD, rows, dim, scoresD);
    } else {
      SimilarityChecks.scores(mode.name(), checked, queryF, matrixF, rows, dim, scoresF);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public Object dotScores() {
    if (doubles) {
      ops.dotScores(queryD, matrixD, rows, dim, scoresD);
      return scoresD;
    }
    ops.dotScores(queryF, matrixF, rows, dim, scoresF);
    return scoresF;
  }

  @Benchmark
  public Object cosineScores() {
    if (doubles) {
      ops.cosineScores(queryD, matrixD, rows, dim, scoresD);
      return scoresD;
    }
    ops.cosineScores(queryF, matrixF, rows, dim, scoresF);
    return scoresF;
  }

  @Benchmark
  public Object squaredDistanceScores() {
    if (doubles) {
      ops.squaredDistanceScores(queryD, matrixD, rows, dim, scoresD);
      return scoresD;
    }
    ops.squaredDistanceScores(queryF, matrixF, rows, dim, scoresF);
    return scoresF;
  }

  /** The SIMD cosine kernel, one row per call, on the calling thread (whatever the mode). */
  @Benchmark
  public Object cosineScoresRowByRow() {
    if (doubles) {
      for (int r = 0; r < rows; r++) {
        rowByRow.cosineScores(queryD, 0, matrixD, r * dim, 1, dim, dim, scoresD, r);
      }
      return scoresD;
    }
    for (int r = 0; r < rows; r++) {
      rowByRow.cosineScores(queryF, 0, matrixF, r * dim, 1, dim, dim, scoresF, r);
    }
    return scoresF;
  }

  private void run(String kernel) {
    switch (kernel) {
      case "dotScores" -> dotScores();
      case "cosineScores" -> cosineScores();
      case "squaredDistanceScores" -> squaredDistanceScores();
      case "cosineScoresRowByRow" -> cosineScoresRowByRow();
      default -> throw new IllegalStateException("no check for kernel " + kernel);
    }
  }

  private static double[] toDoubles(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }
}
