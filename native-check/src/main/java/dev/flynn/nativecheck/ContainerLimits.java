package dev.flynn.nativecheck;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CPU and memory limits that cgroups put on this process, as a container runtime or systemd
 * sets them. {@link #read} never throws; what can not be read is "no limit", with a source that
 * says {@code unknown} when a limit file was there but could not be parsed.
 *
 * <p>How the files are found: {@code /proc/self/cgroup} names the process's cgroup per hierarchy
 * ({@code 0::/path} for cgroup v2, {@code N:cpu,cpuacct:/path} or {@code N:memory:/path} for v1);
 * {@code /proc/self/mountinfo} tells where each hierarchy is mounted and which cgroup is the root
 * of that mount. The limit files live at the mount point plus the cgroup path relative to the
 * mount's root. Containers often put the limit on a parent cgroup (a Kubernetes pod) rather than on
 * the process's own, so every directory from the process's cgroup up to the mount point is read and
 * the most restrictive limit wins. A controller on a v1 hierarchy is read there (on hybrid systems
 * the v2 hierarchy then has no such controller); otherwise the v2 hierarchy is read. Without {@code
 * mountinfo} the usual mount points under {@code /sys/fs/cgroup} are assumed.
 *
 * @param cpuQuota how many cores' worth of CPU time the quota allows, e.g. 1.5; {@link Double#NaN}
 *     when there is no quota
 * @param cpuQuotaSource the file the quota was read from, e.g. {@code cgroup v2
 *     /sys/fs/cgroup/cpu.max}; {@value #NONE} when there is no quota
 * @param memoryLimitBytes the memory limit in bytes; -1 when there is none (v2 {@code max}, or v1's
 *     "unlimited", a number of at least 2^60)
 * @param memoryLimitSource the file the limit was read from; {@value #NONE} when there is none
 */
public record ContainerLimits(
    double cpuQuota, String cpuQuotaSource, long memoryLimitBytes, String memoryLimitSource) {

  /** The source of a limit that is not set. */
  public static final String NONE = "none";

  /** cgroup v1 writes "no limit" as a page-aligned Long.MAX_VALUE; anything this big is none. */
  static final long UNLIMITED_V1 = 1L << 60;

  static final String CGROUP_PATH = "/proc/self/cgroup";
  static final String MOUNTINFO_PATH = "/proc/self/mountinfo";
  static final String DEFAULT_MOUNT = "/sys/fs/cgroup";

  /** Odd values are normalised: a non-positive quota or limit is no limit. */
  public ContainerLimits {
    if (!(cpuQuota > 0) || Double.isInfinite(cpuQuota)) {
      cpuQuota = Double.NaN;
    }
    if (memoryLimitBytes <= 0) {
      memoryLimitBytes = -1;
    }
    cpuQuotaSource = cpuQuotaSource == null || cpuQuotaSource.isBlank() ? NONE : cpuQuotaSource;
    memoryLimitSource =
        memoryLimitSource == null || memoryLimitSource.isBlank() ? NONE : memoryLimitSource;
  }

  /**
   * How many threads are worth running given the CPU quota: {@code availableProcessors} capped at
   * the quota rounded up (a quota of 1.5 is 2 threads), or {@code availableProcessors} without a
   * quota. HotSpot's {@code availableProcessors()} already does this in containers it recognises;
   * this is for the ones it does not.
   */
  public int cpuLimitedCores(int availableProcessors) {
    if (Double.isNaN(cpuQuota)) {
      return availableProcessors;
    }
    long byQuota = Math.max(1, (long) Math.ceil(cpuQuota));
    return (int) Math.min(availableProcessors, byQuota);
  }

  /** Reads both limits. */
  public static ContainerLimits read(SystemSources sources) {
    try {
      List<CgroupLine> cgroups = CgroupLine.parseAll(sources.read(CGROUP_PATH).orElse(""));
      Optional<List<Mount>> mounts = sources.read(MOUNTINFO_PATH).map(Mount::parseAll);
      Limit cpu =
          find(
              sources,
              hierarchies(sources, "cpu", cgroups, mounts),
              ContainerLimits::readCpu,
              new Limit(Double.NaN, NONE));
      Limit memory =
          find(
              sources,
              hierarchies(sources, "memory", cgroups, mounts),
              ContainerLimits::readMemory,
              new Limit(-1, NONE));
      return new ContainerLimits(cpu.value(), cpu.source(), (long) memory.value(), memory.source());
    } catch (RuntimeException unexpected) {
      // The readers are written not to throw; this keeps the promise if one ever does.
      return new ContainerLimits(Double.NaN, NONE, -1, NONE);
    }
  }

  // ---------------------------------------------------------------- cgroup directories

  /**
   * One place to look for a controller's limits: the process's cgroup directory and the mount point
   * above which the walk up stops.
   */
  record Hierarchy(int version, String mountPoint, String leaf) {

    /** The directories from the leaf up to the mount point, both included. */
    List<String> walkUp() {
      List<String> dirs = new ArrayList<>();
      String mount = SystemSources.normalize(mountPoint);
      String dir = SystemSources.normalize(leaf);
      if (!isUnder(dir, mount)) {
        return List.of(mount); // a cgroup outside the mount (odd namespaces): read the mount only
      }
      while (true) {
        dirs.add(dir);
        if (dir.equals(mount)) {
          return dirs;
        }
        dir = dir.substring(0, Math.max(1, dir.lastIndexOf('/')));
      }
    }

    private static boolean isUnder(String dir, String mount) {
      return dir.equals(mount) || mount.equals("/") || dir.startsWith(mount + "/");
    }
  }

  private static List<Hierarchy> hierarchies(
      SystemSources sources,
      String controller,
      List<CgroupLine> cgroups,
      Optional<List<Mount>> mounts) {
    List<Hierarchy> found = new ArrayList<>();
    for (CgroupLine line : cgroups) {
      if (line.isV2() || !line.controllers().contains(controller)) {
        continue;
      }
      if (mounts.isPresent()) {
        // Containers may bind-mount one hierarchy more than once; prefer the mount that holds
        // the process's cgroup.
        List<Mount> candidates =
            mounts.get().stream()
                .filter(m -> m.fsType().equals("cgroup") && m.superOptions().contains(controller))
                .toList();
        candidates.stream()
            .filter(m -> m.holds(line.path()))
            .findFirst()
            .or(() -> candidates.stream().findFirst())
            .ifPresent(m -> found.add(new Hierarchy(1, m.mountPoint(), m.locate(line.path()))));
      } else {
        // Without mountinfo: the usual v1 layout, /sys/fs/cgroup/cpu,cpuacct or .../memory.
        for (String dir :
            List.of(
                DEFAULT_MOUNT + "/" + String.join(",", line.controllers()),
                DEFAULT_MOUNT + "/" + controller)) {
          if (sources.isDirectory(dir)) {
            found.add(new Hierarchy(1, dir, dir + line.path()));
            break;
          }
        }
      }
    }
    for (CgroupLine line : cgroups) {
      if (!line.isV2()) {
        continue;
      }
      List<Mount> candidates =
          mounts.orElse(List.of()).stream().filter(m -> m.fsType().equals("cgroup2")).toList();
      Optional<Mount> cgroup2 =
          candidates.stream()
              .filter(m -> m.holds(line.path()))
              .findFirst()
              .or(() -> candidates.stream().findFirst());
      if (cgroup2.isPresent()) {
        found.add(new Hierarchy(2, cgroup2.get().mountPoint(), cgroup2.get().locate(line.path())));
      } else if (mounts.isEmpty()) { // no mountinfo (not: no cgroup2 mount)
        found.add(new Hierarchy(2, DEFAULT_MOUNT, DEFAULT_MOUNT + line.path()));
      }
    }
    if (cgroups.isEmpty()) {
      // No /proc/self/cgroup at all: read whatever is mounted at the usual places.
      found.add(new Hierarchy(2, DEFAULT_MOUNT, DEFAULT_MOUNT));
      for (String dir :
          controller.equals("cpu")
              ? List.of(DEFAULT_MOUNT + "/cpu,cpuacct", DEFAULT_MOUNT + "/cpu")
              : List.of(DEFAULT_MOUNT + "/memory")) {
        found.add(new Hierarchy(1, dir, dir));
      }
    }
    return found;
  }

  /** One line of {@code /proc/self/cgroup}: {@code id:controller,controller:/path}. */
  record CgroupLine(String id, List<String> controllers, String path) {

    boolean isV2() {
      return id.equals("0") && controllers.isEmpty();
    }

    static List<CgroupLine> parseAll(String text) {
      List<CgroupLine> lines = new ArrayList<>();
      for (String line : text.lines().toList()) {
        // The path may itself contain ':', so split into three at the first two colons only.
        String[] parts = line.split(":", 3);
        if (parts.length == 3 && parts[2].startsWith("/")) {
          List<String> controllers = parts[1].isEmpty() ? List.of() : List.of(parts[1].split(","));
          lines.add(new CgroupLine(parts[0].trim(), controllers, parts[2].trim()));
        }
      }
      return lines;
    }
  }

  /**
   * One line of {@code /proc/self/mountinfo}: {@code id parent major:minor root mountPoint options
   * [optional fields...] - fsType source superOptions}.
   */
  record Mount(String root, String mountPoint, String fsType, List<String> superOptions) {

    /** Whether the cgroup {@code path} is this mount's root or below it. */
    boolean holds(String path) {
      String cgroup = SystemSources.normalize(path);
      String mountRoot = SystemSources.normalize(root);
      return mountRoot.equals("/")
          || cgroup.equals(mountRoot)
          || cgroup.startsWith(mountRoot + "/");
    }

    /** Where the cgroup {@code path} (as {@code /proc/self/cgroup} names it) is in this mount. */
    String locate(String path) {
      String cgroup = SystemSources.normalize(path);
      String mountRoot = SystemSources.normalize(root);
      if (mountRoot.equals("/")) {
        return SystemSources.normalize(mountPoint + cgroup);
      }
      if (cgroup.equals(mountRoot) || cgroup.startsWith(mountRoot + "/")) {
        return SystemSources.normalize(mountPoint + cgroup.substring(mountRoot.length()));
      }
      return SystemSources.normalize(mountPoint); // the process's cgroup is not in this mount
    }

    static List<Mount> parseAll(String text) {
      List<Mount> mounts = new ArrayList<>();
      for (String line : text.lines().toList()) {
        String[] fields = line.trim().split(" ");
        int dash = -1;
        for (int i = 6; i < fields.length && dash < 0; i++) { // 6 fixed fields come first
          dash = fields[i].equals("-") ? i : -1;
        }
        if (dash < 0 || fields.length <= dash + 1) {
          continue;
        }
        String superOptions = dash + 3 < fields.length ? fields[dash + 3] : "";
        mounts.add(
            new Mount(
                unescape(fields[3]),
                unescape(fields[4]),
                fields[dash + 1],
                List.of(superOptions.split(","))));
      }
      return mounts;
    }

    /**
     * mountinfo writes space, tab, newline and backslash in paths as octal escapes: {@code \040}.
     */
    static String unescape(String field) {
      StringBuilder out = new StringBuilder(field.length());
      for (int i = 0; i < field.length(); i++) {
        char c = field.charAt(i);
        if (c == '\\'
            && i + 3 < field.length()
            && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
          out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
          i += 3;
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }

  // ---------------------------------------------------------------- limit files

  /** A limit and its source; {@code value} is NaN (CPU) or -1 (memory) when none. */
  private record Limit(double value, String source) {}

  /**
   * What one cgroup directory says: a limit ({@code limited}, with its value and source), nothing,
   * or a file that was there but could not be parsed ({@code malformed} names it).
   */
  private record Reading(boolean limited, double value, String source, String malformed) {
    static final Reading ABSENT = new Reading(false, 0, null, null);

    static Reading limit(double value, String source) {
      return new Reading(true, value, source, null);
    }

    static Reading malformed(String file) {
      return new Reading(false, 0, null, file);
    }
  }

  /** How one controller's limit is read from one cgroup directory. */
  private interface LimitFile {
    Reading read(SystemSources sources, int version, String dir);
  }

  /** cgroup v2 {@code cpu.max}, or v1 {@code cpu.cfs_quota_us} over {@code cpu.cfs_period_us}. */
  private static Reading readCpu(SystemSources sources, int version, String dir) {
    if (version == 2) {
      String file = dir + "/cpu.max";
      Optional<String> text = sources.readLine(file);
      // "max 100000" is no quota; "150000 100000" is 1.5 cores.
      if (text.isEmpty() || text.get().startsWith("max")) {
        return Reading.ABSENT;
      }
      String[] parts = text.get().split("\\s+");
      long quota = parts.length == 2 ? parseLong(parts[0]) : -1;
      long period = parts.length == 2 ? parseLong(parts[1]) : -1;
      return quota > 0 && period > 0
          ? Reading.limit((double) quota / period, "cgroup v2 " + file)
          : Reading.malformed(file);
    }
    String quotaFile = dir + "/cpu.cfs_quota_us";
    Optional<String> quotaText = sources.readLine(quotaFile);
    if (quotaText.isEmpty() || quotaText.get().equals("-1")) {
      return Reading.ABSENT; // -1 is no quota
    }
    long quota = parseLong(quotaText.get());
    long period =
        sources.readLine(dir + "/cpu.cfs_period_us").map(ContainerLimits::parseLong).orElse(-1L);
    return quota > 0 && period > 0
        ? Reading.limit((double) quota / period, "cgroup v1 " + quotaFile + " / cpu.cfs_period_us")
        : Reading.malformed(quotaFile);
  }

  /** cgroup v2 {@code memory.max}, or v1 {@code memory.limit_in_bytes}. */
  private static Reading readMemory(SystemSources sources, int version, String dir) {
    String file = dir + (version == 2 ? "/memory.max" : "/memory.limit_in_bytes");
    Optional<String> text = sources.readLine(file);
    if (text.isEmpty() || text.get().equals("max")) {
      return Reading.ABSENT;
    }
    if (!text.get().matches("\\d{1,40}")) {
      return Reading.malformed(file);
    }
    BigInteger bytes = new BigInteger(text.get());
    if (bytes.signum() == 0 || bytes.compareTo(BigInteger.valueOf(UNLIMITED_V1)) >= 0) {
      return Reading.ABSENT; // v1's "unlimited" (and 0, which is no usable limit)
    }
    return Reading.limit(bytes.longValue(), "cgroup v" + version + " " + file);
  }

  /**
   * The most restrictive limit over every directory of the first hierarchy that has one; none when
   * no hierarchy has one, and unknown when a limit file could not be parsed and nothing else was
   * found.
   */
  private static Limit find(
      SystemSources sources, List<Hierarchy> hierarchies, LimitFile file, Limit none) {
    String malformed = null;
    for (Hierarchy hierarchy : hierarchies) {
      Reading best = null;
      for (String dir : hierarchy.walkUp()) {
        Reading reading = file.read(sources, hierarchy.version(), dir);
        if (reading.limited() && (best == null || reading.value() < best.value())) {
          best = reading;
        } else if (reading.malformed() != null && malformed == null) {
          malformed = reading.malformed();
        }
      }
      if (best != null) {
        return new Limit(best.value(), best.source());
      }
    }
    if (malformed != null) {
      return new Limit(none.value(), CpuInfo.UNKNOWN + " (cannot parse " + malformed + ")");
    }
    return none;
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
