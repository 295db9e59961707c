package dev.flynn.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flynn.bench.report.JmhResults.Benchmark;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The report as one self-contained HTML page: styles, chart library (Apache ECharts, from its
 * webjar on the classpath), chart data and tables all inline, so that the file reads offline and
 * can be mailed or archived alone. Nothing is fetched from the network.
 *
 * <p>After the charts are drawn, the page sets {@code data-rendered="true"} on {@code <body>}, or
 * {@code "false"} with every uncaught JavaScript error of the page in {@code data-errors}, and the
 * number of charts drawn in {@code data-charts}: a headless browser can check the page.
 */
public final class HtmlReport {

  private static final String ECHARTS_WEBJAR = "META-INF/resources/webjars/echarts/";
  private static final String ECHARTS_POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

  /** ECharts' build with bar and line charts, mark lines, legends and tooltips: all we use. */
  private static final String ECHARTS_FILE = "/dist/echarts.common.min.js";

  private HtmlReport() {}

  /**
   * Renders the page.
   *
   * @param report the report
   * @param rawJson the name of the raw JMH file beside the page, linked from it
   */
  public static String render(Report report, String rawJson) {
    return render(report, rawJson, ConcurrencySections.of(report.results(), Optional.empty()));
  }

  /** Renders the page with {@code extra} sections after the report's own, before the notes. */
  static String render(Report report, String rawJson, List<ConcurrencySections.Section> extra) {
    StringBuilder html = new StringBuilder(1 << 20);
    html.append(
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Flynn benchmark report</title>
        <script>
        // Collects every uncaught error from here on; the last script reports them on <body>.
        window.flynnErrors = [];
        window.addEventListener('error', function (e) { window.flynnErrors.push(String(e.message)); });
        </script>
        <style>
        """);
    html.append(STYLE);
    html.append("</style>\n</head>\n<body>\n");
    header(html, report, rawJson);
    html.append("<main>\n");
    machine(html, report);
    List<ReportCharts.Chart> charts = new ArrayList<>();

    section(
        html,
        "speedup",
        "Speed-up over SISD",
        "What SIMD lanes and more cores buy over plain scalar loops, per kernel and size: time in"
            + " SISD / time in the mode.");
    if (report.speedups().isEmpty()) {
      note(html, "No Flynn mode measurements here (benchmarks with a 'mode' parameter).");
    } else {
      chartGrid(html, charts, ReportCharts.speedups(report));
      table(html, ReportTables.speedups(report));
    }
    html.append("</section>\n");

    section(
        html,
        "peers",
        "Flynn against other libraries",
        "The same kernel and size in other libraries: the peer's time / Flynn's time.");
    if (report.peerRows().isEmpty()) {
      note(html, "No peers measured here (benchmarks with a 'peer' parameter).");
    } else {
      chartGrid(html, charts, ReportCharts.peers(report));
      table(html, ReportTables.peers(report));
    }
    html.append("</section>\n");

    section(
        html,
        "scaling",
        "Thread scaling",
        "The same kernel, size and mode at several pool sizes (the 'threads' parameter).");
    if (report.scaling().isEmpty()) {
      note(html, "No run was measured at two or more thread counts.");
    } else {
      chartGrid(html, charts, ReportCharts.scaling(report));
      table(html, ReportTables.scaling(report));
    }
    html.append("</section>\n");

    section(
        html,
        "roofline",
        "Roofline",
        "How close each run comes to what the machine can move and compute: achieved bandwidth"
            + " against the bandwidth ./flynn check --measure measured.");
    if (report.profile().flatMap(MachineProfile::calibration).isEmpty()) {
      callout(html, noRoofs(report));
    }
    Optional<ReportCharts.Chart> roofline = ReportCharts.roofline(report);
    if (roofline.isPresent()) {
      charts.add(roofline.get());
      html.append("<div class=\"chart wide\" id=\"")
          .append(escape(roofline.get().id()))
          .append("\"></div>\n");
      table(html, ReportTables.roofline(report));
    } else {
      note(html, "No Flynn mode measurement of a known kernel with a size to place.");
    }
    table(html, ReportTables.costs());
    html.append("</section>\n");

    section(
        html,
        "allocation",
        "Allocation per call",
        "Bytes allocated per call, from JMH's -prof gc (gc.alloc.rate.norm).");
    if (report.allocations().isEmpty()) {
      note(html, "No allocation figures: run JMH with -prof gc to get them.");
    } else {
      Table flags = ReportTables.allocationFlags(report);
      if (flags.rows().isEmpty()) {
        note(html, "No single-threaded run allocates: " + String.join(" ", flags.notes()));
      } else {
        table(html, flags);
      }
      html.append("<details><summary>All ")
          .append(report.allocations().size())
          .append(" runs</summary>\n");
      table(html, ReportTables.allocations(report));
      html.append("</details>\n");
    }
    html.append("</section>\n");

    for (ConcurrencySections.Section extraSection : extra) {
      section(html, extraSection.id(), extraSection.title(), extraSection.lead());
      extraSection.tables().forEach(t -> table(html, t));
      html.append("</section>\n");
    }

    if (!report.notes().isEmpty()) {
      section(html, "notes", "Notes", "What the report left out, and why.");
      html.append("<ul>\n");
      report.notes().forEach(n -> html.append("<li>").append(escape(n)).append("</li>\n"));
      html.append("</ul>\n</section>\n");
    }
    html.append("</main>\n<footer>Generated by Flynn's benchmark report. Charts: Apache ECharts ")
        .append(escape(echartsVersion()))
        .append(", Apache License 2.0, inlined below.</footer>\n");
    scripts(html, charts);
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void header(StringBuilder html, Report report, String rawJson) {
    List<Benchmark> benchmarks = report.results().benchmarks();
    html.append("<header>\n<h1>Flynn benchmark report</h1>\n<p>");
    html.append(benchmarks.size()).append(" JMH results");
    if (!benchmarks.isEmpty()) {
      Benchmark first = benchmarks.get(0);
      html.append(" &middot; JMH ")
          .append(escape(first.jmhVersion()))
          .append(" &middot; JDK ")
          .append(escape(first.jdkVersion()))
          .append(", ")
          .append(escape(first.vmName()));
      List<List<String>> optionSets = report.results().vmOptionSets();
      if (optionSets.stream().anyMatch(o -> !o.isEmpty())) {
        html.append(" &middot; forks ran with ");
        for (int i = 0; i < optionSets.size(); i++) {
          html.append(i == 0 ? "" : " or ")
              .append("<code>")
              .append(escape(String.join(" ", optionSets.get(i))))
              .append("</code>");
        }
      }
    }
    html.append(" &middot; generated ")
        .append(escape(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()))
        .append("</p>\n<p>Raw results: <a href=\"")
        .append(escape(rawJson))
        .append("\">")
        .append(escape(rawJson))
        .append("</a> (beside this file)</p>\n<nav>");
    for (String[] link :
        List.of(
            new String[] {"machine", "Machine"},
            new String[] {"speedup", "Speed-up over SISD"},
            new String[] {"peers", "Peers"},
            new String[] {"scaling", "Thread scaling"},
            new String[] {"roofline", "Roofline"},
            new String[] {"allocation", "Allocation"})) {
      html.append("<a href=\"#").append(link[0]).append("\">").append(link[1]).append("</a>");
    }
    html.append("</nav>\n</header>\n");
  }

  private static void machine(StringBuilder html, Report report) {
    section(html, "machine", "Machine", "Where the numbers come from.");
    if (report.profile().isEmpty()) {
      callout(
          html,
          "No machine profile was given, so this report cannot say which CPU, vector width and"
              + " caches produced the numbers, nor draw the roofline. Run ./flynn check --measure"
              + " on the machine that ran the benchmarks (it saves"
              + " ~/.flynn/machine-profile.json), then regenerate the report with --profile"
              + " ~/.flynn/machine-profile.json.");
    } else {
      html.append("<div class=\"pair\">\n");
      table(html, ReportTables.machine(report).orElseThrow());
      Optional<Table> calibration = ReportTables.calibration(report);
      if (calibration.isPresent()) {
        table(html, calibration.get());
      } else {
        callout(html, noRoofs(report));
      }
      html.append("</div>\n");
    }
    html.append("</section>\n");
  }

  private static String noRoofs(Report report) {
    return report.profile().isEmpty()
        ? "No machine profile: the roofs are missing. Run ./flynn check --measure (it saves"
            + " ~/.flynn/machine-profile.json) and regenerate this report with --profile."
        : "The machine profile has no measurements (saved without --measure): run ./flynn check"
            + " --measure and regenerate this report with --profile.";
  }

  private static void section(StringBuilder html, String id, String title, String lead) {
    html.append("<section id=\"")
        .append(id)
        .append("\">\n<h2>")
        .append(escape(title))
        .append("</h2>\n<p class=\"lead\">")
        .append(escape(lead))
        .append("</p>\n");
  }

  private static void chartGrid(
      StringBuilder html, List<ReportCharts.Chart> all, List<ReportCharts.Chart> charts) {
    html.append("<div class=\"charts\">\n");
    for (ReportCharts.Chart chart : charts) {
      html.append("<div class=\"chart\" id=\"").append(escape(chart.id())).append("\"></div>\n");
      all.add(chart);
    }
    html.append("</div>\n");
  }

  private static void note(StringBuilder html, String text) {
    html.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
  }

  private static void callout(StringBuilder html, String text) {
    html.append("<p class=\"callout\">").append(escape(text)).append("</p>\n");
  }

  static void table(StringBuilder html, Table table) {
    html.append("<div class=\"table-wrap\">\n<table id=\"")
        .append(escape(table.id()))
        .append("\">\n<caption>")
        .append(escape(table.caption()))
        .append("</caption>\n<thead><tr>");
    table.headers().forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
    html.append("</tr></thead>\n<tbody>\n");
    for (List<Table.Cell> row : table.rows()) {
      html.append("<tr>");
      for (Table.Cell cell : row) {
        String kind =
            switch (cell.kind()) {
              case TEXT -> "";
              case NUMBER -> " class=\"num\"";
              case BETTER -> " class=\"num better\"";
              case WORSE -> " class=\"num worse\"";
              case FLAG -> " class=\"flag\"";
            };
        html.append("<td").append(kind).append('>').append(escape(cell.text())).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    for (String note : table.notes()) {
      html.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
    }
    html.append("</div>\n");
  }

  private static void scripts(StringBuilder html, List<ReportCharts.Chart> charts) {
    html.append("<script>\n");
    // A script element ends at the first "</script" whatever the JavaScript means by it.
    html.append(echartsScript().replace("</script", "<\\/script"));
    html.append("\n</script>\n<script type=\"application/json\" id=\"flynn-charts\">\n");
    html.append(chartJson(charts));
    html.append("\n</script>\n<script>\n").append(INIT).append("</script>\n");
  }

  /** The chart list as JSON that is safe inside a script element: no {@code <} at all. */
  static String chartJson(List<ReportCharts.Chart> charts) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ReportCharts.Chart chart : charts) {
      list.add(Map.of("id", chart.id(), "option", chart.option()));
    }
    try {
      // '<' appears only inside JSON strings, where the escape means the same character.
      return new ObjectMapper().writeValueAsString(list).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart options are plain maps and lists", e);
    }
  }

  /** The version of the ECharts webjar on the classpath. */
  static String echartsVersion() {
    try (InputStream in = resource(ECHARTS_POM)) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** ECharts' minified script, read from its webjar on the classpath. */
  static String echartsScript() {
    String path = ECHARTS_WEBJAR + echartsVersion() + ECHARTS_FILE;
    try (InputStream in = resource(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IOException(
          path + " is not on the classpath: the report needs the webjar org.webjars.npm:echarts");
    }
    return in;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String INIT =
      """
      (function () {
        var body = document.body;
        var errors = window.flynnErrors;
        var charts = [];
        function report() {
          body.setAttribute('data-charts', String(charts.length));
          body.setAttribute('data-errors', errors.join(' | '));
          body.setAttribute('data-rendered', errors.length === 0 ? 'true' : 'false');
        }
        window.addEventListener('error', report); // a later error still shows
        try {
          if (typeof echarts === 'undefined') {
            throw new Error('the chart library did not load');
          }
          var specs = JSON.parse(document.getElementById('flynn-charts').textContent);
          specs.forEach(function (spec) {
            try {
              var element = document.getElementById(spec.id);
              var chart = echarts.init(element, null, { renderer: 'canvas' });
              chart.setOption(spec.option);
              charts.push(chart);
              element.setAttribute('data-rendered', 'true');
            } catch (e) {
              errors.push(spec.id + ': ' + e);
            }
          });
          window.addEventListener('resize', function () {
            charts.forEach(function (chart) { chart.resize(); });
          });
        } catch (e) {
          errors.push(String(e));
        }
        report();
      })();
      """;

  private static final String STYLE =
      """
      :root {
        --fg: #1d2330; --muted: #5b6472; --line: #e2e5ea; --panel: #ffffff; --page: #f4f5f7;
        --accent: #2f6db5; --better: #e3f3e8; --better-fg: #1b6a33; --worse: #fbe7e7;
        --worse-fg: #a12828; --flag: #fff1c2;
      }
      * { box-sizing: border-box; }
      body {
        margin: 0; background: var(--page); color: var(--fg);
        font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
          sans-serif;
      }
      header { background: #1d2330; color: #fff; padding: 26px 40px 18px; }
      header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 650; letter-spacing: -0.01em; }
      header p { margin: 2px 0; color: #c8ced8; }
      header a { color: #9cc3f5; }
      nav { margin-top: 14px; display: flex; flex-wrap: wrap; gap: 6px; }
      nav a {
        color: #fff; text-decoration: none; background: rgba(255, 255, 255, 0.1);
        padding: 3px 11px; border-radius: 14px; font-size: 13px;
      }
      nav a:hover { background: rgba(255, 255, 255, 0.22); }
      main { max-width: 1400px; margin: 0 auto; padding: 4px 28px 40px; }
      section {
        background: var(--panel); border: 1px solid var(--line); border-radius: 10px;
        padding: 20px 24px 16px; margin: 22px 0;
      }
      h2 { margin: 0 0 2px; font-size: 20px; font-weight: 650; }
      p.lead { margin: 0 0 14px; color: var(--muted); }
      .charts {
        display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 14px;
      }
      .chart { height: 400px; border: 1px solid var(--line); border-radius: 8px; padding: 6px; }
      .chart.wide { height: 500px; }
      .pair {
        display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 20px;
        align-items: start;
      }
      .table-wrap { overflow-x: auto; margin-top: 16px; }
      table {
        border-collapse: collapse; width: 100%; font-size: 12px;
        font-variant-numeric: tabular-nums;
      }
      caption { text-align: left; font-weight: 600; padding: 0 0 6px; font-size: 13.5px; }
      th, td { padding: 4px 7px; border-bottom: 1px solid var(--line); white-space: nowrap; }
      th { background: #eef0f4; text-align: left; font-weight: 600; }
      tbody tr:nth-child(even) td { background: #fafbfc; }
      td.num { text-align: right; }
      tbody tr td.better { background: var(--better); color: var(--better-fg); }
      tbody tr td.worse { background: var(--worse); color: var(--worse-fg); }
      tbody tr td.flag { background: var(--flag); font-weight: 600; }
      #machine-table td { white-space: normal; }
      p.note { color: var(--muted); font-size: 12.5px; margin: 6px 0 0; max-width: 110ch; }
      p.callout {
        background: #fff8e6; border-left: 4px solid #e3a02f; padding: 10px 14px;
        border-radius: 6px; max-width: 110ch;
      }
      details { margin-top: 14px; }
      summary { cursor: pointer; color: var(--accent); font-weight: 600; }
      footer { color: var(--muted); font-size: 12px; text-align: center; padding: 8px 0 28px; }
      @media print {
        body { background: #fff; }
        section { break-inside: avoid; border: none; }
      }
      """;
}
