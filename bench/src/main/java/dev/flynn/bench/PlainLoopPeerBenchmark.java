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
    Loops.prefixSum(x, out);
    data.checkPrefixSum(peer, out);
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
  public float[] prefixSum() {
    Loops.prefixSum(x, out);
    return out;
  }

  /** The plain loops themselves: what a Java programmer writes without a library. */
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
