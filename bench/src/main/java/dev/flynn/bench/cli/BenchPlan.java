package dev.flynn.bench.cli;

import dev.flynn.engine.Mode;
import dev.flynn.engine.combine.CombineStrategy;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** Which benchmark runs a preset or a selection makes: one JMH fork per run. */
final class BenchPlan {

  /** The package of the suites. */
  static final String PACKAGE = "dev.flynn.bench";

  /**
   * Every kernel the engine's suites measure, each once whatever its element types: a suite runs
   * the ones it has a {@code @Benchmark} method for ({@link #has}), so {@code dot} is skipped for
   * long and {@code convertInts} for everything but float.
   */
  static final List<String> KERNELS =
      List.of(
          "sum",
          "dot",
          "min",
          "max",
          "add",
          "sub",
          "mul",
          "div",
          "scale",
          "axpy",
          "fma",
          "exp",
          "neg",
          "abs",
          "sqrt",
          "log",
          "tanh",
          "sigmoid",
          "relu",
          "clamp",
          "minimum",
          "maximum",
          "select",
          "selectPairwise",
          "convert",
          "argmin",
          "argmax",
          "sumOfSquares",
          "norm2",
          "mean",
          "variance",
          "sampleVariance",
          "standardDeviation",
          "count",
          "cosine",
          "squaredDistance",
          "dotScores",
          "cosineScores",
          "squaredDistanceScores",
          "prefixSum",
          "histogram",
          "convertInts",
          "gemm",
          "gemv");

  /** Each element type and its kernel suite, in the order the full preset runs them. */
  static final Map<String, String> SUITES =
      Map.of(
          "float", "FloatKernelBenchmark",
          "double", "DoubleKernelBenchmark",
          "int", "IntKernelBenchmark",
          "long", "LongKernelBenchmark");

  /** The element types, in the order the plan runs them. */
  static final List<String> TYPES = List.of("float", "double", "int", "long");

  /** The kernels over matrices, measured by {@code GemmBenchmark} on shapes instead of sizes. */
  static final List<String> MATRIX_KERNELS = List.of("gemm", "gemv");

  /** The square shapes of the full preset: in L2, beyond the LLC of most machines, and twice it. */
  static final List<String> MATRIX_SHAPES =
      List.of("256x256x256", "1024x1024x1024", "2048x2048x2048");

  /**
   * The most multiply-adds ({@code m n k}) SISD gemm is measured at. SISD gemm runs at 1 to 2
   * GFLOPS on the reference machine, so one call at 2048^3 (17 GFLOP) takes about 10 s and a fork,
   * whose six iterations each need at least one call, a minute or more; its speed-up is clear at
   * 1024^3.
   */
  static final long SISD_GEMM_MAX_MULTIPLY_ADDS = 1024L * 1024 * 1024;

  /** The shapes {@code SimilarityBenchmark} declares: rows x dim of real embedding stores. */
  static final List<String> SIMILARITY_SHAPES = List.of("10000x128", "100000x128", "1000x768");

  /** The kernels of {@code SimilarityBenchmark} that have a mode (its row-by-row variant aside). */
  static final List<String> SIMILARITY_KERNELS =
      List.of("dotScores", "cosineScores", "squaredDistanceScores");

  /**
   * The name {@code --kernels} takes for {@code CombineBenchmark}: the combining strategies of
   * {@code dev.flynn.engine.combine}, not a kernel of the element suites.
   */
  static final String COMBINE = "combine";

  /**
   * The concurrency toolkit's suites, by the name {@code --kernels} takes: each its benchmark
   * class, run at every value of every {@code @Param} the class declares ({@link #COMBINE} has its
   * own plan, {@link #combine}).
   */
  static final Map<String, String> TOOLKIT_SUITES =
      Map.of(
          "async", "AsyncBenchmark",
          "requests", "RequestsBenchmark",
          "stats", "StatsBenchmark",
          "pipeline", "PipelineBenchmark");

  /**
   * The name {@code --kernels} takes for threads against worker processes: not a JMH suite (process
   * start-up is no microbenchmark) but the comparison of {@code ./flynn processes}, whose figures
   * the report shows in their own section.
   */
  static final String PROCESSES = "processes";

  /** The name {@code --kernels} takes for the whole concurrency toolkit, in this order. */
  static final String CONCURRENCY = "concurrency";

