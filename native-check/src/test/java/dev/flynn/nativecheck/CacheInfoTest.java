package dev.flynn.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link CacheInfo}: each source, the order they are tried in, and broken or empty roots. */
class CacheInfoTest {

  private static final String GETCONF = "getconf (CPUID via glibc)";
  private static final String UNKNOWN = "unknown";

  private static CacheInfo caches(long l1d, String s1, long l2, String s2, long l3, String s3) {
    return new CacheInfo(new CacheSize(l1d, s1), new CacheSize(l2, s2), new CacheSize(l3, s3));
  }

  @Test
  void sysfsComesBeforeGetconf() {
    // The fixture has getconf output too (with the same sizes); sysfs is named as the source.
    assertEquals(
        caches(
            49152,
            "sysfs cpu0/cache/index0",
            2097152,
            "sysfs cpu0/cache/index2",
            110100480, // 107520K: 105 MiB of L3
            "sysfs cpu0/cache/index3"),
        CacheInfo.read(Fixtures.at("x86-avx512-server")));
  }

  @Test
  void laptopCachesFromSysfs() {
    assertEquals(
        caches(
            32768,
            "sysfs cpu0/cache/index0",
            524288,
            "sysfs cpu0/cache/index2",
            4194304,
            "sysfs cpu0/cache/index3"),
        CacheInfo.read(Fixtures.at("x86-avx2-laptop")));
  }

  @Test
  void armCachesFromSysfs() {
    assertEquals(
        caches(
            65536,
            "sysfs cpu0/cache/index0",
            1048576,
            "sysfs cpu0/cache/index2",
            33554432,
            "sysfs cpu0/cache/index3"),
        CacheInfo.read(Fixtures.at("arm-sve-server")));
  }

  @Test
  void vmWithoutSysfsReadsGetconf() {
    CacheInfo info = CacheInfo.read(Fixtures.at("vm-no-cache-info"));
    assertEquals(caches(49152, GETCONF, 1048576, GETCONF, 532676608, GETCONF), info);
    assertTrue(info.l1d().known());
  }

  @Test
  void vmWithoutSysfsOrGetconfHasOnlyAmdsL2FromCpuinfo() {
    CacheInfo info = CacheInfo.read(Fixtures.withoutGetconf("vm-no-cache-info"));
    assertEquals(
        caches(-1, UNKNOWN, 1048576, "/proc/cpuinfo 'cache size' (AMD reports L2)", -1, UNKNOWN),
        info);
    assertFalse(info.l1d().known());
    assertEquals(CacheSize.unknown(), info.l3());
  }

  @Test
  void intelReportsItsL3InCpuinfo(@TempDir Path root) {
    Fixtures.copy("x86-avx512-server", "/proc/cpuinfo", root);
    assertEquals(
        caches(
            -1, UNKNOWN, -1, UNKNOWN, 110100480, "/proc/cpuinfo 'cache size' (Intel reports L3)"),
        CacheInfo.read(SystemSources.at(root, "")));
  }

  @Test
  void eachLevelFallsBackOnItsOwn(@TempDir Path root) {
    // sysfs knows only L1d; getconf knows L1d and L2 (empty L3); cpuinfo (AMD) knows L2 only.
    Fixtures.write(root, "/sys/devices/system/cpu/cpu0/cache/index0/level", "1\n");
    Fixtures.write(root, "/sys/devices/system/cpu/cpu0/cache/index0/type", "Data\n");
    Fixtures.write(root, "/sys/devices/system/cpu/cpu0/cache/index0/size", "32K\n");
    Fixtures.write(root, "/sys/devices/system/cpu/cpu0/cache/index1/level", "1\n");
    Fixtures.write(root, "/sys/devices/system/cpu/cpu0/cache/index1/type", "Instruction\n");
    Fixtures.write(root, "/sys/devices/system/cpu/cpu0/cache/index1/size", "64K\n");
    Fixtures.copy("x86-avx2-laptop", "/proc/cpuinfo", root);
    String getconf =
        """
        LEVEL1_ICACHE_SIZE                 65536
        LEVEL1_DCACHE_SIZE                 49152
        LEVEL2_CACHE_SIZE                  262144
        LEVEL3_CACHE_SIZE                  \n\
        LEVEL4_CACHE_SIZE                  0
        """;
    assertEquals(
        caches(32768, "sysfs cpu0/cache/index0", 262144, GETCONF, -1, UNKNOWN),
        CacheInfo.read(SystemSources.at(root, getconf)));
    assertEquals(
        caches(
            32768,
            "sysfs cpu0/cache/index0",
            524288,
            "/proc/cpuinfo 'cache size' (AMD reports L2)",
            -1,
            UNKNOWN),
        CacheInfo.read(SystemSources.at(root, "")));
  }

