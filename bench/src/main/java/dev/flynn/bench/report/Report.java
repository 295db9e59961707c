package dev.flynn.bench.report;

import dev.flynn.bench.report.JmhResults.Benchmark;
import dev.flynn.nativecheck.Calibration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a benchmark report says, computed from JMH results and, when there is one, the machine
 * profile. The writers ({@link HtmlReport}, {@link MarkdownReport}) only lay this out.
 *
 * <p>How benchmarks are read: the kernel is the benchmark method's name ({@code sum} for {@code
 * DemoBenchmark.sum}), labelled with its element type when that is not float ({@code sum (long)}:
 * from a {@code type} parameter, the class name's {@code Double}, {@code Int} or {@code Long}
 * prefix, or a method named like {@code gemmDouble}); the parameters {@code size} (elements per
 * array) or {@code shape} ({@code m x n x k} for gemm and gemv, {@code rows x dim} for the
 * similarity scores), {@code mode} (a Flynn mode; {@code strategy}, a combining strategy of {@code
 * CombineBenchmark}, stands for it), {@code threads} (pool threads, 0 meaning every available
 * processor) and {@code peer} (another library, or {@code flynn} for Flynn measured in the same
 * harness) say what ran. A benchmark with a {@code mode} and no {@code peer} is one of Flynn's
 * modes; one with a {@code peer} belongs to the comparison with other libraries.
 *
 * @param results the JMH results the report is about
 * @param profile the machine profile, when one was given
 * @param modes the Flynn modes measured, in the order SISD, SIMD, MIMD, SIMD_MIMD, AUTO, others
 * @param peers the other libraries measured, in the order of the results ({@code flynn} excluded)
 * @param speedups per kernel and size: each mode at its largest measured thread count
 * @param peerRows per kernel and size with a peer: Flynn's reference and each peer at its fastest
 * @param scaling per kernel, size and mode (or peer) measured at two or more thread counts
 * @param roofline every measurement of {@code speedups} placed against the machine's bandwidth
 * @param allocations every measurement with JMH's {@code gc.alloc.rate.norm}, in file order
 * @param notes what the report left out and why
 */
