package dev.flynn.bench.report;

import static dev.flynn.bench.report.Fixtures.allocation;
import static dev.flynn.bench.report.Fixtures.assertShows;
import static dev.flynn.bench.report.Fixtures.assertShowsPercent;
import static dev.flynn.bench.report.Fixtures.find;
import static dev.flynn.bench.report.Fixtures.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flynn.bench.report.Fixtures.ParsedTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every number in the report's tables is its input, only rounded; every ratio is the one computed
 * here from the fixture, independently of the report's code. The HTML and the Markdown tables are
 * the same cell for cell.
 */
class ReportNumbersTest {

  private static final List<String> KERNELS = List.of("sum", "dot", "axpy", "exp");
  private static final List<Long> SIZES = List.of(4096L, 65536L, 16777216L);
  private static final List<String> MODES = List.of("SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO");

  /** Bytes moved per element (float), written out here independently of KernelCosts. */
  private static final Map<String, Integer> BYTES =
      Map.of("sum", 4, "dot", 8, "axpy", 12, "exp", 8);

  /** Distinct bytes touched per element: axpy reads and writes the same y. */
  private static final Map<String, Integer> WORKING_SET =
      Map.of("sum", 4, "dot", 8, "axpy", 8, "exp", 8);

  private static final Map<String, Integer> FLOPS = Map.of("sum", 1, "dot", 2, "axpy", 2);

  @TempDir static Path out;

  private static JsonNode jmh;
  private static JsonNode profile;
  private static Map<String, ParsedTable> html;
  private static Map<String, ParsedTable> markdown;

  @BeforeAll
  static void writeReport() throws IOException {
    ReportWriter.write(Fixtures.jmh(), Fixtures.profile(), out);
    jmh = Fixtures.json(Fixtures.jmh());
    profile = Fixtures.json(Fixtures.profile());
    html = Fixtures.htmlTables(Jsoup.parse(out.resolve("report.html").toFile()));
    markdown = Fixtures.markdownTables(Files.readString(out.resolve("report.md")));
  }

  private static ParsedTable table(String id) {
    ParsedTable table = html.get(id);
    assertTrue(table != null, () -> "no table " + id + " in " + html.keySet());
    return table;
  }

  private static JsonNode grid(String kernel, long size, String mode, String threads) {
    return find(
        jmh,
        "DemoBenchmark." + kernel,
        Map.of("size", Long.toString(size), "mode", mode, "threads", threads));
  }

  private static JsonNode peer(String kernel, long size, String peer) {
    return find(jmh, "PeerBenchmark." + kernel, Map.of("size", Long.toString(size), "peer", peer));
  }

  @Test
  void theMarkdownTablesAreTheHtmlTables() throws IOException {
    Set<String> captions = new HashSet<>(markdown.keySet());
    assertEquals(html.size(), markdown.size(), () -> html.keySet() + " vs " + captions);
    var page = Jsoup.parse(out.resolve("report.html").toFile());
    for (var element : page.select("table")) {
      String caption = element.selectFirst("caption").text();
      ParsedTable md = markdown.get(caption);
      assertTrue(md != null, () -> "no Markdown table '" + caption + "'");
      ParsedTable h = html.get(element.id());
      assertEquals(h.headers(), md.headers(), caption);
      assertEquals(h.rows(), md.rows(), caption);
    }
  }

  @Test
  void speedupTableShowsEveryTimeAndTheRatioOverSisd() {
    ParsedTable t = table("speedup-table");
    assertEquals(KERNELS.size() * SIZES.size(), t.rows().size());
    int row = 0;
    for (String kernel : KERNELS) {
      for (long size : SIZES) {
        List<String> cells = t.rows().get(row++);
        assertEquals(kernel, cells.get(t.column("kernel")));
        assertShows(size, cells.get(t.column("size")), "size");
        assertEquals("2", cells.get(t.column("threads")));
        double sisd = score(grid(kernel, size, "SISD", "2"));
        for (String mode : MODES) {
          double time = score(grid(kernel, size, mode, "2"));
          String where = kernel + " " + size + " " + mode;
          assertEquals(mode + " (ns/op)", t.headers().get(t.column(mode)));
          assertShows(time, cells.get(t.column(mode)), where);
          if (!mode.equals("SISD")) {
            assertShows(sisd / time, cells.get(t.column(mode + " vs SISD")), where + " speed-up");
          }
        }
      }
    }
  }

