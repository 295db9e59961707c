package dev.flynn.engine.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child for {@link WorkerProcessesTest} that behaves as its first argument says: {@code ok TEXT}
 * writes {@code ready} and TEXT and exits 0; {@code exit3} writes a line on stderr and exits 3;
 * {@code hang} writes {@code ready} and sleeps; {@code hang-with-grandchild PIDFILE} starts {@code
 * sleep 300}, writes its pid to PIDFILE, then sleeps; {@code stubborn} adds a shutdown hook that
 * never returns (so SIGTERM alone cannot end it), then sleeps.
 */
public final class ScriptedChild {

  private ScriptedChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "ok" -> {
        System.out.println("ready");
        System.out.println(args[1]);
      }
      case "exit3" -> {
        System.err.println("child failing on purpose");
        System.exit(3);
      }
      case "hang" -> {
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      case "hang-with-grandchild" -> {
        Process sleep = new ProcessBuilder("sleep", "300").start();
        Files.writeString(Path.of(args[1]), Long.toString(sleep.pid()));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      case "stubborn" -> {
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        Thread.sleep(Long.MAX_VALUE);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
