package dev.flynn.nativecheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /proc/cpuinfo} split into one {@code key: value} map per {@code processor} entry. Lines
 * before the first entry (old arm64 kernels print a {@code Processor} header there) are kept apart.
 * Lines without a colon are ignored, so garbage reads as no processors at all.
 *
 * @param processors one map per {@code processor : N} line, in file order
 * @param preamble the keys seen before the first {@code processor} line
 */
record ProcCpuinfo(List<Map<String, String>> processors, Map<String, String> preamble) {

  static final String PATH = "/proc/cpuinfo";

  static ProcCpuinfo read(SystemSources sources) {
    return parse(sources.read(PATH).orElse(""));
  }

  static ProcCpuinfo parse(String text) {
    List<Map<String, String>> processors = new ArrayList<>();
    Map<String, String> preamble = new LinkedHashMap<>();
    Map<String, String> current = preamble;
    for (String line : text.lines().toList()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.isEmpty()) {
        continue;
      }
      // Only "processor : <number>" starts an entry; arm64's "Processor : AArch64 ..." does not.
      if (key.equals("processor") && value.matches("\\d{1,9}")) {
        current = new LinkedHashMap<>();
        processors.add(current);
      }
      current.putIfAbsent(key, value);
    }
    return new ProcCpuinfo(List.copyOf(processors), Map.copyOf(preamble));
  }

  /** The value of a key in the first entry that has it, else in the preamble. */
  Optional<String> get(String key) {
    for (Map<String, String> processor : processors) {
      String value = processor.get(key);
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.ofNullable(preamble.get(key));
  }

  boolean has(String key) {
    return get(key).isPresent();
  }

  /** The value of a key as a decimal int, or -1 when absent or not a number. */
  int decimal(String key) {
    return get(key).map(ProcCpuinfo::parseDecimal).orElse(-1);
  }

  /** The value of a key written as hex ({@code 0x41}), or -1 when absent or not hex. */
  int hex(String key) {
    return get(key).map(ProcCpuinfo::parseHex).orElse(-1);
  }

  static int parseDecimal(String text) {
    try {
      int value = Integer.parseInt(text.trim());
      return value < 0 ? -1 : value;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static int parseHex(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    try {
      return t.isEmpty() || t.length() > 7 ? -1 : Integer.parseInt(t, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
