package dev.flynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each example run with small arguments: the facts its output claims, checked against values
 * computed here (closed forms, a sieve, Math.exp), and nothing left running afterwards.
 */
@Timeout(120)
class ExampleOutputTest {

  /** Runs {@code name} with {@code args}; its output, after checking that nothing is left. */
  private static String run(String name, String... args) throws Exception {
    NothingLeft nothingLeft = NothingLeft.now();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      Examples.named(name).orElseThrow().run(out, args);
    }
    nothingLeft.check();
    return printed.toString(StandardCharsets.UTF_8);
  }

  /** The groups of the first match of {@code regex} in {@code text}, or a failure quoting both. */
  private static Matcher find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for /" + regex + "/ in:\n" + text);
    return m;
  }

  private static long number(Matcher m, int group) {
    return Long.parseLong(m.group(group));
  }

  @Test
  void firstThreadPassesTheExactSumBackThroughJoin() throws Exception {
    String out = run("first-thread", "123456");
    Matcher sum = find(out, "after join: +sum of 1\\.\\.(\\d+) = (\\d+), the adder is TERMINATED");
    assertEquals(123456, number(sum, 1));
    assertEquals(123456L * 123457 / 2, number(sum, 2));
    find(out, "without join: read (\\d+), the adder is [A-Z_]+");
    find(out, "volatile: +the spinner saw stop after [\\d,.\\u00a0\\u202f']+ turns and ended");
  }

  @Test
  void firstProcessReadsTheChildAndGetsItsExitCode() throws Exception {
    String out = run("first-process", "7", "0");
    Matcher started = find(out, "parent (\\d+) started child (\\d+)");
    long parent = number(started, 1);
    long child = number(started, 2);
    assertEquals(ProcessHandle.current().pid(), parent);
    assertNotEquals(parent, child);
    find(out, "child says: hello from " + child + ", child of " + parent + "\n");
    find(out, "child says: done, exiting with code 7\n");
    find(out, "child " + child + " exited with code 7, \\d+ ms after it was started");
  }

  /** A parent that fails while its child still works ends the child and rethrows its failure. */
  @Test
  void firstProcessEndsItsChildWhenTheParentFails() throws Exception {
    NothingLeft nothingLeft = NothingLeft.now();
    RuntimeException failure = new RuntimeException("the parent's output broke");
    PrintStream breaking =
        new PrintStream(new ByteArrayOutputStream()) {
          @Override
          public void println(String line) {
            if (line.startsWith("child says")) {
              throw failure;
            }
            super.println(line);
          }
        };
    RuntimeException thrown =
        assertThrows(RuntimeException.class, () -> FirstProcess.run(breaking, "0", "600000"));
    assertSame(failure, thrown);
    nothingLeft.check(); // the child, which meant to work for 10 minutes, has gone
  }

  @Test
  void threadsAndProcessesComputeTheSameSumAndBothCostsArePrinted() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> filesBefore = exampleFiles(tmp);
    String out = run("threads-vs-processes", "20", "1", "1001");
    long expected = 1001L * 1000 / 2; // 0 + 1 + ... + 1000
    assertEquals(expected, number(find(out, "2 threads: +(\\d+) in "), 1));
    assertEquals(expected, number(find(out, "2 processes: +(\\d+) in "), 1));
    find(out, "a thread: +started in \\d+ us \\(mean of 20\\)");
    Matcher jvm =
        find(
            out,
            "a JVM: +started, ran an empty main and ended in \\d+ ms \\(best of 1\\);"
                + " it held (\\d+|\\?) KiB");
    if (Files.isReadable(Path.of("/proc/self/status"))) {
      assertTrue(number(jvm, 1) > 1024, "a JVM in under 1 MiB? " + out);
      find(
          out,
          "per thread, this process grew by -?\\d+ KiB of address space .* and -?\\d+ KiB of resident");
    }
    assertEquals(filesBefore, exampleFiles(tmp), "the temporary file was not deleted");
  }

  private static List<Path> exampleFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches("flynn-example-.*\\.longs"))
          .sorted()
          .toList();
    }
  }

  @Test
  void poolCountsThePrimesOfASieveAndEveryModeComputesExp() throws Exception {
    int below = 30_000;
    int floats = 20_000;
    String out = run("pool", "" + below, "" + floats, "2");
    boolean[] composite = new boolean[below];
    long primes = 0;
    for (int n = 2; n < below; n++) {
      if (!composite[n]) {
        primes++;
        for (long m = (long) n * n; m < below; m += n) {
          composite[(int) m] = true;
        }
      }
    }
    assertEquals(primes, number(find(out, "one thread: +(\\d+) primes in"), 1));
    assertEquals(primes, number(find(out, "ForkJoinPool\\(2\\): +(\\d+) primes in"), 1));

    double expected = 0;
    for (int i = 0; i < floats; i++) {
      expected += Math.exp((i % 1000) / 100.0 - 5); // (i % 1000) / 100f - 5f is within 1 ulp
    }
    for (String mode : List.of("SISD", "SIMD", "MIMD", "SIMD_MIMD")) {
      Matcher line = find(out, "\\n  " + mode + " .* sum of results ([0-9.eE+-]+)");
      double printed = Double.parseDouble(line.group(1));
      assertEquals(expected, printed, 2e-6 * expected, mode + " in:\n" + out);
    }
    find(out, "\\n  MIMD .*, the same bits as SISD\\n");
  }

  @Test
  void producerConsumerHandsOverEveryItemExactlyOnceAndTheProducerWaits() throws Exception {
    long items = 3000;
    String out = run("producer-consumer", "" + items, "3", "2");
    long sum = items * (items + 1) / 2;
    long squares = items * (items + 1) * (2 * items + 1) / 6;
    Matcher all = find(out, "all consumers +(\\d+) items, sum (\\d+), sum of squares (\\d+)\\n");
    assertEquals(items, number(all, 1));
    assertEquals(sum, number(all, 2));
    assertEquals(squares, number(all, 3));
    long shares = 0;
    for (int c = 1; c <= 3; c++) {
      shares += number(find(out, "consumer " + c + " +(\\d+) items, sum \\d+"), 1);
    }
    assertEquals(items, shares);
    // Consumers spend microseconds on each item, the producer nothing: with room for 2 items it
    // finds the queue full, every time but the first few.
    Matcher producer = find(out, "producer +3000 items, .*found the queue full (\\d+) times");
    assertTrue(number(producer, 1) > 0, "no back-pressure:\n" + out);
  }

  /** A consumer fails; the producer, blocked on a full queue or not, ends; the failure arrives. */
  @ParameterizedTest
  @CsvSource({"1, 1", "1, 3", "16, 1", "16, 3"})
  void aFailingConsumerStopsEveryThreadAndItsExceptionArrives(int capacity, int consumers)
      throws Exception {
    NothingLeft nothingLeft = NothingLeft.now();
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ProducerConsumer.run(out, "2000", "" + consumers, "" + capacity, "700"));
    assertTrue(e.getMessage().endsWith(" failed at item 700 (fail-at)"), e.getMessage());
    nothingLeft.check();
  }

  @Test
  void locksKeepTheExactCountTheOrderAndThePermitLimit() throws Exception {
    int threads = 3;
    int increments = 20_000;
    int items = 5_000;
    int permits = 2;
    String out = run("locks", "" + threads, "" + increments, "" + items, "" + permits);
    Matcher lock = find(out, "without a lock (\\d+) \\((-?\\d+) lost\\), with one (\\d+)\\n");
    long exact = (long) threads * increments;
    assertEquals(exact, number(lock, 3));
    assertTrue(number(lock, 1) <= exact, out);
    assertEquals(exact - number(lock, 1), number(lock, 2));
    Matcher buffer =
        find(out, "took (\\d+) items through a buffer of 4: sum (\\d+), in order: true");
    assertEquals(items, number(buffer, 1));
    assertEquals((long) items * (items + 1) / 2, number(buffer, 2));
    Matcher semaphore =
        find(out, "at most (\\d+) of 3 threads inside at once without it, (\\d+) with 2");
    assertTrue(number(semaphore, 1) >= 1 && number(semaphore, 1) <= threads, out);
    assertTrue(number(semaphore, 2) >= 1 && number(semaphore, 2) <= permits, out);
  }
}
