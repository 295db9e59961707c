package dev.flynn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's "Threads versus processes" and "Blocking, asynchronous, virtual threads" sections:
 * read from processes.json and from RequestsBenchmark's sample-time results, laid out in both
 * writers, absent without their figures.
 */
class ConcurrencySectionsTest {

  @TempDir Path temp;

  private static String burst(String way, int concurrency, double meanUs, double p50, double p999) {
    return String.format(
        Locale.ROOT,
        """
        {"benchmark": "dev.flynn.bench.RequestsBenchmark.burst", "mode": "sample",
         "params": {"concurrency": "%d", "size": "1024", "way": "%s"},
         "primaryMetric": {"score": %s, "scoreError": 1.0, "scoreUnit": "us/op",
           "scorePercentiles": {"0.0": 1.0, "50.0": %s, "90.0": 30.0, "99.0": 40.0,
                                "99.9": %s, "100.0": 900.0},
           "rawData": [[1.0]]}}
        """,
        concurrency,
        way,
        meanUs,
        p50,
        p999);
  }

  private static JmhResults requests() throws Exception {
    return JmhResults.parse(
        "["
            + burst("VIRTUAL", 16, 40.0, 20.0, 500.0)
            + ","
            + burst("BLOCKING", 16, 32.0, 25.0, 400.0)
            + ","
            + burst("ASYNC", 256, 128.0, 100.0, 700.0)
            + "]");
  }

  private static ProcessRuns processRuns(String secondBits) {
    return new ProcessRuns(
        1000,
        2,
        "25",
        List.of(
            new ProcessRuns.Run("threads", 2, 1, 9_000_000, 8_000_000, 100_000, 1 << 30, "b"),
            new ProcessRuns.Run("threads", 2, 2, 3_000_000, 5_000_000, 50_000, 1 << 30, "b"),
            new ProcessRuns.Run(
                "processes", 2, 1, 700_000_000, 900_000_000, 400_000_000, -1, secondBits)));
  }

  private static String avgt(String method, String params, double micros) {
    return String.format(
        Locale.ROOT,
        """
        {"benchmark": "dev.flynn.bench.%s", "mode": "avgt", "params": {%s},
         "primaryMetric": {"score": %s, "scoreError": 1.0, "scoreUnit": "us/op",
           "rawData": [[1.0]]}}
        """,
        method,
        params,
        micros);
  }

  @Test
  void comparisonsPairEachChoiceWithItsAlternativeAtTheSameParameters() throws Exception {
    JmhResults results =
        JmhResults.parse(
            "["
                + avgt("StatsBenchmark.onePass", "\"size\": \"16\"", 10.0)
                + ","
                + avgt("StatsBenchmark.separatePasses", "\"size\": \"16\"", 25.0)
                + ","
                + avgt("StatsBenchmark.separatePasses", "\"size\": \"32\"", 99.0)
                + ","
                + avgt("AsyncBenchmark.asyncSum", "\"size\": \"16\"", 40.0)
                + "]");
    Table t = ConcurrencySections.comparisons(results).orElseThrow().tables().getFirst();
    // onePass at size 16 against separatePasses at size 16; asyncSum has no blockingSum here
    assertEquals(1, t.rows().size(), t.rows().toString());
    List<Table.Cell> row = t.rows().getFirst();
    assertEquals("size 16", row.get(1).text());
    assertEquals("2.50x", row.get(4).text());
    assertEquals(Table.Kind.BETTER, row.get(4).kind());
    assertTrue(ConcurrencySections.presents(results.benchmarks().getFirst()));
  }

  @Test
  void combiningGivesEveryStrategyAgainstPartialsByMethodAndThreads() throws Exception {
    JmhResults results =
        JmhResults.parse(
            "["
                + avgt(
                    "CombineBenchmark.histogramFine",
                    "\"strategy\": \"PARTIALS\", \"threads\": \"2\"",
                    100.0)
                + ","
                + avgt(
                    "CombineBenchmark.histogramFine",
                    "\"strategy\": \"SYNCHRONIZED\", \"threads\": \"2\"",
                    400.0)
                + "]");
    Table t = ConcurrencySections.combining(results).orElseThrow().tables().getFirst();
    assertEquals(List.of("method", "threads", "PARTIALS", "SYNCHRONIZED"), t.headers());
    List<Table.Cell> row = t.rows().getFirst();
    assertEquals("histogramFine", row.get(0).text());
    assertEquals("0.25x", row.get(3).text());
    assertEquals(Table.Kind.WORSE, row.get(3).kind());
    assertTrue(ConcurrencySections.comparisons(results).isEmpty());
  }

