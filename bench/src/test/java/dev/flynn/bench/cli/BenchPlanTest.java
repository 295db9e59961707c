package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.nativecheck.CacheInfo;
import dev.flynn.nativecheck.CacheSize;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    assertEquals("4 runs", lines.get(lines.size() - 1));
    assertTrue(lines.get(2).startsWith("DoubleKernelBenchmark.fma size=1000"), run.out());
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
            "FloatKernelBenchmark.scale size=4096 mode=SIMD threads=0",
            "5 runs"),
        run.out().lines().toList());
    Run peer = run("bench", "--dry-run", "--peers", "blas");
    assertEquals(2, peer.status());
    assertTrue(peer.err().contains("unknown peer 'blas'"), peer.err());
  }

  @Test
  void badSelectionsAreUsageErrorsWithTheirValue() {
    Run kernel = run("bench", "--dry-run", "--kernels", "gemm");
    assertEquals(2, kernel.status());
    assertTrue(kernel.err().contains("unknown kernel 'gemm'"), kernel.err());
    Run size = run("bench", "--dry-run", "--sizes", "huge");
    assertEquals(2, size.status());
    assertTrue(size.err().contains("'huge'"), size.err());
    Run both = run("bench", "--dry-run", "--full", "--kernels", "sum");
    assertEquals(2, both.status());
    Run type = run("bench", "--dry-run", "--types", "int");
    assertEquals(2, type.status());
  }
}
