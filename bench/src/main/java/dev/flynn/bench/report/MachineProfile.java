package dev.flynn.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flynn.nativecheck.Calibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine profile a report quotes: what {@code ./flynn check --measure} saves (schema {@code
 * flynn-check}, version 1, see docs/check-json.md), reduced to what a report shows. Read leniently:
 * a field the profile lacks reads as {@code "unknown"}, -1 or NaN, so that a profile from a later
 * version with added fields still reads.
 *
 * @param source where the profile was read
 * @param os operating system name and version
 * @param java JVM vendor, version and VM name
 * @param jit the JIT compiling hot code
 * @param cpu CPU vendor, model and microarchitecture
 * @param architecture CPU architecture
 * @param logicalCores logical cores
 * @param physicalCores physical cores, -1 when unknown
 * @param availableProcessors processors available to the JVM
 * @param simdFlags SIMD-relevant CPU flags
 * @param vectorBits the Vector API's preferred width in bits, 0 when not usable
 * @param floatLanes float lanes per vector, 0 when not usable
 * @param simdActive whether Flynn's vector kernels are active
 * @param simdReasons every reason SIMD is off, with its fix; empty when active
 * @param l1d the L1 data cache
 * @param l2 the L2 cache
 * @param l3 the L3 cache
 * @param cpuQuota cores allowed by the container's CPU quota, NaN when none
 * @param memoryLimitBytes the container's memory limit, -1 when none
 * @param recommendedThreads threads recommended for the MIMD modes
 * @param calibration the measured roofline, absent when the profile was saved without {@code
 *     --measure}
 */
public record MachineProfile(
    Path source,
    String os,
    String java,
    String jit,
    String cpu,
    String architecture,
    int logicalCores,
    int physicalCores,
    int availableProcessors,
    List<String> simdFlags,
    int vectorBits,
    int floatLanes,
    boolean simdActive,
    List<String> simdReasons,
    Cache l1d,
    Cache l2,
    Cache l3,
    double cpuQuota,
    long memoryLimitBytes,
    int recommendedThreads,
    Optional<Calibration> calibration) {

  /** The schema name every profile carries. */
  public static final String SCHEMA = "flynn-check";

  /** The schema version this reader understands. */
  public static final int SCHEMA_VERSION = 1;

  public MachineProfile {
    simdFlags = List.copyOf(simdFlags);
    simdReasons = List.copyOf(simdReasons);
  }

  /**
   * A cache level.
   *
   * @param bytes its size, -1 when unknown
   * @param source where the size was read
   */
  public record Cache(long bytes, String source) {

    public boolean known() {
      return bytes > 0;
    }
  }

  /**
   * Reads a profile file.
   *
   * @throws IOException when the file cannot be read, is not JSON, or is not a {@code flynn-check}
   *     document of version 1; the message names the file
   */
  public static MachineProfile read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IOException(file + ": cannot read the machine profile: " + e.getMessage(), e);
    }
    if (root == null || !SCHEMA.equals(root.path("schema").asText())) {
      throw new IOException(
          file + ": not a machine profile (expected \"schema\": \"" + SCHEMA + "\")");
    }
    if (root.path("schemaVersion").asInt(-1) != SCHEMA_VERSION) {
      throw new IOException(
          file
              + ": machine profile schema version "
              + root.path("schemaVersion")
              + ", this report reads version "
              + SCHEMA_VERSION);
    }
    return of(file, root);
  }

  private static MachineProfile of(Path source, JsonNode root) {
    JsonNode report = root.path("report");
    JsonNode platform = report.path("platform");
    JsonNode cpu = report.path("cpu");
    JsonNode caches = report.path("caches");
    JsonNode vectorApi = report.path("vectorApi");
    JsonNode verdict = report.path("verdict");
    JsonNode container = report.path("container");
    List<String> flags = new ArrayList<>();
    cpu.path("simdFlags").forEach(f -> flags.add(f.asText()));
    List<String> reasons = new ArrayList<>();
    verdict
        .path("reasons")
        .forEach(r -> reasons.add(text(r, "problem") + " (fix: " + text(r, "fix") + ")"));
    JsonNode calibration = root.path("calibration");
    Optional<Calibration> measured =
        calibration.isObject()
            ? Optional.of(
                new Calibration(
                    calibration.path("schemaVersion").asInt(-1),
                    text(calibration, "measuredAt"),
                    calibration.path("threads").asInt(-1),
                    text(calibration, "kernels"),
                    number(calibration, "triadOneThreadGBps"),
                    number(calibration, "triadAllThreadsGBps"),
                    number(calibration, "l1ReadGBps"),
                    number(calibration, "l2ReadGBps"),
                    number(calibration, "peakGflopsOneThread"),
                    number(calibration, "peakGflopsAllThreads"),
                    number(calibration, "dotSimdSpeedup")))
            : Optional.empty();
    return new MachineProfile(
        source,
        text(platform, "os") + " " + text(platform, "osVersion"),
        text(platform, "javaVendor")
            + " "
            + text(platform, "javaVersion")
            + ", "
            + text(platform, "vmName"),
        text(platform, "jit"),
        text(cpu, "vendor")
            + " "
            + text(cpu, "model")
            + " ("
            + text(cpu, "microarchitecture")
            + ")",
        text(cpu, "architecture"),
        cpu.path("logicalCores").asInt(-1),
        cpu.path("physicalCores").asInt(-1),
        platform.path("availableProcessors").asInt(-1),
        flags,
        vectorApi.path("preferredBits").asInt(0),
        vectorApi.path("lanes").path("float").asInt(0),
        verdict.path("active").asBoolean(false),
        reasons,
        cache(caches.path("l1d")),
        cache(caches.path("l2")),
        cache(caches.path("l3")),
        number(container, "cpuQuota"),
        container.path("memoryLimitBytes").asLong(-1),
        report.path("recommended").path("threads").asInt(-1),
        measured);
  }

  /** The rows a report's machine section shows, label to text, in order. */
  Map<String, String> summary() {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("CPU", cpu + ", " + architecture);
    rows.put(
        "cores",
        logicalCores
            + " logical, "
            + (physicalCores > 0 ? physicalCores + " physical" : "physical unknown")
            + "; "
            + availableProcessors
            + " available to the JVM");
    rows.put("SIMD flags", simdFlags.isEmpty() ? "none" : String.join(" ", simdFlags));
    rows.put(
        "vector width",
        vectorBits > 0
            ? vectorBits + " bits (float x" + floatLanes + ")"
            : "Vector API not usable");
    rows.put("Flynn SIMD", simdActive ? "active" : "NOT active: " + String.join("; ", simdReasons));
    rows.put(
        "caches",
        "L1d "
            + Numbers.bytes(l1d.bytes())
            + ", L2 "
            + Numbers.bytes(l2.bytes())
            + ", L3 "
            + Numbers.bytes(l3.bytes())
            + " ("
            + l1d.source()
            + ")");
    rows.put(
        "container",
        (Double.isNaN(cpuQuota) ? "no CPU quota" : "CPU quota " + cpuQuota + " cores")
            + ", "
            + (memoryLimitBytes < 0
                ? "no memory limit"
                : "memory limit " + Numbers.bytes(memoryLimitBytes)));
    rows.put("JVM", java + ", JIT " + jit);
    rows.put("OS", os);
    rows.put("recommended threads", Integer.toString(recommendedThreads));
    return rows;
  }

  private static Cache cache(JsonNode node) {
    return new Cache(node.path("bytes").asLong(-1), text(node, "source"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "unknown" : value.asText();
  }

  private static double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isNumber() ? value.doubleValue() : Double.NaN;
  }
}
