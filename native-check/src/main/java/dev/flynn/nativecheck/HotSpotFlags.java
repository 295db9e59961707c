package dev.flynn.nativecheck;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HotSpot's own view of the flags that decide whether vector code is fast, read through the HotSpot
 * diagnostic MXBean. On a VM without that bean (not HotSpot) every flag is absent.
 */
public final class HotSpotFlags {

  /** The flags Flynn reads; the order is the order {@link #snapshot()} reports them in. */
  public static final String[] VECTOR_FLAGS = {
    "UseAVX",
    "UseSVE",
    "MaxVectorSize",
    "UseFMA",
    "UseSuperWord",
    "UseCompiler",
    "TieredCompilation",
    "TieredStopAtLevel",
    "UseJVMCICompiler",
  };

  private HotSpotFlags() {}

  /** The value of one VM flag, or empty when the VM does not have it (ARM has no UseAVX). */
  public static Optional<String> get(String name) {
    HotSpotDiagnosticMXBean bean = bean();
    if (bean == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(bean.getVMOption(name).getValue());
    } catch (IllegalArgumentException absent) {
      return Optional.empty();
    }
  }

  /** The {@link #VECTOR_FLAGS} this VM has, with their values. */
  public static Map<String, String> snapshot() {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String name : VECTOR_FLAGS) {
      get(name).ifPresent(value -> flags.put(name, value));
    }
    return flags;
  }

  private static HotSpotDiagnosticMXBean bean() {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (RuntimeException | LinkageError notHotSpot) {
      return null;
    }
  }
}
