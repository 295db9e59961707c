package dev.flynn.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link CpuInfo} on each fixture, on broken and empty roots, and on this machine. */
class CpuInfoTest {

  private static final String PAIRS = "/proc/cpuinfo (physical id, core id)";
  private static final String NO_SMT = "/proc/cpuinfo (no SMT on this architecture: = logical)";

  @Test
  void sapphireRapidsServerWithTwoSocketsAndSmt() {
    CpuInfo cpu = CpuInfo.read(Fixtures.at("x86-avx512-server"));
    assertEquals(
        new CpuInfo(
            "x86_64",
            "GenuineIntel",
            "Intel(R) Xeon(R) Platinum 8488C",
            "Sapphire Rapids",
            List.of(
                "sse4_2",
                "avx",
                "avx2",
                "fma",
                "avx512f",
                "avx512bw",
                "avx512dq",
                "avx512vl",
                "avx512_vnni",
                "avx512_bf16",
                "avx512_fp16",
                "amx_tile",
                "amx_bf16",
                "amx_int8"),
            0,
            8,
            4, // core ids repeat across the two sockets: 2 sockets x 2 cores
            PAIRS),
        cpu);
    assertTrue(cpu.has("avx512f"));
    assertTrue(cpu.has("amx_tile"));
    assertFalse(cpu.has("sve"));
    assertFalse(cpu.has("avx512cd"), "present in cpuinfo, but not one of the reported flags");
  }

  @Test
  void zenPlusLaptopHasAvx2AndFmaButNoAvx512() {
    CpuInfo cpu = CpuInfo.read(Fixtures.at("x86-avx2-laptop"));
    assertEquals(
        new CpuInfo(
            "x86_64",
            "AuthenticAMD",
            "AMD Ryzen 3 3200U with Radeon Vega Mobile Gfx",
            "Zen+",
            List.of("sse4_2", "avx", "avx2", "fma"),
            0,
            4,
            2,
            PAIRS),
        cpu);
    assertTrue(cpu.has("fma"));
    assertFalse(cpu.has("avx512f"));
  }

  @Test
  void neoverseV1WithSve256() {
    CpuInfo cpu = CpuInfo.read(Fixtures.at("arm-sve-server"));
    assertEquals(
        new CpuInfo(
            "aarch64",
            "ARM",
            "Neoverse V1",
            "Neoverse V1",
            List.of("asimd", "sve"), // svei8mm and svebf16 are not sve2
            256,
            4,
            4,
            NO_SMT),
        cpu);
    assertTrue(cpu.has("sve"));
    assertFalse(cpu.has("sve2"));
  }

  @Test
  void zen5VmLikeThisOne() {
    CpuInfo cpu = CpuInfo.read(Fixtures.at("vm-no-cache-info"));
    assertEquals(
        new CpuInfo(
            "x86_64",
            "AuthenticAMD",
            "AMD EPYC",
            "Zen 5",
            List.of(
                "sse4_2",
                "avx",
                "avx2",
                "fma",
                "avx512f",
                "avx512bw",
                "avx512dq",
                "avx512vl",
                "avx512_vnni",
                "avx512_bf16"),
            0,
            2,
            2,
            PAIRS),
        cpu);
    assertFalse(cpu.has("avx_vnni"), "avx_vnni is not avx512_vnni and is not reported");
  }

  @Test
  void anEmptyRootIsAllUnknown(@TempDir Path empty) {
    assertEquals(
        new CpuInfo("unknown", "unknown", "unknown", "unknown", List.of(), 0, 0, -1, "unknown"),
        CpuInfo.read(SystemSources.at(empty, "")));
    assertEquals(
        new CpuInfo("unknown", "unknown", "unknown", "unknown", List.of(), 0, 0, -1, "unknown"),
        CpuInfo.read(SystemSources.at(empty.resolve("does-not-exist"), "")));
  }

  @Test
  void garbageIsUnknown(@TempDir Path root) throws IOException {
    Fixtures.write(root, "/proc/cpuinfo", "\u0000\u0001garbage\n::::\nprocessor : zero\n: x\n");
    Fixtures.write(root, "/proc/sys/abi/sve_default_vector_length", "lots");
    assertEquals(
        new CpuInfo("unknown", "unknown", "unknown", "unknown", List.of(), 0, 0, -1, "unknown"),
        CpuInfo.read(SystemSources.at(root, "")));

    Files.write(root.resolve("proc/cpuinfo"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 10, 13});
    assertEquals(0, CpuInfo.read(SystemSources.at(root, "")).logicalCores());

    // A directory where the file should be.
    Files.delete(root.resolve("proc/cpuinfo"));
    Files.createDirectories(root.resolve("proc/cpuinfo"));
    assertEquals("unknown", CpuInfo.read(SystemSources.at(root, "")).vendor());
  }

  @Test
  void x86EntriesWithUnreadableNumbersKeepWhatIsReadable(@TempDir Path root) {
    Fixtures.write(
        root,
        "/proc/cpuinfo",
        """
        processor\t: 0
        vendor_id\t: GenuineIntel
        cpu family\t: six
        model\t\t: 0x8f
        model name\t: Intel(R)   Xeon(R)    CPU
        flags\t\t: fpu avx2 fma
        """);
    assertEquals(
        new CpuInfo(
            "x86_64",
            "GenuineIntel",
            "Intel(R) Xeon(R) CPU",
            "unknown",
            List.of("avx2", "fma"),
            0,
            1,
            -1, // no physical id / core id: a VM that hides the topology
            "unknown"),
        CpuInfo.read(SystemSources.at(root, "")));
  }

