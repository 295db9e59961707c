package dev.flynn.engine.combine;

import dev.flynn.engine.Histogram;
import dev.flynn.kernels.EqualWidthBins;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a reduction on a pool of its own {@code threads} workers and combines their partial results
 * by a chosen {@link CombineStrategy} at a chosen {@link Grain}: the workbench behind {@code
 * CombineBenchmark} and {@code docs/combine.md}. The engine itself uses the fastest of these
 * ({@link CombineStrategy#PARTIALS}, coarse) in {@code FlynnOps.histogram}.
 *
 * <p>A call cuts the range into blocks of {@link #block()} elements and starts exactly {@code
 * threads} workers, which claim blocks one at a time from a shared counter (the caller only waits:
 * the {@link CombineStrategy#CONDITION_BARRIER} needs every worker on a thread of its own). Every
 * strategy, grain, thread count and block size gives the same result: the workloads are integer
 * sums and minima, exact in any order.
 *
 * <p>Failure: the first exception a worker throws stops the others at their next block, breaks the
 * barrier, and is rethrown to the caller itself, not wrapped (a checked one, which workloads do not
 * throw, would be wrapped in an {@link IllegalStateException}); the combiner stays usable.
 *
 * <p>Thread-safety: calls may come from any threads; they run one at a time. {@link #close()} waits
 * for a running call, then stops the pool and waits until every worker thread has ended. Worker
 * threads are daemons named {@code flynn-combine-<n>-worker-<m>}.
 */
public final class Combiner implements AutoCloseable {

  /** Elements per block by default: the engine's block ({@code Blocks.BLOCK}), 64 KiB of floats. */
  public static final int DEFAULT_BLOCK = 16384;

  /** The prefix of every worker thread's name. */
  public static final String THREAD_PREFIX = "flynn-combine-";

  /** The most bins a histogram may have, as in the engine. */
  public static final int MAX_BINS = 1 << 30;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int threads;
  private final int block;
  private final String namePrefix;
  private final ThreadPoolExecutor pool;
  private final Set<Thread> started = ConcurrentHashMap.newKeySet();
  private final ReentrantLock calls = new ReentrantLock();
  private boolean closed;

  /**
   * A combiner with {@code threads} workers and blocks of {@link #DEFAULT_BLOCK} elements.
   *
   * @throws IllegalArgumentException if {@code threads} is not between 1 and 1024
   */
  public Combiner(int threads) {
    this(threads, DEFAULT_BLOCK);
  }

  /**
   * A combiner with {@code threads} workers and blocks of {@code block} elements; small blocks make
   * more combining and more contention.
   *
   * @throws IllegalArgumentException if {@code threads} is not between 1 and 1024 or {@code block}
   *     is below 1
   */
  public Combiner(int threads, int block) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads must be between 1 and 1024: threads=" + threads);
    }
    if (block < 1) {
      throw new IllegalArgumentException("block must be at least 1: block=" + block);
    }
    this.threads = threads;
    this.block = block;
    this.namePrefix = THREAD_PREFIX + POOLS.incrementAndGet() + "-worker-";
    AtomicInteger workerId = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, namePrefix + workerId.incrementAndGet());
              t.setDaemon(true);
              started.add(t);
              return t;
            });
  }

  /** The number of workers of every call. */
  public int threads() {
    return threads;
  }

  /** The name prefix of this combiner's worker threads, for tests. */
  String namePrefix() {
    return namePrefix;
  }

  /** Elements per block. */
  public int block() {
    return block;
  }

  /**
   * The histogram of {@code a[offset .. offset + length)} over {@code bins} equal-width bins of
   * {@code [lo, hi)}, by the engine's exact rule ({@link EqualWidthBins}), combined by {@code
   * strategy} at {@code grain}: the same counts as {@code FlynnOps.histogram} in every strategy.
   *
   * @throws NullPointerException if {@code a}, {@code strategy} or {@code grain} is null
   * @throws IndexOutOfBoundsException if the range does not fit in {@code a}
   * @throws IllegalArgumentException if {@code length} is negative, {@code lo} or {@code hi} is not
   *     finite, {@code lo >= hi}, or {@code bins} is not between 1 and {@link #MAX_BINS}
   * @throws IllegalStateException if the combiner is closed
   */
  public Histogram histogram(
      float[] a,
      int offset,
      int length,
      float lo,
      float hi,
      int bins,
      CombineStrategy strategy,
      Grain grain) {
    checkRange(a, offset, length);
    if (!Float.isFinite(lo) || !Float.isFinite(hi) || !(lo < hi)) {
      throw new IllegalArgumentException(
          "histogram bounds must be finite with lo < hi: lo=" + lo + ", hi=" + hi);
    }
    if (bins < 1 || bins > MAX_BINS) {
      throw new IllegalArgumentException(
          "histogram bins must be between 1 and " + MAX_BINS + ": bins=" + bins);
    }
    checkChoice(strategy, grain);
    HistogramWorkload workload = new HistogramWorkload(new EqualWidthBins(lo, hi, bins));
    long[] all = run(workload, a, offset, length, strategy, grain);
    return new Histogram(lo, hi, Arrays.copyOf(all, bins), all[bins], all[bins + 1], all[bins + 2]);
  }

  /**
   * The {@link Summary} of {@code a[offset .. offset + length)}, combined by {@code strategy} at
   * {@code grain}; exact, so the same bits in every strategy.
   *
   * @throws NullPointerException if {@code a}, {@code strategy} or {@code grain} is null
   * @throws IndexOutOfBoundsException if the range does not fit in {@code a}
   * @throws IllegalArgumentException if {@code length} is negative
   * @throws IllegalStateException if the combiner is closed
   */
  public Summary summary(float[] a, int offset, int length, CombineStrategy strategy, Grain grain) {
    checkRange(a, offset, length);
    checkChoice(strategy, grain);
    return SummaryWorkload.result(run(new SummaryWorkload(), a, offset, length, strategy, grain));
  }

  private static void checkRange(float[] a, int offset, int length) {
    Objects.requireNonNull(a, "a is null");
    if (length < 0) {
      throw new IllegalArgumentException("length is negative: " + length);
    }
    if (offset < 0 || offset > a.length - length) {
      throw new IndexOutOfBoundsException(
          "a: offset "
              + offset
              + " and length "
              + length
              + " do not fit in an array of length "
              + a.length);
    }
  }

  private static void checkChoice(CombineStrategy strategy, Grain grain) {
    Objects.requireNonNull(strategy, "strategy is null");
    Objects.requireNonNull(grain, "grain is null");
  }

  /** Runs {@code workload} over the range on every worker; the combined slots. */
  long[] run(
      Workload workload, float[] a, int offset, int length, CombineStrategy strategy, Grain grain) {
    calls.lock();
    try {
      if (closed) {
        throw new IllegalStateException("this Combiner is closed");
      }
      Shared shared = Shared.of(strategy, workload, threads);
      int blocks = (int) (((long) length + block - 1) / block);
      AtomicInteger next = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch ended = new CountDownLatch(threads);
      for (int w = 0; w < threads; w++) {
        int worker = w;
        pool.execute(
            () -> {
              try {
                for (int b = next.getAndIncrement();
                    b < blocks && failure.get() == null;
                    b = next.getAndIncrement()) {
                  int from = offset + b * block;
                  int n = Math.min(block, length - b * block);
                  if (grain == Grain.FINE) {
                    shared.fine(a, from, n, worker);
                  } else {
                    workload.block(a, from, n, shared.coarseTarget(worker));
                    shared.afterCoarse(worker);
                  }
                }
                if (failure.get() == null) {
                  shared.arrive(worker);
                }
              } catch (Throwable t) {
                // Recorded before the barrier breaks, so a woken waiter never sees a success.
                failure.compareAndSet(null, t);
                shared.abort();
              } finally {
                ended.countDown();
              }
            });
      }
      awaitUninterruptibly(ended);
      Throwable t = failure.get();
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error error) {
        throw error;
      }
      if (t != null) {
        throw new IllegalStateException("a combine worker failed", t);
      }
      return shared.result();
    } finally {
      calls.unlock();
    }
  }

  /** Waits for the workers; an interrupt is kept for the caller, not lost. */
  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits for a running call, stops the pool and waits until every worker thread has ended.
   * Idempotent.
   */
  @Override
  public void close() {
    calls.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      pool.shutdownNow();
      boolean interrupted = false;
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
        for (Thread t : started) {
          t.join(TimeUnit.SECONDS.toMillis(30));
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      calls.unlock();
    }
  }
}
