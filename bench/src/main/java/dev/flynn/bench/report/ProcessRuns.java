package dev.flynn.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./flynn processes} measured: one mapped file reduced by threads and by worker
 * processes, each way at each worker count for several rounds. Written as {@value #FILE} and read
 * back by the report ({@link ReportWriter} looks for it beside the JMH results), so the terminal
 * table and the report show the same figures. Process start-up is not a JMH microbenchmark (each
 * sample is a fresh JVM), so these figures come from the command, not from JMH.
 *
 * @param floats floats in the file
 * @param processors available processors of the machine that ran it
 * @param java the JVM's version
 * @param runs every run, in the order they ran
 */
public record ProcessRuns(long floats, int processors, String java, List<Run> runs) {

  /** The file name the report looks for. */
  public static final String FILE = "processes.json";

  public ProcessRuns {
    runs = List.copyOf(runs);
  }

  /**
   * One reduction.
   *
   * @param way {@code threads} or {@code processes}
   * @param workers threads or processes
   * @param round 1 for the first run of this way and count, then 2, 3...
   * @param wallNanos call to combined result
   * @param cpuNanos CPU time, user plus system (threads: this JVM's during the call; processes: the
   *     children's whole lives)
   * @param startupNanos threads: until the last thread started; processes: until the last child's
   *     first line (JVM start-up)
   * @param peakRssBytes threads: this JVM's peak resident set; processes: the sum of the
   *     children's; -1 unknown
   * @param bits the result's bits, as {@code FloatFileSummary.bits()} writes them
   */
  public record Run(
      String way,
      int workers,
      int round,
      long wallNanos,
      long cpuNanos,
      long startupNanos,
      long peakRssBytes,
      String bits) {}

  /** One way at one worker count: its first round and its fastest. */
  public record Summary(String way, int workers, Run first, Run best, int rounds) {}

  /** Per way and worker count, in the order they first ran: the first and the fastest round. */
  public List<Summary> summaries() {
    Map<String, List<Run>> groups = new LinkedHashMap<>();
    for (Run r : runs) {
      groups.computeIfAbsent(r.way() + " " + r.workers(), k -> new ArrayList<>()).add(r);
    }
    List<Summary> out = new ArrayList<>();
    for (List<Run> g : groups.values()) {
      Run best = g.stream().min(Comparator.comparingLong(Run::wallNanos)).orElseThrow();
      out.add(
          new Summary(g.getFirst().way(), g.getFirst().workers(), g.getFirst(), best, g.size()));
    }
    return out;
  }

  /** Whether every run returned the same bits. */
  public boolean agree() {
    return runs.stream().map(Run::bits).distinct().count() <= 1;
  }

  /** Writes the runs as JSON; creates the directory when missing. */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Files.writeString(
        file,
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this)
            + "\n");
  }

  /**
   * Reads a file {@link #write} wrote.
   *
   * @throws IOException when it cannot be read or is not such a file; the message names the file
   */
  public static ProcessRuns read(Path file) throws IOException {
    try {
      JsonNode root = new ObjectMapper().readTree(Files.readString(file));
      List<Run> runs = new ArrayList<>();
      for (JsonNode r : root.path("runs")) {
        runs.add(
            new Run(
                r.path("way").asText(),
                r.path("workers").asInt(),
                r.path("round").asInt(),
                r.path("wallNanos").asLong(),
                r.path("cpuNanos").asLong(),
                r.path("startupNanos").asLong(),
                r.path("peakRssBytes").asLong(-1),
                r.path("bits").asText()));
      }
      if (runs.isEmpty() || !root.has("floats")) {
        throw new IOException("no 'floats' or no 'runs'");
      }
      return new ProcessRuns(
          root.path("floats").asLong(),
          root.path("processors").asInt(),
          root.path("java").asText(),
          runs);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          file + ": not a " + FILE + " of ./flynn processes: " + e.getMessage(), e);
    }
  }
}
