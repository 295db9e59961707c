package dev.flynn.engine.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children are started, read and always reaped: on success, on a failed child, on bad output, on
 * timeout, on an interrupt of the caller, on close(). Each test starts two child JVMs at once
 * (about a second).
 */
class WorkerProcessesTest {

  private static final Function<WorkerProcesses.ChildOutput, List<String>> LINES =
      WorkerProcesses.ChildOutput::lines;

  @TempDir Path temp;

  @AfterEach
  void nothingLeft() throws InterruptedException {
    ProcessLeaks.assertNoDescendants();
    ProcessLeaks.assertNoThreads("flynn-process-");
  }

  private static WorkerProcesses.Builder scripted() {
    return WorkerProcesses.builder(ScriptedChild.class.getName())
        .jvmOption("-Xmx32m")
        .jvmOption("-XX:+UseSerialGC")
        .jvmOption("-XX:TieredStopAtLevel=1")
        .timeout(Duration.ofSeconds(60));
  }

  @Test
  void childrenOutputsComeBackInArgumentOrder() throws Exception {
    try (WorkerProcesses workers = scripted().build()) {
      List<WorkerProcesses.ChildOutput> out =
          workers.run(List.of(List.of("ok", "first"), List.of("ok", "second")), o -> o);
      assertEquals(List.of("ready", "first"), out.get(0).lines());
      assertEquals(List.of("ready", "second"), out.get(1).lines());
      for (WorkerProcesses.ChildOutput o : out) {
        assertTrue(o.startup().isPositive(), o.toString());
        assertTrue(o.wall().compareTo(o.startup()) >= 0, o.toString());
        assertTrue(o.pid() > 0, o.toString());
      }
    }
  }

  @Test
  void aFailedChildEndsItsSiblingAndItsGrandchildAndTheCallerSeesItsStderr() throws Exception {
    Path pidFile = temp.resolve("grandchild.pid");
    try (WorkerProcesses workers = scripted().build()) {
      WorkerProcessException e =
          assertThrows(
              WorkerProcessException.class,
              () ->
                  workers.run(
                      List.of(
                          List.of("hang-with-grandchild", pidFile.toString()), List.of("exit3")),
                      LINES));
      assertEquals(1, e.child());
      assertEquals(3, e.exitStatus());
      assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
      assertTrue(e.getMessage().contains("child failing on purpose"), e.getMessage());
    }
    // The sibling may have died before starting its grandchild: check it only when it was started.
    if (Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) {
      ProcessLeaks.assertEnded(Long.parseLong(Files.readString(pidFile).trim()));
    }
  }

  @Test
  void outputTheParserRejectsFailsTheRunWithTheParsersException() throws Exception {
    IllegalArgumentException parserError = new IllegalArgumentException("no such record");
    try (WorkerProcesses workers = scripted().build()) {
      WorkerProcessException e =
          assertThrows(
              WorkerProcessException.class,
              () ->
                  workers.run(
                      List.of(List.of("ok", "x"), List.of("hang")),
                      o -> {
                        throw parserError;
                      }));
      assertEquals(parserError, e.getCause());
      assertEquals(0, e.child());
      assertTrue(e.getMessage().contains("no such record"), e.getMessage());
    }
  }

  @Test
  void aTimeoutDestroysEveryChildEvenOneThatIgnoresSigterm() throws Exception {
    try (WorkerProcesses workers =
        scripted().timeout(Duration.ofMillis(1500)).gracePeriod(Duration.ofMillis(300)).build()) {
      TimeoutException e =
          assertThrows(
              TimeoutException.class,
              () -> workers.run(List.of(List.of("hang"), List.of("stubborn")), LINES));
      assertTrue(e.getMessage().contains("1500 ms"), e.getMessage());
    }
  }

  @Test
  void anInterruptOfTheCallerDestroysEveryChild() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (WorkerProcesses workers = scripted().build()) {
      Thread caller =
          Thread.ofPlatform()
              .name("test-caller")
              .start(
                  () -> {
                    try {
                      workers.run(List.of(List.of("hang"), List.of("hang")), LINES);
                    } catch (Throwable t) {
                      thrown.set(t);
                    }
                  });
      awaitChildren(2);
      caller.interrupt();
      caller.join(Duration.ofSeconds(30));
      assertInstanceOf(InterruptedException.class, thrown.get());
    }
  }

  @Test
  void closeDestroysTheChildrenOfARunInProgress() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    WorkerProcesses workers = scripted().build();
    Thread caller =
        Thread.ofPlatform()
            .name("test-caller")
            .start(
                () -> {
                  try {
                    workers.run(List.of(List.of("hang"), List.of("hang")), LINES);
                  } catch (Throwable t) {
                    thrown.set(t);
                  }
                });
    awaitChildren(2);
    workers.close();
    caller.join(Duration.ofSeconds(30));
    WorkerProcessException e = assertInstanceOf(WorkerProcessException.class, thrown.get());
    assertTrue(e.getMessage().contains("destroyed by close()"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> workers.run(List.of(List.of("ok")), LINES));
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingStarts() {
    assertThrows(NullPointerException.class, () -> WorkerProcesses.builder(null));
    assertThrows(IllegalArgumentException.class, () -> WorkerProcesses.builder(" "));
    WorkerProcesses.Builder b = scripted();
    assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> b.timeout(null));
    assertThrows(IllegalArgumentException.class, () -> b.gracePeriod(Duration.ofSeconds(-1)));
    IllegalArgumentException option =
        assertThrows(IllegalArgumentException.class, () -> b.jvmOption("Xmx1g"));
    assertTrue(option.getMessage().contains("Xmx1g"), option.getMessage());
    try (WorkerProcesses workers = b.build()) {
      assertThrows(NullPointerException.class, () -> workers.run(null, LINES));
      assertThrows(NullPointerException.class, () -> workers.run(List.of(List.of("ok")), null));
      assertThrows(IllegalArgumentException.class, () -> workers.run(List.of(), LINES));
      List<List<String>> withNull = new ArrayList<>();
      withNull.add(null);
      assertThrows(NullPointerException.class, () -> workers.run(withNull, LINES));
    }
  }

  @Test
  void theChildCommandIsThisJvmWithFlynnsOptionsAndClassPath() {
    try (WorkerProcesses workers = scripted().build()) {
      List<String> command = workers.command(List.of("ok", "x"));
      assertEquals(WorkerProcesses.javaExecutable(), command.getFirst());
      assertTrue(command.contains("--add-modules=jdk.incubator.vector"), command.toString());
      assertTrue(command.contains("--enable-native-access=ALL-UNNAMED"), command.toString());
      int cp = command.indexOf("-cp");
      assertEquals(System.getProperty("java.class.path"), command.get(cp + 1));
      assertEquals(
          List.of(ScriptedChild.class.getName(), "ok", "x"),
          command.subList(cp + 2, command.size()));
    }
  }

  /** Waits until this JVM has {@code n} children that have written their first line. */
  private static void awaitChildren(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (ProcessHandle.current().children().count() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the children did not start");
      }
      Thread.sleep(10);
    }
  }
}
