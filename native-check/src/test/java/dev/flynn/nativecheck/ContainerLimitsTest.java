package dev.flynn.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ContainerLimits} on cgroup v1 and v2 fixtures, nested cgroups, and broken roots. */
class ContainerLimitsTest {

  private static final String POD = "/kubepods/burstable/pod5e8d2f6b-0c1a-4c47-9a33-1f2d3c4b5a69";
  private static final ContainerLimits NO_LIMITS =
      new ContainerLimits(Double.NaN, "none", -1, "none");

  @Test
  void cgroupV2ContainerWithAQuotaOfOneAndAHalfCoresAndTwoGib() {
    ContainerLimits limits = ContainerLimits.read(Fixtures.at("container-quota"));
    assertEquals(
        new ContainerLimits(
            1.5,
            "cgroup v2 /sys/fs/cgroup/cpu.max",
            2147483648L,
            "cgroup v2 /sys/fs/cgroup/memory.max"),
        limits);
    assertEquals(2, limits.cpuLimitedCores(8));
    assertEquals(2, limits.cpuLimitedCores(2));
    assertEquals(1, limits.cpuLimitedCores(1));
  }

  @Test
  void cgroupV1KubernetesPodLimitIsFoundAboveTheContainersOwnCgroup() {
    // The container's cgroup has no limit; its pod has 1.5 cores and 2 GiB; kubepods has a looser
    // 4 cores and 8 GiB. The walk up takes the most restrictive.
    ContainerLimits limits = ContainerLimits.read(Fixtures.at("container-quota-v1"));
    assertEquals(
        new ContainerLimits(
            1.5,
            "cgroup v1 /sys/fs/cgroup/cpu,cpuacct" + POD + "/cpu.cfs_quota_us / cpu.cfs_period_us",
            2147483648L,
            "cgroup v1 /sys/fs/cgroup/memory" + POD + "/memory.limit_in_bytes"),
        limits);
    assertEquals(2, limits.cpuLimitedCores(64));
  }

  @Test
  void cgroupV1VmWithoutLimitsLikeThisOne() {
    // quota -1 and a memory limit of 9223372036854771712 (v1's "unlimited") on every level.
    ContainerLimits limits = ContainerLimits.read(Fixtures.at("vm-no-cache-info"));
    assertEquals(NO_LIMITS, limits);
    assertEquals(2, limits.cpuLimitedCores(2));
  }

  @Test
  void cgroupV2HostsWithMaxOrNoFilesHaveNoLimits() {
    assertEquals(NO_LIMITS, ContainerLimits.read(Fixtures.at("x86-avx512-server")));
    assertEquals(NO_LIMITS, ContainerLimits.read(Fixtures.at("x86-avx2-laptop")));
    assertEquals(NO_LIMITS, ContainerLimits.read(Fixtures.at("arm-sve-server")));
  }

  @Test
  void withoutMountinfoTheUsualMountPointsAreRead(@TempDir Path root) {
    Fixtures.write(root, "/sys/fs/cgroup/cpu.max", "200000 100000\n");
    Fixtures.write(root, "/sys/fs/cgroup/memory.max", "1073741824\n");
    // No /proc/self/cgroup and no mountinfo: the root cgroup files.
    assertEquals(
        new ContainerLimits(
            2.0,
            "cgroup v2 /sys/fs/cgroup/cpu.max",
            1073741824L,
            "cgroup v2 /sys/fs/cgroup/memory.max"),
        ContainerLimits.read(SystemSources.at(root, "")));

    // A cgroup path but no mountinfo: walk up from /sys/fs/cgroup/app/worker.
    Fixtures.write(root, "/proc/self/cgroup", "0::/app/worker\n");
    Fixtures.write(root, "/sys/fs/cgroup/app/cpu.max", "50000 100000\n");
    Fixtures.write(root, "/sys/fs/cgroup/app/worker/memory.max", "max\n");
    assertEquals(
        new ContainerLimits(
            0.5,
            "cgroup v2 /sys/fs/cgroup/app/cpu.max",
            1073741824L,
            "cgroup v2 /sys/fs/cgroup/memory.max"),
        ContainerLimits.read(SystemSources.at(root, "")));
  }

