package dev.flynn.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure path of the pipeline: the original exception reaches the caller, nothing hangs, and
 * no pipeline thread is left (checked after each test by name, with a deadline).
 */
class StreamFailureTest {

  @TempDir Path dir;

  @AfterEach
  void noThreadIsLeft() throws InterruptedException {
    StreamTestSupport.assertNoPipelineThreads();
  }

  private static StreamPipeline pipeline() {
    return StreamPipeline.builder().chunkBytes(4096).consumers(3).buffers(4).build();
  }

  /** An endless supplier of floats that never blocks: only a failure stops it. */
  private static ChunkSupplier endless() {
    return buffer -> {
      while (buffer.remaining() >= 4) {
        buffer.putFloat(1.5f);
      }
      return true;
    };
  }

  @Test
  void aMissingFileThrowsBeforeAnythingStarts() {
    Path missing = dir.resolve("missing.f32");
    assertThrows(
        NoSuchFileException.class,
        () -> pipeline().run(StreamSource.file(missing, ElementType.FLOAT), StreamOp.sum()));
  }

  @Test
  void aFileCutInsideAValueThrowsBeforeAnythingStarts() throws IOException {
    Path cut = Files.write(dir.resolve("cut.f64"), new byte[8 * 100 + 5]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pipeline().run(StreamSource.file(cut, ElementType.DOUBLE), StreamOp.sum()));
    assertTrue(
        e.getMessage().contains("805 bytes") && e.getMessage().contains("cut.f64"), e.getMessage());
  }

  @Test
  void aChannelThatEndsInsideAValueFailsWithEofException() {
    byte[] data = new byte[4096 * 5 + 6]; // five full chunks, then one and a half floats
    EOFException e =
        assertThrows(
            EOFException.class,
            () ->
                pipeline()
                    .run(
                        StreamSource.channel(
                            Channels.newChannel(new java.io.ByteArrayInputStream(data)),
                            ElementType.FLOAT),
                        StreamOp.stats()));
    assertTrue(e.getMessage().contains("20486 bytes"), e.getMessage());
  }

