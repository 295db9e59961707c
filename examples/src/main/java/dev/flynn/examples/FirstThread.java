package dev.flynn.examples;

import java.io.PrintStream;

/**
 * Your first thread: start it, join it, get its result back; then stop one with a volatile flag.
 *
 * <p>What it teaches: {@link Thread#start()} runs code beside the caller. {@link Thread#join()}
 * waits until the thread has ended and also makes everything the thread wrote visible to the caller
 * (the Java memory model calls this happens-before), so a plain array can carry the result back.
 * Reading the result before {@code join} is a race: you may see the old value or the new one, and
 * nothing says which. A flag that one thread sets to stop another must be {@code volatile} (or read
 * under a lock): without it the JIT may read it once, before the loop, and the loop never ends.
 *
 * <p>What to look at in the output: the value read without {@code join} (usually 0: the thread had
 * not finished) and the thread's state then; the exact sum after {@code join}, state {@code
 * TERMINATED}; how many times the spinner went round before it saw the flag.
 *
 * <p>Arguments: {@code [n]}, the thread sums 1..n (default 50,000,000).
 */
public final class FirstThread {

  private FirstThread() {}

  /** Runs the example with the command line's arguments, printing to standard output. */
  public static void main(String[] args) throws InterruptedException {
    run(System.out, args);
  }

  /**
   * Runs the example, printing to {@code out}; both threads it starts have ended when it returns or
   * throws.
   *
   * @throws IllegalArgumentException for a bad argument, before any thread starts
   */
  public static void run(PrintStream out, String... args) throws InterruptedException {
    Args.check("first-thread", out, args, "n");
    long n = Args.get(args, 0, "n", 50_000_000, 1, Integer.MAX_VALUE);

    long[] result = new long[1]; // the adder writes here, the caller reads after join()
    Thread adder =
        new Thread(
            () -> {
              long sum = 0;
              for (long i = 1; i <= n; i++) {
                sum += i;
              }
              result[0] = sum;
            },
            "flynn-example-adder");
    adder.start();
    try {
      // A race, on purpose: the adder may or may not have written its result yet.
      out.printf("without join: read %d, the adder is %s%n", result[0], adder.getState());
    } finally {
      adder.join(); // even when printing failed: no thread outlives this method
    }
    out.printf(
        "after join:   sum of 1..%d = %d, the adder is %s%n", n, result[0], adder.getState());

    Spinner spinner = new Spinner();
    Thread spinning = new Thread(spinner, "flynn-example-spinner");
    spinning.start();
    try {
      Thread.sleep(20); // let it spin a while
    } finally {
      spinner.stop = true; // a volatile write: the spinner's next read of stop sees it
      spinning.join();
    }
    out.printf("volatile:     the spinner saw stop after %,d turns and ended%n", spinner.turns);
  }

  /** Spins until {@link #stop} is set. */
  private static final class Spinner implements Runnable {
    volatile boolean stop; // try it without volatile: the loop may never end
    long turns; // written by the spinner, read by the caller after join()

    @Override
    public void run() {
      while (!stop) {
        turns++;
      }
    }
  }
}
