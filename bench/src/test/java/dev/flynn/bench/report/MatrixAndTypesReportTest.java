package dev.flynn.bench.report;

import static dev.flynn.bench.report.Fixtures.assertShows;
import static dev.flynn.bench.report.Fixtures.assertShowsPercent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flynn.bench.report.Fixtures.ParsedTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on what the kernel suites measure beyond float vectors: gemm on shapes (GFLOPS against
 * the peak, ND4J as a peer), double gemm (half the float peak), int and long kernels (labelled by
 * type, elements per second, no GFLOPS), and a kernel KernelCosts does not know (time only). The
 * expected numbers are computed here from the inputs and the profile fixture.
 */
class MatrixAndTypesReportTest {

  private static final String SHAPE = "1024x1024x1024";
  private static final double N = 1024;

  @TempDir static Path out;

  private static Map<String, ParsedTable> html;
  private static Map<String, ParsedTable> markdown;
  private static String page;
  private static JsonNode calibration;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One JMH result as JMH writes it, with the fields the report reads. */
  private static ObjectNode result(String benchmark, double nanos, String... params) {
    ObjectNode node = JSON.createObjectNode();
    node.put("jmhVersion", "1.37");
    node.put("benchmark", "dev.flynn.bench." + benchmark);
    node.put("mode", "avgt");
    node.put("threads", 1);
    node.put("forks", 1);
    ObjectNode p = node.putObject("params");
    for (int i = 0; i < params.length; i += 2) {
      p.put(params[i], params[i + 1]);
    }
    ObjectNode metric = node.putObject("primaryMetric");
    metric.put("score", nanos);
    metric.put("scoreError", "NaN");
    metric.put("scoreUnit", "ns/op");
    metric.putArray("rawData").addArray().add(nanos);
    node.putObject("secondaryMetrics");
    return node;
  }

  private static final double GEMM_SISD = 1.2e9;
  private static final double GEMM_SIMD = 9.0e7;
  private static final double GEMM_SIMD_MIMD_1 = 9.5e7;
  private static final double GEMM_SIMD_MIMD_ALL = 5.0e7;
  private static final double GEMM_DOUBLE_SIMD = 1.9e8;
  private static final double ND4J_1 = 6.0e7;
  private static final double ND4J_ALL = 3.5e7;
  private static final double INT_SISD = 30000;
  private static final double INT_SIMD = 5000;
  private static final double LONG_SIMD = 9000;
  private static final double UNKNOWN_SISD = 4000;
  private static final double UNKNOWN_SIMD = 1000;

