package dev.flynn.engine;

/**
 * The execution classes of Flynn's taxonomy that a kernel can run in.
 *
 * <p>The scalar modes ({@link #SISD}, {@link #MIMD}) give the same bits as each other for every
 * kernel, whatever the thread count; so do the vector modes ({@link #SIMD}, {@link #SIMD_MIMD}, and
 * {@link #AUTO} when vectors are active). Between the two classes, sums and dot products may differ
 * by the reassociation bounds stated on {@link FlynnOps}.
 */
public enum Mode {
  /** Single instruction, single data: scalar loops on the calling thread. The yardstick. */
  SISD,
  /** Single instruction, multiple data: Vector API lanes on the calling thread. */
  SIMD,
  /**
   * Multiple instruction, multiple data: scalar loops on the calling thread and the engine's pool
   * together, {@code threads} participants in all.
   */
  MIMD,
  /** Vector lanes on the calling thread and the engine's pool together. */
  SIMD_MIMD,
  /**
   * Vector lanes when the Vector API is active (scalar otherwise), forked across the pool only when
   * the range is long enough to repay the fork; see {@link FlynnOps} for the thresholds.
   */
  AUTO;

  /** True when this mode asks for vector kernels. */
  boolean vector() {
    return this == SIMD || this == SIMD_MIMD || this == AUTO;
  }
}
