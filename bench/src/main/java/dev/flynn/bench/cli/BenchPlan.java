package dev.flynn.bench.cli;

import dev.flynn.engine.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Which benchmark runs a preset or a selection makes: one JMH fork per run. */
final class BenchPlan {

  /** The package of the suites. */
  static final String PACKAGE = "dev.flynn.bench";

  /** Every kernel the engine's suites measure. */
  static final List<String> KERNELS =
      List.of(
          "sum", "dot", "min", "max", "add", "sub", "mul", "div", "scale", "axpy", "fma", "exp");

  /** The kernels of the quick preset: the four of the demo. */
  static final List<String> QUICK_KERNELS = List.of("sum", "dot", "axpy", "exp");

  private BenchPlan() {}

  /**
   * One benchmark method with one set of parameters.
   *
   * @param benchmark the class's simple name, e.g. {@code FloatKernelBenchmark}
   * @param method the benchmark method, which is the kernel's name
   * @param params JMH parameters, e.g. size, mode, threads
   */
  record Run(String benchmark, String method, Map<String, String> params) {

    String include() {
      return "^" + Pattern.quote(PACKAGE + "." + benchmark) + "\\." + method + "$";
    }

    String label() {
      StringBuilder label = new StringBuilder(benchmark).append('.').append(method);
      params.forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
      return label.toString();
    }
  }

  /** The engine's kernels: every kernel x mode x size, for one element type, at {@code threads}. */
  static List<Run> engine(
      String type, List<String> kernels, List<Integer> sizes, List<Mode> modes, int threads) {
    String benchmark = type.equals("double") ? "DoubleKernelBenchmark" : "FloatKernelBenchmark";
    List<Run> runs = new ArrayList<>();
    for (String kernel : kernels) {
      for (int size : sizes) {
        for (Mode mode : modes) {
          runs.add(new Run(benchmark, kernel, params(size, mode, threads)));
        }
      }
    }
    return runs;
  }

  /** Thread scaling: the pooled modes at 1, 2, ... {@code maxThreads} threads. */
  static List<Run> scaling(List<String> kernels, int size, List<Mode> modes, int maxThreads) {
    List<Run> runs = new ArrayList<>();
    for (String kernel : kernels) {
      for (Mode mode : modes) {
        for (int t = 1; t <= maxThreads; t++) {
          runs.add(new Run("FloatKernelBenchmark", kernel, params(size, mode, t)));
        }
      }
    }
    return runs;
  }

  private static Map<String, String> params(int size, Mode mode, int threads) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("size", Integer.toString(size));
    params.put("mode", mode.name());
    params.put("threads", Integer.toString(threads));
    return params;
  }
}
