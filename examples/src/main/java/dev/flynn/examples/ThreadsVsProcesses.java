package dev.flynn.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Threads against processes: what each costs and what each buys, measured on this machine.
 *
 * <p>What it teaches: a thread lives inside its process and shares its memory. It costs a stack
 * (address space reserved up front, of which only the pages it touches take memory) and some
 * microseconds to start. A process is a whole new JVM: tens of MiB and hundreds of milliseconds to
 * start, but it shares nothing, so nothing can race, and one that crashes leaves the others
 * standing. Then the same work, the sum of a file of longs, split over 2 threads and over 2
 * processes: the threads share this JVM, the processes each map their half of the file and send
 * back their partial sum as a line of text.
 *
 * <p>What to look at in the output: reserved and resident memory per thread against a JVM's
 * resident memory; the start times; in the speed part, the two sums (equal), and how much of the
 * processes' time went on starting JVMs rather than on summing (each child times its own sum).
 *
 * <p>Arguments: {@code [threads] [jvms] [longs]}: idle threads started to measure their memory
 * (default 100), JVMs started to measure theirs (default 3), longs in the file (default 8 Mi, 64
 * MiB).
 */
public final class ThreadsVsProcesses {

  private ThreadsVsProcesses() {}

  /** Runs the example with the command line's arguments, printing to standard output. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example, printing to {@code out}; every thread and child process it starts has ended,
   * and its temporary file is deleted, when it returns or throws.
   *
   * @throws IllegalArgumentException for a bad argument, before anything starts
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Args.check("threads-vs-processes", out, args, "threads", "jvms", "longs");
    int threads = Args.get(args, 0, "threads", 100, 1, 10_000);
    int jvms = Args.get(args, 1, "jvms", 3, 1, 100);
    long longs = Args.get(args, 2, "longs", 8 << 20, 2, 1 << 28);

    out.printf(
        "Resources (%d cores, Java %s)%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    long[] before = memoryKib();
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> idle = new ArrayList<>();
    try {
      long started = System.nanoTime();
      for (int i = 0; i < threads; i++) {
        idle.add(Thread.ofPlatform().name("flynn-example-idle-" + i).start(() -> await(release)));
      }
      double startMicros = (System.nanoTime() - started) / 1e3 / threads;
      long[] after = memoryKib();
      out.printf("  a thread:  started in %.0f us (mean of %d)", startMicros, threads);
      if (before != null && after != null) {
        out.printf(
            "; per thread, this process grew by %d KiB of address space (mostly its reserved"
                + " stack) and %d KiB of resident memory",
            (after[0] - before[0]) / threads, (after[1] - before[1]) / threads);
      }
      out.println();
    } finally {
      release.countDown();
      for (Thread t : idle) {
        t.join();
      }
    }
    long best = Long.MAX_VALUE;
    String residentKib = "";
    for (int i = 0; i < jvms; i++) {
      long started = System.nanoTime();
      residentKib = answer(startChild("memory"));
      best = Math.min(best, System.nanoTime() - started);
    }
    out.printf(
        "  a JVM:     started, ran an empty main and ended in %d ms (best of %d);"
            + " it held %s KiB of memory (resident) at the end%n",
        best / 1_000_000, jvms, residentKib);

    out.printf("Speed: the sum of %,d longs in a file, split in two%n", longs);
    Path file = Files.createTempFile("flynn-example-", ".longs");
    try {
      write(file, longs);
      long half = longs / 2;
      long started = System.nanoTime();
      long threadSum;
      try (ExecutorService two =
          Executors.newFixedThreadPool(
              2, Thread.ofPlatform().name("flynn-example-sum-", 1).factory())) {
        Future<Long> first = two.submit(() -> sum(file, 0, half));
        Future<Long> second = two.submit(() -> sum(file, half, longs - half));
        threadSum = first.get() + second.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e; // the original failure
      }
      out.printf("  2 threads:   %d in %.1f ms%n", threadSum, (System.nanoTime() - started) / 1e6);

      started = System.nanoTime();
      List<Process> children = new ArrayList<>();
      long processSum = 0;
      double summingMs = 0;
      try {
        children.add(startChild("sum", file.toString(), "0", Long.toString(half)));
        children.add(startChild("sum", file.toString(), "" + half, "" + (longs - half)));
        for (Process child : children) {
          String[] answer = answer(child).split(" "); // "sum nanos"
          processSum += Long.parseLong(answer[0]);
          summingMs = Math.max(summingMs, Long.parseLong(answer[1]) / 1e6);
        }
      } finally {
        for (Process child : children) {
          child.destroyForcibly(); // nothing to do when it has ended
          child.waitFor();
        }
      }
      out.printf(
          "  2 processes: %d in %.1f ms, of which %.1f ms summing (the slower child);"
              + " the rest is starting and ending two JVMs%n",
          processSum, (System.nanoTime() - started) / 1e6, summingMs);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Writes the longs 0, 1, ..., n-1 to {@code file} (native byte order). */
  private static void write(Path file, long n) throws IOException {
    try (Arena arena = Arena.ofConfined();
        FileChannel channel =
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MemorySegment values = channel.map(FileChannel.MapMode.READ_WRITE, 0, n * 8, arena);
      for (long i = 0; i < n; i++) {
        values.setAtIndex(ValueLayout.JAVA_LONG, i, i);
      }
    }
  }

  /**
   * The sum of {@code count} longs of {@code file} from index {@code from}: threads and children.
   */
  private static long sum(Path file, long from, long count) throws IOException {
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment values = channel.map(FileChannel.MapMode.READ_ONLY, from * 8, count * 8, arena);
      long sum = 0;
      for (long i = 0; i < count; i++) {
        sum += values.getAtIndex(ValueLayout.JAVA_LONG, i);
      }
      return sum;
    }
  }

  /** A child JVM running {@link Child} with {@code childArgs}: same java, same class path. */
  private static Process startChild(String... childArgs) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.addAll(List.of(java, "-cp", System.getProperty("java.class.path")));
    command.add(Child.class.getName());
    command.addAll(List.of(childArgs));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The child's last line of output, once it has exited with code 0; it has ended either way. */
  private static String answer(Process child) throws IOException, InterruptedException {
    try (BufferedReader lines = child.inputReader()) {
      String last = "";
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        last = line;
      }
      int code = child.waitFor();
      if (code != 0) {
        throw new IOException("child " + child.pid() + " exited with " + code + ": " + last);
      }
      return last;
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  /** This process's virtual size and resident memory in KiB, or null where Linux's /proc is not. */
  private static long[] memoryKib() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return null;
    }
    long[] kib = new long[2];
    for (String line : Files.readAllLines(status)) {
      String[] fields = line.split("\\s+"); // "VmRSS:   41236 kB"
      switch (fields[0]) {
        case "VmSize:" -> kib[0] = Long.parseLong(fields[1]);
        case "VmRSS:" -> kib[1] = Long.parseLong(fields[1]);
        default -> {}
      }
    }
    return kib;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // end, and say why
    }
  }

  /** The child JVM's program: {@code memory}, or {@code sum FILE FROM COUNT}. */
  public static final class Child {

    private Child() {}

    /** Prints one answer line: resident KiB ("?" off Linux), or "sum nanos". */
    public static void main(String[] args) throws IOException {
      if (args[0].equals("memory")) {
        long[] kib = memoryKib();
        System.out.println(kib == null ? "?" : Long.toString(kib[1]));
      } else {
        long started = System.nanoTime();
        long sum = sum(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
        System.out.println(sum + " " + (System.nanoTime() - started));
      }
    }
  }
}
