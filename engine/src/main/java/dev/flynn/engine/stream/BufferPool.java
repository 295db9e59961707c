package dev.flynn.engine.stream;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;

/**
 * A fixed pool of reusable chunk buffers: native memory from one shared arena, created lazily up to
 * {@code capacity} and then only reused, guarded by a semaphore of {@code capacity} permits. The
 * producer acquires a slot before reading into it; the in-order sink releases it once the chunk is
 * consumed (and written, for a map). So the memory is bounded by {@code capacity} chunks, and a
 * slow consumer blocks the producer instead of growing anything.
 */
final class BufferPool implements AutoCloseable {

  /** One chunk buffer and what travels with it through the pipeline. */
  static final class Slot {
    final MemorySegment segment;
    final ByteBuffer buffer;
    final double[] partial;
    final long[] counts;
    long sequence;
    int bytes;

    Slot(MemorySegment segment, int partialWidth, int countsWidth) {
      this.segment = segment;
      this.buffer = segment == null ? null : segment.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      this.partial = new double[partialWidth];
      this.counts = new long[countsWidth];
    }
  }

  private final Arena arena = Arena.ofShared();
  private final Semaphore permits;
  private final ArrayDeque<Slot> free = new ArrayDeque<>();
  private final int capacity;
  private final int chunkBytes;
  private final int partialWidth;
  private final int countsWidth;
  private final StreamPipeline.Observer observer;
  private int created;

  BufferPool(
      int capacity,
      int chunkBytes,
      int partialWidth,
      int countsWidth,
      StreamPipeline.Observer observer) {
    this.capacity = capacity;
    this.chunkBytes = chunkBytes;
    this.partialWidth = partialWidth;
    this.countsWidth = countsWidth;
    this.observer = observer;
    this.permits = new Semaphore(capacity);
  }

  /** A free slot, created if fewer than {@code capacity} exist; blocks while all are in use. */
  Slot acquire() throws InterruptedException {
    permits.acquire();
    synchronized (this) {
      Slot slot = free.poll();
      if (slot == null) {
        assert created < capacity;
        // 64-byte aligned: a cache line, and every vector width up to 512 bits
        slot = new Slot(arena.allocate(chunkBytes, 64), partialWidth, countsWidth);
        created++;
        observer.bufferCreated(created);
      }
      return slot;
    }
  }

  /** Gives a slot back for reuse. */
  void release(Slot slot) {
    synchronized (this) {
      free.push(slot);
    }
    permits.release();
  }

  /** Frees the native memory. Only once no thread touches a slot any more. */
  @Override
  public void close() {
    arena.close();
  }
}
