package dev.flynn.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

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

  private float[] x;
  private float[] y;
  private float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    requirePeer(peer, PEER);
    BenchData data = BenchData.generate(size);
    x = data.x();
    y = data.y();
    out = new float[size];

    float[] scratch = data.y(); // axpy writes y: check it on a copy
    Loops.axpy(alpha, x, scratch);
    data.checkAxpy(peer, alpha, scratch);
    data.checkSum(peer, Loops.sum(x));
    data.checkDot(peer, Loops.dot(x, y));
    Loops.exp(x, out);
    data.checkExp(peer, out);
    Loops.scale(scaleAlpha, x, out);
    data.checkScale(peer, scaleAlpha, out);
    Loops.add(x, y, out);
    data.checkAdd(peer, out);
    Loops.mul(x, y, out);
    data.checkMul(peer, out);
    if (size > 1) {
      data.checkNorm2(peer, Loops.norm2(x));
      data.checkArgmax(peer, Loops.argmax(x));
      data.checkMean(peer, Loops.mean(x));
      data.checkSampleVariance(peer, Loops.sampleVariance(x));
      data.checkStandardDeviation(peer, Loops.standardDeviation(x));
    }
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
  }
}
