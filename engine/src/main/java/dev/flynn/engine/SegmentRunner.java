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

  /** The array API on the same pool and mode, for the kernels staged whole (gemm, gemv). */
  FlynnOps ops() {
    return new FlynnOps(workers, mode);
  }

  Mode mode() {
    return mode;
  }

  /** Throws {@link IllegalStateException} once the engine is closed. */
  void ensureOpen() {
    workers.ensureOpen();
  }

  /** Runs {@code body} on every block of a range of {@code length} elements. */
  void forEachBlock(long length, int autoForkThreshold, BlockBody body, MemorySegment... segments) {
    workers.ensureOpen();
    if (!pooled(length, autoForkThreshold, segments)) {
      int blocks = LongBlocks.count(length);
      for (int b = 0; b < blocks; b++) {
        workers.checkpoint(b); // an asynchronous call stops between blocks
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
      LongBlocks.Leaf stoppable =
          workers.blockwise()
              ? (s, n) -> {
                workers.checkpoint(s / Blocks.BLOCK); // an asynchronous call stops between blocks
                return leaf.compute(s, n);
              }
              : leaf;
      return LongBlocks.tree(stoppable, combine, length, 0, blocks);
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

  /** Computes the {@code width} partials of one block into {@code out[at .. at + width)}. */
  @FunctionalInterface
  interface SumsLeaf {
    void run(long start, int length, double[] out, int at);
  }

  /**
   * Computes the {@code width} integer partials of one block into {@code out[at .. at + width)}.
   */
  @FunctionalInterface
  interface LongLeaf {
    void run(long start, int length, long[] out, int at);
  }

  /** Adds the counts of one block into {@code counts}. */
  @FunctionalInterface
  interface CountLeaf {
    void run(long start, int length, long[] counts);
  }

  /** Runs one part of a call cut into parts (a panel of rows, a run of blocks). */
  @FunctionalInterface
  interface PartBody {
    void run(long part);
  }

  /**
   * Every block's {@code width} partials, block {@code b}'s at {@code [b * width, (b + 1) *
   * width)}: for partials that are not combined as sums (the cosine's terms), or for a scan's
   * carries.
   */
  double[] partials(
      long length, int autoForkThreshold, int width, SumsLeaf leaf, MemorySegment... segments) {
    double[] partials = new double[Math.multiplyExact(LongBlocks.count(length), width)];
    forEachBlock(
        length,
        autoForkThreshold,
        (s, n) -> leaf.run(s, n, partials, (int) (s / Blocks.BLOCK) * width),
        segments);
    return partials;
  }

  /**
   * Every block's {@code width} integer partials, block {@code b}'s at {@code [b * width, (b + 1) *
   * width)}: for the int and long reductions, whose partials a double cannot hold. Integer results
   * do not depend on the order in which the caller then combines them.
   */
  long[] longPartials(
      long length, int autoForkThreshold, int width, LongLeaf leaf, MemorySegment... segments) {
    long[] partials = new long[Math.multiplyExact(LongBlocks.count(length), width)];
    forEachBlock(
        length,
        autoForkThreshold,
        (s, n) -> leaf.run(s, n, partials, (int) (s / Blocks.BLOCK) * width),
        segments);
    return partials;
  }

  /**
   * The {@code width} sums over a range: each block's by {@code leaf}, then added component by
   * component along the fixed tree, as {@link Partials#sums} does for arrays (the same bits). Empty
   * gives zeros.
   */
  double[] sums(
      long length, int autoForkThreshold, int width, SumsLeaf leaf, MemorySegment... segments) {
    double[] partials = partials(length, autoForkThreshold, width, leaf, segments);
    int blocks = LongBlocks.count(length);
    double[] result = new double[width];
    for (int c = 0; blocks > 0 && c < width; c++) {
      result[c] = add(partials, width, c, 0, blocks);
    }
    return result;
  }

  private static double add(double[] partials, int width, int c, int lo, int hi) {
    if (hi - lo == 1) {
      return partials[lo * width + c];
    }
    int mid = (lo + hi) >>> 1;
    return add(partials, width, c, lo, mid) + add(partials, width, c, mid, hi);
  }

  /**
   * {@code width} counts over a range (a histogram's): on the calling thread into one array, or
   * across the pool in at most two runs of whole blocks per thread, each with its own counts, added
   * at the end (integers: any split gives the same counts).
   */
  long[] counts(
      long length, int autoForkThreshold, int width, CountLeaf leaf, MemorySegment... segments) {
    workers.ensureOpen();
    int blocks = LongBlocks.count(length);
    if (!pooled(length, autoForkThreshold, segments)) {
      long[] counts = new long[width];
      for (int b = 0; b < blocks; b++) {
        workers.checkpoint(b); // an asynchronous call stops between blocks
        leaf.run(LongBlocks.start(b), LongBlocks.length(b, length), counts);
      }
      return counts;
    }
    int tasks = Math.min(blocks, 2 * workers.threads());
    long[][] partials = new long[tasks][];
    forEachPart(
        tasks,
        length,
        autoForkThreshold,
        task -> {
          long[] counts = new long[width];
          int end = (int) ((task + 1) * blocks / tasks);
          for (int b = (int) (task * blocks / tasks); b < end; b++) {
            workers.checkpoint(b); // an asynchronous call stops between blocks
            leaf.run(LongBlocks.start(b), LongBlocks.length(b, length), counts);
          }
          partials[(int) task] = counts;
        },
        segments);
    long[] counts = partials[0];
    for (int t = 1; t < tasks; t++) {
      for (int k = 0; k < width; k++) {
        counts[k] += partials[t][k];
      }
    }
    return counts;
  }

  /**
   * Runs parts {@code [0, parts)} of a call that touches about {@code work} elements: in order on
   * the calling thread, or across the pool when a range of {@code work} elements would go there.
   */
  void forEachPart(
      long parts, long work, int autoForkThreshold, PartBody body, MemorySegment... segments) {
    workers.ensureOpen();
    if (parts <= 1 || !pooled(work, autoForkThreshold, segments)) {
      for (long p = 0; p < parts; p++) {
        workers.checkpoint(p); // an asynchronous call stops between parts
        body.run(p);
      }
      return;
    }
    // forEachBlock hands out block numbers over a length of whole blocks: one number per part.
    long perCall = CHUNK / Blocks.BLOCK;
    for (long base = 0; base < parts; base += perCall) {
      long first = base;
      workers.forEachBlock(
          (int) (Math.min(perCall, parts - base) * Blocks.BLOCK),
          workers.threadsFor(work),
          (s, n, block) -> body.run(first + block));
    }
  }

  /**
   * {@code s2 - s1^2 / n} for the corrected two-pass variance, never below zero; +Inf stays +Inf,
   * NaN stays NaN (as the array path computes it).
   */
  static double centeredSumOfSquares(double s1, double s2, long n) {
    if (s2 == Double.POSITIVE_INFINITY) {
      return s2;
    }
    return Math.max(0.0, s2 - s1 * s1 / n);
  }

  /**
   * Whether a call runs whole on the calling thread, as the array API's single-threaded calls do:
   * it does not go to the pool, and it is not a call view's (whose calls run block by block so that
   * a stop takes effect at the next block boundary).
   */
  boolean whole(long length, int autoForkThreshold, MemorySegment... segments) {
    return !workers.blockwise() && !pooled(length, autoForkThreshold, segments);
  }

  /** Whether a call goes to the pool: as {@link FlynnOps} decides, and never for confined data. */
  boolean pooled(long length, int autoForkThreshold, MemorySegment... segments) {
    boolean pooled = workers.pooled(mode, length, autoForkThreshold);
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
   * One block's worth of heap buffers per slot and type (64 KiB of floats, 128 KiB of doubles; the
   * int and long kernels run direct and stage nothing), made on a thread's first staged call and
   * reused by every later one: the staged path allocates nothing per block. A thread keeps them
   * while it lives (pool workers, and the callers of staged kernels).
   */
  static final class StagingBuffers {
    /**
     * Slots a staged kernel uses: two (a score panel in slot 0 and its scores in slot 1; the staged
     * maps and the histogram use slot 0 only). Every memory-bound kernel is direct now.
     */
    static final int SLOTS = 2;

    private final float[][] floats = new float[SLOTS][];
    private final double[][] doubles = new double[SLOTS][];

    float[] floats(int slot) {
      return floats(slot, Blocks.BLOCK);
    }

    double[] doubles(int slot) {
      return doubles(slot, Blocks.BLOCK);
    }

    /** A buffer of at least {@code length} floats (at least one block): grown, then kept. */
    float[] floats(int slot, int length) {
      float[] buffer = floats[slot];
      if (buffer == null || buffer.length < length) {
        buffer = floats[slot] = new float[Math.max(length, Blocks.BLOCK)];
      }
      return buffer;
    }

    /** A buffer of at least {@code length} doubles (at least one block): grown, then kept. */
    double[] doubles(int slot, int length) {
      double[] buffer = doubles[slot];
      if (buffer == null || buffer.length < length) {
        buffer = doubles[slot] = new double[Math.max(length, Blocks.BLOCK)];
      }
      return buffer;
    }
  }
}
