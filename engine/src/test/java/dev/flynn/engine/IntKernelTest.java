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
 * Every int kernel of {@link FlynnOps}, in every mode, against references computed here: exact long
 * or BigInteger arithmetic for the reductions and the scan, Java's own int operators for the
 * wrapping elementwise kernels. Extremes (MIN_VALUE, MAX_VALUE, overflow), determinism across
 * thread counts and bad input have their own cases.
 */
class IntKernelTest {

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

  /** The int kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Stream.concat(
              Stream.of("sum", "dot", "min", "max", "argmin", "argmax", "count", "prefixSum"),
              Arrays.stream(Op.values()).map(Op::kernel))
          .collect(Collectors.toUnmodifiableSet());

  /** Int lanes per preferred vector: as many as float lanes. */
  private static final int L = TestData.FLOAT_LANES;

  private static final int SENTINEL = 0x5EED_5EED;
  private static final int CLAMP_LO = -1 << 20;
  private static final int CLAMP_HI = 1 << 24;

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
    /** Any int, extremes included now and then. */
    FULL,
    /** [-50, 50]: many ties for argmin, argmax and count. */
    SMALL,
    /** |x| < 2^16: dot products that cannot overflow. */
    HALF,
  }

  static int[] ints(Kind kind, int n, long seed) {
    return TestData.cached(
        List.of("int", kind, n, seed),
        k -> {
          SplittableRandom r = new SplittableRandom(seed * 7_919 + kind.ordinal());
          int[] a = new int[n];
          for (int i = 0; i < n; i++) {
            a[i] =
                switch (kind) {
                  case FULL ->
                      switch (r.nextInt(64)) {
                        case 0 -> Integer.MIN_VALUE;
                        case 1 -> Integer.MAX_VALUE;
                        default -> r.nextInt();
                      };
                  case SMALL -> r.nextInt(-50, 51);
                  case HALF -> r.nextInt(-(1 << 16) + 1, 1 << 16);
                };
          }
          return a;
        });
  }

  /** A copy of {@code data} at {@code offset} in a longer array, {@code guard} all around. */
  static int[] padded(int[] data, int offset, int guard) {
    int[] a = new int[offset + data.length + 5];
    Arrays.fill(a, guard);
    System.arraycopy(data, 0, a, offset, data.length);
    return a;
  }

  // ---------------------------------------------------------------- reductions

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void sumIsExact(Mode mode, int n, int offset) {
    int[] data = ints(Kind.FULL, n, 1);
    long exact = 0;
    for (int x : data) {
      exact += x; // |sum| < 2^62: exact in long
    }
    int[] a = padded(data, offset, Integer.MAX_VALUE);
    assertEquals(exact, flynn.using(mode).sum(a, offset, n), mode + " sum n=" + n);
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void dotIsExact(Mode mode, int n, int offset) {
    int[] x = ints(Kind.HALF, n, 2);
    int[] y = ints(Kind.HALF, n, 3);
    long exact = 0;
    for (int i = 0; i < n; i++) {
      exact += (long) x[i] * y[i]; // each product below 2^32 in magnitude, n < 2^31
    }
    int[] a = padded(x, offset, Integer.MIN_VALUE);
    int[] b = padded(y, offset + 2, Integer.MIN_VALUE);
    assertEquals(exact, flynn.using(mode).dot(a, offset, b, offset + 2, n), mode + " dot");
  }

  @ParameterizedTest(name = "{0} n={1} offset={2}")
  @MethodSource("cases")
  void minMaxAndFirstIndices(Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    for (Kind kind : new Kind[] {Kind.FULL, Kind.SMALL}) {
      int[] data = ints(kind, n, 4);
      // guards that would win if a kernel read outside the range
      int[] low = padded(data, offset, Integer.MIN_VALUE);
      int[] high = padded(data, offset, Integer.MAX_VALUE);
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
    int[] data = ints(Kind.SMALL, n, 5);
    int[] a = padded(data, offset, 7);
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
  void countHonoursThresholdsOutsideTheIntRange(Mode mode) {
    int n = 4 * L + 3;
    int[] data = ints(Kind.FULL, n, 6).clone();
    data[0] = Integer.MIN_VALUE;
    data[n - 1] = Integer.MAX_VALUE;
    long[] thresholds = {
      Long.MIN_VALUE,
      Integer.MIN_VALUE - 1L,
      Integer.MIN_VALUE,
      Integer.MIN_VALUE + 1L,
      0,
      Integer.MAX_VALUE - 1L,
      Integer.MAX_VALUE,
      Integer.MAX_VALUE + 1L,
      Long.MAX_VALUE
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

  static long countReference(int[] data, Comparison cmp, long t) {
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
  void scanIsExact(Mode mode, int n, int offset) {
    int[] data = ints(Kind.FULL, n, 7);
    int[] a = padded(data, offset, Integer.MAX_VALUE);
    long[] out = new long[n + 4];
    Arrays.fill(out, SENTINEL);
    flynn.using(mode).prefixSum(a, offset, out, 3 - offset, n);
    long s = 0;
    for (int i = 0; i < out.length; i++) {
      int at = i - (3 - offset);
      if (at < 0 || at >= n) {
        assertEquals(SENTINEL, out[i], mode + " scan wrote outside the range at " + i);
        continue;
      }
      s += data[at];
      if (out[i] != s) {
        fail(mode + " scan n=" + n + " at " + at + ": expected " + s + " but was " + out[i]);
      }
    }
    assertArrayEquals(padded(data, offset, Integer.MAX_VALUE), a, "input changed");
  }

  // ---------------------------------------------------------------- elementwise

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("opCases")
  void elementwiseMatchesJavaArithmetic(Op op, Mode mode, int n, int offset) {
    int[] x = ints(Kind.FULL, n, 8);
    int[] y = ints(Kind.FULL, n, 9);
    int aOff = offset;
    int bOff = offset + 1;
    int outOff = 3 - offset;
    int[] a = padded(x, aOff, SENTINEL);
    int[] b = padded(y, bOff, SENTINEL);
    int[] out = padded(new int[n], outOff, SENTINEL);
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
      FlynnOps ops, Op op, int[] a, int aOff, int[] b, int bOff, int[] out, int outOff, int n) {
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
   * The reference: the exact result reduced modulo 2^32 through BigInteger for the wrapping ops,
   * comparisons written out for the others.
   */
  static int expected(Op op, int a, int b) {
    BigInteger x = BigInteger.valueOf(a);
    BigInteger y = BigInteger.valueOf(b);
    return switch (op) {
      case ADD -> x.add(y).intValue(); // intValue keeps the low 32 bits: modulo 2^32
      case SUB -> x.subtract(y).intValue();
      case MUL -> x.multiply(y).intValue();
      case NEG -> x.negate().intValue();
      case ABS -> x.abs().intValue(); // 2^31 wraps to MIN_VALUE, as Math.abs documents
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
    int[] x = ints(Kind.FULL, n, 10);
    int[] y = ints(Kind.FULL, n, 11);
    for (Op op : Op.values()) {
      int[] out = new int[n];
      int[] aliased = x.clone();
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
    int[] p = ints(Kind.HALF, n, 12);
    int[] q = ints(Kind.HALF, n, 13);
    long sum = 0;
    long dot = 0;
    long[] prefix = new long[n];
    for (int i = 0; i < n; i++) {
      sum += x[i];
      prefix[i] = sum;
      dot += (long) p[i] * q[i];
    }
    assertEquals(sum, ops.sum(x), mode + " sum");
    assertEquals(dot, ops.dot(p, q), mode + " dot");
    long[] out = new long[n];
    ops.prefixSum(x, out);
    assertArrayEquals(prefix, out, mode + " scan");
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
  void extremesAcrossBlocks(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    int n = 3 * BLOCK + 11;
    int[] max = new int[n];
    Arrays.fill(max, Integer.MAX_VALUE);
    int[] min = new int[n];
    Arrays.fill(min, Integer.MIN_VALUE);
    // sums far beyond the int range stay exact
    assertEquals((long) n * Integer.MAX_VALUE, ops.sum(max), mode + " sum of MAX_VALUE");
    assertEquals((long) n * Integer.MIN_VALUE, ops.sum(min), mode + " sum of MIN_VALUE");
    long[] prefix = new long[n];
    ops.prefixSum(min, prefix);
    assertEquals((long) n * Integer.MIN_VALUE, prefix[n - 1], mode + " scan of MIN_VALUE");
    assertEquals(2L * Integer.MIN_VALUE, prefix[1], mode + " scan of MIN_VALUE");
    // a single product is at most 2^62; two of them already leave the long range
    assertEquals(1L << 62, ops.dot(new int[] {Integer.MIN_VALUE}, new int[] {Integer.MIN_VALUE}));
    for (int length : new int[] {2, L + 1, n}) {
      int[] m = Arrays.copyOf(min, length);
      ArithmeticException e =
          assertThrows(ArithmeticException.class, () -> ops.dot(m, m), mode + " dot " + length);
      String exactDot =
          BigInteger.ONE.shiftLeft(62).multiply(BigInteger.valueOf(length)).toString();
      assertTrue(e.getMessage().contains(exactDot), e.getMessage());
    }
    // far out of range on the way, back in range at the end: block 0 alone overflows
    int[] big = new int[n];
    int[] sign = new int[n];
    Arrays.fill(big, Integer.MIN_VALUE);
    for (int i = 0; i < n; i++) {
      sign[i] = i < n / 2 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }
    BigInteger exact = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      exact = exact.add(BigInteger.valueOf((long) big[i] * sign[i]));
    }
    assertTrue(exact.bitLength() < 64, "test data: the exact dot should fit, it is " + exact);
    assertEquals(exact.longValueExact(), ops.dot(big, sign), mode + " dot comes back in range");
    // abs, neg and mul wrap as Java does
    int[] edge = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1};
    int[] out = new int[edge.length];
    ops.abs(edge, out);
    assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 1, 0, 1}, out, "abs");
    ops.neg(edge, out);
    assertArrayEquals(new int[] {Integer.MIN_VALUE, -Integer.MAX_VALUE, 1, 0, -1}, out, "neg");
    ops.mul(edge, edge, out);
    assertArrayEquals(new int[] {0, 1, 1, 0, 1}, out, "mul");
    ops.add(edge, new int[] {-1, 1, 0, 0, 0}, out);
    assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 1}, out, "add");
    ops.clamp(edge, Integer.MIN_VALUE, Integer.MIN_VALUE, out);
    int[] allMin = new int[edge.length];
    Arrays.fill(allMin, Integer.MIN_VALUE);
    assertArrayEquals(allMin, out, "clamp to a single value");
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void everyThreadCountGivesTheSameValues() {
    int n = 5 * BLOCK + 7;
    int[] a = ints(Kind.FULL, n, 13);
    int[] b = ints(Kind.HALF, n, 14);
    int[] c = ints(Kind.HALF, n, 15);
    long[] reference = null;
    for (int threads : new int[] {1, 2, 3}) {
      try (Flynn engine = Flynn.builder().threads(threads).build()) {
        for (Mode mode : Mode.values()) {
          FlynnOps ops = engine.using(mode);
          long[] scan = new long[n];
          ops.prefixSum(a, scan);
          long[] results = {
            ops.sum(a),
            ops.dot(b, c),
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

  private static final int[] A = {1, 2, 3, 4, 5, 6};
  private static final int[] B = {6, 5, 4, 3, 2, 1};
  private static final int[] OUT = new int[6];
  private static final int[] FIVE = new int[5];
  private static final int[] TWELVE = new int[12];
  private static final long[] LONG_OUT = new long[6];

  static Stream<Arguments> badCalls() {
    Class<NullPointerException> npe = NullPointerException.class;
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
    String tooLong = "offset 3 and length 4 do not fit in an array of length 6";
    List<Bad> c = new ArrayList<>();
    c.add(new Bad("sum(null)", npe, "a is null", o -> o.sum((int[]) null)));
    c.add(new Bad("dot(a, null)", npe, "b is null", o -> o.dot(A, null)));
    c.add(new Bad("argmin(null)", npe, "a is null", o -> o.argmin((int[]) null)));
    c.add(new Bad("count(a, null, 0)", npe, "cmp is null", o -> o.count(A, null, 0)));
    c.add(new Bad("add(a, b, null)", npe, "out is null", o -> o.add(A, B, null)));
    c.add(new Bad("neg(null, out)", npe, "a is null", o -> o.neg(null, OUT)));
    c.add(new Bad("prefixSum(a, null)", npe, "out is null", o -> o.prefixSum(A, null)));
    c.add(new Bad("dot(6, 5)", iae, "a.length=6, b.length=5", o -> o.dot(A, FIVE)));
    c.add(new Bad("minimum(6, 6, 5)", iae, "a.length=6, out.length=5", o -> o.minimum(A, B, FIVE)));
    c.add(new Bad("abs(6, 5)", iae, "a.length=6, out.length=5", o -> o.abs(A, FIVE)));
    c.add(
        new Bad(
            "prefixSum(6, 5)", iae, "a.length=6, out.length=5", o -> o.prefixSum(A, new long[5])));
    c.add(new Bad("sum(a, 3, 4)", ioobe, "a: " + tooLong, o -> o.sum(A, 3, 4)));
    c.add(new Bad("dot b", ioobe, "b: " + tooLong, o -> o.dot(A, 0, B, 3, 4)));
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
    c.add(new Bad("min(empty)", iae, "min of an empty range", o -> o.min(new int[0])));
    c.add(new Bad("argmin(a, 6, 0)", iae, "argmin of an empty range", o -> o.argmin(A, 6, 0)));
    c.add(new Bad("argmax(empty)", iae, "argmax of an empty range", o -> o.argmax(new int[0])));
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
    List<Object> before = arrays.stream().map(IntKernelTest::copy).toList();
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
    return array instanceof int[] ints ? ints.clone() : ((long[]) array).clone();
  }
}