  @Test
  void peersTableShowsEveryTimeAndThePeerOverFlynn() {
    ParsedTable t = table("peers-table");
    assertEquals(
        List.of(
            "kernel",
            "size",
            "Flynn as",
            "Flynn (ns/op)",
            "plain-loop (ns/op)",
            "plain-loop / Flynn",
            "nd4j (ns/op)",
            "nd4j / Flynn",
            "netlib (ns/op)",
            "netlib / Flynn"),
        t.headers());
    assertEquals(KERNELS.size() * SIZES.size(), t.rows().size());
    for (List<String> cells : t.rows()) {
      String kernel = cells.get(0);
      long size = Long.parseLong(cells.get(1).replace(",", ""));
      assertEquals("flynn, 1 thread", cells.get(t.column("Flynn as")));
      double flynn = score(peer(kernel, size, "flynn"));
      assertShows(flynn, cells.get(t.column("Flynn")), kernel + " " + size + " flynn");
      for (String name : List.of("plain-loop", "nd4j", "netlib")) {
        String where = kernel + " " + size + " " + name;
        if (name.equals("netlib") && (kernel.equals("sum") || kernel.equals("exp"))) {
          assertEquals("—", cells.get(t.column(name)), where);
          assertEquals("—", cells.get(t.column(name + " / Flynn")), where);
          continue;
        }
        double time = score(peer(kernel, size, name));
        assertShows(time, cells.get(t.column(name)), where);
        assertShows(time / flynn, cells.get(t.column(name + " / Flynn")), where + " ratio");
      }
    }
  }

  @Test
  void scalingTableShowsEveryThreadCountAgainstOneThread() {
    ParsedTable t = table("scaling-table");
    assertEquals(
        List.of(
            "kernel",
            "size",
            "mode",
            "1 thread (ns/op)",
            "2 threads (ns/op)",
            "speed-up at 2",
            "efficiency at 2"),
        t.headers());
    assertEquals(KERNELS.size() * SIZES.size() * 2, t.rows().size());
    int row = 0;
    for (String kernel : KERNELS) {
      for (long size : SIZES) {
        for (String mode : List.of("MIMD", "SIMD_MIMD")) {
          List<String> cells = t.rows().get(row++);
          String where = kernel + " " + size + " " + mode;
          assertEquals(List.of(kernel, mode), List.of(cells.get(0), cells.get(2)), where);
          assertShows(size, cells.get(1), where);
          double one = score(grid(kernel, size, mode, "1"));
          double two = score(grid(kernel, size, mode, "2"));
          assertShows(one, cells.get(t.column("1 thread")), where);
          assertShows(two, cells.get(t.column("2 threads")), where);
          assertShows(one / two, cells.get(t.column("speed-up at 2")), where);
          assertShowsPercent(one / two / 2, cells.get(t.column("efficiency at 2")), where);
        }
      }
    }
  }

  @Test
  void rooflineTablePlacesEveryRunAgainstTheMeasuredRoofs() {
    ParsedTable t = table("roofline-table");
    assertEquals(KERNELS.size() * SIZES.size() * MODES.size(), t.rows().size());
    JsonNode calibration = profile.get("calibration");
    long l1 = profile.at("/report/caches/l1d/bytes").asLong();
    long l2 = profile.at("/report/caches/l2/bytes").asLong();
    for (List<String> cells : t.rows()) {
      String kernel = cells.get(t.column("kernel"));
      long size = Long.parseLong(cells.get(t.column("size")).replace(",", ""));
      String mode = cells.get(t.column("mode"));
      String where = kernel + " " + size + " " + mode;
      assertEquals("2", cells.get(t.column("threads")), where);
      double nanos = score(grid(kernel, size, mode, "2"));
      double gbps = BYTES.get(kernel) * (double) size / nanos;
      assertShows(gbps, cells.get(t.column("GB/s")), where + " GB/s");

      long workingSet = WORKING_SET.get(kernel) * size;
      boolean single = mode.equals("SISD") || mode.equals("SIMD");
      String level = workingSet <= l1 ? "L1" : workingSet <= l2 ? "L2" : "memory";
      double roof =
          switch (level) {
            case "L1" -> calibration.get("l1ReadGBps").asDouble();
            case "L2" -> calibration.get("l2ReadGBps").asDouble();
            default ->
                calibration.get(single ? "triadOneThreadGBps" : "triadAllThreadsGBps").asDouble();
          };
      assertEquals(level, cells.get(t.column("fits in")), where);
      assertShows(roof, cells.get(t.column("roof GB/s")), where + " roof");
      assertShowsPercent(gbps / roof, cells.get(t.column("of roof")), where);

      double peak =
          calibration.get(single ? "peakGflopsOneThread" : "peakGflopsAllThreads").asDouble();
      if (FLOPS.containsKey(kernel)) {
        double gflops = FLOPS.get(kernel) * (double) size / nanos;
        assertShows(gflops, cells.get(t.column("GFLOPS")), where + " GFLOPS");
        assertShowsPercent(gflops / peak, cells.get(t.column("of peak")), where);
      } else {
        assertEquals("—", cells.get(t.column("GFLOPS")), where);
      }
      assertShows(size / nanos, cells.get(t.column("G elements/s")), where + " elements/s");
    }
  }