  static final List<String> CONCURRENCY_SUITES =
      List.of(COMBINE, "async", "requests", "stats", "pipeline", PROCESSES);

  /** The worker counts {@code CombineBenchmark} is run at: contention from 1 to 8 threads. */
  static final List<Integer> COMBINE_THREADS = List.of(1, 2, 4, 8);

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

  /**
   * The engine's kernels: every kernel x mode x size, for one element type, at {@code threads}.
   * Kernels the type's suite lacks are skipped, and so are the matrix kernels (see {@link
   * #matrix}).
   */
  static List<Run> engine(
      String type, List<String> kernels, List<Integer> sizes, List<Mode> modes, int threads) {
    String benchmark = suite(type);
    List<Run> runs = new ArrayList<>();
    for (String kernel : kernels) {
      if (!has(benchmark, kernel)) {
        continue;
      }
      for (int size : sizes) {
        for (Mode mode : modes) {
          runs.add(new Run(benchmark, kernel, params(size, mode, threads)));
        }
      }
    }
    return runs;
  }

  /**
   * {@code CombineBenchmark}: every method (histogram and summary, fine and coarse grain) x every
   * strategy x {@link #COMBINE_THREADS}, at the benchmark's default size and block.
   */
  static List<Run> combine() {
    List<Run> runs = new ArrayList<>();
    for (String method : benchmarkMethods("CombineBenchmark")) {
      for (CombineStrategy strategy : CombineStrategy.values()) {
        for (int threads : COMBINE_THREADS) {
          Map<String, String> params = new LinkedHashMap<>();
          params.put("strategy", strategy.name());
          params.put("threads", Integer.toString(threads));
          runs.add(new Run("CombineBenchmark", method, params));
        }
      }
    }
    return runs;
  }

  /**
   * A suite of {@link #TOOLKIT_SUITES}: every benchmark method at every combination of the values
   * its class's {@code @Param} fields declare, one run each.
   */
  static List<Run> toolkit(String suite) {
    String benchmark = TOOLKIT_SUITES.get(suite);
    if (benchmark == null) {
      throw new IllegalArgumentException("no toolkit suite " + suite + ": " + TOOLKIT_SUITES);
    }
    List<Map<String, String>> combinations = List.of(new LinkedHashMap<>());
    for (Field field : benchmarkClass(benchmark).getFields()) {
      Param param = field.getAnnotation(Param.class);
      if (param == null) {
        continue;
      }
      List<Map<String, String>> wider = new ArrayList<>();
      for (Map<String, String> combination : combinations) {
        for (String value : param.value()) {
          Map<String, String> next = new LinkedHashMap<>(combination);
          next.put(field.getName(), value);
          wider.add(next);
        }
      }
      combinations = wider;
    }
    List<Run> runs = new ArrayList<>();
    for (String method : benchmarkMethods(benchmark)) {
      for (Map<String, String> params : combinations) {
        runs.add(new Run(benchmark, method, params));
      }
    }
    return runs;
  }

