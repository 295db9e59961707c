package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.Blocks.FloatReduction;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The long-length splitting behind the segment kernels, at lengths up to 2^45 elements, without
 * touching memory: block arithmetic, the combine tree against {@link Blocks}', and the pooled
 * path's chunking across {@code int} lengths.
 */
class LongBlocksTest {

  @Test
  void blockArithmeticHoldsAt2To40AndAtTheLimit() {
    long n = 1L << 40;
    assertEquals(1 << 26, LongBlocks.count(n));
    assertEquals((1 << 26) + 1, LongBlocks.count(n + 1));
    int last = LongBlocks.count(n + 5) - 1;
    assertEquals(n, LongBlocks.start(last));
    assertEquals(5, LongBlocks.length(last, n + 5));
    assertEquals(BLOCK, LongBlocks.length(last - 1, n + 5));
    assertEquals(n - BLOCK, LongBlocks.start(last - 1));

    long max = LongBlocks.MAX_LENGTH;
    assertEquals((1L << 45) - BLOCK, max);
    assertEquals(Integer.MAX_VALUE, LongBlocks.count(max));
    assertEquals(max - BLOCK, LongBlocks.start(Integer.MAX_VALUE - 1));
    assertEquals(BLOCK, LongBlocks.length(Integer.MAX_VALUE - 1, max));
    assertEquals(0, LongBlocks.count(0));
    assertEquals(1, LongBlocks.count(1));
  }

  /** Blocks cover the range once each, in order, whatever the length's residue. */
  @Test
  void blocksTileTheRangeExactly() {
    for (long n : new long[] {1, BLOCK - 1, BLOCK, BLOCK + 1, (1L << 31) + 1000, (1L << 40) + 3}) {
      int blocks = LongBlocks.count(n);
      long covered = (long) (blocks - 1) * BLOCK + LongBlocks.length(blocks - 1, n);
      assertEquals(n, covered, "n=" + n);
      assertTrue(LongBlocks.length(blocks - 1, n) >= 1, "last block empty at n=" + n);
    }
  }

  /** The same tree as the array reductions: same bits from the same partials. */
  @Test
  void theCombineTreeIsTheArrayReductionsTree() {
    SplittableRandom random = new SplittableRandom(7);
    for (int blocks : new int[] {1, 2, 3, 5, 64, 1000, 4099}) {
      double[] partials = new double[blocks];
      for (int i = 0; i < blocks; i++) {
        partials[i] = Math.scalb(random.nextDouble() - 0.5, random.nextInt(-30, 30));
      }
      double arrays = Blocks.combine(FloatReduction.SUM, partials, 0, blocks);
      double longs = LongBlocks.combine(partials, FloatReduction.SUM::combine, 0, blocks);
      assertEquals(Double.doubleToLongBits(arrays), Double.doubleToLongBits(longs));
      long length = (long) blocks * BLOCK - 1;
      double walked =
          LongBlocks.tree(
              (start, n) -> partials[(int) (start / BLOCK)],
              FloatReduction.SUM::combine,
              length,
              0,
              blocks);
      assertEquals(Double.doubleToLongBits(arrays), Double.doubleToLongBits(walked));
    }
  }

  /**
   * The pooled path over 2^36 + 5 elements (64 chunks of {@code int} length): every block runs
   * exactly once with the right start and length, and a reduction gives the calling thread's bits.
   */
  @Test
  void thePooledPathCoversLongRangesAcrossChunks() {
    long n = (1L << 36) + 5;
    int blocks = LongBlocks.count(n);
    try (Workers workers = new Workers(3)) {
      SegmentRunner pooled = new SegmentRunner(workers, Mode.MIMD);
      BitSet seen = new BitSet(blocks);
      pooled.forEachBlock(
          n,
          0,
          (start, length) -> {
            assertEquals(0, start % BLOCK);
            int block = (int) (start / BLOCK);
            assertEquals(LongBlocks.length(block, n), length);
            synchronized (seen) {
              assertTrue(!seen.get(block), "block run twice: " + block);
              seen.set(block);
            }
          });
      assertEquals(blocks, seen.cardinality());
      LongBlocks.Leaf leaf = (start, length) -> Math.sqrt(start) + length;
      double single =
          new SegmentRunner(workers, Mode.SISD).reduce(n, 0, leaf, FloatReduction.SUM::combine);
      double many = pooled.reduce(n, 0, leaf, FloatReduction.SUM::combine);
      assertEquals(Double.doubleToLongBits(single), Double.doubleToLongBits(many));
    }
  }
}
