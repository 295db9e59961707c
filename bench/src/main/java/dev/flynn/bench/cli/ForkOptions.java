package dev.flynn.bench.cli;

import dev.flynn.engine.HugePages;
import java.util.List;
import java.util.Locale;

/**
 * JVM options the launcher gives every benchmark fork on top of its class's own {@code @Fork}
 * flags: today transparent huge pages for the Java heap ({@code -XX:+UseTransparentHugePages}),
 * where Linux offers them.
 *
 * <p>Why: with 4 KiB pages, the forks of one benchmark that streams arrays from DRAM differed by up
 * to 30% (the hardware prefetchers stop at every page boundary, and how the pages of a fork's heap
 * lie in memory changes from fork to fork); a float dot product over 16 Mi elements measured 0.88x
 * ND4J's speed over three forks with 4 KiB pages and 1.10x with huge pages. ND4J's buffers are
 * off-heap ({@code malloc}), where the flag does nothing. The flag only asks the kernel for huge
 * pages ({@code madvise}), so it costs nothing at start, unlike {@code -XX:+AlwaysPreTouch} (5 s
 * per fork for a 2 GiB heap on the reference machine).
 *
 * <p>The flag exists only in the Linux JVM, so it is given only where {@link HugePages#offered()}
 * (the engine's rule: Linux, THP {@code [always]} or {@code [madvise]}). Set the environment
 * variable {@value #SWITCH} to {@code off} to run forks without it. The flags a fork ran with are
 * in JMH's JSON ({@code jvmArgs}) and in the report's header.
 */
final class ForkOptions {

  /** The environment variable that turns the added options off ({@code off}). */
  static final String SWITCH = "FLYNN_BENCH_HUGE_PAGES";

  static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";

  private ForkOptions() {}

  /** The options to prepend to every fork's JVM arguments on this machine; may be empty. */
  static List<String> forThisMachine() {
    return options(HugePages.offered(), System.getenv(SWITCH));
  }

  /**
   * The options for an operating system, the content of its THP {@code enabled} file ({@code
   * "always [madvise] never"}, or empty where there is none) and the value of {@value #SWITCH}
   * (null when unset).
   *
   * @throws IllegalArgumentException when the switch is neither unset, {@code on} nor {@code off}
   */
  static List<String> options(String osName, String thpEnabled, String switchValue) {
    return options(HugePages.offered(osName, thpEnabled), switchValue);
  }

  private static List<String> options(boolean hugePagesOffered, String switchValue) {
    if (switchValue != null) {
      String value = switchValue.trim().toLowerCase(Locale.ROOT);
      if (value.equals("off")) {
        return List.of();
      }
      if (!value.equals("on") && !value.isEmpty()) {
        throw new IllegalArgumentException(
            SWITCH + " must be on or off, not \"" + switchValue + "\"");
      }
    }
    return hugePagesOffered ? List.of(HUGE_PAGES) : List.of();
  }
}
