package dev.flynn.bench.report;

import dev.flynn.bench.report.Report.Measurement;
import dev.flynn.bench.report.Table.Cell;
import dev.flynn.bench.report.Table.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The tables of a report, shared by the HTML and the Markdown writer. */
final class ReportTables {

  private ReportTables() {}

  /** The machine profile, one row per property; empty without a profile. */
  static Optional<Table> machine(Report report) {
    return report
        .profile()
        .map(
            profile -> {
              List<List<Cell>> rows = new ArrayList<>();
              for (Map.Entry<String, String> e : profile.summary().entrySet()) {
                rows.add(List.of(Cell.text(e.getKey()), Cell.text(e.getValue())));
              }
              return new Table(
                  "machine-table",
                  "The machine, as ./flynn check saw it",
                  List.of("property", "value"),
                  rows,
                  List.of("Profile: " + profile.source()));
            });
  }

  /** The measured roofline of the profile; empty without a profile or without measurements. */
  static Optional<Table> calibration(Report report) {
    return report
        .profile()
        .flatMap(MachineProfile::calibration)
        .map(
            c -> {
              String all = c.threads() + " threads";
              List<List<Cell>> rows = new ArrayList<>();
              rows.add(figure("memory triad, 1 thread", c.triadOneThreadGBps(), "GB/s"));
              rows.add(figure("memory triad, " + all, c.triadAllThreadsGBps(), "GB/s"));
              rows.add(figure("L1 read, 1 thread", c.l1ReadGBps(), "GB/s"));
              rows.add(figure("L2 read, 1 thread", c.l2ReadGBps(), "GB/s"));
              rows.add(figure("peak float FMA, 1 thread", c.peakGflopsOneThread(), "GFLOPS"));
              rows.add(figure("peak float FMA, " + all, c.peakGflopsAllThreads(), "GFLOPS"));
              rows.add(
                  List.of(
                      Cell.text("dot, SIMD over scalar (4096 floats)"),
                      Cell.number(Numbers.ratio(c.dotSimdSpeedup()))));
              return new Table(
                  "calibration-table",
                  "Measured by ./flynn check --measure with "
                      + c.kernels()
                      + " loops, "
                      + c.measuredAt(),
                  List.of("figure", "value"),
                  rows,
                  List.of(
                      "GB/s are 10^9 bytes per second; the triad counts 24 bytes per element, as"
                          + " STREAM does. These are the roofs the roofline section uses."));
            });
  }

  private static List<Cell> figure(String name, double value, String unit) {
    return List.of(Cell.text(name), Cell.number(Numbers.score(value, unit)));
  }

