package dev.flynn.engine;

import java.lang.foreign.MemorySegment;
import java.util.function.DoubleBinaryOperator;

/**
 * Runs a segment call of {@code long} length block by block, on the calling thread or across the
 * pool, in one {@link Mode}: the segment counterpart of the array paths of {@link FlynnOps}. Also
 * holds the per-thread staging buffers of the staged path.
 */
final class SegmentRunner {

  /**
   * Elements handed to the pool in one {@link Workers#forEachBlock} call, whose lengths are {@code
   * int}s: a whole number of blocks, so global block numbers are {@code chunk base / BLOCK + b}. At
   * 4 GiB of floats per chunk, the extra fork per chunk costs nothing measurable.
   */
  static final int CHUNK = 1 << 30;

  /**
   * A thread that never runs: a segment not accessible by it is confined to its owner thread, so a
   * call on it stays on the calling thread in every mode.
   */
  private static final Thread ANY_OTHER_THREAD = Thread.ofVirtual().unstarted(() -> {});

  private static final ThreadLocal<StagingBuffers> STAGING =
      ThreadLocal.withInitial(StagingBuffers::new);

  /** Runs one block: elements {@code [start, start + length)} of the range. */
  @FunctionalInterface
  interface BlockBody {
    void run(long start, int length);
  }

  private final Workers workers;
  private final Mode mode;

  SegmentRunner(Workers workers, Mode mode) {
    this.workers = workers;
    this.mode = mode;
  }

  Mode mode() {
    return mode;
  }

  /** Runs {@code body} on every block of a range of {@code length} elements. */
  void forEachBlock(long length, int autoForkThreshold, BlockBody body, MemorySegment... segments) {
    workers.ensureOpen();
    if (!pooled(length, autoForkThreshold, segments)) {
      int blocks = LongBlocks.count(length);
      for (int b = 0; b < blocks; b++) {
        body.run(LongBlocks.start(b), LongBlocks.length(b, length));
      }
      return;
    }
    for (long base = 0; base < length; base += CHUNK) {
      long chunkBase = base;
      workers.forEachBlock(
          (int) Math.min(CHUNK, length - base), (s, n, block) -> body.run(chunkBase + s, n));
    }
  }

  /**
   * Reduces a range of {@code length >= 1} elements: one partial per block from {@code leaf},
   * combined by {@code combine} along the fixed tree of {@link LongBlocks}. Empty gives +0.0.
   */
  double reduce(
      long length,
      int autoForkThreshold,
      LongBlocks.Leaf leaf,
      DoubleBinaryOperator combine,
      MemorySegment... segments) {
    workers.ensureOpen();
    int blocks = LongBlocks.count(length);
    if (blocks == 0) {
      return 0.0;
    }
    if (!pooled(length, autoForkThreshold, segments)) {
      return LongBlocks.tree(leaf, combine, length, 0, blocks);
    }
    double[] partials = new double[blocks];
    for (long base = 0; base < length; base += CHUNK) {
      long chunkBase = base;
      int firstBlock = (int) (base / Blocks.BLOCK);
      workers.forEachBlock(
          (int) Math.min(CHUNK, length - base),
          (s, n, block) -> partials[firstBlock + block] = leaf.compute(chunkBase + s, n));
    }
    return LongBlocks.combine(partials, combine, 0, blocks);
  }

  /** Whether a call goes to the pool: as {@link FlynnOps} decides, and never for confined data. */
  private boolean pooled(long length, int autoForkThreshold, MemorySegment... segments) {
    boolean pooled =
        switch (mode) {
          case SISD, SIMD -> false;
          case MIMD, SIMD_MIMD -> length > Blocks.BLOCK;
          case AUTO ->
              workers.threads() > 1 && length >= autoForkThreshold && length > Blocks.BLOCK;
        };
    if (pooled) {
      for (MemorySegment s : segments) {
        if (!s.isAccessibleBy(ANY_OTHER_THREAD)) {
          return false;
        }
      }
    }
    return pooled;
  }

  /** This thread's staging buffers. */
  static StagingBuffers staging() {
    return STAGING.get();
  }

  /**
   * One block's worth of heap buffers per slot (64 KiB of floats, 128 KiB of doubles), made on a
   * thread's first staged call and reused by every later one: the staged path allocates nothing per
   * block. A thread keeps them while it lives (pool workers, and the callers of staged kernels).
   */
  static final class StagingBuffers {
    /** The most segment operands a staged kernel reads: three, as {@code fma} has. */
    static final int SLOTS = 3;

    private final float[][] floats = new float[SLOTS][];
    private final double[][] doubles = new double[SLOTS][];

    float[] floats(int slot) {
      float[] buffer = floats[slot];
      if (buffer == null) {
        buffer = floats[slot] = new float[Blocks.BLOCK];
      }
      return buffer;
    }

    double[] doubles(int slot) {
      double[] buffer = doubles[slot];
      if (buffer == null) {
        buffer = doubles[slot] = new double[Blocks.BLOCK];
      }
      return buffer;
    }
  }
}