  @Test
  void sysfsIndexesAreOrderedByNumber(@TempDir Path root) {
    // index10 must not be read before index2 (as a name sort would): the first L2 wins.
    String dir = "/sys/devices/system/cpu/cpu0/cache/";
    Fixtures.write(root, dir + "index2/level", "2\n");
    Fixtures.write(root, dir + "index2/type", "Unified\n");
    Fixtures.write(root, dir + "index2/size", "1024K\n");
    Fixtures.write(root, dir + "index10/level", "2\n");
    Fixtures.write(root, dir + "index10/type", "Unified\n");
    Fixtures.write(root, dir + "index10/size", "2048K\n");
    Fixtures.write(root, dir + "uevent", "");
    assertEquals(
        caches(-1, UNKNOWN, 1048576, "sysfs cpu0/cache/index2", -1, UNKNOWN),
        CacheInfo.read(SystemSources.at(root, "")));
  }

  @Test
  void anEmptyRootIsAllUnknown(@TempDir Path empty) {
    CacheInfo info = CacheInfo.read(SystemSources.at(empty, ""));
    assertEquals(caches(-1, UNKNOWN, -1, UNKNOWN, -1, UNKNOWN), info);
    assertEquals(new CacheSize(-1, "unknown"), CacheSize.unknown());
    assertFalse(CacheSize.unknown().known());
    assertEquals(
        new CacheInfo(CacheSize.unknown(), CacheSize.unknown(), CacheSize.unknown()),
        new CacheInfo(null, null, null));
  }

  @Test
  void garbageIsUnknown(@TempDir Path root) {
    String dir = "/sys/devices/system/cpu/cpu0/cache/";
    Fixtures.write(root, dir + "index0/level", "one\n");
    Fixtures.write(root, dir + "index0/type", "Data\n");
    Fixtures.write(root, dir + "index0/size", "48K\n");
    Fixtures.write(root, dir + "index1/level", "2\n");
    Fixtures.write(root, dir + "index1/type", "Unified\n");
    Fixtures.write(root, dir + "index1/size", "big\n");
    Fixtures.write(root, dir + "index2/level", "3\n");
    Fixtures.write(root, dir + "index2/type", "Unified\n"); // no size file
    Fixtures.write(
        root, "/proc/cpuinfo", "processor : 0\nvendor_id : AuthenticAMD\ncache size : lots KB\n");
    String getconf = "LEVEL1_DCACHE_SIZE abc\nLEVEL2_CACHE_SIZE 0\nLEVEL3_CACHE_SIZE -4\n\n\t";
    assertEquals(
        caches(-1, UNKNOWN, -1, UNKNOWN, -1, UNKNOWN),
        CacheInfo.read(SystemSources.at(root, getconf)));
  }

  @Test
  void aCacheSizeThatIsNotPositiveIsUnknown() {
    assertEquals(CacheSize.unknown(), new CacheSize(0, "getconf"));
    assertEquals(CacheSize.unknown(), new CacheSize(4096, " "));
    assertTrue(new CacheSize(4096, "x").known());
  }

  @ParameterizedTest(name = "''{0}'' is {1} bytes")
  @CsvSource({
    "48K, 49152",
    "1024K, 1048576",
    "32M, 33554432",
    "107520K, 110100480",
    "1024 KB, 1048576",
    "1G, 1073741824",
    "512, 512",
    "48k, 49152",
    "'', -1",
    "K, -1",
    "-5K, -1",
    "0K, -1",
    "12T, -1",
    "999999999999999G, -1",
  })
  void sizesAreParsedAsSysfsAndCpuinfoWriteThem(String text, long bytes) {
    assertEquals(bytes, CacheInfo.parseSize(text));
  }

  @Test
  void thisMachineIsReadWithoutThrowing() {
    SystemSources live = SystemSources.live();
    CacheInfo info = CacheInfo.read(live);
    for (CacheSize level : new CacheSize[] {info.l1d(), info.l2(), info.l3()}) {
      assertEquals(level.known(), !level.source().equals(UNKNOWN), level::toString);
    }
    // getconf runs once per JVM.
    assertSame(live.getconfOutput(), SystemSources.live().getconfOutput());
  }

  @Test
  void getconfIsRunWhenThisMachineHasIt() {
    boolean onPath =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "getconf")));
    assumeTrue(onPath, "no getconf on PATH");
    String output = SystemSources.live().getconfOutput();
    assertFalse(output.isBlank(), "getconf -a printed nothing, or was not waited for");
  }
}
