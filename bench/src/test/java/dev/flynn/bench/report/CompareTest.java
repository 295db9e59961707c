package dev.flynn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flynn.bench.cli.CompareCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareTest {

  /** The benchmark made slower in {@link #changed}: dot in SIMD at 4096 elements, 2 threads. */
  private static final String SLOWER =
      "dev.flynn.bench.DemoBenchmark.dot mode=SIMD size=4096 threads=2";

  @TempDir Path temp;

  private Path old;
  private Path changed;

  /**
   * A second run: dot SIMD 4096 10% slower, exp AUTO 16Mi missing, and a new benchmark (sum at 1024
   * elements) the old run lacks.
   */
  @BeforeEach
  void writeRuns() throws IOException {
    old = Fixtures.jmh();
    ArrayNode results = (ArrayNode) Fixtures.json(old);
    ObjectNode slower = (ObjectNode) find(results, "DemoBenchmark.dot", "SIMD", "4096");
    ObjectNode primary = (ObjectNode) slower.get("primaryMetric");
    primary.put("score", primary.get("score").asDouble() * 1.10);
    results.remove(indexOf(results, find(results, "DemoBenchmark.exp", "AUTO", "16777216")));
    ObjectNode added = find(results, "DemoBenchmark.sum", "SISD", "4096").deepCopy();
    ((ObjectNode) added.get("params")).put("size", "1024");
    results.add(added);
    changed = temp.resolve("new.json");
    Files.writeString(changed, results.toPrettyString());
  }

  private static JsonNode find(ArrayNode results, String method, String mode, String size) {
    for (JsonNode r : results) {
      if (r.get("benchmark").asText().endsWith(method)
          && r.at("/params/mode").asText().equals(mode)
          && r.at("/params/size").asText().equals(size)
          && r.at("/params/threads").asText().equals("2")) {
        return r;
      }
    }
    throw new AssertionError(method + " " + mode + " " + size);
  }

  private static int indexOf(ArrayNode results, JsonNode node) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) == node) {
        return i;
      }
    }
    throw new AssertionError();
  }

  @Test
  void identicalRunsHaveNoRegression() throws IOException {
    JmhResults run = JmhResults.read(old);
    Compare.Comparison c = Compare.compare(run, run, 5);
    assertFalse(c.regression());
    assertEquals(run.benchmarks().size(), c.rows().size());
    assertTrue(c.rows().stream().allMatch(r -> r.speedup() == 1.0));
    assertTrue(c.onlyInOld().isEmpty() && c.onlyInNew().isEmpty());
  }

  @Test
  void tenPercentSlowerIsARegressionAtFivePercentButNotAtFifteen() throws IOException {
    JmhResults a = JmhResults.read(old);
    JmhResults b = JmhResults.read(changed);
    Compare.Comparison at5 = Compare.compare(a, b, 5);
    assertTrue(at5.regression());
    assertEquals(List.of(SLOWER), at5.regressions().stream().map(Compare.Row::key).toList());
    assertEquals(1 / 1.10, at5.regressions().get(0).speedup(), 1e-12);
    assertFalse(Compare.compare(a, b, 15).regression());
    // and the other way round it is faster, not a regression
    Compare.Comparison back = Compare.compare(b, a, 5);
    assertFalse(back.regression());
    assertEquals(
        1, back.rows().stream().filter(r -> r.verdict() == Compare.Verdict.FASTER).count());
  }

  @Test
  void throughputAndTimeCompareAsTimes() throws IOException {
    String avgt =
        """
        [{"benchmark":"a.B.sum","mode":"avgt","params":{},
          "primaryMetric":{"score":2.0,"scoreUnit":"us/op","rawData":[[2.0]]}}]
        """;
    String slowerInNs =
        """
        [{"benchmark":"a.B.sum","mode":"avgt","params":{},
          "primaryMetric":{"score":2400,"scoreUnit":"ns/op","rawData":[[2400]]}}]
        """;
    Compare.Comparison c = Compare.compare(JmhResults.parse(avgt), JmhResults.parse(slowerInNs), 5);
    assertEquals(2.0 / 2.4, c.rows().get(0).speedup(), 1e-12);
    assertTrue(c.regression());
  }

  @Test
  void unmatchedBenchmarksAreListed() throws IOException {
    Compare.Comparison c = Compare.compare(JmhResults.read(old), JmhResults.read(changed), 5);
    assertEquals(
        List.of("dev.flynn.bench.DemoBenchmark.exp mode=AUTO size=16777216 threads=2"),
        c.onlyInOld().stream().map(JmhResults.Benchmark::key).toList());
    assertEquals(
        List.of("dev.flynn.bench.DemoBenchmark.sum mode=SISD size=1024 threads=2"),
        c.onlyInNew().stream().map(JmhResults.Benchmark::key).toList());
    StringWriter text = new StringWriter();
    c.print(new PrintWriter(text), "old.json", "new.json");
    String out = text.toString();
    assertTrue(
        out.contains("Only in old.json (old): 1\n  DemoBenchmark.exp mode=AUTO size=16777216"),
        out);
    assertTrue(
        out.contains("Only in new.json (new): 1\n  DemoBenchmark.sum mode=SISD size=1024"), out);
    assertTrue(
        out.lines()
            .anyMatch(
                l ->
                    l.startsWith("DemoBenchmark.dot mode=SIMD size=4096 threads=2")
                        && l.endsWith("0.909x  REGRESSION")),
        out);
    assertTrue(out.contains("REGRESSION: 1 of 125 matched benchmarks more than 5% slower"), out);
  }

  private record Run(int status, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new CompareCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void exitStatusIsZeroWithoutRegressionFourWithTwoOnBadUsage() {
    Run same = cli(old.toString(), old.toString());
    assertEquals(0, same.status(), same.err());
    assertTrue(same.out().contains("No regression"), same.out());

    Run regression = cli(old.toString(), changed.toString());
    assertEquals(CompareCommand.EXIT_REGRESSION, regression.status(), regression.err());
    assertEquals(4, regression.status());
    assertTrue(regression.out().contains("REGRESSION"), regression.out());

    Run lenient = cli(old.toString(), changed.toString(), "--threshold", "15");
    assertEquals(0, lenient.status(), lenient.err());

    Path missing = temp.resolve("nowhere.json");
    Run bad = cli(old.toString(), missing.toString());
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("NEW.json: no such file: " + missing), bad.err());

    Run badThreshold = cli(old.toString(), old.toString(), "--threshold", "-1");
    assertEquals(2, badThreshold.status(), badThreshold.err());
    assertTrue(badThreshold.err().contains("--threshold"), badThreshold.err());

    Run tooFew = cli(old.toString());
    assertEquals(2, tooFew.status(), tooFew.err());
  }

  @Test
  void aFileThatIsNotJmhJsonIsBadUsageNamingIt() throws IOException {
    Path profile = Fixtures.profile();
    Run run = cli(profile.toString(), old.toString());
    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().contains("OLD.json: " + profile), run.err());
  }
}
