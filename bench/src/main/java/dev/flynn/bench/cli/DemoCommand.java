package dev.flynn.bench.cli;

import dev.flynn.bench.DemoBenchmark;
import dev.flynn.engine.Flynn;
import dev.flynn.engine.Mode;
import dev.flynn.nativecheck.VectorSupport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The main job: how much SIMD and the cores buy on this machine, measured with JMH (short
 * settings), printed as one table with the speed-up of every mode over SISD.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Print how much SIMD and the cores buy, as a table in the terminal.",
      "",
      "Measure sum, dot, axpy and exp on float arrays in every mode at three sizes",
      "(in L1, in L2, far beyond cache) with JMH, and print the speed-up over SISD.",
      "Progress goes to stderr, the table to stdout. About 2 to 3 minutes on 2 cores."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--kernels",
      split = ",",
      defaultValue = "sum,dot,axpy,exp",
      description = "kernels to measure (default: ${DEFAULT-VALUE})")
  List<String> kernels;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "4096,65536,16777216",
      description =
          "elements per array (default: ${DEFAULT-VALUE}: 16 KiB in L1, 256 KiB in L2,"
              + " 64 MiB beyond cache)")
  List<Integer> sizes;

  @Option(
      names = "--modes",
      split = ",",
      defaultValue = "SISD,SIMD,MIMD,SIMD_MIMD,AUTO",
      description = "modes to measure; SISD is needed for the speed-up (default: ${DEFAULT-VALUE})")
  List<Mode> modes;

  @Option(
      names = "--threads",
      description = "pool threads for the MIMD modes (default: all available processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--iteration-ms",
      defaultValue = "200",
      description = "JMH warm-up and measurement iteration time in ms (default: ${DEFAULT-VALUE})")
  int iterationMs;

  @Option(
      names = "--iterations",
      defaultValue = "3",
      description = "JMH warm-up and measurement iterations (default: ${DEFAULT-VALUE})")
  int iterations;

  @Spec CommandSpec spec;

  /** One measured configuration. */
  record Cell(String kernel, int size, Mode mode, double nanos, double error) {}

  @Override
  public Integer call() throws RunnerException {
    for (String kernel : kernels) {
      if (!List.of("sum", "dot", "axpy", "exp").contains(kernel)) {
        throw new ParameterException(
            spec.commandLine(),
            "--kernels: unknown kernel '" + kernel + "'; the demo has sum, dot, axpy, exp");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(header());
    out.println();
    List<Cell> cells = new ArrayList<>();
    int total = kernels.size() * sizes.size() * modes.size();
    long started = System.nanoTime();
    int done = 0;
    for (String kernel : kernels) {
      for (int size : sizes) {
        for (Mode mode : modes) {
          System.err.printf(
              Locale.ROOT,
              "[%2d/%d] %-4s %,11d floats %-9s %s%n",
              done + 1,
              total,
              kernel,
              size,
              mode,
              JmhRuns.remaining(started, done, total));
          cells.add(measure(kernel, size, mode));
          done++;
        }
      }
    }
    out.print(DemoTable.render(cells, kernels, sizes, modes));
    out.flush();
    return 0;
  }

  private String header() {
    var verdict = VectorSupport.verdict();
    String vector =
        Flynn.vectorActive()
            ? verdict.preferredVectorBits()
                + "-bit vectors (float x"
                + verdict.preferredVectorBits() / 32
                + ", double x"
                + verdict.preferredVectorBits() / 64
                + ")"
            : "no vectors (" + verdict.reasons().size() + " reasons on stderr)";
    return String.format(
        Locale.ROOT,
        "Flynn demo: %s, %d cores, %d pool threads, Java %s%nkernels: %s",
        vector,
        Runtime.getRuntime().availableProcessors(),
        threads,
        System.getProperty("java.version"),
        Flynn.kernelDescription());
  }

  private Cell measure(String kernel, int size, Mode mode) throws RunnerException {
    Collection<RunResult> results =
        JmhRuns.run(
            "^" + Pattern.quote(DemoBenchmark.class.getName()) + "\\." + kernel + "$",
            Map.of(
                "size", Integer.toString(size),
                "mode", mode.name(),
                "threads", Integer.toString(threads)),
            new JmhRuns.Settings(iterations, iterationMs, false));
    var primary = results.iterator().next().getPrimaryResult();
    return new Cell(kernel, size, mode, primary.getScore(), primary.getScoreError());
  }

  /** Groups cells for the table: kernel, then size, then mode. */
  static Map<String, Map<Integer, Map<Mode, Cell>>> index(List<Cell> cells) {
    Map<String, Map<Integer, Map<Mode, Cell>>> index = new LinkedHashMap<>();
    for (Cell c : cells) {
      index
          .computeIfAbsent(c.kernel(), k -> new LinkedHashMap<>())
          .computeIfAbsent(c.size(), s -> new LinkedHashMap<>())
          .put(c.mode(), c);
    }
    return index;
  }
}
