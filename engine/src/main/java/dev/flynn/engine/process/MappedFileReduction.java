package dev.flynn.engine.process;

import dev.flynn.engine.MappedFile;
import dev.flynn.engine.process.ReductionParts.Part;
import dev.flynn.engine.process.ReductionParts.Partial;
import dev.flynn.kernels.FloatSegmentKernels;
import dev.flynn.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reduces a memory-mapped file of little-endian floats (its {@link FloatFileSummary}: sum, mean,
 * min, max) across worker threads in this JVM or across worker JVM processes that map the same
 * file, and measures what each way costs: wall time, CPU time, start-up and peak memory.
 *
 * <p><b>Same bits either way.</b> The file is cut into the parts of {@code ReductionParts}: nodes
 * of the engine's fixed combine tree whose boundaries depend on the file's length only. Each worker
 * (thread or process) reduces a contiguous run of parts with the engine's SIMD segment kernels and
 * hands back one partial per part, exactly (a process writes the double's bits in hex); this side
 * combines them along the tree. So threads and processes, at any count, return the same bits, and
 * those are the bits of {@code flynn.using(Mode.SIMD).floatSegments().sum(file.segment())} (and
 * {@code mean}, {@code min}, {@code max}).
 *
 * <p><b>Processes</b> run {@link MappedFileReductionWorker} through {@link WorkerProcesses}: each
 * child maps the file itself (the page cache shares the pages), so nothing is copied between
 * processes. A failed child, a timeout or an interrupt of the caller ends every child before the
 * exception reaches the caller.
 *
 * <p>Arguments are checked before anything starts: a null path throws {@link NullPointerException};
 * a worker count outside 1 to {@value #MAX_WORKERS}, a file that is empty or whose size is not a
 * multiple of 4 bytes, {@link IllegalArgumentException}; a missing or unreadable file, {@link
 * IOException}. The methods are thread-safe: each call has its own threads or processes.
 */
public final class MappedFileReduction {

  /** The most workers a call takes: one per part at most, and the file has at most 64 parts. */
  public static final int MAX_WORKERS = 1 << ReductionParts.DEPTH;

  /**
   * Options for each child JVM: a small heap, since the data is mapped off-heap and a child
   * allocates only its few result lines; the serial collector, which starts no GC threads.
   */
  static final List<String> CHILD_JVM_OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC");

  private static final AtomicInteger CALLS = new AtomicInteger();

  private MappedFileReduction() {}

  /**
   * Reduces {@code file} on {@code threads} new platform threads named {@code
   * flynn-file-reduction-<call>-<n>}, which share one mapping of it and end before this returns.
   * When a thread fails the others are cancelled and the original exception is rethrown; when the
   * caller is interrupted the threads are stopped (at their next part) and {@link
   * InterruptedException} is thrown.
   */
  public static ReductionRun withThreads(Path file, int threads)
      throws IOException, InterruptedException {
    long floats = floats(file);
    checkWorkers("threads", threads);
    List<Part> parts = ReductionParts.of(floats);
    int workers = Math.min(threads, parts.size());
    Duration cpuBefore = ProcessFigures.cpu();
    long start = System.nanoTime();
    AtomicLong lastStart = new AtomicLong(start);
    List<Partial> partials = new ArrayList<>(Collections.nCopies(parts.size(), null));
    int call = CALLS.incrementAndGet();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers, Thread.ofPlatform().name("flynn-file-reduction-" + call + "-", 1).factory());
    try (MappedFile mapped = MappedFile.readOnly(file)) {
      FloatSegmentKernels k = Kernels.vectorFloatSegments();
      ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
      List<Future<Void>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int first = ReductionParts.firstPart(w, workers, parts.size());
        int end = ReductionParts.firstPart(w + 1, workers, parts.size());
        futures.add(
            done.submit(
                () -> {
                  lastStart.accumulateAndGet(System.nanoTime(), Math::max);
                  for (int p = first; p < end; p++) {
                    if (Thread.currentThread().isInterrupted()) {
                      throw new InterruptedException("cancelled: a sibling failed");
                    }
                    partials.set(
                        p, ReductionParts.reduce(k, mapped.segment(), floats, parts.get(p)));
                  }
                  return null;
                }));
      }
      try {
        for (int w = 0; w < workers; w++) {
          done.take().get();
        }
      } catch (ExecutionException e) {
        futures.forEach(f -> f.cancel(true));
        throw rethrow(e.getCause());
      } catch (InterruptedException e) {
        futures.forEach(f -> f.cancel(true));
        throw e;
      } finally {
        // The mapping must outlive every thread that reads it: wait for them before unmapping.
        stop(pool);
      }
      Partial total = ReductionParts.combine(parts, partials);
      long end = System.nanoTime();
      return new ReductionRun(
          "threads",
          workers,
          FloatFileSummary.of(floats, total),
          Duration.ofNanos(end - start),
          ProcessFigures.cpu().minus(cpuBefore),
          Duration.ofNanos(lastStart.get() - start),
          ProcessFigures.peakRssBytes());
    } finally {
      stop(pool);
    }
  }

  /**
   * Reduces {@code file} in {@code processes} child JVMs ({@link MappedFileReductionWorker}), each
   * mapping the file and reducing its run of parts; the children have ended when this returns or
   * throws.
   *
   * @throws IllegalArgumentException also when {@code timeout} is not positive
   * @throws WorkerProcessException when a child fails; its stderr tail is in the message
   * @throws TimeoutException when the children take longer than {@code timeout}
   * @throws InterruptedException when the calling thread is interrupted meanwhile
   */
  public static ReductionRun withProcesses(Path file, int processes, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    long floats = floats(file);
    checkWorkers("processes", processes);
    if (timeout == null) {
      throw new NullPointerException("timeout is null");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    List<Part> parts = ReductionParts.of(floats);
    int workers = Math.min(processes, parts.size());
    String path = file.toAbsolutePath().toString();
    List<List<String>> arguments = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      arguments.add(
          List.of(
              path,
              Long.toString(floats),
              Integer.toString(ReductionParts.firstPart(w, workers, parts.size())),
              Integer.toString(ReductionParts.firstPart(w + 1, workers, parts.size()))));
    }
    WorkerProcesses.Builder builder =
        WorkerProcesses.builder(MappedFileReductionWorker.class.getName()).timeout(timeout);
    CHILD_JVM_OPTIONS.forEach(builder::jvmOption);
    long start = System.nanoTime();
    List<MappedFileReductionWorker.Report> reports;
    try (WorkerProcesses children = builder.build()) {
      reports = children.run(arguments, MappedFileReductionWorker.Report::parse);
    }
    List<Partial> partials = new ArrayList<>();
    Duration cpu = Duration.ZERO;
    Duration startup = Duration.ZERO;
    long peak = 0;
    for (int w = 0; w < workers; w++) {
      MappedFileReductionWorker.Report r = reports.get(w);
      int first = Integer.parseInt(arguments.get(w).get(2));
      int end = Integer.parseInt(arguments.get(w).get(3));
      if (r.first() != first || r.partials().size() != end - first) {
        throw new WorkerProcessException(
            "worker process "
                + w
                + " reported parts from "
                + r.first()
                + ", "
                + r.partials().size()
                + " of them, instead of ["
                + first
                + ", "
                + end
                + ")",
            w,
            0,
            null);
      }
      partials.addAll(r.partials());
      cpu = cpu.plus(r.cpu());
      startup = startup.compareTo(r.startup()) < 0 ? r.startup() : startup;
      peak = peak < 0 || r.peakRssBytes() < 0 ? -1 : peak + r.peakRssBytes();
    }
    Partial total = ReductionParts.combine(parts, partials);
    return new ReductionRun(
        "processes",
        workers,
        FloatFileSummary.of(floats, total),
        Duration.ofNanos(System.nanoTime() - start),
        cpu,
        startup,
        peak);
  }

  /** The parts a file of {@code floats} floats is cut into: the most workers that can share it. */
  public static int parts(long floats) {
    if (floats < 0) {
      throw new IllegalArgumentException("floats is negative: " + floats);
    }
    return ReductionParts.of(floats).size();
  }

  /** The number of floats in {@code file}, checked. */
  static long floats(Path file) throws IOException {
    if (file == null) {
      throw new NullPointerException("file is null");
    }
    long bytes = Files.size(file);
    if (bytes == 0) {
      throw new IllegalArgumentException("file " + file + " is empty: min and max need a float");
    }
    if (bytes % Float.BYTES != 0) {
      throw new IllegalArgumentException(
          "file " + file + " has " + bytes + " bytes, not a whole number of 4-byte floats");
    }
    long floats = bytes / Float.BYTES;
    if (floats > ReductionParts.maxLength()) {
      throw new IllegalArgumentException(
          "file " + file + " holds " + floats + " floats, over " + ReductionParts.maxLength());
    }
    return floats;
  }

  private static void checkWorkers(String name, int workers) {
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException(
          name + " must be between 1 and " + MAX_WORKERS + ": " + workers);
    }
  }

  /** Interrupts the pool's threads and waits until they have all ended. */
  private static void stop(ExecutorService pool) {
    pool.shutdownNow();
    boolean interrupted = Thread.interrupted();
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException re) {
      return re;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("a reduction thread failed", cause);
  }
}
