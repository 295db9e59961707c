package dev.flynn.kernels;

/**
 * One-pass statistics (MISD: several kernels over one data stream): count, sum, min, max and the
 * sum of squared deviations, and optionally a histogram, computed block by block so that each block
 * is read from memory once and then re-read by the other kernels while it sits in L1/L2.
 *
 * <p>A partial is {@link #WIDTH} doubles at some offset of an array: {@link #COUNT}, {@link #SUM},
 * {@link #MIN}, {@link #MAX} and {@link #M2} ({@code sum (a_i - mean)^2} of the elements it
 * covers). A block's partial comes from four kernels of {@link FloatKernels} or {@link
 * DoubleKernels} on the same {@code <= 16384} elements: {@code sum}, {@code min}, {@code max}, then
 * {@code centeredSums} about the block's own mean {@code sum / n} (the corrected two-pass formula:
 * {@code M2 = s2 - s1^2 / n}), then {@code histogram}. Partials are combined with the pairwise
 * formula of Chan, Golub and LeVeque (1979): {@code M2 = M2_l + M2_r + delta^2 n_l n_r / n}, {@code
 * delta = mean_r - mean_l}, so a large offset of the data costs nothing. The blocks of a range are
 * combined along the fixed tree of the engine's reductions (split {@code [lo, hi)} of the block
 * indices at {@code (lo + hi) >>> 1}, left before right), so the sum is bit for bit the engine's
 * {@code sum} of the same kernels, and min and max are exact.
 *
 * <p>Pure loops: no threads, no allocation; arguments are trusted ({@code assert} only).
 */
public final class OnePassKernels {

  /** Elements per block: the engine's reduction block, 64 KiB of floats or 128 KiB of doubles. */
  public static final int BLOCK = 16384;

  /** Doubles per partial. */
  public static final int WIDTH = 5;

  /** Index in a partial of the element count (exact in double up to 2^53). */
  public static final int COUNT = 0;

  /** Index in a partial of the sum. */
  public static final int SUM = 1;

  /** Index in a partial of the least element. */
  public static final int MIN = 2;

  /** Index in a partial of the greatest element. */
  public static final int MAX = 3;

  /** Index in a partial of the sum of squared deviations from the partial's mean. */
  public static final int M2 = 4;

  /** Levels of the block tree: 2^31 elements are at most 2^17 blocks. */
  private static final int MAX_DEPTH = 18;

  private OnePassKernels() {}

  /** Doubles of scratch that {@link #range} needs for any length of an {@code int} range. */
  public static int scratchLength() {
    return WIDTH * MAX_DEPTH;
  }

  /**
   * The partial of {@code a[offset .. offset + length)}, {@code length >= 1}, into {@code out[at ..
   * at + WIDTH)}: blocks of {@link #BLOCK} combined along the fixed tree. When {@code rule} is not
   * null, also adds the histogram of the range to {@code counts} (bins, then below, above, NaN, as
   * {@link FloatKernels#histogram}). {@code scratch} holds at least {@link #scratchLength()}
   * doubles.
   */
  public static void range(
      FloatKernels k,
      float[] a,
      int offset,
      int length,
      EqualWidthBins rule,
      long[] counts,
      double[] out,
      int at,
      double[] scratch) {
    assert length >= 1;
    int blocks = blocks(length);
    tree(k, a, offset, length, rule, counts, 0, blocks, out, at, scratch, 0);
  }

  /** The partial of a range of doubles; see the float form. */
  public static void range(
      DoubleKernels k,
      double[] a,
      int offset,
      int length,
      EqualWidthBins rule,
      long[] counts,
      double[] out,
      int at,
      double[] scratch) {
    assert length >= 1;
    int blocks = blocks(length);
    tree(k, a, offset, length, rule, counts, 0, blocks, out, at, scratch, 0);
  }

  /**
   * The partial of one block {@code a[offset .. offset + length)}, {@code length >= 1}; histogram
   * added to {@code counts} when {@code rule} is not null.
   */
  public static void block(
      FloatKernels k,
      float[] a,
      int offset,
      int length,
      EqualWidthBins rule,
      long[] counts,
      double[] out,
      int at) {
    double sum = k.sum(a, offset, length);
    double min = k.min(a, offset, length);
    double max = k.max(a, offset, length);
    // centeredSums writes its two sums at MIN and MAX, which are filled in afterwards
    k.centeredSums(a, offset, length, sum / length, out, at + MIN);
    double s1 = out[at + MIN];
    double s2 = out[at + MAX];
    out[at + COUNT] = length;
    out[at + SUM] = sum;
    out[at + MIN] = min;
    out[at + MAX] = max;
    out[at + M2] = centered(s1, s2, length);
    if (rule != null) {
      k.histogram(a, offset, length, rule, counts);
    }
  }

  /** The partial of one block of doubles; see the float form. */
  public static void block(
      DoubleKernels k,
      double[] a,
      int offset,
      int length,
      EqualWidthBins rule,
      long[] counts,
      double[] out,
      int at) {
    double sum = k.sum(a, offset, length);
    double min = k.min(a, offset, length);
    double max = k.max(a, offset, length);
    k.centeredSums(a, offset, length, sum / length, out, at + MIN);
    double s1 = out[at + MIN];
    double s2 = out[at + MAX];
    out[at + COUNT] = length;
    out[at + SUM] = sum;
    out[at + MIN] = min;
    out[at + MAX] = max;
    out[at + M2] = centered(s1, s2, length);
    if (rule != null) {
      k.histogram(a, offset, length, rule, counts);
    }
  }