  /**
   * Whether a run keeps its class's own JMH settings rather than {@code --iterations} and {@code
   * --iteration-ms}: the toolkit suites, whose calls take up to seconds and need their own warm-up
   * (a one-pass statistics call at 64 Ki floats measured 30x too slow after the kernels' short
   * default), and whose requests suite reports percentiles in sample-time mode.
   */
  static boolean keepsItsOwnSettings(Run run) {
    return TOOLKIT_SUITES.containsValue(run.benchmark());
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

  /**
   * A library measured beside Flynn, on the same data ({@code BenchData}), in its own benchmark
   * class holding only the kernels it has.
   *
   * @param name the name on the command line and in the report
   * @param benchmark the benchmark class's simple name
   * @param peerParam the value of its {@code peer} parameter
   * @param kernels the kernels it has
   * @param threads values of its {@code threads} parameter; empty when it has none
   */
  record Peer(
      String name,
      String benchmark,
      String peerParam,
      List<String> kernels,
      List<String> threads) {}

  /** What every peer benchmark measures when the peer has it. */
  static final List<String> PEER_KERNELS =
      List.of(
          "sum",
          "dot",
          "axpy",
          "exp",
          "scale",
          "add",
          "mul",
          "norm2",
          "argmax",
          "mean",
          "sampleVariance",
          "standardDeviation",
          "cosine",
          "squaredDistance",
          "dotScores",
          "prefixSum");

  /**
   * The peers: Flynn itself in AUTO (the reference, on the peers' data), a plain Java loop (what C2
   * auto-vectorises), ND4J on one thread and on its default threads, netlib's Vector API BLAS.
   */
  static final List<Peer> PEERS =
      List.of(
          new Peer("flynn", "FlynnPeerBenchmark", "flynn-AUTO", PEER_KERNELS, List.of("0")),
          new Peer("plain-loop", "PlainLoopPeerBenchmark", "plain-loop", PEER_KERNELS, List.of()),
          new Peer("nd4j", "Nd4jPeerBenchmark", "nd4j", PEER_KERNELS, List.of("1", "0")),
          new Peer(
              "netlib",
              "NetlibPeerBenchmark",
              "netlib",
              List.of("dot", "axpy", "scale", "norm2"),
              List.of()));

  /** The names {@code --peers} accepts, Flynn's own reference aside. */
  static final List<String> PEER_NAMES = List.of("plain-loop", "nd4j", "netlib");

  /** The chosen peers (and Flynn's reference run) for every kernel they have, at every size. */
  static List<Run> peers(List<String> names, List<String> kernels, List<Integer> sizes) {
    List<Run> runs = new ArrayList<>();
    for (Peer peer : PEERS) {
      if (!peer.name().equals("flynn") && !names.contains(peer.name())) {
        continue;
      }
      for (String kernel : kernels) {
        if (!peer.kernels().contains(kernel)) {
          continue;
        }
        for (int size : sizes) {
          for (String threads : peer.threads().isEmpty() ? List.of("") : peer.threads()) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("size", Integer.toString(size));
            params.put("peer", peer.peerParam());
            if (!threads.isEmpty()) {
              params.put("threads", threads);
            }
            runs.add(new Run(peer.benchmark(), kernel, params));
          }
        }
      }
    }
    return runs;
  }

  /**
   * What a fork costs beyond its iterations, in milliseconds: starting the JVM, generating the data
   * and checking the kernel's answer. BenchSmokeTest's two forks (2048 elements, one 50 ms warm-up
   * and one 50 ms measurement iteration each) took 5.1 s with the report on 2 busy cores.
   */
  static final long FORK_OVERHEAD_MS = 2500;

  /**
   * The run count and the time it should take: {@link #FORK_OVERHEAD_MS} plus the warm-up and
   * measurement iterations per fork. A lower bound where one call outlasts an iteration (gemm at
   * 1024 and 2048, the DRAM sizes in SISD).
   */
  static String summary(List<Run> runs, int iterations, int iterationMs) {
    long ms = runs.size() * (FORK_OVERHEAD_MS + 2L * iterations * iterationMs);
    long minutes = Math.round(ms / 60_000.0);
    String time =
        minutes >= 60
            ? minutes / 60 + " h " + minutes % 60 + " min"
            : minutes > 0 ? minutes + " min" : Math.round(ms / 1000.0) + " s";
    return runs.size() + " runs, at least about " + time;
  }

  /** The kernel suite of an element type. */
  static String suite(String type) {
    String benchmark = SUITES.get(type);
    if (benchmark == null) {
      throw new IllegalArgumentException("unknown element type " + type + "; known: " + TYPES);
    }
    return benchmark;
  }

  /** Whether the benchmark class has a {@code @Benchmark} method of that name. */
  static boolean has(String benchmark, String method) {
    return benchmarkMethods(benchmark).contains(method);
  }

  private static Class<?> benchmarkClass(String benchmark) {
    try {
      return Class.forName(PACKAGE + "." + benchmark);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("no benchmark class " + benchmark, e);
    }
  }

