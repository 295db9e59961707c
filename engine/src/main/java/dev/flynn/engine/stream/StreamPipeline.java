package dev.flynn.engine.stream;

import dev.flynn.engine.Mode;
import dev.flynn.engine.stream.BufferPool.Slot;
import dev.flynn.engine.stream.StreamOp.Kind;
import dev.flynn.engine.stream.StreamOp.Totals;
import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.FloatKernels;
import dev.flynn.kernels.Kernels;
import dev.flynn.kernels.OnePassKernels;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams values larger than memory through the engine's kernels: one producer thread reads chunks
 * into a fixed pool of reusable native buffers and hands them through a bounded queue to several
 * consumer threads, which run SIMD kernels on them; an in-order sink then folds each chunk's
 * partial result (or writes its mapped values) in chunk order and gives the buffer back.
 *
 * <pre>{@code
 * StreamPipeline pipeline = StreamPipeline.builder().consumers(2).build();
 * Stats s = pipeline.run(StreamSource.file(path, ElementType.FLOAT), StreamOp.stats());
 * try (FileChannel out = FileChannel.open(target, CREATE, WRITE)) {
 *   pipeline.run(StreamSource.file(path, ElementType.FLOAT), StreamOp.mapFloats(flynn::exp, out));
 * }
 * }</pre>
 *
 * <h2>Memory</h2>
 *
 * At most {@code buffers} chunks of {@code chunkBytes} native memory (created lazily, then reused;
 * nothing is allocated per chunk) plus one heap array of a chunk per consumer, whatever the size of
 * the stream: the producer must acquire a free buffer before it reads, and a buffer comes back only
 * after the sink has consumed its chunk. A slow consumer (or a slow output channel) therefore slows
 * the producer; it never makes anything grow. The defaults (1 MiB chunks, 2 consumers, 6 buffers)
 * stream any file through 8 MiB.
 *
 * <h2>Determinism</h2>
 *
 * Chunk boundaries depend only on the chunk size (a channel is read until each buffer is full), and
 * partials are combined in chunk order along a fixed tree ({@link StreamOp}), so a reduction has
 * the same bits for any number of consumers and buffers.
 *
 * <h2>Failures</h2>
 *
 * A failure anywhere (the source cannot be read, the stream ends inside a value, a consumer or a
 * map throws, the output channel fails, the progress callback throws) stops every thread: the first
 * failure is kept, the others are interrupted. {@link #run} returns only after every thread it
 * started has ended, and throws that first exception itself (not a wrapper); {@link #runAsync}
 * completes its future exceptionally with it. When the thread calling {@link #run} is interrupted,
 * the pipeline stops the same way and {@code run} throws {@link InterruptedException}. Threads are
 * named {@value #THREAD_PREFIX}{@code producer} and {@value #THREAD_PREFIX}{@code consumer-N}.
 *
 * <p>Instances are immutable and thread-safe; each run has its own threads and buffers.
 */
public final class StreamPipeline {

  /** The name prefix of every thread a pipeline starts. */
  public static final String THREAD_PREFIX = "flynn-pipeline-";

  /** The default chunk: 1 MiB, 256 Ki floats, 16 blocks of the engine's reductions. */
  public static final int DEFAULT_CHUNK_BYTES = 1 << 20;

  /** The largest chunk, 1 GiB: a chunk is read into one heap array per consumer. */
  public static final int MAX_CHUNK_BYTES = 1 << 30;

  /** The most consumers, and the most buffers, a pipeline accepts. */
  public static final int MAX_THREADS = 1024;

  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble DOUBLE_LE =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** What tests watch; a package-private hook, the public API has none. */
  interface Observer {
    /** A buffer was created; {@code created} counts them in this run. */
    default void bufferCreated(int created) {}

    /** The producer read chunk {@code sequence} (numbered from 0). */
    default void chunkRead(long sequence) {}

    /** The sink consumed chunk {@code sequence}; its buffer is given back right after. */
    default void chunkDone(long sequence) {}
  }

  private static final Observer NO_OBSERVER = new Observer() {};

  private final int chunkBytes;
  private final int consumers;
  private final int buffers;
  private final boolean vector;
  private final StreamProgress progress;
  private final Observer observer;

  private StreamPipeline(Builder b) {
    this.chunkBytes = b.chunkBytes;
    this.consumers = b.consumers;
    this.buffers = b.buffers > 0 ? b.buffers : Math.min(MAX_THREADS, 2 * b.consumers + 2);
    this.vector = b.mode == Mode.SIMD || b.mode == Mode.SIMD_MIMD || b.mode == Mode.AUTO;
    this.progress = b.progress;
    this.observer = b.observer;
  }

  /** A builder with the defaults: 1 MiB chunks, 2 consumers, 2 buffers per consumer plus 2. */
  public static Builder builder() {
    return new Builder();
  }

  /** Bytes per chunk. */
  public int chunkBytes() {
    return chunkBytes;
  }

  /** Consumer threads per run. */
  public int consumers() {
    return consumers;
  }

  /** Chunk buffers per run: the bound on the memory in flight. */
  public int buffers() {
    return buffers;
  }

  /**
   * Runs {@code op} over {@code source} and returns its result, once every thread of the run has
   * ended.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException before anything starts, if {@code op} maps one type and the
   *     source holds the other, or a file's size is not a multiple of the element size
   * @throws IOException the source's or the output's own exception: a file that cannot be opened
   *     (before anything starts), a failed read or write, {@link EOFException} for a channel that
   *     ends inside a value
   * @throws InterruptedException if the calling thread is interrupted while it waits; the run is
   *     stopped and its threads have ended
   * @throws RuntimeException or {@link Error}: the first one thrown by a map, a supplier or the
   *     progress callback; {@link IllegalArgumentException} for the statistics of an empty stream
   */
  public <R> R run(StreamSource source, StreamOp<R> op) throws IOException, InterruptedException {
    Run<R> run = start(source, op);
    try {
      for (Thread t : run.threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      run.fail(e);
      run.joinUninterruptibly();
      throw e;
    }
    if (run.error != null) {
      throw rethrow(run.error);
    }
    return run.result;
  }

  /**
   * Starts {@code op} over {@code source} and returns at once. The future completes with the result
   * or, exceptionally, with the first failure (the exceptions of {@link #run}); cancelling it stops
   * the run: every thread is interrupted and ends shortly after.
   *
   * @throws IOException if a file source cannot be opened (nothing is started then)
   */
  public <R> CompletableFuture<R> runAsync(StreamSource source, StreamOp<R> op) throws IOException {
    Run<R> run = start(source, op);
    run.future.whenComplete(
        (value, failure) -> {
          if (failure instanceof CancellationException) {
            run.fail(failure);
          }
        });
    return run.future;
  }

  private <R> Run<R> start(StreamSource source, StreamOp<R> op) throws IOException {
    Objects.requireNonNull(source, "source is null");
    Objects.requireNonNull(op, "op is null");
    ElementType type = source.type();
    if (op.kind == Kind.MAP && op.mapType != type) {
      throw new IllegalArgumentException(
          "the map takes " + op.mapType + " values but the source holds " + type + ": " + source);
    }
    ReadableByteChannel channel = source.channel();
    FileChannel opened = null;
    long total = -1;
    if (source.path() != null) {
      opened = FileChannel.open(source.path(), StandardOpenOption.READ);
      try {
        total = opened.size();
        if (total % type.bytes() != 0) {
          throw new IllegalArgumentException(
              source.path()
                  + ": its size, "
                  + total
                  + " bytes, is not a multiple of "
                  + type.bytes()
                  + " (one "
                  + type
                  + " value): the last value is cut short");
        }
      } catch (IOException | RuntimeException e) {
        opened.close();
        throw e;
      }
      channel = opened;
    }
    Run<R> run = new Run<>(this, op, type, channel, opened, source.supplier(), total);
    run.startThreads();
    return run;
  }

  private static RuntimeException rethrow(Throwable t) throws IOException, InterruptedException {
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof InterruptedException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t); // no other checked exception can reach here
  }

  /** One run: its threads, its buffers and what the sink accumulated. */
  private static final class Run<R> {
    private static final Slot END = new Slot(null, 0, 0);

    final List<Thread> threads = new ArrayList<>();
    final CompletableFuture<R> future = new CompletableFuture<>();
    R result;
    Throwable error;

    private final StreamPipeline pipeline;
    private final StreamOp<R> op;
    private final ElementType type;
    private final ReadableByteChannel channel;
    private final FileChannel opened;
    private final ChunkSupplier supplier;
    private final long totalBytes;
    private final BufferPool pool;
    private final BlockingQueue<Slot> queue;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger running = new AtomicInteger();
    private final long startNanos = System.nanoTime();

    // the in-order sink: guarded by "ready" except the totals, touched by the drainer only
    private final Slot[] ready;
    private long nextToSink;
    private boolean draining;
    private final Totals totals = new Totals();
    private final Cascade cascade;
    private volatile long chunksRead = -1;

    Run(
        StreamPipeline pipeline,
        StreamOp<R> op,
        ElementType type,
        ReadableByteChannel channel,
        FileChannel opened,
        ChunkSupplier supplier,
        long totalBytes) {
      this.pipeline = pipeline;
      this.op = op;
      this.type = type;
      this.channel = channel;
      this.opened = opened;
      this.supplier = supplier;
      this.totalBytes = totalBytes;
      int partialWidth = op.kind == Kind.STATS ? OnePassKernels.WIDTH : 1;
      this.pool =
          new BufferPool(
              pipeline.buffers,
              pipeline.chunkBytes,
              partialWidth,
              op.countsWidth(),
              pipeline.observer);
      this.queue = new ArrayBlockingQueue<>(pipeline.buffers + pipeline.consumers);
      this.ready = new Slot[pipeline.buffers];
      this.cascade =
          op.kind == Kind.STATS
              ? new Cascade(OnePassKernels.WIDTH, OnePassKernels::combine)
              : new Cascade(1, (l, li, r, ri, out, o) -> out[o] = l[li] + r[ri]);
      totals.rule = op.rule;
      totals.counts = new long[op.countsWidth()];
    }

    void startThreads() {
      threads.add(
          Thread.ofPlatform().name(THREAD_PREFIX + "producer").daemon().unstarted(this::produce));
      for (int c = 1; c <= pipeline.consumers; c++) {
        threads.add(
            Thread.ofPlatform()
                .name(THREAD_PREFIX + "consumer-" + c)
                .daemon()
                .unstarted(this::consume));
      }
      running.set(threads.size());
      for (Thread t : threads) {
        t.start();
      }
    }

    /** Keeps the first failure and interrupts every other thread of the run. */
    void fail(Throwable t) {
      if (failure.compareAndSet(null, t)) {
        for (Thread thread : threads) {
          if (thread != Thread.currentThread()) {
            thread.interrupt();
          }
        }
      }
    }

    void joinUninterruptibly() {
      for (Thread t : threads) {
        while (true) {
          try {
            t.join();
            break;
          } catch (InterruptedException again) {
            // keep waiting: run() throws the first interruption once the threads have ended
          }
        }
      }
    }

    private void produce() {
      try {
        long sequence = 0;
        long bytesRead = 0;
        boolean ended = false;
        while (!ended && failure.get() == null) {
          Slot slot = pool.acquire();
          ByteBuffer buffer = slot.buffer;
          buffer.clear();
          ended = read(buffer);
          int bytes = buffer.position();
          if (bytes % type.bytes() != 0) {
            throw truncated(bytesRead + bytes);
          }
          if (bytes == 0) {
            pool.release(slot);
            break;
          }
          slot.sequence = sequence++;
          slot.bytes = bytes;
          bytesRead += bytes;
          pipeline.observer.chunkRead(slot.sequence);
          if (pipeline.progress != null) {
            pipeline.progress.update(bytesRead, totalBytes, System.nanoTime() - startNanos);
          }
          queue.put(slot);
        }
        chunksRead = sequence;
        for (int c = 0; c < pipeline.consumers; c++) {
          queue.put(END);
        }
      } catch (Throwable t) {
        fail(t);
      } finally {
        ended();
      }
    }

    /** Fills {@code buffer} from the source; true at the end of the stream. */
    private boolean read(ByteBuffer buffer) throws IOException {
      if (supplier != null) {
        while (true) {
          boolean more = supplier.fill(buffer);
          if (!more || buffer.position() > 0) {
            return !more;
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(
                "the pipeline stopped while the supplier gave nothing");
          }
        }
      }
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          return true;
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("the pipeline stopped during a read");
        }
      }
      return false;
    }

    private Exception truncated(long bytes) {
      String what =
          bytes
              + " bytes, not a multiple of "
              + type.bytes()
              + " (one "
              + type
              + " value): the last value is cut short";
      return supplier != null
          ? new IllegalStateException("the supplier gave " + what)
          : new EOFException("the stream ended after " + what);
    }

    private void consume() {
      try {
        int values = pipeline.chunkBytes / type.bytes();
        float[] floats = type == ElementType.FLOAT ? new float[values] : null;
        double[] doubles = type == ElementType.DOUBLE ? new double[values] : null;
        double[] scratch = new double[OnePassKernels.scratchLength()];
        FloatKernels fk = pipeline.vector ? Kernels.vectorFloats() : Kernels.scalarFloats();
        DoubleKernels dk = pipeline.vector ? Kernels.vectorDoubles() : Kernels.scalarDoubles();
        while (true) {
          Slot slot = queue.take();
          if (slot == END) {
            return;
          }
          if (floats != null) {
            consumeFloats(slot, floats, scratch, fk);
          } else {
            consumeDoubles(slot, doubles, scratch, dk);
          }
          finished(slot);
        }
      } catch (Throwable t) {
        fail(t);
      } finally {
        ended();
      }
    }

    private void consumeFloats(Slot slot, float[] a, double[] scratch, FloatKernels k) {
      int n = slot.bytes / Float.BYTES;
      MemorySegment.copy(slot.segment, FLOAT_LE, 0, a, 0, n);
      switch (op.kind) {
        case SUM -> slot.partial[0] = OnePassKernels.sum(k, a, 0, n);
        case STATS -> {
          Arrays.fill(slot.counts, 0);
          OnePassKernels.range(k, a, 0, n, op.rule, slot.counts, slot.partial, 0, scratch);
        }
        case HISTOGRAM -> {
          Arrays.fill(slot.counts, 0);
          k.histogram(a, 0, n, op.rule, slot.counts);
        }
        case MAP -> {
          op.floatMap.apply(a, 0, a, 0, n);
          MemorySegment.copy(a, 0, slot.segment, FLOAT_LE, 0, n);
        }
      }
    }

    private void consumeDoubles(Slot slot, double[] a, double[] scratch, DoubleKernels k) {
      int n = slot.bytes / Double.BYTES;
      MemorySegment.copy(slot.segment, DOUBLE_LE, 0, a, 0, n);
      switch (op.kind) {
        case SUM -> slot.partial[0] = OnePassKernels.sum(k, a, 0, n);
        case STATS -> {
          Arrays.fill(slot.counts, 0);
          OnePassKernels.range(k, a, 0, n, op.rule, slot.counts, slot.partial, 0, scratch);
        }
        case HISTOGRAM -> {
          Arrays.fill(slot.counts, 0);
          k.histogram(a, 0, n, op.rule, slot.counts);
        }
        case MAP -> {
          op.doubleMap.apply(a, 0, a, 0, n);
          MemorySegment.copy(a, 0, slot.segment, DOUBLE_LE, 0, n);
        }
      }
    }

    /**
     * Hands a consumed chunk to the in-order sink. The thread that finds no drainer at work becomes
     * it and sinks every chunk that is ready in sequence; the others return to their queue at once.
     * Chunks in flight have distinct sequences in a window of {@code buffers}, so {@code sequence
     * mod buffers} is a free place in {@code ready}.
     */
    private void finished(Slot slot) throws IOException {
      synchronized (ready) {
        ready[(int) (slot.sequence % ready.length)] = slot;
        if (draining) {
          return;
        }
        draining = true;
      }
      boolean normal = false;
      try {
        while (true) {
          Slot next;
          synchronized (ready) {
            int at = (int) (nextToSink % ready.length);
            next = ready[at];
            if (next == null || failure.get() != null) {
              draining = false;
              normal = true;
              return;
            }
            ready[at] = null;
            nextToSink++;
          }
          sink(next);
          pipeline.observer.chunkDone(next.sequence);
          pool.release(next);
        }
      } finally {
        if (!normal) {
          synchronized (ready) {
            draining = false;
          }
        }
      }
    }

    /** Folds one chunk in sequence order: on the draining thread only. */
    private void sink(Slot slot) throws IOException {
      totals.values += slot.bytes / type.bytes();
      switch (op.kind) {
        case SUM, STATS -> cascade.push(slot.partial, 0);
        case HISTOGRAM -> {}
        case MAP -> {
          ByteBuffer buffer = slot.buffer;
          buffer.clear().limit(slot.bytes);
          while (buffer.hasRemaining()) {
            op.out.write(buffer);
          }
        }
      }
      if (op.rule != null) {
        for (int i = 0; i < totals.counts.length; i++) {
          totals.counts[i] += slot.counts[i];
        }
      }
    }

    /** The last thread to end closes what the run opened and completes the run. */
    private void ended() {
      if (running.decrementAndGet() != 0) {
        return;
      }
      try {
        if (opened != null) {
          opened.close();
        }
      } catch (IOException e) {
        fail(e);
      }
      pool.close();
      Throwable t = failure.get();
      if (t == null) {
        try {
          if (nextToSink != chunksRead) {
            throw new IllegalStateException(
                "internal error: " + chunksRead + " chunks read, " + nextToSink + " consumed");
          }
          if (!cascade.isEmpty()) {
            cascade.result(totals.partial, 0);
            totals.sum = totals.partial[0]; // the sum's partial (unused by the statistics)
          }
          result = op.finish(totals);
        } catch (Throwable e) {
          t = e;
        }
      }
      error = t;
      if (t == null) {
        future.complete(result);
      } else {
        future.completeExceptionally(t);
      }
    }
  }

  /** Configures a pipeline. */
  public static final class Builder {
    private int chunkBytes = DEFAULT_CHUNK_BYTES;
    private int consumers = 2;
    private int buffers;
    private Mode mode = Mode.AUTO;
    private StreamProgress progress;
    private Observer observer = NO_OBSERVER;

    private Builder() {}

    /**
     * Bytes per chunk: a multiple of 8 (a whole number of floats and of doubles) from 8 to {@value
     * #MAX_CHUNK_BYTES}. Default 1 MiB. A multiple of 64 KiB (16384 floats) or 128 KiB (16384
     * doubles) keeps the chunks on the engine's block boundaries.
     */
    public Builder chunkBytes(int chunkBytes) {
      if (chunkBytes < 8 || chunkBytes > MAX_CHUNK_BYTES || chunkBytes % 8 != 0) {
        throw new IllegalArgumentException(
            "chunkBytes must be a multiple of 8 from 8 to " + MAX_CHUNK_BYTES + ": " + chunkBytes);
      }
      this.chunkBytes = chunkBytes;
      return this;
    }

    /** Consumer threads, 1 to {@value #MAX_THREADS}. Default 2. */
    public Builder consumers(int consumers) {
      if (consumers < 1 || consumers > MAX_THREADS) {
        throw new IllegalArgumentException(
            "consumers must be between 1 and " + MAX_THREADS + ": " + consumers);
      }
      this.consumers = consumers;
      return this;
    }

    /**
     * Chunk buffers, 1 to {@value #MAX_THREADS}: the bound on memory in flight. Default {@code 2 *
     * consumers + 2}, so each consumer has a chunk while the next ones are read and written.
     */
    public Builder buffers(int buffers) {
      if (buffers < 1 || buffers > MAX_THREADS) {
        throw new IllegalArgumentException(
            "buffers must be between 1 and " + MAX_THREADS + ": " + buffers);
      }
      this.buffers = buffers;
      return this;
    }

    /**
     * Which kernels the consumers run: vector for {@code SIMD}, {@code SIMD_MIMD} and {@code AUTO}
     * (the default), scalar for {@code SISD} and {@code MIMD}. The consumers are the parallelism:
     * each chunk runs on one thread. Reductions give the same bits within a kernel class.
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode is null");
      return this;
    }

    /** Told the bytes read after each chunk; see {@link StreamProgress}. Default none. */
    public Builder progress(StreamProgress progress) {
      this.progress = Objects.requireNonNull(progress, "progress is null");
      return this;
    }

    Builder observer(Observer observer) {
      this.observer = Objects.requireNonNull(observer, "observer is null");
      return this;
    }

    /** The pipeline. Starts nothing: each run starts its own threads. */
    public StreamPipeline build() {
      return new StreamPipeline(this);
    }
  }
}
