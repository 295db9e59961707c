package dev.flynn.engine;

import dev.flynn.kernels.Kernels;

/**
 * The Flynn engine: every kernel of {@link FlynnOps} in a default {@link Mode}, plus the ForkJoin
 * pool that the MIMD modes run on. Thread-safe; one engine can serve a whole application.
 *
 * <pre>{@code
 * try (Flynn flynn = Flynn.builder().threads(4).mode(Mode.AUTO).build()) {
 *   float s = flynn.sum(values);                  // default mode
 *   float d = flynn.using(Mode.SIMD).dot(a, b);   // one call in another mode
 * }
 * }</pre>
 *
 * <p>{@code flynn.async()} offers every call as an asynchronous one that returns a {@link
 * java.util.concurrent.CompletableFuture} at once and runs on the engine's pool; see {@link
 * AsyncFlynnOps}.
 *
 * <p>{@link #close()} stops the pool and waits for its threads to end; afterwards every call throws
 * {@link IllegalStateException}, and every asynchronous call still pending (queued or running) is
 * stopped and its future fails with {@link IllegalStateException}. The engine never uses the common
 * pool.
 */
public final class Flynn extends FlynnOps implements AutoCloseable {

  private Flynn(Workers workers, Mode mode) {
    super(workers, mode);
  }

  /** A builder with the defaults: one thread per available processor, {@link Mode#AUTO}. */
  public static Builder builder() {
    return new Builder();
  }

  /** An engine with the defaults of {@link #builder()}. */
  public static Flynn create() {
    return builder().build();
  }

  /** True when the SIMD modes really run vector code in this JVM (see the start-up log line). */
  public static boolean vectorActive() {
    return Kernels.vectorActive();
  }

  /** The kernel path chosen for this JVM, as the start-up log line says it. */
  public static String kernelDescription() {
    return Kernels.description();
  }

  /**
   * Stops the pool; returns when every worker thread has ended. Pending asynchronous calls stop at
   * their next block boundary (queued ones never start) and their futures fail with {@link
   * IllegalStateException}, completed once every worker has ended. Idempotent.
   *
   * @throws IllegalStateException when called on one of the engine's own threads (inside an
   *     asynchronous call's function, or a dependent action that ran on the thread completing its
   *     future), which closing would wait for; nothing is closed then, and the engine stays usable
   */
  @Override
  public void close() {
    workers.close();
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return workers.isClosed();
  }

  @Override
  public String toString() {
    return "Flynn[threads=" + threads() + ", mode=" + mode() + ", " + kernelDescription() + "]";
  }

  /** Configures an engine. */
  public static final class Builder {
    /** The most threads a ForkJoin pool accepts. */
    public static final int MAX_THREADS = 32767;

    private int threads = Runtime.getRuntime().availableProcessors();
    private Mode mode = Mode.AUTO;

    private Builder() {}

    /**
     * Threads that share a call in the MIMD modes, 1 to {@value #MAX_THREADS}: the calling thread
     * plus up to {@code threads - 1} pool workers.
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > MAX_THREADS) {
        throw new IllegalArgumentException(
            "threads must be between 1 and " + MAX_THREADS + ": " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** The mode calls run in unless a view from {@link FlynnOps#using(Mode)} says otherwise. */
    public Builder mode(Mode mode) {
      this.mode = Check.notNull("mode", mode);
      return this;
    }

    /** Starts the engine. The pool starts its threads lazily, on the first pooled call. */
    public Flynn build() {
      Kernels.description(); // decide the kernel path now, so its log line comes first
      return new Flynn(new Workers(threads), mode);
    }
  }
}
