package dev.flynn.engine.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Fills the pipeline's buffers with values: the source of {@link StreamSource#supplier}. Called on
 * the pipeline's producer thread only, one call per chunk, in order.
 */
@FunctionalInterface
public interface ChunkSupplier {

  /**
   * Puts values into {@code buffer} (little-endian, position 0, limit the chunk size), for example
   * with {@code putFloat}. The values put, from 0 to the buffer's position, form the next chunk;
   * their byte count must be a multiple of the element size. Returns false when the stream ends
   * (the values put in this call still count), true when more may follow. A call that puts nothing
   * and returns true is called again.
   *
   * <p>Runs on the producer thread: when the pipeline stops early (a failure elsewhere, a
   * cancellation), that thread is interrupted, so a supplier that blocks should do so
   * interruptibly. An exception thrown here stops the pipeline and reaches the caller.
   */
  boolean fill(ByteBuffer buffer) throws IOException;
}
