package dev.flynn.bench.cli;

import dev.flynn.nativecheck.CacheSize;
import dev.flynn.nativecheck.Calibration;
import dev.flynn.nativecheck.MachineReport;
import dev.flynn.nativecheck.SimdVerdict;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The readable form of {@code ./flynn check}: one section per subject, one fact per line. */
final class CheckText {

  private CheckText() {}

  static String render(MachineReport r, Calibration c, Path savedTo) {
    StringBuilder out = new StringBuilder();
    out.append("Flynn check: what this machine and JVM can do\n");

    var p = r.platform();
    section(out, "Platform");
    line(out, "OS", p.os() + " " + p.osVersion() + " (" + p.architecture() + ")");
    line(
        out,
        "JVM",
        p.javaVendor() + " " + p.javaVersion() + ", " + p.vmName() + " (" + p.vmInfo() + ")");
    line(out, "JIT", p.jit());
    line(
        out,
        "HotSpot flags",
        p.hotSpotFlags().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" ")));

    var cpu = r.cpu();
    section(out, "CPU");
    line(out, "model", cpu.model() + " (" + cpu.vendor() + ", " + cpu.microarchitecture() + ")");
    line(
        out,
        "cores",
        cpu.logicalCores()
            + " logical, "
            + (cpu.physicalCores() > 0 ? cpu.physicalCores() + " physical" : "physical unknown")
            + " ("
            + cpu.physicalCoresSource()
            + "); "
            + p.availableProcessors()
            + " available to this JVM");
    line(
        out,
        "SIMD flags",
        cpu.simdFlags().isEmpty() ? "none found" : String.join(" ", cpu.simdFlags()));
    if (cpu.sveVectorBits() > 0) {
      line(out, "SVE vector length", cpu.sveVectorBits() + " bits");
    }

    section(out, "Caches");
    cache(out, "L1d", r.caches().l1d());
    cache(out, "L2", r.caches().l2());
    cache(out, "L3", r.caches().l3());

    var limits = r.container();
    section(out, "Container");
    line(
        out,
        "CPU quota",
        withSource(
            Double.isNaN(limits.cpuQuota()) ? "none" : fmt("%.2f cores", limits.cpuQuota()),
            limits.cpuQuotaSource()));
    line(
        out,
        "memory limit",
        withSource(
            limits.memoryLimitBytes() < 0 ? "none" : bytes(limits.memoryLimitBytes()),
            limits.memoryLimitSource()));

    var v = r.vectorApi();
    section(out, "Vector API");
    line(
        out,
        "module",
        v.moduleReadable() ? "jdk.incubator.vector readable" : "jdk.incubator.vector NOT readable");
    if (v.moduleReadable()) {
      line(out, "preferred width", v.preferredBits() + " bits");
      line(out, "lanes", lanes(v.lanes()));
    }

    SimdVerdict verdict = r.verdict();
    section(out, "Verdict");
    line(out, "SIMD active", verdict.active() ? "yes" : "NO");
    for (SimdVerdict.Reason reason : verdict.reasons()) {
      line(out, "why not", reason.problem());
      line(out, "  fix", reason.fix());
    }
    if (verdict.active() && !verdict.fastFma()) {
      line(out, "note", "no hardware FMA (UseFMA=false): axpy and dot use two roundings");
    }

    var rec = r.recommended();
    section(out, "Recommended engine settings");
    line(out, "threads", rec.threads() + " (" + rec.threadsReason() + ")");
    line(out, "block", rec.blockElements() + " floats (" + rec.blockReason() + ")");

    if (c != null) {
      section(out, "Measured now (best of 5, " + c.kernels() + " loops)");
      line(
          out,
          "memory triad",
          fmt(
              "%.1f GB/s on 1 thread, %.1f GB/s on %d threads",
              c.triadOneThreadGBps(), c.triadAllThreadsGBps(), c.threads()));
      line(
          out,
          "cache read",
          fmt("L1 %.0f GB/s, L2 %.0f GB/s (1 thread)", c.l1ReadGBps(), c.l2ReadGBps()));
      line(
          out,
          "peak float FMA",
          fmt(
              "%.1f GFLOPS on 1 thread, %.1f GFLOPS on %d threads",
              c.peakGflopsOneThread(), c.peakGflopsAllThreads(), c.threads()));
      line(
          out,
          "dot speed-up",
          fmt("%.1fx SIMD over scalar (4096 floats, in L1)", c.dotSimdSpeedup()));
      if (savedTo != null) {
        line(out, "saved to", savedTo.toString());
      }
    }
    return out.toString();
  }

  private static void section(StringBuilder out, String title) {
    out.append('\n').append(title).append('\n');
  }

  private static void line(StringBuilder out, String key, String value) {
    out.append(fmt("  %-18s %s%n", key, value));
  }

  private static void cache(StringBuilder out, String level, CacheSize size) {
    line(out, level, size.known() ? bytes(size.bytes()) + " (" + size.source() + ")" : "unknown");
  }

  private static String withSource(String value, String source) {
    return source.equals(value) ? value : value + " (" + source + ")";
  }

  private static String lanes(Map<String, Integer> lanes) {
    return lanes.entrySet().stream()
        .map(e -> e.getKey() + " x" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  static String bytes(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
