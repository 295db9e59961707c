package dev.flynn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flynn.engine.Mode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The async benchmark's setup checks every variant against a naive sum; it runs here. */
class AsyncBenchmarkTest {

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyVariantPassesItsCheck(Mode mode) {
    AsyncBenchmark benchmark = new AsyncBenchmark();
    benchmark.size = 65537;
    benchmark.mode = mode;
    benchmark.threads = 2;
    benchmark.setUp();
    try {
      assertEquals(benchmark.blockingSum(), benchmark.asyncSum());
      assertEquals(benchmark.blockingTwoSums(), benchmark.asyncTwoSumsComposed());
    } finally {
      benchmark.tearDown();
    }
  }
}
