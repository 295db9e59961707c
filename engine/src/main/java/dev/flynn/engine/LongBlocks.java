package dev.flynn.engine;

import java.util.function.DoubleBinaryOperator;

/**
 * {@link Blocks} for ranges whose length is a {@code long}: the same blocks of {@link Blocks#BLOCK}
 * elements, the same boundaries (they depend on the length only) and the same fixed combine tree,
 * so a reduction over a segment gives the bits of the same reduction over an array. A block's
 * length is an {@code int}, its start a {@code long}, and the block count an {@code int}: up to
 * {@link #MAX_LENGTH} elements, about 2^45.
 */
final class LongBlocks {

  /** The longest range: as many blocks as an {@code int} counts. */
  static final long MAX_LENGTH = (long) Integer.MAX_VALUE * Blocks.BLOCK;

  private LongBlocks() {}

  /** Computes the partial of one block: elements {@code [start, start + length)} of the range. */
  @FunctionalInterface
  interface Leaf {
    double compute(long start, int length);
  }

  static int count(long length) {
    assert length >= 0 && length <= MAX_LENGTH : length;
    return (int) ((length + Blocks.BLOCK - 1) / Blocks.BLOCK);
  }

  static long start(int block) {
    return (long) block * Blocks.BLOCK;
  }

  static int length(int block, long length) {
    return (int) Math.min(Blocks.BLOCK, length - start(block));
  }

  /**
   * Walks the tree over blocks {@code [lo, hi)}, computing each leaf on the way, as Blocks does.
   */
  static double tree(Leaf leaf, DoubleBinaryOperator combine, long length, int lo, int hi) {
    if (hi - lo == 1) {
      return leaf.compute(start(lo), length(lo, length));
    }
    int mid = (lo + hi) >>> 1;
    return combine.applyAsDouble(
        tree(leaf, combine, length, lo, mid), tree(leaf, combine, length, mid, hi));
  }

  /** Combines precomputed partials along the same tree. */
  static double combine(double[] partials, DoubleBinaryOperator combine, int lo, int hi) {
    if (hi - lo == 1) {
      return partials[lo];
    }
    int mid = (lo + hi) >>> 1;
    return combine.applyAsDouble(
        combine(partials, combine, lo, mid), combine(partials, combine, mid, hi));
  }
}
