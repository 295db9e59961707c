package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.bench.cli.DemoCommand.Cell;
import dev.flynn.engine.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTableTest {

  private static final List<Mode> MODES = List.of(Mode.SISD, Mode.SIMD, Mode.SIMD_MIMD);

  /** Two kernels at two sizes; SIMD wins at 4096, SIMD_MIMD at 16777216. */
  private static List<Cell> cells() {
    return List.of(
        new Cell("sum", 4096, Mode.SISD, 2400, 0),
        new Cell("sum", 4096, Mode.SIMD, 100, 0),
        new Cell("sum", 4096, Mode.SIMD_MIMD, 120, 0),
        new Cell("exp", 4096, Mode.SISD, 16000, 0),
        new Cell("exp", 4096, Mode.SIMD, 1000, 0),
        new Cell("exp", 4096, Mode.SIMD_MIMD, 2000, 0),
        new Cell("sum", 16_777_216, Mode.SISD, 10e6, 0),
        new Cell("sum", 16_777_216, Mode.SIMD, 4e6, 0),
        new Cell("sum", 16_777_216, Mode.SIMD_MIMD, 2e6, 0),
        new Cell("exp", 16_777_216, Mode.SISD, 64e6, 0),
        new Cell("exp", 16_777_216, Mode.SIMD, 8e6, 0),
        new Cell("exp", 16_777_216, Mode.SIMD_MIMD, 4e6, 0));
  }

  @Test
  void everyCellShowsItsTimeAndItsRatioToSisd() {
    String table =
        DemoTable.render(cells(), List.of("sum", "exp"), List.of(4096, 16_777_216), MODES);
    String sumL1 = line(table, "sum    16 KiB L1");
    assertTrue(sumL1.contains("2.40 us    1.0x"), sumL1);
    assertTrue(sumL1.contains("100.0 ns   24.0x"), sumL1);
    assertTrue(sumL1.contains("120.0 ns   20.0x"), sumL1);
    String expDram = line(table, "exp    64 MiB DRAM");
    assertTrue(expDram.contains("64.00 ms    1.0x"), expDram);
    assertTrue(expDram.contains("8.00 ms    8.0x"), expDram);
    assertTrue(expDram.contains("4.00 ms   16.0x"), expDram);
  }

  @Test
  void theLastLineNamesTheFastestModePerSizeByGeometricMean() {
    String table =
        DemoTable.render(cells(), List.of("sum", "exp"), List.of(4096, 16_777_216), MODES);
    String last = table.strip().lines().reduce((a, b) -> b).orElseThrow();
    // 4096: SIMD sqrt(24 * 16) = 19.6; SIMD_MIMD sqrt(20 * 8) = 12.6.
    // 16M: SIMD sqrt(2.5 * 8) = 4.5; SIMD_MIMD sqrt(5 * 16) = 8.9.
    assertTrue(last.contains("16 KiB L1: SIMD 19.6x"), last);
    assertTrue(last.contains("64 MiB DRAM: SIMD_MIMD 8.9x"), last);
  }

  @Test
  void sizesAreLabelledByBytesPerArray() {
    assertEquals("16 KiB L1", DemoTable.sizeLabel(4096));
    assertEquals("4 KiB", DemoTable.sizeLabel(1024));
    assertEquals("4004 B", DemoTable.sizeLabel(1001));
    assertEquals("64 MiB DRAM", DemoTable.sizeLabel(16_777_216));
  }

  private static String line(String table, String start) {
    return table
        .lines()
        .filter(l -> l.startsWith(start))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line starting with '" + start + "' in\n" + table));
  }
}
