package dev.flynn.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule of {@link VectorSupport#evaluate}, on made-up inputs, and the verdict of this JVM. */
class VectorSupportTest {

  private static final String HOTSPOT = "OpenJDK 64-Bit Server VM";
  private static final String MIXED = "mixed mode, sharing";

  /** The flags of a healthy AVX-512 HotSpot. */
  private static Map<String, String> healthyFlags() {
    Map<String, String> flags = new HashMap<>();
    flags.put("UseAVX", "3");
    flags.put("MaxVectorSize", "64");
    flags.put("UseFMA", "true");
    flags.put("UseSuperWord", "true");
    flags.put("UseCompiler", "true");
    flags.put("TieredCompilation", "true");
    flags.put("TieredStopAtLevel", "4");
    flags.put("UseJVMCICompiler", "false");
    return flags;
  }

  private static VectorSupport.Inputs healthy() {
    return new VectorSupport.Inputs(true, HOTSPOT, MIXED, healthyFlags(), 512);
  }

  private static Map<String, String> with(String flag, String value) {
    Map<String, String> flags = healthyFlags();
    flags.put(flag, value);
    return flags;
  }

  private static SimdVerdict.Reason onlyReason(SimdVerdict v) {
    assertFalse(v.active(), "expected an inactive verdict: " + v);
    assertEquals(1, v.reasons().size(), () -> "expected one reason: " + v.reasons());
    return v.reasons().get(0);
  }

  @Test
  void aHealthyJvmIsActiveWithNoReasons() {
    SimdVerdict v = VectorSupport.evaluate(healthy());
    assertTrue(v.active());
    assertEquals(List.of(), v.reasons());
    assertEquals(512, v.preferredVectorBits());
    assertTrue(v.fastFma());
  }

  @Test
  void aMissingModuleSaysToAddIt() {
    SimdVerdict v =
        VectorSupport.evaluate(new VectorSupport.Inputs(false, HOTSPOT, MIXED, healthyFlags(), 0));
    SimdVerdict.Reason r = onlyReason(v);
    assertTrue(r.problem().contains("jdk.incubator.vector"), r.problem());
    assertEquals("start the JVM with --add-modules jdk.incubator.vector", r.fix());
    assertTrue(r.toString().contains("Fix: start the JVM with --add-modules jdk.incubator.vector"));
    assertEquals(0, v.preferredVectorBits());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Eclipse OpenJ9 VM", "Substrate VM", ""})
  void aVmThatIsNotHotSpotIsNamed(String vmName) {
    SimdVerdict.Reason r =
        onlyReason(
            VectorSupport.evaluate(
                new VectorSupport.Inputs(true, vmName, MIXED, healthyFlags(), 512)));
    assertTrue(r.problem().contains("'" + vmName + "'"), r.problem());
    assertTrue(r.problem().contains("not HotSpot"), r.problem());
    assertTrue(r.fix().contains("HotSpot"), r.fix());
  }

  @Test
  void hotSpotVmNamesAreAccepted() {
    for (String name :
        new String[] {"Java HotSpot(TM) 64-Bit Server VM", "OpenJDK 64-Bit Server VM"}) {
      assertTrue(
          VectorSupport.evaluate(new VectorSupport.Inputs(true, name, MIXED, healthyFlags(), 512))
              .active(),
          name);
    }
  }

  @Test
  void xintIsFoundFromTheFlagOrFromTheVmInfo() {
    SimdVerdict.Reason byFlag =
        onlyReason(
            VectorSupport.evaluate(
                new VectorSupport.Inputs(true, HOTSPOT, MIXED, with("UseCompiler", "false"), 512)));
    SimdVerdict.Reason byInfo =
        onlyReason(
            VectorSupport.evaluate(
                new VectorSupport.Inputs(
                    true, HOTSPOT, "interpreted mode, sharing", healthyFlags(), 512)));
    for (SimdVerdict.Reason r : List.of(byFlag, byInfo)) {
      assertTrue(r.problem().contains("-Xint"), r.problem());
      assertEquals("remove -Xint from the JVM options", r.fix());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "2", "3"})
  void tieredStopBelowC2IsNamedInTheFix(String level) {
    SimdVerdict.Reason r =
        onlyReason(
            VectorSupport.evaluate(
                new VectorSupport.Inputs(
                    true, HOTSPOT, MIXED, with("TieredStopAtLevel", level), 512)));
    assertTrue(r.problem().contains("-XX:TieredStopAtLevel=" + level), r.problem());
    assertEquals("remove -XX:TieredStopAtLevel=" + level + " from the JVM options", r.fix());
  }

  @Test
  void tieredStopIsIrrelevantWithoutTieredCompilation() {
    Map<String, String> flags = with("TieredStopAtLevel", "1");
    flags.put("TieredCompilation", "false"); // -XX:-TieredCompilation: C2 alone
    assertTrue(
        VectorSupport.evaluate(new VectorSupport.Inputs(true, HOTSPOT, MIXED, flags, 512))
            .active());
  }

  @Test
  void oddFactsGiveAVerdictInsteadOfAnException() {
    SimdVerdict missing =
        VectorSupport.evaluate(new VectorSupport.Inputs(true, null, null, null, 512));
    assertFalse(missing.active(), "no VM name means not HotSpot");
    assertEquals(1, missing.reasons().size(), missing.reasons().toString());
    SimdVerdict odd =
        VectorSupport.evaluate(
            new VectorSupport.Inputs(true, HOTSPOT, MIXED, with("TieredStopAtLevel", "x"), 512));
    assertTrue(odd.active(), "an unreadable TieredStopAtLevel is not a reason: " + odd.reasons());
  }

  @Test
  void aJvmciTopTierCompilerIsNamed() {
    SimdVerdict.Reason r =
        onlyReason(
            VectorSupport.evaluate(
                new VectorSupport.Inputs(
                    true, HOTSPOT, MIXED, with("UseJVMCICompiler", "true"), 512)));
    assertTrue(r.problem().contains("JVMCI"), r.problem());
    assertEquals("start the JVM with -XX:-UseJVMCICompiler", r.fix());
  }

  @Test
  void narrowVectorsAreAReason() {
    Map<String, String> flags = with("MaxVectorSize", "8");
    SimdVerdict v =
        VectorSupport.evaluate(new VectorSupport.Inputs(true, HOTSPOT, MIXED, flags, 64));
    SimdVerdict.Reason r = onlyReason(v);
    assertTrue(r.problem().contains("64 bits"), r.problem());
    assertTrue(r.problem().contains("MaxVectorSize=8"), r.problem());
    assertTrue(r.problem().contains("128"), r.problem());
    assertTrue(r.fix().contains("MaxVectorSize"), r.fix());
    assertEquals(64, v.preferredVectorBits());
    // 128 bits is enough
    assertTrue(
        VectorSupport.evaluate(new VectorSupport.Inputs(true, HOTSPOT, MIXED, healthyFlags(), 128))
            .active());
  }

  @Test
  void severalProblemsGiveSeveralReasons() {
    SimdVerdict v =
        VectorSupport.evaluate(
            new VectorSupport.Inputs(false, "Eclipse OpenJ9 VM", MIXED, Map.of(), 0));
    assertFalse(v.active());
    assertEquals(2, v.reasons().size(), v.reasons()::toString);
    assertTrue(v.reasons().get(0).fix().contains("--add-modules jdk.incubator.vector"));
    assertTrue(v.reasons().get(1).problem().contains("not HotSpot"));

    SimdVerdict w =
        VectorSupport.evaluate(
            new VectorSupport.Inputs(
                true, HOTSPOT, "interpreted mode", with("MaxVectorSize", "8"), 64));
    assertEquals(2, w.reasons().size(), w.reasons()::toString);
    assertTrue(w.reasons().get(0).problem().contains("-Xint"));
    assertTrue(w.reasons().get(1).problem().contains("64 bits"));
  }

  @Test
  void fastFmaFollowsTheUseFmaFlag() {
    assertTrue(VectorSupport.evaluate(healthy()).fastFma());
    assertFalse(
        VectorSupport.evaluate(
                new VectorSupport.Inputs(true, HOTSPOT, MIXED, with("UseFMA", "false"), 512))
            .fastFma());
    Map<String, String> noFlag = healthyFlags();
    noFlag.remove("UseFMA");
    SimdVerdict v =
        VectorSupport.evaluate(new VectorSupport.Inputs(true, HOTSPOT, MIXED, noFlag, 512));
    assertFalse(v.fastFma());
    assertTrue(v.active(), "fastFma does not decide activity");
  }

  @Test
  void aVerdictIsActiveExactlyWhenItHasNoReasons() {
    SimdVerdict.Reason r = new SimdVerdict.Reason("p", "f");
    assertThrows(
        IllegalArgumentException.class, () -> new SimdVerdict(true, 512, true, List.of(r)));
    assertThrows(
        IllegalArgumentException.class, () -> new SimdVerdict(false, 512, true, List.of()));
    assertEquals("p. Fix: f", r.toString());
  }

  // ---------------------------------------------------------------- this JVM

  @Test
  void thisJvmRunsTheTestsWithVectorsActive() {
    SimdVerdict v = VectorSupport.verdict();
    assertEquals(FloatVector.SPECIES_PREFERRED.vectorBitSize(), v.preferredVectorBits());
    assertTrue(v.active(), () -> "reasons: " + v.reasons());
    assertEquals(List.of(), v.reasons());
    assertEquals("true".equals(HotSpotFlags.get("UseFMA").orElse("false")), v.fastFma(), "fastFma");
    assertTrue(VectorSupport.Inputs.ofThisJvm().moduleReadable());
  }

  @Test
  void hotSpotFlagsAreReadAndAbsentOnesAreEmpty() {
    assertEquals(Optional.empty(), HotSpotFlags.get("NoSuchFlagInAnyVm"));
    assertTrue(HotSpotFlags.get("UseCompiler").isPresent());
    Map<String, String> snapshot = HotSpotFlags.snapshot();
    List<String> order = List.of(HotSpotFlags.VECTOR_FLAGS);
    int last = -1;
    for (String name : snapshot.keySet()) {
      int at = order.indexOf(name);
      assertTrue(at > last, "snapshot keeps the order of VECTOR_FLAGS: " + snapshot.keySet());
      last = at;
    }
    assertEquals(HotSpotFlags.get("MaxVectorSize").orElseThrow(), snapshot.get("MaxVectorSize"));
  }
}
