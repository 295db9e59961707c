package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HugePagesTest {

  /** What the system offers, read here independently of the class under test. */
  private static boolean offered() throws IOException {
    Path enabled = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
        || !Files.isReadable(enabled)) {
      return false;
    }
    String thp = Files.readString(enabled);
    return thp.contains("[always]") || thp.contains("[madvise]");
  }

  /** The kernel's "THPeligible" flag of the mapping holding {@code address}, or -1 if none. */
  private static int thpEligible(long address) throws IOException {
    String line = Smaps.line(address, "THPeligible:");
    return line == null ? -1 : Integer.parseInt(line.substring("THPeligible:".length()).trim());
  }

  @Test
  void allocatesAlignedZeroedMemoryAdvisedForHugePagesAndUnmapsItWithTheArena() throws IOException {
    assertEquals(offered(), HugePages.available());
    long bytes = 3 * HugePages.SIZE + 12_345;
    MemorySegment s;
    try (Arena arena = Arena.ofConfined()) {
      s = HugePages.allocate(arena, bytes);
      assertEquals(bytes, s.byteSize());
      assertTrue(s.isNative());
      assertEquals(0, s.address() % HugePages.SIZE, "2 MiB aligned");
      assertEquals(-1L, s.mismatch(arena.allocate(bytes)), "zeroed");
      for (long at = 0; at + 4 <= bytes; at += HugePages.SIZE / 2 + 4) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int) at);
        assertEquals((int) at, s.get(ValueLayout.JAVA_INT_UNALIGNED, at));
      }
      if (HugePages.available()) {
        // The advice is the mapping's flag: the kernel reports the range eligible for huge pages.
        assertEquals(1, thpEligible(s.address()), "madvise(MADV_HUGEPAGE) reached the mapping");
      }
      // The engine's kernels take it as any native segment.
      try (Flynn flynn = Flynn.builder().threads(2).build()) {
        MemorySegment floats = HugePages.allocate(arena, 4L * 100_003);
        for (int i = 0; i < 100_003; i++) {
          floats.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 7);
        }
        long expected = 0;
        for (int i = 0; i < 100_003; i++) {
          expected += i % 7;
        }
        assertEquals((float) expected, flynn.floatSegments().sum(floats));
      }
    }
    assertFalse(s.scope().isAlive(), "closed with its arena");
    MemorySegment closed = s;
    assertThrows(IllegalStateException.class, () -> closed.get(ValueLayout.JAVA_INT, 0));
    if (HugePages.available()) {
      assertEquals(-1, thpEligible(closed.address()), "unmapped when the arena closed");
    }
  }

  @Test
  void zeroBytesAndBadArguments() {
    try (Arena arena = Arena.ofConfined()) {
      assertEquals(0, HugePages.allocate(arena, 0).byteSize());
      IllegalArgumentException negative =
          assertThrows(IllegalArgumentException.class, () -> HugePages.allocate(arena, -1));
      assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
    }
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> HugePages.allocate(null, 10));
    assertTrue(npe.getMessage().contains("arena"), npe.getMessage());
  }
}
