package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ./flynn bench end to end on the smallest selection: two JMH forks, then the report. */
class BenchSmokeTest {

  @TempDir Path temp;

  @Test
  @Timeout(180)
  void aTinySelectionRunsJmhAndWritesTheReport() throws Exception {
    Path out = temp.resolve("report");
    StringWriter stdout = new StringWriter();
    picocli.CommandLine cli = FlynnCli.commandLine();
    cli.setOut(new PrintWriter(stdout));
    int status =
        cli.execute(
            "bench",
            "--kernels=sum",
            "--sizes=2048",
            "--modes=SISD,SIMD",
            "--iterations=1",
            "--iteration-ms=50",
            "--profile=" + temp.resolve("no-profile.json"),
            "--out=" + out);
    assertEquals(0, status, stdout.toString());
    assertTrue(
        stdout.toString().contains("Report: " + out.resolve("report.html").toAbsolutePath()));
    for (String file : new String[] {"report.html", "report.md", "jmh.json"}) {
      assertTrue(Files.size(out.resolve(file)) > 0, file);
    }
    String markdown = Files.readString(out.resolve("report.md"));
    assertTrue(markdown.matches("(?s).*\\| sum \\| 2,048 \\|.*"), markdown);
    String json = Files.readString(out.resolve("jmh.json"));
    assertTrue(json.contains("\"mode\" : \"SIMD\""), json);
    assertTrue(json.contains("gc.alloc.rate.norm"), "the GC profiler ran");
  }
}
