package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.bench.report.ProcessRuns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./flynn processes}: the table, the JSON, bad usage, and no child left behind. */
class ProcessesCommandTest {

  @TempDir Path temp;

  private record Run(int status, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FlynnCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @AfterEach
  void noChildLeft() throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (ProcessHandle.current().descendants().findAny().isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "child processes left: " + ProcessHandle.current().descendants().toList());
      }
      Thread.sleep(20);
    }
  }

  @Test
  void generatesMeasuresBothWaysAndWritesTheFigures() throws Exception {
    Path file = temp.resolve("values.f32");
    Path json = temp.resolve("out").resolve(ProcessRuns.FILE);
    Run run =
        cli(
            "processes",
            file.toString(),
            "--generate",
            "40000",
            "--workers",
            "2",
            "--rounds",
            "1",
            "--json",
            json.toString());
    assertEquals(0, run.status(), run.err() + run.out());
    assertEquals(40000L * Float.BYTES, Files.size(file));
    assertTrue(run.out().contains("All 2 runs agree bit for bit"), run.out());
    ProcessRuns runs = ProcessRuns.read(json);
    assertEquals(List.of("threads", "processes"), runs.runs().stream().map(r -> r.way()).toList());
    assertEquals(40000, runs.floats());
    // The bits in the table are those of a naive double sum rounded to float, or within rounding.
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    double abs = 0;
    while (b.hasRemaining()) {
      float v = b.getFloat();
      sum += v;
      abs += Math.abs(v);
    }
    String bits = runs.runs().getFirst().bits();
    float reported = Float.intBitsToFloat(Integer.parseUnsignedInt(bits.split(" ")[1], 16));
    assertEquals(sum, reported, 64 * 0x1p-24 * abs);
  }

  @Test
  void badUsageIsStatusTwoBeforeAnythingRuns() throws Exception {
    Path file = temp.resolve("v.f32");
    assertEquals(2, cli("processes", file.toString()).status()); // no such file
    Files.write(file, new byte[8]);
    assertEquals(2, cli("processes", file.toString(), "--workers", "0").status());
    assertEquals(2, cli("processes", file.toString(), "--workers", "65").status());
    assertEquals(2, cli("processes", file.toString(), "--rounds", "0").status());
    Run size = cli("processes", file.toString(), "--generate", "12Qi");
    assertEquals(2, size.status());
    assertTrue(size.err().contains("12Qi"), size.err());
    Files.write(file, new byte[6]);
    Run odd = cli("processes", file.toString(), "--workers", "1");
    assertEquals(2, odd.status());
    assertTrue(odd.err().contains("6 bytes"), odd.err());
  }

  @Test
  void sizesTakeBinarySuffixes() {
    ProcessesCommand c = new ProcessesCommand();
    c.spec = FlynnCli.commandLine().getSubcommands().get("processes").getCommandSpec();
    assertEquals(64L << 20, c.parseSize("64Mi"));
    assertEquals(3L << 10, c.parseSize("3Ki"));
    assertEquals(1L << 30, c.parseSize("1Gi"));
    assertEquals(1000, c.parseSize("1000"));
  }
}
