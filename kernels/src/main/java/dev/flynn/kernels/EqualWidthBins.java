package dev.flynn.kernels;

import java.math.BigDecimal;

/**
 * The exact rule that places a value in one of {@code bins} equal-width bins over {@code [lo, hi)}.
 *
 * <p>Bin {@code k} holds exactly the {@code x} with {@code lo + k (hi - lo) / bins <= x < lo + (k +
 * 1) (hi - lo) / bins}, the edges taken in real arithmetic, not rounded: {@code k = floor(bins (x -
 * lo) / (hi - lo))} computed exactly. Values below {@code lo} (with -Inf), at or above {@code hi}
 * (with {@code hi} itself and +Inf) and NaN are in no bin; kernels count them apart.
 *
 * <p>How a kernel follows the rule: it computes {@code t = (x - lo) * scale} in double, with {@code
 * scale = bins / (hi - lo)}. Four roundings put {@code t} within {@code 4.0001 * 2^-53 * bins} of
 * the exact quotient, so when {@code t} is at least {@link #margin()} away from every integer its
 * floor is the bin. Otherwise (a value on or next to an edge, or a range so wide or narrow that
 * {@code scale} or {@code t} overflows) {@link #exactBin} decides by exact comparisons with the
 * edges: the sign of {@code bins x - k hi - (bins - k) lo} as an error-free sum of six doubles, no
 * allocation ({@link Math#fma} splits the products: exact in every JVM, fast with hardware FMA).
 * Only for double bounds beyond {@code 2^991} (about 4e298) in magnitude, where those products
 * could overflow, does the comparison use {@link BigDecimal}.
 *
 * <p>Immutable; float data use the same rule, their values and bounds being exact doubles.
 */
public final class EqualWidthBins {

  /**
   * Up to this magnitude of {@code lo} and {@code hi} (so of {@code x} too), {@code bins * x} with
   * {@code bins < 2^31} stays below 2^1023, and a sum of six such terms cannot overflow.
   */
  private static final double EXACT_IN_DOUBLES_LIMIT = 0x1p991;

  private final double lo;
  private final double hi;
  private final int bins;
  private final double scale;
  private final double margin;
  private final boolean exactInDoubles;

  /** {@code lo} and {@code hi} as BigDecimal, for the comparisons of the widest ranges only. */
  private final BigDecimal bigLo;

  private final BigDecimal bigHi;

  /**
   * The rule for {@code bins} bins over {@code [lo, hi)}. The engine checks the arguments at its
   * public door; here they are only asserted.
   *
   * @param lo the lowest value of bin 0, finite
   * @param hi the end of the last bin (excluded), finite, above {@code lo}
   * @param bins the number of bins, at least 1
   */
  public EqualWidthBins(double lo, double hi, int bins) {
    assert Double.isFinite(lo) && Double.isFinite(hi) && lo < hi && bins >= 1;
    this.lo = lo;
    this.hi = hi;
    this.bins = bins;
    // Infinite when hi - lo overflows or bins / (hi - lo) does: t is then never trusted.
    this.scale = bins / (hi - lo);
    this.margin = 0x1p-50 * (bins + 1.0); // 8 * 2^-53 * (bins + 1): twice the error of t
    this.exactInDoubles =
        Math.abs(lo) <= EXACT_IN_DOUBLES_LIMIT && Math.abs(hi) <= EXACT_IN_DOUBLES_LIMIT;
    this.bigLo = exactInDoubles ? null : new BigDecimal(lo);
    this.bigHi = exactInDoubles ? null : new BigDecimal(hi);
  }

  /** The lower end of bin 0. */
  public double lo() {
    return lo;
  }

  /** The end of the last bin, itself in no bin. */
  public double hi() {
    return hi;
  }

  /** The number of bins. */
  public int bins() {
    return bins;
  }

  /** {@code bins / (hi - lo)} as rounded in double; infinite when it overflows. */
  public double scale() {
    return scale;
  }

  /**
   * How far {@code t = (x - lo) * scale} must be from an integer for its floor to be trusted: twice
   * the largest error of {@code t}.
   */
  public double margin() {
    return margin;
  }

  /**
   * The bin of {@code x}, for {@code lo <= x < hi}, exactly by the rule: the fast path of the
   * kernels, then {@link #exactBin} where it cannot decide.
   */
  public int bin(double x) {
    assert x >= lo && x < hi;
    double t = (x - lo) * scale;
    int k = (int) t;
    double fraction = t - k;
    if (fraction >= margin && fraction <= 1 - margin) {
      return k;
    }
    return exactBin(x, k);
  }

  /**
   * Counts {@code x} into {@code counts}: {@code counts[k]} for bin {@code k}, {@code counts[bins]}
   * below {@code lo}, {@code counts[bins + 1]} at or above {@code hi}, {@code counts[bins + 2]}
   * NaN. The scalar kernels' loop body and the vector kernels' tail.
   */
  public void count(double x, long[] counts) {
    if (x >= lo) {
      if (x < hi) {
        counts[bin(x)]++;
      } else {
        counts[bins + 1]++;
      }
    } else if (x < lo) {
      counts[bins]++;
    } else {
      counts[bins + 2]++;
    }
  }

