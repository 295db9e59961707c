package dev.flynn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Every peer benchmark method has exactly one check of its answer ({@link PeerBenchmark#checks()}),
 * so no fork times a kernel unverified and no check names a kernel that is not timed. Building the
 * map runs no peer code, so ND4J is not loaded here.
 */
class PeerChecksTest {

  @ParameterizedTest
  @ValueSource(
      classes = {
        FlynnPeerBenchmark.class,
        PlainLoopPeerBenchmark.class,
        Nd4jPeerBenchmark.class,
        NetlibPeerBenchmark.class
      })
  void everyBenchmarkMethodHasOneCheck(Class<? extends PeerBenchmark> peer) throws Exception {
    Set<String> benchmarks =
        Arrays.stream(peer.getMethods())
            .filter(m -> m.isAnnotationPresent(Benchmark.class))
            .map(Method::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    PeerBenchmark instance = peer.getConstructor().newInstance();
    assertEquals(
        benchmarks,
        new TreeSet<>(instance.checks().keySet()),
        peer.getSimpleName() + ": benchmark methods against checks()");
  }
}
