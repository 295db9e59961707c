package dev.flynn.nativecheck;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether the Vector API is worth using in this JVM. The engine's dispatch and the {@code
 * check} command both ask this class, so they can never disagree.
 *
 * <p>The rules follow Lucene's vectorization provider: the module {@code jdk.incubator.vector} must
 * be readable, the VM must be HotSpot with C2 as its top compiler (the Vector API is only
 * intrinsified by C2; elsewhere every lane operation is a slow Java fallback), and the preferred
 * vector must be at least 128 bits wide.
 */
public final class VectorSupport {

  /** The module that holds the Vector API. */
  public static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** Narrower vectors than this give no speed-up worth the dispatch. */
  public static final int MINIMUM_VECTOR_BITS = 128;

  private static final SimdVerdict VERDICT = evaluate(Inputs.ofThisJvm());

  private VectorSupport() {}

  /** The verdict for this JVM, computed once. */
  public static SimdVerdict verdict() {
    return VERDICT;
  }

  /**
   * The facts the verdict is made of, separated from the JVM so that each rule can be tested.
   *
   * @param moduleReadable {@code jdk.incubator.vector} is in the boot layer
   * @param vmName {@code java.vm.name}
   * @param vmInfo {@code java.vm.info} (says "interpreted mode" under {@code -Xint})
   * @param flags HotSpot flags by name, see {@link HotSpotFlags}
   * @param preferredVectorBits the preferred species width, 0 when the module is not readable
   */
  public record Inputs(
      boolean moduleReadable,
      String vmName,
      String vmInfo,
      Map<String, String> flags,
      int preferredVectorBits) {

    /** Missing facts read as empty: the verdict must never throw. */
    public Inputs {
      vmName = vmName == null ? "" : vmName;
      vmInfo = vmInfo == null ? "" : vmInfo;
      flags =
          flags == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(flags));
    }

