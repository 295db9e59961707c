package dev.flynn.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's own ForkJoin pool (never the common pool) and the one way work enters it: {@link
 * #forEachBlock}. A block that throws stops its siblings at their next block boundary, and the
 * original exception, not a copy, is rethrown to the caller; the pool stays usable. Closing waits
 * until every worker thread has ended.
 */
final class Workers implements AutoCloseable {

  /**
   * Runs one block: elements {@code [start, start + length)} of the range, block number {@code b}.
   */
  @FunctionalInterface
  interface BlockAction {
    void run(int start, int length, int block);
  }

  private static final AtomicInteger POOLS = new AtomicInteger();

  private static final String CLOSED = "this Flynn engine is closed";

  private final int threads;
  private final ForkJoinPool pool;
  private final Set<Thread> started = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  Workers(int threads) {
    this.threads = threads;
    int poolId = POOLS.incrementAndGet();
    AtomicInteger workerId = new AtomicInteger();
    this.pool =
        new ForkJoinPool(
            threads,
            p -> {
              ForkJoinWorkerThread t = new ForkJoinWorkerThread(null, p, true) {};
              t.setName("flynn-" + poolId + "-worker-" + workerId.incrementAndGet());
              t.setDaemon(true);
              // Idle workers end after the pool's keep-alive (60 s) and new ones replace them:
              // forget the ended ones, or a long-lived engine holds every thread it ever made.
              // TERMINATED, not !isAlive(): a thread made here and not yet started is not alive.
              started.removeIf(w -> w.getState() == Thread.State.TERMINATED);
              started.add(t);
              return t;
            },
            null,
            false);
  }

  int threads() {
    return threads;
  }

  boolean isClosed() {
    return closed;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(CLOSED);
    }
  }

  /**
   * Runs {@code action} once for every block of a range of {@code length} elements, on the calling
   * thread and up to {@code threads - 1} pool workers together. Blocks are claimed one at a time
   * from a shared counter, so a worker that wakes late (parking and waking a thread costs tens of
   * microseconds on a virtual machine) finds less to do instead of delaying the call, and a fast
   * participant takes more. Which thread runs a block never changes what the block computes.
   */
  void forEachBlock(int length, BlockAction action) {
    ensureOpen();
    Job job = new Job(action, length);
    int helpers = Math.min(threads, job.blocks) - 1;
    for (int h = 0; h < helpers; h++) {
      try {
        pool.execute(job::work);
      } catch (RejectedExecutionException e) {
        if (h == 0) {
          throw new IllegalStateException(CLOSED, e);
        }
        break; // closing meanwhile: the caller and the helpers already started finish the work
      }
    }
    job.work();
    job.awaitBlocks();
    job.rethrowFailure();
  }

  /** One pooled call: its blocks, the next one to claim, and the first failure. */
  private static final class Job {
    private final BlockAction action;
    private final int length;
    private final int blocks;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch unfinished;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(BlockAction action, int length) {
      this.action = action;
      this.length = length;
      this.blocks = Blocks.count(length);
      this.unfinished = new CountDownLatch(blocks);
    }

    /** Claims and runs blocks until none is left; after a failure, claims without running. */
    void work() {
      for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            action.run(Blocks.start(b), Blocks.length(b, length), b);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          unfinished.countDown();
        }
      }
    }

    /** Waits for blocks claimed by workers; interrupts are kept for the caller, not lost. */
    void awaitBlocks() {
      boolean interrupted = false;
      while (true) {
        try {
          unfinished.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** Rethrows the first failure itself, not a copy, so the caller sees the original. */
    void rethrowFailure() {
      Throwable t = failure.get();
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error error) {
        throw error;
      }
      if (t != null) {
        throw new IllegalStateException("a Flynn worker failed", t);
      }
    }
  }

  /** Stops the pool and waits until every worker thread it started has ended. */
  @Override
  public void close() {
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
  }
}
