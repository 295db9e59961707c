package dev.flynn.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Run in a child JVM by {@link FallbackTest}: prints what the engine does there, one fact a line.
 * It must not touch {@code jdk.incubator.vector} (nor {@link TestData}, which does), so that it
 * runs in a JVM without that module.
 */
public final class FallbackProbe {

  /** Long enough that MIMD, SIMD_MIMD and AUTO fork in the child. */
  static final int N = 5 * 16384 + 37;

  /** Short arrays whose add and exp results are printed element by element. */
  static final int SHORT = 100;

  private FallbackProbe() {}

  /** k / 256, k in [-1000, 1000]: sums of these are exact. */
  static float[] sumData() {
    SplittableRandom r = new SplittableRandom(71);
    float[] a = new float[N];
    for (int i = 0; i < N; i++) {
      a[i] = r.nextInt(-1000, 1001) / 256f;
    }
    return a;
  }

  /** k / 16, k in [-15, 15]: dot products of these are exact. */
  static float[] dotData(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[N];
    for (int i = 0; i < N; i++) {
      a[i] = r.nextInt(-15, 16) / 16f;
    }
    return a;
  }

  /** Uniform floats in [-1, 1) for add, or in [-80, 80) for exp. */
  static float[] shortData(long seed, float scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[SHORT];
    for (int i = 0; i < SHORT; i++) {
      a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return a;
  }

  public static void main(String[] args) {
    System.out.println("vectorActive " + Flynn.vectorActive());
    System.out.println("description " + Flynn.kernelDescription());
    float[] s = sumData();
    float[] x = dotData(72);
    float[] y = dotData(73);
    float[] a = shortData(74, 1f);
    float[] b = shortData(75, 1f);
    float[] e = shortData(76, 80f);
    try (Flynn flynn = Flynn.builder().threads(2).build()) {
      for (Mode mode : Mode.values()) {
        FlynnOps ops = flynn.using(mode);
        print(mode, "sum", ops.sum(s));
        print(mode, "dot", ops.dot(x, y));
        print(mode, "min", ops.min(s));
        print(mode, "max", ops.max(s));
        float[] sum = new float[N];
        ops.add(s, x, sum);
        System.out.println(mode + " add-hash " + Arrays.hashCode(sum));
        float[] out = new float[SHORT];
        ops.add(a, b, out);
        for (int i = 0; i < SHORT; i++) {
          print(mode, "add " + i, out[i]);
        }
        ops.exp(e, out);
        for (int i = 0; i < SHORT; i++) {
          print(mode, "exp " + i, out[i]);
        }
      }
    }
  }

  private static void print(Mode mode, String what, float value) {
    System.out.println(
        String.format(Locale.ROOT, "%s %s %08x", mode, what, Float.floatToRawIntBits(value)));
  }
}