    /** Reads the facts from the running JVM. */
    public static Inputs ofThisJvm() {
      boolean readable = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
      return new Inputs(
          readable,
          System.getProperty("java.vm.name", ""),
          System.getProperty("java.vm.info", ""),
          HotSpotFlags.snapshot(),
          readable ? preferredBitsReflectively() : 0);
    }
  }

  /**
   * The compiler that runs hot code, in words: {@code C2}, {@code Graal (JVMCI)}, {@code C1 only
   * (-XX:TieredStopAtLevel=N)}, {@code interpreter only (-Xint)}, or the VM's name when it is not
   * HotSpot.
   */
  public static String jitInUse(Inputs in) {
    Map<String, String> flags = in.flags();
    if (!isHotSpot(in)) {
      return in.vmName().isEmpty() ? "unknown" : in.vmName();
    }
    if ("false".equals(flags.get("UseCompiler")) || in.vmInfo().contains("interpreted mode")) {
      return "interpreter only (-Xint)";
    }
    String stopAt = flags.get("TieredStopAtLevel");
    if (!"false".equals(flags.get("TieredCompilation"))
        && stopAt != null
        && stopAt.matches("[0-3]")) {
      return stopAt.equals("0")
          ? "interpreter only (-XX:TieredStopAtLevel=0)"
          : "C1 only (-XX:TieredStopAtLevel=" + stopAt + ")";
    }
    if ("true".equals(flags.get("UseJVMCICompiler"))) {
      return "Graal (JVMCI)";
    }
    return "C2";
  }

  private static boolean isHotSpot(Inputs in) {
    return in.vmName().contains("HotSpot") || in.vmName().contains("OpenJDK");
  }

  /**
   * Lanes of the preferred species per element type ({@code byte}, {@code short}, {@code int},
   * {@code long}, {@code float}, {@code double}), read reflectively so that this class loads in a
   * JVM without the module; empty when the module is not readable.
   */
  public static Map<String, Integer> preferredLanes() {
    Map<String, Integer> lanes = new java.util.LinkedHashMap<>();
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      return lanes;
    }
    String[][] types = {
      {"byte", "ByteVector"},
      {"short", "ShortVector"},
      {"int", "IntVector"},
      {"long", "LongVector"},
      {"float", "FloatVector"},
      {"double", "DoubleVector"},
    };
    try {
      Method length = Class.forName(VECTOR_MODULE + ".VectorSpecies").getMethod("length");
      for (String[] type : types) {
        Object species =
            Class.forName(VECTOR_MODULE + "." + type[1]).getField("SPECIES_PREFERRED").get(null);
        lanes.put(type[0], (Integer) length.invoke(species));
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      lanes.clear();
    }
    return lanes;
  }

  /** Applies the rules to a set of facts. Never throws. */
  public static SimdVerdict evaluate(Inputs in) {
    List<SimdVerdict.Reason> reasons = new ArrayList<>();
    if (!in.moduleReadable()) {
      reasons.add(
          new SimdVerdict.Reason(
              "the module " + VECTOR_MODULE + " is not readable",
              "start the JVM with --add-modules " + VECTOR_MODULE));
    }
    if (!isHotSpot(in)) {
      reasons.add(
          new SimdVerdict.Reason(
              "the VM is '" + in.vmName() + "', not HotSpot, so the Vector API is not intrinsified",
              "run on a HotSpot JVM (OpenJDK, Temurin, Oracle JDK)"));
    } else {
      c2Reason(in).ifPresent(reasons::add);
    }
    if (in.moduleReadable() && in.preferredVectorBits() < MINIMUM_VECTOR_BITS) {
      String maxVectorSize = in.flags().get("MaxVectorSize");
      reasons.add(
          new SimdVerdict.Reason(
              "the preferred vector is "
                  + in.preferredVectorBits()
                  + " bits wide (MaxVectorSize="
                  + maxVectorSize
                  + "), below "
                  + MINIMUM_VECTOR_BITS,
              "remove -XX:MaxVectorSize and -XX:UseAVX=0 or -XX:UseSVE=0 from the JVM options,"
                  + " or run on a CPU with SSE, AVX, NEON or SVE"));
    }
    boolean fastFma = "true".equals(in.flags().get("UseFMA"));
    return new SimdVerdict(reasons.isEmpty(), in.preferredVectorBits(), fastFma, reasons);
  }

  private static Optional<SimdVerdict.Reason> c2Reason(Inputs in) {
    String jit = jitInUse(in);
    if (jit.startsWith("interpreter only (-Xint)")) {
      return Optional.of(
          new SimdVerdict.Reason(
              "the JIT compiler is off (-Xint), so vector code runs in the interpreter",
              "remove -Xint from the JVM options"));
    }
    if (jit.contains("TieredStopAtLevel=")) {
      String stopAt = in.flags().get("TieredStopAtLevel");
      return Optional.of(
          new SimdVerdict.Reason(
              "C2 is off (-XX:TieredStopAtLevel=" + stopAt + "), and only C2 intrinsifies vectors",
              "remove -XX:TieredStopAtLevel=" + stopAt + " from the JVM options"));
    }
    if (jit.equals("Graal (JVMCI)")) {
      return Optional.of(
          new SimdVerdict.Reason(
              "the top-tier compiler is a JVMCI compiler (Graal), not C2",
              "start the JVM with -XX:-UseJVMCICompiler"));
    }
    return Optional.empty();
  }

  /**
   * {@code FloatVector.SPECIES_PREFERRED.vectorBitSize()} without a compile-time dependency on the
   * incubator module, so this class loads in a JVM that lacks it.
   */
  private static int preferredBitsReflectively() {
    try {
      Class<?> floatVector = Class.forName(VECTOR_MODULE + ".FloatVector");
      Object species = floatVector.getField("SPECIES_PREFERRED").get(null);
      Method bits = Class.forName(VECTOR_MODULE + ".VectorSpecies").getMethod("vectorBitSize");
      return (Integer) bits.invoke(species);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return 0;
    }
  }
}
