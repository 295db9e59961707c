package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Mode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

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
  private FlynnOps ops;
  private float[] x;
  private float[] y;
  private float[] out;
  private float[] query;
  private float[] scores;
  private int rows;

  @Setup(Level.Trial)
  public void setUp() {
    if (!peer.startsWith("flynn-")) {
      throw new IllegalArgumentException(
          "this benchmark measures flynn-<mode>, not " + peer + ": choose peers by class name");
    }
    Mode mode = Mode.valueOf(peer.substring("flynn-".length()));
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    BenchData data = BenchData.generate(size);
    x = data.x();
    y = data.y();
    out = new float[size];

    float[] scratch = data.y(); // axpy writes y: check it on a copy
    ops.axpy(alpha, x, scratch);
    data.checkAxpy(peer, alpha, scratch);
    data.checkSum(peer, ops.sum(x));
    data.checkDot(peer, ops.dot(x, y));
    ops.exp(x, out);
    data.checkExp(peer, out);
    ops.scale(scaleAlpha, x, out);
    data.checkScale(peer, scaleAlpha, out);
    ops.add(x, y, out);
    data.checkAdd(peer, out);
    ops.mul(x, y, out);
    data.checkMul(peer, out);
    if (size > 1) { // the statistics need elements (the sample variance two)
      data.checkNorm2(peer, ops.norm2(x));
      data.checkArgmax(peer, ops.argmax(x));
      data.checkMean(peer, ops.mean(x));
      data.checkSampleVariance(peer, ops.sampleVariance(x));
      data.checkStandardDeviation(peer, ops.standardDeviation(x));
    }
    if (size > 0) {
      SimilarityChecks.cosine(peer, x, y, ops.cosine(x, y));
    }
    SimilarityChecks.squaredDistance(peer, x, y, ops.squaredDistance(x, y));
    if (size >= SimilarityChecks.DIM) {
      rows = SimilarityChecks.rows(size);
      query = java.util.Arrays.copyOf(y, SimilarityChecks.DIM);
      scores = new float[rows];
      dotScores();
      SimilarityChecks.scores(peer, "dotScores", query, x, rows, SimilarityChecks.DIM, scores);
    }
    ops.prefixSum(x, out);
    data.checkPrefixSum(peer, out);
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
