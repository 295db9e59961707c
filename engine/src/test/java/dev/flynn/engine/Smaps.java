package dev.flynn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this process's {@code /proc/self/smaps} (Linux) for the huge-page tests. */
final class Smaps {

  private Smaps() {}

  /**
   * The line starting with {@code field} (such as {@code "THPeligible:"} or {@code "VmFlags:"}) of
   * the mapping holding {@code address}, or null if no mapping holds it.
   */
  static String line(long address, String field) throws IOException {
    boolean inside = false;
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        inside =
            Long.parseUnsignedLong(range[0], 16) <= address
                && address < Long.parseUnsignedLong(range[1], 16);
      } else if (inside && line.startsWith(field)) {
        return line;
      }
    }
    return null;
  }
}