  /**
   * Combines the partial {@code left[l ..]} with the partial {@code right[r ..]} that follows it in
   * the data into {@code out[o ..]} (which may be either input). A partial of count 0 is the
   * identity. Sum: {@code sum_l + sum_r}; min and max as {@link Math#min(double, double)} and
   * {@link Math#max(double, double)} (NaN wins, -0.0 below +0.0); M2 by Chan's formula, with the
   * means taken as {@code sum / count}. Deterministic: the same inputs give the same bits.
   */
  public static void combine(double[] left, int l, double[] right, int r, double[] out, int o) {
    double nl = left[l + COUNT];
    double nr = right[r + COUNT];
    if (nl == 0 || nr == 0) {
      double[] from = nl == 0 ? right : left;
      int at = nl == 0 ? r : l;
      if (from != out || at != o) {
        System.arraycopy(from, at, out, o, WIDTH);
      }
      return;
    }
    double n = nl + nr;
    double delta = right[r + SUM] / nr - left[l + SUM] / nl;
    double m2 = left[l + M2] + right[r + M2] + delta * delta * (nl * nr / n);
    double sum = left[l + SUM] + right[r + SUM];
    double min = Math.min(left[l + MIN], right[r + MIN]);
    double max = Math.max(left[l + MAX], right[r + MAX]);
    out[o + COUNT] = n;
    out[o + SUM] = sum;
    out[o + MIN] = min;
    out[o + MAX] = max;
    out[o + M2] = m2;
  }

  /**
   * The sum of a range of floats in the engine's form: each block's {@code sum} added along the
   * fixed tree, so the result has the bits of the engine's float sum before its rounding to float.
   * Empty gives +0.0.
   */
  public static double sum(FloatKernels k, float[] a, int offset, int length) {
    return length == 0 ? 0.0 : sumTree(k, a, offset, length, 0, blocks(length));
  }

  /**
   * The sum of a range of doubles in the engine's form; see {@link #sum(FloatKernels, float[], int,
   * int)}.
   */
  public static double sum(DoubleKernels k, double[] a, int offset, int length) {
    return length == 0 ? 0.0 : sumTree(k, a, offset, length, 0, blocks(length));
  }

  private static double sumTree(FloatKernels k, float[] a, int offset, int length, int lo, int hi) {
    if (hi - lo == 1) {
      return k.sum(a, offset + lo * BLOCK, Math.min(BLOCK, length - lo * BLOCK));
    }
    int mid = (lo + hi) >>> 1;
    return sumTree(k, a, offset, length, lo, mid) + sumTree(k, a, offset, length, mid, hi);
  }

  private static double sumTree(
      DoubleKernels k, double[] a, int offset, int length, int lo, int hi) {
    if (hi - lo == 1) {
      return k.sum(a, offset + lo * BLOCK, Math.min(BLOCK, length - lo * BLOCK));
    }
    int mid = (lo + hi) >>> 1;
    return sumTree(k, a, offset, length, lo, mid) + sumTree(k, a, offset, length, mid, hi);
  }

  private static int blocks(int length) {
    return (int) (((long) length + BLOCK - 1) / BLOCK);
  }

  /** Blocks {@code [lo, hi)} into {@code out[at ..]}; the right halves use scratch by depth. */
  private static void tree(
      FloatKernels k,
      float[] a,
      int offset,
      int length,
      EqualWidthBins rule,
      long[] counts,
      int lo,
      int hi,
      double[] out,
      int at,
      double[] scratch,
      int depth) {
    if (hi - lo == 1) {
      block(k, a, offset + lo * BLOCK, Math.min(BLOCK, length - lo * BLOCK), rule, counts, out, at);
      return;
    }
    int mid = (lo + hi) >>> 1;
    int right = depth * WIDTH;
    tree(k, a, offset, length, rule, counts, lo, mid, out, at, scratch, depth + 1);
    tree(k, a, offset, length, rule, counts, mid, hi, scratch, right, scratch, depth + 1);
    combine(out, at, scratch, right, out, at);
  }

  private static void tree(
      DoubleKernels k,
      double[] a,
      int offset,
      int length,
      EqualWidthBins rule,
      long[] counts,
      int lo,
      int hi,
      double[] out,
      int at,
      double[] scratch,
      int depth) {
    if (hi - lo == 1) {
      block(k, a, offset + lo * BLOCK, Math.min(BLOCK, length - lo * BLOCK), rule, counts, out, at);
      return;
    }
    int mid = (lo + hi) >>> 1;
    int right = depth * WIDTH;
    tree(k, a, offset, length, rule, counts, lo, mid, out, at, scratch, depth + 1);
    tree(k, a, offset, length, rule, counts, mid, hi, scratch, right, scratch, depth + 1);
    combine(out, at, scratch, right, out, at);
  }

  /**
   * {@code s2 - s1^2 / n}, never below zero (rounding could take it there for constant data); +Inf
   * stays +Inf (squares overflowed), NaN stays NaN (an infinite or NaN element).
   */
  private static double centered(double s1, double s2, int n) {
    if (s2 == Double.POSITIVE_INFINITY) {
      return s2;
    }
    return Math.max(0.0, s2 - s1 * s1 / n);
  }
}
