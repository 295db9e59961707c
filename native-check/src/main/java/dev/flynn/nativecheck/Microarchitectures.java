package dev.flynn.nativecheck;

import java.util.Map;

/**
 * Small, deliberately incomplete tables from CPU identification numbers to names. An entry is here
 * only when its source is a public table; everything else is {@value CpuInfo#UNKNOWN}, never a
 * guess.
 *
 * <ul>
 *   <li>AMD families 17h/19h/1Ah: the model ranges of LLVM's {@code llvm/lib/TargetParser/Host.cpp}
 *       ({@code getAMDProcessorTypeAndSubtype}); Zen and Zen+ inside family 17h are told apart by
 *       the model numbers of their dies (Summit Ridge/Naples 01h, Raven Ridge 11h, Dali 20h are
 *       Zen; Pinnacle Ridge 08h, Picasso 18h are Zen+).
 *   <li>Intel family 6: Linux's {@code arch/x86/include/asm/intel-family.h}, including its note
 *       that model 55h is Skylake-SP, Cascade Lake (stepping 5 to 7) and Cooper Lake (stepping 10
 *       and 11).
 *   <li>ARM implementers and parts: Linux's {@code arch/arm64/include/asm/cputype.h}.
 * </ul>
 */
final class Microarchitectures {

  private Microarchitectures() {}

  /** Intel family 6 models, from intel-family.h (0x55 is decided by stepping, see below). */
  private static final Map<Integer, String> INTEL_FAMILY_6 =
      Map.ofEntries(
          Map.entry(0x2A, "Sandy Bridge"),
          Map.entry(0x2D, "Sandy Bridge-EP"),
          Map.entry(0x3A, "Ivy Bridge"),
          Map.entry(0x3E, "Ivy Bridge-EP"),
          Map.entry(0x3C, "Haswell"),
          Map.entry(0x3F, "Haswell-EP"),
          Map.entry(0x45, "Haswell"),
          Map.entry(0x46, "Haswell"),
          Map.entry(0x3D, "Broadwell"),
          Map.entry(0x47, "Broadwell"),
          Map.entry(0x4F, "Broadwell-EP"),
          Map.entry(0x56, "Broadwell-DE"),
          Map.entry(0x4E, "Skylake"),
          Map.entry(0x5E, "Skylake"),
          // Kaby, Amber, Coffee and Whiskey Lake share these two model numbers.
          Map.entry(0x8E, "Kaby Lake/Coffee Lake"),
          Map.entry(0x9E, "Kaby Lake/Coffee Lake"),
          Map.entry(0xA5, "Comet Lake"),
          Map.entry(0xA6, "Comet Lake"),
          Map.entry(0x66, "Cannon Lake"),
          Map.entry(0x6A, "Ice Lake-SP"),
          Map.entry(0x6C, "Ice Lake-D"),
          Map.entry(0x7D, "Ice Lake"),
          Map.entry(0x7E, "Ice Lake"),
          Map.entry(0x9D, "Ice Lake"),
          Map.entry(0xA7, "Rocket Lake"),
          Map.entry(0x8C, "Tiger Lake"),
          Map.entry(0x8D, "Tiger Lake"),
          Map.entry(0x8F, "Sapphire Rapids"),
          Map.entry(0xCF, "Emerald Rapids"),
          Map.entry(0xAD, "Granite Rapids"),
          Map.entry(0xAE, "Granite Rapids-D"),
          Map.entry(0x8A, "Lakefield"),
          Map.entry(0x97, "Alder Lake"),
          Map.entry(0x9A, "Alder Lake"),
          Map.entry(0xBE, "Alder Lake-N"),
          Map.entry(0xB7, "Raptor Lake"),
          Map.entry(0xBA, "Raptor Lake"),
          Map.entry(0xBF, "Raptor Lake"),
          Map.entry(0xAA, "Meteor Lake"),
          Map.entry(0xAC, "Meteor Lake"),
          Map.entry(0xC6, "Arrow Lake"),
          Map.entry(0xBD, "Lunar Lake"),
          Map.entry(0xAF, "Sierra Forest"));

  /** ARM implementer codes (MIDR_EL1 bits 31:24), from cputype.h's ARM_CPU_IMP_*. */
  private static final Map<Integer, String> ARM_IMPLEMENTERS =
      Map.ofEntries(
          Map.entry(0x41, "ARM"),
          Map.entry(0x42, "Broadcom"),
          Map.entry(0x43, "Cavium"),
          Map.entry(0x46, "Fujitsu"),
          Map.entry(0x48, "HiSilicon"),
          Map.entry(0x4E, "NVIDIA"),
          Map.entry(0x50, "APM"),
          Map.entry(0x51, "Qualcomm"),
          Map.entry(0x61, "Apple"),
          Map.entry(0x6D, "Microsoft"),
          Map.entry(0xC0, "Ampere"));

