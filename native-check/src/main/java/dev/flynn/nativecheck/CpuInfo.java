package dev.flynn.nativecheck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the CPU is and which SIMD instructions it has, as Linux reports it in {@code /proc/cpuinfo}.
 * Every field that can not be read is {@value #UNKNOWN} (text) or -1/0 (numbers, as documented);
 * {@link #read} never throws.
 *
 * @param architecture {@code x86_64}, {@code aarch64}, ...: for live sources the JVM's {@code
 *     os.arch} (with {@code amd64} spelled {@code x86_64}); for fixtures inferred from the file
 *     (x86 has {@code vendor_id}/{@code flags}, ARM has {@code CPU implementer}/{@code Features})
 * @param vendor {@code AuthenticAMD}, {@code GenuineIntel}, {@code ARM}, {@code Apple}, ...
 * @param model the marketing name ({@code model name}); on ARM, which has none, the core's name
 *     from its implementer and part number, e.g. {@code Neoverse V1}
 * @param microarchitecture e.g. {@code Zen 5}, {@code Sapphire Rapids}, {@code Neoverse V1}, where
 *     the small table in {@link Microarchitectures} knows it
 * @param simdFlags the SIMD-relevant ISA flags present, in the order of {@link #X86_SIMD_FLAGS} or
 *     {@link #ARM_SIMD_FLAGS} and spelled as the kernel spells them
 * @param sveVectorBits the SVE vector length new processes get, in bits, from {@code
 *     /proc/sys/abi/sve_default_vector_length} (which is in bytes); 0 without SVE or when unknown
 * @param logicalCores the number of {@code processor} entries; 0 when {@code /proc/cpuinfo} is
 *     missing or has none. This is every CPU of the machine, not only those this process may use
 * @param physicalCores the number of cores, counting SMT siblings once; -1 when unknown
 * @param physicalCoresSource how {@code physicalCores} was found, or {@value #UNKNOWN}
 */
public record CpuInfo(
    String architecture,
    String vendor,
    String model,
    String microarchitecture,
    List<String> simdFlags,
    int sveVectorBits,
    int logicalCores,
    int physicalCores,
    String physicalCoresSource) {

  /** The text of every field that could not be read. */
  public static final String UNKNOWN = "unknown";

  /**
   * The x86 flags reported in {@link #simdFlags}, in order, as {@code /proc/cpuinfo} spells them.
   */
  public static final List<String> X86_SIMD_FLAGS =
      List.of(
          "sse4_2",
          "avx",
          "avx2",
          "fma",
          "avx512f",
          "avx512bw",
          "avx512dq",
          "avx512vl",
          "avx512_vnni",
          "avx512_bf16",
          "avx512_fp16",
          "amx_tile",
          "amx_bf16",
          "amx_int8");

  /** The ARM features reported in {@link #simdFlags}, in order. {@code asimd} is NEON. */
  public static final List<String> ARM_SIMD_FLAGS = List.of("asimd", "sve", "sve2");

  static final String SVE_LENGTH_PATH = "/proc/sys/abi/sve_default_vector_length";
  static final String PAIRS_SOURCE = ProcCpuinfo.PATH + " (physical id, core id)";
  static final String NO_SMT_SOURCE =
      ProcCpuinfo.PATH + " (no SMT on this architecture: = logical)";

  /** Missing text reads as {@value #UNKNOWN}, a missing list as empty. */
  public CpuInfo {
    architecture = orUnknown(architecture);
    vendor = orUnknown(vendor);
    model = orUnknown(model);
    microarchitecture = orUnknown(microarchitecture);
    simdFlags = simdFlags == null ? List.of() : List.copyOf(simdFlags);
    physicalCoresSource = orUnknown(physicalCoresSource);
  }

  /** Whether a flag of {@link #simdFlags} is present, e.g. {@code has("avx512f")}. */
  public boolean has(String flag) {
    return simdFlags.contains(flag);
  }

  /** Reads the CPU from {@code /proc/cpuinfo} and {@code sve_default_vector_length}. */
  public static CpuInfo read(SystemSources sources) {
    try {
      return parse(sources, ProcCpuinfo.read(sources));
    } catch (RuntimeException unexpected) {
      // The parser is written not to throw; this is the promise to callers if it ever does.
      return new CpuInfo(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, List.of(), 0, 0, -1, UNKNOWN);
    }
  }

  private static CpuInfo parse(SystemSources sources, ProcCpuinfo info) {
    boolean x86 = info.has("vendor_id") || info.has("flags");
    boolean arm = !x86 && (info.has("CPU implementer") || info.has("Features"));
    String architecture =
        sources.jvmArchitecture().orElse(x86 ? "x86_64" : arm ? armArchitecture(info) : UNKNOWN);

    String vendor = UNKNOWN;
    String model = UNKNOWN;
    String microarchitecture = UNKNOWN;
    List<String> simd = List.of();
    if (x86) {
      vendor = info.get("vendor_id").filter(v -> !v.isEmpty()).orElse(UNKNOWN);
      model = info.get("model name").map(CpuInfo::oneSpaced).orElse(UNKNOWN);
      microarchitecture =
          Microarchitectures.x86(
              vendor, info.decimal("cpu family"), info.decimal("model"), info.decimal("stepping"));
      simd = present(X86_SIMD_FLAGS, info.get("flags").orElse(""));
    } else if (arm) {
      int implementer = info.hex("CPU implementer");
      vendor = Microarchitectures.armVendor(implementer);
      microarchitecture = Microarchitectures.armCore(implementer, info.hex("CPU part"));
      model =
          !microarchitecture.equals(UNKNOWN)
              ? microarchitecture
              : info.get("model name").map(CpuInfo::oneSpaced).orElse(UNKNOWN);
      simd = present(ARM_SIMD_FLAGS, info.get("Features").orElse(""));
    }

    int sveBits = 0;
    if (simd.contains("sve")) {
      int bytes = sources.readLine(SVE_LENGTH_PATH).map(ProcCpuinfo::parseDecimal).orElse(-1);
      sveBits = bytes > 0 && bytes <= 256 ? bytes * 8 : 0; // SVE allows 16..256 bytes
    }

    int logical = info.processors().size();
    int physical = -1;
    String physicalSource = UNKNOWN;
    if (logical > 0 && x86) {
      physical = distinctCores(info.processors());
      physicalSource = physical > 0 ? PAIRS_SOURCE : UNKNOWN;
    } else if (logical > 0 && arm) {
      // arm64 /proc/cpuinfo has no sibling fields; the Neoverse and Apple cores have no SMT.
      physical = logical;
      physicalSource = NO_SMT_SOURCE;
    }
    return new CpuInfo(
        architecture,
        vendor,
        model,
        microarchitecture,
        simd,
        sveBits,
        logical,
        physical,
        physicalSource);
  }

  /** {@code CPU architecture: 8} (or none) is 64-bit ARM; 7 and below is a 32-bit kernel. */
  private static String armArchitecture(ProcCpuinfo info) {
    int version = info.decimal("CPU architecture");
    return version >= 0 && version < 8 ? "arm" : "aarch64";
  }

  /** Distinct (physical id, core id) pairs, or -1 when any entry lacks one of them. */
  private static int distinctCores(List<Map<String, String>> processors) {
    Set<String> cores = new HashSet<>();
    for (Map<String, String> processor : processors) {
      String packageId = processor.get("physical id");
      String coreId = processor.get("core id");
      if (packageId == null || coreId == null) {
        return -1;
      }
      cores.add(packageId + "/" + coreId);
    }
    return cores.size();
  }

  private static List<String> present(List<String> wanted, String flagsLine) {
    Set<String> flags = new HashSet<>(List.of(flagsLine.trim().split("\\s+")));
    List<String> found = new ArrayList<>();
    for (String flag : wanted) {
      if (flags.contains(flag)) {
        found.add(flag);
      }
    }
    return found;
  }

  private static String oneSpaced(String text) {
    String t = text.trim().replaceAll("\\s+", " ");
    return t.isEmpty() ? UNKNOWN : t;
  }

  private static String orUnknown(String text) {
    return text == null || text.isBlank() ? UNKNOWN : text;
  }
}
