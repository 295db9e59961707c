package dev.flynn.bench.report;

import dev.flynn.bench.report.Report.Measurement;
import dev.flynn.nativecheck.Calibration;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The charts of a report, as Apache ECharts options: plain maps and lists that become the JSON the
 * HTML page hands to {@code echarts.init(...).setOption(...)}. Values are rounded to four
 * significant digits (the tables carry the exact figures).
 */
final class ReportCharts {

  /**
   * One chart.
   *
   * @param id the id of the element the chart is drawn in
   * @param option the ECharts option
   */
  record Chart(String id, Map<String, Object> option) {}

  /** One colour per mode, the same in every chart. */
  private static final Map<String, String> MODE_COLORS =
      Map.of(
          "SISD", "#8c8c8c",
          "SIMD", "#2f6db5",
          "MIMD", "#e8871e",
          "SIMD_MIMD", "#2a9d55",
          "AUTO", "#8e5bb8");

  private static final List<String> OTHER_COLORS =
      List.of("#d1495b", "#00798c", "#edae49", "#66a182", "#8d96a3", "#b56576", "#3d5a80");

  private ReportCharts() {}

  /** Per kernel: the speed-up of every mode over SISD, by size. */
  static List<Chart> speedups(Report report) {
    List<Chart> charts = new ArrayList<>();
    for (String kernel : kernels(report.speedups().stream().map(Report.SpeedupRow::kernel))) {
      List<Report.SpeedupRow> rows =
          report.speedups().stream().filter(r -> r.kernel().equals(kernel)).toList();
      List<Object> series = new ArrayList<>();
      for (String mode : report.modes()) {
        if (mode.equals(Report.BASELINE)) {
          continue;
        }
        series.add(
            bar(
                mode,
                color(mode, report.modes()),
                rows.stream().map(r -> r.speedup(mode)).toList()));
      }
      addReferenceLine(series, 1, Report.BASELINE);
      charts.add(
          new Chart(
              "chart-speedup-" + kernel,
              option(
                  kernel + ": speed-up over " + Report.BASELINE,
                  "time in SISD / time in the mode; above 1 is faster",
                  rows.stream().map(r -> sizeLabel(report, kernel, r.size(), r.shape())).toList(),
                  "elements per array (or shape)",
                  "speed-up (x)",
                  "{value}x",
                  series)));
    }
    return charts;
  }

  /** Per kernel: each peer's time over Flynn's, by size. */
  static List<Chart> peers(Report report) {
    List<Chart> charts = new ArrayList<>();
    for (String kernel : kernels(report.peerRows().stream().map(Report.PeerRow::kernel))) {
      List<Report.PeerRow> rows =
          report.peerRows().stream().filter(r -> r.kernel().equals(kernel)).toList();
      List<Object> series = new ArrayList<>();
      for (String peer : report.peers()) {
        if (rows.stream().anyMatch(r -> r.byPeer().containsKey(peer))) {
          series.add(
              bar(
                  peer,
                  color(peer, report.peers()),
                  rows.stream().map(r -> r.ratio(peer)).toList()));
        }
      }
      addReferenceLine(series, 1, "Flynn");
      charts.add(
          new Chart(
              "chart-peers-" + kernel,
              option(
                  kernel + ": peer time / Flynn time",
                  "above 1: Flynn is faster",
                  rows.stream().map(r -> sizeLabel(report, kernel, r.size(), r.shape())).toList(),
                  "elements per array (or shape)",
                  "peer time / Flynn time (x)",
                  "{value}x",
                  series)));
    }
    return charts;
  }