  /** Cores designed by ARM (implementer 0x41), by part number, from cputype.h. */
  private static final Map<Integer, String> ARM_PARTS =
      Map.ofEntries(
          Map.entry(0xD03, "Cortex-A53"),
          Map.entry(0xD05, "Cortex-A55"),
          Map.entry(0xD07, "Cortex-A57"),
          Map.entry(0xD08, "Cortex-A72"),
          Map.entry(0xD0B, "Cortex-A76"),
          Map.entry(0xD0C, "Neoverse N1"),
          Map.entry(0xD40, "Neoverse V1"),
          Map.entry(0xD49, "Neoverse N2"),
          Map.entry(0xD4F, "Neoverse V2"),
          Map.entry(0xD84, "Neoverse V3"),
          Map.entry(0xD8E, "Neoverse N3"));

  /**
   * The microarchitecture of an x86 CPU from its {@code /proc/cpuinfo} numbers.
   *
   * @param vendor {@code vendor_id}, e.g. {@code AuthenticAMD}
   * @param family {@code cpu family} (decimal; already includes the extended family)
   * @param model {@code model} (decimal; already includes the extended model)
   * @param stepping {@code stepping}, -1 when unknown
   */
  static String x86(String vendor, int family, int model, int stepping) {
    if (family < 0 || model < 0) {
      return CpuInfo.UNKNOWN;
    }
    if (vendor.equals("AuthenticAMD")) {
      return amd(family, model);
    }
    if (vendor.equals("GenuineIntel") && family == 6) {
      if (model == 0x55) {
        if (stepping < 0) {
          return "Skylake-SP/Cascade Lake";
        }
        return stepping >= 10 ? "Cooper Lake" : stepping >= 5 ? "Cascade Lake" : "Skylake-SP";
      }
      return INTEL_FAMILY_6.getOrDefault(model, CpuInfo.UNKNOWN);
    }
    return CpuInfo.UNKNOWN;
  }

  private static String amd(int family, int model) {
    switch (family) {
      case 0x17 -> {
        if (model == 0x01 || model == 0x11 || model == 0x20) {
          return "Zen";
        }
        if (model == 0x08 || model == 0x18) {
          return "Zen+";
        }
        if (in(model, 0x30, 0x3F)
            || model == 0x47
            || in(model, 0x60, 0x7F)
            || in(model, 0x84, 0x87)
            || in(model, 0x90, 0xAF)) {
          return "Zen 2";
        }
        // LLVM puts the rest of 00h-2Fh in znver1, which covers both Zen and Zen+ dies.
        return model <= 0x2F ? "Zen/Zen+" : CpuInfo.UNKNOWN;
      }
      case 0x19 -> {
        if (in(model, 0x40, 0x4F)) {
          return "Zen 3+"; // Rembrandt
        }
        if (model <= 0x0F || in(model, 0x20, 0x3F) || in(model, 0x50, 0x5F)) {
          return "Zen 3";
        }
        if (in(model, 0x10, 0x1F) || in(model, 0x60, 0x7F) || in(model, 0xA0, 0xAF)) {
          return "Zen 4";
        }
        return CpuInfo.UNKNOWN;
      }
      case 0x1A -> {
        return model <= 0x77 ? "Zen 5" : CpuInfo.UNKNOWN;
      }
      default -> {
        return CpuInfo.UNKNOWN;
      }
    }
  }

  private static boolean in(int value, int first, int last) {
    return value >= first && value <= last;
  }

  /** The company behind an ARM implementer code, or {@value CpuInfo#UNKNOWN}. */
  static String armVendor(int implementer) {
    return ARM_IMPLEMENTERS.getOrDefault(implementer, CpuInfo.UNKNOWN);
  }

  /** The core named by an implementer and part number, or {@value CpuInfo#UNKNOWN}. */
  static String armCore(int implementer, int part) {
    return switch (implementer) {
      case 0x41 -> ARM_PARTS.getOrDefault(part, CpuInfo.UNKNOWN);
      case 0x61 ->
          switch (part) {
            case 0x022 -> "Apple M1 Icestorm";
            case 0x023 -> "Apple M1 Firestorm";
            default -> CpuInfo.UNKNOWN;
          };
      case 0x6D -> part == 0xD49 ? "Neoverse N2 (Azure Cobalt 100)" : CpuInfo.UNKNOWN;
      case 0xC0 -> part == 0xAC3 ? "AmpereOne" : CpuInfo.UNKNOWN;
      default -> CpuInfo.UNKNOWN;
    };
  }
}