public record Report(
    JmhResults results,
    Optional<MachineProfile> profile,
    List<String> modes,
    List<String> peers,
    List<SpeedupRow> speedups,
    List<PeerRow> peerRows,
    List<ScalingSeries> scaling,
    List<RooflineRow> roofline,
    List<Measurement> allocations,
    List<String> notes) {

  /** Flynn's modes in the order reports show them. */
  public static final List<String> FLYNN_MODES =
      List.of("SISD", "SIMD", "MIMD", "SIMD_MIMD", "AUTO");

  /** The mode every speed-up is measured against. */
  public static final String BASELINE = "SISD";

  /** The {@code peer} value that means Flynn itself. */
  public static final String FLYNN = "flynn";

  /**
   * A single-threaded run is flagged as allocating from this many bytes per call on: the smallest
   * Java object is 16 bytes, so a kernel that allocates anything at every call shows at least this
   * much, while smaller averages are JMH's own bookkeeping in the measured thread spread over the
   * calls of an iteration (a fraction of a byte to a few bytes per call in a real run).
   */
  public static final double ALLOCATION_FLAG_BYTES = 16;

  /**
   * What JMH itself allocates per 100 ms of measurement, spread over the calls: about 8 KiB (seen
   * as 17 B/op for a 445 us call and 0.1 B/op for a 2.7 us call with 200 ms iterations).
   */
  public static final double JMH_BYTES_PER_100_MS = 8192;

  public Report {
    modes = List.copyOf(modes);
    peers = List.copyOf(peers);
    speedups = List.copyOf(speedups);
    peerRows = List.copyOf(peerRows);
    scaling = List.copyOf(scaling);
    roofline = List.copyOf(roofline);
    allocations = List.copyOf(allocations);
    notes = List.copyOf(notes);
  }

  /**
   * One benchmark result, read as a Flynn measurement.
   *
   * @param benchmark the JMH result
   * @param kernel the benchmark method's name
   * @param size the {@code size} parameter; 0 when absent or not a positive number
   * @param mode the {@code mode} parameter; empty when absent
   * @param peer the {@code peer} parameter; empty when absent
   * @param threads the {@code threads} parameter: 0 means every available processor; -1 when absent
   *     or not a number
   * @param elementBytes 8 for double and long elements, else 4 (float, int)
   * @param type the element type: {@code float}, {@code double}, {@code int} or {@code long}
   * @param shape the {@code shape} parameter; empty when absent
   */
  public record Measurement(
      Benchmark benchmark,
      String kernel,
      long size,
      String mode,
      String peer,
      int threads,
      int elementBytes,
      String type,
      String shape) {

    static Measurement of(Benchmark benchmark) {
      // Kernels over other element types are other kernels: a 'type' parameter, a class named
      // DoubleKernelBenchmark, IntKernelBenchmark..., or a method named like gemmDouble.
      String method = benchmark.method();
      String className = benchmark.shortName().substring(0, benchmark.shortName().indexOf('.') + 1);
      java.util.regex.Matcher prefix =
          java.util.regex.Pattern.compile("^(Double|Int|Long)[A-Z]").matcher(className);
      String type =
          benchmark
              .param("type")
              .map(t -> t.toLowerCase(java.util.Locale.ROOT))
              .orElse(prefix.find() ? prefix.group(1).toLowerCase(java.util.Locale.ROOT) : "");
      String base = method.substring(0, Math.max(0, method.length() - "Double".length()));
      if (method.endsWith("Double") && KernelCosts.of(base).isPresent()) {
        type = "double";
        method = base;
      }
      if (!List.of("double", "int", "long").contains(type)) {
        type = "float";
      }
      // CombineBenchmark's strategy plays the part of a mode: a column, and a scaling series.
      String mode = benchmark.param("mode").or(() -> benchmark.param("strategy")).orElse("");
      String peer = benchmark.param("peer").orElse("");
      // Flynn measured in the peers' benchmark is labelled flynn-<MODE>: Flynn, in that mode.
      if (peer.startsWith(FLYNN + "-")) {
        mode = peer.substring(FLYNN.length() + 1);
        peer = FLYNN;
      }
      return new Measurement(
          benchmark,
          KernelCosts.label(method, type),
          benchmark.param("size").map(Report::parseLong).filter(n -> n > 0).orElse(0L),
          mode,
          peer,
          (int) benchmark.param("threads").map(Report::parseLong).orElse(-1L).longValue(),
          type.equals("double") || type.equals("long") ? 8 : 4,
          type,
          benchmark.param("shape").orElse(""));
    }

    /** What one call works on: the size, or the shape. */
    public KernelCosts.Extent extent() {
      return KernelCosts.Extent.of(size, shape);
    }

    /** The size for people: the shape when there is one, else the element count. */
    public String sizeLabel() {
      return Report.sizeLabel(size, shape);
    }

    /** Whether the elements are integers, whose operations are not flops. */
    public boolean integer() {
      return type.equals("int") || type.equals("long");
    }

    /** The score in JMH's unit. */
    public double score() {
      return benchmark.primaryMetric().score();
    }

    /** JMH's unit of {@link #score()}. */
    public String unit() {
      return benchmark.primaryMetric().scoreUnit();
    }

    /** The score as time per call, in nanoseconds. */
    public double nanosPerOp() {
      return benchmark.primaryMetric().nanosPerOp();
    }

    /** Bytes allocated per call ({@code gc.alloc.rate.norm}), NaN without {@code -prof gc}. */
    public double allocationBytesPerOp() {
      return benchmark.allocation().map(JmhResults.Metric::score).orElse(Double.NaN);
    }

    public boolean isPeer() {
      return !peer.isEmpty();
    }

    /**
     * Whether this run kept to the calling thread: a pool of one thread, or a Flynn mode that never
     * forks ({@code SISD}, {@code SIMD}).
     */
    public boolean singleThreaded() {
      return threads == 1 || (!isPeer() && (mode.equals("SISD") || mode.equals("SIMD")));
    }

    /**
     * The allocation flag: a run on the calling thread alone (Flynn's SISD and SIMD modes; a peer
     * at one thread or with no thread parameter) allocating at least {@link #ALLOCATION_FLAG_BYTES}
     * per call beyond JMH's own bookkeeping. JMH allocates a few KiB per iteration for itself;
     * spread over the calls of a slow benchmark that is several bytes per call, so the allowance
     * grows with the time per call: {@link #JMH_BYTES_PER_100_MS} for every 100 ms a call takes.
     * Flynn's pooled modes allocate by design (tasks and partials), even at one thread.
     */
    public boolean allocates() {
      boolean callingThreadOnly =
          isPeer() ? threads <= 1 : mode.equals("SISD") || mode.equals("SIMD");
      double allowance = ALLOCATION_FLAG_BYTES + JMH_BYTES_PER_100_MS * nanosPerOp() / 1e8;
      return callingThreadOnly && allocationBytesPerOp() >= allowance;
    }

    /** The mode, or the peer (with its mode, when it has one). */
    public String label() {
      if (!isPeer()) {
        return mode;
      }
      return mode.isEmpty() ? peer : peer + " " + mode;
    }

    /** The {@code threads} parameter for people: {@code 2}, {@code all}, or a dash when absent. */
    public String threadsLabel() {
      return threads < 0 ? Numbers.NONE : threads == 0 ? "all" : Integer.toString(threads);
    }

    /** Orders thread counts: absent, then 1, 2, ..., then 0 (every available processor). */
    int threadsRank() {
      return threads < 0 ? 0 : threads == 0 ? Integer.MAX_VALUE : threads;
    }
  }

  /**
   * One kernel at one size in every mode measured.
   *
   * @param kernel the kernel
   * @param size elements per array; 0 when the benchmark has a shape instead
   * @param shape the {@code shape} parameter; empty when absent
   * @param byMode the measurement of each mode, in the order of {@link #modes()}
   */
  public record SpeedupRow(
      String kernel, long size, String shape, Map<String, Measurement> byMode) {

    public SpeedupRow {
      byMode = Collections.unmodifiableMap(new LinkedHashMap<>(byMode));
    }

    /** Time in SISD over time in {@code mode}: above 1 is faster; NaN when either is missing. */
    public double speedup(String mode) {
      Measurement baseline = byMode.get(BASELINE);
      Measurement measured = byMode.get(mode);
      return baseline == null || measured == null
          ? Double.NaN
          : baseline.nanosPerOp() / measured.nanosPerOp();
    }
  }

  /**
   * One kernel at one size against other libraries.
   *
   * @param kernel the kernel
   * @param size elements per array; 0 when the benchmark has a shape instead
   * @param shape the {@code shape} parameter; empty when absent
   * @param flynn Flynn's reference: see {@link Report#flynnReference}; null when Flynn was not
   *     measured at this kernel and size
   * @param byPeer each peer's fastest measurement, in the order of {@link #peers()}
   */
  public record PeerRow(
      String kernel, long size, String shape, Measurement flynn, Map<String, Measurement> byPeer) {

    public PeerRow {
      byPeer = Collections.unmodifiableMap(new LinkedHashMap<>(byPeer));
    }

    /** The peer's time over Flynn's: above 1, Flynn is faster; NaN when either is missing. */
    public double ratio(String peer) {
      Measurement other = byPeer.get(peer);
      return flynn == null || other == null ? Double.NaN : other.nanosPerOp() / flynn.nanosPerOp();
    }
  }

  /**
   * One kernel, size and mode (or peer) at two or more thread counts.
   *
   * @param kernel the kernel
   * @param size elements per array; 0 when the benchmark has a shape instead
   * @param shape the {@code shape} parameter; empty when absent
   * @param label the mode, or the peer
   * @param points one measurement per thread count, fewest threads first
   */
  public record ScalingSeries(
      String kernel, long size, String shape, String label, List<Measurement> points) {

    public ScalingSeries {
      points = List.copyOf(points);
    }

    /** Time at the fewest threads over time at point {@code i}: above 1 is faster. */
    public double speedup(int i) {
      return points.get(0).nanosPerOp() / points.get(i).nanosPerOp();
    }

    /** The index of the point with this {@link Measurement#threadsLabel()}, -1 when none. */
    public int indexOf(String threadsLabel) {
      for (int i = 0; i < points.size(); i++) {
        if (points.get(i).threadsLabel().equals(threadsLabel)) {
          return i;
        }
      }
      return -1;
    }
  }

  /**
   * One measurement against the machine's bandwidth and peak, by {@link KernelCosts}.
   *
   * @param measurement the measurement
   * @param cost the kernel's bytes and flops per element
   * @param level where the working set fits: {@code L1}, {@code L2}, {@code memory} (beyond L2), or
   *     {@code unknown} without a profile
   * @param roofName the measured figure the run is held against, e.g. {@code L1 read, 1 thread}
   * @param roofGBps that figure in GB/s; NaN without a measured profile
   * @param peakGflops the measured peak multiply-add throughput for as many threads as the run used
   *     (one thread, or all), halved for double elements; NaN without a measured profile
   */
  public record RooflineRow(
      Measurement measurement,
      KernelCosts.Cost cost,
      String level,
      String roofName,
      double roofGBps,
      double peakGflops) {

    /** Bytes one call moves. */
    public double bytes() {
      return cost.bytes(measurement.extent(), measurement.elementBytes());
    }

    /** Bytes of the distinct arrays one call touches. */
    public double workingSet() {
      return cost.workingSet(measurement.extent(), measurement.elementBytes());
    }

    /** Achieved bandwidth in GB/s (10^9 bytes per second): bytes per nanosecond. */
    public double gbPerSecond() {
      return bytes() / measurement.nanosPerOp();
    }

    /**
     * Achieved GFLOPS (flops per nanosecond); NaN for kernels counted in elements per second and
     * for integer elements.
     */
    public double gflops() {
      return measurement.integer()
          ? Double.NaN
          : cost.flops(measurement.extent()) / measurement.nanosPerOp();
    }

    /** Elements per nanosecond: 10^9 elements per second; NaN for a matrix shape. */
    public double gElementsPerSecond() {
      long elements = measurement.extent().elements();
      return elements > 0 ? elements / measurement.nanosPerOp() : Double.NaN;
    }

    /** Achieved over roof bandwidth; NaN without a measured profile. */
    public double roofFraction() {
      return gbPerSecond() / roofGBps;
    }

    /** Achieved over peak GFLOPS; NaN without a profile or a flop count. */
    public double peakFraction() {
      return gflops() / peakGflops;
    }
  }

  /** Computes the report. */
  public static Report of(JmhResults results, Optional<MachineProfile> profile) {
    List<String> notes = new ArrayList<>();
    List<Measurement> all = new ArrayList<>();
    for (Benchmark b : results.benchmarks()) {
      if (ConcurrencySections.presents(b)) {
        continue; // a section of its own, not the speed-up grid
      }
      if (b.primaryMetric().isTime()) {
        all.add(Measurement.of(b));
      } else {
        notes.add(
            b.key()
                + ": left out, its unit "
                + b.primaryMetric().scoreUnit()
                + " is not a time per call or a throughput");
      }
    }
    List<Measurement> grid = all.stream().filter(m -> !m.isPeer() && !m.mode().isEmpty()).toList();
    List<Measurement> peerRuns = all.stream().filter(Measurement::isPeer).toList();
    List<String> neither =
        all.stream()
            .filter(m -> !m.isPeer() && m.mode().isEmpty())
            .map(m -> m.benchmark().shortName())
            .distinct()
            .toList();
    if (!neither.isEmpty()) {
      notes.add(
          "neither a 'mode' nor a 'peer' parameter, so only their allocation is reported: "
              + String.join(", ", neither));
    }
    List<String> modes =
        grid.stream().map(Measurement::mode).distinct().sorted(Report::compareModes).toList();
    if (!grid.isEmpty() && !modes.contains(BASELINE)) {
      notes.add("no " + BASELINE + " measurement: the speed-ups need it as the baseline");
    }
    List<String> peers =
        peerRuns.stream().map(Measurement::peer).filter(p -> !p.equals(FLYNN)).distinct().toList();
    List<SpeedupRow> speedups = speedups(grid, modes);
    List<Measurement> compared = new ArrayList<>(grid);
    compared.addAll(peerRuns);
    List<RooflineRow> roofline = roofline(speedups, profile, notes);
    List<Measurement> allocations =
        all.stream().filter(m -> !Double.isNaN(m.allocationBytesPerOp())).toList();
    return new Report(
        results,
        profile,
        modes,
        peers,
        speedups,
        peerRows(grid, peerRuns, peers),
        scaling(compared),
        roofline,
        allocations,
        notes);
  }

  /** Per kernel and size, each mode at its largest thread count. */
  private static List<SpeedupRow> speedups(List<Measurement> grid, List<String> modes) {
    List<SpeedupRow> rows = new ArrayList<>();
    groupByKernelAndSize(grid)
        .forEach(
            (kernelAndSize, measurements) -> {
              Map<String, Measurement> byMode = new LinkedHashMap<>();
              for (String mode : modes) {
                measurements.stream()
                    .filter(m -> m.mode().equals(mode))
                    .max(Comparator.comparingInt(Measurement::threadsRank))
                    .ifPresent(m -> byMode.put(mode, m));
              }
              rows.add(
                  new SpeedupRow(
                      kernelAndSize.kernel, kernelAndSize.size, kernelAndSize.shape, byMode));
            });
    return rows;
  }

  /** Per kernel and size with a peer: Flynn's reference and each peer at its fastest. */
  private static List<PeerRow> peerRows(
      List<Measurement> grid, List<Measurement> peerRuns, List<String> peers) {
    List<PeerRow> rows = new ArrayList<>();
    Map<KernelAndSize, List<Measurement>> gridGroups = groupByKernelAndSize(grid);
    groupByKernelAndSize(peerRuns)
        .forEach(
            (kernelAndSize, measurements) -> {
              Map<String, Measurement> byPeer = new LinkedHashMap<>();
              for (String peer : peers) {
                measurements.stream()
                    .filter(m -> m.peer().equals(peer))
                    .min(Comparator.comparingDouble(Measurement::nanosPerOp))
                    .ifPresent(m -> byPeer.put(peer, m));
              }
              if (byPeer.isEmpty()) {
                return;
              }
              List<Measurement> flynn =
                  measurements.stream().filter(m -> m.peer().equals(FLYNN)).toList();
              if (flynn.isEmpty()) {
                flynn = gridGroups.getOrDefault(kernelAndSize, List.of());
              }
              rows.add(
                  new PeerRow(
                      kernelAndSize.kernel,
                      kernelAndSize.size,
                      kernelAndSize.shape,
                      flynnReference(flynn),
                      byPeer));
            });
    return rows;
  }

  /** Every kernel, size and mode (or peer) measured at two or more thread counts. */
  private static List<ScalingSeries> scaling(List<Measurement> measurements) {
    List<ScalingSeries> series = new ArrayList<>();
    groupByKernelAndSize(measurements)
        .forEach(
            (kernelAndSize, group) -> {
              Map<String, List<Measurement>> byLabel =
                  group.stream()
                      .filter(m -> m.threads() >= 0)
                      .collect(
                          Collectors.groupingBy(
                              Measurement::label, LinkedHashMap::new, Collectors.toList()));
              byLabel.entrySet().stream()
                  .sorted(Map.Entry.comparingByKey(Report::compareModes))
                  .forEach(
                      e -> {
                        Map<Integer, Measurement> byThreads = new TreeMap<>();
                        e.getValue().forEach(m -> byThreads.putIfAbsent(m.threadsRank(), m));
                        if (byThreads.size() >= 2) {
                          series.add(
                              new ScalingSeries(
                                  kernelAndSize.kernel,
                                  kernelAndSize.size,
                                  kernelAndSize.shape,
                                  e.getKey(),
                                  List.copyOf(byThreads.values())));
                        }
                      });
            });
    return series;
  }

  /** The speed-up grid against the machine's roofs; kernels without a cost go to the notes. */
  private static List<RooflineRow> roofline(
      List<SpeedupRow> speedups, Optional<MachineProfile> profile, List<String> notes) {
    List<RooflineRow> rows = new ArrayList<>();
    LinkedHashSet<String> uncosted = new LinkedHashSet<>();
    for (SpeedupRow row : speedups) {
      for (Measurement m : row.byMode().values()) {
        Optional<KernelCosts.Cost> cost = KernelCosts.of(m.kernel());
        if (cost.isEmpty()) {
          uncosted.add(m.kernel());
        } else if (cost.get().applies(m.extent())) {
          rows.add(roofline(m, cost.get(), profile));
        }
      }
    }
    if (!uncosted.isEmpty()) {
      notes.add(
          "not on the roofline (no bytes-per-element entry in KernelCosts): "
              + String.join(", ", uncosted));
    }
    return rows;
  }

  /**
   * Flynn's measurement that peers are held against, among {@code candidates} (Flynn measured in
   * the peers' harness when it was, else Flynn's modes): {@code AUTO} at its largest thread count
   * when measured, as the mode a user gets by default; otherwise the fastest. Null when there is no
   * candidate.
   */
  static Measurement flynnReference(List<Measurement> candidates) {
    return candidates.stream()
        .filter(m -> m.mode().equals("AUTO"))
        .max(Comparator.comparingInt(Measurement::threadsRank))
        .or(() -> candidates.stream().min(Comparator.comparingDouble(Measurement::nanosPerOp)))
        .orElse(null);
  }

  private static RooflineRow roofline(
      Measurement m, KernelCosts.Cost cost, Optional<MachineProfile> profile) {
    double workingSet = cost.workingSet(m.extent(), m.elementBytes());
    String level = "unknown";
    if (profile.isPresent()) {
      MachineProfile p = profile.get();
      if (p.l1d().known() && workingSet <= p.l1d().bytes()) {
        level = "L1";
      } else if (p.l2().known() && workingSet <= p.l2().bytes()) {
        level = "L2";
      } else if (p.l2().known()) {
        level = "memory";
      }
    }
    Optional<Calibration> calibration = profile.flatMap(MachineProfile::calibration);
    if (calibration.isEmpty() || level.equals("unknown")) {
      return new RooflineRow(m, cost, level, "no measured profile", Double.NaN, Double.NaN);
    }
    Calibration c = calibration.get();
    boolean one = m.singleThreaded();
    String threads = one ? "1 thread" : c.threads() + " threads";
    // The profile measures float FMA; a double lane is twice as wide, so half as many fit.
    double peak =
        (one ? c.peakGflopsOneThread() : c.peakGflopsAllThreads())
            / (m.type().equals("double") ? 2 : 1);
    return switch (level) {
      // Cache bandwidth was measured on one thread: the roof stays that measured figure, so a
      // multi-threaded run in cache may pass it (each core has its own L1 and L2).
      case "L1" -> new RooflineRow(m, cost, level, "L1 read, 1 thread", c.l1ReadGBps(), peak);
      case "L2" -> new RooflineRow(m, cost, level, "L2 read, 1 thread", c.l2ReadGBps(), peak);
      default ->
          new RooflineRow(
              m,
              cost,
              level,
              "memory triad, " + threads,
              one ? c.triadOneThreadGBps() : c.triadAllThreadsGBps(),
              peak);
    };
  }

  /** Flynn's modes first, in their order, then anything else alphabetically. */
  static int compareModes(String a, String b) {
    int ia = FLYNN_MODES.indexOf(a);
    int ib = FLYNN_MODES.indexOf(b);
    ia = ia < 0 ? FLYNN_MODES.size() : ia;
    ib = ib < 0 ? FLYNN_MODES.size() : ib;
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }

  private record KernelAndSize(String kernel, long size, String shape) {}

  /** The size for people: the shape when there is one, else the element count, else a dash. */
  static String sizeLabel(long size, String shape) {
    return !shape.isEmpty() ? shape : size > 0 ? Numbers.count(size) : Numbers.NONE;
  }

  /** Multiply-adds of a shape {@code m x n x k} (elements of {@code rows x dim}): its order. */
  private static double shapeVolume(String shape) {
    double volume = shape.isEmpty() ? 0 : 1;
    for (String part : shape.isEmpty() ? new String[0] : shape.split("x")) {
      long dimension = parseLong(part);
      volume *= Math.max(0, dimension);
    }
    return volume;
  }

  /** Kernels in {@link KernelCosts}' order (others after, by name), sizes and shapes ascending. */
  private static Map<KernelAndSize, List<Measurement>> groupByKernelAndSize(
      List<Measurement> measurements) {
    Comparator<KernelAndSize> order =
        Comparator.comparingInt((KernelAndSize k) -> KernelCosts.order(k.kernel))
            .thenComparing(k -> k.kernel)
            .thenComparingLong(k -> k.size)
            .thenComparingDouble(k -> shapeVolume(k.shape))
            .thenComparing(k -> k.shape);
    Map<KernelAndSize, List<Measurement>> groups = new TreeMap<>(order);
    for (Measurement m : measurements) {
      groups
          .computeIfAbsent(
              new KernelAndSize(m.kernel(), m.size(), m.shape()), k -> new ArrayList<>())
          .add(m);
    }
    return groups;
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
