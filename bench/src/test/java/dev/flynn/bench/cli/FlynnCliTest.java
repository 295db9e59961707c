package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FlynnCliTest {

  @Test
  void helpListsTheSubcommandsAndSucceeds() {
    StringWriter out = new StringWriter();
    CommandLine cli = FlynnCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--help"));
    assertTrue(out.toString().contains("demo"), out.toString());
    assertTrue(out.toString().contains("jmh"), out.toString());
  }

  @Test
  void anUnknownKernelIsABadUsageWithAMessage() {
    StringWriter err = new StringWriter();
    CommandLine cli = FlynnCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("demo", "--kernels", "sum,gemm"));
    assertTrue(err.toString().contains("unknown kernel 'gemm'"), err.toString());
  }

  @Test
  void anUnknownModeIsABadUsage() {
    CommandLine cli = FlynnCli.commandLine();
    cli.setErr(new PrintWriter(new StringWriter()));
    assertEquals(2, cli.execute("demo", "--modes", "SISD,VLIW"));
  }

  @Test
  void everythingAfterJmhGoesToJmhUnchanged() {
    CommandLine cli = FlynnCli.commandLine();
    CommandLine.ParseResult parsed =
        cli.parseArgs("jmh", "DemoBenchmark.sum", "-p", "size=65536", "-f", "1", "-h");
    JmhCommand jmh = (JmhCommand) parsed.subcommand().commandSpec().userObject();
    assertEquals(List.of("DemoBenchmark.sum", "-p", "size=65536", "-f", "1", "-h"), jmh.args);
  }
}
