package dev.flynn.bench;

import static java.util.Map.entry;

import java.util.Arrays;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The honest baseline: the loop anyone would write, with no Flynn code, left to C2. C2
 * auto-vectorises the elementwise loops ({@code axpy}, {@code scale}, {@code add}, {@code mul}); it
 * keeps the float reductions ({@code sum}, {@code dot}) in order, one add after another, because
 * Java forbids reassociating them; {@code exp} calls {@link Math#exp} per element. One thread.
 */
public class PlainLoopPeerBenchmark extends PeerBenchmark {

  private static final String PEER = "plain-loop";

  @Param(PEER)
  public String peer;

  private BenchData data;
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
    requirePeer(peer, PEER);
    data = BenchData.generate(size);
    x = data.x();
    y = data.y();
    out = new float[size];

    positive = new float[size];
    wide = new double[size];
    ints = new int[size];
    java.util.SplittableRandom random = new java.util.SplittableRandom(BenchData.SEED + 1);
    for (int i = 0; i < size; i++) {
      positive[i] = Math.abs(x[i]) + 0.5f;
      ints[i] = random.nextInt();
    }
    if (size >= SimilarityChecks.DIM) {
      rows = SimilarityChecks.rows(size);
      query = Arrays.copyOf(y, SimilarityChecks.DIM);
      scores = new float[rows];
    }
  }

  @Override
  Map<String, Runnable> checks() {
    return Map.ofEntries(
        entry("sum", () -> data.checkSum(peer, sum())),
        entry("dot", () -> data.checkDot(peer, dot())),
        entry(
            "axpy",
            () -> {
              float[] scratch = data.y(); // axpy writes y: check it on a copy
              Loops.axpy(alpha, x, scratch);
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
        entry("prefixSum", () -> data.checkPrefixSum(peer, prefixSum())),
        entry("neg", () -> check("neg", () -> Loops.neg(x, out), i -> 0.0 - x[i], 0)),
        entry("abs", () -> check("abs", () -> Loops.abs(x, out), i -> x[i] < 0 ? -x[i] : x[i], 0)),
        entry(
            "sqrt",
            () ->
                check(
                    "sqrt",
                    () -> Loops.sqrt(positive, out),
                    i -> StrictMath.sqrt(positive[i]),
                    0.5)),
        entry(
            "log",
            () ->
                check("log", () -> Loops.log(positive, out), i -> StrictMath.log(positive[i]), 1)),
        entry("tanh", () -> check("tanh", () -> Loops.tanh(x, out), i -> StrictMath.tanh(x[i]), 1)),
        entry(
            "sigmoid",
            () ->
                check(
                    "sigmoid",
                    () -> Loops.sigmoid(x, out),
                    i -> 1 / (1 + StrictMath.exp(-x[i])),
                    1)),
        entry("relu", () -> check("relu", () -> Loops.relu(x, out), i -> x[i] > 0 ? x[i] : 0, 0)),
        entry(
            "clamp",
            () ->
                check(
                    "clamp",
                    () -> Loops.clamp(x, clampLo, clampHi, out),
                    i -> x[i] < clampLo ? clampLo : x[i] > clampHi ? clampHi : x[i],
                    0)),
        entry(
            "minimum",
            () ->
                check(
                    "minimum", () -> Loops.minimum(x, y, out), i -> x[i] < y[i] ? x[i] : y[i], 0)),
        entry(
            "maximum",
            () ->
                check(
                    "maximum", () -> Loops.maximum(x, y, out), i -> x[i] > y[i] ? x[i] : y[i], 0)),
        entry(
            "select",
            () ->
                check(
                    "select",
                    () -> Loops.select(x, y, positive, out),
                    i -> x[i] > 0 ? y[i] : positive[i],
                    0)),
        entry(
            "selectPairwise",
            () ->
                check(
                    "selectPairwise",
                    () -> Loops.selectPairwise(x, y, positive, out),
                    i -> x[i] > y[i] ? y[i] : positive[i],
                    0)),
        entry(
            "convertInts",
            () -> check("convertInts", () -> Loops.convertInts(ints, out), i -> ints[i], 0.5)),
        entry(
            "convert",
            () -> {
              Loops.convert(x, wide);
              for (int i = 0; i < size; i++) {
                Checks.nearAt(peer, "convert", i, wide[i], x[i], 0);
              }
            }));
  }

  @Benchmark
  public float sum() {
    return Loops.sum(x);
  }

  @Benchmark
  public float dot() {
    return Loops.dot(x, y);
  }

  @Benchmark
  public float[] axpy() {
    Loops.axpy(alpha, x, y);
    return y;
  }

  @Benchmark
  public float[] exp() {
    Loops.exp(x, out);
    return out;
  }

  @Benchmark
  public float[] scale() {
    Loops.scale(scaleAlpha, x, out);
    return out;
  }

  @Benchmark
  public float[] add() {
    Loops.add(x, y, out);
    return out;
  }

  @Benchmark
  public float[] mul() {
    Loops.mul(x, y, out);
    return out;
  }

  // ---------------------------------------------------------------- maps: the loops Flynn's
  // vector maps must beat (or be), checked against references written differently below

  /** The bounds of clamp; non-final, so the JIT cannot fold them. */
  public float clampLo = -0.5f;

  public float clampHi = 0.5f;

  private float[] positive; // |x| + 0.5: arguments for sqrt and log, the third array of select
  private double[] wide;
  private int[] ints;

  /** Runs {@code loop} into {@code out} and checks it within {@code ulps} of the reference. */
  private void check(
      String kernel, Runnable loop, java.util.function.IntToDoubleFunction reference, double ulps) {
    loop.run();
    for (int i = 0; i < size; i++) {
      double expected = reference.applyAsDouble(i);
      Checks.nearAt(peer, kernel, i, out[i], expected, ulps * Math.ulp((float) expected));
    }
  }

  @Benchmark
  public float[] neg() {
    Loops.neg(x, out);
    return out;
  }

  @Benchmark
  public float[] abs() {
    Loops.abs(x, out);
    return out;
  }

  @Benchmark
  public float[] sqrt() {
    Loops.sqrt(positive, out);
    return out;
  }

  @Benchmark
  public float[] log() {
    Loops.log(positive, out);
    return out;
  }

  @Benchmark
  public float[] tanh() {
    Loops.tanh(x, out);
    return out;
  }

  @Benchmark
  public float[] sigmoid() {
    Loops.sigmoid(x, out);
    return out;
  }

  @Benchmark
  public float[] relu() {
    Loops.relu(x, out);
    return out;
  }

  @Benchmark
  public float[] clamp() {
    Loops.clamp(x, clampLo, clampHi, out);
    return out;
  }

  @Benchmark
  public float[] minimum() {
    Loops.minimum(x, y, out);
    return out;
  }

  @Benchmark
  public float[] maximum() {
    Loops.maximum(x, y, out);
    return out;
  }

  @Benchmark
  public float[] select() {
    Loops.select(x, y, positive, out);
    return out;
  }

  @Benchmark
  public float[] selectPairwise() {
    Loops.selectPairwise(x, y, positive, out);
    return out;
  }

  @Benchmark
  public double[] convert() {
    Loops.convert(x, wide);
    return wide;
  }

  @Benchmark
  public float[] convertInts() {
    Loops.convertInts(ints, out);
    return out;
  }

  @Benchmark
  public float cosine() {
    return Loops.cosine(x, y);
  }

  @Benchmark
  public float squaredDistance() {
    return Loops.squaredDistance(x, y);
  }

  @Benchmark
  public float[] dotScores() {
    Loops.dotScores(query, x, rows, SimilarityChecks.DIM, scores);
    return scores;
  }

  @Benchmark
  public float[] prefixSum() {
    Loops.prefixSum(x, out);
    return out;
  }

  /** The plain loops themselves: what a Java programmer writes without a library. */
  @Benchmark
  public float norm2() {
    return Loops.norm2(x);
  }

  @Benchmark
  public int argmax() {
    return Loops.argmax(x);
  }

  @Benchmark
  public float mean() {
    return Loops.mean(x);
  }

  @Benchmark
  public float sampleVariance() {
    return Loops.sampleVariance(x);
  }

  @Benchmark
  public float standardDeviation() {
    return Loops.standardDeviation(x);
  }

  /**
   * The plain loops themselves: what a Java programmer writes without a library. The statistics
   * accumulate in double, as a careful programmer does (a float sum of millions of squares
   * stagnates); C2 keeps those loops in order all the same.
   */
  private static final class Loops {

    static float sum(float[] a) {
      float sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += a[i];
      }
      return sum;
    }

    static float dot(float[] a, float[] b) {
      float sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += a[i] * b[i];
      }
      return sum;
    }

    /**
     * Sums in double: a float sum of squares drifts by far more than the correctness gate allows at
     * 16 Mi elements (its partial sums grow until each square is below half an ulp of them).
     */
    static float cosine(float[] a, float[] b) {
      double dot = 0;
      double normA = 0;
      double normB = 0;
      for (int i = 0; i < a.length; i++) {
        dot += a[i] * b[i];
        normA += a[i] * a[i];
        normB += b[i] * b[i];
      }
      return (float) (dot / Math.sqrt(normA * normB));
    }

    static float squaredDistance(float[] a, float[] b) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        float d = a[i] - b[i];
        sum += d * d;
      }
      return (float) sum;
    }

    static void dotScores(float[] query, float[] matrix, int rows, int dim, float[] scores) {
      for (int r = 0; r < rows; r++) {
        float dot = 0;
        for (int i = 0; i < dim; i++) {
          dot += query[i] * matrix[r * dim + i];
        }
        scores[r] = dot;
      }
    }

    static void axpy(float alpha, float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] += alpha * x[i];
      }
    }

    static void exp(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = (float) Math.exp(x[i]);
      }
    }

    static void scale(float alpha, float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = alpha * x[i];
      }
    }

    static void add(float[] a, float[] b, float[] out) {
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i] + b[i];
      }
    }

    static void mul(float[] a, float[] b, float[] out) {
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i] * b[i];
      }
    }

    static void neg(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = -x[i];
      }
    }

    static void abs(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = Math.abs(x[i]);
      }
    }

    static void sqrt(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = (float) Math.sqrt(x[i]);
      }
    }

    static void log(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = (float) Math.log(x[i]);
      }
    }

    static void tanh(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = (float) Math.tanh(x[i]);
      }
    }

    static void sigmoid(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = (float) (1 / (1 + Math.exp(-x[i])));
      }
    }

    static void relu(float[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = Math.max(x[i], 0f);
      }
    }

    static void clamp(float[] x, float lo, float hi, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = Math.min(Math.max(x[i], lo), hi);
      }
    }

    static void minimum(float[] a, float[] b, float[] out) {
      for (int i = 0; i < a.length; i++) {
        out[i] = Math.min(a[i], b[i]);
      }
    }

    static void maximum(float[] a, float[] b, float[] out) {
      for (int i = 0; i < a.length; i++) {
        out[i] = Math.max(a[i], b[i]);
      }
    }

    static void select(float[] a, float[] ifTrue, float[] ifFalse, float[] out) {
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i] > 0f ? ifTrue[i] : ifFalse[i];
      }
    }

    static void selectPairwise(float[] a, float[] b, float[] ifFalse, float[] out) {
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i] > b[i] ? b[i] : ifFalse[i];
      }
    }

    static void convert(float[] x, double[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = x[i];
      }
    }

    static void convertInts(int[] x, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = x[i];
      }
    }

    static float norm2(float[] a) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += (double) a[i] * a[i];
      }
      return (float) Math.sqrt(sum);
    }

    static int argmax(float[] a) {
      int best = 0;
      for (int i = 1; i < a.length; i++) {
        if (a[i] > a[best]) {
          best = i;
        }
      }
      return best;
    }

    static float mean(float[] a) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += a[i];
      }
      return (float) (sum / a.length);
    }

    static float sampleVariance(float[] a) {
      return (float) (squaredDeviations(a) / (a.length - 1));
    }

    static float standardDeviation(float[] a) {
      return (float) Math.sqrt(squaredDeviations(a) / a.length);
    }

    /** The textbook two passes: the mean, then the squared deviations from it. */
    private static double squaredDeviations(float[] a) {
      double mean = mean(a);
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        double d = a[i] - mean;
        sum += d * d;
      }
      return sum;
    }

    /** A float running sum, in order: the dependency chain C2 cannot break. */
    static void prefixSum(float[] a, float[] out) {
      float run = 0;
      for (int i = 0; i < a.length; i++) {
        run += a[i];
        out[i] = run;
      }
    }
  }
}