  @Test
  void allocationTablesShowEveryFigureAndFlagTheSingleThreadedAllocators() {
    ParsedTable all = table("allocation-table");
    assertEquals(jmh.size(), all.rows().size());
    for (int i = 0; i < jmh.size(); i++) {
      JsonNode result = jmh.get(i);
      List<String> cells = all.rows().get(i);
      String method = result.get("benchmark").asText();
      assertTrue(method.endsWith(cells.get(all.column("benchmark"))), method);
      assertShows(allocation(result), cells.get(all.column("B/op")), method + " " + i);
    }
    ParsedTable flags = table("allocation-flags");
    // The rule, written out here: nd4j at one thread (the fixture's only allocator on the calling
    // thread) is flagged when it allocates 16 B per call plus 8 KiB per 100 ms a call takes.
    int expected = 0;
    for (String kernel : KERNELS) {
      for (long size : SIZES) {
        JsonNode nd4j =
            find(
                jmh,
                "PeerBenchmark." + kernel,
                Map.of("size", Long.toString(size), "peer", "nd4j", "threads", "1"));
        if (allocation(nd4j) >= 16 + 8192 * score(nd4j) / 1e8) {
          expected++;
        }
      }
    }
    assertTrue(expected > 0, "the fixture must exercise the flag");
    assertEquals(expected, flags.rows().size());
    for (List<String> cells : flags.rows()) {
      assertEquals("nd4j", cells.get(flags.column("mode / peer")));
      assertEquals("allocates", cells.get(flags.column("flag")));
      String kernel = cells.get(flags.column("benchmark")).replace("PeerBenchmark.", "");
      long size = Long.parseLong(cells.get(flags.column("size")).replace(",", ""));
      assertShows(allocation(peer(kernel, size, "nd4j")), cells.get(flags.column("B/op")), kernel);
    }
  }

  @Test
  void calibrationTableShowsTheProfilesFigures() {
    ParsedTable t = table("calibration-table");
    JsonNode c = profile.get("calibration");
    Map<String, String> fields =
        Map.of(
            "memory triad, 1 thread", "triadOneThreadGBps",
            "memory triad, 2 threads", "triadAllThreadsGBps",
            "L1 read, 1 thread", "l1ReadGBps",
            "L2 read, 1 thread", "l2ReadGBps",
            "peak float FMA, 1 thread", "peakGflopsOneThread",
            "peak float FMA, 2 threads", "peakGflopsAllThreads",
            "dot, SIMD over scalar (4096 floats)", "dotSimdSpeedup");
    assertEquals(fields.size(), t.rows().size());
    for (List<String> cells : t.rows()) {
      String field = fields.get(cells.get(0));
      assertTrue(field != null, cells.get(0));
      assertShows(c.get(field).asDouble(), cells.get(1), field);
    }
    ParsedTable machine = table("machine-table");
    String text = machine.rows().toString();
    assertTrue(text.contains("AMD EPYC"), text);
    assertTrue(text.contains("512 bits (float x16)"), text);
    assertTrue(text.contains("L1d 48 KiB, L2 1 MiB"), text);
  }

  @Test
  void theRawResultsAreCopiedUnchanged() throws IOException {
    assertEquals(Files.readString(Fixtures.jmh()), Files.readString(out.resolve("jmh.json")));
  }
}
