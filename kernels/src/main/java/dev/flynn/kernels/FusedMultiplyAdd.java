package dev.flynn.kernels;

import dev.flynn.nativecheck.VectorSupport;

/**
 * The one place that decides whether a multiply-add may be fused for speed. With hardware FMA
 * ({@code -XX:+UseFMA}) a fused multiply-add is as fast as a multiply and is more accurate; without
 * it, {@link Math#fma} and the Vector API's {@code fma} fall back to a slow exact emulation, so
 * kernels that only want {@code a * b + c} quickly ({@code axpy}, {@code dot}) use two roundings
 * instead. The {@code fma} kernel itself is always fused: that is its meaning.
 */
final class FusedMultiplyAdd {

  /** True when fusing costs nothing. Decided once, from HotSpot's {@code UseFMA} flag. */
  static final boolean FAST = VectorSupport.verdict().fastFma();

  private FusedMultiplyAdd() {}

  /** {@code a * b + c}, fused when {@link #FAST}. */
  static float mulAdd(float a, float b, float c) {
    return FAST ? Math.fma(a, b, c) : a * b + c;
  }

  /** {@code a * b + c}, fused when {@link #FAST}. */
  static double mulAdd(double a, double b, double c) {
    return FAST ? Math.fma(a, b, c) : a * b + c;
  }
}
