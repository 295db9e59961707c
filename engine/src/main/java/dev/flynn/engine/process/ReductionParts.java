package dev.flynn.engine.process;

import dev.flynn.kernels.FloatSegmentKernels;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * How a file of {@code length} floats is cut into parts that threads or worker processes reduce
 * independently, and how their partials are put back together, so that the result has the bits of
 * the engine's own reduction over the whole file whatever the worker count.
 *
 * <p>The engine cuts a range into blocks of {@link #BLOCK} floats and combines the block partials
 * in a fixed binary tree (split the blocks {@code [lo, hi)} at {@code (lo + hi) >>> 1}, left before
 * right). A part here is one node of that tree, at most {@link #DEPTH} levels below the root: a run
 * of whole blocks whose boundaries depend on the length only. Each part is reduced along its own
 * subtree (the same shape: {@code lo + (hi - lo) / 2 == (lo + hi) >>> 1}), and the parts' partials
 * are combined along the top of the tree. Workers take contiguous runs of parts; which worker
 * computes a part never changes its bits.
 */
final class ReductionParts {

  /**
   * Floats per block: the engine's {@code Blocks.BLOCK}, which is package-private there. Kept equal
   * on purpose; {@code MappedFileReductionTest} fails if they drift (its results must equal the
   * engine's sum bit for bit).
   */
  static final int BLOCK = 16384;

  /**
   * Levels of the tree cut into parts: up to 2^6 = 64 parts, enough to spread over 64 workers while
   * keeping each worker's report a few lines.
   */
  static final int DEPTH = 6;

  private ReductionParts() {}

  /** A part: blocks {@code [firstBlock, endBlock)}. */
  record Part(int firstBlock, int endBlock) {}

  /** The parts of a range of {@code length} floats, in order; none when the range is empty. */
  static List<Part> of(long length) {
    int blocks = blocks(length);
    List<Part> parts = new ArrayList<>();
    if (blocks > 0) {
      cut(0, blocks, DEPTH, parts);
    }
    return parts;
  }

  private static void cut(int lo, int hi, int depth, List<Part> parts) {
    if (depth == 0 || hi - lo == 1) {
      parts.add(new Part(lo, hi));
      return;
    }
    int mid = (lo + hi) >>> 1;
    cut(lo, mid, depth - 1, parts);
    cut(mid, hi, depth - 1, parts);
  }

  static int blocks(long length) {
    long blocks = (length + BLOCK - 1) / BLOCK;
    if (blocks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "the file holds " + length + " floats, more than the engine's limit of " + maxLength());
    }
    return (int) blocks;
  }

  static long maxLength() {
    return (long) Integer.MAX_VALUE * BLOCK;
  }

  /** The first part of worker {@code w} of {@code workers} over {@code parts} parts. */
  static int firstPart(int w, int workers, int parts) {
    return (int) ((long) w * parts / workers);
  }

  /**
   * The partial of one part of a file of {@code length} floats, along the part's subtree: the same
   * leaves and the same combine order as the engine's SIMD modes over the whole file.
   */
  static Partial reduce(FloatSegmentKernels k, MemorySegment file, long length, Part part) {
    return tree(k, file, length, part.firstBlock(), part.endBlock());
  }

  private static Partial tree(
      FloatSegmentKernels k, MemorySegment file, long length, int lo, int hi) {
    if (hi - lo == 1) {
      long start = (long) lo * BLOCK;
      int n = (int) Math.min(BLOCK, length - start);
      long bytes = start * Float.BYTES;
      return new Partial(k.sum(file, bytes, n), k.min(file, bytes, n), k.max(file, bytes, n));
    }
    int mid = (lo + hi) >>> 1;
    return tree(k, file, length, lo, mid).combine(tree(k, file, length, mid, hi));
  }

  /**
   * Combines the partials of every part of {@link #of} (in that order) along the top of the tree,
   * as the engine combines the same subtrees.
   */
  static Partial combine(List<Part> parts, List<Partial> partials) {
    if (parts.size() != partials.size()) {
      throw new IllegalArgumentException(
          parts.size() + " parts but " + partials.size() + " partials");
    }
    int[] next = {0};
    int blocks = parts.getLast().endBlock();
    Partial result = combine(parts, partials, 0, blocks, DEPTH, next);
    assert next[0] == parts.size();
    return result;
  }

  private static Partial combine(
      List<Part> parts, List<Partial> partials, int lo, int hi, int depth, int[] next) {
    if (depth == 0 || hi - lo == 1) {
      Part part = parts.get(next[0]);
      assert part.firstBlock() == lo && part.endBlock() == hi : part + " at [" + lo + ", " + hi;
      return partials.get(next[0]++);
    }
    int mid = (lo + hi) >>> 1;
    Partial left = combine(parts, partials, lo, mid, depth - 1, next);
    return left.combine(combine(parts, partials, mid, hi, depth - 1, next));
  }

  /**
   * One part's sum, least and greatest element, as the engine's block partials: the sum in double,
   * before the rounding to float; the extremes combined by {@code Math.min} and {@code Math.max}
   * (NaN wins, -0.0 below +0.0).
   */
  record Partial(double sum, double min, double max) {

    Partial combine(Partial right) {
      return new Partial(sum + right.sum, Math.min(min, right.min), Math.max(max, right.max));
    }

    /** Exact bits, as a worker process writes them: three 16-digit hex numbers. */
    String encode() {
      return hex(sum) + " " + hex(min) + " " + hex(max);
    }

    static Partial decode(String text) {
      String[] fields = text.trim().split(" ");
      if (fields.length != 3) {
        throw new IllegalArgumentException("not three hex numbers: '" + text + "'");
      }
      return new Partial(bits(fields[0]), bits(fields[1]), bits(fields[2]));
    }

    private static String hex(double value) {
      return String.format("%016x", Double.doubleToRawLongBits(value));
    }

    private static double bits(String hex) {
      if (hex.length() != 16) {
        throw new IllegalArgumentException("not 16 hex digits: '" + hex + "'");
      }
      return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }
  }
}
