package dev.flynn.engine;

import java.util.ArrayList;
import java.util.List;
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
 *
 * <p><b>Call views.</b> An asynchronous call runs on a view of the engine's workers ({@link
 * #forCall}): the same pool, a cap on the threads one call may use, and the call's {@link
 * AsyncTask}, consulted before every block. A view is {@linkplain #blockwise() blockwise}: the
 * engine sends even its single-threaded calls through {@link #forEachBlock} (capped at one thread),
 * so that a stopped call ends at its next block boundary in every mode. The view of the engine
 * itself has no task and no cap: the synchronous API runs exactly as before.
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

  /** Called before each block of an asynchronous call, with the block's number: tests only. */
  @FunctionalInterface
  interface BlockHook {
    void beforeBlock(long block);
  }

  static final String CLOSED = "this Flynn engine is closed";

  private final int threads;
  private final ForkJoinPool pool;
  private final Set<Thread> started;

  /** The engine's own workers: where the closed flag, the pending calls and the hook live. */
  private final Workers root;

  /** The call this view runs, or null for the engine's own workers. */
  private final AsyncTask<?> task;

  /**
   * Lengths from which a call of this view uses every thread; below it, only the thread that runs
   * the call. 0 for the engine's own workers and the MIMD modes, never for SISD and SIMD.
   */
  private final long allThreadsFrom;

  /** The asynchronous calls submitted and not yet finished, for {@link #close()} to stop. */
  private final Set<AsyncTask<?>> pending;

  private volatile boolean closed;
  private volatile BlockHook hook;

  Workers(int threads) {
    this.threads = threads;
    this.root = this;
    this.task = null;
    this.allThreadsFrom = 0;
    this.pending = ConcurrentHashMap.newKeySet();
    this.started = ConcurrentHashMap.newKeySet();
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

  private Workers(Workers root, AsyncTask<?> task, long allThreadsFrom) {
    this.threads = root.threads;
    this.pool = root.pool;
    this.started = root.started;
    this.pending = root.pending;
    this.root = root;
    this.task = task;
    this.allThreadsFrom = allThreadsFrom;
  }

  /**
   * A view for one asynchronous call: the same pool; {@code allThreadsFrom} as in {@link
   * #allThreadsFrom}; every block first checks that {@code task} has not been stopped.
   */
  Workers forCall(AsyncTask<?> task, long allThreadsFrom) {
    return new Workers(root, task, allThreadsFrom);
  }

  /**
   * These workers for calls in {@code mode}: the same for the engine's own; for a call view, a view
   * of the same call with the thread cap of {@code mode} (a call that switches mode inside {@link
   * AsyncFlynnOps#call}).
   */
  Workers forMode(Mode mode) {
    return task == null ? this : new Workers(root, task, AsyncTask.allThreadsFrom(mode, threads));
  }

  /** The number of threads in the pool (the caller's included), whatever the view's cap. */
  int threads() {
    return threads;
  }

  boolean isClosed() {
    return root.closed;
  }

  /**
   * Throws {@link IllegalStateException} once the engine is closed, and, in a call view, the call's
   * stop exception once it has been stopped: every kernel calls this before it starts.
   */
  void ensureOpen() {
    if (root.closed) {
      throw new IllegalStateException(CLOSED);
    }
    if (task != null) {
      task.checkpoint();
    }
  }

  /**
   * Before block (or part) {@code block} of a call: in a call view, runs the test hook if any, then
   * throws the call's stop exception once it has been stopped; for the engine's own workers,
   * nothing. The one check every block-by-block loop makes.
   */
  void checkpoint(long block) {
    if (task != null) {
      BlockHook h = root.hook;
      if (h != null) {
        h.beforeBlock(block);
      }
      task.checkpoint();
    }
  }

  /**
   * Whether single-threaded calls must run block by block too: true in a call view, so that a
   * stopped call ends at its next block boundary in every mode.
   */
  boolean blockwise() {
    return task != null;
  }

  /**
   * Whether a call of {@code length} elements in {@code mode} goes to the pool: the engine's one
   * rule (arrays, segments, one-pass statistics). The SIMD_MIMD and MIMD modes split anything
   * longer than a block; AUTO only from {@code autoForkThreshold} and with more than one thread.
   */
  boolean pooled(Mode mode, long length, int autoForkThreshold) {
    return switch (mode) {
      case SISD, SIMD -> false;
      case MIMD, SIMD_MIMD -> length > Blocks.BLOCK;
      case AUTO -> threads > 1 && length >= autoForkThreshold && length > Blocks.BLOCK;
    };
  }

  /**
   * Whether a call goes through {@link #forEachBlock}: when it goes to the pool, and always in a
   * call view ({@link #blockwise()}), whose single-threaded calls run block by block on one thread
   * so that a stop takes effect at the next block boundary; the blocks give the same bits as the
   * whole range.
   */
  boolean inBlocks(Mode mode, long length, int autoForkThreshold) {
    return blockwise() ? length > 0 : pooled(mode, length, autoForkThreshold);
  }

  /** Installs (or, with null, removes) the hook called before each block of every call view. */
  void hook(BlockHook hook) {
    root.hook = hook;
  }

  /**
   * Runs {@code action} once for every block of a range of {@code length} elements, on the calling
   * thread and up to {@code threads - 1} pool workers together (in a call view, one thread only
   * below its {@link #allThreadsFrom}). Blocks are claimed one at a time from a shared counter, so
   * a worker that wakes late (parking and waking a thread costs tens of microseconds on a virtual
   * machine) finds less to do instead of delaying the call, and a fast participant takes more.
   * Which thread runs a block never changes what the block computes.
   */
  void forEachBlock(int length, BlockAction action) {
    forEachBlock(length, threadsFor(length), action);
  }

  /**
   * The threads a pooled call over {@code length} elements may use: all of them, but in a call view
   * of SISD or SIMD (one), or of AUTO below its fork threshold (one).
   */
  int threadsFor(long length) {
    return length >= allThreadsFrom ? threads : 1;
  }

  /**
   * As {@link #forEachBlock(int, BlockAction)}, on at most {@code maxThreads} threads: for callers
   * that hand out tasks rather than blocks and decide their own parallelism (gemm).
   */
  void forEachBlock(int length, int maxThreads, BlockAction action) {
    ensureOpen();
    Job job = new Job(action, length, this);
    int helpers = Math.min(Math.min(threads, maxThreads), job.blocks) - 1;
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
    private final Workers view;

    Job(BlockAction action, int length, Workers view) {
      this.action = action;
      this.length = length;
      this.blocks = Blocks.count(length);
      this.unfinished = new CountDownLatch(blocks);
      this.view = view;
    }

    /**
     * Claims and runs blocks until none is left; after a failure, claims without running. In a call
     * view, a stopped call fails here, before its next block, on every thread that shares it.
     */
    void work() {
      for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            view.checkpoint(b);
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

  /**
   * Queues an asynchronous call on the pool. On a closed engine, or one closing meanwhile, the
   * call's future fails with {@link IllegalStateException} instead; nothing runs.
   */
  void submit(AsyncTask<?> call) {
    // Registered before the closed check, and close() sets closed before it reads the set: a
    // call racing with close() is seen by one of the two, so none is left pending forever.
    pending.add(call);
    if (root.closed) {
      call.reject(new IllegalStateException(CLOSED));
      return;
    }
    try {
      pool.execute(call);
    } catch (RejectedExecutionException e) {
      call.reject(new IllegalStateException(CLOSED, e));
    }
  }

  /** Forgets a call that has finished (or will never run). */
  void finished(AsyncTask<?> call) {
    pending.remove(call);
  }

  /**
   * Stops the pool and waits until every worker thread it started has ended. Pending asynchronous
   * calls are stopped first (a running one at its next block boundary, a queued one before it
   * starts) and, once the pool has ended, their futures fail with {@link IllegalStateException}.
   */
  @Override
  public void close() {
    if (root != this) {
      throw new IllegalStateException("a call view does not own the pool");
    }
    if (closed) {
      return;
    }
    if (started.contains(Thread.currentThread())) {
      // Closing waits for every worker to end, this one included: it would wait for itself (for
      // the 30 s below, then leave the pool half closed). Refuse before anything changes.
      throw new IllegalStateException(
          "close() was called on "
              + Thread.currentThread().getName()
              + ", one of this engine's own threads (inside an asynchronous call's function or a"
              + " dependent action that ran on it?): it would wait for itself; close the engine"
              + " from another thread, e.g. after join() or in a *Async dependent with your own"
              + " executor");
    }
    closed = true;
    List<AsyncTask<?>> stopped = new ArrayList<>(pending);
    for (AsyncTask<?> call : stopped) {
      call.stop("the engine was closed");
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
    // Only now, with every worker ended, do the futures complete: a caller who sees one fail can
    // rely on its arrays being left alone.
    for (AsyncTask<?> call : stopped) {
      call.failClosed();
      pending.remove(call);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
