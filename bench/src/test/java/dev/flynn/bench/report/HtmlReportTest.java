package dev.flynn.bench.report;

import static dev.flynn.bench.report.Fixtures.find;
import static dev.flynn.bench.report.Fixtures.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page parses, loads nothing from the network, and carries every chart with its data. */
class HtmlReportTest {

  @TempDir Path out;

  private Document write(Path profile) throws IOException {
    Path html = ReportWriter.write(Fixtures.jmh(), profile, out);
    assertEquals(out.resolve("report.html"), html);
    assertTrue(Files.isRegularFile(out.resolve("report.md")));
    assertTrue(Files.isRegularFile(out.resolve("jmh.json")));
    return Jsoup.parse(html.toFile());
  }

  private static JsonNode charts(Document page) throws IOException {
    Element data = page.getElementById("flynn-charts");
    assertNotNull(data, "no chart data");
    return new ObjectMapper().readTree(data.data());
  }

  private static JsonNode chart(JsonNode charts, String id) {
    for (JsonNode chart : charts) {
      if (chart.get("id").asText().equals(id)) {
        return chart.get("option");
      }
    }
    throw new AssertionError("no chart " + id);
  }

  @Test
  void thePageIsWellFormedAndSelfContained() throws IOException {
    Path html = ReportWriter.write(Fixtures.jmh(), Fixtures.profile(), out);
    String text = Files.readString(html);
    // The HTML5 parser reports any tag left open, closed twice or misplaced.
    Parser parser = Parser.htmlParser().setTrackErrors(100);
    Document page = Jsoup.parse(text, "", parser);
    assertEquals(List.of(), parser.getErrors().stream().map(Object::toString).toList());
    assertEquals("Flynn benchmark report", page.title());
    // the forks' memory options, which DRAM-sized figures must be quoted with
    assertTrue(
        page.selectFirst("header").text().contains("forks ran with -Xms1g -Xmx1g"),
        page.selectFirst("header").text());

    List<String> external = new ArrayList<>();
    for (Element e : page.select("[src], [href]")) {
      for (String attribute : List.of("src", "href")) {
        String url = e.attr(attribute).trim().toLowerCase(java.util.Locale.ROOT);
        if (url.startsWith("http:") || url.startsWith("https:") || url.startsWith("//")) {
          external.add(e.tagName() + " " + attribute + "=" + url);
        }
      }
    }
    assertEquals(List.of(), external, "the page must load nothing from the network");
    assertTrue(page.select("script[src], link[rel=stylesheet], iframe, img").isEmpty());
    assertFalse(text.contains("@import"), "no imported styles");
    assertTrue(
        page.select("script").stream()
            .anyMatch(e -> e.data().length() > 100_000 && e.data().contains("echarts")),
        "ECharts is inlined");
    assertEquals("jmh.json", page.selectFirst("header a").attr("href"));
    for (String section :
        List.of("machine", "speedup", "peers", "scaling", "roofline", "allocation")) {
      assertNotNull(page.getElementById(section), section);
    }
  }

  @Test
  void everyChartHasAContainerAndNonEmptySeries() throws IOException {
    Document page = write(Fixtures.profile());
    JsonNode charts = charts(page);
    List<String> ids = idsOf(charts);
    List<String> expected = new ArrayList<>();
    for (String kind : List.of("speedup", "peers", "scaling")) {
      for (String kernel : List.of("sum", "dot", "axpy", "exp")) {
        expected.add("chart-" + kind + "-" + kernel);
      }
    }
    expected.add("chart-roofline");
    assertEquals(expected, ids);
    for (JsonNode chart : charts) {
      String id = chart.get("id").asText();
      Element container = page.getElementById(id);
      assertNotNull(container, id);
      assertTrue(container.hasClass("chart"), id);
      JsonNode option = chart.get("option");
      assertFalse(option.at("/title/text").asText().isBlank(), id + " has a title");
      assertFalse(option.at("/yAxis/name").asText().isBlank(), id + " names its y axis");
      assertFalse(option.at("/xAxis/name").asText().isBlank(), id + " names its x axis");
      assertTrue(option.get("series").size() > 0, id);
      for (JsonNode series : option.get("series")) {
        assertEquals(option.at("/xAxis/data").size(), series.get("data").size(), id);
        boolean someValue = false;
        for (JsonNode v : series.get("data")) {
          someValue |= v.isNumber() && v.asDouble() > 0;
        }
        assertTrue(someValue, id + " " + series.get("name") + " has values");
      }
    }
  }

