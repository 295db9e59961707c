package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** close(): threads end, idempotence, calls after close; failures inside the pool. */
class LifecycleTest {

  private static Set<Thread> flynnThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("flynn-") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }

  @Test
  @Timeout(60)
  void closeEndsEveryWorkerThreadAndIsIdempotent() {
    Set<Thread> before = flynnThreads();
    Flynn flynn = Flynn.builder().threads(3).build();
    float[] a = new float[8 * BLOCK];
    java.util.Arrays.fill(a, 0.5f);
    // a pooled call, to make the pool start its threads
    assertEquals(4 * BLOCK, flynn.using(Mode.MIMD).sum(a), 0f);
    double[] d = new double[8 * BLOCK];
    flynn.using(Mode.SIMD_MIMD).exp(d, d);
    Set<Thread> started = flynnThreads();
    started.removeAll(before);
    assertFalse(started.isEmpty(), "the pooled calls started no flynn- thread");
    String prefix = started.iterator().next().getName().replaceAll("worker-\\d+$", "");
    for (Thread t : started) {
      assertTrue(t.getName().startsWith(prefix), "one pool, one name prefix: " + started);
      assertTrue(t.isDaemon(), "workers must not keep the JVM alive: " + t);
    }

    assertFalse(flynn.isClosed());
    flynn.close();
    assertTrue(flynn.isClosed());
    for (Thread t : started) {
      assertFalse(t.isAlive(), "still alive after close(): " + t);
    }
    for (Thread t : flynnThreads()) {
      assertFalse(t.getName().startsWith(prefix), "a thread of the closed pool lives: " + t);
    }
    // every flynn- thread alive now was alive before this engine existed
    Set<Thread> alive = flynnThreads();
    alive.removeAll(before);
    assertTrue(alive.isEmpty(), "flynn- threads left after close(): " + alive);

    flynn.close(); // idempotent: returns at once, throws nothing
    assertTrue(flynn.isClosed());
  }

  @Test
  void callsAfterCloseThrowIllegalStateException() {
    Flynn flynn = Flynn.builder().threads(2).build();
    FlynnOps view = flynn.using(Mode.SIMD_MIMD);
    flynn.close();
    float[] f = new float[3 * BLOCK];
    double[] d = new double[3 * BLOCK];
    List<Consumer<FlynnOps>> calls = new ArrayList<>();
    calls.add(o -> o.sum(f));
    calls.add(o -> o.sum(new float[0]));
    calls.add(o -> o.dot(d, d));
    calls.add(o -> o.min(f, 0, 5));
    calls.add(o -> o.max(d));
    calls.add(o -> o.add(f, f, f));
    calls.add(o -> o.sub(d, 0, d, 0, d, 0, 0));
    calls.add(o -> o.mul(f, f, f));
    calls.add(o -> o.div(d, d, d));
    calls.add(o -> o.scale(2f, f, f));
    calls.add(o -> o.axpy(2.0, d, d));
    calls.add(o -> o.fma(f, f, f, f));
    calls.add(o -> o.exp(d, d));
    for (Mode mode : Mode.values()) {
      for (FlynnOps ops : new FlynnOps[] {flynn.using(mode), view, flynn}) {
        for (Consumer<FlynnOps> call : calls) {
          IllegalStateException e =
              assertThrows(IllegalStateException.class, () -> call.accept(ops));
          assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
      }
    }
    // nothing ran: the arrays are still all zero
    for (float x : f) {
      assertEquals(0f, x);
    }
  }

  /**
   * A call that is running in the pool when another thread closes the engine ends, and with the
   * documented IllegalStateException, not with the pool's CancellationException for its queued
   * tasks. The moment of the close varies over the trials.
   */
  @Test
  @Timeout(120)
  void aCallInFlightWhenTheEngineClosesEndsWithIllegalStateException() throws Exception {
    for (int trial = 0; trial < 40; trial++) {
      Flynn flynn = Flynn.builder().threads(2).build();
      double[] d = new double[64 * BLOCK];
      java.util.concurrent.atomic.AtomicReference<Throwable> outcome =
          new java.util.concurrent.atomic.AtomicReference<>();
      CountDownLatch calling = new CountDownLatch(1);
      Thread caller =
          new Thread(
              () -> {
                try {
                  calling.countDown();
                  while (true) { // until the close makes a call throw
                    flynn.using(Mode.MIMD).exp(d, d);
                  }
                } catch (Throwable t) {
                  outcome.set(t);
                }
              },
              "close-race-caller-" + trial);
      caller.start();
      assertTrue(calling.await(30, TimeUnit.SECONDS));
      Thread.sleep(trial % 4);
      flynn.close();
      caller.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(caller.isAlive(), "the in-flight call never returned");
      Throwable t = outcome.get();
      final int at = trial;
      assertEquals(
          IllegalStateException.class, t.getClass(), () -> "trial " + at + ": " + t + " instead");
      assertTrue(t.getMessage().contains("closed"), t.getMessage());
    }
  }

  // ---------------------------------------------------------------- failures inside the pool

  @Test
  @Timeout(60)
  void aFailingBlockStopsItsSiblingsAndTheSameExceptionReachesTheCaller() throws Exception {
    int blocks = 1000;
    int length = blocks * BLOCK;
    RuntimeException boom = new IllegalStateException("boom at block 0");
    try (Workers workers = new Workers(3)) {
      CountDownLatch failed = new CountDownLatch(1);
      AtomicInteger ran = new AtomicInteger();
      // Block 0 is the first block of the leftmost leaf, which the thread running the root task
      // reaches first without waiting for anything. Every other block waits until block 0 has
      // thrown, then lingers so that the failure is recorded before it returns: afterwards each
      // leaf stops at its next block boundary, and only blocks that had already started can run.
      RuntimeException thrown =
          assertThrows(
              RuntimeException.class,
              () ->
                  workers.forEachBlock(
                      length,
                      (start, n, block) -> {
                        ran.incrementAndGet();
                        if (block == 0) {
                          failed.countDown();
                          throw boom;
                        }
                        try {
                          assertTrue(failed.await(30, TimeUnit.SECONDS), "block 0 never ran");
                          Thread.sleep(20);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      assertSame(boom, thrown, "the very exception thrown in the block, not a wrapper or copy");
      // At most one block per thread was running when block 0 failed (3 workers, plus the
      // caller if it helps); a descheduled thread can let a sibling start a few more, each
      // taking 20 ms. Without the stop, 1000 blocks would run.
      assertTrue(ran.get() < blocks / 4, "blocks after the failure were not skipped: " + ran);

      // the pool is still usable, and a clean run covers every block exactly once
      AtomicIntegerArray seen = new AtomicIntegerArray(blocks);
      Set<Integer> starts = ConcurrentHashMap.newKeySet();
      workers.forEachBlock(
          length - 5,
          (start, n, block) -> {
            seen.incrementAndGet(block);
            starts.add(start);
            assertEquals(block == blocks - 1 ? BLOCK - 5 : BLOCK, n, "length of block " + block);
            assertEquals(block * BLOCK, start);
          });
      for (int b = 0; b < blocks; b++) {
        assertEquals(1, seen.get(b), "block " + b + " ran " + seen.get(b) + " times");
      }
      assertEquals(blocks, starts.size());
    }
  }

  @Test
  @Timeout(60)
  void anErrorAlsoReachesTheCallerAsItself() {
    AssertionError error = new AssertionError("an Error from a block");
    try (Workers workers = new Workers(2)) {
      AssertionError thrown =
          assertThrows(
              AssertionError.class,
              () ->
                  workers.forEachBlock(
                      40 * BLOCK,
                      (start, n, block) -> {
                        if (block == 17) {
                          throw error;
                        }
                      }));
      assertSame(error, thrown);
      AtomicInteger count = new AtomicInteger();
      workers.forEachBlock(40 * BLOCK, (start, n, block) -> count.incrementAndGet());
      assertEquals(40, count.get());
    }
  }

  @Test
  void workersAfterCloseRefuseWork() {
    Workers workers = new Workers(2);
    workers.close();
    workers.close();
    assertThrows(
        IllegalStateException.class, () -> workers.forEachBlock(BLOCK * 4, (s, n, b) -> {}));
  }
}
