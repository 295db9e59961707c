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
          "histogram");

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

  private static Map<String, String> params(int size, Mode mode, int threads) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("size", Integer.toString(size));
    params.put("mode", mode.name());
    params.put("threads", Integer.toString(threads));
    return params;
  }
}
