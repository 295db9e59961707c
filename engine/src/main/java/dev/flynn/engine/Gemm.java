package dev.flynn.engine;

import dev.flynn.kernels.DoubleMatrixKernels;
import dev.flynn.kernels.FloatMatrixKernels;
import dev.flynn.kernels.Kernels;

/**
 * The engine side of {@code gemm} and {@code gemv}: argument checks, the choice of kernels, and the
 * split of a call across the pool.
 *
 * <p><b>Splitting.</b> A pooled call cuts the output into tasks along its longer side ({@code C}'s
 * columns when {@code n >= m}, else its rows; {@code y}'s elements for {@code gemv}), at multiples
 * of the kernel's tile so that every micro-kernel tile stays whole, and the tasks are claimed from
 * the pool one at a time. Each output element belongs to exactly one task, and the kernels compute
 * an element the same way whatever sub-matrix of the output a call covers (see {@link
 * FloatMatrixKernels}), so a call gives the same bits with 1, 2 or 64 threads, and the pooled modes
 * give the same bits as their single-threaded twins (MIMD as SISD, SIMD_MIMD as SIMD).
 *
 * <p>Each task packs the operand it shares with the others itself (a task of rows of {@code C}
 * packs all of {@code op(B)}): with one task per thread that repeats {@code k n} element copies per
 * extra thread against {@code 2 m n k / threads} flops, a few percent at most for the sizes that
 * AUTO splits.
 */
final class Gemm {

  private Gemm() {}

  /** How a call is cut: {@code tasks} chunks of {@code chunk} rows or columns of the output. */
  private record Split(boolean byColumns, int chunk, int tasks) {

    /**
     * Cuts {@code extent} outputs into at most {@code maxTasks} chunks, multiples of {@code grain}.
     */
    static Split of(boolean byColumns, int extent, int grain, int maxTasks) {
      int units = (extent + grain - 1) / grain;
      if (units <= 1 || maxTasks <= 1) {
        return new Split(byColumns, extent, 1);
      }
      int tasks = Math.min(units, maxTasks);
      int chunk = (units + tasks - 1) / tasks * grain;
      return new Split(byColumns, chunk, (extent + chunk - 1) / chunk);
    }

    int start(int task) {
      return task * chunk;
    }

    int length(int task, int extent) {
      return Math.min(chunk, extent - task * chunk);
    }
  }

  /**
   * Runs {@code tasks} tasks on the pool. {@link Workers#forEachBlock} hands out block numbers, and
   * a range of {@code tasks * Blocks.BLOCK} elements has exactly {@code tasks} blocks.
   */
  private static void forEachTask(Workers workers, int tasks, int maxThreads, TaskAction action) {
    workers.forEachBlock(
        tasks * Blocks.BLOCK, maxThreads, (start, length, block) -> action.run(block));
  }

  /**
   * The least number of tasks an asynchronous call is cut into, whatever its threads: a stopped
   * call ends between two tasks, so a long single-threaded product stops after a sixteenth of its
   * work at most. The split never changes the bits (see the class comment).
   */
  private static final int ASYNC_TASKS = 16;

  /** The tasks to cut a call into: {@code maxTasks}, or more in an asynchronous call. */
  private static int splitInto(Workers workers, int maxTasks) {
    return workers.blockwise() ? Math.max(maxTasks, ASYNC_TASKS) : maxTasks;
  }

  @FunctionalInterface
  private interface TaskAction {
    void run(int task);
  }

  /**
   * The number of tasks a call may be cut into, 1 when it runs on the calling thread: MIMD and
   * SIMD_MIMD always split when the pool has more than one thread, AUTO only from {@code
   * autoForkWork}.
   */
  private static int maxTasks(Workers workers, Mode mode, long work, long autoForkWork) {
    int threads = workers.threads();
    return switch (mode) {
      case SISD, SIMD -> 1;
      case MIMD, SIMD_MIMD -> threads;
      case AUTO -> work >= autoForkWork ? threads : 1;
    };
  }

  // ---------------------------------------------------------------- float

