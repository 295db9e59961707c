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
 * Runs a reduction on {@code threads} workers (the caller and a pool of its own) and combines their
 * partial results by a chosen {@link CombineStrategy} at a chosen {@link Grain}: the workbench
 * behind {@code CombineBenchmark} and {@code docs/combine.md}. The engine itself uses the fastest
 * of these ({@link CombineStrategy#PARTIALS}, coarse) in {@code FlynnOps.histogram}.
 *
 * <p>A call cuts the range into blocks of {@link #block()} elements, which {@code threads} workers
 * (the calling thread and {@code threads - 1} pool threads) claim one at a time from a shared
 * counter. Every strategy, grain, thread count and block size gives the same result: the workloads
 * are integer sums and minima, exact in any order.
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
  public static final int MAX_BINS = Histogram.MAX_BINS;

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
    // The caller is worker 0: a pool of threads - 1 helpers, none for one thread.
    this.pool =
        threads == 1
            ? null
            : new ThreadPoolExecutor(
                threads - 1,
                threads - 1,
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
    EqualWidthBins rule = Histogram.rule(lo, hi, bins); // the engine's checks and messages
    checkChoice(strategy, grain);
    HistogramWorkload workload = new HistogramWorkload(rule);
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

  /**
   * Runs {@code workload} over the range; the combined slots. The caller is worker 0 and the pool
   * lends workers 1 to {@code threads - 1}. The call is over when every block is done (or skipped
   * after a failure), counted per block as in the engine's {@code Workers}: a helper that wakes
   * late finds nothing left and delays nothing, except at the barrier, whose point is to wait for
   * all. A late helper touches nothing: partials are allocated by a worker's first block.
   */
  long[] run(
      Workload workload, float[] a, int offset, int length, CombineStrategy strategy, Grain grain) {
    calls.lock();
    try {
      if (closed) {
        throw new IllegalStateException("this Combiner is closed");
      }
      Call call =
          new Call(Shared.of(strategy, workload, threads), workload, a, offset, length, grain);
      for (int w = 1; w < threads; w++) {
        int worker = w;
        pool.execute(() -> call.work(worker));
      }
      call.work(0);
      awaitUninterruptibly(call.unfinished);
      Throwable t = call.failure.get();
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error error) {
        throw error;
      }
      if (t != null) {
        throw new IllegalStateException("a combine worker failed", t);
      }
      return call.shared.result();
    } finally {
      calls.unlock();
    }
  }

  /** One call: its blocks, the next one to claim, the blocks not yet done, the first failure. */
  private final class Call {
    final Shared shared;
    final Workload workload;
    final float[] a;
    final int offset;
    final int length;
    final Grain grain;
    final int blocks;
    final AtomicInteger next = new AtomicInteger();
    final CountDownLatch unfinished;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Call(Shared shared, Workload workload, float[] a, int offset, int length, Grain grain) {
      this.shared = shared;
      this.workload = workload;
      this.a = a;
      this.offset = offset;
      this.length = length;
      this.grain = grain;
      this.blocks = (int) (((long) length + block - 1) / block);
      this.unfinished = new CountDownLatch(blocks);
    }

    /**
     * Claims and runs blocks until none is left; after a failure, claims without running. A block
     * counts as done only after its failure is recorded, so the caller cannot miss it.
     */
    void work(int worker) {
      for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            int from = offset + b * block;
            int n = Math.min(block, length - b * block);
            if (grain == Grain.FINE) {
              shared.fine(a, from, n, worker);
            } else {
              workload.block(a, from, n, shared.coarseTarget(worker));
              shared.afterCoarse(worker);
            }
          }
        } catch (Throwable t) {
          fail(t);
        } finally {
          unfinished.countDown();
        }
      }
      if (failure.get() == null) {
        try {
          shared.arrive(worker);
        } catch (Throwable t) {
          fail(t);
        }
      }
    }

    /** Records the first failure, then breaks the barrier: a woken waiter never sees a success. */
    private void fail(Throwable t) {
      failure.compareAndSet(null, t);
      shared.abort();
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
      if (pool == null) {
        return;
      }
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
