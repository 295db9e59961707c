package dev.flynn.engine;

import dev.flynn.kernels.DoubleKernels;
import dev.flynn.kernels.FloatKernels;

/**
 * Deterministic splitting. A range of {@code length} elements is cut into blocks of {@link #BLOCK}
 * elements (the last one shorter); the boundaries depend on the length only, never on the thread
 * count. A reduction computes one partial per block and combines the partials in a fixed binary
 * tree: split {@code [lo, hi)} at {@code (lo + hi) >>> 1}, left before right. The single-threaded
 * modes walk that tree recursively without allocating; the pooled modes fill an array of partials
 * and combine it along the same tree, so both give the same bits.
 */
final class Blocks {

  /**
   * Elements per block: a multiple of every vector length (up to 2048-bit vectors of bytes), 64 KiB
   * of floats, which keeps the per-lane accumulation chains of a vector sum short (256 adds at 16
   * float lanes) and the per-block cost of a fork small against the block's work.
   */
  static final int BLOCK = 16384;

  private Blocks() {}

  static int count(int length) {
    return (int) (((long) length + BLOCK - 1) / BLOCK);
  }

  static int start(int block) {
    return block * BLOCK;
  }

  static int length(int block, int length) {
    return Math.min(BLOCK, length - block * BLOCK);
  }

  /** A reduction over float data whose partials are doubles. */
  enum FloatReduction {
    SUM,
    DOT,
    MIN,
    MAX,
    /**
     * DOT over an input longer than {@link #DOT_STREAMING}: see {@link FloatKernels#dotStreaming}.
     */
    DOT_STREAMING;

    /**
     * From this many elements a float dot runs {@link FloatKernels#dotStreaming} in every block: 8
     * Mi floats, 32 MiB per operand, more than the L3 cache of one Zen 5 CCD, so both operands
     * stream from memory. A rule on the length alone, so every mode and thread count still gives
     * the same bits.
     */
    static final int STREAMING_LENGTH = 1 << 23;

    /** The reduction that runs {@code r} over {@code length} elements. */
    static FloatReduction forLength(FloatReduction r, long length) {
      return r == DOT && length >= STREAMING_LENGTH ? DOT_STREAMING : r;
    }

    double leaf(FloatKernels k, float[] a, int aOffset, float[] b, int bOffset, int length) {
      return switch (this) {
        case SUM -> k.sum(a, aOffset, length);
        case DOT -> k.dot(a, aOffset, b, bOffset, length);
        case MIN -> k.min(a, aOffset, length);
        case MAX -> k.max(a, aOffset, length);
        case DOT_STREAMING -> k.dotStreaming(a, aOffset, b, bOffset, length);
      };
    }

    double combine(double left, double right) {
      return Blocks.combine(this == DOT_STREAMING ? DOT.ordinal() : ordinal(), left, right);
    }
  }

  /** A reduction over double data. */
  enum DoubleReduction {
    SUM,
    DOT,
    MIN,
    MAX;

    double leaf(DoubleKernels k, double[] a, int aOffset, double[] b, int bOffset, int length) {
      return switch (this) {
        case SUM -> k.sum(a, aOffset, length);
        case DOT -> k.dot(a, aOffset, b, bOffset, length);
        case MIN -> k.min(a, aOffset, length);
        case MAX -> k.max(a, aOffset, length);
      };
    }

    double combine(double left, double right) {
      return Blocks.combine(ordinal(), left, right);
    }
  }

  /** SUM and DOT add; MIN and MAX follow {@code Math.min}/{@code Math.max} (NaN wins, -0 < +0). */
  private static double combine(int ordinal, double left, double right) {
    return switch (ordinal) {
      case 0, 1 -> left + right;
      case 2 -> Math.min(left, right);
      default -> Math.max(left, right);
    };
  }

  /** Walks the tree over blocks {@code [lo, hi)} of a range, computing each leaf on the way. */
  static double tree(
      FloatReduction r,
      FloatKernels k,
      float[] a,
      int aOffset,
      float[] b,
      int bOffset,
      int length,
      int lo,
      int hi) {
    if (hi - lo == 1) {
      int start = start(lo);
      return r.leaf(k, a, aOffset + start, b, bOffset + start, length(lo, length));
    }
    int mid = (lo + hi) >>> 1;
    return r.combine(
        tree(r, k, a, aOffset, b, bOffset, length, lo, mid),
        tree(r, k, a, aOffset, b, bOffset, length, mid, hi));
  }

  static double tree(
      DoubleReduction r,
      DoubleKernels k,
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      int length,
      int lo,
      int hi) {
    if (hi - lo == 1) {
      int start = start(lo);
      return r.leaf(k, a, aOffset + start, b, bOffset + start, length(lo, length));
    }
    int mid = (lo + hi) >>> 1;
    return r.combine(
        tree(r, k, a, aOffset, b, bOffset, length, lo, mid),
        tree(r, k, a, aOffset, b, bOffset, length, mid, hi));
  }

  /** Combines precomputed partials along the same tree as {@code tree}. */
  static double combine(FloatReduction r, double[] partials, int lo, int hi) {
    if (hi - lo == 1) {
      return partials[lo];
    }
    int mid = (lo + hi) >>> 1;
    return r.combine(combine(r, partials, lo, mid), combine(r, partials, mid, hi));
  }

  static double combine(DoubleReduction r, double[] partials, int lo, int hi) {
    if (hi - lo == 1) {
      return partials[lo];
    }
    int mid = (lo + hi) >>> 1;
    return r.combine(combine(r, partials, lo, mid), combine(r, partials, mid, hi));
  }
}
