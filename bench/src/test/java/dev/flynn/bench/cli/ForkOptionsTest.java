package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForkOptionsTest {

  private static final List<String> HUGE = List.of("-XX:+UseTransparentHugePages");

  @Test
  void linuxOffersHugePagesWhenAlwaysOrMadviseIsChosen() {
    assertEquals(HUGE, ForkOptions.options("Linux", "always [madvise] never\n", null));
    assertEquals(HUGE, ForkOptions.options("Linux", "[always] madvise never\n", null));
    assertEquals(HUGE, ForkOptions.options("Linux", "[always] madvise never\n", "on"));
  }

  @Test
  void noFlagWhereTheJvmWouldRefuseItOrTheKernelDisabledIt() {
    assertEquals(List.of(), ForkOptions.options("Linux", "always madvise [never]\n", null));
    assertEquals(List.of(), ForkOptions.options("Linux", "", null)); // no THP file
    // -XX:+UseTransparentHugePages exists only in the Linux JVM: elsewhere it would stop the fork
    assertEquals(List.of(), ForkOptions.options("Mac OS X", "[always] madvise never", null));
    assertEquals(List.of(), ForkOptions.options("Windows 11", "[always] madvise never", null));
  }

  @Test
  void theSwitchTurnsItOffAndRejectsOtherValues() {
    assertEquals(List.of(), ForkOptions.options("Linux", "always [madvise] never", "off"));
    assertEquals(List.of(), ForkOptions.options("Linux", "always [madvise] never", " OFF "));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ForkOptions.options("Linux", "always [madvise] never", "no"));
    assertTrue(e.getMessage().contains("FLYNN_BENCH_HUGE_PAGES"), e.getMessage());
    assertTrue(e.getMessage().contains("\"no\""), e.getMessage());
  }

  @Test
  void jmhCommandPrependsTheOptionsUnlessTheCallerChoseTheirOwn() {
    assertArrayEquals(
        new String[] {"-jvmArgsPrepend", "-XX:+UseTransparentHugePages", "Demo", "-f", "1"},
        JmhCommand.withForkOptions(List.of("Demo", "-f", "1"), HUGE));
    assertArrayEquals(
        new String[] {"Demo", "-jvmArgsPrepend", "-Xss2m"},
        JmhCommand.withForkOptions(List.of("Demo", "-jvmArgsPrepend", "-Xss2m"), HUGE));
    assertArrayEquals(
        new String[] {"Demo"}, JmhCommand.withForkOptions(List.of("Demo"), List.of()));
  }
}
