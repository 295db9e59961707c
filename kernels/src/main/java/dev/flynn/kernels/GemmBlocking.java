package dev.flynn.kernels;

import dev.flynn.nativecheck.CacheInfo;
import dev.flynn.nativecheck.CacheSize;
import dev.flynn.nativecheck.SystemSources;

/**
 * The block sizes of the packed {@code gemm} (GotoBLAS/BLIS), derived once from this machine's
 * cache sizes. The loops are: for each panel of {@code nc} columns of {@code C}, for each block of
 * {@code kc} of the inner dimension, pack {@code op(B)} ({@code kc x nc}); for each block of {@code
 * mc} rows, pack {@code op(A)} ({@code mc x kc}); then run the micro-kernel on every {@code mr x
 * nr} tile of the block.
 *
 * <ul>
 *   <li>{@code kc}: the micro-kernel streams one packed micro-panel of {@code B} ({@code kc x nr})
 *       once per {@code mr} rows of the block, so it must stay in L1. It takes two thirds of L1d;
 *       the rest holds the micro-panel of {@code A} ({@code mr x kc}, streamed from L2) and the
 *       tile of {@code C}. On a 48 KiB L1d with 16 float lanes: {@code kc = 256}.
 *   <li>{@code mc}: the packed block of {@code A} ({@code mc x kc}) is reread for every micro-panel
 *       of {@code B}, so it must stay in L2; it takes a quarter of it, leaving room for the {@code
 *       B} micro-panels and the lines of {@code C} passing through (and for whatever else shares
 *       the core). On a 1 MiB L2, floats: {@code mc = 252}. Timed on the reference machine (2 vCPUs
 *       of a Zen 5 EPYC, 1 MiB L2) at 1024 and 2048, best macro-kernel block of many: half of L2
 *       ({@code mc = 510}) ran at 107 to 176 GFLOPS, a quarter or an eighth at 160 to 208.
 *   <li>{@code nc}: the packed panel of {@code B} ({@code kc x nc}) is reread for every block of
 *       {@code A}; it lives in L3, a quarter of it at most (the L3 is shared between cores), and at
 *       most 2048 columns (2 MiB of floats), which keeps the packing buffer small per thread; a
 *       wider panel only saves repacking {@code A} once per 2048 columns.
 * </ul>
 *
 * Unknown cache sizes fall back to common ones (32 KiB L1d, 512 KiB L2, 8 MiB L3). The block
 * boundaries along the inner dimension depend on {@code kc} only, so on one machine every element
 * of {@code C} is summed in the same order whatever the thread count.
 */
record GemmBlocking(int kc, int mc, int nc) {

  private static final long DEFAULT_L1D = 32 << 10;
  private static final long DEFAULT_L2 = 512 << 10;
  private static final long DEFAULT_L3 = 8 << 20;

  /** The block sizes for elements of {@code elementBytes} and an {@code mr x nr} micro-kernel. */
  static GemmBlocking of(int elementBytes, int mr, int nr) {
    CacheInfo caches = Caches.INFO;
    long l1 = bytes(caches.l1d(), DEFAULT_L1D);
    long l2 = bytes(caches.l2(), DEFAULT_L2);
    long l3 = bytes(caches.l3(), DEFAULT_L3);
    int kc = clamp(l1 * 2 / 3 / ((long) nr * elementBytes), 8, 64, 1024);
    int mc = clamp(l2 / 4 / ((long) kc * elementBytes), mr, mr, 1020);
    int nc = clamp(l3 / 4 / ((long) kc * elementBytes), nr, nr, 2048);
    return new GemmBlocking(kc, mc, nc);
  }

  private static long bytes(CacheSize size, long fallback) {
    return size.known() ? size.bytes() : fallback;
  }

  /** {@code value} rounded down to a multiple of {@code multiple}, within {@code [min, max]}. */
  private static int clamp(long value, int multiple, int min, int max) {
    long bounded = Math.max(min, Math.min(max, value));
    return (int) Math.max(multiple, bounded - bounded % multiple);
  }

  /** Reads the caches once per JVM, on first use (it may run {@code getconf}). */
  private static final class Caches {
    static final CacheInfo INFO = CacheInfo.read(SystemSources.live());
  }
}
