package dev.flynn.bench.cli;

import dev.flynn.bench.report.ReportWriter;
import dev.flynn.engine.Mode;
import dev.flynn.nativecheck.CacheInfo;
import dev.flynn.nativecheck.SystemSources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
      "minutes on 2 cores; --full runs everything. A selection (--kernels,",
      "--sizes, --modes, --types, --peers) replaces the preset.",
      "Subcommands: compare OLD.json NEW.json; report --jmh FILE --out DIR."
    })
final class BenchCommand implements Callable<Integer> {

  static final class Preset {
    @Option(
        names = "--quick",
        description = "the main job: demo kernels at the L2 size, peers, scaling")
    boolean quick;

    @Option(names = "--full", description = "every kernel, mode, size, type, peer and thread count")
    boolean full;
  }

  @ArgGroup(exclusive = true)
  Preset preset = new Preset();

  @Option(
      names = "--kernels",
      split = ",",
      description = "kernels: sum, dot, min, max, add, sub, mul, div, scale, axpy, fma, exp")
  List<String> kernels;

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
      description = "element types: float, double (default: float)")
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

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    BenchSizes benchSizes = BenchSizes.of(CacheInfo.read(SystemSources.live()));
    List<BenchPlan.Run> runs = plan(benchSizes);
    if (dryRun) {
      runs.forEach(r -> stdout.println(r.label()));
      stdout.printf("%d runs%n", runs.size());
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
      Collection<RunResult> r = JmhRuns.run(run.include(), run.params(), settings);
      results.addAll(r);
    }
    Path json = dir.resolve(ReportWriter.RAW);
    JmhRuns.writeJson(results, json);
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

  private static Path defaultOut() {
    return Path.of(
        "bench-reports",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /** The runs of the chosen preset, or of the selection when any selection option is given. */
  List<BenchPlan.Run> plan(BenchSizes benchSizes) {
    int cores = Runtime.getRuntime().availableProcessors();
    boolean selection =
        kernels != null || sizes != null || modes != null || types != null || peers != null;
    if (selection && (preset.quick || preset.full)) {
      throw new ParameterException(
          spec.commandLine(), "--quick and --full cannot be combined with a selection");
    }
    List<BenchPlan.Run> runs = new ArrayList<>();
    if (preset.full) {
      List<Integer> all = new ArrayList<>(benchSizes.named().values());
      for (String type : List.of("float", "double")) {
        runs.addAll(BenchPlan.engine(type, BenchPlan.KERNELS, all, List.of(Mode.values()), 0));
      }
      runs.addAll(
          BenchPlan.peers(
              BenchPlan.PEER_NAMES,
              BenchPlan.PEER_KERNELS,
              List.of(benchSizes.l1(), benchSizes.l2(), benchSizes.odd(), benchSizes.dram())));
      runs.addAll(
          BenchPlan.scaling(
              BenchPlan.QUICK_KERNELS,
              benchSizes.dram(),
              List.of(Mode.MIMD, Mode.SIMD_MIMD),
              cores));
      return runs;
    }
    if (!selection) {
      runs.addAll(
          BenchPlan.engine(
              "float",
              BenchPlan.QUICK_KERNELS,
              List.of(benchSizes.l2()),
              List.of(Mode.values()),
              0));
      runs.addAll(
          BenchPlan.scaling(List.of("sum"), benchSizes.dram(), List.of(Mode.SIMD_MIMD), cores));
      runs.addAll(
          BenchPlan.peers(BenchPlan.PEER_NAMES, BenchPlan.QUICK_KERNELS, List.of(benchSizes.l2())));
      return runs;
    }
    List<String> chosenKernels = kernels != null ? kernels : BenchPlan.QUICK_KERNELS;
    for (String k : chosenKernels) {
      if (!BenchPlan.KERNELS.contains(k)) {
        throw new ParameterException(
            spec.commandLine(),
            "--kernels: unknown kernel '" + k + "'; known: " + BenchPlan.KERNELS);
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
    if (peers != null && !peers.equals(List.of("none"))) {
      for (String peer : peers) {
        if (!BenchPlan.PEER_NAMES.contains(peer)) {
          throw new ParameterException(
              spec.commandLine(),
              "--peers: unknown peer '" + peer + "'; known: " + BenchPlan.PEER_NAMES + " or none");
        }
      }
      runs.addAll(BenchPlan.peers(peers, chosenKernels, chosenSizes));
    }
    for (String type : types != null ? types : List.of("float")) {
      if (!type.equals("float") && !type.equals("double")) {
        throw new ParameterException(
            spec.commandLine(), "--types: unknown type '" + type + "'; known: float, double");
      }
      runs.addAll(
          BenchPlan.engine(
              type, chosenKernels, chosenSizes, modes != null ? modes : List.of(Mode.values()), 0));
    }
    return runs;
  }
}
