package dev.flynn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The report fixtures and what the tests read them with: Jackson trees and jsoup, never the
 * production classes, so that every expected number is computed independently of the report.
 */
final class Fixtures {

  private Fixtures() {}

  /**
   * JMH results hand-extended from a real run ({@code ./flynn jmh DemoBenchmark.sum ... -prof gc
   * -rf json}): DemoBenchmark sum, dot, axpy, exp in all five modes at 4096, 65536 and 16777216
   * elements with a pool of 2 threads, MIMD and SIMD_MIMD again with 1 thread, and a PeerBenchmark
   * with the peers flynn, plain-loop, nd4j and netlib (mode absent, threads 1). Times from the
   * README's demo run on 2 Zen 5 vCPUs; nd4j allocates a few hundred bytes per call.
   */
  static Path jmh() {
    return resource("report/fixture-jmh.json");
  }

  /** The profile ./flynn check --measure saved on the reference machine. */
  static Path profile() {
    return resource("report/fixture-profile.json");
  }

  /** The untouched JSON of a short real JMH run: one iteration, so scoreError is "NaN". */
  static Path realRun() {
    return resource("report/real-jmh-run.json");
  }

  static Path resource(String name) {
    URL url = Fixtures.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException(name + " is not on the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(Files.readString(file));
  }

  /**
   * The one result of {@code method} (the last part of the benchmark name, e.g. {@code
   * DemoBenchmark.sum}) whose parameters include all of {@code params}.
   */
  static JsonNode find(JsonNode results, String method, Map<String, String> params) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode result : results) {
      if (!result.get("benchmark").asText().endsWith("." + method)) {
        continue;
      }
      boolean all = true;
      for (Map.Entry<String, String> p : params.entrySet()) {
        JsonNode value = result.path("params").get(p.getKey());
        all &= value != null && value.asText().equals(p.getValue());
      }
      if (all) {
        found.add(result);
      }
    }
    assertEquals(1, found.size(), () -> method + " " + params + ": " + found.size() + " results");
    return found.get(0);
  }

  static double score(JsonNode result) {
    return result.get("primaryMetric").get("score").asDouble();
  }

  static double allocation(JsonNode result) {
    return result.get("secondaryMetrics").get("gc.alloc.rate.norm").get("score").asDouble();
  }

  /** A table: its header row and body rows, as the cell texts. */
  record ParsedTable(List<String> headers, List<List<String>> rows) {

    /** The column headed {@code header}, or {@code header (unit)}. */
    int column(String header) {
      for (int i = 0; i < headers.size(); i++) {
        if (headers.get(i).equals(header) || headers.get(i).startsWith(header + " (")) {
          return i;
        }
      }
      throw new AssertionError("no column " + header + " in " + headers);
    }
  }

  /** Every table of an HTML page by its id. */
  static Map<String, ParsedTable> htmlTables(Document page) {
    Map<String, ParsedTable> tables = new LinkedHashMap<>();
    for (Element table : page.select("table")) {
      List<String> headers = table.select("thead th").eachText();
      List<List<String>> rows = new ArrayList<>();
      for (Element row : table.select("tbody tr")) {
        rows.add(row.select("td").stream().map(Element::text).toList());
      }
      tables.put(table.id(), new ParsedTable(headers, rows));
    }
    return tables;
  }

  /** Every table of a Markdown text by the bold caption line above it. */
  static Map<String, ParsedTable> markdownTables(String markdown) {
    Map<String, ParsedTable> tables = new LinkedHashMap<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i + 2 < lines.length; i++) {
      if (lines[i].startsWith("**") && lines[i + 2].startsWith("|")) {
        String caption = lines[i].substring(2, lines[i].length() - 2);
        List<String> headers = cells(lines[i + 2]);
        List<List<String>> rows = new ArrayList<>();
        int j = i + 4; // after the header and the alignment row
        for (; j < lines.length && lines[j].startsWith("|"); j++) {
          rows.add(cells(lines[j]).stream().map(c -> c.replace("**", "")).toList());
        }
        tables.put(caption, new ParsedTable(headers, rows));
        i = j;
      }
    }
    return tables;
  }

  private static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1)) {
      cells.add(cell.trim().replace("\\|", "|"));
    }
    return cells;
  }

  private static final Pattern NUMBER = Pattern.compile("^-?[0-9,]+(\\.([0-9]+))?");

  /**
   * Asserts that a cell shows {@code expected} rounded to the digits it shows: {@code 2,378 ns/op}
   * shows 2378.07 but not 2379.
   */
  static void assertShows(double expected, String cell, String what) {
    Matcher m = NUMBER.matcher(cell);
    if (!m.find()) {
      fail(what + ": no number in '" + cell + "', expected " + expected);
    }
    double shown = Double.parseDouble(m.group().replace(",", ""));
    int decimals = m.group(2) == null ? 0 : m.group(2).length();
    double tolerance = 0.5 * Math.pow(10, -decimals) * (1 + 1e-9) + 1e-12;
    assertTrue(
        Math.abs(shown - expected) <= tolerance,
        () -> what + ": '" + cell + "' does not show " + expected);
  }

  /** As {@link #assertShows}, for a percentage cell such as {@code 87%}. */
  static void assertShowsPercent(double fraction, String cell, String what) {
    assertTrue(cell.endsWith("%"), () -> what + ": not a percentage: " + cell);
    assertShows(fraction * 100, cell, what);
  }
}
