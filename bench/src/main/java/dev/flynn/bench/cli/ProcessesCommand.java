package dev.flynn.bench.cli;

import dev.flynn.bench.report.ProcessRuns;
import dev.flynn.engine.process.MappedFileReduction;
import dev.flynn.engine.process.ReductionRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Threads against processes on one reduction: a mapped file of floats reduced by worker threads in
 * this JVM and by worker JVMs that each map the file, with wall time, CPU time, start-up and peak
 * memory side by side. Named {@code processes} for what it adds: the same work in other processes.
 */
@Command(
    name = "processes",
    mixinStandardHelpOptions = true,
    description = {
      "Compare worker threads with worker JVM processes reducing one mapped file.",
      "",
      "Reduce a file of little-endian floats (sum, mean, min, max) with N threads and",
      "with N worker JVMs that map the same file, and print wall time, CPU time,",
      "start-up and peak memory side by side. Every run must give the same bits.",
      "",
      "Exit status: 0 measured and all runs agree, 1 the runs disagree or failed,",
      "2 bad usage."
    })
final class ProcessesCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "the file of floats")
  Path file;

  @Option(
      names = "--generate",
      paramLabel = "SIZE",
      description =
          "first write SIZE seeded random floats to FILE, replacing it (a count, or with a"
              + " suffix Ki, Mi, Gi: 64Mi is 256 MiB)")
  String generate;

  @Option(
      names = "--workers",
      split = ",",
      paramLabel = "N",
      description = "threads and processes to compare (default: 1 and all processors)")
  List<Integer> workers;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description =
          "runs of each way and count; the table shows the first and the fastest"
              + " (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description = "seconds a run of worker processes may take (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "also write the figures as JSON; named "
              + ProcessRuns.FILE
              + " beside a report's jmh.json, ./flynn bench report adds them as a section")
  Path json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    List<Integer> counts =
        workers == null ? List.of(1, cores).stream().distinct().toList() : workers;
    for (int n : counts) {
      if (n < 1 || n > MappedFileReduction.MAX_WORKERS) {
        throw usage(
            "--workers: each count must be 1 to " + MappedFileReduction.MAX_WORKERS + ": " + n);
      }
    }
    if (rounds < 1) {
      throw usage("--rounds must be at least 1: " + rounds);
    }
    if (timeoutSeconds < 1) {
      throw usage("--timeout must be at least 1 second: " + timeoutSeconds);
    }
    if (generate != null) {
      long floats = parseSize(generate);
      System.err.printf(Locale.ROOT, "writing %,d floats to %s%n", floats, file);
      write(file, floats);
    } else if (!Files.isRegularFile(file)) {
      throw usage("FILE: no such file: " + file + " (--generate SIZE writes one)");
    }
    ProcessRuns result;
    try {
      result = measure(file, counts, rounds, Duration.ofSeconds(timeoutSeconds));
    } catch (TimeoutException e) {
      System.err.println("flynn processes: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      throw usage("FILE: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(table(file, result));
    out.flush();
    if (json != null) {
      result.write(json);
      System.err.println("figures written to " + json);
    }
    return result.agree() ? 0 : 1;
  }

  /**
   * Reduces {@code file} with each worker count, first with threads then with processes, {@code
   * rounds} times each, with progress on stderr; {@code ./flynn bench --kernels processes} runs
   * this too.
   */
  static ProcessRuns measure(Path file, List<Integer> counts, int rounds, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    int cores = Runtime.getRuntime().availableProcessors();
    long floats = Files.size(file) / Float.BYTES;
    List<ProcessRuns.Run> runs = new ArrayList<>();
    for (int n : counts) {
      for (String way : List.of("threads", "processes")) {
        for (int round = 1; round <= rounds; round++) {
          System.err.printf(Locale.ROOT, "%s x%d, round %d of %d%n", way, n, round, rounds);
          ReductionRun r =
              way.equals("threads")
                  ? MappedFileReduction.withThreads(file, n)
                  : MappedFileReduction.withProcesses(file, n, timeout);
          runs.add(
              new ProcessRuns.Run(
                  r.way(),
                  r.workers(),
                  round,
                  r.wall().toNanos(),
                  r.cpu().toNanos(),
                  r.startup().toNanos(),
                  r.peakRssBytes(),
                  r.summary().bits()));
        }
      }
    }
    return new ProcessRuns(floats, cores, System.getProperty("java.version"), runs);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The terminal table: one row per way and worker count. */
  static String table(Path file, ProcessRuns result) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Flynn processes: %s, %,d floats (%s), %d processors, Java %s%n%n",
            file,
            result.floats(),
            mib(result.floats() * Float.BYTES),
            result.processors(),
            result.java()));
    s.append(
        String.format(
            Locale.ROOT,
            "%-10s %7s %12s %12s %12s %12s %14s%n",
            "way",
            "workers",
            "wall first",
            "wall best",
            "CPU (best)",
            "start-up",
            "peak RSS"));
    for (ProcessRuns.Summary sum : result.summaries()) {
      ProcessRuns.Run best = sum.best();
      s.append(
          String.format(
              Locale.ROOT,
              "%-10s %7d %12s %12s %12s %12s %14s%n",
              sum.way(),
              sum.workers(),
              millis(sum.first().wallNanos()),
              millis(best.wallNanos()),
              millis(best.cpuNanos()),
              millis(best.startupNanos()),
              best.peakRssBytes() < 0 ? "unknown" : mib(best.peakRssBytes())));
    }
    s.append('\n');
    s.append(
        result.agree()
            ? "All "
                + result.runs().size()
                + " runs agree bit for bit: "
                + result.runs().getFirst().bits()
            : "THE RUNS DISAGREE: "
                + result.runs().stream().map(ProcessRuns.Run::bits).distinct().toList());
    s.append(
        "\nwall: call to combined result; CPU: user+system (threads: this JVM during the call;"
            + " processes: the children's whole lives, JVM start-up and JIT included);"
            + " start-up: until the last thread began, or the last child JVM wrote its first line;"
            + " peak RSS: VmHWM, mapped pages included (threads: this whole JVM; processes: the"
            + " children's sum).\n");
    return s.toString();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /**
   * A count with an optional binary suffix: {@code 1000}, {@code 64Ki}, {@code 16Mi}, {@code 1Gi}.
   */
  long parseSize(String text) {
    String t = text.trim();
    long unit = 1;
    for (String[] suffix : new String[][] {{"Ki", "10"}, {"Mi", "20"}, {"Gi", "30"}}) {
      if (t.endsWith(suffix[0])) {
        unit = 1L << Integer.parseInt(suffix[1]);
        t = t.substring(0, t.length() - 2);
      }
    }
    try {
      long n = Math.multiplyExact(Long.parseLong(t), unit);
      if (n < 1) {
        throw usage("--generate: SIZE must be at least 1: " + text);
      }
      return n;
    } catch (NumberFormatException | ArithmeticException e) {
      throw usage("--generate: not a size: '" + text + "' (a count, or with Ki, Mi, Gi)");
    }
  }

  /** Writes {@code floats} seeded values in [-1, 1), 1 MiB at a time (the heap stays small). */
  static void write(Path file, long floats) throws IOException {
    SplittableRandom random = new SplittableRandom(6);
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long left = floats; left > 0; ) {
        buffer.clear();
        int n = (int) Math.min(left, buffer.capacity() / Float.BYTES);
        for (int i = 0; i < n; i++) {
          buffer.putFloat((float) (random.nextDouble() * 2 - 1));
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        left -= n;
      }
    }
  }
}
