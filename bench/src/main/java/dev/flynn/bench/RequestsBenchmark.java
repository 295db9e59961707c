package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/**
 * Many small concurrent requests served three ways. One request is the dot product of two {@code
 * size}-float vectors in Flynn's SIMD mode (about 100 ns at 1 Ki floats); one operation is a burst
 * of {@code concurrency} requests issued at once, and it ends when the caller holds all their
 * results (summed in request order, so every way returns the same value):
 *
 * <ul>
 *   <li>{@code BLOCKING}: {@code submit} on a fixed pool of one thread per processor, then {@code
 *       Future.get} on each, in order;
 *   <li>{@code ASYNC}: {@code CompletableFuture.supplyAsync} on that pool, joined by {@code allOf},
 *       the caller blocking only once, at the end;
 *   <li>{@code VIRTUAL}: one new virtual thread per request ({@code newThreadPerTaskExecutor} of
 *       virtual threads), blocking style: {@code Future.get} on each.
 * </ul>
 *
 * <p>JMH's sample-time mode times every burst: its percentiles are burst latencies, the time a
 * fan-out caller waits for its slowest request; requests per second are {@code concurrency} over
 * the mean burst time. Per-request latency inside a burst is not measured (it would need a clock
 * read per request, costing as much as the request). The pools live for the whole trial and are
 * closed in {@link #tearDown}; the first burst of each way is checked against a naive double loop
 * before timing.
 *
 * <pre>
 * ./flynn jmh RequestsBenchmark -rf json -rff requests.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xms1g",
      "-Xmx1g"
    })
public class RequestsBenchmark {

  /** How the requests are served. */
  public enum Way {
    BLOCKING,
    ASYNC,
    VIRTUAL
  }

  /** Distinct vector pairs the requests cycle through: 64 x 2 x 4 KiB, all in L2. */
  private static final int PAIRS = 64;

  @Param({"BLOCKING", "ASYNC", "VIRTUAL"})
  public Way way;

  @Param({"16", "256", "4096"})
  public int concurrency;

  @Param("1024")
  public int size;

  private float[][] a;
  private float[][] b;
  private Flynn flynn;
  private FlynnOps simd;
  private ExecutorService pool;
  private ExecutorService virtual;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    a = new float[PAIRS][size];
    b = new float[PAIRS][size];
    for (int p = 0; p < PAIRS; p++) {
      for (int i = 0; i < size; i++) {
        a[p][i] = (float) (random.nextDouble() * 2 - 1);
        b[p][i] = (float) (random.nextDouble() * 2 - 1);
      }
    }
    flynn = Flynn.builder().threads(1).build();
    simd = flynn.using(dev.flynn.engine.Mode.SIMD);
    int threads = Runtime.getRuntime().availableProcessors();
    pool =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().name("flynn-requests-pool-", 1).daemon().factory());
    virtual =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("flynn-requests-virtual-", 1).factory());
    check();
  }

  /** One burst against a naive double loop: the same sum of dot products, within rounding. */
  private void check() throws Exception {
    double expected = 0;
    double magnitude = 0;
    for (int r = 0; r < concurrency; r++) {
      float[] x = a[r % PAIRS];
      float[] y = b[r % PAIRS];
      double dot = 0;
      for (int i = 0; i < size; i++) {
        dot += (double) x[i] * y[i];
        magnitude += Math.abs((double) x[i] * y[i]);
      }
      expected += (float) dot;
    }
    double got = burst();
    // Each request's float dot is within (size/8L + 11) u of its magnitudes (FlynnOps.dot).
    double bound = (size / 8.0 + 12) * 0x1p-24 * magnitude;
    if (!(Math.abs(got - expected) <= bound)) {
      throw new IllegalStateException(
          way + " x" + concurrency + ": " + got + " but a naive loop gives " + expected);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    // close() waits for every task and thread to end; nothing outlives the trial.
    pool.close();
    virtual.close();
    flynn.close();
  }

  private float request(int r) {
    return simd.dot(a[r % PAIRS], b[r % PAIRS]);
  }

  @Benchmark
  public double burst() throws InterruptedException, ExecutionException {
    return switch (way) {
      case BLOCKING -> blocking(pool);
      case ASYNC -> async();
      case VIRTUAL -> blocking(virtual);
    };
  }

  private double blocking(ExecutorService executor)
      throws InterruptedException, ExecutionException {
    Future<?>[] futures = new Future<?>[concurrency];
    for (int r = 0; r < concurrency; r++) {
      int request = r;
      futures[r] = executor.submit(() -> request(request));
    }
    double total = 0;
    for (Future<?> f : futures) {
      total += (Float) f.get();
    }
    return total;
  }

  private double async() {
    CompletableFuture<?>[] futures = new CompletableFuture<?>[concurrency];
    for (int r = 0; r < concurrency; r++) {
      int request = r;
      futures[r] = CompletableFuture.supplyAsync(() -> request(request), pool);
    }
    return CompletableFuture.allOf(futures)
        .thenApply(
            done -> {
              double total = 0;
              for (CompletableFuture<?> f : futures) {
                total += (Float) f.join(); // complete: allOf ran this stage after every one
              }
              return total;
            })
        .join();
  }
}
