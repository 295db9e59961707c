package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.TestData.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One engine shared by 8 client threads that issue mixed calls in every mode at once; every result
 * is checked against a reference computed before the race starts.
 */
class ConcurrencyTest {

  private static final int CLIENTS = 8;
  private static final int ITERATIONS = 100;

  /** Long enough that the pooled modes and AUTO fork (AUTO from 65536 elements). */
  private static final int N = 4 * BLOCK + 123;

  /** Short enough to stay on the calling thread in every mode. */
  private static final int SHORT = 1000;

  @Test
  @Timeout(120)
  void mixedCallsFromEightThreadsOnOneEngineAreAllCorrect() throws Exception {
    // references, computed before any engine call
    float[] s = TestData.floats(Kind.DYADIC_SUM, N, 61);
    float[] x = TestData.floats(Kind.DYADIC_DOT, N, 62);
    float[] y = TestData.floats(Kind.DYADIC_DOT, N, 63);
    double[] ds = TestData.doubles(Kind.DYADIC_SUM, N, 64);
    double[] ex = TestData.doubles(Kind.EXP_ARG, N, 65);
    float[] ax = TestData.floats(Kind.WIDE, N, 66);
    float[] ay = TestData.floats(Kind.WIDE, N, 67);
    double sumS = 0;
    double dotXy = 0;
    double sumDs = 0;
    float minS = s[0];
    for (int i = 0; i < N; i++) {
      sumS += s[i];
      dotXy += (double) x[i] * y[i];
      sumDs += ds[i];
      minS = Math.min(minS, s[i]);
    }
    double[] expRef = new double[N];
    for (int i = 0; i < N; i++) {
      expRef[i] = StrictMath.exp(ex[i]);
    }
    float[] axpyRef = new float[N];
    for (int i = 0; i < N; i++) {
      axpyRef[i] = TestData.USE_FMA ? Ref.fma(1.5f, ax[i], ay[i]) : 1.5f * ax[i] + ay[i];
    }
    final float expectedSum = (float) sumS;
    final float expectedDot = (float) dotXy;
    final double expectedDoubleSum = sumDs;
    final float expectedMin = minS;

    AtomicInteger checks = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (Flynn flynn = Flynn.builder().threads(3).build()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        final int client = c;
        futures.add(
            clients.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(100 + client);
                  float[] yOwn = new float[N];
                  double[] expOut = new double[N];
                  for (int it = 0; it < ITERATIONS; it++) {
                    // every client cycles through every mode; the kernel is drawn at random
                    Mode mode = Mode.values()[(it + client) % Mode.values().length];
                    FlynnOps ops = flynn.using(mode);
                    String where = "client " + client + " iteration " + it + " " + mode;
                    switch (random.nextInt(6)) {
                      case 0 -> assertBits(expectedSum, ops.sum(s), where + " sum");
                      case 1 -> assertBits(expectedDot, ops.dot(x, y), where + " dot");
                      case 2 -> {
                        System.arraycopy(ay, 0, yOwn, 0, N);
                        ops.axpy(1.5f, ax, yOwn);
                        for (int i = 0; i < N; i++) {
                          if (Float.floatToIntBits(yOwn[i]) != Float.floatToIntBits(axpyRef[i])) {
                            throw new AssertionError(where + " axpy at " + i);
                          }
                        }
                      }
                      case 3 -> {
                        ops.exp(ex, expOut);
                        for (int i = 0; i < N; i++) {
                          // 2 ulps: see DoubleElementwiseTest.EXP_TOLERANCE_ULPS
                          if (!(Ref.ulpsDouble(expOut[i], expRef[i]) <= 2.0)) {
                            throw new AssertionError(where + " exp at " + i);
                          }
                        }
                      }
                      case 4 ->
                          assertEquals(expectedDoubleSum, ops.sum(ds), 0.0, where + " double sum");
                      default -> {
                        assertBits(expectedMin, ops.min(s), where + " min");
                        float shortSum = ops.sum(s, 7, SHORT);
                        double ref = 0;
                        for (int i = 7; i < 7 + SHORT; i++) {
                          ref += s[i];
                        }
                        assertBits((float) ref, shortSum, where + " short sum");
                      }
                    }
                    checks.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(110, TimeUnit.SECONDS); // rethrows a client's AssertionError
      }
    } finally {
      clients.shutdownNow();
      assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS), "clients did not stop");
    }
    assertEquals(CLIENTS * ITERATIONS, checks.get());
  }

  private static void assertBits(float expected, float actual, String what) {
    if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
      throw new AssertionError(what + ": expected " + expected + " but was " + actual);
    }
  }
}
