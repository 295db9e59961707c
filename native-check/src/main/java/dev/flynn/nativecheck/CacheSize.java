package dev.flynn.nativecheck;

/**
 * The size of one cache level and where it was read.
 *
 * @param bytes the size in bytes of one instance of the cache (the L1d and L2 of one core, the L3
 *     of one core complex or socket, as the source reports it); -1 when unknown
 * @param source where {@code bytes} came from, e.g. {@code sysfs cpu0/cache/index0}; {@value
 *     CpuInfo#UNKNOWN} when unknown
 */
public record CacheSize(long bytes, String source) {

  private static final CacheSize UNKNOWN = new CacheSize(-1, CpuInfo.UNKNOWN);

  /** A size that is not positive is unknown, whatever the source says. */
  public CacheSize {
    if (bytes <= 0 || source == null || source.isBlank()) {
      bytes = -1;
      source = CpuInfo.UNKNOWN;
    }
  }

  /** Whether the size was found. */
  public boolean known() {
    return bytes > 0;
  }

  /** A size that could not be found. */
  public static CacheSize unknown() {
    return UNKNOWN;
  }
}