  /** Per kernel: speed-up against the thread count, one line per mode and size. */
  static List<Chart> scaling(Report report) {
    List<Chart> charts = new ArrayList<>();
    for (String kernel : kernels(report.scaling().stream().map(Report.ScalingSeries::kernel))) {
      List<Report.ScalingSeries> all =
          report.scaling().stream().filter(s -> s.kernel().equals(kernel)).toList();
      List<Measurement> points = all.stream().flatMap(s -> s.points().stream()).toList();
      List<String> threads =
          points.stream()
              .sorted(Comparator.comparingInt(Measurement::threadsRank))
              .map(Measurement::threadsLabel)
              .distinct()
              .toList();
      List<Object> series = new ArrayList<>();
      List<String> labels = all.stream().map(Report.ScalingSeries::label).distinct().toList();
      List<String> sizes =
          all.stream().map(x -> Report.sizeLabel(x.size(), x.shape())).distinct().toList();
      String[] dashes = {"solid", "dashed", "dotted"};
      for (Report.ScalingSeries s : all) {
        List<Double> values = new ArrayList<>();
        for (String t : threads) {
          int i = s.indexOf(t);
          values.add(i < 0 ? Double.NaN : s.speedup(i));
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(
            "name",
            s.label() + " " + (s.shape().isEmpty() ? Numbers.compactCount(s.size()) : s.shape()));
        line.put("type", "line");
        line.put("data", rounded(values));
        line.put("connectNulls", true);
        line.put("symbolSize", 7);
        line.put("itemStyle", Map.of("color", color(s.label(), labels)));
        line.put(
            "lineStyle",
            Map.of(
                "type",
                dashes[
                    Math.min(
                        dashes.length - 1, sizes.indexOf(Report.sizeLabel(s.size(), s.shape())))],
                "width",
                2));
        series.add(line);
      }
      if (threads.stream().allMatch(t -> t.chars().allMatch(Character::isDigit))) {
        double fewest = Double.parseDouble(threads.get(0));
        Map<String, Object> ideal = new LinkedHashMap<>();
        ideal.put("name", "linear");
        ideal.put("type", "line");
        ideal.put(
            "data", rounded(threads.stream().map(t -> Double.parseDouble(t) / fewest).toList()));
        ideal.put("symbol", "none");
        ideal.put("itemStyle", Map.of("color", "#b0b0b0"));
        ideal.put("lineStyle", Map.of("type", "dashed", "width", 1));
        series.add(ideal);
      }
      charts.add(
          new Chart(
              "chart-scaling-" + kernel,
              option(
                  kernel + ": thread scaling",
                  "time at the fewest threads / time at N threads; line style: size",
                  threads,
                  "threads (pool size)",
                  "speed-up (x)",
                  "{value}x",
                  series)));
    }
    return charts;
  }

  /** Achieved bandwidth of every kernel, size and mode, against the measured bandwidths. */
  static Optional<Chart> roofline(Report report) {
    if (report.roofline().isEmpty()) {
      return Optional.empty();
    }
    Set<String> categories = new LinkedHashSet<>();
    report.roofline().forEach(r -> categories.add(category(r.measurement())));
    List<String> labels = List.copyOf(categories);
    List<Object> series = new ArrayList<>();
    for (String mode : report.modes()) {
      List<Double> values = new ArrayList<>();
      for (String category : labels) {
        values.add(
            report.roofline().stream()
                .filter(r -> r.measurement().mode().equals(mode))
                .filter(r -> category(r.measurement()).equals(category))
                .map(Report.RooflineRow::gbPerSecond)
                .findFirst()
                .orElse(Double.NaN));
      }
      series.add(bar(mode, color(mode, report.modes()), values));
    }
    Optional<Calibration> calibration = report.profile().flatMap(MachineProfile::calibration);
    String subtitle;
    if (calibration.isPresent() && !series.isEmpty()) {
      Calibration c = calibration.get();
      List<Object> lines = new ArrayList<>();
      lines.add(roof("L1 read, 1 thread", c.l1ReadGBps(), "#2f6db5"));
      lines.add(roof("L2 read, 1 thread", c.l2ReadGBps(), "#5a9bd5"));
      lines.add(roof("memory triad, 1 thread", c.triadOneThreadGBps(), "#d1495b"));
      lines.add(
          roof("memory triad, " + c.threads() + " threads", c.triadAllThreadsGBps(), "#8f2d56"));
      @SuppressWarnings("unchecked")
      Map<String, Object> first = (Map<String, Object>) series.get(0);
      first.put(
          "markLine",
          Map.of(
              "silent",
              true,
              "symbol",
              "none",
              "label",
              Map.of("formatter", "{b}: {c} GB/s", "position", "insideEndTop"),
              "data",
              lines));
      subtitle =
          "bytes moved per call / time per call; lines: bandwidth measured by ./flynn check"
              + " --measure (L1, L2: one thread)";
    } else {
      subtitle =
          "bytes moved per call / time per call; no measured machine profile, so no roofs"
              + " (./flynn check --measure)";
    }
    return Optional.of(
        new Chart(
            "chart-roofline",
            option(
                "Achieved bandwidth against the machine's roofs",
                subtitle,
                labels,
                "kernel and elements per array",
                "GB/s (10^9 bytes/s)",
                "{value}",
                series)));
  }

  private static Map<String, Object> roof(String name, double gbps, String color) {
    return Map.of(
        "name", name,
        "yAxis", round(gbps),
        "lineStyle", Map.of("color", color, "type", "dashed", "width", 1.5),
        "label", Map.of("color", color));
  }

  private static String category(Measurement m) {
    return m.kernel() + " " + (m.shape().isEmpty() ? Numbers.compactCount(m.size()) : m.shape());
  }

  /** {@code 4Ki}, with the cache level the kernel's working set fits in when that is known. */
  private static String sizeLabel(Report report, String kernel, long size, String shape) {
    String compact = !shape.isEmpty() ? shape : size > 0 ? Numbers.compactCount(size) : "size ?";
    return report.roofline().stream()
        .filter(
            r ->
                r.measurement().kernel().equals(kernel)
                    && r.measurement().size() == size
                    && r.measurement().shape().equals(shape))
        .map(Report.RooflineRow::level)
        .filter(level -> !level.equals("unknown"))
        .findFirst()
        .map(level -> compact + " (" + level + ")")
        .orElse(compact);
  }

  private static List<String> kernels(Stream<String> kernels) {
    return kernels.distinct().toList();
  }

  private static String color(String name, List<String> all) {
    String color = MODE_COLORS.get(name);
    if (color != null) {
      return color;
    }
    List<String> others = all.stream().filter(n -> !MODE_COLORS.containsKey(n)).toList();
    return OTHER_COLORS.get(Math.max(0, others.indexOf(name)) % OTHER_COLORS.size());
  }

  private static Map<String, Object> bar(String name, String color, List<Double> values) {
    Map<String, Object> series = new LinkedHashMap<>();
    series.put("name", name);
    series.put("type", "bar");
    series.put("data", rounded(values));
    series.put("itemStyle", Map.of("color", color));
    series.put("barMaxWidth", 28);
    return series;
  }

  /** A dashed horizontal line at {@code y}, carried by the first series. */
  private static void addReferenceLine(List<Object> series, double y, String label) {
    if (series.isEmpty()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) series.get(0);
    first.put(
        "markLine",
        Map.of(
            "silent", true,
            "symbol", "none",
            "lineStyle", Map.of("color", "#444", "type", "dashed", "width", 1),
            "label", Map.of("formatter", label, "position", "end", "color", "#444"),
            "data", List.of(Map.of("yAxis", y))));
  }

  private static Map<String, Object> option(
      String title,
      String subtitle,
      List<String> categories,
      String xName,
      String yName,
      String yFormatter,
      List<Object> series) {
    Map<String, Object> option = new LinkedHashMap<>();
    option.put("animation", false);
    option.put(
        "title",
        Map.of(
            "text",
            title,
            "subtext",
            subtitle,
            "left",
            "center",
            "textStyle",
            Map.of("fontSize", 15, "fontWeight", 600),
            "subtextStyle",
            Map.of("fontSize", 12, "color", "#666")));
    option.put("tooltip", Map.of("trigger", "axis", "axisPointer", Map.of("type", "shadow")));
    option.put("legend", Map.of("bottom", 4, "left", "center", "width", "92%"));
    option.put(
        "grid", Map.of("left", 20, "right", 50, "top", 78, "bottom", 92, "containLabel", true));
    option.put(
        "xAxis",
        Map.of(
            "type",
            "category",
            "data",
            categories,
            "name",
            xName,
            "nameLocation",
            "middle",
            "nameGap",
            categories.size() > 12 ? 48 : 30,
            // Many categories: every label shown, slanted so that they do not collide.
            "axisLabel",
            Map.of("interval", 0, "rotate", categories.size() > 12 ? 30 : 0)));
    option.put(
        "yAxis",
        Map.of(
            "type",
            "value",
            "name",
            yName,
            "nameLocation",
            "end",
            "nameTextStyle",
            Map.of("align", "left"),
            "axisLabel",
            Map.of("formatter", yFormatter)));
    option.put("series", series);
    return option;
  }

  private static List<Double> rounded(List<Double> values) {
    return values.stream().map(ReportCharts::round).toList();
  }

  /** Four significant digits; null (a gap in the chart) for NaN. */
  static Double round(double value) {
    if (!Double.isFinite(value)) {
      return null;
    }
    if (value == 0) {
      return 0.0;
    }
    return new BigDecimal(value).round(new MathContext(4)).doubleValue();
  }
}
