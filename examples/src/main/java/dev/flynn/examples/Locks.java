package dev.flynn.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock, a condition and a semaphore, each beside the race it prevents.
 *
 * <p>What it teaches: {@code count++} is three steps (read, add, write); two threads that
 * interleave them lose updates, and a {@link ReentrantLock} around the step makes it one. A {@link
 * Condition} lets a thread that holds the lock wait for a state (a bounded buffer not full, not
 * empty) and be signalled when another thread makes it true; the waiter checks again in a {@code
 * while} loop, since waking up does not prove the state holds. A {@link Semaphore} with N permits
 * lets at most N threads into a section at once, for a resource that takes only N users
 * (connections, memory).
 *
 * <p>What to look at in the output: the updates the unlocked counter lost (how many depends on the
 * machine and the JIT; it can even be none) against the exact locked count; the buffer's items
 * arriving complete and in order, and how often the producer waited for space; how many threads
 * were inside the section at once, without and with the semaphore.
 *
 * <p>Arguments: {@code [threads] [increments] [items] [permits]}: threads counting and entering the
 * section (default 4), increments per thread (default 1,000,000), items through the buffer (default
 * 100,000), semaphore permits (default 2).
 */
public final class Locks {

  private Locks() {}

  /** Runs the example with the command line's arguments, printing to standard output. */
  public static void main(String[] args) throws InterruptedException {
    run(System.out, args);
  }

  /**
   * Runs the example, printing to {@code out}; all its threads have ended when it returns or
   * throws.
   *
   * @throws IllegalArgumentException for a bad argument, before any thread starts
   */
  public static void run(PrintStream out, String... args) throws InterruptedException {
    Args.check("locks", out, args, "threads", "increments", "items", "permits");
    int threads = Args.get(args, 0, "threads", 4, 2, 64);
    int increments = Args.get(args, 1, "increments", 1_000_000, 1, 100_000_000);
    int items = Args.get(args, 2, "items", 100_000, 1, 10_000_000);
    int permits = Args.get(args, 3, "permits", 2, 1, 64);
    long exact = (long) threads * increments;

    // Lock: the same counting, without and with a lock.
    Counter unlocked = new Counter();
    together(threads, () -> unlocked.addWithoutLock(increments));
    Counter locked = new Counter();
    ReentrantLock lock = new ReentrantLock();
    together(threads, () -> locked.addWithLock(increments, lock));
    out.printf(
        "lock:      %d threads x %d increments: without a lock %d (%d lost), with one %d%n",
        threads, increments, unlocked.value, exact - unlocked.value, locked.value);

    // Condition: a producer thread hands 1, 2, ..., items to this thread through a small buffer.
    int capacity = 4;
    BoundedBuffer buffer = new BoundedBuffer(capacity);
    Thread producer =
        Thread.ofPlatform()
            .name("flynn-example-buffer-producer")
            .start(
                () -> {
                  try {
                    for (int i = 1; i <= items; i++) {
                      buffer.put(i);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // told to stop: end
                  }
                });
    long sum = 0;
    boolean inOrder = true;
    try {
      for (int i = 1; i <= items; i++) {
        long item = buffer.take();
        inOrder &= item == i;
        sum += item;
      }
    } finally {
      producer.interrupt(); // ends it if we failed and it waits for space; harmless otherwise
      producer.join();
    }
    out.printf(
        "condition: took %d items through a buffer of %d: sum %d, in order: %b;"
            + " the producer waited for space %d times%n",
        items, capacity, sum, inOrder, buffer.waitedForSpace);

    // Semaphore: threads enter a section 5 times each and stay 1 ms; how many are in at once?
    Semaphore semaphore = new Semaphore(permits);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostWithout = new AtomicInteger();
    together(threads, () -> enterFiveTimes(inside, mostWithout));
    AtomicInteger mostWith = new AtomicInteger();
    together(
        threads,
        () -> {
          semaphore.acquireUninterruptibly();
          try {
            enterFiveTimes(inside, mostWith);
          } finally {
            semaphore.release();
          }
        });
    out.printf(
        "semaphore: at most %d of %d threads inside at once without it, %d with %d permits%n",
        mostWithout.get(), threads, mostWith.get(), permits);
  }

  /** A counter, deliberately unsafe: {@code value++} is read, add, write. */
  private static final class Counter {
    long value;

    void addWithoutLock(int times) {
      for (int i = 0; i < times; i++) {
        value++; // two threads can read the same value and both write value + 1
      }
    }

    void addWithLock(int times, ReentrantLock lock) {
      for (int i = 0; i < times; i++) {
        lock.lock();
        try {
          value++;
        } finally {
          lock.unlock(); // in finally, always: a lock left held blocks everyone for good
        }
      }
    }
  }

  /** A fixed-size FIFO of longs: put waits while it is full, take while it is empty. */
  private static final class BoundedBuffer {
    private final long[] items;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private int head;
    private int count;
    int waitedForSpace; // written under the lock; read after the producer's join()

    BoundedBuffer(int capacity) {
      items = new long[capacity];
    }

    void put(long item) throws InterruptedException {
      lock.lock();
      try {
        while (count == items.length) { // while, not if: check again after waking
          waitedForSpace++;
          notFull.await(); // releases the lock while it waits
        }
        items[(head + count) % items.length] = item;
        count++;
        notEmpty.signal();
      } finally {
        lock.unlock();
      }
    }

    long take() throws InterruptedException {
      lock.lock();
      try {
        while (count == 0) {
          notEmpty.await();
        }
        long item = items[head];
        head = (head + 1) % items.length;
        count--;
        notFull.signal();
        return item;
      } finally {
        lock.unlock();
      }
    }
  }

  private static void enterFiveTimes(AtomicInteger inside, AtomicInteger most) {
    for (int i = 0; i < 5; i++) {
      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
      try {
        Thread.sleep(1); // the section: using the scarce resource
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        inside.decrementAndGet();
      }
    }
  }

  /** Runs {@code body} on {@code threads} new threads released at the same moment; joins them. */
  private static void together(int threads, Runnable body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        started.add(
            Thread.ofPlatform()
                .name("flynn-example-locks-" + t)
                .start(
                    () -> {
                      try {
                        start.await(); // so that they really run at the same time
                      } catch (InterruptedException e) {
                        return; // told to stop before starting
                      }
                      body.run();
                    }));
      }
    } finally {
      start.countDown();
      for (Thread t : started) {
        t.join();
      }
    }
  }
}