  @BeforeAll
  static void writeReport() throws IOException {
    ArrayNode results = JSON.createArrayNode();
    for (Object[] gemm :
        new Object[][] {
          {"SISD", "1", GEMM_SISD},
          {"SIMD", "1", GEMM_SIMD},
          {"SIMD_MIMD", "1", GEMM_SIMD_MIMD_1},
          {"SIMD_MIMD", "0", GEMM_SIMD_MIMD_ALL}
        }) {
      results.add(
          result(
              "GemmBenchmark.gemm",
              (double) gemm[2],
              "shape",
              SHAPE,
              "mode",
              (String) gemm[0],
              "threads",
              (String) gemm[1]));
    }
    results.add(
        result(
            "GemmBenchmark.gemmDouble",
            GEMM_DOUBLE_SIMD,
            "shape",
            SHAPE,
            "mode",
            "SIMD",
            "threads",
            "1"));
    results.add(
        result("Nd4jGemmBenchmark.gemm", ND4J_1, "shape", SHAPE, "peer", "nd4j", "threads", "1"));
    results.add(
        result("Nd4jGemmBenchmark.gemm", ND4J_ALL, "shape", SHAPE, "peer", "nd4j", "threads", "0"));
    results.add(
        result(
            "IntKernelBenchmark.sum", INT_SISD, "size", "65536", "mode", "SISD", "threads", "0"));
    results.add(
        result(
            "IntKernelBenchmark.sum", INT_SIMD, "size", "65536", "mode", "SIMD", "threads", "0"));
    results.add(
        result(
            "LongKernelBenchmark.sum", LONG_SIMD, "size", "65536", "mode", "SIMD", "threads", "0"));
    results.add(
        result(
            "FloatKernelBenchmark.frobnicate",
            UNKNOWN_SISD,
            "size",
            "4096",
            "mode",
            "SISD",
            "threads",
            "0"));
    results.add(
        result(
            "FloatKernelBenchmark.frobnicate",
            UNKNOWN_SIMD,
            "size",
            "4096",
            "mode",
            "SIMD",
            "threads",
            "0"));
    Path jmh = out.resolve("input.json");
    Files.writeString(jmh, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    Path dir = out.resolve("report");
    ReportWriter.write(jmh, Fixtures.profile(), dir);
    page = Files.readString(dir.resolve("report.html"));
    html = Fixtures.htmlTables(Jsoup.parse(page));
    markdown = Fixtures.markdownTables(Files.readString(dir.resolve("report.md")));
    calibration = Fixtures.json(Fixtures.profile()).get("calibration");
  }

  private static List<String> row(String table, String kernel, String... more) {
    ParsedTable t = html.get(table);
    assertTrue(t != null, () -> "no table " + table + " in " + html.keySet());
    List<List<String>> found =
        t.rows().stream()
            .filter(r -> r.get(t.column("kernel")).equals(kernel))
            .filter(r -> r.containsAll(List.of(more)))
            .toList();
    assertEquals(1, found.size(), () -> table + " " + kernel + " " + List.of(more) + ": " + found);
    return found.get(0);
  }

  private static String cell(String table, List<String> row, String column) {
    return row.get(html.get(table).column(column));
  }

  @Test
  void gemmRowsShowTheShapeAndTheSpeedUps() {
    List<String> gemm = row("speedup-table", "gemm");
    assertEquals(SHAPE, cell("speedup-table", gemm, "size"));
    assertShows(GEMM_SIMD, cell("speedup-table", gemm, "SIMD"), "SIMD time");
    assertShows(GEMM_SISD / GEMM_SIMD, cell("speedup-table", gemm, "SIMD vs SISD"), "SIMD");
    assertShows(
        GEMM_SISD / GEMM_SIMD_MIMD_ALL,
        cell("speedup-table", gemm, "SIMD_MIMD vs SISD"),
        "SIMD_MIMD at all threads");
    List<String> gemmDouble = row("speedup-table", "gemm (double)");
    assertShows(GEMM_DOUBLE_SIMD, cell("speedup-table", gemmDouble, "SIMD"), "double SIMD");
  }

  @Test
  void gemmIsHeldAgainstThePeakInGflops() {
    double flops = 2 * N * N * N;
    double bytes = 4 * 3 * N * N;
    double one = calibration.get("peakGflopsOneThread").asDouble();
    double all = calibration.get("peakGflopsAllThreads").asDouble();
    List<String> simd = row("roofline-table", "gemm", "SIMD");
    assertShows(flops / GEMM_SIMD, cell("roofline-table", simd, "GFLOPS"), "SIMD GFLOPS");
    assertShowsPercent(flops / GEMM_SIMD / one, cell("roofline-table", simd, "of peak"), "SIMD");
    assertShows(bytes / GEMM_SIMD, cell("roofline-table", simd, "GB/s"), "SIMD GB/s");
    assertEquals("memory", cell("roofline-table", simd, "fits in"));
    assertEquals("—", cell("roofline-table", simd, "G elements/s"));
    List<String> pooled = row("roofline-table", "gemm", "SIMD_MIMD");
    assertEquals("all", cell("roofline-table", pooled, "threads"));
    assertShowsPercent(
        flops / GEMM_SIMD_MIMD_ALL / all, cell("roofline-table", pooled, "of peak"), "all");
    // double: twice the bytes, against half the float peak
    List<String> twice = row("roofline-table", "gemm (double)", "SIMD");
    assertShows(2 * bytes / GEMM_DOUBLE_SIMD, cell("roofline-table", twice, "GB/s"), "double");
    assertShowsPercent(
        flops / GEMM_DOUBLE_SIMD / (one / 2), cell("roofline-table", twice, "of peak"), "double");
    List<String> cost =
        html.get("costs-table").rows().stream()
            .filter(r -> r.get(0).equals("gemm"))
            .findFirst()
            .orElseThrow();
    assertTrue(cost.containsAll(List.of("4(mk+kn+mn)", "2mnk", "GFLOPS")), cost.toString());
  }

  @Test
  void nd4jGemmIsAPeerOnTheSameShape() {
    List<String> gemm = row("peers-table", "gemm");
    assertEquals(SHAPE, cell("peers-table", gemm, "size"));
    // No AUTO measured: Flynn's fastest mode is the reference; ND4J at its fastest.
    assertShows(GEMM_SIMD_MIMD_ALL, cell("peers-table", gemm, "Flynn"), "Flynn");
    assertShows(ND4J_ALL, cell("peers-table", gemm, "nd4j"), "nd4j");
    assertShows(ND4J_ALL / GEMM_SIMD_MIMD_ALL, cell("peers-table", gemm, "nd4j / Flynn"), "ratio");
    List<String> scaling = row("scaling-table", "gemm", "nd4j");
    assertShows(ND4J_1 / ND4J_ALL, cell("scaling-table", scaling, "speed-up at all"), "nd4j");
  }

  @Test
  void integerKernelsAreLabelledByTypeAndCountElements() {
    List<String> sumInt = row("speedup-table", "sum (int)");
    assertShows(INT_SISD / INT_SIMD, cell("speedup-table", sumInt, "SIMD vs SISD"), "int");
    row("speedup-table", "sum (long)");
    List<String> roofInt = row("roofline-table", "sum (int)", "SIMD");
    assertShows(4 * 65536 / INT_SIMD, cell("roofline-table", roofInt, "GB/s"), "int GB/s");
    assertEquals("—", cell("roofline-table", roofInt, "GFLOPS"));
    assertShows(65536 / INT_SIMD, cell("roofline-table", roofInt, "G elements/s"), "int");
    List<String> roofLong = row("roofline-table", "sum (long)", "SIMD");
    assertShows(8 * 65536 / LONG_SIMD, cell("roofline-table", roofLong, "GB/s"), "long GB/s");
  }

  @Test
  void aKernelWithoutACostRowShowsItsTimeOnly() {
    List<String> unknown = row("speedup-table", "frobnicate");
    assertShows(UNKNOWN_SIMD, cell("speedup-table", unknown, "SIMD"), "time");
    assertShows(
        UNKNOWN_SISD / UNKNOWN_SIMD, cell("speedup-table", unknown, "SIMD vs SISD"), "speed-up");
    assertTrue(
        html.get("roofline-table").rows().stream().noneMatch(r -> r.get(0).equals("frobnicate")));
    assertTrue(page.contains("KernelCosts): frobnicate"), "the note names it");
  }

  @Test
  void theMarkdownTablesAreTheHtmlTables() {
    assertEquals(html.size(), markdown.size());
    for (ParsedTable md : markdown.values()) {
      assertTrue(
          html.values().stream().anyMatch(h -> h.rows().equals(md.rows())),
          () -> "no HTML table with the rows " + md.rows());
    }
  }
}
