package dev.flynn.bench.report;

import dev.flynn.bench.report.JmhResults.Benchmark;
import dev.flynn.bench.report.Table.Cell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

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
    comparisons(results).ifPresent(sections::add);
    combining(results).ifPresent(sections::add);
    processes.ifPresent(p -> sections.add(processes(p)));
    requests(results).ifPresent(sections::add);
    return sections;
  }

  /**
   * The benchmark classes these sections present, and only they: the speed-up grid leaves them out
   * (they have no SISD baseline; their strategy or way is not a mode).
   */
  static final Set<String> CLASSES =
      Set.of(
          "AsyncBenchmark",
          "StatsBenchmark",
          "PipelineBenchmark",
          "CombineBenchmark",
          "RequestsBenchmark");

  /** Whether {@code b} belongs to one of these sections rather than to the speed-up grid. */
  static boolean presents(Benchmark b) {
    String name = b.shortName();
    return CLASSES.contains(name.substring(0, name.indexOf('.')));
  }

  /**
   * One choice against another in the same run: {@code subject} against {@code baseline}, two
   * methods of one benchmark class, matched on every other parameter.
   */
  private record Pair(String type, String subject, String baseline, String question) {}

  private static final List<Pair> PAIRS =
      List.of(
          new Pair(
              "AsyncBenchmark",
              "asyncSum",
              "blockingSum",
              "an asynchronous sum (CompletableFuture, joined) against the blocking call"),
          new Pair(
              "AsyncBenchmark",
              "asyncTwoSumsComposed",
              "blockingTwoSums",
              "two asynchronous sums composed with thenCombine against two blocking calls"),
          new Pair(
              "StatsBenchmark",
              "onePass",
              "separatePasses",
              "MISD: count, sum, min, max, mean, variance in one pass against one pass each"),
          new Pair(
              "StatsBenchmark",
              "onePassWithHistogram",
              "separatePassesWithHistogram",
              "the same with a histogram: one pass against one pass per result"),
          new Pair(
              "PipelineBenchmark",
              "pipelineSum",
              "plainLoop",
              "the stream pipeline's sum of a file against a plain read-and-add loop"),
          new Pair(
              "PipelineBenchmark",
              "pipelineStats",
              "plainLoop",
              "the pipeline's one-pass statistics of a file against the plain sum loop"));

  /** "One choice against another": each pair of {@link #PAIRS} found in the results. */
  static Optional<Section> comparisons(JmhResults results) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Pair pair : PAIRS) {
      for (Benchmark subject : results.benchmarks()) {
        if (!subject.shortName().equals(pair.type() + "." + pair.subject())) {
          continue;
        }
        Optional<Benchmark> baseline =
            results.benchmarks().stream()
                .filter(b -> b.shortName().equals(pair.type() + "." + pair.baseline()))
                .filter(b -> b.params().equals(subject.params()))
                .findFirst();
        if (baseline.isEmpty()) {
          continue;
        }
        double subjectNanos = subject.primaryMetric().nanosPerOp();
        double baselineNanos = baseline.get().primaryMetric().nanosPerOp();
        rows.add(
            List.of(
                Cell.text(pair.question()),
                Cell.text(parameters(subject)),
                Cell.number(Numbers.score(subjectNanos / 1e3, "us")),
                Cell.number(Numbers.score(baselineNanos / 1e3, "us")),
                Cell.ratio(baselineNanos / subjectNanos)));
      }
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Table table =
        new Table(
            "comparisons-table",
            "Each choice against its alternative, measured in the same run",
            List.of("question", "parameters", "choice", "alternative", "alternative / choice"),
            rows,
            List.of(
                "alternative / choice: the alternative's time over the choice's; above 1 the"
                    + " choice is faster. Async: the pool hand-off (waking a worker) is the cost"
                    + " of not blocking; composing two calls lets them run side by side."
                    + " Stats: one pass reads the data once, which pays once the data no longer"
                    + " fit in the caches."));
    return Optional.of(
        new Section(
            "comparisons",
            "Asynchronous calls, one pass (MISD), the stream pipeline",
            "Each of the concurrency toolkit's choices against the plain way (AsyncBenchmark,"
                + " StatsBenchmark, PipelineBenchmark).",
            List.of(table)));
  }

  /**
   * "Combining partial results": every strategy of {@code CombineBenchmark} against per-task
   * partials, by method and thread count.
   */
  static Optional<Section> combining(JmhResults results) {
    List<Benchmark> runs =
        results.benchmarks().stream()
            .filter(b -> b.shortName().startsWith("CombineBenchmark."))
            .filter(b -> b.param("strategy").isPresent())
            .toList();
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    List<String> strategies =
        runs.stream().map(b -> b.param("strategy").orElseThrow()).distinct().sorted().toList();
    List<String> headers = new ArrayList<>(List.of("method", "threads", "PARTIALS"));
    strategies.stream().filter(st -> !st.equals("PARTIALS")).forEach(headers::add);
    List<List<Cell>> rows = new ArrayList<>();
    List<String> keys =
        runs.stream()
            .map(b -> b.method() + " " + b.param("threads").orElse("?"))
            .distinct()
            .sorted()
            .toList();
    for (String key : keys) {
      Optional<Benchmark> partials = find(runs, key, "PARTIALS");
      List<Cell> row = new ArrayList<>();
      row.add(Cell.text(key.substring(0, key.indexOf(' '))));
      row.add(Cell.number(key.substring(key.indexOf(' ') + 1)));
      row.add(
          Cell.number(
              partials.map(b -> micros(b.primaryMetric().nanosPerOp())).orElse(Numbers.NONE)));
      for (String strategy : headers.subList(3, headers.size())) {
        Optional<Benchmark> other = find(runs, key, strategy);
        if (other.isPresent() && partials.isPresent()) {
          row.add(
              Cell.ratio(
                  partials.get().primaryMetric().nanosPerOp()
                      / other.get().primaryMetric().nanosPerOp()));
        } else {
          row.add(Cell.number(Numbers.NONE));
        }
      }
      rows.add(row);
    }
    Table table =
        new Table(
            "combining-table",
            "Time per call with per-task partials, and each other strategy's speed against it",
            headers,
            rows,
            List.of(
                "A strategy's column: the partials' time over its time; below 1 it is slower."
                    + " Fine: every element updates the shared result; coarse: each block is"
                    + " reduced privately and combined once. Every strategy gives the same bits."));
    return Optional.of(
        new Section(
            "combining",
            "Combining partial results: locks and their alternatives",
            "synchronized, ReentrantLock, a Condition barrier, a Semaphore, atomics, LongAdder and"
                + " per-task partials on one histogram and one exact summary (CombineBenchmark).",
            List.of(table)));
  }

  private static Optional<Benchmark> find(List<Benchmark> runs, String key, String strategy) {
    return runs.stream()
        .filter(b -> (b.method() + " " + b.param("threads").orElse("?")).equals(key))
        .filter(b -> b.param("strategy").orElse("").equals(strategy))
        .findFirst();
  }

  private static String parameters(Benchmark b) {
    StringBuilder text = new StringBuilder();
    b.params()
        .forEach(
            (name, value) -> {
              if (!text.isEmpty()) {
                text.append(", ");
              }
              text.append(name).append(' ').append(value);
            });
    return text.toString();
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
