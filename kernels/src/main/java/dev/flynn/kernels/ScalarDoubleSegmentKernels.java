package dev.flynn.kernels;

import static dev.flynn.kernels.DoubleSegmentKernels.DOUBLE_LE;
import static dev.flynn.kernels.FloatSegmentKernels.FLOAT_LE;
import static dev.flynn.kernels.SimilarityKernels.COSINE_TERMS;

import java.lang.foreign.MemorySegment;

/**
 * SISD double kernels over memory segments: the loops of {@link ScalarDoubleKernels} (and the
 * double loops of {@link ScalarSimilarityKernels}, safe paths included), element by element,
 * reading and writing little-endian doubles in place. Same order, same accumulator, same bits.
 */
public final class ScalarDoubleSegmentKernels implements DoubleSegmentKernels {

  /** The single instance; the class has no state. */
  public static final ScalarDoubleSegmentKernels INSTANCE = new ScalarDoubleSegmentKernels();

  private static final long BYTES = Double.BYTES;
  private static final long FLOAT_BYTES = Float.BYTES;

  private ScalarDoubleSegmentKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public double sum(MemorySegment a, long aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a.get(DOUBLE_LE, aOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a.get(DOUBLE_LE, aOffset + i * BYTES) * b.get(DOUBLE_LE, bOffset + i * BYTES);
    }
    return sum;
  }

  @Override
  public double min(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    double min = a.get(DOUBLE_LE, aOffset);
    for (int i = 1; i < length; i++) {
      min = Math.min(min, a.get(DOUBLE_LE, aOffset + i * BYTES));
    }
    return min;
  }

  @Override
  public double max(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    double max = a.get(DOUBLE_LE, aOffset);
    for (int i = 1; i < length; i++) {
      max = Math.max(max, a.get(DOUBLE_LE, aOffset + i * BYTES));
    }
    return max;
  }

