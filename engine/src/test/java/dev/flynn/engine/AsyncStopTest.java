package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stopping asynchronous calls: cancel, timeouts and close stop the work at a block boundary in
 * every mode, the future completes only once nothing writes any more, and no thread is left.
 *
 * <p>A test hook ({@link Workers#hook}) holds every thread that reaches block {@link #HELD} or a
 * later one until the call has been asked to stop: so the blocks before it have all run, and no
 * block from it on may run if the stop works, whatever the machine's speed. No timing assertion.
 */
@Timeout(60)
class AsyncStopTest {

  private static final int BLOCK = TestData.BLOCK;

  /** 2^20 floats: 64 blocks. */
  private static final int N = 1 << 20;

  /** The first block held by the hook. */
  private static final int HELD = 24;

  /** Flynn's segment layout: little-endian floats. */
  private static final ValueLayout.OfFloat LITTLE_ENDIAN =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static final float UNWRITTEN = Float.intBitsToFloat(0x7fc0_dead);

  /** Every element 0.5: exp gives about 1.6487, whichever kernel runs (the check stays cheap). */
  private static float[] input() {
    float[] x = new float[N];
    Arrays.fill(x, 0.5f);
    return x;
  }

  private static boolean isExpOfHalf(float v) {
    return Math.abs(v - 1.6487213f) <= 4 * Math.ulp(1.6487213f);
  }

  private static float[] unwritten() {
    float[] out = new float[N];
    Arrays.fill(out, UNWRITTEN);
    return out;
  }

  /** Holds threads at blocks from HELD on until the call in {@code call} is asked to stop. */
  private static Workers.BlockHook holdUntilStopped(
      AtomicReference<CompletableFuture<?>> call, CountDownLatch reached) {
    return block -> {
      if (block < HELD) {
        return;
      }
      reached.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (call.get() == null || !AsyncTask.of(call.get()).stopRequested()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the call was never asked to stop");
        }
        Thread.onSpinWait();
      }
    };
  }

  /** Blocks before HELD hold exp(x); from HELD on, nothing was written. */
  private static void assertStoppedAtHeldBlock(float[] x, float[] out, String what) {
    for (int i = 0; i < N; i++) {
      boolean written = Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(UNWRITTEN);
      if (i < HELD * BLOCK) {
        if (!written || !isExpOfHalf(out[i])) {
          fail(
              what
                  + ": element "
                  + i
                  + " before the stop is "
                  + out[i]
                  + ", not exp("
                  + x[i]
                  + ")");
        }
      } else if (written) {
        fail(what + ": element " + i + " (block " + i / BLOCK + ") written after the stop");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void cancelStopsTheWorkAtTheNextBlockInEveryMode(Mode mode) throws Exception {
    float[] x = input();
    float[] out = unwritten();
    AtomicReference<CompletableFuture<?>> call = new AtomicReference<>();
    CountDownLatch reached = new CountDownLatch(1);
    try (Flynn flynn = Flynn.builder().threads(2).build()) {
      flynn.workers.hook(holdUntilStopped(call, reached));
      CompletableFuture<Void> f = flynn.using(mode).async().exp(x, out);
      call.set(f);
      assertTrue(reached.await(20, TimeUnit.SECONDS), "the work never reached block " + HELD);
      assertTrue(f.cancel(true));
      // cancel returned: the work has stopped, the future is done, and nothing writes any more.
      assertTrue(f.isCancelled());
      assertThrows(CancellationException.class, f::join);
      assertStoppedAtHeldBlock(x, out, mode + " cancel");
      assertTrue(f.cancel(true), "cancelling again still says cancelled");
      // The engine is still usable after a cancelled call, the pool not stopped.
      flynn.workers.hook(null);
      assertEquals(flynn.using(mode).sum(x), flynn.using(mode).async().sum(x).join());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void cancelStopsASegmentCallAtTheNextBlockInEveryMode(Mode mode) throws Exception {
    float[] x = input();
    AtomicReference<CompletableFuture<?>> call = new AtomicReference<>();
    CountDownLatch reached = new CountDownLatch(1);
    // A shared arena: an asynchronous call runs on a pool thread, which a confined one refuses.
    try (Flynn flynn = Flynn.builder().threads(2).build();
        Arena arena = Arena.ofShared()) {
      MemorySegment in = arena.allocate((long) N * Float.BYTES, Float.BYTES);
      MemorySegment out = arena.allocate((long) N * Float.BYTES, Float.BYTES);
      MemorySegment.copy(x, 0, in, LITTLE_ENDIAN, 0, N);
      MemorySegment.copy(unwritten(), 0, out, LITTLE_ENDIAN, 0, N);
      flynn.workers.hook(holdUntilStopped(call, reached));
      CompletableFuture<Void> f =
          flynn.using(mode).async().run(ops -> ops.floatSegments().exp(in, out));
      call.set(f);
      assertTrue(reached.await(20, TimeUnit.SECONDS), "the work never reached block " + HELD);
      assertTrue(f.cancel(true));
      assertStoppedAtHeldBlock(x, out.toArray(LITTLE_ENDIAN), mode + " segment cancel");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void cancelStopsAOnePassStatsCallAtTheNextBlockInEveryMode(Mode mode) throws Exception {
    float[] x = input();
    AtomicReference<CompletableFuture<?>> call = new AtomicReference<>();
    CountDownLatch reached = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger started =
        new java.util.concurrent.atomic.AtomicInteger();
    Workers.BlockHook hold = holdUntilStopped(call, reached);
    try (Flynn flynn = Flynn.builder().threads(2).build()) {
      flynn.workers.hook(
          block -> {
            started.incrementAndGet();
            hold.beforeBlock(block);
          });
      CompletableFuture<Stats> f = flynn.using(mode).async().call(ops -> ops.stats().of(x));
      call.set(f);
      assertTrue(reached.await(20, TimeUnit.SECONDS), "the work never reached block " + HELD);
      assertTrue(f.cancel(true));
      assertThrows(CancellationException.class, f::join);
      // blocks 0 .. HELD - 1 ran, and at most one held block per thread: none after the stop
      assertTrue(
          started.get() <= HELD + 2,
          () -> mode + ": " + started.get() + " blocks started, more than " + (HELD + 2));
    }
  }

  @Test
  void aTimeoutStopsTheWorkAndFailsTheFutureWithTimeoutException() throws Exception {
    float[] x = input();
    float[] out = unwritten();
    AtomicReference<CompletableFuture<?>> call = new AtomicReference<>();
    try (Flynn flynn = Flynn.builder().threads(2).build()) {
      CountDownLatch reached = new CountDownLatch(1);
      flynn.workers.hook(holdUntilStopped(call, reached));
      CompletableFuture<Void> f = flynn.using(Mode.SIMD).async().exp(x, out);
      call.set(f);
      // The timeout starts once the work holds at block HELD: on a loaded machine 50 ms may pass
      // before it gets there, and the stop would then come at an earlier block.
      assertTrue(reached.await(20, TimeUnit.SECONDS), "the work never reached block " + HELD);
      assertTrue(f == f.orTimeout(50, TimeUnit.MILLISECONDS));
      ExecutionException e = assertThrows(ExecutionException.class, f::get);
      assertInstanceOf(TimeoutException.class, e.getCause());
      assertStoppedAtHeldBlock(x, out, "orTimeout");

      // completeOnTimeout: the future gets the fallback value, and the work stops all the same.
      float[] out2 = unwritten();
      AtomicReference<CompletableFuture<?>> call2 = new AtomicReference<>();
      CountDownLatch reached2 = new CountDownLatch(1);
      flynn.workers.hook(holdUntilStopped(call2, reached2));
      CompletableFuture<Float> g =
          flynn
              .using(Mode.SISD)
              .async()
              .call(
                  ops -> {
                    ops.exp(x, out2);
                    return 1f;
                  });
      call2.set(g);
      assertTrue(reached2.await(20, TimeUnit.SECONDS), "the work never reached block " + HELD);
      assertEquals(-1f, g.completeOnTimeout(-1f, 50, TimeUnit.MILLISECONDS).join());
      assertStoppedAtHeldBlock(x, out2, "completeOnTimeout");
    }
  }

  @Test
  void aQueuedCallCancelledNeverRuns() throws Exception {
    float[] x = input();
    float[] first = unwritten();
    float[] second = unwritten();
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Flynn flynn = Flynn.builder().threads(1).build()) {
      // One pool thread: the second call waits in the queue behind the held first one.
      flynn.workers.hook(
          block -> {
            if (block == HELD) {
              reached.countDown();
              awaitQuietly(release);
            }
          });
      CompletableFuture<Void> running = flynn.using(Mode.SISD).async().exp(x, first);
      assertTrue(reached.await(20, TimeUnit.SECONDS));
      CompletableFuture<Void> queued = flynn.using(Mode.SISD).async().exp(x, second);
      assertTrue(queued.cancel(false)); // returns at once: it never started
      release.countDown();
      running.get(20, TimeUnit.SECONDS);
      for (int i = 0; i < N; i++) {
        assertTrue(isExpOfHalf(first[i]), "element " + i + ": " + first[i]);
      }
      for (float v : second) {
        assertEquals(Float.floatToRawIntBits(UNWRITTEN), Float.floatToRawIntBits(v));
      }
      assertTrue(queued.isCancelled());
    }
  }

  @Test
  void aCallThatCancelsItselfDoesNotWaitForItself() {
    float[] x = input();
    AtomicReference<CompletableFuture<?>> self = new AtomicReference<>();
    CountDownLatch published = new CountDownLatch(1);
    try (Flynn flynn = Flynn.builder().threads(2).build()) {
      CompletableFuture<Float> f =
          flynn
              .async()
              .call(
                  ops -> {
                    awaitQuietly(published);
                    assertTrue(self.get().cancel(true)); // would hang if it waited for itself
                    return ops.sum(x); // stopped: throws at its first block
                  });
      self.set(f);
      published.countDown();
      assertThrows(CancellationException.class, f::join);
      assertTrue(f.isCancelled());
    }
  }

  @Test
  void closeFailsEveryPendingFutureStopsTheWorkAndLeavesNoThread() throws Exception {
    Set<Thread> before = flynnThreads();
    float[] x = input();
    float[] out = unwritten();
    float[] queuedOut = unwritten();
    AtomicReference<CompletableFuture<?>> call = new AtomicReference<>();
    CountDownLatch reached = new CountDownLatch(1);
    Flynn flynn = Flynn.builder().threads(1).build();
    flynn.workers.hook(holdUntilStopped(call, reached));
    CompletableFuture<Void> running = flynn.using(Mode.SIMD).async().exp(x, out);
    call.set(running);
    assertTrue(reached.await(20, TimeUnit.SECONDS));
    CompletableFuture<Float> queued =
        flynn
            .using(Mode.SISD)
            .async()
            .call(
                ops -> {
                  ops.exp(x, queuedOut);
                  return 0f;
                });
    AtomicInteger dependents = new AtomicInteger();
    running.whenComplete((v, e) -> dependents.incrementAndGet());

    flynn.close();

    for (CompletableFuture<?> f : java.util.List.of(running, queued)) {
      assertTrue(f.isDone(), "close() returned with a pending future");
      Throwable cause = assertThrows(ExecutionException.class, f::get).getCause();
      assertInstanceOf(IllegalStateException.class, cause);
      assertTrue(cause.getMessage().contains("Flynn engine is closed"), cause.getMessage());
    }
    assertEquals(1, dependents.get());
    assertStoppedAtHeldBlock(x, out, "close");
    for (float v : queuedOut) {
      assertEquals(Float.floatToRawIntBits(UNWRITTEN), Float.floatToRawIntBits(v));
    }
    assertNoNewFlynnThread(before);

    // On a closed engine a call returns a future that has already failed; nothing runs.
    CompletableFuture<Float> late = flynn.async().sum(x);
    assertTrue(late.isCompletedExceptionally());
    Throwable cause = assertThrows(ExecutionException.class, late::get).getCause();
    assertInstanceOf(IllegalStateException.class, cause);
    assertEquals("this Flynn engine is closed", cause.getMessage());
    assertNoNewFlynnThread(before);
  }

  @Test
  @Timeout(60)
  void closeFromInsideAnAsyncCallIsRefusedAndTheEngineStaysUsable() throws Exception {
    Set<Thread> before = flynnThreads();
    float[] x = input();
    Flynn flynn = Flynn.builder().threads(2).build();
    try {
      CompletableFuture<Float> inside =
          flynn
              .async()
              .call(
                  ops -> {
                    flynn.close(); // would wait for this very thread
                    return 0f;
                  });
      Throwable cause =
          assertThrows(ExecutionException.class, () -> inside.get(20, TimeUnit.SECONDS)).getCause();
      assertInstanceOf(IllegalStateException.class, cause);
      assertTrue(
          cause.getMessage().contains("one of this engine's own threads"), cause.getMessage());
      assertTrue(!flynn.isClosed(), "the refused close() closed the engine");
      float expected = flynn.using(Mode.SIMD).sum(x);
      assertEquals(expected, flynn.using(Mode.SIMD).async().sum(x).get(20, TimeUnit.SECONDS));
    } finally {
      flynn.close();
    }
    assertNoNewFlynnThread(before);
  }

  @Test
  void asyncCallsLeaveNoThreadAfterClose() throws Exception {
    Set<Thread> before = flynnThreads();
    float[] x = input();
    try (Flynn flynn = Flynn.builder().threads(3).build()) {
      for (Mode mode : Mode.values()) {
        flynn.using(mode).async().sum(x).get(20, TimeUnit.SECONDS);
      }
      CompletableFuture<Float> failed =
          flynn
              .using(Mode.MIMD)
              .async()
              .call(
                  ops -> {
                    ops.sum(x);
                    throw new IllegalStateException("after the sum");
                  });
      assertThrows(ExecutionException.class, failed::get);
    }
    assertNoNewFlynnThread(before);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Set<Thread> flynnThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("flynn-") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }

  /** Polls with a deadline: close() joins its threads, so none should be left at all. */
  private static void assertNoNewFlynnThread(Set<Thread> before) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Set<Thread> left;
    do {
      left = flynnThreads();
      left.removeAll(before);
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    fail("flynn- threads left after close(): " + left);
  }
}