  /**
   * The bin of {@code x}, for {@code lo <= x < hi}, by exact comparisons with the edges next to
   * {@code candidate} (any int; usually right or off by one), searching further only when it is far
   * off.
   */
  public int exactBin(double x, int candidate) {
    assert x >= lo && x < hi;
    int k = candidate;
    if (!exactInDoubles || !(k >= 0 && k < bins)) {
      k = halvedCandidate(x);
    }
    int low;
    int high;
    if (!atOrAboveEdge(x, k)) {
      if (atOrAboveEdge(x, k - 1)) {
        return k - 1;
      }
      low = 0;
      high = k - 2;
    } else if (atOrAboveEdge(x, k + 1)) {
      if (!atOrAboveEdge(x, k + 2)) {
        return k + 1;
      }
      low = k + 2;
      high = bins - 1;
    } else {
      return k;
    }
    // The largest j in [low, high] with x at or above edge j; edge 0 is lo, so one exists.
    while (low < high) {
      int mid = (int) (((long) low + high + 1) >>> 1);
      if (atOrAboveEdge(x, mid)) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /** A candidate that cannot overflow: halving keeps hi - lo finite. Clamped to a bin. */
  private int halvedCandidate(double x) {
    double t = (0.5 * x - 0.5 * lo) * (bins / (0.5 * hi - 0.5 * lo));
    int k = (int) t; // NaN gives 0
    return Math.max(0, Math.min(bins - 1, k));
  }

  /**
   * Whether {@code x >= lo + k (hi - lo) / bins} in exact arithmetic, for {@code 0 <= k <= bins}.
   */
  boolean atOrAboveEdge(double x, int k) {
    if (k <= 0) {
      return x >= lo;
    }
    if (k >= bins) {
      return x >= hi;
    }
    // x >= edge k  <=>  bins x - k hi - (bins - k) lo >= 0, as bins > 0.
    if (exactInDoubles) {
      return signOfEdgeDifference(x, k) >= 0;
    }
    BigDecimal left = new BigDecimal(x).multiply(BigDecimal.valueOf(bins));
    BigDecimal right =
        bigHi.multiply(BigDecimal.valueOf(k)).add(bigLo.multiply(BigDecimal.valueOf(bins - k)));
    return left.compareTo(right) >= 0;
  }

  /**
   * The exact sign of {@code bins x - k hi - (bins - k) lo}. Each product of an int and a double is
   * split into its rounded value and its exact error (the error of {@code n v} for an integer
   * {@code n < 2^31} is a multiple of {@code ulp(v)} below {@code 2^31 ulp(v)}, so it is a double
   * even among subnormals); the six terms are summed without error below.
   */
  private int signOfEdgeDifference(double x, int k) {
    double n = bins;
    double m = bins - k;
    double kd = k;
    double p0 = n * x;
    double e0 = Math.fma(n, x, -p0);
    double p1 = kd * hi;
    double e1 = Math.fma(kd, hi, -p1);
    double p2 = m * lo;
    double e2 = Math.fma(m, lo, -p2);
    return signOfSum(p0, e0, -p1, -e1, -p2, -e2);
  }

  /**
   * The exact sign of the sum of six finite doubles whose partial sums cannot overflow: passes of
   * error-free running sums (Ogita, Rump and Oishi's VecSum) move the value into the last term and
   * leave only rounding errors in the others, until the last term outweighs the rest or the rest is
   * zero.
   */
  static int signOfSum(double s0, double s1, double s2, double s3, double s4, double s5) {
    while (true) {
      double t = s0 + s1;
      s0 = twoSumError(s0, s1, t);
      s1 = t;
      t = s1 + s2;
      s1 = twoSumError(s1, s2, t);
      s2 = t;
      t = s2 + s3;
      s2 = twoSumError(s2, s3, t);
      s3 = t;
      t = s3 + s4;
      s3 = twoSumError(s3, s4, t);
      s4 = t;
      t = s4 + s5;
      s4 = twoSumError(s4, s5, t);
      s5 = t;
      double rest = Math.abs(s0) + Math.abs(s1) + Math.abs(s2) + Math.abs(s3) + Math.abs(s4);
      // The computed rest is at least (1 - 5 * 2^-53) of the true one: twice it is a safe bound.
      if (rest == 0 || Math.abs(s5) > 2 * rest) {
        return s5 > 0 ? 1 : s5 < 0 ? -1 : 0;
      }
    }
  }

  /** Knuth's TwoSum: the exact error {@code a + b - sum} of the rounded {@code sum = a + b}. */
  private static double twoSumError(double a, double b, double sum) {
    double bVirtual = sum - a;
    double aVirtual = sum - bVirtual;
    return (a - aVirtual) + (b - bVirtual);
  }
}