  @Override
  public void add(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) + b.get(DOUBLE_LE, bOffset + at));
    }
  }

  @Override
  public void sub(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) - b.get(DOUBLE_LE, bOffset + at));
    }
  }

  @Override
  public void mul(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) * b.get(DOUBLE_LE, bOffset + at));
    }
  }

  @Override
  public void div(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          DOUBLE_LE,
          outOffset + at,
          a.get(DOUBLE_LE, aOffset + at) / b.get(DOUBLE_LE, bOffset + at));
    }
  }

  @Override
  public void scale(
      double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(DOUBLE_LE, outOffset + at, alpha * x.get(DOUBLE_LE, xOffset + at));
    }
  }

  @Override
  public void axpy(
      double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      double r =
          FusedMultiplyAdd.mulAdd(
              alpha, x.get(DOUBLE_LE, xOffset + at), y.get(DOUBLE_LE, yOffset + at));
      y.set(DOUBLE_LE, yOffset + at, r);
    }
  }

  @Override
  public void fma(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment c,
      long cOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      double r =
          Math.fma(
              a.get(DOUBLE_LE, aOffset + at),
              b.get(DOUBLE_LE, bOffset + at),
              c.get(DOUBLE_LE, cOffset + at));
      out.set(DOUBLE_LE, outOffset + at, r);
    }
  }

  // ---------------------------------------------------------------- maps

  @Override
  public void neg(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(DOUBLE_LE, outOffset + at, -x.get(DOUBLE_LE, xOffset + at));
    }
  }

  @Override
  public void abs(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(DOUBLE_LE, outOffset + at, Math.abs(x.get(DOUBLE_LE, xOffset + at)));
    }
  }

  @Override
  public void sqrt(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(DOUBLE_LE, outOffset + at, Math.sqrt(x.get(DOUBLE_LE, xOffset + at)));
    }
  }

  @Override
  public void relu(MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(DOUBLE_LE, outOffset + at, Math.max(x.get(DOUBLE_LE, xOffset + at), 0.0));
    }
  }

  @Override
  public void clamp(
      MemorySegment x,
      long xOffset,
      double lo,
      double hi,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          DOUBLE_LE, outOffset + at, Math.min(Math.max(x.get(DOUBLE_LE, xOffset + at), lo), hi));
    }
  }

  @Override
  public void minimum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          DOUBLE_LE,
          outOffset + at,
          Math.min(a.get(DOUBLE_LE, aOffset + at), b.get(DOUBLE_LE, bOffset + at)));
    }
  }

  @Override
  public void maximum(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      out.set(
          DOUBLE_LE,
          outOffset + at,
          Math.max(a.get(DOUBLE_LE, aOffset + at), b.get(DOUBLE_LE, bOffset + at)));
    }
  }

  @Override
  public void select(
      MemorySegment a,
      long aOffset,
      Comparison comparison,
      double threshold,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      double r =
          comparison.test(a.get(DOUBLE_LE, aOffset + at), threshold)
              ? ifTrue.get(DOUBLE_LE, ifTrueOffset + at)
              : ifFalse.get(DOUBLE_LE, ifFalseOffset + at);
      out.set(DOUBLE_LE, outOffset + at, r);
    }
  }

  @Override
  public void selectPairwise(
      MemorySegment a,
      long aOffset,
      Comparison comparison,
      MemorySegment b,
      long bOffset,
      MemorySegment ifTrue,
      long ifTrueOffset,
      MemorySegment ifFalse,
      long ifFalseOffset,
      MemorySegment out,
      long outOffset,
      int length) {
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      double r =
          comparison.test(a.get(DOUBLE_LE, aOffset + at), b.get(DOUBLE_LE, bOffset + at))
              ? ifTrue.get(DOUBLE_LE, ifTrueOffset + at)
              : ifFalse.get(DOUBLE_LE, ifFalseOffset + at);
      out.set(DOUBLE_LE, outOffset + at, r);
    }
  }

  @Override
  public void toFloat(
      MemorySegment x, long xOffset, MemorySegment out, long outOffset, int length) {
    for (int i = 0; i < length; i++) {
      out.set(FLOAT_LE, outOffset + i * FLOAT_BYTES, (float) x.get(DOUBLE_LE, xOffset + i * BYTES));
    }
  }

  // ---------------------------------------------------------------- statistics

  @Override
  public int argmin(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int best = 0;
    double min = a.get(DOUBLE_LE, aOffset);
    if (min != min) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      double x = a.get(DOUBLE_LE, aOffset + i * BYTES);
      if (x != x) {
        return i; // the first NaN wins
      }
      // Double.compare orders -0.0 below +0.0; strictly below keeps the first of equal elements.
      if (Double.compare(x, min) < 0) {
        min = x;
        best = i;
      }
    }
    return best;
  }

  @Override
  public int argmax(MemorySegment a, long aOffset, int length) {
    assert length >= 1;
    int best = 0;
    double max = a.get(DOUBLE_LE, aOffset);
    if (max != max) {
      return 0;
    }
    for (int i = 1; i < length; i++) {
      double x = a.get(DOUBLE_LE, aOffset + i * BYTES);
      if (x != x) {
        return i;
      }
      if (Double.compare(x, max) > 0) {
        max = x;
        best = i;
      }
    }
    return best;
  }

  @Override
  public double sumOfSquares(MemorySegment a, long aOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double x = a.get(DOUBLE_LE, aOffset + i * BYTES);
      sum += x * x;
    }
    return sum;
  }

  @Override
  public void scaledSumsOfSquares(
      MemorySegment a, long aOffset, int length, double[] sums, int sumsOffset) {
    double big = 0;
    double medium = 0;
    double small = 0;
    for (int i = 0; i < length; i++) {
      double x = Math.abs(a.get(DOUBLE_LE, aOffset + i * BYTES));
      if (x > Blue.BIG_THRESHOLD) {
        double scaled = x * Blue.BIG_SCALE;
        big += scaled * scaled;
      } else if (x < Blue.SMALL_THRESHOLD) {
        double scaled = x * Blue.SMALL_SCALE;
        small += scaled * scaled;
      } else {
        medium += x * x; // NaN lands here: it fails both comparisons
      }
    }
    sums[sumsOffset] = big;
    sums[sumsOffset + 1] = medium;
    sums[sumsOffset + 2] = small;
  }

  @Override
  public void centeredSums(
      MemorySegment a, long aOffset, int length, double center, double[] sums, int sumsOffset) {
    double sum = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < length; i++) {
      double d = a.get(DOUBLE_LE, aOffset + i * BYTES) - center;
      sum += d;
      sumOfSquares += d * d;
    }
    sums[sumsOffset] = sum;
    sums[sumsOffset + 1] = sumOfSquares;
  }

  @Override
  public int count(
      MemorySegment a, long aOffset, int length, Comparison comparison, double threshold) {
    int count = 0;
    for (int i = 0; i < length; i++) {
      if (comparison.test(a.get(DOUBLE_LE, aOffset + i * BYTES), threshold)) {
        count++;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------- similarity

  @Override
  public double cosine(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = a.get(DOUBLE_LE, aOffset + i * BYTES);
      double y = b.get(DOUBLE_LE, bOffset + i * BYTES);
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (ScalarSimilarityKernels.inCosineRange(sumA)
        && ScalarSimilarityKernels.inCosineRange(sumB)) {
      return SimilarityKernels.cosineOf(dot, sumA, sumB);
    }
    return scaledCosine(a, aOffset, b, bOffset, length);
  }

  @Override
  public void cosineTerms(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      int length,
      double[] terms,
      int at) {
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = a.get(DOUBLE_LE, aOffset + i * BYTES);
      double y = b.get(DOUBLE_LE, bOffset + i * BYTES);
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    if (ScalarSimilarityKernels.inCosineRange(sumA)
        && ScalarSimilarityKernels.inCosineRange(sumB)) {
      terms[at] = dot;
      terms[at + 1] = sumA;
      terms[at + 2] = sumB;
      terms[at + 3] = 0;
      terms[at + 4] = 0;
    } else {
      scaledTerms(a, aOffset, b, bOffset, length, terms, at);
    }
  }

  @Override
  public double squaredDistance(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      double d = a.get(DOUBLE_LE, aOffset + i * BYTES) - b.get(DOUBLE_LE, bOffset + i * BYTES);
      sum += d * d;
    }
    return ScalarSimilarityKernels.distanceInRange(sum)
        ? sum
        : scaledSquaredDistance(a, aOffset, b, bOffset, length);
  }

  /** As {@code ScalarSimilarityKernels.scaledTerms}, reading segments: the same bits. */
  static void scaledTerms(
      MemorySegment a,
      long aOffset,
      MemorySegment b,
      long bOffset,
      int length,
      double[] terms,
      int at) {
    double maxA = 0;
    double maxB = 0;
    for (int i = 0; i < length; i++) {
      maxA = Math.max(maxA, Math.abs(a.get(DOUBLE_LE, aOffset + i * BYTES)));
      maxB = Math.max(maxB, Math.abs(b.get(DOUBLE_LE, bOffset + i * BYTES)));
    }
    if (!Double.isFinite(maxA) || !Double.isFinite(maxB)) {
      terms[at] = Double.NaN;
      terms[at + 1] = Double.NaN;
      terms[at + 2] = Double.NaN;
      terms[at + 3] = 0;
      terms[at + 4] = 0;
      return;
    }
    int ea = maxA == 0 ? 0 : Math.getExponent(maxA);
    int eb = maxB == 0 ? 0 : Math.getExponent(maxB);
    double dot = 0;
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < length; i++) {
      double x = Math.scalb(a.get(DOUBLE_LE, aOffset + i * BYTES), -ea);
      double y = Math.scalb(b.get(DOUBLE_LE, bOffset + i * BYTES), -eb);
      dot += x * y;
      sumA += x * x;
      sumB += y * y;
    }
    terms[at] = dot;
    terms[at + 1] = sumA;
    terms[at + 2] = sumB;
    terms[at + 3] = ea;
    terms[at + 4] = eb;
  }

  /** The cosine from {@link #scaledTerms}: the scale factors cancel. Allocates: slow path only. */
  static double scaledCosine(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double[] terms = new double[COSINE_TERMS];
    scaledTerms(a, aOffset, b, bOffset, length, terms, 0);
    return SimilarityKernels.cosineOf(terms[0], terms[1], terms[2]);
  }

  /** As {@code ScalarSimilarityKernels.scaledSquaredDistance}, reading segments: the same bits. */
  static double scaledSquaredDistance(
      MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    double maxD = 0;
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      maxD =
          Math.max(maxD, Math.abs(a.get(DOUBLE_LE, aOffset + at) - b.get(DOUBLE_LE, bOffset + at)));
    }
    if (maxD == 0 || !Double.isFinite(maxD)) {
      return maxD; // +0, NaN or +Inf
    }
    int e = Math.getExponent(maxD);
    double sum = 0;
    for (int i = 0; i < length; i++) {
      long at = i * BYTES;
      double d = Math.scalb(a.get(DOUBLE_LE, aOffset + at) - b.get(DOUBLE_LE, bOffset + at), -e);
      sum += d * d;
    }
    return Math.scalb(sum, 2 * e);
  }

  // ---------------------------------------------------------------- scan

  @Override
  public double prefixSum(
      MemorySegment a, long aOffset, MemorySegment out, long outOffset, int length, double carry) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a.get(DOUBLE_LE, aOffset + i * BYTES);
      out.set(DOUBLE_LE, outOffset + i * BYTES, carry + run);
    }
    return run;
  }

  @Override
  public double prefixSumTotal(MemorySegment a, long aOffset, int length) {
    double run = 0;
    for (int i = 0; i < length; i++) {
      run += a.get(DOUBLE_LE, aOffset + i * BYTES);
    }
    return run;
  }
}
