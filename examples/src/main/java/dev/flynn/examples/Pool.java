package dev.flynn.examples;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.Mode;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveTask;

/**
 * A pool of threads over a large computation, against one thread.
 *
 * <p>What it teaches: a {@link ForkJoinPool} runs a {@link RecursiveTask} that halves its range
 * until it is small, forks one half for an idle worker to steal, computes the other itself, and
 * joins the two results on the way back up. Counting primes by trial division is uneven work (big
 * numbers cost more), and many small tasks let the workers share it out evenly. Then the Flynn
 * engine does the same for an array kernel, {@code exp}: one call, cut into blocks over the
 * engine's own pool ({@code MIMD}), or with vector lanes on every thread as well ({@code
 * SIMD_MIMD}).
 *
 * <p>What to look at in the output: the same count from one thread and from the pool; the speed-up
 * (at most about the number of cores, less when other programs share them); {@code MIMD} giving
 * exactly the bits {@code SISD} gives, because each element is computed the same way whichever
 * thread computes it.
 *
 * <p>Arguments: {@code [below] [floats] [threads]}: count the primes below this (default
 * 2,000,000), the array length for {@code exp} (default 16 Mi), pool threads (default: one per
 * core).
 */
public final class Pool {

  /** Below this many numbers a task counts them itself instead of splitting again. */
  private static final int SMALL = 10_000;

  private Pool() {}

  /** Runs the example with the command line's arguments, printing to standard output. */
  public static void main(String[] args) {
    run(System.out, args);
  }

  /**
   * Runs the example, printing to {@code out}; both pools are closed, their threads ended, when it
   * returns or throws.
   *
   * @throws IllegalArgumentException for a bad argument, before any pool starts
   */
  public static void run(PrintStream out, String... args) {
    Args.check("pool", out, args, "below", "floats", "threads");
    int below = Args.get(args, 0, "below", 2_000_000, 2, Integer.MAX_VALUE);
    int floats = Args.get(args, 1, "floats", 16 << 20, 1, 1 << 28);
    int threads = Args.get(args, 2, "threads", cores(), 1, 256);

    out.printf("primes below %,d, best of 3 runs after warming up (%d cores)%n", below, cores());
    long[] count = new long[2]; // one thread's count, the pool's count
    double one = bestMillis(() -> count[0] = countPrimes(2, below));
    out.printf("  one thread:        %d primes in %.1f ms%n", count[0], one);
    try (ForkJoinPool pool = new ForkJoinPool(threads, Pool::namedWorker, null, false)) {
      double pooled = bestMillis(() -> count[1] = pool.invoke(new PrimeCount(2, below)));
      out.printf(
          "  ForkJoinPool(%d):   %d primes in %.1f ms, %.2fx%n",
          threads, count[1], pooled, one / pooled);
    } // close() waits for the workers to finish

    float[] x = new float[floats];
    for (int i = 0; i < floats; i++) {
      x[i] = (i % 1000) / 100f - 5f; // -5.00, -4.99, ..., 4.99, again and again
    }
    out.printf(
        "exp of %,d floats with the Flynn engine, best of 3 runs after warming up%n", floats);
    try (Flynn flynn = Flynn.builder().threads(threads).build()) {
      float[] sisd = null;
      double sisdMillis = 0;
      for (Mode mode : new Mode[] {Mode.SISD, Mode.SIMD, Mode.MIMD, Mode.SIMD_MIMD}) {
        float[] y = new float[floats];
        double ms = bestMillis(() -> flynn.using(mode).exp(x, y));
        if (mode == Mode.SISD) {
          sisd = y;
          sisdMillis = ms;
        }
        out.printf(
            "  %-9s  %7.1f ms  %5.2fx  sum of results %.6e%s%n",
            mode,
            ms,
            sisdMillis / ms,
            sum(y),
            mode == Mode.SISD
                ? " (the yardstick)"
                : Arrays.equals(y, sisd) ? ", the same bits as SISD" : "");
      }
    } // close() ends the engine's pool threads
  }

  /** Counts the primes in [from, to): halves the range until it is small, then counts. */
  @SuppressWarnings("serial") // tasks are Serializable by inheritance; these never are serialized
  private static final class PrimeCount extends RecursiveTask<Long> {
    private final int from;
    private final int to;

    PrimeCount(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override
    protected Long compute() {
      if (to - from <= SMALL) {
        return countPrimes(from, to);
      }
      int middle = from + (to - from) / 2;
      PrimeCount left = new PrimeCount(from, middle);
      left.fork(); // for an idle worker to steal; if none does, join() runs it here
      long right = new PrimeCount(middle, to).compute();
      return left.join() + right;
    }
  }

  /** The primes in [from, to), by trial division: slow on purpose, it is the work. */
  private static long countPrimes(int from, int to) {
    long count = 0;
    for (int n = from; n < to; n++) {
      boolean prime = n >= 2;
      for (int d = 2; prime && (long) d * d <= n; d++) {
        prime = n % d != 0;
      }
      count += prime ? 1 : 0;
    }
    return count;
  }

  /**
   * Runs {@code work} untimed until the JIT has likely compiled it (2 runs and 200 ms at least: a
   * rough rule; JMH does this properly), then three times, and returns the fastest of those in
   * milliseconds.
   */
  private static double bestMillis(Runnable work) {
    long warm = System.nanoTime() + 200_000_000L;
    for (int run = 0; run < 2 || System.nanoTime() < warm; run++) {
      work.run();
    }
    double best = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long started = System.nanoTime();
      work.run();
      best = Math.min(best, (System.nanoTime() - started) / 1e6);
    }
    return best;
  }

  private static double sum(float[] y) {
    double sum = 0;
    for (float v : y) {
      sum += v;
    }
    return sum;
  }

  private static ForkJoinWorkerThread namedWorker(ForkJoinPool pool) {
    ForkJoinWorkerThread worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    worker.setName("flynn-example-pool-" + worker.getPoolIndex());
    return worker;
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
