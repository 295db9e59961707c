package dev.flynn.engine.process;

import dev.flynn.engine.MappedFile;
import dev.flynn.engine.process.ReductionParts.Part;
import dev.flynn.engine.process.ReductionParts.Partial;
import dev.flynn.kernels.FloatSegmentKernels;
import dev.flynn.kernels.Kernels;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child side of {@link MappedFileReduction#withProcesses}: a main class that maps the file,
 * reduces a run of its parts with the engine's SIMD segment kernels and writes one line per part
 * with the partial's exact bits. Not for direct use; its command line and output are the protocol
 * between the two sides and may change.
 *
 * <p>Arguments: {@code FILE FLOATS FIRST_PART END_PART}. Output on stdout, one record per line:
 * {@code ready} as soon as {@code main} starts (the parent times the JVM's start-up by it), then
 * {@code part <n> <sum> <min> <max>} for each part (doubles' raw bits in 16 hex digits), then
 * {@code cpu-ns <n>} and {@code peak-rss-bytes <n>} (this process's CPU time and {@code VmHWM}; -1
 * when unknown). Exit status 0 on success; 2 for bad arguments or a file of another length; 1 for
 * any other failure, with the stack trace on stderr.
 */
public final class MappedFileReductionWorker {

  private MappedFileReductionWorker() {}

  /** Runs one child; see the class comment. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    out.println("ready");
    out.flush();
    int status;
    try {
      status = reduce(args, out);
    } catch (RuntimeException | java.io.IOException e) {
      e.printStackTrace();
      status = 1;
    }
    out.flush();
    System.exit(status);
  }

  private static int reduce(String[] args, PrintStream out) throws java.io.IOException {
    if (args.length != 4) {
      System.err.println(
          "usage: FILE FLOATS FIRST_PART END_PART; got " + args.length + " arguments");
      return 2;
    }
    Path file = Path.of(args[0]);
    long floats = Long.parseLong(args[1]);
    int first = Integer.parseInt(args[2]);
    int end = Integer.parseInt(args[3]);
    List<Part> parts = ReductionParts.of(floats);
    if (first < 0 || end > parts.size() || first >= end) {
      System.err.println(
          "parts [" + first + ", " + end + ") do not fit the " + parts.size() + " parts");
      return 2;
    }
    try (MappedFile mapped = MappedFile.readOnly(file)) {
      long bytes = mapped.segment().byteSize();
      if (bytes != floats * Float.BYTES) {
        System.err.println(
            file + " has " + bytes + " bytes, not the " + floats * Float.BYTES + " expected");
        return 2;
      }
      FloatSegmentKernels k = Kernels.vectorFloatSegments();
      for (int p = first; p < end; p++) {
        Partial partial = ReductionParts.reduce(k, mapped.segment(), floats, parts.get(p));
        out.println("part " + p + " " + partial.encode());
      }
    }
    out.println("cpu-ns " + ProcessFigures.cpu().toNanos());
    out.println("peak-rss-bytes " + ProcessFigures.peakRssBytes());
    return 0;
  }

  /**
   * What one child reported.
   *
   * @param first the first part it reduced
   * @param partials its partials, in part order
   * @param cpu its CPU time, whole life
   * @param peakRssBytes its peak resident set; -1 when unknown
   * @param startup until its first line, as the parent saw it
   */
  record Report(
      int first, List<Partial> partials, Duration cpu, long peakRssBytes, Duration startup) {

    /** Reads a child's output; throws {@link IllegalArgumentException} on anything unexpected. */
    static Report parse(WorkerProcesses.ChildOutput output) {
      List<String> lines = output.lines();
      if (lines.isEmpty() || !lines.getFirst().equals("ready")) {
        throw new IllegalArgumentException("no 'ready' line first: " + head(lines));
      }
      int first = -1;
      List<Partial> partials = new ArrayList<>();
      long cpu = -1;
      Long peak = null;
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(" ", 2);
        switch (f[0]) {
          case "part" -> {
            String[] g = f[1].split(" ", 2);
            int part = Integer.parseInt(g[0]);
            if (first < 0) {
              first = part;
            } else if (part != first + partials.size()) {
              throw new IllegalArgumentException("part " + part + " out of order: " + line);
            }
            partials.add(Partial.decode(g[1]));
          }
          case "cpu-ns" -> cpu = Long.parseLong(f[1]);
          case "peak-rss-bytes" -> peak = Long.parseLong(f[1]);
          default -> throw new IllegalArgumentException("unexpected line: '" + line + "'");
        }
      }
      if (partials.isEmpty() || cpu < 0 || peak == null) {
        throw new IllegalArgumentException("incomplete output: " + head(lines));
      }
      return new Report(first, partials, Duration.ofNanos(cpu), peak, output.startup());
    }

    private static String head(List<String> lines) {
      return lines.subList(0, Math.min(5, lines.size())).toString();
    }
  }
}
