package dev.flynn.engine;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One asynchronous call: its work, the future it completes, and the stop that cancelling, a timeout
 * or closing the engine sends it.
 *
 * <p>The rule that every path keeps: <b>the future completes only after the work has stopped</b>.
 * The work completes the future itself after its last write; whoever stops it from outside (a
 * {@code cancel}, a {@code complete} or {@code completeExceptionally} such as {@code orTimeout}'s,
 * closing the engine) first marks it stopped, then waits until it has left its block (every block
 * of a call view checks the mark before it starts, on every thread that shares the call), and only
 * then completes the future. So once the future is done, no engine thread writes the call's arrays.
 */
final class AsyncTask<T> implements Runnable {

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int ENDED = 2;

  private final Workers engine;
  private final Mode mode;
  private final Function<? super FlynnOps, ? extends T> work;
  private final Result future = new Result();
  private final AtomicInteger state = new AtomicInteger(QUEUED);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile String stopped;
  private volatile Thread runner;

  AsyncTask(Workers engine, Mode mode, Function<? super FlynnOps, ? extends T> work) {
    this.engine = engine;
    this.mode = mode;
    this.work = work;
  }

  /** Queues this call on the engine's pool and returns its future. */
  CompletableFuture<T> submit() {
    engine.submit(this);
    return future;
  }

  /** Whether something has asked this call to stop: tests use it to pace their hooks. */
  boolean stopRequested() {
    return stopped != null;
  }

  static AsyncTask<?> of(CompletableFuture<?> future) {
    return ((AsyncTask<?>.Result) future).task();
  }

  @Override
  public void run() {
    if (!state.compareAndSet(QUEUED, RUNNING)) {
      return; // stopped while queued: whoever stopped it completes the future
    }
    runner = Thread.currentThread();
    T value = null;
    Throwable failure = null;
    try {
      value =
          work.apply(
              new FlynnOps(engine.forCall(this, allThreadsFrom(mode, engine.threads())), mode));
    } catch (Throwable t) {
      failure = t;
    } finally {
      ended();
    }
    // Completing runs the caller's dependent stages on this thread: after ended(), so that a
    // concurrent cancel() never waits for them.
    if (stopped != null) {
      return; // whoever stopped it completes the future, with its own reason
    }
    if (failure != null) {
      future.fail(failure);
    } else {
      future.finish(value);
    }
  }

  /**
   * Lengths from which this call uses every thread of the pool, as its mode does synchronously:
   * never for SISD and SIMD, always for the MIMD modes. AUTO forks from the smaller of its two
   * thresholds (a call view cannot tell which kernel asks), so an asynchronous memory-bound call
   * may share its work from 256 Ki elements where the synchronous one waits for 2 Mi: the same
   * bits, a little more hand-off.
   */
  static long allThreadsFrom(Mode mode, int threads) {
    return switch (mode) {
      case SISD, SIMD -> Long.MAX_VALUE;
      case MIMD, SIMD_MIMD -> 0;
      case AUTO -> threads > 1 ? FlynnOps.AUTO_FORK_TRANSCENDENTAL : Long.MAX_VALUE;
    };
  }

  private void ended() {
    state.set(ENDED);
    engine.finished(this);
    ended.countDown();
  }

  /** Throws once this call has been stopped: every block of its view calls this first. */
  void checkpoint() {
    String why = stopped;
    if (why != null) {
      throw new CancellationException("the asynchronous Flynn call was stopped: " + why);
    }
  }

  /**
   * Marks this call stopped (the first reason stays); a call still queued will never run. Returns
   * at once: see {@link #stopAndAwait}.
   */
  void stop(String why) {
    if (stopped == null) {
      synchronized (this) {
        if (stopped == null) {
          stopped = why;
        }
      }
    }
    if (state.compareAndSet(QUEUED, ENDED)) {
      engine.finished(this);
      ended.countDown();
    }
  }

  /**
   * Stops this call and waits until its work has left its current block: at most one block's time
   * (16384 elements) on each thread that shares the call, or, for {@link AsyncFlynnOps#call}, until
   * the caller's function returns. Does not wait when called from the call's own thread (its work
   * cancelling itself), which would never return.
   */
  private void stopAndAwait(String why) {
    stop(why);
    if (runner == Thread.currentThread()) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        ended.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Fails a call the pool would not take (the engine closed meanwhile); it never runs. */
  void reject(IllegalStateException e) {
    stop("the engine was closed");
    future.fail(e);
  }

  /** Fails a call that closing the engine stopped, once every worker has ended. */
  void failClosed() {
    future.fail(
        new IllegalStateException(
            Workers.CLOSED + ": the asynchronous call was stopped before it ended"));
  }

  /**
   * The future of one call. Completing it from outside (cancel, complete, completeExceptionally,
   * which is how {@code orTimeout} and {@code completeOnTimeout} act) stops the work first and
   * waits for it; forcing it ({@code obtrude...}, {@code completeAsync}) is not supported, since it
   * would bypass that wait.
   */
  private final class Result extends CompletableFuture<T> {

    AsyncTask<T> task() {
      return AsyncTask.this;
    }

    void finish(T value) {
      super.complete(value);
    }

    void fail(Throwable failure) {
      super.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (!isDone()) {
        stopAndAwait("cancelled");
      }
      return super.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean complete(T value) {
      if (isDone()) {
        return false;
      }
      stopAndAwait("completed from outside");
      return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
      Objects.requireNonNull(ex, "ex");
      if (isDone()) {
        return false;
      }
      stopAndAwait("completed exceptionally from outside (" + ex + ")");
      return super.completeExceptionally(ex);
    }

    @Override
    public void obtrudeValue(T value) {
      throw new UnsupportedOperationException("a Flynn call's future cannot be obtruded");
    }

    @Override
    public void obtrudeException(Throwable ex) {
      throw new UnsupportedOperationException("a Flynn call's future cannot be obtruded");
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
      throw new UnsupportedOperationException("a Flynn call completes itself");
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
      throw new UnsupportedOperationException("a Flynn call completes itself");
    }
  }
}
