package dev.flynn.examples;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every runnable example, in reading order, as {@code ./flynn examples} lists them. Each is one
 * class of this package with a {@code main} and a {@code public static void run(PrintStream out,
 * String... args)}; its class comment says what it teaches and what to look at in its output.
 * Immutable and thread-safe.
 */
public final class Examples {

  /**
   * One example.
   *
   * @param name the command name, as in {@code ./flynn examples NAME}
   * @param type the class that holds it
   * @param teaches what it teaches, in one line
   * @param arguments its optional arguments, as in {@code [items] [consumers]}
   */
  public record Example(String name, Class<?> type, String teaches, String arguments) {

    /** Checks that no part is null. */
    public Example {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(teaches, "teaches");
      Objects.requireNonNull(arguments, "arguments");
    }

    /**
     * Runs the example's {@code run(out, args)}, which checks its arguments before it starts
     * anything and ends every thread and process it starts before it returns or throws. Whatever it
     * throws is rethrown as it is.
     *
     * @throws IllegalArgumentException for a bad argument, naming it
     * @throws NullPointerException when {@code out}, {@code args} or an argument is null
     */
    public void run(PrintStream out, String... args) throws Exception {
      MethodHandle run;
      try {
        run =
            MethodHandles.publicLookup()
                .findStatic(
                    type,
                    "run",
                    MethodType.methodType(void.class, PrintStream.class, String[].class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            type + " has no public static run(PrintStream, String...)", e);
      }
      try {
        run.asFixedArity().invoke(out, args);
      } catch (Exception | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t); // a Throwable that is neither: never thrown here
      }
    }
  }

  private static final List<Example> ALL =
      List.of(
          new Example(
              "first-thread",
              FirstThread.class,
              "start a thread, join it, pass a result back; what join and volatile guarantee",
              "[n]"),
          new Example(
              "first-process",
              FirstProcess.class,
              "start a child JVM, read its output, wait for its exit code; always reap it",
              "[exit-code] [child-ms]"),
          new Example(
              "threads-vs-processes",
              ThreadsVsProcesses.class,
              "what a thread and a process cost here (memory, start time); one sum split over both",
              "[threads] [jvms] [longs]"),
          new Example(
              "pool",
              Pool.class,
              "a ForkJoin pool and the Flynn engine over a large computation, against one thread",
              "[below] [floats] [threads]"),
          new Example(
              "producer-consumer",
              ProducerConsumer.class,
              "a bounded queue between threads: back-pressure, poison pills, a failing consumer",
              "[items] [consumers] [capacity] [fail-at]"),
          new Example(
              "locks",
              Locks.class,
              "a lock, a condition and a semaphore, each beside the race it prevents",
              "[threads] [increments] [items] [permits]"));

  private Examples() {}

  /** Every example, in reading order. */
  public static List<Example> all() {
    return ALL;
  }

  /**
   * The example called {@code name}, if there is one.
   *
   * @throws NullPointerException when {@code name} is null
   */
  public static Optional<Example> named(String name) {
    Objects.requireNonNull(name, "name");
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
