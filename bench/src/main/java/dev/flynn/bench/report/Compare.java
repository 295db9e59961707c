package dev.flynn.bench.report;

import dev.flynn.bench.report.JmhResults.Benchmark;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two JMH runs benchmark by benchmark, to catch regressions.
 *
 * <p>Benchmarks match by method and parameters ({@link Benchmark#key()}). For each match the
 * <b>speed-up</b> is the old time per call over the new one, whatever the units (a throughput is
 * turned into a time first): above 1 the new run is faster, below 1 slower. A match is a
 * <b>regression</b> when the new run is slower by more than the threshold: new time &gt; old time
 * &times; (1 + threshold / 100), that is speed-up &lt; 1 / (1 + threshold / 100). With the default
 * 5%, a benchmark 10% slower is a regression, one 3% slower is not.
 */
public final class Compare {

  /** The threshold when none is given, in percent. */
  public static final double DEFAULT_THRESHOLD_PERCENT = 5;

  private Compare() {}

  /** What a matched benchmark did. */
  public enum Verdict {
    /** Slower by more than the threshold. */
    REGRESSION,
    /** Faster by more than the threshold. */
    FASTER,
    /** Within the threshold either way. */
    SAME,
    /** The two scores are not both times or throughputs, so they cannot be compared. */
    INCOMPARABLE
  }

  /**
   * One benchmark found in both runs.
   *
   * @param key the benchmark and its parameters
   * @param old the old result
   * @param neu the new result
   * @param speedup old time / new time; NaN when incomparable
   * @param verdict regression, faster, same or incomparable
   */
  public record Row(String key, Benchmark old, Benchmark neu, double speedup, Verdict verdict) {}

  /**
   * The comparison of two runs.
   *
   * @param thresholdPercent the threshold, in percent
   * @param rows the benchmarks found in both, in the new run's order
   * @param onlyInOld benchmarks of the old run the new one lacks
   * @param onlyInNew benchmarks of the new run the old one lacks
   */
  public record Comparison(
      double thresholdPercent,
      List<Row> rows,
      List<Benchmark> onlyInOld,
      List<Benchmark> onlyInNew) {

    public Comparison {
      rows = List.copyOf(rows);
      onlyInOld = List.copyOf(onlyInOld);
      onlyInNew = List.copyOf(onlyInNew);
    }

    /** Whether any benchmark is slower by more than the threshold. */
    public boolean regression() {
      return rows.stream().anyMatch(r -> r.verdict() == Verdict.REGRESSION);
    }

    /** The regressions, in the new run's order. */
    public List<Row> regressions() {
      return rows.stream().filter(r -> r.verdict() == Verdict.REGRESSION).toList();
    }

    /**
     * Prints one line per matched benchmark (old and new score with their error, speed-up, and
     * REGRESSION or faster beyond the threshold), then the unmatched ones, then a summary line.
     *
     * @param out where to print
     * @param oldName what to call the old run, e.g. its file name
     * @param newName what to call the new run
     */
    public void print(PrintWriter out, String oldName, String newName) {
      out.printf(
          Locale.ROOT,
          "Comparing %s (old) with %s (new), threshold %s%%%n",
          oldName,
          newName,
          Numbers.plain(thresholdPercent));
      out.printf(
          Locale.ROOT,
          "speed-up = old time / new time: above 1 the new run is faster; REGRESSION: more than"
              + " %s%% slower (speed-up below %.3f)%n%n",
          Numbers.plain(thresholdPercent),
          1 / (1 + thresholdPercent / 100));
      List<String[]> lines = new ArrayList<>();
      lines.add(new String[] {"benchmark", "old", "new", "speed-up", ""});
      for (Row row : rows) {
        lines.add(
            new String[] {
              name(row.neu()),
              score(row.old()),
              score(row.neu()),
              Double.isNaN(row.speedup())
                  ? Numbers.NONE
                  : String.format(Locale.ROOT, "%.3fx", row.speedup()),
              switch (row.verdict()) {
                case REGRESSION -> "REGRESSION";
                case FASTER -> "faster";
                case SAME -> "";
                case INCOMPARABLE -> "incomparable units";
              }
            });
      }
      int[] widths = new int[5];
      for (String[] line : lines) {
        for (int i = 0; i < line.length; i++) {
          widths[i] = Math.max(widths[i], line[i].length());
        }
      }
      for (String[] line : lines) {
        out.println(
            String.format(
                    Locale.ROOT,
                    "%-" + widths[0] + "s  %" + widths[1] + "s  %" + widths[2] + "s  %" + widths[3]
                        + "s  %s",
                    (Object[]) line)
                .stripTrailing());
      }
      unmatched(out, "Only in " + oldName + " (old)", onlyInOld);
      unmatched(out, "Only in " + newName + " (new)", onlyInNew);
      long faster = rows.stream().filter(r -> r.verdict() == Verdict.FASTER).count();
      out.printf(
          Locale.ROOT,
          "%n%s: %d of %d matched benchmarks more than %s%% slower, %d faster; %d only in old,"
              + " %d only in new%n",
          regression() ? "REGRESSION" : "No regression",
          regressions().size(),
          rows.size(),
          Numbers.plain(thresholdPercent),
          faster,
          onlyInOld.size(),
          onlyInNew.size());
      out.flush();
    }

    private static void unmatched(PrintWriter out, String title, List<Benchmark> benchmarks) {
      if (benchmarks.isEmpty()) {
        return;
      }
      out.printf(Locale.ROOT, "%n%s: %d%n", title, benchmarks.size());
      benchmarks.forEach(b -> out.println("  " + name(b)));
    }

    private static String name(Benchmark b) {
      String key = b.key();
      return b.shortName() + key.substring(b.benchmark().length());
    }

    private static String score(Benchmark b) {
      JmhResults.Metric m = b.primaryMetric();
      String error =
          Double.isFinite(m.scoreError()) ? " ± " + Numbers.significant(m.scoreError()) : "";
      return Numbers.significant(m.score()) + error + " " + m.scoreUnit();
    }
  }

  /**
   * Compares two runs.
   *
   * @param old the earlier run, the reference
   * @param neu the later run
   * @param thresholdPercent how much slower counts as a regression, in percent (5 means 5%)
   * @throws IllegalArgumentException for a negative or non-finite threshold
   */
  public static Comparison compare(JmhResults old, JmhResults neu, double thresholdPercent) {
    if (!(thresholdPercent >= 0) || Double.isInfinite(thresholdPercent)) {
      throw new IllegalArgumentException(
          "the threshold must be a percentage of 0 or more: " + thresholdPercent);
    }
    Map<String, Benchmark> oldByKey = byKey(old);
    Map<String, Benchmark> newByKey = byKey(neu);
    double slowest = 1 / (1 + thresholdPercent / 100);
    double fastest = 1 + thresholdPercent / 100;
    List<Row> rows = new ArrayList<>();
    List<Benchmark> onlyInNew = new ArrayList<>();
    newByKey.forEach(
        (key, b) -> {
          Benchmark a = oldByKey.get(key);
          if (a == null) {
            onlyInNew.add(b);
            return;
          }
          if (!a.primaryMetric().isTime() || !b.primaryMetric().isTime()) {
            rows.add(new Row(key, a, b, Double.NaN, Verdict.INCOMPARABLE));
            return;
          }
          double speedup = a.primaryMetric().nanosPerOp() / b.primaryMetric().nanosPerOp();
          Verdict verdict =
              speedup < slowest
                  ? Verdict.REGRESSION
                  : speedup > fastest ? Verdict.FASTER : Verdict.SAME;
          rows.add(new Row(key, a, b, speedup, verdict));
        });
    List<Benchmark> onlyInOld =
        oldByKey.entrySet().stream()
            .filter(e -> !newByKey.containsKey(e.getKey()))
            .map(Map.Entry::getValue)
            .toList();
    return new Comparison(thresholdPercent, rows, onlyInOld, onlyInNew);
  }

  /** The first result for each key: a file with the same benchmark twice keeps the first. */
  private static Map<String, Benchmark> byKey(JmhResults results) {
    Map<String, Benchmark> byKey = new LinkedHashMap<>();
    results.benchmarks().forEach(b -> byKey.putIfAbsent(b.key(), b));
    return byKey;
  }
}
