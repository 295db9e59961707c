package dev.flynn.engine.stream;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Checks shared by the pipeline tests. */
final class StreamTestSupport {

  private StreamTestSupport() {}

  /** Waits up to 10 s for every pipeline thread to end; fails naming those left. */
  static void assertNoPipelineThreads() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<String> left =
          Thread.getAllStackTraces().keySet().stream()
              .filter(Thread::isAlive)
              .map(Thread::getName)
              .filter(name -> name.startsWith(StreamPipeline.THREAD_PREFIX))
              .toList();
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("pipeline threads left: " + left);
      }
      Thread.sleep(5);
    }
  }
}
