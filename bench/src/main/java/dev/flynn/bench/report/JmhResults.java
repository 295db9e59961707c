package dev.flynn.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The results of a JMH run as JMH writes them with {@code -rf json}: an array with one object per
 * benchmark and parameter combination. Only the fields a report or a comparison needs are kept
 * (percentiles among them); JMH's other fields (confidence intervals, warm-up settings...) stay in
 * the file.
 *
 * <p>JMH writes a score it could not compute (the error of a single iteration) as the string {@code
 * "NaN"}; it is read as {@link Double#NaN}.
 *
 * @param benchmarks the benchmarks in file order
 */
public record JmhResults(List<Benchmark> benchmarks) {

  public JmhResults {
    benchmarks = List.copyOf(benchmarks);
  }

  /**
   * The distinct {@link Benchmark#vmOptions()} lists of the runs, in first-seen order (benchmark
   * classes may fork with different heaps): for a report's header ("forks ran with ...").
   */
  public List<List<String>> vmOptionSets() {
    return benchmarks.stream().map(Benchmark::vmOptions).distinct().toList();
  }

  /**
   * One benchmark method with one combination of parameters.
   *
   * @param benchmark the fully qualified method, e.g. {@code dev.flynn.bench.DemoBenchmark.sum}
   * @param mode JMH's mode: {@code avgt}, {@code thrpt}, {@code sample}, {@code ss}
   * @param threads JMH's benchmark threads ({@code @Threads}), not a {@code threads} parameter
   * @param forks forks measured
   * @param jvm the forked JVM's executable
   * @param jdkVersion the forked JVM's {@code java.version}
   * @param vmName the forked JVM's {@code java.vm.name}
   * @param jmhVersion the JMH version that ran it
   * @param jvmArgs the forked JVM's arguments, as JMH recorded them; empty when the file has none
   * @param params the {@code @Param} values, as strings, in file order; empty without parameters
   * @param primaryMetric the score: time per operation or operations per time
   * @param secondaryMetrics profiler results by name, e.g. {@code gc.alloc.rate.norm} in B/op with
   *     {@code -prof gc}; names as JMH wrote them (older versions prefix them with a middle dot)
   */
  public record Benchmark(
      String benchmark,
      String mode,
      int threads,
      int forks,
      String jvm,
      String jdkVersion,
      String vmName,
      String jmhVersion,
      List<String> jvmArgs,
      Map<String, String> params,
      Metric primaryMetric,
      Map<String, Metric> secondaryMetrics) {

    /** JMH's name of the normalised allocation metric of {@code -prof gc}, in B/op. */
    public static final String ALLOCATION_METRIC = "gc.alloc.rate.norm";

    public Benchmark {
      jvmArgs = List.copyOf(jvmArgs);
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
      secondaryMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(secondaryMetrics));
    }

    /**
     * The fork's options that shape its memory and code ({@code -XX:...}, {@code -Xms}, {@code
     * -Xmx}, {@code -Xss}), in the order given: what a figure should be quoted with.
     */
    public List<String> vmOptions() {
      return jvmArgs.stream()
          .filter(
              a ->
                  a.startsWith("-XX:")
                      || a.startsWith("-Xms")
                      || a.startsWith("-Xmx")
                      || a.startsWith("-Xss"))
          .toList();
    }

    /** The method name: {@code sum} for {@code dev.flynn.bench.DemoBenchmark.sum}. */
    public String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** The class and method without the package: {@code DemoBenchmark.sum}. */
    public String shortName() {
      int method = benchmark.lastIndexOf('.');
      int type = method < 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
      return benchmark.substring(type + 1);
    }

    /** A parameter's value, if the benchmark has that parameter. */
    public Optional<String> param(String name) {
      return Optional.ofNullable(params.get(name));
    }

    /**
     * What identifies this benchmark across runs: the method, then the parameters sorted by name,
     * for example {@code dev.flynn.bench.DemoBenchmark.sum mode=SIMD size=4096}. JMH's mode and
     * benchmark threads are part of it when they are not the usual {@code avgt} and 1, so that a
     * throughput run never matches an average-time run of the same method.
     */
    public String key() {
      StringBuilder key = new StringBuilder(benchmark);
      new TreeMap<>(params)
          .forEach((name, value) -> key.append(' ').append(name).append('=').append(value));
      if (!"avgt".equals(mode)) {
        key.append(" [").append(mode).append(']');
      }
      if (threads != 1) {
        key.append(" [").append(threads).append(" JMH threads]");
      }
      return key.toString();
    }

    /** The normalised allocation in bytes per operation, when JMH ran with {@code -prof gc}. */
    public Optional<Metric> allocation() {
      Metric metric = secondaryMetrics.get(ALLOCATION_METRIC);
      if (metric == null) {
        metric = secondaryMetrics.get("\u00b7" + ALLOCATION_METRIC); // JMH before 1.30
      }
      return Optional.ofNullable(metric);
    }
  }

  /**
   * A score with its unit.
   *
   * @param score the mean over iterations and forks
   * @param scoreError half the width of JMH's 99.9% confidence interval; NaN with one iteration
   * @param scoreUnit e.g. {@code ns/op}, {@code ops/us}, {@code B/op}
   * @param rawData per fork, the value of each measurement iteration
   * @param percentiles JMH's {@code scorePercentiles} (sample-time mode), keyed by {@code
   *     Double.toString} of the percentile ({@code "50.0"}, {@code "99.9"}); empty in other modes
   */
  public record Metric(
      double score,
      double scoreError,
      String scoreUnit,
      List<List<Double>> rawData,
      Map<String, Double> percentiles) {

    public Metric {
      rawData = rawData.stream().map(List::copyOf).toList();
      percentiles = Collections.unmodifiableMap(new LinkedHashMap<>(percentiles));
    }

    /** A metric without percentiles (JMH writes them only in its sample-time mode). */
    public Metric(double score, double scoreError, String scoreUnit, List<List<Double>> rawData) {
      this(score, scoreError, scoreUnit, rawData, Map.of());
    }

    /**
     * A percentile of the samples in {@link #scoreUnit()}, as JMH wrote it ({@code 50.0}, {@code
     * 99.9}...); NaN when absent.
     */
    public double percentile(double p) {
      Double value = percentiles.get(Double.toString(p));
      return value == null ? Double.NaN : value;
    }

    /**
     * The score as nanoseconds per operation, whether the unit is a time per operation ({@code
     * ns/op}, {@code us/op}, {@code ms/op}, {@code s/op}, {@code min/op}...) or a throughput
     * ({@code ops/ns}, {@code ops/us}, {@code ops/ms}, {@code ops/s}...), so that any two scores of
     * time can be compared.
     *
     * @throws IllegalArgumentException for a unit that is not a time per operation or a throughput
     */
    public double nanosPerOp() {
      String unit = scoreUnit.trim();
      if (unit.endsWith("/op")) {
        return score * nanosIn(unit.substring(0, unit.length() - 3));
      }
      if (unit.startsWith("ops/")) {
        return nanosIn(unit.substring(4)) / score;
      }
      throw new IllegalArgumentException("not a time per operation or a throughput: " + scoreUnit);
    }

    /** Whether {@link #nanosPerOp()} understands the unit. */
    public boolean isTime() {
      try {
        nanosPerOp();
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    /** Nanoseconds in one of JMH's time-unit labels ({@code TimeValue}'s short names). */
    private static double nanosIn(String timeUnit) {
      return switch (timeUnit) {
        case "ns" -> 1;
        case "us", "\u00b5s" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "min" -> 60e9;
        case "hr" -> 3600e9;
        case "day" -> 86400e9;
        default -> throw new IllegalArgumentException("unknown time unit: " + timeUnit);
      };
    }
  }

  /**
   * Reads a JMH JSON result file.
   *
   * @throws IOException when the file cannot be read or is not JMH's JSON format; the message names
   *     the file and what is wrong
   */
  public static JmhResults read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IOException(file + ": cannot read the file: " + e, e);
    }
    try {
      return parse(text);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(file + ": not a JMH JSON result file (-rf json): " + e.getMessage(), e);
    }
  }

  /**
   * Parses the text of a JMH JSON result file.
   *
   * @throws IOException when the text is not JSON
   * @throws IllegalArgumentException when the JSON lacks what every JMH result has
   */
  public static JmhResults parse(String json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("expected a JSON array of benchmark results");
    }
    List<Benchmark> benchmarks = new ArrayList<>();
    for (JsonNode node : root) {
      benchmarks.add(benchmark(node, benchmarks.size()));
    }
    return new JmhResults(benchmarks);
  }

  private static Benchmark benchmark(JsonNode node, int index) {
    String name = text(node, "benchmark", null);
    if (name == null) {
      throw new IllegalArgumentException("result " + index + " has no \"benchmark\" name");
    }
    JsonNode primary = node.get("primaryMetric");
    if (primary == null || !primary.isObject()) {
      throw new IllegalArgumentException(name + " has no \"primaryMetric\"");
    }
    List<String> jvmArgs = new ArrayList<>();
    node.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
    Map<String, String> params = new LinkedHashMap<>();
    JsonNode paramsNode = node.path("params");
    paramsNode.properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    Map<String, Metric> secondary = new LinkedHashMap<>();
    node.path("secondaryMetrics")
        .properties()
        .forEach(e -> secondary.put(e.getKey(), metric(e.getValue(), name + " " + e.getKey())));
    return new Benchmark(
        name,
        text(node, "mode", "avgt"),
        node.path("threads").asInt(1),
        node.path("forks").asInt(1),
        text(node, "jvm", "unknown"),
        text(node, "jdkVersion", "unknown"),
        text(node, "vmName", "unknown"),
        text(node, "jmhVersion", "unknown"),
        jvmArgs,
        params,
        metric(primary, name),
        secondary);
  }

  private static Metric metric(JsonNode node, String what) {
    double score = number(node.get("score"));
    if (Double.isNaN(score) && node.get("score") == null) {
      throw new IllegalArgumentException(what + " has no \"score\"");
    }
    List<List<Double>> raw = new ArrayList<>();
    for (JsonNode fork : node.path("rawData")) {
      List<Double> values = new ArrayList<>();
      fork.forEach(v -> values.add(number(v)));
      raw.add(values);
    }
    Map<String, Double> percentiles = new LinkedHashMap<>();
    node.path("scorePercentiles")
        .properties()
        .forEach(
            e -> {
              // Keys as Double.toString writes them, so that percentile(99.9) finds "99.9".
              double p = Double.parseDouble(e.getKey());
              percentiles.put(Double.toString(p), number(e.getValue()));
            });
    return new Metric(
        score, number(node.get("scoreError")), text(node, "scoreUnit", ""), raw, percentiles);
  }

  /** A JSON number, or JMH's strings {@code "NaN"}, {@code "Infinity"}; NaN when absent. */
  private static double number(JsonNode node) {
    if (node == null || node.isNull()) {
      return Double.NaN;
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    try {
      return Double.parseDouble(node.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + node, e);
    }
  }

  private static String text(JsonNode node, String field, String absent) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? absent : value.asText();
  }
}
