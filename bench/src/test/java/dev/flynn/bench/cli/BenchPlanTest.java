package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.Mode;
import dev.flynn.nativecheck.CacheInfo;
import dev.flynn.nativecheck.CacheSize;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

class BenchPlanTest {

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = FlynnCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void sizesFollowTheCachesThreeFloatArraysPerLevel() {
    CacheInfo zen5 =
        new CacheInfo(
            new CacheSize(48 << 10, "test"),
            new CacheSize(1 << 20, "test"),
            new CacheSize(532_676_608L, "test"));
    BenchSizes sizes = BenchSizes.of(zen5);
    assertEquals(4096, sizes.l1()); // 48 KiB / 12 bytes = 4096
    assertEquals(65536, sizes.l2()); // 1 MiB / 12 = 87381 -> 65536
    assertEquals(2 << 20, sizes.llc()); // the 508 MiB L3 is capped at 32 MiB: 2796202 -> 2 Mi
    assertEquals(1 << 24, sizes.dram());
    assertEquals(65536 + 7, sizes.odd());
    CacheInfo unknown =
        new CacheInfo(CacheSize.unknown(), CacheSize.unknown(), CacheSize.unknown());
    assertEquals(BenchSizes.FALLBACK, BenchSizes.of(unknown));
  }

  @Test
  void theQuickPresetMeasuresTheDemoKernelsInEveryModeWithPeersAndScaling() {
    Run run = run("bench", "--dry-run");
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    int cores = Runtime.getRuntime().availableProcessors();
    int l2 =
        BenchSizes.of(
                dev.flynn.nativecheck.CacheInfo.read(dev.flynn.nativecheck.SystemSources.live()))
            .l2();
    // 4 kernels x 5 modes, sum at 1..cores threads, 18 peer runs (Flynn AUTO, plain loop, ND4J at
    // 1 and default threads for 4 kernels; netlib for dot and axpy), then the count line.
    assertEquals(4 * 5 + cores + 18 + 1, lines.size(), run.out());
    assertEquals("FloatKernelBenchmark.sum size=" + l2 + " mode=SISD threads=0", lines.get(0));
    assertEquals("FloatKernelBenchmark.exp size=" + l2 + " mode=AUTO threads=0", lines.get(19));
    assertTrue(lines.get(20).endsWith("mode=SIMD_MIMD threads=1"), run.out());
    assertTrue(lines.get(19 + cores).endsWith("mode=SIMD_MIMD threads=" + cores), run.out());
    assertTrue(
        lines.contains("Nd4jPeerBenchmark.exp size=" + l2 + " peer=nd4j threads=1"), run.out());
    assertTrue(lines.contains("NetlibPeerBenchmark.dot size=" + l2 + " peer=netlib"), run.out());
    assertFalse(run.out().contains("NetlibPeerBenchmark.sum"), "netlib has no sum");
    assertTrue(
        lines.get(lines.size() - 1).startsWith((lines.size() - 1) + " runs, at least about"));
  }

