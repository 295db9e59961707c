package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.flynn.engine.MatrixTestSupport.Matrix;
import dev.flynn.engine.MatrixTestSupport.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * gemm and gemv give the same bits whatever the thread count: MIMD on engines of 1, 2 and 3 threads
 * gives SISD's bits, SIMD_MIMD and AUTO give SIMD's, on shapes that AUTO splits, cut by columns (n
 * >= m) and by rows (m > n), with every transposition.
 */
class MatrixDeterminismTest {

  private static final int[] THREADS = {1, 2, 3};
  private static final List<Flynn> ENGINES = new ArrayList<>();

  @BeforeAll
  static void start() {
    for (int t : THREADS) {
      ENGINES.add(Flynn.builder().threads(t).build());
    }
  }

  @AfterAll
  static void stop() {
    ENGINES.forEach(Flynn::close);
  }

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({"67, 301, 129", "301, 67, 129", "130, 130, 300"})
  void gemmGivesTheSameBitsForEveryThreadCount(int m, int n, int k) {
    for (Type type : Type.values()) {
      for (int t = 0; t < 4; t++) {
        boolean transA = (t & 1) != 0;
        boolean transB = (t & 2) != 0;
        int aCols = transA ? m : k;
        int bCols = transB ? k : n;
        Matrix a = Matrix.random(type, transA ? k : m, aCols, aCols + 1, 2, 0, 11);
        Matrix b = Matrix.random(type, transB ? n : k, bCols, bCols, 0, 0, 12);
        Matrix c = Matrix.random(type, m, n, n + 2, 1, 0, 13);
        double[][] single = new double[2][];
        for (Flynn engine : ENGINES) {
          for (Mode mode : Mode.values()) {
            double[] out =
                type.gemm(
                    engine.using(mode),
                    transA,
                    transB,
                    m,
                    n,
                    k,
                    0.75,
                    a.data(),
                    a.offset(),
                    a.ld(),
                    b.data(),
                    b.offset(),
                    b.ld(),
                    -0.5,
                    c.data(),
                    c.offset(),
                    c.ld());
            int group = mode == Mode.SISD || mode == Mode.MIMD ? 0 : 1;
            if (single[group] == null) {
              single[group] = out;
            } else {
              assertArrayEquals(
                  single[group],
                  out,
                  type
                      + " "
                      + mode
                      + " threads="
                      + engine.threads()
                      + " transA="
                      + transA
                      + " transB="
                      + transB);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"1500, 1500", "37, 70000", "70000, 37"})
  void gemvGivesTheSameBitsForEveryThreadCount(int m, int n) {
    for (Type type : Type.values()) {
      for (boolean transA : new boolean[] {false, true}) {
        Matrix a = Matrix.random(type, m, n, n, 0, 0, 21);
        Matrix x = Matrix.random(type, 1, transA ? m : n, transA ? m : n, 0, 0, 22);
        Matrix y = Matrix.random(type, 1, transA ? n : m, transA ? n : m, 0, 0, 23);
        double[][] single = new double[2][];
        for (Flynn engine : ENGINES) {
          for (Mode mode : Mode.values()) {
            double[] out =
                type.gemv(
                    engine.using(mode),
                    transA,
                    m,
                    n,
                    0.75,
                    a.data(),
                    0,
                    n,
                    x.data(),
                    0,
                    -0.5,
                    y.data(),
                    0);
            int group = mode == Mode.SISD || mode == Mode.MIMD ? 0 : 1;
            if (single[group] == null) {
              single[group] = out;
            } else {
              assertArrayEquals(
                  single[group],
                  out,
                  type + " " + mode + " threads=" + engine.threads() + " transA=" + transA);
            }
          }
        }
      }
    }
  }
}
