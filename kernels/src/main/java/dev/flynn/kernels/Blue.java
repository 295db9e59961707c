package dev.flynn.kernels;

/**
 * Blue's scaled Euclidean norm for doubles, with the constants of LAPACK 3.10's {@code dnrm2}
 * (Anderson, "Algorithm 978: Safe Scaling in the Level 1 BLAS", ACM TOMS 44, 2017). Elements are
 * sorted into three classes by magnitude and each class is summed at a scale where its squares
 * neither overflow nor underflow:
 *
 * <ul>
 *   <li>big, |x| above {@link #BIG_THRESHOLD} = 2^486: {@code (x * 2^-538)^2}, in [2^-104, 2^972];
 *   <li>medium, |x| in [2^-511, 2^486]: {@code x^2}, in [2^-1022, 2^972];
 *   <li>small, |x| below {@link #SMALL_THRESHOLD} = 2^-511: {@code (x * 2^537)^2}, below 2^52.
 * </ul>
 *
 * <p>Every scaling is by a power of two and exact; a sum of up to 2^31 squares stays below 2^1003.
 * {@link #norm} combines the three sums. The kernels compute the sums ({@code scaledSumsOfSquares}
 * in {@link DoubleKernels}); the engine adds them up block by block and calls {@link #norm} once.
 */
public final class Blue {

  /** Above this magnitude an element is big: 2^486, LAPACK's {@code tbig}. */
  public static final double BIG_THRESHOLD = 0x1p486;

  /** Below this magnitude an element is small: 2^-511, LAPACK's {@code tsml}. */
  public static final double SMALL_THRESHOLD = 0x1p-511;

  /** Big elements are multiplied by this before squaring: 2^-538, LAPACK's {@code sbig}. */
  public static final double BIG_SCALE = 0x1p-538;

  /** Small elements are multiplied by this before squaring: 2^537, LAPACK's {@code ssml}. */
  public static final double SMALL_SCALE = 0x1p537;

  private Blue() {}

  /**
   * The norm {@code sqrt(big 2^1076 + medium + small 2^-1074)} from the three sums, as LAPACK 3.10
   * finishes: when big elements exist, the small ones are negligible (below 2^-997 of the result);
   * when only medium and small ones exist, the two square roots are combined as {@code ymax sqrt(1
   * + (ymin / ymax)^2)}. A NaN sum gives NaN; an infinite {@code big} (an infinite element) gives
   * +Inf unless a NaN is present.
   */
  public static double norm(double big, double medium, double small) {
    if (big > 0 || Double.isNaN(big)) {
      if (medium > 0 || Double.isNaN(medium)) {
        big += medium * BIG_SCALE * BIG_SCALE; // medium * 2^-1076: only its leading bits matter
      }
      return Math.sqrt(big) / BIG_SCALE;
    }
    if (small > 0 || Double.isNaN(small)) {
      if (medium > 0 || Double.isNaN(medium)) {
        double m = Math.sqrt(medium);
        double s = Math.sqrt(small) / SMALL_SCALE;
        double max = Math.max(m, s);
        double min = Math.min(m, s);
        if (Double.isNaN(max)) {
          return Double.NaN;
        }
        double ratio = min / max;
        return max * Math.sqrt(1 + ratio * ratio);
      }
      return Math.sqrt(small) / SMALL_SCALE;
    }
    return Math.sqrt(medium);
  }
}
