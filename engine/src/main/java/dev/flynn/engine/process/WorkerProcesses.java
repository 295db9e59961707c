package dev.flynn.engine.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs a Java main class in child JVMs, one per argument list, and collects what each child writes
 * on stdout. The children run the same {@code java} executable as this JVM ({@code
 * ProcessHandle.current().info().command()}) with the same class path ({@code java.class.path}),
 * the options every Flynn JVM needs ({@code --add-modules=jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED}), this JVM's {@code -Dflynn.kernels} when set, and the
 * options given to the builder.
 *
 * <p><b>Children are always reaped.</b> {@link #run} returns only when every child it started has
 * ended: it returns after each one exited with status 0 and its output was parsed; when one fails
 * (a non-zero exit status, output that cannot be read, a parser that throws) the others are
 * destroyed and a {@link WorkerProcessException} with the failed child's stderr tail reaches the
 * caller; past the timeout every child is destroyed and {@link TimeoutException} is thrown; when
 * the calling thread is interrupted every child is destroyed and {@link InterruptedException} is
 * thrown. Destroying means {@link ProcessHandle#destroy()} (SIGTERM on Unix) for the child and
 * every descendant it started, then {@link ProcessHandle#destroyForcibly()} for those still alive
 * after the grace period, then waiting until they are gone. {@link #close()} does the same to the
 * children of any run still in progress (that run then throws {@link WorkerProcessException}).
 *
 * <p>Each child's stdout is read by a thread named {@code flynn-process-<run>-child-<n>}, which
 * ends with the child; its stderr goes to a temporary file, deleted when the run ends.
 *
 * <p>Thread-safe: several threads may run at once; {@link #close()} may be called from any thread.
 *
 * <pre>{@code
 * try (WorkerProcesses workers =
 *     WorkerProcesses.builder(Child.class.getName()).timeout(Duration.ofMinutes(1)).build()) {
 *   List<String> firstLines =
 *       workers.run(List.of(List.of("a"), List.of("b")), out -> out.lines().getFirst());
 * }
 * }</pre>
 */
public final class WorkerProcesses implements AutoCloseable {

  /** The options every child JVM gets: the Vector API module and native access, as Flynn's. */
  public static final List<String> FLYNN_JVM_OPTIONS =
      List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");

  /** The most lines of a failed child's stderr quoted in the exception. */
  static final int STDERR_TAIL_LINES = 20;

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final String mainClass;
  private final List<String> jvmOptions;
  private final Duration timeout;
  private final Duration gracePeriod;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private WorkerProcesses(Builder b) {
    this.mainClass = b.mainClass;
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.timeout = b.timeout;
    this.gracePeriod = b.gracePeriod;
  }

  /**
   * A builder for children that run {@code mainClass}, which must be on this JVM's class path.
   *
   * @throws NullPointerException when {@code mainClass} is null
   * @throws IllegalArgumentException when it is blank
   */
  public static Builder builder(String mainClass) {
    if (mainClass == null) {
      throw new NullPointerException("mainClass is null");
    }
    if (mainClass.isBlank()) {
      throw new IllegalArgumentException("mainClass is blank: '" + mainClass + "'");
    }
    return new Builder(mainClass);
  }

  /**
   * What one child wrote on stdout, and when.
   *
   * @param child the child's number in the run, from 0 (the position of its argument list)
   * @param pid its process id
   * @param lines its stdout, line by line
   * @param startup from just before its launch to its first line on stdout (a child that writes a
   *     line as its main method starts measures the JVM's start-up); {@link Duration#ZERO} when it
   *     wrote nothing
   * @param wall from just before its launch to its exit
   */
  public record ChildOutput(
      int child, long pid, List<String> lines, Duration startup, Duration wall) {

    public ChildOutput {
      lines = List.copyOf(lines);
    }
  }

  /**
   * Starts one child per argument list, all at once, and waits for them; returns each child's
   * output as {@code parser} reads it, in the order of {@code arguments}. The parser runs on the
   * calling thread as each child exits with status 0; what it throws fails the run.
   *
   * @throws NullPointerException when {@code arguments}, one of its lists or arguments, or {@code
   *     parser} is null
   * @throws IllegalArgumentException when {@code arguments} is empty
   * @throws IllegalStateException when this instance is closed
   * @throws WorkerProcessException when a child fails (see the class comment); every child has
   *     ended
   * @throws TimeoutException when the children are not all done within the timeout; every child has
   *     ended
   * @throws InterruptedException when the calling thread is interrupted while waiting; every child
   *     has ended
   * @throws UncheckedIOException when a child cannot be started (the others are reaped)
   */
  public <T> List<T> run(List<List<String>> arguments, Function<ChildOutput, T> parser)
      throws InterruptedException, TimeoutException {
    if (arguments == null) {
      throw new NullPointerException("arguments is null");
    }
    if (parser == null) {
      throw new NullPointerException("parser is null");
    }
    if (arguments.isEmpty()) {
      throw new IllegalArgumentException("arguments is empty: no child to run");
    }
    for (int i = 0; i < arguments.size(); i++) {
      List<String> list = arguments.get(i);
      // List.of(...).contains(null) throws: look for null without asking the list.
      if (list == null || list.stream().anyMatch(java.util.Objects::isNull)) {
        throw new NullPointerException("arguments[" + i + "] is or holds null: " + list);
      }
    }
    ensureOpen();
    return new Run<>(arguments, parser).run();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("these WorkerProcesses are closed");
    }
  }

  /**
   * Destroys the children of every run in progress (SIGTERM, then SIGKILL after the grace period,
   * descendants included) and waits until they are gone; later runs throw {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    reap(List.copyOf(live), gracePeriod);
  }

  /** The command that starts one child. */
  List<String> command(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(FLYNN_JVM_OPTIONS);
    String kernels = System.getProperty("flynn.kernels");
    if (kernels != null) {
      command.add("-Dflynn.kernels=" + kernels);
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(arguments);
    return command;
  }

  /** This JVM's executable, else {@code java.home/bin/java}. */
  static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** One call of {@link #run}: its children, their readers and what they wrote. */
  private final class Run<T> {
    private final int id = RUNS.incrementAndGet();
    private final List<List<String>> arguments;
    private final Function<ChildOutput, T> parser;
    private final List<Process> processes = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<Path> stderrFiles = new ArrayList<>();
    private final BlockingQueue<Integer> exited = new LinkedBlockingQueue<>();
    private final List<ChildStdout> stdout = new ArrayList<>();
    private Path temp;

    Run(List<List<String>> arguments, Function<ChildOutput, T> parser) {
      this.arguments = arguments;
      this.parser = parser;
    }

    List<T> run() throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        start();
        List<T> results = new ArrayList<>(Collections.nCopies(arguments.size(), null));
        for (int done = 0; done < arguments.size(); done++) {
          Integer child = exited.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (child == null) {
            throw new TimeoutException(timedOut());
          }
          results.set(child, finish(child));
        }
        return results;
      } finally {
        reap(processes, gracePeriod);
        processes.forEach(live::remove);
        joinReaders();
        deleteTemp();
      }
    }

    private void start() {
      try {
        temp = Files.createTempDirectory("flynn-workers-");
        for (int i = 0; i < arguments.size(); i++) {
          Path stderr = temp.resolve("child-" + i + ".stderr");
          stderrFiles.add(stderr);
          ChildStdout out = new ChildStdout(System.nanoTime());
          stdout.add(out);
          Process p =
              new ProcessBuilder(command(arguments.get(i))).redirectError(stderr.toFile()).start();
          processes.add(p);
          live.add(p);
          if (closed) { // close() may have missed this child: fail, and finally reaps it
            throw failure(i, -1, "was destroyed by close() while the run was starting", null);
          }
          p.getOutputStream().close(); // the children read nothing
          int child = i;
          Thread reader =
              Thread.ofPlatform()
                  .name("flynn-process-" + id + "-child-" + i)
                  .daemon()
                  .unstarted(() -> read(child, p, out));
          readers.add(reader);
          reader.start();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot start a worker process: " + command(List.of()) + ": " + e.getMessage(), e);
      }
    }

    /** On the reader thread: every line of the child's stdout, then its exit. */
    private void read(int child, Process p, ChildStdout out) {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (out.lines.isEmpty()) {
            out.firstLine = System.nanoTime();
          }
          out.lines.add(line);
        }
      } catch (IOException | RuntimeException e) {
        out.failure = e;
      } finally {
        // stdout ends when the child exits; waiting here keeps the exit on this thread, so the
        // calling thread only ever waits on the queue (and its deadline).
        boolean interrupted = false;
        while (true) {
          try {
            p.waitFor();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        out.exit = System.nanoTime();
        exited.add(child);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private T finish(int child) {
      Process p = processes.get(child);
      ChildStdout out = stdout.get(child);
      int status = p.exitValue();
      if (out.failure != null) {
        throw failure(child, status, "its stdout could not be read: " + out.failure, out.failure);
      }
      if (status != 0) {
        String why = closed ? "was destroyed by close()" : "exited with status " + status;
        throw failure(child, status, why, null);
      }
      ChildOutput output =
          new ChildOutput(
              child,
              p.pid(),
              out.lines,
              out.firstLine == 0 ? Duration.ZERO : Duration.ofNanos(out.firstLine - out.launch),
              Duration.ofNanos(out.exit - out.launch));
      try {
        return parser.apply(output);
      } catch (RuntimeException e) {
        throw failure(child, status, "wrote output that cannot be read: " + e.getMessage(), e);
      }
    }

    private WorkerProcessException failure(int child, int status, String why, Throwable cause) {
      return new WorkerProcessException(
          describe(child) + " " + why + stderrTail(child), child, status, cause);
    }

    private String describe(int child) {
      return "worker process "
          + child
          + " of "
          + arguments.size()
          + " (pid "
          + processes.get(child).pid()
          + ", "
          + mainClass
          + " "
          + String.join(" ", arguments.get(child))
          + ")";
    }

    private String timedOut() {
      List<String> running = new ArrayList<>();
      for (int i = 0; i < processes.size(); i++) {
        if (processes.get(i).isAlive()) {
          running.add(describe(i));
        }
      }
      return "worker processes still running after the timeout of "
          + timeout.toMillis()
          + " ms, destroyed: "
          + String.join("; ", running);
    }

    /** The last lines of the child's stderr, or why there are none. */
    private String stderrTail(int child) {
      try {
        List<String> lines = Files.readAllLines(stderrFiles.get(child), StandardCharsets.UTF_8);
        lines = lines.stream().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
        if (lines.isEmpty()) {
          return "; its stderr is empty";
        }
        List<String> tail =
            lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
        return "; its stderr ends with:\n" + String.join("\n", tail);
      } catch (IOException e) {
        return "; its stderr cannot be read: " + e;
      }
    }

    private void joinReaders() {
      boolean interrupted = Thread.interrupted();
      for (Thread reader : readers) {
        while (true) {
          try {
            // Every child has ended: its stdout is at its end, so the reader ends promptly.
            reader.join(TimeUnit.SECONDS.toMillis(10));
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    private void deleteTemp() {
      if (temp == null) {
        return;
      }
      try (Stream<Path> files = Files.list(temp)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // A leftover temporary file is no reason to hide the run's own result or failure.
      }
    }
  }

  /** What a reader thread saw; written by it, read by the caller after the child's exit. */
  private static final class ChildStdout {
    final long launch;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    volatile long firstLine;
    volatile long exit;
    volatile Exception failure;

    ChildStdout(long launch) {
      this.launch = launch;
    }
  }

  /**
   * Destroys {@code processes} and all their descendants: a polite request first, then by force
   * after {@code grace}; returns once they are all gone (or, for a process that will not die even
   * by force, after a further 30 s). Keeps the caller's interrupt status; an interrupt meanwhile
   * goes straight to the forcible step.
   */
  static void reap(List<Process> processes, Duration grace) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (Process p : processes) {
      // Descendants first, while the child still links them: once it dies they are reparented.
      p.descendants().forEach(handles::add);
      handles.add(p.toHandle());
    }
    List<ProcessHandle> alive = handles.stream().filter(ProcessHandle::isAlive).toList();
    if (alive.isEmpty()) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    alive.forEach(ProcessHandle::destroy);
    if (!interrupted) {
      interrupted = !awaitExit(alive, grace);
    }
    alive.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    while (!awaitExit(alive, Duration.ofSeconds(30))) {
      interrupted = true; // SIGKILL is sent: wait on, so that nothing outlives the call
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every handle has exited or {@code limit} passed; false when interrupted. */
  private static boolean awaitExit(List<ProcessHandle> handles, Duration limit) {
    CompletableFuture<?>[] exits =
        handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return false;
    } catch (ExecutionException | TimeoutException e) {
      // Still alive after the limit: the caller escalates.
    }
    return true;
  }

  /** Configures {@link WorkerProcesses}. */
  public static final class Builder {
    private final String mainClass;
    private final List<String> jvmOptions = new ArrayList<>();
    private Duration timeout = Duration.ofMinutes(10);
    private Duration gracePeriod = Duration.ofSeconds(2);

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    /**
     * The longest a {@link #run} may take, from the first launch to the last exit; 10 minutes
     * unless set.
     *
     * @throws NullPointerException when null
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /**
     * How long a destroyed child may take to exit after SIGTERM before it is killed; 2 seconds
     * unless set.
     *
     * @throws NullPointerException when null
     * @throws IllegalArgumentException when not positive
     */
    public Builder gracePeriod(Duration gracePeriod) {
      this.gracePeriod = positive("gracePeriod", gracePeriod);
      return this;
    }

    /**
     * Adds a JVM option for every child (before the class path), for example {@code -Xmx256m}.
     *
     * @throws NullPointerException when null
     * @throws IllegalArgumentException when it does not start with '-'
     */
    public Builder jvmOption(String option) {
      if (option == null) {
        throw new NullPointerException("option is null");
      }
      if (!option.startsWith("-")) {
        throw new IllegalArgumentException("a JVM option starts with '-': '" + option + "'");
      }
      jvmOptions.add(option);
      return this;
    }

    /** The configured instance; it starts nothing until {@link WorkerProcesses#run}. */
    public WorkerProcesses build() {
      return new WorkerProcesses(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null) {
        throw new NullPointerException(name + " is null");
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
