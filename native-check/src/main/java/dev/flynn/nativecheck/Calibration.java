package dev.flynn.nativecheck;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A few seconds of measurement that give the roofline benchmark reports are quoted against: memory
 * bandwidth (a STREAM-style triad), cache read bandwidth at L1 and L2 sizes, peak multiply-add
 * throughput, and the SIMD-over-scalar speed-up of a float dot product. Every figure is measured on
 * this machine, now: the best of a few repetitions, so that noise from other work lowers it rather
 * than raising it.
 *
 * @param schemaVersion the version of this record's layout, {@value #SCHEMA_VERSION}
 * @param measuredAt when the measurement ended (ISO-8601)
 * @param threads threads used for the all-thread figures
 * @param kernels the calibration loops used: {@code scalar} or {@code vector-N}
 * @param triadOneThreadGBps triad {@code a[i] = b[i] + s * c[i]} over doubles far beyond cache,
 *     counted as STREAM counts it (24 bytes per element: no write-allocate traffic), one thread
 * @param triadAllThreadsGBps the same on every thread
 * @param l1ReadGBps read bandwidth of one thread over an array of half the L1 data cache
 * @param l2ReadGBps read bandwidth of one thread over an array of half the L2 cache
 * @param peakGflopsOneThread float multiply-add throughput of one thread, a multiply-add being 2
 *     flops, with the vector loops when the Vector API is active
 * @param peakGflopsAllThreads the same on every thread
 * @param dotSimdSpeedup time of the scalar float dot over the vector one at an L1 size (1.0 when
 *     vectors are off)
 */
