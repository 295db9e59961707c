package dev.flynn.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Your first process: start a second JVM, read what it prints, wait for its exit code.
 *
 * <p>What it teaches: a process is a whole program of its own, with its own memory; here only the
 * command line goes in, and only the child's output (through a pipe) and its exit code come back.
 * The parent starts the very {@code java} it runs on ({@link ProcessHandle.Info#command()}) with
 * its own class path, so the child can run a class of this project ({@link Child}). Read the output
 * before waiting for the exit: a child whose pipe is full (64 KiB on Linux) stops until someone
 * reads it, so a parent that waits first can wait forever. Whatever happens, the parent ends the
 * child and waits for it in {@code finally}, so no process outlives the one that started it.
 *
 * <p>What to look at in the output: two different pids, the child's parent pid (ours), the child's
 * lines arriving while it still works, its exit code, and how long one JVM takes to start and end.
 *
 * <p>Arguments: {@code [exit-code] [child-ms]}: the code the child exits with (default 3) and how
 * long it works before it does (default 100 ms).
 */
public final class FirstProcess {

  private FirstProcess() {}

  /** Runs the example with the command line's arguments, printing to standard output. */
  public static void main(String[] args) throws IOException, InterruptedException {
    run(System.out, args);
  }

  /**
   * Runs the example, printing to {@code out}; the child has ended when it returns or throws.
   *
   * @throws IllegalArgumentException for a bad argument, before the child starts
   */
  public static void run(PrintStream out, String... args) throws IOException, InterruptedException {
    Args.check("first-process", out, args, "exit-code", "child-ms");
    int exitCode = Args.get(args, 0, "exit-code", 3, 0, 255);
    int childMs = Args.get(args, 1, "child-ms", 100, 0, 600_000);

    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command =
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Child.class.getName(),
            Integer.toString(exitCode),
            Integer.toString(childMs));
    long started = System.nanoTime();
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      out.printf("parent %d started child %d%n", ProcessHandle.current().pid(), child.pid());
      try (BufferedReader lines = child.inputReader()) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          out.println("child says: " + line);
        }
      } // the end of the output: the child has closed its side, it is exiting
      int code = child.waitFor();
      out.printf(
          "child %d exited with code %d, %d ms after it was started%n",
          child.pid(), code, (System.nanoTime() - started) / 1_000_000);
    } finally {
      child.destroyForcibly(); // nothing to do when it has ended; ends it when we failed above
      child.waitFor(); // and wait until it really has
    }
  }

  /** The child's program: says who it is, works a while, exits with the code it was given. */
  public static final class Child {

    private Child() {}

    /** Arguments: exit code, milliseconds of work. */
    public static void main(String[] args) throws InterruptedException {
      ProcessHandle self = ProcessHandle.current();
      long parent = self.parent().map(ProcessHandle::pid).orElse(-1L);
      System.out.println("hello from " + self.pid() + ", child of " + parent);
      System.out.println("working for " + args[1] + " ms");
      Thread.sleep(Long.parseLong(args[1])); // the parent prints the lines above meanwhile
      System.out.println("done, exiting with code " + args[0]);
      System.exit(Integer.parseInt(args[0]));
    }
  }
}
