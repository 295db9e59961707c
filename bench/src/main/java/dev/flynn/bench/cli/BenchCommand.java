package dev.flynn.bench.cli;

import dev.flynn.bench.report.ProcessRuns;
import dev.flynn.bench.report.ReportWriter;
import dev.flynn.engine.Mode;
import dev.flynn.nativecheck.CacheInfo;
import dev.flynn.nativecheck.SystemSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.results.RunResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs Flynn's JMH suites and writes the report: HTML with charts, Markdown and the raw JSON. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {CompareCommand.class, ReportCommand.class},
    description = {
      "Run Flynn's JMH suites and write a report with charts (the main job).",
      "",
      "Runs Flynn's JMH suites (kernels in every mode, peers, thread scaling,",
      "allocation per call) and write a report: HTML with charts, a Markdown",
      "summary and the raw JMH JSON. --quick (the default) takes about 2 to 3",
      "minutes on 2 cores; --full runs everything (hours: --dry-run counts it).",
      "A selection (--kernels, --sizes, --shapes, --modes, --types, --peers)",
      "replaces the preset.",
      "Subcommands: compare OLD.json NEW.json; report --jmh FILE --out DIR."
    })
final class BenchCommand implements Callable<Integer> {

  static final class Preset {
    @Option(
        names = "--quick",
        description = "the main job: demo kernels at the L2 size, peers, scaling")
    boolean quick;

    @Option(
        names = "--full",
        description =
            "every kernel, mode, size and type (float, double, int, long), gemm and the"
                + " similarity shapes, every peer, thread scaling")
    boolean full;
  }

  @ArgGroup(exclusive = true)
  Preset preset = new Preset();

  @Option(
      names = "--kernels",
      split = ",",
      description =
          "kernels, e.g. sum, dot, axpy, exp, gemm, gemv (--help lists them all), or"
              + " concurrency (the toolkit: combine, async, requests, stats, pipeline,"
              + " processes), or any of those suites")
  List<String> kernels;

  @Option(
      names = "--shapes",
      split = ",",
      description = "gemm/gemv shapes: m x n x k, or n for n x n x n (default: 256, 1024, 2048)")
  List<String> shapes;

  @Option(
      names = "--sizes",
      split = ",",
      description = "elements per array, or L1, L2, LLC, DRAM, odd")
  List<String> sizes;

  @Option(names = "--modes", split = ",", description = "modes: SISD, SIMD, MIMD, SIMD_MIMD, AUTO")
  List<Mode> modes;

  @Option(
      names = "--types",
      split = ",",
      description = "element types: float, double, int, long (default: float)")
  List<String> types;

