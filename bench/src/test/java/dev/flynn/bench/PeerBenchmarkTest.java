package dev.flynn.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The peer benchmarks' checks (every kernel of every peer against the naive references; a JMH fork
 * runs the one of the kernel it times) run here at a few sizes; and the references themselves
 * reject wrong answers. ND4J stays out: its first use unpacks a 300 MB native library, too slow for
 * the test suite; its setup runs in every JMH fork.
 */
class PeerBenchmarkTest {

  @ParameterizedTest
  @ValueSource(ints = {129, 4096, 65537})
  void plainLoopsPassTheirOwnChecks(int size) {
    PlainLoopPeerBenchmark benchmark = new PlainLoopPeerBenchmark();
    benchmark.peer = "plain-loop";
    benchmark.size = size;
    benchmark.prepare();
    runEveryCheck(benchmark);
  }

  @ParameterizedTest
  @ValueSource(ints = {129, 4096, 65537})
  void netlibPassesItsChecks(int size) {
    NetlibPeerBenchmark benchmark = new NetlibPeerBenchmark();
    benchmark.peer = "netlib";
    benchmark.size = size;
    benchmark.prepare();
    runEveryCheck(benchmark);
  }

  @ParameterizedTest
  @ValueSource(strings = {"flynn-SIMD", "flynn-AUTO"})
  void flynnPassesItsChecks(String peer) {
    FlynnPeerBenchmark benchmark = new FlynnPeerBenchmark();
    benchmark.peer = peer;
    benchmark.size = 65537;
    benchmark.threads = 2;
    benchmark.prepare();
    try {
      runEveryCheck(benchmark);
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void aForkChecksItsTimedKernelAndRefusesOneWithoutACheck() {
    PlainLoopPeerBenchmark benchmark = new PlainLoopPeerBenchmark();
    benchmark.peer = "plain-loop";
    benchmark.size = 129;
    benchmark.prepare();
    benchmark.checkTimedKernel("dev.flynn.bench.PlainLoopPeerBenchmark.dot");
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> benchmark.checkTimedKernel("dev.flynn.bench.PlainLoopPeerBenchmark.gemm"));
    assertTrue(missing.getMessage().contains("no check for gemm"), missing::getMessage);
  }

  @Test
  void aPeerLabelFromAnotherClassIsRefused() {
    PlainLoopPeerBenchmark benchmark = new PlainLoopPeerBenchmark();
    benchmark.peer = "nd4j";
    benchmark.size = 16;
    assertThrows(IllegalArgumentException.class, benchmark::prepare);
  }

  private static void runEveryCheck(PeerBenchmark benchmark) {
    benchmark.checks().forEach((kernel, check) -> check.run());
  }

  @Test
  void theDataAreTheSameForEveryone() {
    BenchData first = BenchData.generate(1000);
    BenchData second = BenchData.generate(1000);
    assertArrayEquals(first.x(), second.x());
    assertArrayEquals(first.y(), second.y());
    // The first elements of a shorter array are the same numbers.
    float[] shortX = BenchData.generate(10).x();
    for (int i = 0; i < shortX.length; i++) {
      assertEquals(first.x()[i], shortX[i]);
    }
  }

  @Test
  void wrongAnswersAreRefusedWithTheirValues() {
    BenchData data = BenchData.generate(100);
    float[] x = data.x();
    float[] y = data.y();
    float[] sum = new float[100];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = x[i] + y[i];
    }
    data.checkAdd("test", sum);
    sum[42] = Math.nextUp(sum[42]);
    IllegalStateException wrong =
        assertThrows(IllegalStateException.class, () -> data.checkAdd("test", sum));
    assertTrue(
        wrong.getMessage().contains("test add gave " + sum[42] + " at [42]"), wrong::getMessage);

    double total = 0;
    for (float v : x) {
      total += v;
    }
    data.checkSum("test", total);
    assertThrows(IllegalStateException.class, () -> data.checkSum("test", 1e3));
    float[] exp = new float[100];
    assertThrows(IllegalStateException.class, () -> data.checkExp("test", exp));
    assertThrows(IllegalStateException.class, () -> data.checkMul("test", new float[99]));
  }
}