  @Test
  void theFullPresetCoversEveryTypeGemmAndSimilarityWithRunsThatExist() throws Exception {
    Run run = run("bench", "--dry-run", "--full");
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(lines.size() - 2).startsWith("then threads against processes"));
    List<String> runs = lines.subList(0, lines.size() - 2);
    assertTrue(lines.get(lines.size() - 1).startsWith(runs.size() + " runs"), lines.getLast());
    for (String suite : List.of("Combine", "Async", "Requests", "Stats", "Pipeline")) {
      assertTrue(runs.stream().anyMatch(r -> r.startsWith(suite + "Benchmark.")), suite);
    }
    for (String type : List.of("Float", "Double", "Int", "Long")) {
      assertTrue(
          runs.stream().anyMatch(r -> r.startsWith(type + "KernelBenchmark.sum ")), type + " sum");
    }
    for (String label : runs) {
      assertRunExists(label);
    }
    assertFalse(run.out().contains("LongKernelBenchmark.dot "), "long has no dot");
    assertFalse(run.out().contains("DoubleKernelBenchmark.convertInts "), "float only");
    assertTrue(run.out().contains("FloatKernelBenchmark.convertInts "), run.out());
    assertTrue(run.out().contains("IntKernelBenchmark.prefixSum "), run.out());
    // gemm: SISD up to 1024^3 only, SIMD at one thread, SIMD_MIMD at one and all threads.
    assertTrue(
        runs.contains("GemmBenchmark.gemm shape=1024x1024x1024 mode=SISD threads=1"), run.out());
    assertFalse(run.out().contains("GemmBenchmark.gemm shape=2048x2048x2048 mode=SISD"));
    assertFalse(run.out().contains("GemmBenchmark.gemmDouble shape=2048x2048x2048 mode=SISD"));
    assertTrue(runs.contains("GemmBenchmark.gemv shape=2048x2048x2048 mode=SISD threads=1"));
    for (String shape : List.of("256x256x256", "1024x1024x1024", "2048x2048x2048")) {
      for (String method : List.of("gemm", "gemmDouble", "gemv", "gemvDouble")) {
        String prefix = "GemmBenchmark." + method + " shape=" + shape;
        assertTrue(runs.contains(prefix + " mode=SIMD threads=1"), prefix);
        assertTrue(runs.contains(prefix + " mode=SIMD_MIMD threads=1"), prefix);
        assertTrue(runs.contains(prefix + " mode=SIMD_MIMD threads=0"), prefix);
        assertFalse(runs.contains(prefix + " mode=SIMD threads=0"), "SIMD never forks");
        for (String threads : List.of("1", "0")) {
          assertTrue(
              runs.contains(
                  "Nd4jGemmBenchmark."
                      + method
                      + " shape="
                      + shape
                      + " peer=nd4j threads="
                      + threads),
              method + " nd4j " + threads);
        }
      }
    }
    // 4 methods x 3 shapes x 4 (mode, threads) pairs, less SISD gemm and gemmDouble at 2048^3.
    assertEquals(4 * 3 * 4 - 2, runs.stream().filter(r -> r.startsWith("GemmBenchmark.")).count());
    assertTrue(
        runs.contains(
            "SimilarityBenchmark.cosineScores shape=100000x128 mode=AUTO type=double threads=0"));
    assertTrue(
        runs.contains(
            "SimilarityBenchmark.cosineScoresRowByRow shape=1000x768 mode=SIMD type=float"
                + " threads=0"));
  }

  /**
   * A dry-run label names a class with that @Benchmark method, and each parameter is a @Param of
   * it; a mode is a Mode. Checked by reflection here, independently of the plan's own.
   */
  private static void assertRunExists(String label) throws Exception {
    String[] words = label.split(" ");
    String benchmark = words[0].substring(0, words[0].indexOf('.'));
    String method = words[0].substring(words[0].indexOf('.') + 1);
    Class<?> type = Class.forName("dev.flynn.bench." + benchmark);
    // by name: a benchmark method may take JMH's Blackhole
    Method m =
        Arrays.stream(type.getMethods())
            .filter(candidate -> candidate.getName().equals(method))
            .findFirst()
            .orElseThrow(() -> new AssertionError(label + ": no method " + method));
    assertTrue(m.isAnnotationPresent(Benchmark.class), label);
    for (int i = 1; i < words.length; i++) {
      String name = words[i].substring(0, words[i].indexOf('='));
      String value = words[i].substring(words[i].indexOf('=') + 1);
      Field field = type.getField(name);
      assertTrue(field.isAnnotationPresent(Param.class), label + ": " + name + " is no @Param");
      if (name.equals("mode")) {
        Mode.valueOf(value);
      }
    }
  }

  @Test
  void kernelsListsEveryKernelOfTheSuitesOnce() {
    Set<String> measured = new TreeSet<>();
    for (String suite :
        List.of(
            "FloatKernelBenchmark",
            "DoubleKernelBenchmark",
            "IntKernelBenchmark",
            "LongKernelBenchmark",
            "GemmBenchmark")) {
      try {
        for (Method m : Class.forName("dev.flynn.bench." + suite).getMethods()) {
          String name = m.getName();
          // plainXxx: the int and long suites' plain loops; xxxDouble: GemmBenchmark's double.
          if (m.isAnnotationPresent(Benchmark.class)
              && !name.startsWith("plain")
              && !name.endsWith("Double")) {
            measured.add(name);
          }
        }
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
    }
    assertEquals(
        BenchPlan.KERNELS.size(), new HashSet<>(BenchPlan.KERNELS).size(), "a kernel twice");
    assertEquals(measured, new TreeSet<>(BenchPlan.KERNELS), "KERNELS against the suites");
  }

  @Test
  void aSelectionReplacesThePreset() {
    Run run =
        run(
            "bench",
            "--dry-run",
            "--kernels",
            "fma",
            "--sizes",
            "1000,odd",
            "--modes",
            "SIMD",
            "--types",
            "float,double");
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("FloatKernelBenchmark.fma size=1000 mode=SIMD threads=0", lines.get(0));
    assertTrue(lines.get(lines.size() - 1).startsWith("4 runs, at least about "), run.out());
    assertTrue(lines.get(2).startsWith("DoubleKernelBenchmark.fma size=1000"), run.out());
  }

  @Test
  void combineRunsEveryStrategyAtEveryThreadCountOnEveryGrain() throws Exception {
    Run run =
        run("bench", "--dry-run", "--kernels", "combine,sum", "--sizes", "4096", "--modes", "SISD");
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    int strategies = dev.flynn.engine.combine.CombineStrategy.values().length;
    // 4 methods (histogram, summary x fine, coarse) x strategies x 4 thread counts, then sum
    assertTrue(lines.get(lines.size() - 1).startsWith(4 * strategies * 4 + 1 + " runs"), run.out());
    assertTrue(lines.contains("CombineBenchmark.histogramFine strategy=SYNCHRONIZED threads=8"));
    assertTrue(lines.contains("CombineBenchmark.summaryCoarse strategy=PARTIALS threads=1"));
    assertTrue(lines.contains("FloatKernelBenchmark.sum size=4096 mode=SISD threads=0"));
    for (String line : lines.subList(0, lines.size() - 1)) {
      assertRunExists(line);
    }
  }

  @Test
  void concurrencyRunsEveryToolkitSuiteAtItsParametersThenThreadsAgainstProcesses()
      throws Exception {
    Run run = run("bench", "--dry-run", "--kernels", "concurrency");
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    List<String> runs = lines.subList(0, lines.size() - 2);
    assertTrue(lines.get(lines.size() - 2).startsWith("then threads against processes"), run.out());
    assertTrue(lines.get(lines.size() - 1).startsWith(runs.size() + " runs"), run.out());
    assertTrue(runs.contains("CombineBenchmark.histogramFine strategy=PARTIALS threads=2"));
    // every @Param combination: 4 methods x 2 sizes x 2 modes x 1 thread value
    assertEquals(16, runs.stream().filter(r -> r.startsWith("AsyncBenchmark.")).count());
    assertTrue(runs.contains("RequestsBenchmark.burst way=VIRTUAL concurrency=4096 size=1024"));
    assertTrue(runs.contains("StatsBenchmark.onePass size=16777216 mode=SIMD"));
    assertTrue(runs.stream().anyMatch(r -> r.startsWith("PipelineBenchmark.pipelineSum ")));
    for (String label : runs) {
      assertRunExists(label);
    }
    Run one = run("bench", "--dry-run", "--kernels", "stats");
    assertEquals(0, one.status(), one.err());
    assertFalse(one.out().contains("threads against processes"), one.out());
    assertTrue(one.out().lines().toList().getLast().startsWith("8 runs"), one.out());
  }

  @Test
  void toolkitSuitesKeepTheirOwnJmhSettingsAndZeroIterationsAreRefused() {
    assertTrue(BenchPlan.toolkit("requests").stream().allMatch(BenchPlan::keepsItsOwnSettings));
    assertTrue(BenchPlan.toolkit("stats").stream().allMatch(BenchPlan::keepsItsOwnSettings));
    assertFalse(
        BenchPlan.engine("float", List.of("sum"), List.of(4096), List.of(Mode.SIMD), 0).stream()
            .anyMatch(BenchPlan::keepsItsOwnSettings));
    Run refused = run("bench", "--kernels", "sum", "--iterations", "0");
    assertEquals(2, refused.status(), refused.out());
    assertTrue(refused.err().contains("--iterations"), refused.err());
  }

  @Test
  void peersInASelectionRunOnlyTheKernelsTheyHave() {
    Run run =
        run(
            "bench",
            "--dry-run",
            "--kernels",
            "sum,scale",
            "--sizes",
            "4096",
            "--modes",
            "SIMD",
            "--peers",
            "netlib");
    assertEquals(0, run.status(), run.err());
    assertEquals(
        List.of(
            "FlynnPeerBenchmark.sum size=4096 peer=flynn-AUTO threads=0",
            "FlynnPeerBenchmark.scale size=4096 peer=flynn-AUTO threads=0",
            "NetlibPeerBenchmark.scale size=4096 peer=netlib",
            "FloatKernelBenchmark.sum size=4096 mode=SIMD threads=0",
            "FloatKernelBenchmark.scale size=4096 mode=SIMD threads=0"),
        run.out().lines().toList().subList(0, 5));
    Run peer = run("bench", "--dry-run", "--peers", "blas");
    assertEquals(2, peer.status());
    assertTrue(peer.err().contains("unknown peer 'blas'"), peer.err());
  }

  @Test
  void integerTypesRunOnlyTheKernelsTheyHave() {
    Run run =
        run(
            "bench",
            "--dry-run",
            "--kernels",
            "dot,prefixSum",
            "--sizes",
            "4096",
            "--modes",
            "SIMD",
            "--types",
            "float,int,long");
    assertEquals(0, run.status(), run.err());
    assertEquals(
        List.of(
            "FloatKernelBenchmark.dot size=4096 mode=SIMD threads=0",
            "FloatKernelBenchmark.prefixSum size=4096 mode=SIMD threads=0",
            "IntKernelBenchmark.dot size=4096 mode=SIMD threads=0",
            "IntKernelBenchmark.prefixSum size=4096 mode=SIMD threads=0",
            "LongKernelBenchmark.prefixSum size=4096 mode=SIMD threads=0"),
        run.out().lines().toList().subList(0, 5));
    assertTrue(run.out().lines().toList().get(5).startsWith("5 runs"), run.out());
    Run none = run("bench", "--dry-run", "--kernels", "dot", "--types", "long");
    assertEquals(2, none.status());
    assertTrue(none.err().contains("'dot' has no benchmark for the types [long]"), none.err());
  }

  @Test
  void gemmSelectionsRunGemmBenchmarkOnShapesWithNd4jAsPeer() {
    Run run =
        run(
            "bench",
            "--dry-run",
            "--kernels",
            "gemm",
            "--shapes",
            "64,300x3000x200",
            "--modes",
            "SISD,SIMD_MIMD",
            "--types",
            "double,int",
            "--peers",
            "nd4j");
    assertEquals(0, run.status(), run.err());
    assertEquals(
        List.of(
            "GemmBenchmark.gemmDouble shape=64x64x64 mode=SISD threads=1",
            "GemmBenchmark.gemmDouble shape=64x64x64 mode=SIMD_MIMD threads=1",
            "GemmBenchmark.gemmDouble shape=64x64x64 mode=SIMD_MIMD threads=0",
            "GemmBenchmark.gemmDouble shape=300x3000x200 mode=SISD threads=1",
            "GemmBenchmark.gemmDouble shape=300x3000x200 mode=SIMD_MIMD threads=1",
            "GemmBenchmark.gemmDouble shape=300x3000x200 mode=SIMD_MIMD threads=0",
            "Nd4jGemmBenchmark.gemmDouble shape=64x64x64 peer=nd4j threads=1",
            "Nd4jGemmBenchmark.gemmDouble shape=64x64x64 peer=nd4j threads=0",
            "Nd4jGemmBenchmark.gemmDouble shape=300x3000x200 peer=nd4j threads=1",
            "Nd4jGemmBenchmark.gemmDouble shape=300x3000x200 peer=nd4j threads=0"),
        run.out().lines().toList().subList(0, 10));
    Run defaults = run("bench", "--dry-run", "--kernels", "gemv");
    assertEquals(0, defaults.status(), defaults.err());
    List<String> lines = new ArrayList<>(defaults.out().lines().toList());
    lines.removeLast();
    // 3 shapes x (SISD, SIMD, SIMD_MIMD at 1 and all threads); gemv is cheap in SISD at 2048.
    assertEquals(12, lines.size(), defaults.out());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("GemmBenchmark.gemv shape=")), lines + "");
    Run shape = run("bench", "--dry-run", "--kernels", "gemm", "--shapes", "2x2");
    assertEquals(2, shape.status());
    assertTrue(shape.err().contains("--shapes: '2x2'"), shape.err());
  }

  @Test
  void badSelectionsAreUsageErrorsWithTheirValue() {
    Run kernel = run("bench", "--dry-run", "--kernels", "frobnicate");
    assertEquals(2, kernel.status());
    assertTrue(kernel.err().contains("unknown kernel 'frobnicate'"), kernel.err());
    Run size = run("bench", "--dry-run", "--sizes", "huge");
    assertEquals(2, size.status());
    assertTrue(size.err().contains("'huge'"), size.err());
    Run both = run("bench", "--dry-run", "--full", "--kernels", "sum");
    assertEquals(2, both.status());
    Run type = run("bench", "--dry-run", "--types", "bool");
    assertEquals(2, type.status());
    assertTrue(type.err().contains("unknown type 'bool'"), type.err());
  }
}
