package dev.flynn.bench.report;

import dev.flynn.bench.report.JmhResults.Benchmark;
import dev.flynn.bench.report.Table.Cell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report's sections on ways of running work concurrently, each present only when its figures
 * are: "Threads versus processes" from {@code ./flynn processes --json} ({@link ProcessRuns}), and
 * "Blocking, asynchronous, virtual threads" from {@code RequestsBenchmark}'s JMH results in
 * sample-time mode. Both writers lay out the same {@link Section}s.
 */
final class ConcurrencySections {

  /** The benchmark method the requests section reads. */
  static final String REQUESTS = "RequestsBenchmark.burst";

  /** The benchmark's ways, in the order the table shows them. */
  private static final List<String> WAYS = List.of("BLOCKING", "ASYNC", "VIRTUAL");

  /** The percentiles the requests table shows. */
  private static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9};

  private ConcurrencySections() {}

  /**
   * A section after the report's own.
   *
   * @param id the HTML id
   * @param title the heading
   * @param lead one sentence under the heading
   * @param tables its tables
   */
  record Section(String id, String title, String lead, List<Table> tables) {

    Section {
      tables = List.copyOf(tables);
    }
  }

  /** The sections for these results and, when given, these process runs, in report order. */
  static List<Section> of(JmhResults results, Optional<ProcessRuns> processes) {
    List<Section> sections = new ArrayList<>();
    processes.ifPresent(p -> sections.add(processes(p)));
    requests(results).ifPresent(sections::add);
    return sections;
  }

  static Section processes(ProcessRuns runs) {
    List<List<Cell>> rows = new ArrayList<>();
    for (ProcessRuns.Summary s : runs.summaries()) {
      ProcessRuns.Run best = s.best();
      rows.add(
          List.of(
              Cell.text(s.way()),
              Cell.number(Integer.toString(s.workers())),
              Cell.number(millis(s.first().wallNanos())),
              Cell.number(millis(best.wallNanos())),
              Cell.number(millis(best.cpuNanos())),
              Cell.number(millis(best.startupNanos())),
              Cell.number(best.peakRssBytes() < 0 ? "unknown" : Numbers.bytes(best.peakRssBytes())),
              Cell.number(Integer.toString(s.rounds()))));
    }
    List<String> notes = new ArrayList<>();
    notes.add(
        runs.agree()
            ? "Every run returned the same bits: " + runs.runs().getFirst().bits() + "."
            : "The runs disagree: "
                + runs.runs().stream().map(ProcessRuns.Run::bits).distinct().toList()
                + ".");
    notes.add(
        "Wall: call to combined result. CPU: user plus system; threads count this JVM during the"
            + " call, processes the children's whole lives (JVM start-up and JIT included)."
            + " Start-up: until the last thread began, or until the last child JVM wrote its first"
            + " line. Peak RSS: VmHWM, mapped file pages included; threads show this whole JVM,"
            + " processes the sum over the children. The first round of each way runs the kernels"
            + " cold (a new JVM interprets the Vector API until C2 compiles it); every process run"
            + " is a first round.");
    Table table =
        new Table(
            "processes-table",
            String.format(
                Locale.ROOT,
                "One mapped file of %s floats (%s), %d processors, Java %s: sum, mean, min, max",
                Numbers.count(runs.floats()),
                Numbers.bytes(runs.floats() * (double) Float.BYTES),
                runs.processors(),
                runs.java()),
            List.of(
                "way",
                "workers",
                "wall, first",
                "wall, best",
                "CPU (best)",
                "start-up (best)",
                "peak RSS (best)",
                "rounds"),
            rows,
            notes);
    return new Section(
        "processes",
        "Threads versus processes",
        "The same reduction of a memory-mapped file by worker threads in one JVM and by worker"
            + " JVMs that each map the file (./flynn processes).",
        List.of(table));
  }

  static Optional<Section> requests(JmhResults results) {
    List<Benchmark> bursts =
        results.benchmarks().stream()
            .filter(b -> b.shortName().equals(REQUESTS))
            .filter(b -> !b.primaryMetric().percentiles().isEmpty())
            .sorted(
                Comparator.comparingLong((Benchmark b) -> param(b, "concurrency"))
                    .thenComparingInt(b -> WAYS.indexOf(b.param("way").orElse(""))))
            .toList();
    if (bursts.isEmpty()) {
      return Optional.empty();
    }
    List<String> headers = new ArrayList<>(List.of("concurrency", "way", "requests/s", "mean"));
    for (double p : PERCENTILES) {
      headers.add("p" + Numbers.plain(p));
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (Benchmark b : bursts) {
      JmhResults.Metric m = b.primaryMetric();
      double nanosPerUnit = m.nanosPerOp() / m.score();
      long concurrency = param(b, "concurrency");
      List<Cell> row = new ArrayList<>();
      row.add(Cell.number(Numbers.count(concurrency)));
      row.add(Cell.text(b.param("way").orElse(Numbers.NONE)));
      row.add(Cell.number(Numbers.significant(concurrency * 1e9 / m.nanosPerOp())));
      row.add(Cell.number(micros(m.nanosPerOp())));
      for (double p : PERCENTILES) {
        row.add(Cell.number(micros(m.percentile(p) * nanosPerUnit)));
      }
      rows.add(row);
    }
    Table table =
        new Table(
            "requests-table",
            "Bursts of small requests (a "
                + bursts.getFirst().param("size").orElse("?")
                + "-float dot each) served by a fixed pool with Future.get, by CompletableFuture"
                + " on that pool, and by a virtual thread per request",
            headers,
            rows,
            List.of(
                "requests/s: concurrency / mean burst time. Percentiles are of burst latency: the"
                    + " time a caller waits until all the burst's requests are done, that is for"
                    + " its slowest one (JMH sample-time mode). A percentile above the number of"
                    + " samples shows the largest sample: short runs make p99.9 the maximum."));
    return Optional.of(
        new Section(
            "requests",
            "Blocking, asynchronous, virtual threads",
            "Many concurrent small requests served three ways (RequestsBenchmark).",
            List.of(table)));
  }

  private static long param(Benchmark b, String name) {
    try {
      return Long.parseLong(b.param(name).orElse("-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String millis(long nanos) {
    return Numbers.significant(nanos / 1e6) + " ms";
  }

  private static String micros(double nanos) {
    return Numbers.score(nanos / 1e3, "us");
  }
}
