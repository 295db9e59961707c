package dev.flynn.kernels;

import dev.flynn.nativecheck.SimdVerdict;
import dev.flynn.nativecheck.VectorSupport;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses, once per JVM, which kernel implementations back the SIMD modes, and says why.
 *
 * <p>The vector classes are loaded by name, and only after {@link VectorSupport} has found the
 * Vector API usable: a JVM without {@code jdk.incubator.vector} never links them. The choice logs
 * one INFO line naming the path and vector width, and one WARNING line per reason for falling back,
 * each with its fix. Nothing here throws: every failure ends in the scalar kernels.
 *
 * <p>The system property {@value #PROPERTY} forces a path for tests and benchmarks: {@code scalar}
 * makes the SIMD modes run scalar code, {@code vector} insists on vectors (falling back with a
 * warning when they are unusable), {@code auto} (the default) follows the verdict.
 */
public final class Kernels {

  /** System property that forces a path: {@code auto}, {@code scalar} or {@code vector}. */
  public static final String PROPERTY = "flynn.kernels";

  private static final System.Logger LOG = System.getLogger("dev.flynn.kernels");

  private static final Choice CHOICE = choose();

  private Kernels() {}

  private record Choice(
      FloatKernels floats,
      DoubleKernels doubles,
      SimilarityKernels similarity,
      FloatMatrixKernels floatMatrices,
      DoubleMatrixKernels doubleMatrices,
      IntKernels ints,
      LongKernels longs,
      String description) {}

  /** The SISD float kernels. */
  public static FloatKernels scalarFloats() {
    return ScalarFloatKernels.INSTANCE;
  }

  /** The SISD double kernels. */
  public static DoubleKernels scalarDoubles() {
    return ScalarDoubleKernels.INSTANCE;
  }

  /** The SISD int kernels. */
  public static IntKernels scalarInts() {
    return ScalarIntKernels.INSTANCE;
  }

  /** The SISD long kernels. */
  public static LongKernels scalarLongs() {
    return ScalarLongKernels.INSTANCE;
  }

  /** The float kernels for the SIMD modes: the vector ones when active, else the scalar ones. */
  public static FloatKernels vectorFloats() {
    return CHOICE.floats();
  }

  /** The double kernels for the SIMD modes: the vector ones when active, else the scalar ones. */
  public static DoubleKernels vectorDoubles() {
    return CHOICE.doubles();
  }

  /** The SISD similarity kernels (cosine, squared distance, query scores). */
  public static SimilarityKernels scalarSimilarity() {
    return ScalarSimilarityKernels.INSTANCE;
  }

  /** The similarity kernels for the SIMD modes, chosen with the float and double ones. */
  public static SimilarityKernels vectorSimilarity() {
    return CHOICE.similarity();
  }

  /** The SISD float matrix kernels ({@code gemm}, {@code gemv}). */
  public static FloatMatrixKernels scalarFloatMatrices() {
    return ScalarFloatMatrixKernels.INSTANCE;
  }

  /** The SISD double matrix kernels ({@code gemm}, {@code gemv}). */
  public static DoubleMatrixKernels scalarDoubleMatrices() {
    return ScalarDoubleMatrixKernels.INSTANCE;
  }

  /** The float matrix kernels for the SIMD modes: vector ones when active, else scalar ones. */
  public static FloatMatrixKernels vectorFloatMatrices() {
    return CHOICE.floatMatrices();
  }

  /** The double matrix kernels for the SIMD modes: vector ones when active, else scalar ones. */
  public static DoubleMatrixKernels vectorDoubleMatrices() {
    return CHOICE.doubleMatrices();
  }

  /** The int kernels for the SIMD modes: the vector ones when active, else the scalar ones. */
  public static IntKernels vectorInts() {
    return CHOICE.ints();
  }

  /** The long kernels for the SIMD modes: the vector ones when active, else the scalar ones. */
  public static LongKernels vectorLongs() {
    return CHOICE.longs();
  }

  /** The SISD float kernels over memory segments. */
  public static FloatSegmentKernels scalarFloatSegments() {
    return ScalarFloatSegmentKernels.INSTANCE;
  }

  /** The SISD double kernels over memory segments. */
  public static DoubleSegmentKernels scalarDoubleSegments() {
    return ScalarDoubleSegmentKernels.INSTANCE;
  }

  /** The float segment kernels for the SIMD modes: vector exactly when {@link #vectorFloats} is. */
  public static FloatSegmentKernels vectorFloatSegments() {
    return SegmentChoice.FLOATS;
  }

  /**
   * The double segment kernels for the SIMD modes: vector exactly when {@link #vectorDoubles} is.
   */
  public static DoubleSegmentKernels vectorDoubleSegments() {
    return SegmentChoice.DOUBLES;
  }

  /** The SISD int kernels over memory segments. */
  public static IntSegmentKernels scalarIntSegments() {
    return ScalarIntSegmentKernels.INSTANCE;
  }

  /** The SISD long kernels over memory segments. */
  public static LongSegmentKernels scalarLongSegments() {
    return ScalarLongSegmentKernels.INSTANCE;
  }

  /** The int segment kernels for the SIMD modes: vector exactly when {@link #vectorInts} is. */
  public static IntSegmentKernels vectorIntSegments() {
    return SegmentChoice.INTS;
  }

  /** The long segment kernels for the SIMD modes: vector exactly when {@link #vectorLongs} is. */
  public static LongSegmentKernels vectorLongSegments() {
    return SegmentChoice.LONGS;
  }

  /** True when the SIMD modes really run vector code. */
  public static boolean vectorActive() {
    return CHOICE.floats() != ScalarFloatKernels.INSTANCE;
  }

  /** One line on the chosen path, as logged at start-up. */
  public static String description() {
    return CHOICE.description();
  }

  private static Choice choose() {
    String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    if (!forced.equals("auto") && !forced.equals("scalar") && !forced.equals("vector")) {
      LOG.log(
          Level.WARNING,
          "Flynn: ignoring -D{0}={1}: the values are auto, scalar and vector",
          PROPERTY,
          forced);
      forced = "auto";
    }
    if (forced.equals("scalar")) {
      return scalar("scalar kernels, forced by -D" + PROPERTY + "=scalar");
    }
    SimdVerdict verdict = VectorSupport.verdict();
    if (!verdict.active()) {
      for (SimdVerdict.Reason reason : verdict.reasons()) {
        LOG.log(Level.WARNING, "Flynn: vector kernels are off: {0}", reason);
      }
      return scalar("scalar kernels, the Vector API is not usable in this JVM");
    }
    try {
      FloatKernels floats = (FloatKernels) load("VectorFloatKernels");
      DoubleKernels doubles = (DoubleKernels) load("VectorDoubleKernels");
      SimilarityKernels similarity = (SimilarityKernels) load("VectorSimilarityKernels");
      FloatMatrixKernels floatMatrices = (FloatMatrixKernels) load("VectorFloatMatrixKernels");
      DoubleMatrixKernels doubleMatrices = (DoubleMatrixKernels) load("VectorDoubleMatrixKernels");
      IntKernels ints = (IntKernels) load("VectorIntKernels");
      LongKernels longs = (LongKernels) load("VectorLongKernels");
      String description =
          String.format(
              Locale.ROOT,
              "vector kernels, %d-bit (float x%d, double x%d), fused multiply-add %s",
              verdict.preferredVectorBits(),
              verdict.preferredVectorBits() / Float.SIZE,
              verdict.preferredVectorBits() / Double.SIZE,
              FusedMultiplyAdd.FAST ? "in hardware" : "off (no hardware FMA)");
      LOG.log(Level.INFO, "Flynn: {0}", description);
      return new Choice(
          floats, doubles, similarity, floatMatrices, doubleMatrices, ints, longs, description);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Flynn: vector kernels are off: loading them failed ({0}). Fix: report this with the"
              + " output of ./flynn check",
          e.toString());
      return scalar("scalar kernels, loading the vector kernels failed");
    }
  }

  private static Choice scalar(String description) {
    LOG.log(Level.INFO, "Flynn: {0}", description);
    return new Choice(
        ScalarFloatKernels.INSTANCE,
        ScalarDoubleKernels.INSTANCE,
        ScalarSimilarityKernels.INSTANCE,
        ScalarFloatMatrixKernels.INSTANCE,
        ScalarDoubleMatrixKernels.INSTANCE,
        ScalarIntKernels.INSTANCE,
        ScalarLongKernels.INSTANCE,
        description);
  }

  /**
   * The segment kernels follow the array kernels' choice, decided above; they load on first use, so
   * a program that never touches a segment never links them. Vector array kernels with scalar
   * segment kernels would break the promise that a segment reduction gives the array's bits, so a
   * failure here is logged like any other fallback.
   */
  private static final class SegmentChoice {
    static final FloatSegmentKernels FLOATS =
        vectorActive()
            ? loadOr("VectorFloatSegmentKernels", ScalarFloatSegmentKernels.INSTANCE)
            : ScalarFloatSegmentKernels.INSTANCE;
    static final DoubleSegmentKernels DOUBLES =
        vectorActive()
            ? loadOr("VectorDoubleSegmentKernels", ScalarDoubleSegmentKernels.INSTANCE)
            : ScalarDoubleSegmentKernels.INSTANCE;
    static final IntSegmentKernels INTS =
        vectorActive()
            ? loadOr("VectorIntSegmentKernels", ScalarIntSegmentKernels.INSTANCE)
            : ScalarIntSegmentKernels.INSTANCE;
    static final LongSegmentKernels LONGS =
        vectorActive()
            ? loadOr("VectorLongSegmentKernels", ScalarLongSegmentKernels.INSTANCE)
            : ScalarLongSegmentKernels.INSTANCE;

    private static <T> T loadOr(String simpleName, T fallback) {
      try {
        @SuppressWarnings("unchecked")
        T loaded = (T) load(simpleName);
        return loaded;
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "Flynn: vector segment kernels are off: loading {0} failed ({1}); segment reductions"
                + " in the SIMD modes may then differ from array ones in the last bits. Fix:"
                + " report this with the output of ./flynn check",
            simpleName,
            e.toString());
        return fallback;
      }
    }
  }

  private static Object load(String simpleName) throws ReflectiveOperationException {
    Class<?> type = Class.forName(Kernels.class.getPackageName() + "." + simpleName);
    return type.getDeclaredConstructor().newInstance();
  }
}
