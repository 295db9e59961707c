package dev.flynn.engine;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's own ForkJoin pool (never the common pool) and the one way work enters it: {@link
 * #forEachBlock}. A block that throws stops its siblings at their next block boundary, and the
 * original exception, not a copy, is rethrown to the caller; the pool stays usable.
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

  /** Leaf tasks per worker: a few, so a worker that finishes early can steal from a slow one. */
  private static final int TASKS_PER_THREAD = 4;

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
      throw new IllegalStateException("this Flynn engine is closed");
    }
  }

  /** Runs {@code action} once for every block of a range of {@code length} elements. */
  void forEachBlock(int length, BlockAction action) {
    ensureOpen();
    int blocks = Blocks.count(length);
    int grain = Math.max(1, blocks / (threads * TASKS_PER_THREAD));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      pool.invoke(new BlockTask(action, length, 0, blocks, grain, failure));
    } catch (RejectedExecutionException | CancellationException e) {
      // Rejected: closed before this call reached the pool. Cancelled: close() cancelled the
      // tasks of this call still queued (blocks catch their own exceptions, so nothing else
      // cancels a task).
      throw new IllegalStateException("this Flynn engine is closed", e);
    }
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

  private static final class BlockTask extends RecursiveAction {
    private static final long serialVersionUID = 1L;

    private final transient BlockAction action;
    private final int length;
    private final int lo;
    private final int hi;
    private final int grain;
    private final transient AtomicReference<Throwable> failure;

    BlockTask(
        BlockAction action,
        int length,
        int lo,
        int hi,
        int grain,
        AtomicReference<Throwable> failure) {
      this.action = action;
      this.length = length;
      this.lo = lo;
      this.hi = hi;
      this.grain = grain;
      this.failure = failure;
    }

    @Override
    protected void compute() {
      if (hi - lo <= grain) {
        for (int b = lo; b < hi && failure.get() == null; b++) {
          try {
            action.run(Blocks.start(b), Blocks.length(b, length), b);
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        }
        return;
      }
      int mid = (lo + hi) >>> 1;
      invokeAll(
          new BlockTask(action, length, lo, mid, grain, failure),
          new BlockTask(action, length, mid, hi, grain, failure));
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
