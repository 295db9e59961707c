package dev.flynn.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A producer and consumers on a bounded queue, ended by poison pills.
 *
 * <p>What it teaches: an {@link ArrayBlockingQueue} of fixed capacity hands items from one thread
 * to others and applies back-pressure: when the consumers fall behind, the queue fills and {@link
 * BlockingQueue#put} blocks the producer until a consumer has taken something, so memory stays
 * bounded however fast the producer is. To end, the producer puts one poison pill per consumer (a
 * value no real item has); each consumer stops at the first it takes. And when a consumer fails,
 * the producer could block forever on a full queue: {@link ExecutorService#shutdownNow()}
 * interrupts it, and the consumer's own exception reaches the caller.
 *
 * <p>What to look at in the output: how often the producer found the queue full and how long it
 * waited; each consumer's share (uneven: whoever is free takes the next item); the totals, in which
 * every item 1..items appears exactly once.
 *
 * <p>Arguments: {@code [items] [consumers] [capacity] [fail-at]}: items to hand over (default
 * 100,000), consumers (default 2), queue capacity (default 16), and an item at which a consumer
 * fails, to see the failure path (default 0: none).
 */
public final class ProducerConsumer {

  /** The poison pill: items are 1, 2, ..., so no item is -1. */
  private static final long POISON = -1;

  /** Each consumer spends this long on an item, so that the producer is the faster side. */
  private static final long WORK_NANOS = 2_000;

  private ProducerConsumer() {}

  /** Runs the example with the command line's arguments, printing to standard output. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example, printing to {@code out}; all its threads have ended when it returns or
   * throws. A consumer's failure is rethrown as it was thrown.
   *
   * @throws IllegalArgumentException for a bad argument, before any thread starts
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Args.check("producer-consumer", out, args, "items", "consumers", "capacity", "fail-at");
    int items = Args.get(args, 0, "items", 100_000, 1, 2_000_000);
    int consumers = Args.get(args, 1, "consumers", 2, 1, 64);
    int capacity = Args.get(args, 2, "capacity", 16, 1, 1 << 20);
    int failAt = Args.get(args, 3, "fail-at", 0, 0, items);

    BlockingQueue<Long> queue = new ArrayBlockingQueue<>(capacity);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            consumers + 1, Thread.ofPlatform().name("flynn-example-queue-", 0).factory());
    try {
      CompletionService<Tally> done = new ExecutorCompletionService<>(threads);
      List<Future<Tally>> tasks = new ArrayList<>();
      tasks.add(done.submit(() -> produce(queue, items, consumers)));
      for (int c = 1; c <= consumers; c++) {
        String name = "consumer " + c;
        tasks.add(done.submit(() -> consume(queue, name, failAt)));
      }
      for (int i = 0; i < tasks.size(); i++) {
        done.take().get(); // in the order they finish, so that a failure surfaces at once
      }
      Tally taken = new Tally("all consumers", 0, 0, 0, "");
      for (Future<Tally> task : tasks) {
        Tally tally = task.get();
        out.println(tally);
        if (tally.who().startsWith("consumer")) {
          taken = taken.plus(tally);
        }
      }
      out.println(taken);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e; // the original failure
    } finally {
      threads.shutdownNow(); // interrupts whoever still waits, a producer on a full queue say
      threads.close(); // and waits until every thread has ended
    }
  }

  /** What one thread put or took: how many items, their sum and sum of squares. */
  private record Tally(String who, long items, long sum, long squares, String note) {
    Tally plus(Tally other) {
      return new Tally(who, items + other.items, sum + other.sum, squares + other.squares, note);
    }

    @Override
    public String toString() {
      return String.format(
          "%-13s %9d items, sum %d, sum of squares %d%s", who, items, sum, squares, note);
    }
  }

  private static Tally produce(BlockingQueue<Long> queue, int items, int consumers)
      throws InterruptedException {
    long full = 0;
    long waited = 0;
    long sum = 0;
    long squares = 0;
    for (long item = 1; item <= items; item++) {
      if (!queue.offer(item)) { // full: the consumers are behind
        full++;
        long started = System.nanoTime();
        queue.put(item); // blocks until a consumer takes an item: back-pressure
        waited += System.nanoTime() - started;
      }
      sum += item;
      squares += item * item;
    }
    for (int c = 0; c < consumers; c++) {
      queue.put(POISON); // one each: a consumer stops at the first it takes
    }
    return new Tally(
        "producer",
        items,
        sum,
        squares,
        String.format("; found the queue full %d times, waited %.1f ms", full, waited / 1e6));
  }

  private static Tally consume(BlockingQueue<Long> queue, String name, long failAt)
      throws InterruptedException {
    long count = 0;
    long sum = 0;
    long squares = 0;
    for (long item = queue.take(); item != POISON; item = queue.take()) {
      if (item == failAt) {
        throw new IllegalStateException(name + " failed at item " + item + " (fail-at)");
      }
      count++;
      sum += item;
      squares += item * item;
      for (long end = System.nanoTime() + WORK_NANOS; System.nanoTime() < end; ) {
        Thread.onSpinWait(); // the work each item stands for
      }
    }
    return new Tally(name, count, sum, squares, "");
  }
}