  @Option(names = "--peers", split = ",", description = "peers: plain-loop, nd4j, netlib, or none")
  List<String> peers;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "where the report goes (default: bench-reports/<date-time>)")
  Path out;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description = "machine profile from ./flynn check --measure (default: ${DEFAULT-VALUE})")
  Path profile = CheckCommand.defaultProfile();

  @Option(
      names = "--iterations",
      defaultValue = "3",
      description = "JMH iterations (default: ${DEFAULT-VALUE})")
  int iterations;

  @Option(
      names = "--iteration-ms",
      defaultValue = "200",
      description = "JMH iteration time (default: ${DEFAULT-VALUE})")
  int iterationMs;

  @Option(names = "--dry-run", description = "print the runs without running them")
  boolean dryRun;

  @Spec CommandSpec spec;

  /** 64 Mi floats (256 MiB): the file of the threads-against-processes comparison. */
  static final long PROCESSES_FLOATS = 1L << 26;

  /**
   * Whether the run ends with the threads-against-processes comparison: in the full preset, and
   * when {@code --kernels} names it or the whole concurrency toolkit.
   */
  private boolean comparesProcesses() {
    return preset.full
        || (kernels != null
            && (kernels.contains(BenchPlan.PROCESSES) || kernels.contains(BenchPlan.CONCURRENCY)));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if (iterations < 1 || iterationMs < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--iterations and --iteration-ms must be at least 1: " + iterations + ", " + iterationMs);
    }
    BenchSizes benchSizes = BenchSizes.of(CacheInfo.read(SystemSources.live()));
    List<BenchPlan.Run> runs = plan(benchSizes);
    if (dryRun) {
      runs.forEach(r -> stdout.println(r.label()));
      if (comparesProcesses()) {
        stdout.println(
            "then threads against processes on "
                + PROCESSES_FLOATS
                + " floats (./flynn processes, 3 rounds each; not JMH)");
      }
      stdout.println(BenchPlan.summary(runs, iterations, iterationMs));
      stdout.flush();
      return 0;
    }
    Path dir = out != null ? out : defaultOut();
    Files.createDirectories(dir);
    List<RunResult> results = new ArrayList<>();
    long started = System.nanoTime();
    JmhRuns.Settings settings = new JmhRuns.Settings(iterations, iterationMs, true);
    for (int i = 0; i < runs.size(); i++) {
      BenchPlan.Run run = runs.get(i);
      System.err.printf(
          "[%d/%d] %s %s%n",
          i + 1, runs.size(), run.label(), JmhRuns.remaining(started, i, runs.size()));
      Collection<RunResult> r =
          JmhRuns.run(
              run.include(),
              run.params(),
              BenchPlan.keepsItsOwnSettings(run) ? JmhRuns.Settings.CLASS_DEFAULTS : settings);
      results.addAll(r);
    }
    Path json = dir.resolve(ReportWriter.RAW);
    JmhRuns.writeJson(results, json);
    if (comparesProcesses()) {
      compareProcesses(dir);
    }
    Path profileFile = Files.isRegularFile(profile) ? profile : null;
    if (profileFile == null) {
      System.err.println(
          "No machine profile at "
              + profile
              + ": the report has no roofline. Run ./flynn check --measure to make one.");
    }
    Path html = ReportWriter.write(json, profileFile, dir);
    stdout.println("Report: " + html.toAbsolutePath());
    stdout.println("Markdown summary and raw JMH JSON beside it: report.md, " + ReportWriter.RAW);
    stdout.flush();
    return 0;
  }

  /**
   * The JMH runs of the chosen concurrency suites; {@link BenchPlan#PROCESSES} is no JMH run (see
   * {@link #comparesProcesses}): the comparison runs after the JMH runs.
   */
  private List<BenchPlan.Run> toolkitRuns(List<String> suites) {
    List<BenchPlan.Run> runs = new ArrayList<>();
    for (String suite : suites) {
      if (suite.equals(BenchPlan.COMBINE)) {
        runs.addAll(BenchPlan.combine());
      } else if (!suite.equals(BenchPlan.PROCESSES)) {
        runs.addAll(BenchPlan.toolkit(suite));
      }
    }
    return runs;
  }

  /**
   * Threads against worker processes on a file of {@link #PROCESSES_FLOATS} floats written into the
   * report's directory (and deleted after), 1 and every processor, 3 rounds each; the figures go to
   * {@code processes.json} beside the JMH results, where the report finds them.
   */
  private static void compareProcesses(Path dir) throws IOException, InterruptedException {
    Path file = dir.resolve("processes-input.f32");
    int cores = Runtime.getRuntime().availableProcessors();
    try {
      System.err.printf("threads against processes: writing %,d floats%n", PROCESSES_FLOATS);
      ProcessesCommand.write(file, PROCESSES_FLOATS);
      ProcessRuns result =
          ProcessesCommand.measure(
              file, List.of(1, cores).stream().distinct().toList(), 3, Duration.ofMinutes(5));
      result.write(dir.resolve(ProcessRuns.FILE));
    } catch (TimeoutException e) {
      System.err.println("threads against processes: " + e.getMessage() + "; no section");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Path defaultOut() {
    return Path.of(
        "bench-reports",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /** The runs of the chosen preset, or of the selection when any selection option is given. */
  List<BenchPlan.Run> plan(BenchSizes benchSizes) {
    int cores = Runtime.getRuntime().availableProcessors();
    boolean selection =
        kernels != null
            || sizes != null
            || shapes != null
            || modes != null
            || types != null
            || peers != null;
    if (selection && (preset.quick || preset.full)) {
      throw new ParameterException(
          spec.commandLine(), "--quick and --full cannot be combined with a selection");
    }
    List<BenchPlan.Run> runs = new ArrayList<>();
    List<Mode> allModes = List.of(Mode.values());
    if (preset.full) {
      List<Integer> all = new ArrayList<>(benchSizes.named().values());
      for (String type : BenchPlan.TYPES) {
        runs.addAll(BenchPlan.engine(type, BenchPlan.KERNELS, all, allModes, 0));
      }
      runs.addAll(
          BenchPlan.matrix(
              BenchPlan.TYPES, BenchPlan.MATRIX_KERNELS, BenchPlan.MATRIX_SHAPES, MATRIX_MODES));
      runs.addAll(BenchPlan.similarity(BenchPlan.TYPES, BenchPlan.KERNELS, allModes));
      runs.addAll(
          BenchPlan.peers(
              BenchPlan.PEER_NAMES,
              BenchPlan.PEER_KERNELS,
              List.of(benchSizes.l1(), benchSizes.l2(), benchSizes.odd(), benchSizes.dram())));
      runs.addAll(
          BenchPlan.matrixPeers(
              BenchPlan.TYPES, BenchPlan.MATRIX_KERNELS, BenchPlan.MATRIX_SHAPES));
      runs.addAll(
          BenchPlan.scaling(
              BenchPlan.QUICK_KERNELS,
              benchSizes.dram(),
              List.of(Mode.MIMD, Mode.SIMD_MIMD),
              cores));
      runs.addAll(toolkitRuns(BenchPlan.CONCURRENCY_SUITES));
      return runs;
    }
    if (!selection) {
      runs.addAll(
          BenchPlan.engine(
              "float", BenchPlan.QUICK_KERNELS, List.of(benchSizes.l2()), allModes, 0));
      runs.addAll(
          BenchPlan.scaling(List.of("sum"), benchSizes.dram(), List.of(Mode.SIMD_MIMD), cores));
      runs.addAll(
          BenchPlan.peers(BenchPlan.PEER_NAMES, BenchPlan.QUICK_KERNELS, List.of(benchSizes.l2())));
      return runs;
    }
    List<String> chosenKernels = kernels != null ? kernels : BenchPlan.QUICK_KERNELS;
    List<String> suites = new ArrayList<>();
    for (String k : chosenKernels) {
      List<String> named =
          k.equals(BenchPlan.CONCURRENCY)
              ? BenchPlan.CONCURRENCY_SUITES
              : BenchPlan.CONCURRENCY_SUITES.contains(k) ? List.of(k) : List.of();
      named.stream().filter(n -> !suites.contains(n)).forEach(suites::add);
    }
    if (!suites.isEmpty()) {
      runs.addAll(toolkitRuns(suites));
      chosenKernels =
          chosenKernels.stream()
              .filter(k -> !k.equals(BenchPlan.CONCURRENCY))
              .filter(k -> !BenchPlan.CONCURRENCY_SUITES.contains(k))
              .toList();
      if (chosenKernels.isEmpty()) {
        return runs;
      }
    }
    for (String k : chosenKernels) {
      if (!BenchPlan.KERNELS.contains(k)) {
        throw new ParameterException(
            spec.commandLine(),
            "--kernels: unknown kernel '"
                + k
                + "'; known: "
                + BenchPlan.KERNELS
                + ", "
                + BenchPlan.CONCURRENCY
                + " or one of its suites "
                + BenchPlan.CONCURRENCY_SUITES);
      }
    }
    List<String> chosenTypes = types != null ? types : List.of("float");
    for (String type : chosenTypes) {
      if (!BenchPlan.TYPES.contains(type)) {
        throw new ParameterException(
            spec.commandLine(),
            "--types: unknown type '" + type + "'; known: " + String.join(", ", BenchPlan.TYPES));
      }
    }
    for (String k : chosenKernels) {
      boolean measured =
          chosenTypes.stream()
              .anyMatch(
                  t ->
                      BenchPlan.has(BenchPlan.suite(t), k) || BenchPlan.matrixMethod(t, k) != null);
      if (!measured) {
        throw new ParameterException(
            spec.commandLine(),
            "--kernels: '" + k + "' has no benchmark for the types " + chosenTypes);
      }
    }
    List<Integer> chosenSizes = new ArrayList<>();
    Map<String, Integer> named = benchSizes.named();
    for (String s : sizes != null ? sizes : List.of("L2")) {
      Integer size = named.get(s);
      if (size == null) {
        try {
          size = Integer.parseInt(s);
        } catch (NumberFormatException e) {
          size = -1;
        }
      }
      if (size < 1) {
        throw new ParameterException(
            spec.commandLine(),
            "--sizes: '"
                + s
                + "' is neither a positive element count nor one of "
                + named.keySet());
      }
      chosenSizes.add(size);
    }
    List<String> chosenShapes = new ArrayList<>();
    for (String s : shapes != null ? shapes : BenchPlan.MATRIX_SHAPES) {
      String shape = s.matches("[1-9][0-9]{0,4}") ? s + "x" + s + "x" + s : s;
      if (!shape.matches("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}x[1-9][0-9]{0,4}")) {
        throw new ParameterException(
            spec.commandLine(),
            "--shapes: '" + s + "' is neither m x n x k (like 300x3000x200) nor one positive n");
      }
      chosenShapes.add(shape);
    }
    boolean nd4j = false;
    if (peers != null && !peers.equals(List.of("none"))) {
      for (String peer : peers) {
        if (!BenchPlan.PEER_NAMES.contains(peer)) {
          throw new ParameterException(
              spec.commandLine(),
              "--peers: unknown peer '" + peer + "'; known: " + BenchPlan.PEER_NAMES + " or none");
        }
      }
      nd4j = peers.contains("nd4j");
      runs.addAll(BenchPlan.peers(peers, chosenKernels, chosenSizes));
    }
    for (String type : chosenTypes) {
      runs.addAll(
          BenchPlan.engine(type, chosenKernels, chosenSizes, modes != null ? modes : allModes, 0));
    }
    runs.addAll(
        BenchPlan.matrix(
            chosenTypes, chosenKernels, chosenShapes, modes != null ? modes : MATRIX_MODES));
    if (nd4j) {
      runs.addAll(BenchPlan.matrixPeers(chosenTypes, chosenKernels, chosenShapes));
    }
    return runs;
  }

  /**
   * The modes gemm and gemv are measured in unless --modes says otherwise: the scalar baseline, one
   * core's vectors, and vectors on every core (at one and at all threads). MIMD, scalar code on the
   * pool, would add slow forks that only repeat SISD's story; {@code --modes} can ask for it.
   */
  static final List<Mode> MATRIX_MODES = List.of(Mode.SISD, Mode.SIMD, Mode.SIMD_MIMD);
}