  @Test
  void chartDataAreTheComputedRatios() throws IOException {
    Document page = write(Fixtures.profile());
    JsonNode jmh = Fixtures.json(Fixtures.jmh());
    JsonNode speedup = chart(charts(page), "chart-speedup-dot");
    assertEquals(
        "[\"4Ki (L1)\",\"64Ki (L2)\",\"16Mi (memory)\"]", speedup.at("/xAxis/data").toString());
    List<String> names = new ArrayList<>();
    speedup.get("series").forEach(s -> names.add(s.get("name").asText()));
    assertEquals(List.of("SIMD", "MIMD", "SIMD_MIMD", "AUTO"), names);
    long[] sizes = {4096, 65536, 16777216};
    for (JsonNode series : speedup.get("series")) {
      for (int i = 0; i < sizes.length; i++) {
        Map<String, String> params =
            Map.of("size", Long.toString(sizes[i]), "threads", "2", "mode", "SISD");
        double sisd = score(find(jmh, "DemoBenchmark.dot", params));
        double mode =
            score(
                find(
                    jmh,
                    "DemoBenchmark.dot",
                    Map.of(
                        "size",
                        Long.toString(sizes[i]),
                        "threads",
                        "2",
                        "mode",
                        series.get("name").asText())));
        double shown = series.get("data").get(i).asDouble();
        assertEquals(sisd / mode, shown, 1e-3 * shown, series.get("name") + " " + sizes[i]);
      }
    }

    JsonNode peers = chart(charts(page), "chart-peers-sum");
    JsonNode nd4j = peers.get("series").get(1);
    assertEquals("nd4j", nd4j.get("name").asText());
    double ratio =
        score(find(jmh, "PeerBenchmark.sum", Map.of("size", "4096", "peer", "nd4j")))
            / score(find(jmh, "PeerBenchmark.sum", Map.of("size", "4096", "peer", "flynn")));
    assertEquals(ratio, nd4j.get("data").get(0).asDouble(), 1e-3 * ratio);

    JsonNode roofline = chart(charts(page), "chart-roofline");
    JsonNode calibration = Fixtures.json(Fixtures.profile()).get("calibration");
    JsonNode lines = roofline.at("/series/0/markLine/data");
    assertEquals(4, lines.size());
    String[] fields = {"l1ReadGBps", "l2ReadGBps", "triadOneThreadGBps", "triadAllThreadsGBps"};
    for (int i = 0; i < fields.length; i++) {
      double expected = calibration.get(fields[i]).asDouble();
      assertEquals(expected, lines.get(i).get("yAxis").asDouble(), 1e-3 * expected, fields[i]);
    }
    assertEquals(12, roofline.at("/xAxis/data").size());
    assertEquals(5, roofline.get("series").size());
  }

  @Test
  void withoutAProfileThePageSaysSoAndHowToGetOne() throws IOException {
    Document page = write(null);
    String machine = page.getElementById("machine").text();
    assertTrue(machine.contains("No machine profile"), machine);
    assertTrue(machine.contains("./flynn check --measure"), machine);
    String roofline = page.getElementById("roofline").text();
    assertTrue(roofline.contains("./flynn check --measure"), roofline);
    assertNotNull(page.getElementById("roofline-table"), "the achieved figures still show");
    JsonNode chart = chart(charts(page), "chart-roofline");
    assertTrue(chart.at("/series/0/markLine").isMissingNode(), "no roofs without a profile");
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("No machine profile was given"), md);
  }

  @Test
  void aProfileWithoutMeasurementsHasAMachineSectionButNoRoofs() throws IOException {
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Fixtures.json(Fixtures.profile());
    tree.putNull("calibration");
    Path profile = out.resolve("unmeasured.json");
    Files.writeString(profile, tree.toString());
    Document page = write(profile);
    assertNotNull(page.getElementById("machine-table"));
    assertTrue(page.getElementById("calibration-table") == null);
    String machine = page.getElementById("machine").text();
    assertTrue(machine.contains("AMD EPYC"), machine);
    assertTrue(machine.contains("without --measure"), machine);
  }

  @Test
  void aRunWithOnlyPeersAndThroughputsStillRendersAndSaysWhatIsMissing() throws IOException {
    String json =
        """
        [{"benchmark":"x.PeerBenchmark.dot","mode":"thrpt","params":{"peer":"flynn","size":"1024"},
          "primaryMetric":{"score":4.0,"scoreError":"NaN","scoreUnit":"ops/us","rawData":[[4.0]]}},
         {"benchmark":"x.PeerBenchmark.dot","mode":"thrpt","params":{"peer":"nd4j","size":"1024"},
          "primaryMetric":{"score":1.0,"scoreError":"NaN","scoreUnit":"ops/us","rawData":[[1.0]]}},
         {"benchmark":"x.Other.run","mode":"avgt","params":{},
          "primaryMetric":{"score":3.0,"scoreError":"NaN","scoreUnit":"us/op","rawData":[[3.0]]}}]
        """;
    Path jmh = out.resolve("peers-only.json");
    Files.writeString(jmh, json);
    Document page = Jsoup.parse(ReportWriter.write(jmh, null, out.resolve("report")).toFile());
    assertTrue(page.getElementById("speedup").text().contains("No Flynn mode measurements"));
    assertTrue(page.getElementById("scaling").text().contains("No run was measured"));
    assertTrue(page.getElementById("allocation").text().contains("-prof gc"));
    assertTrue(page.getElementById("notes").text().contains("Other.run"));
    var peers = Fixtures.htmlTables(page).get("peers-table");
    assertEquals(List.of("dot", "1,024", "flynn"), peers.rows().get(0).subList(0, 3));
    // Throughputs become times: nd4j does 1 op/us, Flynn 4, so nd4j takes 4 times as long.
    assertEquals("4.00x", peers.rows().get(0).get(peers.column("nd4j / Flynn")));
    assertEquals("Flynn (ops/us)", peers.headers().get(peers.column("Flynn")));
    assertEquals(List.of("chart-peers-dot"), idsOf(charts(page)));
  }

  private static List<String> idsOf(JsonNode charts) {
    List<String> ids = new ArrayList<>();
    charts.forEach(c -> ids.add(c.get("id").asText()));
    return ids;
  }
}
