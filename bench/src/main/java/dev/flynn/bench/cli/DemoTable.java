package dev.flynn.bench.cli;

import dev.flynn.bench.cli.DemoCommand.Cell;
import dev.flynn.engine.Mode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the demo's measurements: time per call per mode, speed-up over SISD, fastest mode. */
final class DemoTable {

  /**
   * The default sizes and where they sit on the reference machine (Zen 5: 48 KiB L1d, 1 MiB L2).
   */
  private static final Map<Integer, String> PLACES =
      Map.of(4096, "L1", 65536, "L2", 16_777_216, "DRAM");

  private DemoTable() {}

  static String render(
      List<Cell> cells, List<String> kernels, List<Integer> sizes, List<Mode> modes) {
    Map<String, Map<Integer, Map<Mode, Cell>>> index = DemoCommand.index(cells);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-6s %-16s", "kernel", "size (per array)"));
    for (Mode mode : modes) {
      out.append(String.format(Locale.ROOT, " %19s", mode));
    }
    out.append('\n');
    for (String kernel : kernels) {
      for (int size : sizes) {
        Map<Mode, Cell> row = index.getOrDefault(kernel, Map.of()).getOrDefault(size, Map.of());
        Cell base = row.get(Mode.SISD);
        out.append(String.format(Locale.ROOT, "%-6s %-16s", kernel, sizeLabel(size)));
        for (Mode mode : modes) {
          Cell c = row.get(mode);
          String text = c == null ? "-" : time(c.nanos());
          if (c != null && base != null) {
            text += String.format(Locale.ROOT, " %6.1fx", base.nanos() / c.nanos());
          }
          out.append(String.format(Locale.ROOT, " %19s", text));
        }
        out.append('\n');
      }
    }
    out.append('\n').append(fastestLine(index, kernels, sizes, modes)).append('\n');
    return out.toString();
  }

  /** The fastest mode per size, by the geometric mean of its speed-up over SISD across kernels. */
  static String fastestLine(
      Map<String, Map<Integer, Map<Mode, Cell>>> index,
      List<String> kernels,
      List<Integer> sizes,
      List<Mode> modes) {
    StringBuilder line = new StringBuilder("Fastest mode per size (geometric mean over ");
    line.append(String.join(", ", kernels)).append(" of the speed-up over SISD): ");
    for (int s = 0; s < sizes.size(); s++) {
      int size = sizes.get(s);
      Mode best = null;
      double bestSpeedup = 0;
      for (Mode mode : modes) {
        double logSum = 0;
        int count = 0;
        for (String kernel : kernels) {
          Map<Mode, Cell> row = index.getOrDefault(kernel, Map.of()).getOrDefault(size, Map.of());
          Cell base = row.get(Mode.SISD);
          Cell c = row.get(mode);
          if (base != null && c != null) {
            logSum += Math.log(base.nanos() / c.nanos());
            count++;
          }
        }
        double speedup = count == 0 ? 0 : Math.exp(logSum / count);
        if (count > 0 && speedup > bestSpeedup) {
          best = mode;
          bestSpeedup = speedup;
        }
      }
      line.append(s == 0 ? "" : "; ")
          .append(sizeLabel(size))
          .append(": ")
          .append(
              best == null
                  ? "n/a (needs SISD)"
                  : best + String.format(Locale.ROOT, " %.1fx", bestSpeedup));
    }
    return line.toString();
  }

  static String sizeLabel(int size) {
    long bytes = 4L * size;
    String amount =
        bytes >= 1 << 20 && bytes % (1 << 20) == 0
            ? (bytes >> 20) + " MiB"
            : bytes >= 1024 && bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " B";
    String place = PLACES.get(size);
    return place == null ? amount : amount + " " + place;
  }

  static String time(double nanos) {
    if (nanos >= 1e6) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    if (nanos >= 1e3) {
      return String.format(Locale.ROOT, "%.2f us", nanos / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f ns", nanos);
  }
}
