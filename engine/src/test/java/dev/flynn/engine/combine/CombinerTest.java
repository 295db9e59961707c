package dev.flynn.engine.combine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.Histogram;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every strategy, grain and thread count against naive references written here (exact bins by
 * BigDecimal, the sum by BigDecimal): under contention (up to 8 workers on few cores, blocks of 61
 * elements), the results must be identical. Failures: the original exception reaches the caller, no
 * worker hangs (the barrier and the semaphore included, under a deadline), the combiner stays
 * usable, and close() leaves no thread.
 */
class CombinerTest {

  private static final int LENGTH = 20_011;
  private static final int OFFSET = 3;
  private static final int BLOCK = 61;
  private static final float LO = -2.5f;
  private static final float HI = 7.25f;
  private static final int BINS = 37;

  /** Finite values over many magnitudes, edges, zeros, subnormals and NaN; no infinity. */
  private static final float[] FINITE = data(1, false);

  /** The same kinds of values and infinities of both signs. */
  private static final float[] WITH_INFINITIES = data(2, true);

  /** Positive infinities and finite values: the sum is +Inf. */
  private static final float[] POSITIVE_INFINITY = positiveInfinities();

  private static final List<Combiner> COMBINERS = new ArrayList<>();

  private static float[] data(long seed, boolean infinities) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] a = new float[LENGTH];
    float width = HI - LO;
    for (int i = 0; i < a.length; i++) {
      a[i] =
          switch (random.nextInt(infinities ? 10 : 9)) {
            case 0, 1, 2 -> LO - 0.2f * width + 1.4f * width * random.nextFloat();
            case 3 -> (float) (LO + random.nextInt(BINS + 1) * (double) width / BINS); // an edge
            case 4 -> (random.nextBoolean() ? 1 : -1) * Float.MIN_VALUE * random.nextInt(1 << 20);
            case 5 ->
                (float)
                    ((random.nextBoolean() ? 1 : -1)
                        * Math.scalb(1 + random.nextDouble(), random.nextInt(-149, 100)));
            case 6 -> random.nextBoolean() ? 0.0f : -0.0f;
            case 7 -> random.nextInt(50) == 0 ? Float.NaN : (random.nextBoolean() ? 1 : -1) * 3e38f;
            case 8 -> (float) random.nextGaussian();
            default -> random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
          };
    }
    return a;
  }

  private static float[] positiveInfinities() {
    float[] a = data(3, false);
    for (int i = 0; i < a.length; i += 997) {
      a[i] = Float.POSITIVE_INFINITY;
    }
    return a;
  }

  // ------------------------------------------------------------------------ the references

  private static Histogram referenceHistogram(float[] a, int offset, int length) {
    long[] counts = new long[BINS];
    long below = 0;
    long above = 0;
    long nan = 0;
    BigDecimal lo = new BigDecimal(LO);
    BigDecimal width = new BigDecimal(HI).subtract(lo);
    for (int i = offset; i < offset + length; i++) {
      float x = a[i];
      if (Float.isNaN(x)) {
        nan++;
      } else if (x < LO) {
        below++;
      } else if (x >= HI) {
        above++;
      } else {
        // k = floor(bins (x - lo) / (hi - lo)), exactly
        BigDecimal t = new BigDecimal(x).subtract(lo).multiply(BigDecimal.valueOf(BINS));
        counts[t.divide(width, 0, RoundingMode.FLOOR).intValueExact()]++;
      }
    }
    return new Histogram(LO, HI, counts, below, above, nan);
  }

  private static Summary referenceSummary(float[] a, int offset, int length) {
    long count = 0;
    long nan = 0;
    float min = Float.NaN;
    float max = Float.NaN;
    boolean positive = false;
    boolean negative = false;
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = offset; i < offset + length; i++) {
      float x = a[i];
      if (Float.isNaN(x)) {
        nan++;
        continue;
      }
      if (count == 0 || Float.compare(x, min) < 0) {
        min = x;
      }
      if (count == 0 || Float.compare(x, max) > 0) {
        max = x;
      }
      count++;
      if (x == Float.POSITIVE_INFINITY) {
        positive = true;
      } else if (x == Float.NEGATIVE_INFINITY) {
        negative = true;
      } else {
        sum = sum.add(new BigDecimal(x));
      }
    }
    double total =
        positive && negative
            ? Double.NaN
            : positive
                ? Double.POSITIVE_INFINITY
                : negative ? Double.NEGATIVE_INFINITY : sum.doubleValue() + 0.0;
    return new Summary(count, nan, min, max, total);
  }

  private static final Histogram[] HISTOGRAMS = {
    referenceHistogram(FINITE, OFFSET, LENGTH - 7),
    referenceHistogram(WITH_INFINITIES, OFFSET, LENGTH - 7),
  };

  private static final Summary[] SUMMARIES = {
    referenceSummary(FINITE, OFFSET, LENGTH - 7),
    referenceSummary(WITH_INFINITIES, OFFSET, LENGTH - 7),
    referenceSummary(POSITIVE_INFINITY, OFFSET, LENGTH - 7),
  };

  private static Combiner combiner(int threads) {
    Combiner c = new Combiner(threads, BLOCK);
    COMBINERS.add(c);
    return c;
  }

  private static final Combiner ONE = combiner(1);
  private static final Combiner THREE = combiner(3);
  private static final Combiner EIGHT = combiner(8);

  @AfterAll
  static void closeAllAndCheckNoThreadIsLeft() {
    COMBINERS.forEach(Combiner::close);
    for (Combiner c : COMBINERS) {
      assertTrue(threadsOf(c).isEmpty(), "threads left after close(): " + threadsOf(c));
    }
  }

  private static List<Thread> threadsOf(Combiner c) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(c.namePrefix()) && t.isAlive())
        .toList();
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (CombineStrategy strategy : CombineStrategy.values()) {
      for (Grain grain : Grain.values()) {
        for (int threads : new int[] {1, 3, 8}) {
          cases.add(Arguments.of(strategy, grain, threads));
        }
      }
    }
    return cases.stream();
  }

  private static Combiner byThreads(int threads) {
    return switch (threads) {
      case 1 -> ONE;
      case 3 -> THREE;
      default -> EIGHT;
    };
  }

  @ParameterizedTest(name = "{0} {1} threads={2}")
  @MethodSource("cases")
  void histogramEqualsTheExactReference(CombineStrategy strategy, Grain grain, int threads) {
    Combiner c = byThreads(threads);
    float[][] inputs = {FINITE, WITH_INFINITIES};
    for (int d = 0; d < inputs.length; d++) {
      Histogram h = c.histogram(inputs[d], OFFSET, LENGTH - 7, LO, HI, BINS, strategy, grain);
      assertEquals(HISTOGRAMS[d], h, "data set " + d);
      assertEquals(LENGTH - 7, h.total());
    }
  }

  @ParameterizedTest(name = "{0} {1} threads={2}")
  @MethodSource("cases")
  void summaryEqualsTheExactReference(CombineStrategy strategy, Grain grain, int threads) {
    Combiner c = byThreads(threads);
    float[][] inputs = {FINITE, WITH_INFINITIES, POSITIVE_INFINITY};
    for (int d = 0; d < inputs.length; d++) {
      Summary s = c.summary(inputs[d], OFFSET, LENGTH - 7, strategy, grain);
      assertSummaryEquals(SUMMARIES[d], s, "data set " + d);
    }
  }

  private static void assertSummaryEquals(Summary expected, Summary actual, String what) {
    assertEquals(expected.count(), actual.count(), what + ": count");
    assertEquals(expected.nan(), actual.nan(), what + ": nan");
    assertEquals(
        Float.floatToRawIntBits(expected.min()),
        Float.floatToRawIntBits(actual.min()),
        what + ": min");
    assertEquals(
        Float.floatToRawIntBits(expected.max()),
        Float.floatToRawIntBits(actual.max()),
        what + ": max");
    assertEquals(
        Double.doubleToLongBits(expected.sum()),
        Double.doubleToLongBits(actual.sum()),
        what + ": sum " + expected.sum() + " vs " + actual.sum());
  }

  @Test
  void theExactSumDiffersFromAPlainDoubleSum() {
    // The data are chosen so that order matters in double: the exact sum is a real test.
    double forward = 0;
    double backward = 0;
    for (int i = OFFSET; i < LENGTH - 4; i++) {
      forward += FINITE[i];
    }
    for (int i = LENGTH - 5; i >= OFFSET; i--) {
      backward += FINITE[i];
    }
    assertTrue(forward != backward || forward != SUMMARIES[0].sum(), forward + " " + backward);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("strategiesAndGrains")
  void emptyAndSmallRanges(CombineStrategy strategy, Grain grain) {
    Summary empty = EIGHT.summary(FINITE, 5, 0, strategy, grain);
    assertSummaryEquals(new Summary(0, 0, Float.NaN, Float.NaN, 0.0), empty, "empty");
    for (int length : new int[] {1, 2, BLOCK - 1, BLOCK, BLOCK + 1, 8 * BLOCK + 2}) {
      assertSummaryEquals(
          referenceSummary(FINITE, 11, length),
          EIGHT.summary(FINITE, 11, length, strategy, grain),
          "length " + length);
      assertEquals(
          referenceHistogram(FINITE, 11, length),
          EIGHT.histogram(FINITE, 11, length, LO, HI, BINS, strategy, grain));
    }
  }

  static Stream<Arguments> strategiesAndGrains() {
    return Stream.of(CombineStrategy.values())
        .flatMap(s -> Stream.of(Grain.values()).map(g -> Arguments.of(s, g)));
  }

  // ----------------------------------------------------------------------------- failures

  /** A value no data set holds; the failing workload throws where it meets it. */
  private static final float SENTINEL = 123456.78f;

  /**
   * A summary that throws {@code failure} at {@link #SENTINEL}, after waiting (up to a deadline)
   * until every other worker is parked or blocked: on the barrier, on the lock this worker holds
   * (the fine grain throws inside the critical section), or idle.
   */
  private static final class FailingWorkload extends Workload {
    private final SummaryWorkload inner = new SummaryWorkload();
    private final Throwable failure;
    private final Combiner combiner;

    /** {@code failure} is a RuntimeException or an Error. */
    FailingWorkload(Combiner combiner, Throwable failure) {
      super(SummaryWorkload.ADDS, 2);
      this.combiner = combiner;
      this.failure = failure;
    }

    private void fail() {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline && !othersStopped()) {
        Thread.onSpinWait();
      }
      if (failure instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) failure;
    }

    private boolean othersStopped() {
      for (Thread t : threadsOf(combiner)) {
        Thread.State state = t.getState();
        if (t != Thread.currentThread()
            && state != Thread.State.WAITING
            && state != Thread.State.BLOCKED
            && state != Thread.State.TIMED_WAITING) {
          return false;
        }
      }
      return true;
    }

    @Override
    void element(float x, Slots into) {
      if (x == SENTINEL) {
        fail();
      }
      inner.element(x, into);
    }

    @Override
    void block(float[] a, int from, int length, long[] partial) {
      for (int i = from; i < from + length; i++) {
        if (a[i] == SENTINEL) {
          fail();
        }
      }
      inner.block(a, from, length, partial);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("strategiesAndGrains")
  void aWorkerFailureReachesTheCallerAndReleasesEveryWaiter(CombineStrategy strategy, Grain grain) {
    // A combiner of its own: if a mutation made the workers hang, this test fails at its deadline
    // and leaves the stuck (daemon) workers behind instead of blocking every later test.
    Combiner c = new Combiner(8, BLOCK);
    float[] a = FINITE.clone();
    int at = 2 * LENGTH / 3;
    a[at] = SENTINEL;
    RuntimeException boom = new IllegalStateException("boom at " + at);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          RuntimeException thrown =
              assertThrows(
                  RuntimeException.class,
                  () -> c.run(new FailingWorkload(c, boom), a, 0, a.length, strategy, grain));
          assertSame(boom, thrown, "the original exception, not a copy");
          // Still usable, and still right.
          assertSummaryEquals(
              SUMMARIES[0], c.summary(FINITE, OFFSET, LENGTH - 7, strategy, grain), "after");
          c.close();
          assertTrue(threadsOf(c).isEmpty(), "threads left after close(): " + threadsOf(c));
        },
        strategy + " " + grain + " hung after a worker failed");
  }

  @Test
  void anErrorIsRethrownAsItself() {
    float[] a = FINITE.clone();
    a[100] = SENTINEL;
    Error error = new AssertionError("an error in a worker");
    Combiner c = THREE;
    Workload w = new FailingWorkload(c, error);
    assertSame(
        error,
        assertThrows(
            Error.class,
            () -> c.run(w, a, 0, a.length, CombineStrategy.CONDITION_BARRIER, Grain.FINE)));
  }

  @Test
  void closeEndsEveryThreadIsIdempotentAndRefusesLaterCalls() {
    Combiner c = new Combiner(4, BLOCK);
    c.summary(FINITE, 0, LENGTH, CombineStrategy.CONDITION_BARRIER, Grain.COARSE);
    assertFalse(threadsOf(c).isEmpty(), "the call started no worker");
    threadsOf(c).forEach(t -> assertTrue(t.isDaemon(), t.getName()));
    c.close();
    assertTrue(threadsOf(c).isEmpty(), "threads left after close(): " + threadsOf(c));
    c.close();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> c.summary(FINITE, 0, 10, CombineStrategy.ATOMIC, Grain.FINE));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  // ---------------------------------------------------------------------------- bad input

  @Test
  void badInputIsRefusedBeforeAnythingStarts() {
    Combiner c = ONE;
    CombineStrategy s = CombineStrategy.ATOMIC;
    Grain g = Grain.FINE;
    float[] a = new float[10];
    assertEquals(
        "a is null",
        assertThrows(NullPointerException.class, () -> c.summary(null, 0, 0, s, g)).getMessage());
    assertEquals(
        "strategy is null",
        assertThrows(NullPointerException.class, () -> c.summary(a, 0, 1, null, g)).getMessage());
    assertEquals(
        "grain is null",
        assertThrows(NullPointerException.class, () -> c.histogram(a, 0, 1, 0, 1, 2, s, null))
            .getMessage());
    assertTrue(
        assertThrows(IndexOutOfBoundsException.class, () -> c.summary(a, 5, 6, s, g))
            .getMessage()
            .contains("offset 5 and length 6"));
    assertThrows(IndexOutOfBoundsException.class, () -> c.summary(a, -1, 1, s, g));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> c.summary(a, 0, -1, s, g))
            .getMessage()
            .contains("-1"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> c.histogram(a, 0, 1, 1, 1, 2, s, g))
            .getMessage()
            .contains("lo=1.0, hi=1.0"));
    assertThrows(IllegalArgumentException.class, () -> c.histogram(a, 0, 1, 0, Float.NaN, 2, s, g));
    assertThrows(
        IllegalArgumentException.class,
        () -> c.histogram(a, 0, 1, Float.NEGATIVE_INFINITY, 0, 2, s, g));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> c.histogram(a, 0, 1, 0, 1, 0, s, g))
            .getMessage()
            .contains("bins=0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new Combiner(0))
            .getMessage()
            .contains("threads=0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new Combiner(2, 0))
            .getMessage()
            .contains("block=0"));
  }
}
