package dev.flynn.engine;

import dev.flynn.kernels.SimilarityKernels;

/**
 * What the similarity calls of {@link FlynnOps} need beyond {@link Check} and {@link Blocks}: the
 * shape checks of a query against a row-major matrix, the fixed-tree combination of the blocks'
 * cosine terms, and the cut of a matrix into blocks of rows.
 */
final class Similarity {

  private static final int TERMS = SimilarityKernels.COSINE_TERMS;

  /** At most this many blocks of rows, so that {@code blocks * Blocks.BLOCK} stays an int. */
  private static final int MAX_ROW_BLOCKS = 1 << 16;

  private Similarity() {}

  // ---------------------------------------------------------------- shapes

  /** The whole-array form: {@code query.length == dim}, {@code matrix.length == rows * dim}. */
  static void wholeShape(
      String kernel, int queryLength, int matrixLength, int rows, int dim, int scoresLength) {
    counts(kernel, rows, dim);
    if (queryLength != dim) {
      throw new IllegalArgumentException(
          kernel + ": query.length=" + queryLength + " but dim=" + dim);
    }
    if ((long) rows * dim != matrixLength) {
      throw new IllegalArgumentException(
          kernel
              + ": matrix.length="
              + matrixLength
              + " but rows * dim = "
              + rows
              + " * "
              + dim
              + " = "
              + (long) rows * dim);
    }
    if (scoresLength != rows) {
      throw new IllegalArgumentException(
          kernel + ": scores.length=" + scoresLength + " but rows=" + rows);
    }
  }

  /**
   * The range form: the query range, the rows inside {@code matrix} (row {@code r} at {@code
   * matrixOffset + r * rowStride}, {@code dim} long, {@code rowStride >= dim}), the scores range,
   * and no overlap of the scores with what is read.
   */
  static void ranges(
      String kernel,
      Object query,
      int queryLength,
      int queryOffset,
      Object matrix,
      int matrixLength,
      int matrixOffset,
      int rows,
      int dim,
      int rowStride,
      Object scores,
      int scoresLength,
      int scoresOffset) {
    counts(kernel, rows, dim);
    if (rowStride < dim) {
      throw new IllegalArgumentException(
          kernel + ": rowStride=" + rowStride + " is less than dim=" + dim);
    }
    range(kernel, "query", queryLength, queryOffset, dim);
    long span = rows == 0 ? 0 : (long) (rows - 1) * rowStride + dim;
    if (matrixOffset < 0 || matrixOffset + span > matrixLength) {
      throw new IndexOutOfBoundsException(
          kernel
              + ": matrix: offset "
              + matrixOffset
              + " with rows="
              + rows
              + ", dim="
              + dim
              + ", rowStride="
              + rowStride
              + " needs "
              + span
              + " elements from the offset, in an array of length "
              + matrixLength);
    }
    range(kernel, "scores", scoresLength, scoresOffset, rows);
    noOverlap(kernel, "query", query, queryOffset, dim, scores, scoresOffset, rows);
    noOverlap(kernel, "matrix", matrix, matrixOffset, span, scores, scoresOffset, rows);
  }

  /** Cosine needs at least one element: the cosine of empty vectors is undefined. */
  static void notEmptyVectors(String kernel, String name, int length) {
    if (length == 0) {
      throw new IllegalArgumentException(
          kernel + " of empty vectors is undefined: " + name + " is 0");
    }
  }

  private static void counts(String kernel, int rows, int dim) {
    if (rows < 0) {
      throw new IllegalArgumentException(kernel + ": rows is negative: " + rows);
    }
    if (dim < 0) {
      throw new IllegalArgumentException(kernel + ": dim is negative: " + dim);
    }
  }

  private static void range(String kernel, String name, int arrayLength, int offset, int length) {
    if (offset < 0 || offset > arrayLength - length) {
      throw new IndexOutOfBoundsException(
          kernel
              + ": "
              + name
              + ": offset "
              + offset
              + " and length "
              + length
              + " do not fit in an array of length "
              + arrayLength);
    }
  }

  /** The scores are written while the inputs are read (by other threads too): no shared element. */
  private static void noOverlap(
      String kernel,
      String inName,
      Object in,
      int inOffset,
      long inLength,
      Object scores,
      int scoresOffset,
      int rows) {
    if (in == scores
        && inLength > 0
        && rows > 0
        && inOffset < (long) scoresOffset + rows
        && scoresOffset < inOffset + inLength) {
      throw new IllegalArgumentException(
          kernel
              + ": scores=["
              + scoresOffset
              + ", "
              + ((long) scoresOffset + rows)
              + ") overlaps "
              + inName
              + "=["
              + inOffset
              + ", "
              + (inOffset + inLength)
              + ") of the same array");
    }
  }

  // ---------------------------------------------------------------- blocks of rows

  /**
   * Rows per pooled block: about {@link Blocks#BLOCK} matrix elements, so a block's work is that of
   * a reduction block, and no more than {@value #MAX_ROW_BLOCKS} blocks. Depends on the shape only;
   * a score never depends on its block anyway (each row is computed alone).
   */
  static int rowsPerBlock(int rows, int dim) {
    int byWork = (Blocks.BLOCK + Math.max(dim, 1) - 1) / Math.max(dim, 1);
    int byCount = (int) (((long) rows + MAX_ROW_BLOCKS - 1) / MAX_ROW_BLOCKS);
    return Math.max(1, Math.max(byWork, byCount));
  }

  // ---------------------------------------------------------------- cosine terms

  /**
   * The cosine from the terms of {@code blocks} blocks ({@link SimilarityKernels#cosineTerms}),
   * combined along the fixed tree of {@link Blocks}: split at the midpoint, left before right. Two
   * terms are brought to the larger of their exponents (exact scaling by powers of two, apart from
   * what falls below the smaller one's significance) and added.
   */
  static double cosineOfBlocks(double[] terms, int blocks) {
    combine(terms, 0, blocks);
    return SimilarityKernels.cosineOf(terms[0], terms[1], terms[2]);
  }

  /** Combines blocks {@code [lo, hi)} into the slots of block {@code lo}. */
  private static void combine(double[] t, int lo, int hi) {
    if (hi - lo == 1) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    combine(t, lo, mid);
    combine(t, mid, hi);
    int l = lo * TERMS;
    int r = mid * TERMS;
    int lea = (int) t[l + 3];
    int leb = (int) t[l + 4];
    int rea = (int) t[r + 3];
    int reb = (int) t[r + 4];
    int ea = Math.max(lea, rea);
    int eb = Math.max(leb, reb);
    t[l] = Math.scalb(t[l], lea + leb - ea - eb) + Math.scalb(t[r], rea + reb - ea - eb);
    t[l + 1] = Math.scalb(t[l + 1], 2 * (lea - ea)) + Math.scalb(t[r + 1], 2 * (rea - ea));
    t[l + 2] = Math.scalb(t[l + 2], 2 * (leb - eb)) + Math.scalb(t[r + 2], 2 * (reb - eb));
    t[l + 3] = ea;
    t[l + 4] = eb;
  }
}