  /** The {@code @Benchmark} methods of a class of {@link #PACKAGE}, by reflection. */
  static Set<String> benchmarkMethods(String benchmark) {
    Set<String> methods = new TreeSet<>();
    for (Method m : benchmarkClass(benchmark).getMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)) {
        methods.add(m.getName());
      }
    }
    return methods;
  }

  /**
   * {@code GemmBenchmark}'s (and {@code Nd4jGemmBenchmark}'s) method for a matrix kernel: {@code
   * gemm} for float, {@code gemmDouble} for double; null for a type it lacks (int, long).
   */
  static String matrixMethod(String type, String kernel) {
    String method =
        switch (type) {
          case "float" -> kernel;
          case "double" -> kernel + "Double";
          default -> null;
        };
    return method != null && has("GemmBenchmark", method) ? method : null;
  }

  /** Multiply-adds of a shape {@code m x n x k}. */
  static long multiplyAdds(String shape) {
    long product = 1;
    for (String dimension : shape.split("x")) {
      product *= Long.parseLong(dimension);
    }
    return product;
  }

  /**
   * The matrix kernels on {@code GemmBenchmark}: every type that has them x kernel x shape x mode.
   * SISD and SIMD never fork, so they run once, at one thread; the pooled modes run at one thread
   * and at every available processor (threads 0), which gives the scaling too. SISD gemm is skipped
   * above {@link #SISD_GEMM_MAX_MULTIPLY_ADDS}.
   */
  static List<Run> matrix(
      List<String> types, List<String> kernels, List<String> shapes, List<Mode> modes) {
    List<Run> runs = new ArrayList<>();
    for (String type : types) {
      for (String kernel : MATRIX_KERNELS) {
        String method = matrixMethod(type, kernel);
        if (!kernels.contains(kernel) || method == null) {
          continue;
        }
        for (String shape : shapes) {
          for (Mode mode : modes) {
            if (mode == Mode.SISD
                && kernel.equals("gemm")
                && multiplyAdds(shape) > SISD_GEMM_MAX_MULTIPLY_ADDS) {
              continue;
            }
            boolean pooled = mode != Mode.SISD && mode != Mode.SIMD;
            for (int threads : pooled ? List.of(1, 0) : List.of(1)) {
              Map<String, String> params = new LinkedHashMap<>();
              params.put("shape", shape);
              params.put("mode", mode.name());
              params.put("threads", Integer.toString(threads));
              runs.add(new Run("GemmBenchmark", method, params));
            }
          }
        }
      }
    }
    return runs;
  }

  /** ND4J (its bundled OpenBLAS) on the same shapes: one thread, and its default threads. */
  static List<Run> matrixPeers(List<String> types, List<String> kernels, List<String> shapes) {
    List<Run> runs = new ArrayList<>();
    for (String type : types) {
      for (String kernel : MATRIX_KERNELS) {
        String method = matrixMethod(type, kernel);
        if (!kernels.contains(kernel) || method == null) {
          continue;
        }
        for (String shape : shapes) {
          for (String threads : List.of("1", "0")) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("shape", shape);
            params.put("peer", "nd4j");
            params.put("threads", threads);
            runs.add(new Run("Nd4jGemmBenchmark", method, params));
          }
        }
      }
    }
    return runs;
  }

  /**
   * The score kernels on {@code SimilarityBenchmark}'s embedding shapes, float and double, in every
   * mode; and its row-by-row cosine in SIMD, the blocking's yardstick.
   */
  static List<Run> similarity(List<String> types, List<String> kernels, List<Mode> modes) {
    List<Run> runs = new ArrayList<>();
    for (String type : types) {
      if (!type.equals("float") && !type.equals("double")) {
        continue;
      }
      for (String shape : SIMILARITY_SHAPES) {
        for (String kernel : SIMILARITY_KERNELS) {
          if (kernels.contains(kernel)) {
            for (Mode mode : modes) {
              runs.add(new Run("SimilarityBenchmark", kernel, similarityParams(shape, mode, type)));
            }
          }
        }
        if (kernels.contains("cosineScores") && modes.contains(Mode.SIMD)) {
          runs.add(
              new Run(
                  "SimilarityBenchmark",
                  "cosineScoresRowByRow",
                  similarityParams(shape, Mode.SIMD, type)));
        }
      }
    }
    return runs;
  }

  private static Map<String, String> similarityParams(String shape, Mode mode, String type) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("shape", shape);
    params.put("mode", mode.name());
    params.put("type", type);
    params.put("threads", "0");
    return params;
  }

  private static Map<String, String> params(int size, Mode mode, int threads) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("size", Integer.toString(size));
    params.put("mode", mode.name());
    params.put("threads", Integer.toString(threads));
    return params;
  }
}
