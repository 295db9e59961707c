package dev.flynn.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a test started and did not end: threads named {@code flynn-...} that were not alive at
 * {@link #now()}, and child processes of the test JVM. Polls with a deadline, since a pool's thread
 * can still be on its way out for a moment after the pool reports that it has terminated.
 */
final class NothingLeft {

  private final Set<Thread> before = flynnThreads();

  static NothingLeft now() {
    return new NothingLeft();
  }

  /** Fails when, 10 s from now, a new flynn- thread or any child process is still alive. */
  void check() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Set<Thread> threads = flynnThreads();
      threads.removeAll(before);
      List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
      if (threads.isEmpty() && children.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("left behind: threads " + threads + ", processes " + children);
      }
      Thread.sleep(10);
    }
  }

  private static Set<Thread> flynnThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("flynn-") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }
}