public record Calibration(
    int schemaVersion,
    String measuredAt,
    int threads,
    String kernels,
    double triadOneThreadGBps,
    double triadAllThreadsGBps,
    double l1ReadGBps,
    double l2ReadGBps,
    double peakGflopsOneThread,
    double peakGflopsAllThreads,
    double dotSimdSpeedup) {

  /** The current layout of this record (and of the profile file that stores it). */
  public static final int SCHEMA_VERSION = 1;

  /**
   * What to measure with.
   *
   * @param threads threads for the all-thread figures
   * @param l1Bytes L1 data cache size (the read sweep uses half of it)
   * @param l2Bytes L2 cache size (the read sweep uses half of it)
   * @param triadBytesPerArray bytes per triad array, far beyond the last-level cache
   * @param secondsPerFigure how long each repetition of a figure runs, roughly
   */
  public record Settings(
      int threads, long l1Bytes, long l2Bytes, long triadBytesPerArray, double secondsPerFigure) {

    public Settings {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1: " + threads);
      }
      if (l1Bytes < 1024 || l2Bytes < l1Bytes || triadBytesPerArray < l2Bytes) {
        throw new IllegalArgumentException(
            "need 1 KiB <= l1Bytes <= l2Bytes <= triadBytesPerArray: "
                + l1Bytes
                + ", "
                + l2Bytes
                + ", "
                + triadBytesPerArray);
      }
      if (!(secondsPerFigure > 0)) {
        throw new IllegalArgumentException(
            "secondsPerFigure must be positive: " + secondsPerFigure);
      }
    }

    /**
     * The defaults for this machine: every available processor, the cache sizes found (32 KiB and
     * 512 KiB when unknown), 128 MiB per triad array (beyond the L3 of one CCD or socket; the
     * STREAM rule of 4 times the L3 is impractical where a VM reports a whole package's L3).
     */
    public static Settings defaults(long l1Bytes, long l2Bytes) {
      return new Settings(
          Runtime.getRuntime().availableProcessors(),
          l1Bytes > 0 ? l1Bytes : 32 << 10,
          l2Bytes > 0 ? l2Bytes : 512 << 10,
          128L << 20,
          0.1);
    }
  }

  private static final int REPETITIONS = 5;
  private static final int STEPS = 6;

  /** Measures, printing one line per step to {@code progress}. Takes about 3 to 6 seconds. */
  public static Calibration measure(Settings settings, Consumer<String> progress) {
    CalibrationKernels k = calibrationKernels();
    int threads = settings.threads();
    progress.accept(step(1, "memory bandwidth (triad), 1 thread"));
    double triad1 = triad(settings, 1);
    progress.accept(step(2, "memory bandwidth (triad), " + threads + " threads"));
    double triadN = threads == 1 ? triad1 : triad(settings, threads);
    progress.accept(step(3, "L1 and L2 read bandwidth, 1 thread"));
    double l1 = readBandwidth(k, settings.l1Bytes() / 2, settings.secondsPerFigure());
    double l2 = readBandwidth(k, settings.l2Bytes() / 2, settings.secondsPerFigure());
    progress.accept(step(4, "peak multiply-add throughput, 1 thread (" + k.name() + ")"));
    double peak1 = peakGflops(k, 1, settings.secondsPerFigure());
    progress.accept(step(5, "peak multiply-add throughput, " + threads + " threads"));
    double peakN = threads == 1 ? peak1 : peakGflops(k, threads, settings.secondsPerFigure());
    progress.accept(step(6, "float dot, scalar against " + k.name()));
    double speedup = dotSpeedup(k, settings.secondsPerFigure());
    return new Calibration(
        SCHEMA_VERSION,
        Instant.now().toString(),
        threads,
        k.name(),
        triad1,
        triadN,
        l1,
        l2,
        peak1,
        peakN,
        speedup);
  }

  private static String step(int n, String what) {
    return "[" + n + "/" + STEPS + "] " + what;
  }

  /** The vector loops when the Vector API is active, loaded by name; the scalar ones otherwise. */
  static CalibrationKernels calibrationKernels() {
    SimdVerdict verdict = VectorSupport.verdict();
    if (verdict.active()) {
      try {
        return (CalibrationKernels)
            Class.forName(Calibration.class.getPackageName() + ".VectorCalibrationKernels")
                .getDeclaredConstructor()
                .newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        // fall through to scalar: the report names the kernels used
      }
    }
    return new ScalarCalibrationKernels(verdict.fastFma());
  }

  /** Best triad bandwidth in GB/s (10^9 bytes) over a few repetitions on {@code threads}. */
  static double triad(Settings settings, int threads) {
    int n = (int) Math.min(Integer.MAX_VALUE - 8, settings.triadBytesPerArray() / Double.BYTES);
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    double scalar = 3.0;
    // Each thread touches its own chunk first, so pages land near the thread that uses them.
    onThreads(
        threads,
        t -> {
          int from = chunk(n, threads, t);
          int to = chunk(n, threads, t + 1);
          return () -> {
            for (int i = from; i < to; i++) {
              a[i] = 1;
              b[i] = 2;
              c[i] = 0.5;
            }
          };
        });
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < REPETITIONS; r++) {
      long nanos =
          onThreads(
              threads,
              t -> {
                int from = chunk(n, threads, t);
                int to = chunk(n, threads, t + 1);
                return () -> {
                  for (int i = from; i < to; i++) {
                    a[i] = b[i] + scalar * c[i];
                  }
                };
              });
      best = Math.min(best, nanos);
    }
    if (a[n / 2] != 2 + scalar * 0.5) {
      throw new IllegalStateException("triad computed " + a[n / 2]);
    }
    return 3.0 * Double.BYTES * n / best;
  }

  /** Best read bandwidth in GB/s of one thread sweeping {@code bytes} over and over. */
  static double readBandwidth(CalibrationKernels k, long bytes, double seconds) {
    float[] data = new float[(int) Math.max(64, bytes / Float.BYTES)];
    java.util.Arrays.fill(data, 1f);
    float[] small = java.util.Arrays.copyOf(data, 256);
    float[] sink = {
      warmUp(() -> k.sum(small), 0.5, 30_000) + warmUp(() -> k.sum(data), seconds, 0)
    };
    double nanosPerSweep =
        bestNanosPerUnit(
            1,
            1_000_000,
            seconds,
            sweeps -> {
              long start = System.nanoTime();
              for (long s = 0; s < sweeps; s++) {
                sink[0] += k.sum(data);
              }
              return System.nanoTime() - start;
            });
    if (sink[0] == 0) {
      throw new IllegalStateException("read sweep summed to zero");
    }
    return data.length * (double) Float.BYTES / nanosPerSweep;
  }

  /** Best multiply-add throughput in GFLOPS with {@code threads} threads each running chains. */
  static double peakGflops(CalibrationKernels k, int threads, double seconds) {
    float[] sinks = new float[threads];
    double nanosPerRound =
        bestNanosPerUnit(
            1 << 16,
            2_000_000,
            seconds,
            rounds -> onThreads(threads, t -> () -> sinks[t] += k.multiplyAddChains(rounds)));
    for (float s : sinks) {
      if (!Float.isFinite(s)) {
        throw new IllegalStateException("multiply-add chains diverged: " + s);
      }
    }
    return threads * (double) k.flopsPerRound() / nanosPerRound;
  }

  /** Scalar time over vector time for a float dot at an L1 size (4096 elements). */
  static double dotSpeedup(CalibrationKernels k, double seconds) {
    if (k instanceof ScalarCalibrationKernels) {
      return 1.0;
    }
    float[] a = new float[4096];
    float[] b = new float[4096];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 17) * 0.25f;
      b[i] = (i % 13) * 0.5f;
    }
    CalibrationKernels scalar = new ScalarCalibrationKernels(true);
    // Short arrays first: enough calls for C2 to compile both loops, even on a loaded machine.
    float[] shortA = java.util.Arrays.copyOf(a, 64);
    float[] shortB = java.util.Arrays.copyOf(b, 64);
    warmUp(() -> scalar.dot(shortA, shortB), 0.5, 30_000);
    warmUp(() -> k.dot(shortA, shortB), 0.5, 30_000);
    double scalarNanos = bestNanosPerCall(() -> scalar.dot(a, b), seconds);
    double vectorNanos = bestNanosPerCall(() -> k.dot(a, b), seconds);
    return scalarNanos / vectorNanos;
  }

  private static double bestNanosPerCall(java.util.function.DoubleSupplier call, double seconds) {
    double[] sink = {warmUp(call, seconds, 0)};
    double best =
        bestNanosPerUnit(
            16,
            1_000_000,
            seconds,
            calls -> {
              long start = System.nanoTime();
              for (long c = 0; c < calls; c++) {
                sink[0] += call.getAsDouble();
              }
              return System.nanoTime() - start;
            });
    if (Double.isNaN(sink[0])) {
      throw new IllegalStateException("dot gave NaN");
    }
    return best;
  }

  /**
   * The fewest nanoseconds per unit of work over {@value #REPETITIONS} to 3 x {@value #REPETITIONS}
   * timed rounds, as many as fit {@code seconds}. {@code round} runs {@code count} units and
   * returns its nanoseconds; a round shorter than {@code minNanos} is too short to time well, so it
   * does not count and the next one runs 4 times the units.
   */
  private static double bestNanosPerUnit(
      long count, long minNanos, double seconds, java.util.function.LongUnaryOperator round) {
    double best = Double.POSITIVE_INFINITY;
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    int counted = 0;
    while (counted < 3 * REPETITIONS && (counted < REPETITIONS || System.nanoTime() < deadline)) {
      long nanos = round.applyAsLong(count);
      if (nanos < minNanos) {
        count *= 4;
        continue;
      }
      best = Math.min(best, (double) nanos / count);
      counted++;
    }
    return best;
  }

  /**
   * Calls {@code call} without timing it, for {@code seconds} or until {@code calls} calls have
   * run, whichever is first (calls = 0: for {@code seconds}), so that C2 has compiled the loop
   * before it is measured: the Vector API is thousands of times slower before C2 has compiled it,
   * and C2 only compiles a method after thousands of calls.
   */
  private static float warmUp(java.util.function.DoubleSupplier call, double seconds, long calls) {
    double sink = 0;
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    for (long c = 0; (calls == 0 || c < calls) && System.nanoTime() < deadline; c++) {
      sink += call.getAsDouble();
    }
    return (float) sink;
  }

  private static int chunk(int n, int parts, int index) {
    return (int) ((long) n * index / parts);
  }

  /**
   * Runs one task per thread, released together, and returns the wall time from release until the
   * last one ends. The threads are started for this call and joined before it returns.
   */
  static long onThreads(int threads, IntFunction<Runnable> task) {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Runnable work = task.apply(t);
      started.add(
          Thread.ofPlatform()
              .name("flynn-calibration-" + t)
              .daemon()
              .start(
                  () -> {
                    ready.countDown();
                    try {
                      go.await();
                      work.run();
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                  }));
    }
    boolean interrupted = false;
    long nanos;
    try {
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      for (Thread thread : started) {
        thread.join();
      }
      nanos = System.nanoTime() - start;
    } catch (InterruptedException e) {
      interrupted = true;
      nanos = -1;
    } finally {
      go.countDown();
      for (Thread thread : started) {
        joinQuietly(thread);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("calibration interrupted");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("calibration failed", failure.get());
    }
    return nanos;
  }

  private static void joinQuietly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
