package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.kernels.Comparison;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every long kernel of {@link FlynnOps}, in every mode, against references computed here: exact
 * long or BigInteger arithmetic for the reductions and the scan, BigInteger reduced modulo 2^64 for
 * the wrapping elementwise kernels. Extremes (MIN_VALUE, MAX_VALUE, overflow), determinism across
 * thread counts and bad input have their own cases.
 */
class LongKernelTest {

  /** One row per elementwise kernel. */
  enum Op {
    ADD,
    SUB,
    MUL,
    NEG,
    ABS,
    MINIMUM,
    MAXIMUM,
    CLAMP;

    String kernel() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The long kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Stream.concat(
              Stream.of("sum", "min", "max", "argmin", "argmax", "count", "prefixSum"),
              Arrays.stream(Op.values()).map(Op::kernel))
          .collect(Collectors.toUnmodifiableSet());

  /** Long lanes per preferred vector: as many as double lanes. */
  private static final int L = TestData.DOUBLE_LANES;

  private static final long SENTINEL = 0x5EED_5EED_5EED_5EEDL;
  private static final long CLAMP_LO = -1L << 40;
  private static final long CLAMP_HI = 1L << 50;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  static Stream<Arguments> cases() {
    return TestData.modeLengthOffset(L);
  }

  static Stream<Arguments> opCases() {
    return TestData.crossed(Op.values(), L);
  }

  /** Kinds of data, each from its own seed. */
  enum Kind {
    /** Any long, extremes included now and then: sums of two or more usually overflow. */
    FULL,
    /** [-50, 50]: many ties for argmin, argmax and count. */
    SMALL,
    /** |x| < 2^40, every bit pattern: sums of a million fit, high halves of both signs. */
    MEDIUM,
  }

  static long[] longs(Kind kind, int n, long seed) {
    return TestData.cached(
        List.of("long", kind, n, seed),
        k -> {
          SplittableRandom r = new SplittableRandom(seed * 7_919 + kind.ordinal());
          long[] a = new long[n];
          for (int i = 0; i < n; i++) {
            a[i] =
                switch (kind) {
                  case FULL ->
                      switch (r.nextInt(64)) {
                        case 0 -> Long.MIN_VALUE;
                        case 1 -> Long.MAX_VALUE;
                        default -> r.nextLong();
                      };
                  case SMALL -> r.nextInt(-50, 51);
                  case MEDIUM -> r.nextLong(-(1L << 40) + 1, 1L << 40);
                };
          }
          return a;
        });
  }

  /** A copy of {@code data} at {@code offset} in a longer array, {@code guard} all around. */
  static long[] padded(long[] data, int offset, long guard) {
    long[] a = new long[offset + data.length + 5];
    Arrays.fill(a, guard);
    System.arraycopy(data, 0, a, offset, data.length);
    return a;
  }

  // ---------------------------------------------------------------- reductions

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void sumIsExactOrThrows(Mode mode, int n, int offset) {
    for (Kind kind : new Kind[] {Kind.MEDIUM, Kind.FULL}) {
      long[] data = longs(kind, n, 1);
      long[] a = padded(data, offset, Long.MAX_VALUE);
      assertExactOrThrows(
          exactSum(data), () -> flynn.using(mode).sum(a, offset, n), mode + " " + kind + " sum");
    }
  }

  static BigInteger exactSum(long[] data) {
    return TestData.cached(
        List.of("long-exact-sum", data),
        k -> {
          BigInteger s = BigInteger.ZERO;
          for (long x : data) {
            s = s.add(BigInteger.valueOf(x));
          }
          return s;
        });
  }