  @Test
  void percentilesAreReadFromSampleTimeResults() throws Exception {
    JmhResults.Metric m = requests().benchmarks().get(0).primaryMetric();
    assertEquals(20.0, m.percentile(50), 0);
    assertEquals(500.0, m.percentile(99.9), 0);
    assertTrue(Double.isNaN(m.percentile(75)));
  }

  @Test
  void requestsTableGivesRateAndBurstPercentilesInTheWaysOrder() throws Exception {
    Table t = ConcurrencySections.requests(requests()).orElseThrow().tables().getFirst();
    assertEquals(
        List.of("concurrency", "way", "requests/s", "mean", "p50", "p90", "p99", "p99.9"),
        t.headers());
    List<String> first = t.rows().get(0).stream().map(Table.Cell::text).toList();
    // 16 requests per burst, 32 us per burst: 500,000 requests per second.
    assertEquals(List.of("16", "BLOCKING", "500,000", "32.00 us", "25.00 us"), first.subList(0, 5));
    assertEquals("400.0 us", first.get(7));
    assertEquals("VIRTUAL", t.rows().get(1).get(1).text());
    List<String> third = t.rows().get(2).stream().map(Table.Cell::text).toList();
    assertEquals(List.of("256", "ASYNC", "2,000,000"), third.subList(0, 3));
  }

  @Test
  void noRequestsSectionWithoutSampleTimeResults() throws Exception {
    JmhResults avgt =
        JmhResults.parse(
            """
            [{"benchmark": "dev.flynn.bench.RequestsBenchmark.burst", "mode": "avgt",
              "params": {"concurrency": "16", "way": "ASYNC"},
              "primaryMetric": {"score": 3.0, "scoreUnit": "us/op", "rawData": [[3.0]]}}]
            """);
    assertTrue(ConcurrencySections.requests(avgt).isEmpty());
    assertEquals(List.of(), ConcurrencySections.of(avgt, Optional.empty()));
  }

  @Test
  void processesTableShowsFirstAndBestRoundsAndWhetherTheBitsAgree() {
    ConcurrencySections.Section s = ConcurrencySections.processes(processRuns("b"));
    Table t = s.tables().getFirst();
    List<String> threads = t.rows().get(0).stream().map(Table.Cell::text).toList();
    assertEquals(
        List.of("threads", "2", "9.000 ms", "3.000 ms", "5.000 ms", "0.05000 ms", "1 GiB", "2"),
        threads);
    List<String> processes = t.rows().get(1).stream().map(Table.Cell::text).toList();
    assertEquals("unknown", processes.get(6));
    assertTrue(t.notes().getFirst().startsWith("Every run returned the same bits"));
    Table disagree = ConcurrencySections.processes(processRuns("c")).tables().getFirst();
    assertTrue(disagree.notes().getFirst().startsWith("The runs disagree"));
  }

  @Test
  void processRunsSurviveTheirJsonAndReportWriterFindsThemBesideTheJmhResults() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("run"));
    ProcessRuns runs = processRuns("b");
    runs.write(dir.resolve(ProcessRuns.FILE));
    assertEquals(runs, ProcessRuns.read(dir.resolve(ProcessRuns.FILE)));
    Path jmh =
        Files.writeString(dir.resolve("requests.json"), "[" + burst("ASYNC", 16, 8, 7, 9) + "]");
    Path out = temp.resolve("report");
    ReportWriter.write(jmh, null, out);
    String md = Files.readString(out.resolve(ReportWriter.MARKDOWN));
    assertTrue(md.contains("## Threads versus processes"), md);
    assertTrue(md.contains("## Blocking, asynchronous, virtual threads"), md);
    assertFalse(md.contains("only their allocation is reported"), md); // it has its own section
    String html = Files.readString(out.resolve(ReportWriter.HTML));
    assertTrue(html.contains("<section id=\"processes\">"), "processes section");
    assertTrue(html.contains("<section id=\"requests\">"), "requests section");
    Path bad = Files.writeString(temp.resolve(ProcessRuns.FILE), "{}");
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class, () -> ProcessRuns.read(bad));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
  }

  @Test
  void withoutEitherFigureTheReportHasNeitherSection() throws Exception {
    Path out = temp.resolve("plain");
    ReportWriter.write(Fixtures.jmh(), null, out);
    String md = Files.readString(out.resolve(ReportWriter.MARKDOWN));
    assertFalse(md.contains("Threads versus processes"), md);
    assertFalse(md.contains("Blocking, asynchronous"), md);
  }
}