  static void gemm(
      Workers workers,
      Mode mode,
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    Check.notNull("a", a);
    Check.notNull("b", b);
    Check.notNull("c", c);
    checkGemm(
        transA, transB, m, n, k, a.length, aOffset, lda, b.length, bOffset, ldb, c.length, cOffset,
        ldc);
    checkNoOverlap(
        "c", c, cOffset, m, n, ldc, "a", a, aOffset, rowsA(transA, m, k), colsA(transA, m, k), lda);
    checkNoOverlap(
        "c", c, cOffset, m, n, ldc, "b", b, bOffset, rowsB(transB, n, k), colsB(transB, n, k), ldb);
    workers.ensureOpen();
    FloatMatrixKernels kernels =
        mode.vector() ? Kernels.vectorFloatMatrices() : Kernels.scalarFloatMatrices();
    int maxTasks = maxTasks(workers, mode, 2L * m * n * k, FlynnOps.AUTO_FORK_GEMM_FLOPS);
    boolean byColumns = n >= m;
    Split split =
        byColumns
            ? Split.of(true, n, kernels.tileColumns(), splitInto(workers, maxTasks))
            : Split.of(false, m, kernels.tileRows(), splitInto(workers, maxTasks));
    if (split.tasks() <= 1) {
      kernels.gemm(
          transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
      return;
    }
    forEachTask(
        workers,
        split.tasks(),
        maxTasks,
        task -> {
          if (byColumns) {
            int j0 = split.start(task);
            int bAt = bOffset + (transB ? j0 * ldb : j0);
            kernels.gemm(
                transA,
                transB,
                m,
                split.length(task, n),
                k,
                alpha,
                a,
                aOffset,
                lda,
                b,
                bAt,
                ldb,
                beta,
                c,
                cOffset + j0,
                ldc);
          } else {
            int i0 = split.start(task);
            int aAt = aOffset + (transA ? i0 : i0 * lda);
            kernels.gemm(
                transA,
                transB,
                split.length(task, m),
                n,
                k,
                alpha,
                a,
                aAt,
                lda,
                b,
                bOffset,
                ldb,
                beta,
                c,
                cOffset + i0 * ldc,
                ldc);
          }
        });
  }

  static void gemv(
      Workers workers,
      Mode mode,
      boolean transA,
      int m,
      int n,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] x,
      int xOffset,
      float beta,
      float[] y,
      int yOffset) {
    Check.notNull("a", a);
    Check.notNull("x", x);
    Check.notNull("y", y);
    int xLength = transA ? m : n;
    int yLength = transA ? n : m;
    checkGemv(m, n, a.length, aOffset, lda, x.length, xOffset, xLength, y.length, yOffset, yLength);
    checkNoOverlap("y", y, yOffset, 1, yLength, yLength, "a", a, aOffset, m, n, lda);
    checkNoOverlap("y", y, yOffset, 1, yLength, yLength, "x", x, xOffset, 1, xLength, xLength);
    workers.ensureOpen();
    FloatMatrixKernels kernels =
        mode.vector() ? Kernels.vectorFloatMatrices() : Kernels.scalarFloatMatrices();
    int maxTasks = maxTasks(workers, mode, (long) m * n, FlynnOps.AUTO_FORK_STREAM);
    Split split = Split.of(transA, yLength, kernels.tileColumns(), splitInto(workers, maxTasks));
    if (split.tasks() <= 1) {
      kernels.gemv(transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
      return;
    }
    forEachTask(
        workers,
        split.tasks(),
        maxTasks,
        task -> {
          int start = split.start(task);
          int length = split.length(task, yLength);
          if (transA) {
            kernels.gemv(
                true,
                m,
                length,
                alpha,
                a,
                aOffset + start,
                lda,
                x,
                xOffset,
                beta,
                y,
                yOffset + start);
          } else {
            kernels.gemv(
                false,
                length,
                n,
                alpha,
                a,
                aOffset + start * lda,
                lda,
                x,
                xOffset,
                beta,
                y,
                yOffset + start);
          }
        });
  }

  // ---------------------------------------------------------------- double

  static void gemm(
      Workers workers,
      Mode mode,
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int aOffset,
      int lda,
      double[] b,
      int bOffset,
      int ldb,
      double beta,
      double[] c,
      int cOffset,
      int ldc) {
    Check.notNull("a", a);
    Check.notNull("b", b);
    Check.notNull("c", c);
    checkGemm(
        transA, transB, m, n, k, a.length, aOffset, lda, b.length, bOffset, ldb, c.length, cOffset,
        ldc);
    checkNoOverlap(
        "c", c, cOffset, m, n, ldc, "a", a, aOffset, rowsA(transA, m, k), colsA(transA, m, k), lda);
    checkNoOverlap(
        "c", c, cOffset, m, n, ldc, "b", b, bOffset, rowsB(transB, n, k), colsB(transB, n, k), ldb);
    workers.ensureOpen();
    DoubleMatrixKernels kernels =
        mode.vector() ? Kernels.vectorDoubleMatrices() : Kernels.scalarDoubleMatrices();
    int maxTasks = maxTasks(workers, mode, 2L * m * n * k, FlynnOps.AUTO_FORK_GEMM_FLOPS);
    boolean byColumns = n >= m;
    Split split =
        byColumns
            ? Split.of(true, n, kernels.tileColumns(), splitInto(workers, maxTasks))
            : Split.of(false, m, kernels.tileRows(), splitInto(workers, maxTasks));
    if (split.tasks() <= 1) {
      kernels.gemm(
          transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
      return;
    }
    forEachTask(
        workers,
        split.tasks(),
        maxTasks,
        task -> {
          if (byColumns) {
            int j0 = split.start(task);
            int bAt = bOffset + (transB ? j0 * ldb : j0);
            kernels.gemm(
                transA,
                transB,
                m,
                split.length(task, n),
                k,
                alpha,
                a,
                aOffset,
                lda,
                b,
                bAt,
                ldb,
                beta,
                c,
                cOffset + j0,
                ldc);
          } else {
            int i0 = split.start(task);
            int aAt = aOffset + (transA ? i0 : i0 * lda);
            kernels.gemm(
                transA,
                transB,
                split.length(task, m),
                n,
                k,
                alpha,
                a,
                aAt,
                lda,
                b,
                bOffset,
                ldb,
                beta,
                c,
                cOffset + i0 * ldc,
                ldc);
          }
        });
  }

  static void gemv(
      Workers workers,
      Mode mode,
      boolean transA,
      int m,
      int n,
      double alpha,
      double[] a,
      int aOffset,
      int lda,
      double[] x,
      int xOffset,
      double beta,
      double[] y,
      int yOffset) {
    Check.notNull("a", a);
    Check.notNull("x", x);
    Check.notNull("y", y);
    int xLength = transA ? m : n;
    int yLength = transA ? n : m;
    checkGemv(m, n, a.length, aOffset, lda, x.length, xOffset, xLength, y.length, yOffset, yLength);
    checkNoOverlap("y", y, yOffset, 1, yLength, yLength, "a", a, aOffset, m, n, lda);
    checkNoOverlap("y", y, yOffset, 1, yLength, yLength, "x", x, xOffset, 1, xLength, xLength);
    workers.ensureOpen();
    DoubleMatrixKernels kernels =
        mode.vector() ? Kernels.vectorDoubleMatrices() : Kernels.scalarDoubleMatrices();
    int maxTasks = maxTasks(workers, mode, (long) m * n, FlynnOps.AUTO_FORK_STREAM);
    Split split = Split.of(transA, yLength, kernels.tileColumns(), splitInto(workers, maxTasks));
    if (split.tasks() <= 1) {
      kernels.gemv(transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
      return;
    }
    forEachTask(
        workers,
        split.tasks(),
        maxTasks,
        task -> {
          int start = split.start(task);
          int length = split.length(task, yLength);
          if (transA) {
            kernels.gemv(
                true,
                m,
                length,
                alpha,
                a,
                aOffset + start,
                lda,
                x,
                xOffset,
                beta,
                y,
                yOffset + start);
          } else {
            kernels.gemv(
                false,
                length,
                n,
                alpha,
                a,
                aOffset + start * lda,
                lda,
                x,
                xOffset,
                beta,
                y,
                yOffset + start);
          }
        });
  }

  // ---------------------------------------------------------------- checks

  private static int rowsA(boolean transA, int m, int k) {
    return transA ? k : m;
  }

  private static int colsA(boolean transA, int m, int k) {
    return transA ? m : k;
  }

  private static int rowsB(boolean transB, int n, int k) {
    return transB ? n : k;
  }

  private static int colsB(boolean transB, int n, int k) {
    return transB ? k : n;
  }

  private static void checkGemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      int aLength,
      int aOffset,
      int lda,
      int bLength,
      int bOffset,
      int ldb,
      int cLength,
      int cOffset,
      int ldc) {
    nonNegative("m", m);
    nonNegative("n", n);
    nonNegative("k", k);
    String aShape = transA ? "A (transA, stored k x m)" : "A (m x k)";
    String bShape = transB ? "B (transB, stored n x k)" : "B (k x n)";
    matrix("a", aShape, "lda", aLength, aOffset, rowsA(transA, m, k), colsA(transA, m, k), lda);
    matrix("b", bShape, "ldb", bLength, bOffset, rowsB(transB, n, k), colsB(transB, n, k), ldb);
    matrix("c", "C (m x n)", "ldc", cLength, cOffset, m, n, ldc);
  }

  private static void checkGemv(
      int m,
      int n,
      int aLength,
      int aOffset,
      int lda,
      int xLength,
      int xOffset,
      int xNeeded,
      int yLength,
      int yOffset,
      int yNeeded) {
    nonNegative("m", m);
    nonNegative("n", n);
    matrix("a", "A (stored m x n)", "lda", aLength, aOffset, m, n, lda);
    vector("x", xLength, xOffset, xNeeded);
    vector("y", yLength, yOffset, yNeeded);
  }

  private static void nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " is negative: " + value);
    }
  }

  /**
   * Checks that a {@code rows x cols} row-major matrix with leading dimension {@code ld} at {@code
   * offset} lies inside an array of {@code length}: {@code ld >= max(1, cols)} (else {@link
   * IllegalArgumentException}) and the last element inside the array (else {@link
   * IndexOutOfBoundsException}).
   */
  private static void matrix(
      String name,
      String shape,
      String ldName,
      int length,
      int offset,
      int rows,
      int cols,
      int ld) {
    if (ld < Math.max(1, cols)) {
      throw new IllegalArgumentException(
          ldName
              + "="
              + ld
              + " is less than the "
              + cols
              + " columns of "
              + shape
              + " (and at least 1 is needed)");
    }
    long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    if (offset < 0 || offset > length || needed > length - offset) {
      throw new IndexOutOfBoundsException(
          name
              + ": "
              + shape
              + " is "
              + rows
              + " x "
              + cols
              + " with "
              + ldName
              + "="
              + ld
              + " at offset "
              + offset
              + ", which needs "
              + needed
              + " elements from the offset; the array has length "
              + length);
    }
  }

  private static void vector(String name, int length, int offset, int needed) {
    if (offset < 0 || offset > length || needed > length - offset) {
      throw new IndexOutOfBoundsException(
          name
              + ": offset "
              + offset
              + " and length "
              + needed
              + " do not fit in an array of length "
              + length);
    }
  }

  /**
   * Rejects an output whose span (first to last element) meets an input's span in the same array:
   * the kernels read the inputs after writing parts of the output. Spans are compared, so two
   * interleaved but disjoint matrices in one array are rejected too.
   */
  private static void checkNoOverlap(
      String outName,
      Object out,
      int outOffset,
      int outRows,
      int outCols,
      int ldOut,
      String inName,
      Object in,
      int inOffset,
      int inRows,
      int inCols,
      int ldIn) {
    if (out != in || outRows == 0 || outCols == 0 || inRows == 0 || inCols == 0) {
      return;
    }
    long outEnd = outOffset + (long) (outRows - 1) * ldOut + outCols;
    long inEnd = inOffset + (long) (inRows - 1) * ldIn + inCols;
    if (outOffset < inEnd && inOffset < outEnd) {
      throw new IllegalArgumentException(
          outName
              + " overlaps "
              + inName
              + " in the same array: "
              + outName
              + "=["
              + outOffset
              + ", "
              + outEnd
              + ") and "
              + inName
              + "=["
              + inOffset
              + ", "
              + inEnd
              + ")");
    }
  }
}
