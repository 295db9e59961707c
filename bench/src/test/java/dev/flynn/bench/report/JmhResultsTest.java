package dev.flynn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.bench.report.JmhResults.Benchmark;
import dev.flynn.bench.report.JmhResults.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhResultsTest {

  @TempDir Path temp;

  @Test
  void readsARealJmhRunWithNaNErrors() throws IOException {
    JmhResults results = JmhResults.read(Fixtures.realRun());
    assertEquals(4, results.benchmarks().size());
    Benchmark first = results.benchmarks().get(0);
    assertEquals("dev.flynn.bench.DemoBenchmark.sum", first.benchmark());
    assertEquals("sum", first.method());
    assertEquals("DemoBenchmark.sum", first.shortName());
    assertEquals("avgt", first.mode());
    assertEquals(1, first.threads());
    assertEquals(1, first.forks());
    assertEquals("25.0.3", first.jdkVersion());
    assertEquals("1.37", first.jmhVersion());
    assertEquals(9, first.jvmArgs().size());
    assertEquals(List.of("-Xms1g", "-Xmx1g"), first.vmOptions());
    assertEquals(List.of(List.of("-Xms1g", "-Xmx1g")), results.vmOptionSets());
    assertEquals(Map.of("mode", "SISD", "size", "4096", "threads", "0"), first.params());
    assertEquals(2866.323893011046, first.primaryMetric().score());
    assertTrue(Double.isNaN(first.primaryMetric().scoreError()), "JMH wrote \"NaN\"");
    assertEquals("ns/op", first.primaryMetric().scoreUnit());
    assertEquals(
        List.of(List.of(3218.410200172989, 2514.237585849103)), first.primaryMetric().rawData());
    assertEquals(0.21254486582118673, first.allocation().orElseThrow().score(), 1e-12);
    assertEquals("B/op", first.allocation().orElseThrow().scoreUnit());
    assertEquals("dev.flynn.bench.DemoBenchmark.sum mode=SISD size=4096 threads=0", first.key());
  }

  @Test
  void forkOptionsAreKeptPerDistinctSet() throws IOException {
    String run =
        """
        [%s, %s, %s]
        """
            .formatted(
                result("A.x", "\"-XX:+UseTransparentHugePages\", \"--add-modules=m\", \"-Xmx2g\""),
                result("A.y", "\"-XX:+UseTransparentHugePages\", \"-Xmx2g\""),
                result("B.x", "\"-Xmx1g\""));
    Path file = temp.resolve("forks.json");
    Files.writeString(file, run);
    JmhResults results = JmhResults.read(file);
    assertEquals(
        List.of(List.of("-XX:+UseTransparentHugePages", "-Xmx2g"), List.of("-Xmx1g")),
        results.vmOptionSets());
  }

  private static String result(String name, String jvmArgs) {
    return """
        {"benchmark": "dev.flynn.bench.%s", "mode": "avgt", "jvmArgs": [%s],
         "primaryMetric": {"score": 1.0, "scoreError": 0.1, "scoreUnit": "ns/op", "rawData": [[1.0]]}}
        """
        .formatted(name, jvmArgs);
  }

  @Test
  void readsTheFixture() throws IOException {
    JmhResults results = JmhResults.read(Fixtures.jmh());
    assertEquals(Fixtures.json(Fixtures.jmh()).size(), results.benchmarks().size());
    assertTrue(results.benchmarks().stream().allMatch(b -> b.allocation().isPresent()));
  }

  @Test
  void convertsEveryTimeUnitToNanosecondsPerCall() {
    assertEquals(2.5, metric(2.5, "ns/op").nanosPerOp());
    assertEquals(2500, metric(2.5, "us/op").nanosPerOp());
    assertEquals(2.5e6, metric(2.5, "ms/op").nanosPerOp());
    assertEquals(2.5e9, metric(2.5, "s/op").nanosPerOp());
    assertEquals(0.5, metric(2, "ops/ns").nanosPerOp());
    assertEquals(500, metric(2, "ops/us").nanosPerOp());
    assertEquals(5e8, metric(2, "ops/s").nanosPerOp());
    assertFalse(metric(2, "B/op").isTime());
    assertThrows(IllegalArgumentException.class, () -> metric(2, "B/op").nanosPerOp());
  }

  @Test
  void theKeyIgnoresParameterOrderButNotModeOrThreads() throws IOException {
    String a =
        """
        [{"benchmark":"a.B.sum","mode":"avgt","threads":1,"params":{"size":"1","mode":"SIMD"},
          "primaryMetric":{"score":1,"scoreError":"NaN","scoreUnit":"ns/op","rawData":[[1]]}},
         {"benchmark":"a.B.sum","mode":"thrpt","threads":4,"params":{"mode":"SIMD","size":"1"},
          "primaryMetric":{"score":1,"scoreError":0.1,"scoreUnit":"ops/us","rawData":[[1]]}}]
        """;
    List<Benchmark> benchmarks = JmhResults.parse(a).benchmarks();
    assertEquals("a.B.sum mode=SIMD size=1", benchmarks.get(0).key());
    assertEquals("a.B.sum mode=SIMD size=1 [thrpt] [4 JMH threads]", benchmarks.get(1).key());
  }

  @Test
  void namesTheFileWhenItIsNotJmhJson() throws IOException {
    Path file = temp.resolve("notes.json");
    Files.writeString(file, "{\"schema\": \"flynn-check\"}");
    IOException e = assertThrows(IOException.class, () -> JmhResults.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    Files.writeString(file, "[{\"benchmark\": \"x\"}]");
    e = assertThrows(IOException.class, () -> JmhResults.read(file));
    assertTrue(e.getMessage().contains("primaryMetric"), e.getMessage());
    Path missing = temp.resolve("missing.json");
    e = assertThrows(IOException.class, () -> JmhResults.read(missing));
    assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
  }

  private static Metric metric(double score, String unit) {
    return new Metric(score, Double.NaN, unit, List.of());
  }
}
