package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./flynn stream}: generate a file, reduce it, and check against loops written here. */
class StreamCommandTest {

  @TempDir Path dir;

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FlynnCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  private static Map<String, String> lines(String out) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0) {
        map.put(line.substring(0, colon), line.substring(colon + 2).trim());
      }
    }
    return map;
  }

  private static double[] read(Path file, boolean floats) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[b.capacity() / (floats ? 4 : 8)];
    for (int i = 0; i < values.length; i++) {
      values[i] = floats ? b.getFloat() : b.getDouble();
    }
    return values;
  }

  @Test
  void generatesAFileAndPrintsItsStatistics() throws IOException {
    Path file = dir.resolve("v.f32");
    Result generated = run("stream", "--generate", file.toString(), "--count", "200003");
    assertEquals(0, generated.status(), generated.err());
    assertEquals(200003L * 4, Files.size(file));
    double[] values = read(file, true);
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long[] bins = new long[4];
    for (double v : values) {
      assertTrue(v >= -1 && v < 1, "uniform in [-1, 1): " + v);
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      bins[(int) Math.floor((v + 1) * 2)]++;
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    Result r =
        run(
            "stream",
            file.toString(),
            "--op",
            "stats",
            "--bins",
            "4",
            "--range=-1,1",
            "--chunk",
            "64KiB",
            "--consumers",
            "3");
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err(), "no progress when stderr is not a terminal");
    Map<String, String> out = lines(r.out());
    assertEquals("200003", out.get("count"));
    assertEquals(sum, Double.parseDouble(out.get("sum")), 1e-3);
    assertEquals(min, Double.parseDouble(out.get("min")));
    assertEquals(max, Double.parseDouble(out.get("max")));
    assertEquals(squares / values.length, Double.parseDouble(out.get("variance")), 1e-6);
    assertEquals(String.valueOf(bins[0]), out.get("[-1.0, -0.5)"));
    assertEquals(String.valueOf(bins[3]), out.get("[0.5, 1.0)"));
    Result sumOnly = run("stream", file.toString(), "--op", "sum", "--chunk", "64KiB");
    assertEquals(out.get("sum"), lines(sumOnly.out()).get("sum"), "one pass or sum alone");
    Result histogram =
        run("stream", file.toString(), "--op=histogram", "--bins=4", "--range=-1,1", "--chunk=64K");
    assertEquals(String.valueOf(bins[1]), lines(histogram.out()).get("[-0.5, 0.0)"));
  }

  @Test
  void doublesAndProgressOnRequest() throws IOException {
    Path file = dir.resolve("v.f64");
    assertEquals(
        0, run("stream", "--generate", file.toString(), "--count=5000", "--type=double").status());
    double sum = 0;
    for (double v : read(file, false)) {
      sum += v;
    }
    Result r = run("stream", file.toString(), "--type=double", "--op=sum", "--progress=always");
    assertEquals(0, r.status(), r.err());
    assertEquals(sum, Double.parseDouble(lines(r.out()).get("sum")), 1e-9);
    assertTrue(r.err().contains("MB/s") && r.err().contains("(100%)"), r.err());
  }

  @Test
  void badUsageAndMissingFiles() throws IOException {
    Path file = Files.write(dir.resolve("odd.f32"), new byte[10]);
    Result missing = run("stream", dir.resolve("none.f32").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("no such file"), missing.err());
    Result odd = run("stream", file.toString());
    assertEquals(1, odd.status());
    assertTrue(odd.err().contains("10 bytes"), odd.err());
    assertUsage("--bins N and --range", "stream", file.toString(), "--op=histogram");
    assertUsage("--range LO,HI", "stream", file.toString(), "--bins=4");
    assertUsage("lo=1.0, hi=0.0", "stream", file.toString(), "--bins=4", "--range=1,0");
    assertUsage("--type", "stream", file.toString(), "--type=int");
    assertUsage("chunkBytes", "stream", file.toString(), "--chunk=12");
    assertUsage("--chunk", "stream", file.toString(), "--chunk=lots");
    assertUsage("consumers", "stream", file.toString(), "--consumers=0");
    assertUsage("--count", "stream", "--generate", file.toString());
    assertUsage("op", "stream", file.toString(), "--op=median");
  }

  private static void assertUsage(String part, String... args) {
    Result r = run(args);
    assertEquals(2, r.status(), r.out() + r.err());
    assertTrue(r.err().contains(part), r.err());
  }

  @Test
  void chunkSizesAcceptBinarySuffixes() {
    assertEquals(4096, StreamCommand.bytes("4096"));
    assertEquals(65536, StreamCommand.bytes("64K"));
    assertEquals(65536, StreamCommand.bytes("64KiB"));
    assertEquals(1 << 20, StreamCommand.bytes("1MiB"));
    assertEquals(1 << 30, StreamCommand.bytes("1g"));
  }
}
