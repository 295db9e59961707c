package dev.flynn.nativecheck;

import java.util.List;

/**
 * Whether SIMD code through the Vector API is active in this JVM, and every reason when it is not.
 *
 * @param active true when Flynn's vector kernels will be used
 * @param preferredVectorBits the preferred vector width in bits ({@code
 *     FloatVector.SPECIES_PREFERRED.vectorBitSize()}), 0 when the Vector API is not readable
 * @param fastFma true when HotSpot uses hardware fused multiply-add ({@code -XX:+UseFMA}); without
 *     it {@code Math.fma} and vector {@code fma} are emulated and very slow
 * @param reasons why SIMD is not active, each with its fix; empty when {@code active}
 */
public record SimdVerdict(
    boolean active, int preferredVectorBits, boolean fastFma, List<Reason> reasons) {

  /**
   * One reason SIMD is off.
   *
   * @param problem what is wrong, in words
   * @param fix the exact change that removes the problem
   */
  public record Reason(String problem, String fix) {
    @Override
    public String toString() {
      return problem + ". Fix: " + fix;
    }
  }

  public SimdVerdict {
    reasons = List.copyOf(reasons);
    if (active != reasons.isEmpty()) {
      throw new IllegalArgumentException(
          "a verdict is active exactly when it has no reasons: active=" + active + ", " + reasons);
    }
  }
}