  /** The exact value when it fits in a long, else ArithmeticException: exact or nothing. */
  static void assertExactOrThrows(BigInteger exact, Supplier<Long> call, String what) {
    if (exact.compareTo(LONG_MIN) >= 0 && exact.compareTo(LONG_MAX) <= 0) {
      assertEquals(exact.longValueExact(), call.get(), what);
    } else {
      ArithmeticException e = assertThrows(ArithmeticException.class, call::get, what);
      assertTrue(e.getMessage().contains(exact.toString()), what + ": " + e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void minMaxAndFirstIndices(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    for (Kind kind : new Kind[] {Kind.FULL, Kind.SMALL}) {
      long[] data = longs(kind, n, 4);
      // guards that would win if a kernel read outside the range
      long[] low = padded(data, offset, Long.MIN_VALUE);
      long[] high = padded(data, offset, Long.MAX_VALUE);
      if (n == 0) {
        assertThrows(IllegalArgumentException.class, () -> ops.min(low, offset, 0));
        assertThrows(IllegalArgumentException.class, () -> ops.argmax(high, offset, 0));
        return;
      }
      int min = 0;
      int max = 0;
      for (int i = 1; i < n; i++) {
        min = data[i] < data[min] ? i : min;
        max = data[i] > data[max] ? i : max;
      }
      String what = mode + " " + kind + " n=" + n;
      assertEquals(data[min], ops.min(high, offset, n), what + " min");
      assertEquals(data[max], ops.max(low, offset, n), what + " max");
      assertEquals(min, ops.argmin(high, offset, n), what + " argmin");
      assertEquals(max, ops.argmax(low, offset, n), what + " argmax");
    }
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void countMatchesEveryComparison(Mode mode, int n, int offset) {
    long[] data = longs(Kind.SMALL, n, 5);
    long[] a = padded(data, offset, 7);
    long[] thresholds = {7, n > 0 ? data[n / 2] : 0};
    for (Comparison cmp : Comparison.values()) {
      for (long t : thresholds) {
        assertEquals(
            countReference(data, cmp, t),
            flynn.using(mode).count(a, offset, n, cmp, t),
            mode + " count " + cmp + " " + t + " n=" + n);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void countHonoursExtremeThresholds(Mode mode) {
    int n = 4 * L + 3;
    long[] data = longs(Kind.FULL, n, 6).clone();
    data[0] = Long.MIN_VALUE;
    data[n - 1] = Long.MAX_VALUE;
    long[] thresholds = {
      Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE
    };
    for (Comparison cmp : Comparison.values()) {
      for (long t : thresholds) {
        assertEquals(
            countReference(data, cmp, t),
            flynn.using(mode).count(data, cmp, t),
            mode + " count " + cmp + " " + t);
      }
    }
  }

  static long countReference(long[] data, Comparison cmp, long t) {
    long count = 0;
    for (long x : data) {
      boolean pass =
          switch (cmp) {
            case LESS -> x < t;
            case LESS_OR_EQUAL -> x <= t;
            case GREATER -> x > t;
            case GREATER_OR_EQUAL -> x >= t;
            case EQUAL -> x == t;
            case NOT_EQUAL -> x != t;
          };
      count += pass ? 1 : 0;
    }
    return count;
  }

  // ---------------------------------------------------------------- scan

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void scanIsExactOrThrows(Mode mode, int n, int offset) {
    for (Kind kind : new Kind[] {Kind.MEDIUM, Kind.FULL}) {
      long[] data = longs(kind, n, 7);
      long[] a = padded(data, offset, Long.MAX_VALUE);
      long[] out = new long[n + 4];
      Arrays.fill(out, SENTINEL);
      int outOff = 3 - offset;
      int overflowAt = firstOverflow(data);
      String what = mode + " " + kind + " scan n=" + n;
      if (overflowAt >= 0) {
        ArithmeticException e =
            assertThrows(
                ArithmeticException.class,
                () -> flynn.using(mode).prefixSum(a, offset, out, outOff, n),
                what);
        assertTrue(e.getMessage().contains("prefix sum at index"), what + ": " + e.getMessage());
      } else {
        flynn.using(mode).prefixSum(a, offset, out, outOff, n);
        long s = 0;
        for (int i = 0; i < out.length; i++) {
          int at = i - outOff;
          if (at < 0 || at >= n) {
            assertEquals(SENTINEL, out[i], what + " wrote outside the range at " + i);
            continue;
          }
          s += data[at];
          if (out[i] != s) {
            fail(what + " at " + at + ": expected " + s + " but was " + out[i]);
          }
        }
      }
      assertArrayEquals(padded(data, offset, Long.MAX_VALUE), a, "input changed");
    }
  }

  /** The first index whose exact prefix sum leaves the long range, or -1. */
  static int firstOverflow(long[] data) {
    BigInteger s = BigInteger.ZERO;
    for (int i = 0; i < data.length; i++) {
      s = s.add(BigInteger.valueOf(data[i]));
      if (s.compareTo(LONG_MIN) < 0 || s.compareTo(LONG_MAX) > 0) {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- elementwise

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("opCases")
  void elementwiseMatchesJavaArithmetic(Op op, Mode mode, int n, int offset) {
    long[] x = longs(Kind.FULL, n, 8);
    long[] y = longs(Kind.FULL, n, 9);
    int aOff = offset;
    int bOff = offset + 1;
    int outOff = 3 - offset;
    long[] a = padded(x, aOff, SENTINEL);
    long[] b = padded(y, bOff, SENTINEL);
    long[] out = padded(new long[n], outOff, SENTINEL);
    Arrays.fill(out, SENTINEL);
    run(flynn.using(mode), op, a, aOff, b, bOff, out, outOff, n);
    assertArrayEquals(padded(x, aOff, SENTINEL), a, "input a changed");
    assertArrayEquals(padded(y, bOff, SENTINEL), b, "input b changed");
    for (int i = 0; i < out.length; i++) {
      int at = i - outOff;
      if (at < 0 || at >= n) {
        assertEquals(SENTINEL, out[i], op + " " + mode + ": wrote outside the range at " + i);
      } else if (out[i] != expected(op, x[at], y[at])) {
        fail(
            String.format(
                Locale.ROOT,
                "%s %s at %d: a=%d b=%d: expected %d but was %d",
                op,
                mode,
                at,
                x[at],
                y[at],
                expected(op, x[at], y[at]),
                out[i]));
      }
    }
  }

  private static void run(
      FlynnOps ops, Op op, long[] a, int aOff, long[] b, int bOff, long[] out, int outOff, int n) {
    switch (op) {
      case ADD -> ops.add(a, aOff, b, bOff, out, outOff, n);
      case SUB -> ops.sub(a, aOff, b, bOff, out, outOff, n);
      case MUL -> ops.mul(a, aOff, b, bOff, out, outOff, n);
      case NEG -> ops.neg(a, aOff, out, outOff, n);
      case ABS -> ops.abs(a, aOff, out, outOff, n);
      case MINIMUM -> ops.minimum(a, aOff, b, bOff, out, outOff, n);
      case MAXIMUM -> ops.maximum(a, aOff, b, bOff, out, outOff, n);
      case CLAMP -> ops.clamp(a, aOff, CLAMP_LO, CLAMP_HI, out, outOff, n);
    }
  }

  /**
   * The reference: the exact result reduced modulo 2^64 through BigInteger for the wrapping ops,
   * comparisons written out for the others.
   */
  static long expected(Op op, long a, long b) {
    BigInteger x = BigInteger.valueOf(a);
    BigInteger y = BigInteger.valueOf(b);
    return switch (op) {
      case ADD -> x.add(y).longValue(); // longValue keeps the low 64 bits: modulo 2^64
      case SUB -> x.subtract(y).longValue();
      case MUL -> x.multiply(y).longValue();
      case NEG -> x.negate().longValue();
      case ABS -> x.abs().longValue(); // 2^63 wraps to MIN_VALUE, as Math.abs documents
      case MINIMUM -> a < b ? a : b;
      case MAXIMUM -> a > b ? a : b;
      case CLAMP -> a < CLAMP_LO ? CLAMP_LO : a > CLAMP_HI ? CLAMP_HI : a;
    };
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wholeArrayFormsAndExactAliasing(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    int n = 2 * BLOCK + 5;
    long[] x = longs(Kind.FULL, n, 10);
    long[] y = longs(Kind.FULL, n, 11);
    for (Op op : Op.values()) {
      long[] out = new long[n];
      long[] aliased = x.clone();
      switch (op) {
        case ADD -> {
          ops.add(x, y, out);
          ops.add(aliased, y, aliased);
        }
        case SUB -> {
          ops.sub(x, y, out);
          ops.sub(aliased, y, aliased);
        }
        case MUL -> {
          ops.mul(x, y, out);
          ops.mul(aliased, y, aliased);
        }
        case NEG -> {
          ops.neg(x, out);
          ops.neg(aliased, aliased);
        }
        case ABS -> {
          ops.abs(x, out);
          ops.abs(aliased, aliased);
        }
        case MINIMUM -> {
          ops.minimum(x, y, out);
          ops.minimum(aliased, y, aliased);
        }
        case MAXIMUM -> {
          ops.maximum(x, y, out);
          ops.maximum(aliased, y, aliased);
        }
        case CLAMP -> {
          ops.clamp(x, CLAMP_LO, CLAMP_HI, out);
          ops.clamp(aliased, CLAMP_LO, CLAMP_HI, aliased);
        }
      }
      for (int i = 0; i < n; i++) {
        assertEquals(expected(op, x[i], y[i]), out[i], mode + " " + op + " at " + i);
      }
      assertArrayEquals(out, aliased, mode + " " + op + " in place");
    }
    long[] m = longs(Kind.MEDIUM, n, 12);
    long sum = 0;
    long[] prefix = new long[n];
    for (int i = 0; i < n; i++) {
      sum += m[i]; // |sum| < 2^58: no overflow
      prefix[i] = sum;
    }
    assertEquals(sum, ops.sum(m), mode + " sum");
    long[] out = new long[n];
    ops.prefixSum(m, out);
    assertArrayEquals(prefix, out, mode + " scan");
    long[] inPlace = m.clone();
    ops.prefixSum(inPlace, inPlace);
    assertArrayEquals(prefix, inPlace, mode + " scan in place");
    int argmin = 0;
    int argmax = 0;
    long below = 0;
    for (int i = 0; i < n; i++) {
      argmin = x[i] < x[argmin] ? i : argmin;
      argmax = x[i] > x[argmax] ? i : argmax;
      below += x[i] < 12345 ? 1 : 0;
    }
    assertEquals(x[argmin], ops.min(x), mode + " min");
    assertEquals(x[argmax], ops.max(x), mode + " max");
    assertEquals(argmin, ops.argmin(x), mode + " argmin");
    assertEquals(argmax, ops.argmax(x), mode + " argmax");
    assertEquals(below, ops.count(x, Comparison.LESS, 12345), mode + " count");
  }

  // ---------------------------------------------------------------- extremes

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sumIsExactOrNothingAtTheLimits(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    long max = Long.MAX_VALUE;
    long min = Long.MIN_VALUE;
    assertEquals(max, ops.sum(new long[] {max}));
    assertEquals(min, ops.sum(new long[] {min}));
    // wrapping would come back into range; the exact sum does too, so it is returned
    assertEquals(max, ops.sum(new long[] {max, 1, -1}), mode + " max + 1 - 1");
    assertEquals(min, ops.sum(new long[] {min, -1, 1}), mode + " min - 1 + 1");
    assertEquals(-1, ops.sum(new long[] {max, min}), mode + " max + min");
    // one past either end throws, with the exact value
    assertExactOrThrows(
        LONG_MAX.add(BigInteger.ONE), () -> ops.sum(new long[] {max, 1}), mode + " max + 1");
    assertExactOrThrows(
        LONG_MIN.subtract(BigInteger.ONE), () -> ops.sum(new long[] {min, -1}), mode + " min - 1");
    assertExactOrThrows(
        LONG_MIN.shiftLeft(1), () -> ops.sum(new long[] {min, min}), mode + " min + min");
    for (int n : new int[] {L - 1, L, 4 * L + 1, 3 * BLOCK + 11, TestData.LARGE}) {
      // first half +max, second half -max: far out of range on the way, exact at the end
      long[] swing = new long[n];
      for (int i = 0; i < n; i++) {
        swing[i] = i < n / 2 ? max : -max;
      }
      assertExactOrThrows(exactSum(swing), () -> ops.sum(swing), mode + " swing n=" + n);
      // all equal extremes: overflows from two elements on
      long[] allMin = new long[n];
      Arrays.fill(allMin, min);
      assertExactOrThrows(exactSum(allMin), () -> ops.sum(allMin), mode + " all min n=" + n);
      // the largest sums that fit
      long[] fit = new long[n];
      Arrays.fill(fit, max / n);
      fit[n - 1] += max % n;
      assertEquals(max, ops.sum(fit), mode + " sums exactly to MAX_VALUE, n=" + n);
      fit[0]++;
      assertExactOrThrows(exactSum(fit), () -> ops.sum(fit), mode + " MAX_VALUE + 1, n=" + n);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void scanThrowsAtTheFirstPrefixThatDoesNotFit(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    for (int n : new int[] {2, L + 3, 4 * L + 1, 3 * BLOCK + 11}) {
      for (int at : new int[] {1, n / 2, n - 1}) {
        long[] a = new long[n];
        Arrays.fill(a, 1);
        a[0] = Long.MAX_VALUE - at + 1; // the prefix at index at - 1 is MAX_VALUE
        long[] out = new long[n];
        ArithmeticException e =
            assertThrows(ArithmeticException.class, () -> ops.prefixSum(a, out), mode + " n=" + n);
        assertTrue(
            e.getMessage().contains("prefix sum at index " + at + " "),
            mode + " n=" + n + " at=" + at + ": " + e.getMessage());
        long[] fits = a.clone();
        fits[n - 1] = 0;
        if (at == n - 1) {
          ops.prefixSum(fits, out);
          assertEquals(Long.MAX_VALUE, out[n - 1], mode + " scan up to MAX_VALUE");
        }
      }
    }
    // in place: the first overflowing element is still found from the input
    long[] a = new long[3 * BLOCK];
    Arrays.fill(a, 1L << 50);
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> ops.prefixSum(a, a));
    assertTrue(e.getMessage().contains("prefix sum at index 8191 "), mode + ": " + e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void elementwiseExtremesWrapAsJavaDoes(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    long[] edge = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1};
    long[] out = new long[edge.length];
    ops.abs(edge, out);
    assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 1, 0, 1}, out, "abs");
    ops.neg(edge, out);
    assertArrayEquals(new long[] {Long.MIN_VALUE, -Long.MAX_VALUE, 1, 0, -1}, out, "neg");
    ops.mul(edge, edge, out);
    assertArrayEquals(new long[] {0, 1, 1, 0, 1}, out, "mul");
    ops.add(edge, new long[] {-1, 1, 0, 0, 0}, out);
    assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 1}, out, "add");
    ops.sub(edge, new long[] {1, -1, 0, 0, 0}, out);
    assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 1}, out, "sub");
    ops.clamp(edge, Long.MAX_VALUE, Long.MAX_VALUE, out);
    long[] allMax = new long[edge.length];
    Arrays.fill(allMax, Long.MAX_VALUE);
    assertArrayEquals(allMax, out, "clamp to a single value");
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void everyThreadCountGivesTheSameValues() {
    int n = 5 * BLOCK + 7;
    long[] a = longs(Kind.MEDIUM, n, 13);
    long[] b = longs(Kind.SMALL, n, 14);
    long[] reference = null;
    for (int threads : new int[] {1, 2, 3}) {
      try (Flynn engine = Flynn.builder().threads(threads).build()) {
        for (Mode mode : Mode.values()) {
          FlynnOps ops = engine.using(mode);
          long[] scan = new long[n];
          ops.prefixSum(a, scan);
          long[] results = {
            ops.sum(a),
            ops.min(a),
            ops.max(a),
            ops.argmin(b),
            ops.argmax(b),
            ops.count(a, Comparison.GREATER, 0),
            Arrays.hashCode(scan)
          };
          if (reference == null) {
            reference = results;
          }
          assertArrayEquals(reference, results, mode + " with " + threads + " threads");
        }
      }
    }
  }

  // ---------------------------------------------------------------- bad input

  record Bad(
      String name,
      Class<? extends RuntimeException> type,
      String fragment,
      Consumer<FlynnOps> call) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final long[] A = {1, 2, 3, 4, 5, 6};
  private static final long[] B = {6, 5, 4, 3, 2, 1};
  private static final long[] OUT = new long[6];
  private static final long[] FIVE = new long[5];
  private static final long[] TWELVE = new long[12];
  private static final long[] LONG_OUT = new long[6];

  static Stream<Arguments> badCalls() {
    Class<NullPointerException> npe = NullPointerException.class;
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
    String tooLong = "offset 3 and length 4 do not fit in an array of length 6";
    List<Bad> c = new ArrayList<>();
    c.add(new Bad("sum(null)", npe, "a is null", o -> o.sum((long[]) null)));
    c.add(new Bad("argmin(null)", npe, "a is null", o -> o.argmin((long[]) null)));
    c.add(new Bad("count(a, null, 0)", npe, "cmp is null", o -> o.count(A, null, 0)));
    c.add(new Bad("add(a, b, null)", npe, "out is null", o -> o.add(A, B, null)));
    c.add(new Bad("neg(null, out)", npe, "a is null", o -> o.neg(null, OUT)));
    c.add(new Bad("prefixSum(a, null)", npe, "out is null", o -> o.prefixSum(A, null)));
    c.add(new Bad("minimum(6, 6, 5)", iae, "a.length=6, out.length=5", o -> o.minimum(A, B, FIVE)));
    c.add(new Bad("abs(6, 5)", iae, "a.length=6, out.length=5", o -> o.abs(A, FIVE)));
    c.add(
        new Bad(
            "prefixSum(6, 5)", iae, "a.length=6, out.length=5", o -> o.prefixSum(A, new long[5])));
    c.add(new Bad("sum(a, 3, 4)", ioobe, "a: " + tooLong, o -> o.sum(A, 3, 4)));
    c.add(new Bad("add b", ioobe, "b: " + tooLong, o -> o.add(A, 0, B, 3, OUT, 0, 4)));
    c.add(
        new Bad("scan overlaps", iae, "out overlaps a", o -> o.prefixSum(TWELVE, 0, TWELVE, 1, 6)));
    c.add(new Bad("max(a, -1, 1)", ioobe, "a: offset -1", o -> o.max(A, -1, 1)));
    c.add(
        new Bad(
            "count(a, 3, 4)", ioobe, "a: " + tooLong, o -> o.count(A, 3, 4, Comparison.LESS, 0)));
    c.add(new Bad("sub out", ioobe, "out: " + tooLong, o -> o.sub(A, 0, B, 0, OUT, 3, 4)));
    c.add(new Bad("clamp out", ioobe, "out: " + tooLong, o -> o.clamp(A, 0, 0, 1, OUT, 3, 4)));
    c.add(new Bad("scan out", ioobe, "out: " + tooLong, o -> o.prefixSum(A, 0, LONG_OUT, 3, 4)));
    c.add(
        new Bad(
            "mul length -1", iae, "length is negative: -1", o -> o.mul(A, 0, B, 0, OUT, 0, -1)));
    c.add(new Bad("argmax length -1", iae, "length is negative: -1", o -> o.argmax(A, 0, -1)));
    c.add(new Bad("min(empty)", iae, "min of an empty range", o -> o.min(new long[0])));
    c.add(new Bad("argmin(a, 6, 0)", iae, "argmin of an empty range", o -> o.argmin(A, 6, 0)));
    c.add(new Bad("argmax(empty)", iae, "argmax of an empty range", o -> o.argmax(new long[0])));
    c.add(
        new Bad(
            "clamp(lo > hi)", iae, "clamp: lo=2 is greater than hi=1", o -> o.clamp(A, 2, 1, OUT)));
    c.add(
        new Bad(
            "add overlaps",
            iae,
            "out overlaps a without being the same range: a=[0, 6) and out=[2, 8)",
            o -> o.add(TWELVE, 0, B, 0, TWELVE, 2, 6)));
    c.add(
        new Bad(
            "maximum overlaps",
            iae,
            "out overlaps b",
            o -> o.maximum(A, 0, TWELVE, 3, TWELVE, 1, 6)));
    c.add(new Bad("neg overlaps", iae, "out overlaps a", o -> o.neg(TWELVE, 1, TWELVE, 0, 6)));
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Bad bad : c) {
        all.add(Arguments.of(bad, mode));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badCalls")
  void badInputThrowsBeforeAnyWrite(Bad bad, Mode mode) {
    List<Object> arrays = List.of(A, B, OUT, FIVE, TWELVE, LONG_OUT);
    List<Object> before = arrays.stream().map(LongKernelTest::copy).toList();
    RuntimeException e = assertThrows(bad.type(), () -> bad.call().accept(flynn.using(mode)));
    assertTrue(
        e.getMessage() != null && e.getMessage().contains(bad.fragment()),
        () -> bad + ": message '" + e.getMessage() + "' lacks '" + bad.fragment() + "'");
    for (int i = 0; i < arrays.size(); i++) {
      assertTrue(
          Arrays.deepEquals(new Object[] {before.get(i)}, new Object[] {arrays.get(i)}),
          bad + ": an array changed");
    }
  }

  private static Object copy(Object array) {
    return ((long[]) array).clone();
  }
}