  @Test
  void cgroupV1WithoutMountinfoUsesTheControllerDirectories(@TempDir Path root) {
    Fixtures.write(root, "/proc/self/cgroup", "4:cpu,cpuacct:/job\n9:memory:/job\n");
    Fixtures.write(root, "/sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "300000\n");
    Fixtures.write(root, "/sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
    Fixtures.write(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "536870912\n");
    assertEquals(
        new ContainerLimits(
            3.0,
            "cgroup v1 /sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us / cpu.cfs_period_us",
            536870912L,
            "cgroup v1 /sys/fs/cgroup/memory/memory.limit_in_bytes"),
        ContainerLimits.read(SystemSources.at(root, "")));
  }

  @Test
  void aMountWhoseRootIsTheContainersCgroupIsReadAtItsMountPoint(@TempDir Path root) {
    // Docker on cgroup v1 without a cgroup namespace: /proc/self/cgroup shows the host path,
    // and the mount's root field is that same path.
    String id = "/docker/3f2a9c";
    Fixtures.write(root, "/proc/self/cgroup", "9:memory:" + id + "\n4:cpu,cpuacct:" + id + "\n");
    Fixtures.write(
        root,
        "/proc/self/mountinfo",
        "500 400 0:33 "
            + id
            + " /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:17 - cgroup cgroup"
            + " rw,memory\n"
            + "501 400 0:38 "
            + id
            + " /sys/fs/cgroup/cpu,cpuacct ro,nosuid,nodev,noexec,relatime master:22 - cgroup"
            + " cgroup rw,cpu,cpuacct\n");
    Fixtures.write(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "268435456\n");
    Fixtures.write(root, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
    Fixtures.write(root, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    assertEquals(
        new ContainerLimits(
            Double.NaN,
            "none",
            268435456L,
            "cgroup v1 /sys/fs/cgroup/memory/memory.limit_in_bytes"),
        ContainerLimits.read(SystemSources.at(root, "")));
  }

  @Test
  void anEmptyRootHasNoLimits(@TempDir Path empty) {
    ContainerLimits limits = ContainerLimits.read(SystemSources.at(empty, ""));
    assertEquals(NO_LIMITS, limits);
    assertEquals(4, limits.cpuLimitedCores(4));
  }

  @Test
  void unparseableLimitFilesAreUnknownNotAnException(@TempDir Path root) {
    Fixtures.write(root, "/proc/self/cgroup", "0::/\ngarbage\n7:\n");
    Fixtures.write(
        root,
        "/proc/self/mountinfo",
        "garbage line\n\n1 2 3\n30 22 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    Fixtures.write(root, "/sys/fs/cgroup/cpu.max", "abc def\n");
    Fixtures.write(root, "/sys/fs/cgroup/memory.max", "lots\n");
    ContainerLimits limits = ContainerLimits.read(SystemSources.at(root, ""));
    assertEquals(
        new ContainerLimits(
            Double.NaN,
            "unknown (cannot parse /sys/fs/cgroup/cpu.max)",
            -1,
            "unknown (cannot parse /sys/fs/cgroup/memory.max)"),
        limits);
    assertEquals(6, limits.cpuLimitedCores(6));

    // Zero period, negative quota, a one-field cpu.max: still no exception.
    Fixtures.write(root, "/sys/fs/cgroup/cpu.max", "100000 0\n");
    assertTrue(Double.isNaN(ContainerLimits.read(SystemSources.at(root, "")).cpuQuota()));
    Fixtures.write(root, "/sys/fs/cgroup/cpu.max", "150000\n");
    assertTrue(Double.isNaN(ContainerLimits.read(SystemSources.at(root, "")).cpuQuota()));
  }

  @Test
  void mountinfoFieldsAreParsedAndUnescaped() {
    List<ContainerLimits.Mount> mounts =
        ContainerLimits.Mount.parseAll(
            "40 30 0:37 /a\\040b /sys/fs/cgroup/unified rw,relatime shared:10 master:3 - cgroup2"
                + " cgroup2 rw,nsdelegate\n"
                + "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
    assertEquals(
        List.of(
            new ContainerLimits.Mount(
                "/a b", "/sys/fs/cgroup/unified", "cgroup2", List.of("rw", "nsdelegate")),
            new ContainerLimits.Mount(
                "/", "/sys/fs/cgroup/cpu,cpuacct", "cgroup", List.of("rw", "cpu", "cpuacct"))),
        mounts);
  }

  @Test
  void oddRecordValuesAreNormalised() {
    assertEquals(NO_LIMITS, new ContainerLimits(0, null, 0, " "));
    assertEquals(NO_LIMITS, new ContainerLimits(Double.POSITIVE_INFINITY, "none", -7, "none"));
    assertEquals(1, new ContainerLimits(0.1, "x", -1, "none").cpuLimitedCores(16));
  }

  @Test
  void thisMachineIsReadWithoutThrowing() {
    ContainerLimits limits = ContainerLimits.read(SystemSources.live());
    int available = Runtime.getRuntime().availableProcessors();
    int limited = limits.cpuLimitedCores(available);
    assertTrue(limited >= 1 && limited <= available, limits::toString);
    assertEquals(
        Double.isNaN(limits.cpuQuota()),
        limits.cpuQuotaSource().equals("none") || limits.cpuQuotaSource().startsWith("unknown"),
        limits::toString);
  }
}