  /** Time per call in every mode, and the speed-up of each over SISD. */
  static Table speedups(Report report) {
    List<String> headers = new ArrayList<>(List.of("kernel", "size", "threads"));
    Map<String, Optional<String>> units = new HashMap<>();
    for (String mode : report.modes()) {
      units.put(
          mode, commonUnit(report.speedups().stream().map(r -> r.byMode().get(mode)).toList()));
      headers.add(withUnit(mode, units.get(mode)));
      if (!mode.equals(Report.BASELINE)) {
        headers.add(mode + " vs " + Report.BASELINE);
      }
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (Report.SpeedupRow row : report.speedups()) {
      List<Cell> cells = new ArrayList<>();
      cells.add(Cell.text(row.kernel()));
      cells.add(size(row.size(), row.shape()));
      cells.add(
          Cell.text(
              String.join(
                  "/",
                  row.byMode().values().stream()
                      .map(Measurement::threadsLabel)
                      .distinct()
                      .toList())));
      for (String mode : report.modes()) {
        cells.add(time(row.byMode().get(mode), units.get(mode)));
        if (!mode.equals(Report.BASELINE)) {
          cells.add(Cell.ratio(row.speedup(mode)));
        }
      }
      rows.add(cells);
    }
    return new Table(
        "speedup-table",
        "Time per call (JMH's score) in every mode, and each mode's speed-up over SISD",
        headers,
        rows,
        List.of(
            "Speed-up = time in SISD / time in the mode, at the same kernel and size: above 1 is"
                + " faster. Each mode at its largest measured 'threads' parameter (threads: the"
                + " pool size; all = every available processor). Size: elements per array, or"
                + " the shape: m x n x k for gemm and gemv, rows x dim for the similarity"
                + " scores."));
  }

  /** Flynn against each peer. */
  static Table peers(Report report) {
    Optional<String> flynnUnit =
        commonUnit(report.peerRows().stream().map(Report.PeerRow::flynn).toList());
    List<String> headers =
        new ArrayList<>(List.of("kernel", "size", "Flynn as", withUnit("Flynn", flynnUnit)));
    Map<String, Optional<String>> units = new HashMap<>();
    for (String peer : report.peers()) {
      units.put(
          peer, commonUnit(report.peerRows().stream().map(r -> r.byPeer().get(peer)).toList()));
      headers.add(withUnit(peer, units.get(peer)));
      headers.add(peer + " / Flynn");
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (Report.PeerRow row : report.peerRows()) {
      List<Cell> cells = new ArrayList<>();
      cells.add(Cell.text(row.kernel()));
      cells.add(size(row.size(), row.shape()));
      cells.add(Cell.text(row.flynn() == null ? Numbers.NONE : described(row.flynn())));
      cells.add(time(row.flynn(), flynnUnit));
      for (String peer : report.peers()) {
        cells.add(time(row.byPeer().get(peer), units.get(peer)));
        cells.add(Cell.ratio(row.ratio(peer)));
      }
      rows.add(cells);
    }
    return new Table(
        "peers-table",
        "Flynn against other libraries: time per call, and the peer's time over Flynn's",
        headers,
        rows,
        List.of(
            "peer / Flynn = the peer's time / Flynn's time at the same kernel and size: above 1,"
                + " Flynn is faster. Flynn as: Flynn measured in the peers' own benchmark when it"
                + " was, else Flynn's modes; AUTO when measured (the default a user gets), else"
                + " Flynn's fastest. Each peer at its fastest measurement."));
  }

  /** Time against the thread count: one row per kernel, size and mode, a column per count. */
  static Table scaling(Report report) {
    int processors = report.profile().map(MachineProfile::availableProcessors).orElse(-1);
    List<Measurement> points = report.scaling().stream().flatMap(s -> s.points().stream()).toList();
    Optional<String> unit = commonUnit(points);
    List<String> counts =
        points.stream()
            .sorted(Comparator.comparingInt(Measurement::threadsRank))
            .map(Measurement::threadsLabel)
            .distinct()
            .toList();
    List<String> more = counts.subList(Math.min(1, counts.size()), counts.size());
    List<String> headers = new ArrayList<>(List.of("kernel", "size", "mode"));
    for (String count : counts) {
      headers.add(withUnit(count + (count.equals("1") ? " thread" : " threads"), unit));
    }
    for (String count : more) {
      headers.add("speed-up at " + count);
      headers.add("efficiency at " + count);
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (Report.ScalingSeries series : report.scaling()) {
      List<Cell> cells = new ArrayList<>();
      cells.add(Cell.text(series.kernel()));
      cells.add(size(series.size(), series.shape()));
      cells.add(Cell.text(series.label()));
      for (String count : counts) {
        int i = series.indexOf(count);
        cells.add(time(i < 0 ? null : series.points().get(i), unit));
      }
      double fewest = threads(series.points().get(0), processors);
      for (String count : more) {
        int i = series.indexOf(count);
        double speedup = i <= 0 ? Double.NaN : series.speedup(i);
        double efficiency =
            i <= 0 ? Double.NaN : speedup / (threads(series.points().get(i), processors) / fewest);
        cells.add(Cell.ratio(speedup));
        cells.add(Cell.number(Numbers.percent(efficiency)));
      }
      rows.add(cells);
    }
    return new Table(
        "scaling-table",
        "Thread scaling: time per call at each 'threads' parameter",
        headers,
        rows,
        List.of(
            "Speed-up at N = time at the fewest threads measured for that row / time at N."
                + " Efficiency = speed-up / (N / fewest threads): 100% is linear scaling."
                + " 'all' counts as the profile's available processors."));
  }

  private static double threads(Measurement m, int processors) {
    if (m.threads() > 0) {
      return m.threads();
    }
    return m.threads() == 0 && processors > 0 ? processors : Double.NaN;
  }

  /** Each Flynn measurement against the machine's roofs. */
  static Table roofline(Report report) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Report.RooflineRow r : report.roofline()) {
      Measurement m = r.measurement();
      rows.add(
          List.of(
              Cell.text(m.kernel()),
              size(m.size(), m.shape()),
              Cell.text(m.label()),
              Cell.text(m.threadsLabel()),
              Cell.number(Numbers.bytes(r.workingSet())),
              Cell.text(r.level()),
              Cell.number(Numbers.significant(r.gbPerSecond())),
              Cell.text(r.roofName()),
              Cell.number(Numbers.significant(r.roofGBps())),
              Cell.number(Numbers.percent(r.roofFraction())),
              Cell.number(Numbers.significant(r.gflops())),
              Cell.number(Numbers.percent(r.peakFraction())),
              Cell.number(Numbers.significant(r.gElementsPerSecond()))));
    }
    return new Table(
        "roofline-table",
        "Roofline: achieved bandwidth and compute against what this machine measured",
        List.of(
            "kernel",
            "size",
            "mode",
            "threads",
            "working set",
            "fits in",
            "GB/s",
            "roof",
            "roof GB/s",
            "of roof",
            "GFLOPS",
            "of peak",
            "G elements/s"),
        rows,
        List.of(
            "GB/s = bytes moved per call (table below) / time per call, in 10^9 bytes per second."
                + " GFLOPS = flops per call / time per call; exp, min, max and the integer"
                + " kernels count elements per second instead. Fits in: the working set against the profile's L1d and L2"
                + " sizes (memory: beyond L2). The roof is a measured figure: the one-thread cache"
                + " read bandwidth for L1 and L2 (a multi-threaded run may pass it: each core has"
                + " its own caches), the memory triad on one thread or on all for memory; the"
                + " peak is the measured float FMA throughput on one thread or all (half of it"
                + " for double elements, whose lanes are twice as wide). Single-"
                + "threaded runs (SISD, SIMD, threads = 1) are held against one-thread figures."
                + " Kernels that also write (axpy, exp) can pass the read-only cache roof: a core"
                + " loads and stores in the same cycle."));
  }

  /** The table the roofline counts with. */
  static Table costs() {
    List<List<Cell>> rows = new ArrayList<>();
    for (KernelCosts.Cost c : KernelCosts.ALL) {
      rows.add(
          List.of(
              Cell.text(c.kernel()),
              Cell.text(c.moved()),
              Cell.number(c.bytesFormula()),
              Cell.number(c.workingSetFormula()),
              Cell.number(c.flopsFormula() == null ? Numbers.NONE : c.flopsFormula()),
              Cell.text(c.flopsFormula() == null ? "elements/s" : "GFLOPS")));
    }
    return new Table(
        "costs-table",
        "What one call over n float elements (or an m x n x k float gemm) moves and computes"
            + " (double, long: twice the bytes)",
        List.of(
            "kernel", "arrays per element", "bytes moved", "working set", "flops", "compute as"),
        rows,
        List.of(
            "Each array read or written once per element, as STREAM counts (no write-allocate"
                + " traffic). exp runs a polynomial whose operation count differs between the"
                + " scalar and vector code, min and max compare: both are reported in elements"
                + " per second rather than with an invented flop count, as are the int and long"
                + " kernels. gemm and gemv count each matrix once (the compulsory traffic): their"
                + " figure of merit is GFLOPS against the peak. A kernel missing here is shown"
                + " with its time only."));
  }

  /** Single-threaded runs that allocate. */
  static Table allocationFlags(Report report) {
    return allocation(
        "allocation-flags",
        "Runs on the calling thread that allocate at least "
            + Numbers.plain(Report.ALLOCATION_FLAG_BYTES)
            + " bytes per call",
        report.allocations().stream().filter(Measurement::allocates).toList(),
        List.of(
            "On the calling thread alone: Flynn's SISD and SIMD modes, a peer at one thread."
                + " Flynn's kernels should not allocate there. Below "
                + Numbers.plain(Report.ALLOCATION_FLAG_BYTES)
                + " B/op (the smallest Java object), plus "
                + Numbers.plain(Report.JMH_BYTES_PER_100_MS)
                + " B for every 100 ms a call takes, the average is JMH's own bookkeeping spread"
                + " over the calls, not the kernel. Flynn's pooled modes allocate their tasks"
                + " and partial results by design."));
  }

  /** Every run with an allocation figure. */
  static Table allocations(Report report) {
    return allocation(
        "allocation-table",
        "Bytes allocated per call (JMH -prof gc: gc.alloc.rate.norm), every run",
        report.allocations(),
        List.of("Multi-threaded runs allocate the tasks they hand to the pool; that is expected."));
  }

  private static Table allocation(
      String id, String caption, List<Measurement> measurements, List<String> notes) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Measurement m : measurements) {
      rows.add(
          List.of(
              Cell.text(m.benchmark().shortName()),
              size(m.size(), m.shape()),
              Cell.text(m.label()),
              Cell.text(m.threadsLabel()),
              Cell.number(Numbers.significant(m.allocationBytesPerOp())),
              m.allocates() ? new Cell("allocates", Kind.FLAG) : Cell.text("")));
    }
    return new Table(
        id,
        caption,
        List.of("benchmark", "size", "mode / peer", "threads", "B/op", "flag"),
        rows,
        notes);
  }

  private static Cell size(long size, String shape) {
    return Cell.number(Report.sizeLabel(size, shape));
  }

  /**
   * A score: the number alone when its column shares one unit (the header then names it), else the
   * number and its unit.
   */
  private static Cell time(Measurement m, Optional<String> columnUnit) {
    if (m == null) {
      return Cell.number(Numbers.NONE);
    }
    return Cell.number(
        columnUnit.isPresent()
            ? Numbers.significant(m.score())
            : Numbers.score(m.score(), m.unit()));
  }

  /** The unit every measurement of a column shares (nulls, the gaps, ignored), if one. */
  private static Optional<String> commonUnit(List<Measurement> column) {
    List<String> units =
        column.stream().filter(Objects::nonNull).map(Measurement::unit).distinct().toList();
    return units.size() == 1 ? Optional.of(units.get(0)) : Optional.empty();
  }

  private static String withUnit(String header, Optional<String> unit) {
    return unit.map(u -> header + " (" + u + ")").orElse(header);
  }

  /** A measurement in words: {@code AUTO, 2 threads}, {@code flynn, 1 thread}. */
  static String described(Measurement m) {
    if (m.threads() < 0) {
      return m.label();
    }
    return m.label()
        + ", "
        + (m.threads() == 0
            ? "all threads"
            : m.threads() + (m.threads() == 1 ? " thread" : " threads"));
  }
}
