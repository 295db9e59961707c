package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo end to end with the smallest JMH settings: two forked benchmarks, a few seconds. */
class DemoSmokeTest {

  @Test
  @Timeout(120)
  void theDemoMeasuresWithJmhAndPrintsTheTable() {
    StringWriter out = new StringWriter();
    picocli.CommandLine cli = FlynnCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int status =
        cli.execute(
            "demo",
            "--kernels=sum",
            "--sizes=4096",
            "--modes=SISD,SIMD",
            "--iterations=1",
            "--iteration-ms=50");
    String text = out.toString();
    assertEquals(0, status, text);
    assertTrue(text.startsWith("Flynn demo: "), text);
    Matcher row =
        Pattern.compile("sum +16 KiB L1 +\\S+ \\S+ +1\\.0x +\\S+ \\S+ +(\\d+\\.\\d)x")
            .matcher(text);
    assertTrue(row.find(), text);
    // Speed is not asserted here: one 50 ms iteration may not even reach C2.
    assertTrue(Double.isFinite(Double.parseDouble(row.group(1))), text);
    assertTrue(text.contains("Fastest mode per size"), text);
  }
}
