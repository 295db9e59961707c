package dev.flynn.engine;

/**
 * Deterministic reductions whose block partial is not one double, on the blocks and the fixed
 * combine tree of {@link Blocks}: several sums at once (the three sums of a scaled norm, the two of
 * a variance), and positions (argmin, argmax). Every block's partial is computed alone, then the
 * partials are combined along the tree of {@link Blocks} (split {@code [lo, hi)} at {@code (lo +
 * hi) >>> 1}, left before right), so the result has the same bits for any thread count.
 */
final class Partials {

  private Partials() {}

  /** Computes the {@code width} sums of one block into {@code out[at .. at + width)}. */
  @FunctionalInterface
  interface SumsLeaf {
    void run(int start, int length, double[] out, int at);
  }

  /** The position, relative to the range, of the chosen element of one block. */
  @FunctionalInterface
  interface IndexLeaf {
    int run(int start, int length);
  }

  /** Chooses between two positions, {@code left} before {@code right} in the range. */
  @FunctionalInterface
  interface Choice {
    int choose(int left, int right);
  }

  /**
   * The {@code width} sums over a range of {@code length >= 1} elements: each block's sums by
   * {@code leaf}, on the pool when {@code pooled}, then added component by component along the
   * tree.
   */
  static double[] sums(Workers workers, boolean pooled, int length, int width, SumsLeaf leaf) {
    int blocks = Blocks.count(length);
    double[] partials = new double[blocks * width];
    if (pooled) {
      workers.forEachBlock(
          length, (start, n, block) -> leaf.run(start, n, partials, block * width));
    } else {
      for (int block = 0; block < blocks; block++) {
        leaf.run(Blocks.start(block), Blocks.length(block, length), partials, block * width);
      }
    }
    double[] result = new double[width];
    for (int c = 0; c < width; c++) {
      result[c] = add(partials, width, c, 0, blocks);
    }
    return result;
  }

  private static double add(double[] partials, int width, int c, int lo, int hi) {
    if (hi - lo == 1) {
      return partials[lo * width + c];
    }
    int mid = (lo + hi) >>> 1;
    return add(partials, width, c, lo, mid) + add(partials, width, c, mid, hi);
  }

  /**
   * The position chosen over a range of {@code length >= 1} elements: each block's by {@code leaf},
   * then pairs along the tree by {@code choice}.
   */
  static int index(Workers workers, boolean pooled, int length, IndexLeaf leaf, Choice choice) {
    int blocks = Blocks.count(length);
    if (!pooled) {
      return tree(leaf, choice, length, 0, blocks);
    }
    int[] partials = new int[blocks];
    workers.forEachBlock(length, (start, n, block) -> partials[block] = start + leaf.run(start, n));
    return combine(partials, choice, 0, blocks);
  }

  private static int tree(IndexLeaf leaf, Choice choice, int length, int lo, int hi) {
    if (hi - lo == 1) {
      int start = Blocks.start(lo);
      return start + leaf.run(start, Blocks.length(lo, length));
    }
    int mid = (lo + hi) >>> 1;
    return choice.choose(tree(leaf, choice, length, lo, mid), tree(leaf, choice, length, mid, hi));
  }

  private static int combine(int[] partials, Choice choice, int lo, int hi) {
    if (hi - lo == 1) {
      return partials[lo];
    }
    int mid = (lo + hi) >>> 1;
    return choice.choose(combine(partials, choice, lo, mid), combine(partials, choice, mid, hi));
  }

  // ---------------------------------------------------------------- choices of argmin and argmax

  /** The first NaN, else the strictly smaller (-0.0 below +0.0), else the left one. */
  static int lesser(float[] a, int offset, int left, int right) {
    float l = a[offset + left];
    float r = a[offset + right];
    if (l != l) {
      return left;
    }
    return r != r || Float.compare(r, l) < 0 ? right : left;
  }

  /** The first NaN, else the strictly greater (+0.0 above -0.0), else the left one. */
  static int greater(float[] a, int offset, int left, int right) {
    float l = a[offset + left];
    float r = a[offset + right];
    if (l != l) {
      return left;
    }
    return r != r || Float.compare(r, l) > 0 ? right : left;
  }

  static int lesser(double[] a, int offset, int left, int right) {
    double l = a[offset + left];
    double r = a[offset + right];
    if (l != l) {
      return left;
    }
    return r != r || Double.compare(r, l) < 0 ? right : left;
  }

  static int greater(double[] a, int offset, int left, int right) {
    double l = a[offset + left];
    double r = a[offset + right];
    if (l != l) {
      return left;
    }
    return r != r || Double.compare(r, l) > 0 ? right : left;
  }
}
