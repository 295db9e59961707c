package dev.flynn.bench;

import static java.util.Map.entry;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Mode;
import java.util.Arrays;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/** Flynn itself, as the peer benchmarks see it: every kernel, in SIMD and in AUTO mode. */
public class FlynnPeerBenchmark extends PeerBenchmark {

  /** {@code flynn-SIMD}: vector lanes on the calling thread; {@code flynn-AUTO}: Flynn's choice. */
  @Param({"flynn-SIMD", "flynn-AUTO"})
  public String peer;

  /**
   * Pool threads, which only {@code flynn-AUTO} may use; 0 means one per available processor, the
   * engine's default.
   */
  @Param("0")
  public int threads;

  private Flynn flynn;
  private BenchData data;
  private FlynnOps ops;
  private float[] x;
  private float[] y;
  private float[] out;
  private float[] query;
  private float[] scores;
  private int rows;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    prepare();
    checkTimedKernel(params.getBenchmark());
  }

  /** The trial's data and state, without the check (the tests run every check after it). */
  void prepare() {
    if (!peer.startsWith("flynn-")) {
      throw new IllegalArgumentException(
          "this benchmark measures flynn-<mode>, not " + peer + ": choose peers by class name");
    }
    Mode mode = Mode.valueOf(peer.substring("flynn-".length()));
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    data = BenchData.generate(size);
    x = data.x();
    y = data.y();
    out = new float[size];

    if (size >= SimilarityChecks.DIM) {
      rows = SimilarityChecks.rows(size);
      query = Arrays.copyOf(y, SimilarityChecks.DIM);
      scores = new float[rows];
    }
  }

  @Override
  Map<String, Runnable> checks() {
    return Map.ofEntries(
        entry("sum", () -> data.checkSum(peer, ops.sum(x))),
        entry("dot", () -> data.checkDot(peer, ops.dot(x, y))),
        entry(
            "axpy",
            () -> {
              float[] scratch = data.y(); // axpy writes y: check it on a copy
              ops.axpy(alpha, x, scratch);
              data.checkAxpy(peer, alpha, scratch);
            }),
        entry("exp", () -> data.checkExp(peer, exp())),
        entry("scale", () -> data.checkScale(peer, scaleAlpha, scale())),
        entry("add", () -> data.checkAdd(peer, add())),
        entry("mul", () -> data.checkMul(peer, mul())),
        entry("norm2", () -> data.checkNorm2(peer, norm2())),
        entry("argmax", () -> data.checkArgmax(peer, argmax())),
        entry("mean", () -> data.checkMean(peer, mean())),
        entry("sampleVariance", () -> data.checkSampleVariance(peer, sampleVariance())),
        entry("standardDeviation", () -> data.checkStandardDeviation(peer, standardDeviation())),
        entry("cosine", () -> SimilarityChecks.cosine(peer, x, y, cosine())),
        entry(
            "squaredDistance",
            () -> SimilarityChecks.squaredDistance(peer, x, y, squaredDistance())),
        entry(
            "dotScores",
            () ->
                SimilarityChecks.scores(
                    peer, "dotScores", query, x, rows, SimilarityChecks.DIM, dotScores())),
        entry("prefixSum", () -> data.checkPrefixSum(peer, prefixSum())));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
  }

  @Benchmark
  public float cosine() {
    return ops.cosine(x, y);
  }

  @Benchmark
  public float squaredDistance() {
    return ops.squaredDistance(x, y);
  }

  /** The first size / 128 rows of 128 elements of x against the first 128 elements of y. */
  @Benchmark
  public float[] dotScores() {
    ops.dotScores(query, 0, x, 0, rows, SimilarityChecks.DIM, SimilarityChecks.DIM, scores, 0);
    return scores;
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

  @Benchmark
  public float[] scale() {
    ops.scale(scaleAlpha, x, out);
    return out;
  }

  @Benchmark
  public float[] add() {
    ops.add(x, y, out);
    return out;
  }

  @Benchmark
  public float[] mul() {
    ops.mul(x, y, out);
    return out;
  }

  @Benchmark
  public float norm2() {
    return ops.norm2(x);
  }

  @Benchmark
  public int argmax() {
    return ops.argmax(x);
  }

  @Benchmark
  public float mean() {
    return ops.mean(x);
  }

  @Benchmark
  public float sampleVariance() {
    return ops.sampleVariance(x);
  }

  @Benchmark
  public float standardDeviation() {
    return ops.standardDeviation(x);
  }

  @Benchmark
  public float[] prefixSum() {
    ops.prefixSum(x, out);
    return out;
  }
}
