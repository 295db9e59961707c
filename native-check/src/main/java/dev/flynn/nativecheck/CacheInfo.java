package dev.flynn.nativecheck;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data cache sizes of CPU 0, each level from the first source that knows it:
 *
 * <ol>
 *   <li>sysfs, {@code /sys/devices/system/cpu/cpu0/cache/index*} ({@code level}, {@code type} Data
 *       or Unified, {@code size} like {@code 48K});
 *   <li>{@code getconf -a}: {@code LEVEL1_DCACHE_SIZE}, {@code LEVEL2_CACHE_SIZE}, {@code
 *       LEVEL3_CACHE_SIZE} in bytes, which glibc reads with CPUID, so it works in VMs and
 *       containers that hide sysfs; empty or 0 is unknown;
 *   <li>{@code /proc/cpuinfo}'s {@code cache size}, which is one level only: AMD reports the
 *       per-core L2 there, Intel the L3;
 *   <li>unknown.
 * </ol>
 *
 * <p>Sizes are per instance: the L3 of sysfs is the L3 that CPU 0 shares with its neighbours (one
 * core complex on AMD), not the sum over the socket. {@link #read} never throws.
 *
 * @param l1d the level 1 data cache
 * @param l2 the level 2 cache
 * @param l3 the level 3 cache
 */
public record CacheInfo(CacheSize l1d, CacheSize l2, CacheSize l3) {

  static final String SYSFS_CACHE = "/sys/devices/system/cpu/cpu0/cache";
  static final String GETCONF_SOURCE = "getconf (CPUID via glibc)";
  static final String AMD_SOURCE = ProcCpuinfo.PATH + " 'cache size' (AMD reports L2)";
  static final String INTEL_SOURCE = ProcCpuinfo.PATH + " 'cache size' (Intel reports L3)";

  private static final String[] GETCONF_KEYS = {
    "", "LEVEL1_DCACHE_SIZE", "LEVEL2_CACHE_SIZE", "LEVEL3_CACHE_SIZE"
  };
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([KMG]?)(?:I?B)?");
  private static final Pattern INDEX = Pattern.compile("index(\\d{1,4})");

  /** A missing level reads as unknown. */
  public CacheInfo {
    l1d = l1d == null ? CacheSize.unknown() : l1d;
    l2 = l2 == null ? CacheSize.unknown() : l2;
    l3 = l3 == null ? CacheSize.unknown() : l3;
  }

  /** Reads the three levels, each from the first source that has it. */
  public static CacheInfo read(SystemSources sources) {
    try {
      CacheSize[] levels = new CacheSize[4]; // by level; [0] unused
      fromSysfs(sources, levels);
      if (missing(levels)) {
        fromGetconf(sources.getconfOutput(), levels);
      }
      if (missing(levels)) {
        fromCpuinfo(ProcCpuinfo.read(sources), levels);
      }
      return new CacheInfo(levels[1], levels[2], levels[3]);
    } catch (RuntimeException unexpected) {
      // The readers are written not to throw; this keeps the promise if one ever does.
      return new CacheInfo(null, null, null);
    }
  }

  private static boolean missing(CacheSize[] levels) {
    return levels[1] == null || levels[2] == null || levels[3] == null;
  }

  private static void fromSysfs(SystemSources sources, CacheSize[] levels) {
    // index10 must come after index2, so order by number rather than by name.
    Map<Integer, String> indexes = new TreeMap<>();
    for (String name : sources.list(SYSFS_CACHE)) {
      Matcher m = INDEX.matcher(name);
      if (m.matches()) {
        indexes.putIfAbsent(Integer.parseInt(m.group(1)), name);
      }
    }
    for (String name : indexes.values()) {
      String dir = SYSFS_CACHE + "/" + name;
      int level = sources.readLine(dir + "/level").map(ProcCpuinfo::parseDecimal).orElse(-1);
      String type = sources.readLine(dir + "/type").orElse("");
      long bytes = sources.readLine(dir + "/size").map(CacheInfo::parseSize).orElse(-1L);
      if (level >= 1
          && level <= 3
          && levels[level] == null
          && (type.equals("Data") || type.equals("Unified"))
          && bytes > 0) {
        levels[level] = new CacheSize(bytes, "sysfs cpu0/cache/" + name);
      }
    }
  }

  private static void fromGetconf(String output, CacheSize[] levels) {
    Map<String, String> values = new HashMap<>();
    for (String line : output.lines().toList()) {
      String[] parts = line.trim().split("\\s+", 2);
      if (parts.length == 2) {
        values.putIfAbsent(parts[0], parts[1].trim());
      }
    }
    for (int level = 1; level <= 3; level++) {
      if (levels[level] == null) {
        long bytes = parseLong(values.getOrDefault(GETCONF_KEYS[level], ""));
        if (bytes > 0) {
          levels[level] = new CacheSize(bytes, GETCONF_SOURCE);
        }
      }
    }
  }

  private static void fromCpuinfo(ProcCpuinfo info, CacheSize[] levels) {
    String vendor = info.get("vendor_id").orElse("");
    int level = vendor.equals("AuthenticAMD") ? 2 : vendor.equals("GenuineIntel") ? 3 : -1;
    if (level < 0 || levels[level] != null) {
      return;
    }
    long bytes = info.get("cache size").map(CacheInfo::parseSize).orElse(-1L);
    if (bytes > 0) {
      levels[level] = new CacheSize(bytes, level == 2 ? AMD_SOURCE : INTEL_SOURCE);
    }
  }

  /**
   * Bytes from a size as sysfs ({@code 48K}, {@code 32M}) or cpuinfo ({@code 1024 KB}) write it; a
   * bare number is bytes. -1 when unreadable.
   */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long value = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          default -> 0;
        };
    return value > 0 && value <= (Long.MAX_VALUE >> shift) ? value << shift : -1;
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
