package dev.flynn.engine.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What this process has used so far: CPU time and the peak resident set. */
final class ProcessFigures {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessFigures() {}

  /** This process's CPU time, user plus system, all threads; zero where the system does not say. */
  static Duration cpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** This process's peak resident set in bytes ({@code VmHWM}); -1 where there is no /proc. */
  static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.UTF_8)) {
        if (line.startsWith("VmHWM:")) {
          String kib = line.substring("VmHWM:".length()).replace("kB", "").trim();
          return Long.parseLong(kib) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or a /proc without the field: the figure is unknown, not zero.
    }
    return -1;
  }
}