  @Test
  void anUnreadableSourceReachesTheCallerUnchanged() {
    IOException broken = new IOException("disk on fire");
    int[] calls = {0};
    ChunkSupplier failing =
        buffer -> {
          if (++calls[0] == 7) {
            throw broken;
          }
          return endless().fill(buffer);
        };
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                pipeline().run(StreamSource.supplier(ElementType.FLOAT, failing), StreamOp.sum()));
    assertSame(broken, e);
  }

  @Test
  void aConsumerExceptionStopsTheEndlessProducer() {
    IllegalStateException boom = new IllegalStateException("map failed");
    int[] calls = {0};
    FloatMap failing =
        (x, xo, out, oo, n) -> {
          synchronized (calls) {
            if (++calls[0] == 10) {
              throw boom;
            }
          }
        };
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                pipeline()
                    .run(
                        StreamSource.supplier(ElementType.FLOAT, endless()),
                        StreamOp.mapFloats(
                            failing,
                            Channels.newChannel(java.io.OutputStream.nullOutputStream()))));
    assertSame(boom, e);
  }

  @Test
  void aFailingOutputChannelStopsTheRun() {
    IOException full = new IOException("no space left");
    WritableByteChannel failing =
        new WritableByteChannel() {
          int writes;

          @Override
          public int write(ByteBuffer src) throws IOException {
            if (++writes == 3) {
              throw full;
            }
            int n = src.remaining();
            src.position(src.limit());
            return n;
          }

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public void close() {}
        };
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                pipeline()
                    .run(
                        StreamSource.supplier(ElementType.FLOAT, endless()),
                        StreamOp.mapFloats((x, xo, o, oo, n) -> {}, failing)));
    assertSame(full, e);
  }

  @Test
  void aFailingProgressCallbackStopsTheRun() {
    UnsupportedOperationException stop = new UnsupportedOperationException("progress");
    StreamPipeline p =
        StreamPipeline.builder()
            .chunkBytes(4096)
            .progress(
                (read, total, nanos) -> {
                  if (read > 40_000) {
                    throw stop;
                  }
                })
            .build();
    assertSame(
        stop,
        assertThrows(
            UnsupportedOperationException.class,
            () -> p.run(StreamSource.supplier(ElementType.FLOAT, endless()), StreamOp.stats())));
  }

  @Test
  void interruptingTheCallerStopsEveryThread() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    ChunkSupplier slow =
        buffer -> {
          running.countDown();
          buffer.putFloat(2f);
          return true;
        };
    Thread caller =
        new Thread(
            () -> {
              try {
                pipeline().run(StreamSource.supplier(ElementType.FLOAT, slow), StreamOp.sum());
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "test-caller");
    caller.start();
    assertTrue(running.await(10, TimeUnit.SECONDS));
    caller.interrupt();
    caller.join(10_000);
    assertTrue(!caller.isAlive(), "run() returned");
    assertInstanceOf(InterruptedException.class, thrown.get());
  }

  @Test
  void cancellingTheFutureStopsEveryThread() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    ChunkSupplier supplier =
        buffer -> {
          running.countDown();
          return endless().fill(buffer);
        };
    CompletableFuture<Double> future =
        pipeline().runAsync(StreamSource.supplier(ElementType.FLOAT, supplier), StreamOp.sum());
    assertTrue(running.await(10, TimeUnit.SECONDS));
    assertTrue(future.cancel(true));
    assertThrows(CancellationException.class, future::join);
    // the @AfterEach check waits for the threads: cancellation interrupted them
  }

  @Test
  void anAsyncFailureCompletesTheFutureWithTheOriginalCause() throws Exception {
    Path missing = dir.resolve("missing.f32");
    assertThrows(
        NoSuchFileException.class,
        () -> pipeline().runAsync(StreamSource.file(missing, ElementType.FLOAT), StreamOp.sum()));
    IllegalStateException boom = new IllegalStateException("late");
    CompletableFuture<Long> future =
        pipeline()
            .runAsync(
                StreamSource.supplier(ElementType.FLOAT, endless()),
                StreamOp.mapFloats(
                    (x, xo, o, oo, n) -> {
                      throw boom;
                    },
                    Channels.newChannel(java.io.OutputStream.nullOutputStream())));
    ExecutionException e = assertThrows(ExecutionException.class, future::get);
    assertSame(boom, e.getCause());
    float[] values = {1, 2, 3};
    CompletableFuture<Double> ok =
        pipeline()
            .runAsync(
                StreamSource.channel(
                    Channels.newChannel(
                        new java.io.ByteArrayInputStream(StreamPipelineTest.bytes(values))),
                    ElementType.FLOAT),
                StreamOp.sum());
    assertEquals(6.0, ok.get());
  }

  @Test
  void badArgumentsThrowBeforeAnythingStarts() {
    StreamPipeline p = pipeline();
    StreamSource floats = StreamSource.supplier(ElementType.FLOAT, endless());
    assertThrows(NullPointerException.class, () -> p.run(null, StreamOp.sum()));
    assertThrows(NullPointerException.class, () -> p.run(floats, null));
    assertThrows(NullPointerException.class, () -> StreamSource.file(null, ElementType.FLOAT));
    assertThrows(NullPointerException.class, () -> StreamSource.channel(null, ElementType.FLOAT));
    assertThrows(NullPointerException.class, () -> StreamSource.supplier(null, endless()));
    assertThrows(
        NullPointerException.class,
        () ->
            StreamOp.mapFloats(null, Channels.newChannel(java.io.OutputStream.nullOutputStream())));
    IllegalArgumentException mismatch =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                p.run(
                    floats,
                    StreamOp.mapDoubles(
                        (x, xo, o, oo, n) -> {},
                        Channels.newChannel(java.io.OutputStream.nullOutputStream()))));
    assertTrue(mismatch.getMessage().contains("DOUBLE"), mismatch.getMessage());
    assertMessage("chunkBytes", () -> StreamPipeline.builder().chunkBytes(12));
    assertMessage("chunkBytes", () -> StreamPipeline.builder().chunkBytes(0));
    assertMessage("consumers", () -> StreamPipeline.builder().consumers(0));
    assertMessage("buffers", () -> StreamPipeline.builder().buffers(0));
    assertMessage("lo=1.0, hi=0.0", () -> StreamOp.histogram(1, 0, 4));
    assertMessage("bins=0", () -> StreamOp.stats(0, 1, 0));
    assertMessage("hi=Infinity", () -> StreamOp.histogram(0, Double.POSITIVE_INFINITY, 4));
  }

  private static void assertMessage(String part, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