  @Test
  void sveWithoutTheLengthFileIsZeroBitsAndUnknownPartsAreUnknown(@TempDir Path root) {
    Fixtures.write(
        root,
        "/proc/cpuinfo",
        """
        processor\t: 0
        Features\t: fp asimd sve sve2
        CPU implementer\t: 0x99
        CPU architecture: 8
        CPU part\t: 0x123

        processor\t: 1
        Features\t: fp asimd sve sve2
        CPU implementer\t: 0x99
        CPU architecture: 8
        CPU part\t: 0x123
        """);
    assertEquals(
        new CpuInfo(
            "aarch64",
            "unknown",
            "unknown",
            "unknown",
            List.of("asimd", "sve", "sve2"),
            0,
            2,
            2,
            NO_SMT),
        CpuInfo.read(SystemSources.at(root, "")));
  }

  @ParameterizedTest(name = "{0} family {1} model {2} stepping {3} is {4}")
  @CsvSource({
    "GenuineIntel, 6, 0x55, 4, Skylake-SP",
    "GenuineIntel, 6, 0x55, 7, Cascade Lake",
    "GenuineIntel, 6, 0x55, 11, Cooper Lake",
    "GenuineIntel, 6, 0x55, -1, Skylake-SP/Cascade Lake",
    "GenuineIntel, 6, 0x3F, 2, Haswell-EP",
    "GenuineIntel, 6, 0x4F, 1, Broadwell-EP",
    "GenuineIntel, 6, 0x6A, 6, Ice Lake-SP",
    "GenuineIntel, 6, 0x8C, 1, Tiger Lake",
    "GenuineIntel, 6, 0x97, 2, Alder Lake",
    "GenuineIntel, 6, 0xB7, 1, Raptor Lake",
    "GenuineIntel, 6, 0xCF, 2, Emerald Rapids",
    "GenuineIntel, 6, 0xAD, 1, Granite Rapids",
    "GenuineIntel, 6, 0xAA, 4, Meteor Lake",
    "GenuineIntel, 6, 0x01, 1, unknown",
    "GenuineIntel, 19, 0x01, 1, unknown",
    "AuthenticAMD, 23, 0x01, 2, Zen",
    "AuthenticAMD, 23, 0x08, 2, Zen+",
    "AuthenticAMD, 23, 0x31, 0, Zen 2",
    "AuthenticAMD, 23, 0x71, 0, Zen 2",
    "AuthenticAMD, 25, 0x01, 1, Zen 3",
    "AuthenticAMD, 25, 0x21, 0, Zen 3",
    "AuthenticAMD, 25, 0x44, 1, Zen 3+",
    "AuthenticAMD, 25, 0x11, 1, Zen 4",
    "AuthenticAMD, 25, 0x61, 2, Zen 4",
    "AuthenticAMD, 25, 0xA0, 1, Zen 4",
    "AuthenticAMD, 26, 0x02, 1, Zen 5",
    "AuthenticAMD, 26, 0x44, 0, Zen 5",
    "AuthenticAMD, 21, 0x02, 0, unknown",
    "HygonGenuine, 24, 0x01, 0, unknown",
  })
  void x86MicroarchitectureTable(
      String vendor, int family, String model, int stepping, String expected) {
    assertEquals(expected, Microarchitectures.x86(vendor, family, Integer.decode(model), stepping));
  }

  @ParameterizedTest(name = "implementer {0} part {1} is {2} by {3}")
  @CsvSource({
    "0x41, 0xd0c, Neoverse N1, ARM",
    "0x41, 0xd40, Neoverse V1, ARM",
    "0x41, 0xd49, Neoverse N2, ARM",
    "0x41, 0xd4f, Neoverse V2, ARM",
    "0x41, 0xd0b, Cortex-A76, ARM",
    "0x41, 0xfff, unknown, ARM",
    "0x61, 0x023, Apple M1 Firestorm, Apple",
    "0xc0, 0xac3, AmpereOne, Ampere",
    "0x99, 0xd40, unknown, unknown",
  })
  void armCoreTable(String implementer, String part, String core, String vendor) {
    int imp = Integer.decode(implementer);
    assertEquals(core, Microarchitectures.armCore(imp, Integer.decode(part)));
    assertEquals(vendor, Microarchitectures.armVendor(imp));
  }

  @Test
  void thisMachineCountsAsManyCpusAsTheJvmWhenNothingLimitsIt() throws IOException {
    assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "reads Linux files");
    SystemSources live = SystemSources.live();
    CpuInfo cpu = CpuInfo.read(live);
    String arch = System.getProperty("os.arch");
    assertEquals(arch.equals("amd64") ? "x86_64" : arch, cpu.architecture());
    assertTrue(cpu.logicalCores() > 0, cpu::toString);
    assertNotEquals("unknown", cpu.vendor(), cpu::toString);
    assertTrue(
        cpu.physicalCores() == -1 || cpu.physicalCores() <= cpu.logicalCores(), cpu::toString);

    // availableProcessors() follows affinity and cgroup quotas; compare only when neither applies.
    assumeTrue(Double.isNaN(ContainerLimits.read(live).cpuQuota()), "a CPU quota applies");
    assumeTrue(allowedCpus() == cpu.logicalCores(), "the CPU affinity mask excludes some CPUs");
    assertEquals(Runtime.getRuntime().availableProcessors(), cpu.logicalCores());
  }

  /** How many CPUs {@code Cpus_allowed_list} in {@code /proc/self/status} lets this process use. */
  private static int allowedCpus() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        int count = 0;
        for (String range : line.substring(line.indexOf(':') + 1).trim().split(",")) {
          String[] ends = range.split("-");
          count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
      }
    }
    return -1;
  }
}
