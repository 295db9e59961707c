package dev.flynn.bench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./flynn} command-line tool. Subcommands grow with the project. */
@Command(
    name = "flynn",
    mixinStandardHelpOptions = true,
    version = "Flynn 0.1.0-SNAPSHOT",
    description = "Numeric kernels for the JVM: SISD, SIMD (Vector API), MIMD and SIMD+MIMD.",
    subcommands = {
      DemoCommand.class,
      CheckCommand.class,
      BenchCommand.class,
      JmhCommand.class,
      ExamplesCommand.class,
      ProcessesCommand.class,
      StreamCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FlynnCli implements Callable<Integer> {

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by the tests. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new FlynnCli());
    // Everything after "jmh" belongs to JMH, options included.
    cli.getSubcommands()
        .get("jmh")
        .setUnmatchedOptionsArePositionalParams(true)
        .setStopAtPositional(true);
    return cli;
  }
}
