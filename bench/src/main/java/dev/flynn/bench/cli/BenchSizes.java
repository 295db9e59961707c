package dev.flynn.bench.cli;

import dev.flynn.nativecheck.CacheInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sizes the suites run at, in elements per array, chosen from the cache sizes native-check
 * found (fixed fallbacks where it found none). Three arrays of four-byte floats (two inputs and an
 * output) should fit the level a size is named after.
 */
record BenchSizes(int l1, int l2, int llc, int dram, int odd) {

  /**
   * The sizes on a machine whose caches are unknown: 16 KiB, 256 KiB, 4 MiB and 64 MiB per array.
   */
  static final BenchSizes FALLBACK = new BenchSizes(4096, 65536, 1 << 20, 1 << 24, 65536 + 7);

  /** A last-level cache bigger than this is a VM reporting the whole package: use this instead. */
  static final long LLC_CAP = 32L << 20;

  static BenchSizes of(CacheInfo caches) {
    int l1 = caches.l1d().known() ? fit(caches.l1d().bytes()) : FALLBACK.l1();
    int l2 = caches.l2().known() ? fit(caches.l2().bytes()) : FALLBACK.l2();
    int llc = caches.l3().known() ? fit(Math.min(caches.l3().bytes(), LLC_CAP)) : FALLBACK.llc();
    int dram = Math.max(FALLBACK.dram(), 4 * llc);
    // An odd size just above the L2 size: 7 elements of scalar tail after the vector loop.
    return new BenchSizes(l1, l2, Math.max(llc, 2 * l2), dram, l2 + 7);
  }

  /** The largest power of two of floats such that three arrays fit {@code bytes}. */
  private static int fit(long bytes) {
    long elements = bytes / (3L * Float.BYTES);
    return (int) Math.max(1024, Long.highestOneBit(Math.max(1, elements)));
  }

  /** Name to size, in the order the suites run them. */
  Map<String, Integer> named() {
    Map<String, Integer> named = new LinkedHashMap<>();
    named.put("L1", l1);
    named.put("L2", l2);
    named.put("LLC", llc);
    named.put("DRAM", dram);
    named.put("odd", odd);
    return named;
  }
}
