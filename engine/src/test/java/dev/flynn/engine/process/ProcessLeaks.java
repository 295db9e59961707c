package dev.flynn.engine.process;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Optional;

/** Polls, with a deadline, until no child process or named thread is left. */
final class ProcessLeaks {

  private static final long DEADLINE_NANOS = 15_000_000_000L;

  private ProcessLeaks() {}

  /** Fails unless this JVM has no descendant process left within the deadline. */
  static void assertNoDescendants() throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (true) {
      List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("child processes left: " + left.stream().map(ProcessLeaks::describe).toList());
      }
      Thread.sleep(20);
    }
  }

  /** Fails unless process {@code pid} has ended within the deadline. */
  static void assertEnded(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (true) {
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isEmpty() || !p.get().isAlive()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("process " + describe(p.get()) + " is still alive");
      }
      Thread.sleep(20);
    }
  }

  /** Fails unless no live thread's name starts with {@code prefix} within the deadline. */
  static void assertNoThreads(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (true) {
      List<String> left =
          Thread.getAllStackTraces().keySet().stream()
              .map(Thread::getName)
              .filter(n -> n.startsWith(prefix))
              .toList();
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("threads left: " + left);
      }
      Thread.sleep(20);
    }
  }

  private static String describe(ProcessHandle p) {
    return p.pid() + " " + p.info().commandLine().orElse("?");
  }
}
