package dev.flynn.nativecheck;

import java.util.Map;

/**
 * Everything native-check knows about this machine and JVM, as one value: what {@code ./flynn
 * check} prints and what {@code --json} writes (schema version {@value #SCHEMA_VERSION}).
 *
 * @param schemaVersion the layout version of this record and of its JSON form
 * @param platform OS, JVM and JIT
 * @param cpu the processor and its SIMD-relevant ISA flags
 * @param caches cache sizes, each with where it was read
 * @param container CPU quota and memory limit of the control group, if any
 * @param vectorApi what the Vector API offers in this JVM
 * @param verdict whether Flynn's vector kernels are active, and every reason when not
 * @param recommended engine settings for this machine
 */
public record MachineReport(
    int schemaVersion,
    Platform platform,
    CpuInfo cpu,
    CacheInfo caches,
    ContainerLimits container,
    VectorApi vectorApi,
    SimdVerdict verdict,
    Recommendation recommended) {

  /** Bumped whenever a field is renamed, removed or changes meaning; additions keep it. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * The operating system and the JVM.
   *
   * @param os {@code os.name}
   * @param osVersion {@code os.version}
   * @param architecture {@code os.arch}
   * @param javaVendor {@code java.vendor}
   * @param javaVersion {@code java.version}
   * @param vmName {@code java.vm.name}
   * @param vmInfo {@code java.vm.info}
   * @param jit the compiler running hot code, see {@link VectorSupport#jitInUse}
   * @param hotSpotFlags the vector-relevant HotSpot flags and their values
   * @param availableProcessors {@code Runtime.availableProcessors()}: already container-aware
   */
  public record Platform(
      String os,
      String osVersion,
      String architecture,
      String javaVendor,
      String javaVersion,
      String vmName,
      String vmInfo,
      String jit,
      Map<String, String> hotSpotFlags,
      int availableProcessors) {}

  /**
   * The Vector API in this JVM.
   *
   * @param moduleReadable {@code jdk.incubator.vector} is in the boot layer
   * @param preferredBits width of the preferred species in bits, 0 when not readable
   * @param lanes lanes of the preferred species per element type, empty when not readable
   */
  public record VectorApi(boolean moduleReadable, int preferredBits, Map<String, Integer> lanes) {}

  /**
   * Engine settings for this machine, each with its reason.
   *
   * @param threads threads for the MIMD modes
   * @param threadsReason where the thread count comes from
   * @param blockElements float elements per block for a kernel streaming two inputs and an output
   *     through half of L2
   * @param blockReason where the block size comes from
   */
  public record Recommendation(
      int threads, String threadsReason, int blockElements, String blockReason) {}

  /** Collects the report for this JVM, reading the machine through {@code sources}. */
  public static MachineReport collect(SystemSources sources) {
    VectorSupport.Inputs in = VectorSupport.Inputs.ofThisJvm();
    Platform platform =
        new Platform(
            System.getProperty("os.name"),
            System.getProperty("os.version"),
            System.getProperty("os.arch"),
            System.getProperty("java.vendor"),
            System.getProperty("java.version"),
            in.vmName(),
            in.vmInfo(),
            VectorSupport.jitInUse(in),
            in.flags(),
            Runtime.getRuntime().availableProcessors());
    CpuInfo cpu = CpuInfo.read(sources);
    CacheInfo caches = CacheInfo.read(sources);
    ContainerLimits container = ContainerLimits.read(sources);
    VectorApi vectorApi =
        new VectorApi(
            in.moduleReadable(), in.preferredVectorBits(), VectorSupport.preferredLanes());
    return new MachineReport(
        SCHEMA_VERSION,
        platform,
        cpu,
        caches,
        container,
        vectorApi,
        VectorSupport.verdict(),
        recommend(platform.availableProcessors(), cpu, caches, container));
  }

  /** The smallest and largest block the recommendation gives, in float elements. */
  static final int MIN_BLOCK = 4096;

  static final int MAX_BLOCK = 1 << 20;

  /** The block Flynn's engine uses on every machine, so results are the same everywhere. */
  static final int ENGINE_BLOCK = 16384;

  static Recommendation recommend(
      int availableProcessors, CpuInfo cpu, CacheInfo caches, ContainerLimits container) {
    int threads = container.cpuLimitedCores(availableProcessors);
    String threadsReason;
    if (!Double.isNaN(container.cpuQuota()) && threads < availableProcessors) {
      threadsReason = "the CPU quota of " + container.cpuQuota() + " cores, rounded up";
    } else {
      threadsReason = availableProcessors + " available processors";
    }
    if (cpu.physicalCores() > 0 && cpu.physicalCores() < threads) {
      threads = cpu.physicalCores();
      threadsReason =
          cpu.physicalCores()
              + " physical cores: a second hardware thread on a core adds little to vector code";
    }
    int block;
    String blockReason;
    if (caches.l2().known()) {
      // Two inputs and one output of floats share half of L2; the other half is for everyone else.
      long elements = caches.l2().bytes() / 2 / (3L * Float.BYTES);
      block =
          (int) Math.max(MIN_BLOCK, Math.min(MAX_BLOCK, Long.highestOneBit(Math.max(1, elements))));
      blockReason =
          "three float streams in half of the "
              + (caches.l2().bytes() >> 10)
              + " KiB L2 ("
              + caches.l2().source()
              + "); the engine itself always uses "
              + ENGINE_BLOCK
              + " so that results are the same on every machine";
    } else {
      block = ENGINE_BLOCK;
      blockReason = "L2 size unknown: the engine's fixed block";
    }
    return new Recommendation(threads, threadsReason, block, blockReason);
  }
}
