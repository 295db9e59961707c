package dev.flynn.engine;

import static dev.flynn.engine.TestData.DOUBLE_LANES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.engine.TestData.Kind;
import dev.flynn.kernels.Comparison;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The double maps (neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
 * selectPairwise) in every mode, element by element against references written here: bit for bit
 * for the exact and correctly rounded maps, within the documented ulp bound of a double-precision
 * {@link StrictMath} reference (whose own error is below 2^-28 double ulps) for log, tanh and
 * sigmoid.
 */
class DoubleMapTest {

  /** One row per map; adding a map to FlynnOps needs a row here. */
  enum Op {
    NEG("neg"),
    ABS("abs"),
    SQRT("sqrt"),
    LOG("log"),
    TANH("tanh"),
    SIGMOID("sigmoid"),
    RELU("relu"),
    CLAMP("clamp"),
    MINIMUM("minimum"),
    MAXIMUM("maximum"),
    SELECT("select"),
    SELECT_PAIRWISE("selectPairwise");

    final String kernel;

    Op(String kernel) {
      this.kernel = kernel;
    }

    boolean approximate() {
      return this == LOG || this == TANH || this == SIGMOID;
    }
  }

  /** The double kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Arrays.stream(Op.values()).map(op -> op.kernel).collect(Collectors.toUnmodifiableSet());

  private static final int L = DOUBLE_LANES;
  private static final double GUARD = Double.NaN;
  private static final double SENTINEL = -1234.5;
  private static final double LO = -0.75;
  private static final double HI = 3.5;
  private static final double THRESHOLD = 0.0;

  /** Largest error seen, in double ulps, per approximate op and kernel class (scalar, vector). */
  private static final double[][] MAX_ULPS = new double[Op.values().length][2];

  private static final double[][] MAX_ULPS_AT = new double[Op.values().length][2];

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
    for (Op op : new Op[] {Op.LOG, Op.TANH, Op.SIGMOID}) {
      System.out.printf(
          Locale.ROOT,
          "double %s max error: scalar modes %.4f ulp (x=%s), vector modes %.4f ulp (x=%s)%n",
          op.kernel,
          MAX_ULPS[op.ordinal()][0],
          MAX_ULPS_AT[op.ordinal()][0],
          MAX_ULPS[op.ordinal()][1],
          MAX_ULPS_AT[op.ordinal()][1]);
    }
  }

  /** The documented bound, in ulps, of an approximate op in a kernel class. */
  static double bound(Op op, boolean vector) {
    return switch (op) {
      case LOG -> 1.0;
      case TANH -> 2.5;
      case SIGMOID -> 4.0;
      default -> 0.0;
    };
  }

  /**
   * How far {@link #reference} itself may be from the exact value, in ulps: StrictMath.log within
   * 1, StrictMath.tanh within 2.5 (as Math.tanh's contract), the sigmoid quotient within 4.
   */
  static double referenceError(Op op) {
    return bound(op, false);
  }

  /** The comparison a case uses: every one of them appears across the lengths and offsets. */
  static Comparison comparisonFor(int n, int offset) {
    Comparison[] all = Comparison.values();
    return all[(n + 7 * offset) % all.length];
  }

  /** Inputs fitting each op: wide magnitudes, arguments where tanh and sigmoid are not flat. */
  static double[] input(Op op, int n, long seed) {
    return TestData.cached(
        List.of("double-map-input", op, n, seed),
        k -> {
          double[] wide = TestData.doubles(Kind.WIDE, n, seed);
          double[] uniform = TestData.doubles(Kind.UNIFORM, n, seed + 100);
          double[] x = new double[n];
          for (int i = 0; i < n; i++) {
            x[i] =
                switch (op) {
                  // mostly positive, every seventh negative (NaN)
                  case LOG, SQRT -> i % 7 == 3 ? -Math.abs(wide[i]) : Math.abs(wide[i]);
                  case TANH -> i % 2 == 0 ? 10 * uniform[i] : wide[i];
                  case SIGMOID -> i % 2 == 0 ? 30 * uniform[i] : wide[i];
                  default -> wide[i];
                };
          }
          return x;
        });
  }

  static Stream<Arguments> cases() {
    return TestData.crossed(Op.values(), L);
  }

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("cases")
  void rangeMatchesTheReferenceAndLeavesTheRestAlone(Op op, Mode mode, int n, int offset) {
    double[] a = input(op, n, 31);
    double[] b = TestData.doubles(Kind.WIDE, n, 32);
    double[] c = TestData.doubles(Kind.WIDE, n, 33);
    double[] d = TestData.doubles(Kind.WIDE, n, 34);
    Comparison cmp = comparisonFor(n, offset);
    // inputs and output at different offsets, so their vector alignments differ
    int aOff = offset;
    int bOff = offset + 1;
    int cOff = offset + 2;
    int dOff = 2 * offset + 1;
    int outOff = 3 - offset;
    double[] pa = TestData.padded(a, aOff, GUARD);
    double[] pb = TestData.padded(b, bOff, GUARD);
    double[] pc = TestData.padded(c, cOff, GUARD);
    double[] pd = TestData.padded(d, dOff, GUARD);
    double[] out = new double[outOff + n + 5];
    Arrays.fill(out, SENTINEL);
    FlynnOps ops = flynn.using(mode);
    switch (op) {
      case NEG -> ops.neg(pa, aOff, out, outOff, n);
      case ABS -> ops.abs(pa, aOff, out, outOff, n);
      case SQRT -> ops.sqrt(pa, aOff, out, outOff, n);
      case LOG -> ops.log(pa, aOff, out, outOff, n);
      case TANH -> ops.tanh(pa, aOff, out, outOff, n);
      case SIGMOID -> ops.sigmoid(pa, aOff, out, outOff, n);
      case RELU -> ops.relu(pa, aOff, out, outOff, n);
      case CLAMP -> ops.clamp(pa, aOff, LO, HI, out, outOff, n);
      case MINIMUM -> ops.minimum(pa, aOff, pb, bOff, out, outOff, n);
      case MAXIMUM -> ops.maximum(pa, aOff, pb, bOff, out, outOff, n);
      case SELECT -> ops.select(pa, aOff, cmp, THRESHOLD, pc, cOff, pd, dOff, out, outOff, n);
      case SELECT_PAIRWISE ->
          ops.selectPairwise(pa, aOff, cmp, pb, bOff, pc, cOff, pd, dOff, out, outOff, n);
    }
    assertArrayEquals(TestData.padded(a, aOff, GUARD), pa, "input a changed");
    assertArrayEquals(TestData.padded(b, bOff, GUARD), pb, "input b changed");
    assertArrayEquals(TestData.padded(c, cOff, GUARD), pc, "input c changed");
    assertArrayEquals(TestData.padded(d, dOff, GUARD), pd, "input d changed");
    for (int i = 0; i < out.length; i++) {
      if (i < outOff || i >= outOff + n) {
        DoubleElementwiseTest.assertBits(
            SENTINEL, out[i], op + " " + mode + ": wrote outside the range at " + i);
      }
    }
    check(op, mode, cmp, a, b, c, d, Arrays.copyOfRange(out, outOff, outOff + n));
  }

  /** Compares a result with the reference of {@code op}, element by element. */
  static void check(
      Op op,
      Mode mode,
      Comparison cmp,
      double[] a,
      double[] b,
      double[] c,
      double[] d,
      double[] r) {
    boolean vector = TestData.vectorClass(mode);
    for (int i = 0; i < r.length; i++) {
      if (op.approximate()) {
        checkApproximate(op, mode, vector, a[i], r[i], i, i % sampleStride(r.length) == 0);
        continue;
      }
      double e = expected(op, cmp, a[i], b[i], c[i], d[i]);
      if (Double.doubleToLongBits(e) != Double.doubleToLongBits(r[i])) {
        fail(
            String.format(
                Locale.ROOT,
                "%s %s %s at %d: a=%s b=%s c=%s d=%s: expected %s but was %s",
                op,
                cmp,
                mode,
                i,
                Double.toHexString(a[i]),
                Double.toHexString(b[i]),
                Double.toHexString(c[i]),
                Double.toHexString(d[i]),
                Double.toHexString(e),
                Double.toHexString(r[i])));
      }
    }
  }

  static synchronized void record(Op op, boolean vector, double ulps, double x) {
    int k = vector ? 1 : 0;
    if (ulps > MAX_ULPS[op.ordinal()][k]) {
      MAX_ULPS[op.ordinal()][k] = ulps;
      MAX_ULPS_AT[op.ordinal()][k] = x;
    }
  }

  /** Every element when short, about 600 spread over a long range: BigDecimal is slow. */
  static int sampleStride(int n) {
    return Math.max(1, n / 600);
  }

  /**
   * Checks one approximate result: within the bound plus the reference's own error of the cheap
   * {@link #reference}; and, when {@code precise}, within the bound of the 60-digit {@link MapRef}
   * value, the error recorded. Special arguments (NaN, infinities, zeros, log of a negative number)
   * must give their exact special results.
   */
  static void checkApproximate(
      Op op, Mode mode, boolean vector, double x, double result, int i, boolean precise) {
    double cheap = reference(op, x);
    boolean special = Double.isNaN(x) || Double.isInfinite(x) || x == 0 || (op == Op.LOG && x < 0);
    if (special) {
      if (Double.doubleToLongBits(cheap) != Double.doubleToLongBits(result)) {
        fail(
            mode
                + " "
                + op.kernel
                + "("
                + x
                + ") at "
                + i
                + " = "
                + result
                + ", expected "
                + cheap);
      }
      return;
    }
    double loose = Ref.ulpsDouble(result, cheap);
    if (!(loose <= bound(op, vector) + referenceError(op))) {
      fail(
          String.format(
              Locale.ROOT,
              "%s %s(%s) at %d = %s, %.3f ulp from StrictMath's %s",
              mode,
              op.kernel,
              Double.toHexString(x),
              i,
              Double.toHexString(result),
              loose,
              cheap));
    }
    if (precise) {
      BigDecimal exact = exact(op, x);
      double ulps = Ref.ulps(result, exact);
      record(op, vector, ulps, x);
      if (!(ulps <= bound(op, vector))) {
        fail(
            String.format(
                Locale.ROOT,
                "%s %s(%s) at %d = %s, %.3f ulp from the exact %s",
                mode,
                op.kernel,
                Double.toHexString(x),
                i,
                Double.toHexString(result),
                ulps,
                exact.round(new MathContext(25))));
      }
    }
  }

  /** The 60-digit value, cached: the same arguments recur in every mode. */
  static BigDecimal exact(Op op, double x) {
    return TestData.cached(
        List.of("double-map-exact", op, x),
        k ->
            switch (op) {
              case LOG -> MapRef.log(x);
              case TANH -> MapRef.tanh(x);
              case SIGMOID -> MapRef.sigmoid(x);
              default -> throw new AssertionError(op + " is exact");
            });
  }

  /** StrictMath's value (fdlibm), exact at the special arguments. */
  static double reference(Op op, double v) {
    return switch (op) {
      case LOG -> StrictMath.log(v);
      case TANH -> StrictMath.tanh(v);
      case SIGMOID -> {
        if (Double.isNaN(v)) {
          yield Double.NaN;
        }
        double t = StrictMath.exp(-Math.abs(v));
        yield (v < 0 ? t : 1.0) / (1.0 + t);
      }
      default -> throw new AssertionError(op + " is exact");
    };
  }

  /** The exact result of an exact op, written from the IEEE definitions, not from Math. */
  static double expected(Op op, Comparison cmp, double a, double b, double c, double d) {
    return switch (op) {
      case NEG -> Double.longBitsToDouble(Double.doubleToRawLongBits(a) ^ 0x8000_0000_0000_0000L);
      case ABS -> Double.longBitsToDouble(Double.doubleToRawLongBits(a) & 0x7fff_ffff_ffff_ffffL);
      case SQRT -> StrictMath.sqrt(a); // IEEE 754 square root: correctly rounded
      case RELU -> Double.isNaN(a) ? Double.NaN : a > 0 ? a : 0.0;
      case CLAMP -> lesser(greater(a, LO), HI);
      case MINIMUM -> lesser(a, b);
      case MAXIMUM -> greater(a, b);
      case SELECT -> holds(cmp, a, THRESHOLD) ? c : d;
      case SELECT_PAIRWISE -> holds(cmp, a, b) ? c : d;
      default -> throw new AssertionError(op + " is approximate");
    };
  }

  /** IEEE 754 minimum: NaN if either is NaN; -0.0 below +0.0. */
  static double lesser(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.NaN;
    }
    if (a == b) {
      return Double.doubleToRawLongBits(a) < 0 ? a : b; // of two zeros, the negative one
    }
    return a < b ? a : b;
  }

  /** IEEE 754 maximum: NaN if either is NaN; +0.0 above -0.0. */
  static double greater(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.NaN;
    }
    if (a == b) {
      return Double.doubleToRawLongBits(a) < 0 ? b : a; // of two zeros, the positive one
    }
    return a > b ? a : b;
  }

  /** The comparison with Java's operators, written out here. */
  static boolean holds(Comparison cmp, double x, double y) {
    return switch (cmp) {
      case LESS -> x < y;
      case LESS_OR_EQUAL -> x <= y;
      case GREATER -> x > y;
      case GREATER_OR_EQUAL -> x >= y;
      case EQUAL -> x == y;
      case NOT_EQUAL -> x != y;
    };
  }

  // ---------------------------------------------------------------- whole-array overloads

  static Stream<Arguments> opsAndModes() {
    List<Arguments> all = new ArrayList<>();
    for (Op op : Op.values()) {
      for (Mode mode : Mode.values()) {
        all.add(Arguments.of(op, mode));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opsAndModes")
  void wholeArrayOverload(Op op, Mode mode) {
    int n = 1001;
    double[] a = input(op, n, 35);
    double[] b = TestData.doubles(Kind.WIDE, n, 36);
    double[] c = TestData.doubles(Kind.WIDE, n, 37);
    double[] d = TestData.doubles(Kind.WIDE, n, 38);
    Comparison cmp = Comparison.values()[mode.ordinal() % Comparison.values().length];
    double[] out = new double[n];
    Arrays.fill(out, SENTINEL);
    run(flynn.using(mode), op, cmp, a.clone(), b.clone(), c.clone(), d.clone(), out);
    check(op, mode, cmp, a, b, c, d, out);
  }

  /** Runs the whole-array form of {@code op}. */
  static void run(
      FlynnOps ops,
      Op op,
      Comparison cmp,
      double[] a,
      double[] b,
      double[] c,
      double[] d,
      double[] out) {
    switch (op) {
      case NEG -> ops.neg(a, out);
      case ABS -> ops.abs(a, out);
      case SQRT -> ops.sqrt(a, out);
      case LOG -> ops.log(a, out);
      case TANH -> ops.tanh(a, out);
      case SIGMOID -> ops.sigmoid(a, out);
      case RELU -> ops.relu(a, out);
      case CLAMP -> ops.clamp(a, LO, HI, out);
      case MINIMUM -> ops.minimum(a, b, out);
      case MAXIMUM -> ops.maximum(a, b, out);
      case SELECT -> ops.select(a, cmp, THRESHOLD, c, d, out);
      case SELECT_PAIRWISE -> ops.selectPairwise(a, cmp, b, c, d, out);
    }
  }

  /** {@code out} exactly {@code a} (and, for the binary maps and select, every input) works. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opsAndModes")
  void exactlyAliasedOutputWorks(Op op, Mode mode) {
    int n = 3 * TestData.BLOCK + 7; // long enough to fork in MIMD, SIMD_MIMD and AUTO
    double[] a = input(op, n, 39);
    double[] b = TestData.doubles(Kind.WIDE, n, 40);
    Comparison cmp = Comparison.GREATER_OR_EQUAL;
    double[] x = a.clone();
    run(flynn.using(mode), op, cmp, x, b.clone(), x, b.clone(), x);
    // out aliases a (and c): the reference reads the original values
    check(op, mode, cmp, a, b, a, b, x);
  }

  // ---------------------------------------------------------------- special values

  static final double[] SPECIALS = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    0.0,
    -0.0,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    0x0.fffffffffffffp-1022, // largest subnormal
    Double.MIN_NORMAL,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    1,
    -1,
    0.5,
    -3,
    0x1.fffffffffffffp-1,
    0x1p-30,
    -20,
    100,
    -100,
  };

  /** Bounds for clamp over the special values: zeros of both signs, infinite and equal bounds. */
  static final double[][] CLAMP_BOUNDS = {
    {LO, HI},
    {0.0, 0.0},
    {-0.0, 0.0},
    {-0.0, -0.0},
    {Double.NEGATIVE_INFINITY, 1},
    {-1, Double.POSITIVE_INFINITY},
    {2, 2},
  };

  /**
   * Every ordered pair of special values (400 elements: vector body and scalar tail) through every
   * op (every comparison for select, several bounds for clamp), bit for bit against the definitions
   * for the exact ops (NaN canonical); the approximate ones exactly at special arguments (NaN,
   * infinities, zeros, negative numbers for log) and within the bound elsewhere.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opsAndModes")
  void specialValues(Op op, Mode mode) {
    int n = SPECIALS.length * SPECIALS.length;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = SPECIALS[i / SPECIALS.length];
      b[i] = SPECIALS[i % SPECIALS.length];
      c[i] = SPECIALS[(i * 7 + 3) % SPECIALS.length];
      d[i] = SPECIALS[(i * 11 + 5) % SPECIALS.length];
    }
    FlynnOps ops = flynn.using(mode);
    boolean vector = TestData.vectorClass(mode);
    boolean selects = op == Op.SELECT || op == Op.SELECT_PAIRWISE;
    for (Comparison cmp : selects ? Comparison.values() : new Comparison[] {Comparison.LESS}) {
      for (double[] bounds : op == Op.CLAMP ? CLAMP_BOUNDS : new double[][] {{LO, HI}}) {
        double[] out = new double[n];
        switch (op) {
          case CLAMP -> ops.clamp(a, bounds[0], bounds[1], out);
          default -> run(ops, op, cmp, a, b, c, d, out);
        }
        for (int i = 0; i < n; i++) {
          double x = a[i];
          if (op.approximate()) {
            checkApproximate(op, mode, vector, x, out[i], i, true);
            continue;
          }
          double e =
              op == Op.CLAMP
                  ? lesser(greater(x, bounds[0]), bounds[1])
                  : expected(op, cmp, x, b[i], c[i], d[i]);
          if (Double.doubleToLongBits(e) != Double.doubleToLongBits(out[i])) {
            fail(
                op
                    + " "
                    + cmp
                    + " "
                    + mode
                    + " bounds="
                    + Arrays.toString(bounds)
                    + " a="
                    + x
                    + " b="
                    + b[i]
                    + " c="
                    + c[i]
                    + " d="
                    + d[i]
                    + ": expected "
                    + e
                    + " but was "
                    + out[i]);
          }
        }
      }
    }
  }

  @Test
  void reluRulesForZeroAndNaN() {
    for (Mode mode : Mode.values()) {
      double[] x = {-0.0, 0.0, Double.NaN, -Double.MIN_VALUE, Double.NEGATIVE_INFINITY};
      double[] in = new double[x.length * (2 * L + 1)];
      for (int i = 0; i < in.length; i++) {
        in[i] = x[i % x.length];
      }
      double[] out = new double[in.length];
      flynn.using(mode).relu(in, out);
      for (int i = 0; i < in.length; i++) {
        double e =
            switch (i % x.length) {
              case 2 -> Double.NaN;
              default -> 0.0; // +0.0, also for -0.0
            };
        assertEquals(
            Double.doubleToLongBits(e), Double.doubleToLongBits(out[i]), mode + " at " + i);
      }
    }
  }

  // ---------------------------------------------------------------- accuracy: random, adversarial

  /**
   * Arguments chosen to hurt each approximate op: random bit patterns over every binade, the
   * subnormals, arguments near 1 (log's cancellation), near 0 (tanh(x) = x and sigmoid = 1/2), near
   * the double edges (sigmoid's subnormal results below -87, tanh's saturation near 9), huge
   * magnitudes, and for log zeros and negative numbers.
   */
  static double[] adversarial(Op op) {
    SplittableRandom r = new SplittableRandom(4343 + op.ordinal());
    int n = 1 << 13;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      int kind = i % 8;
      double v =
          switch (kind) {
            case 0 -> Double.longBitsToDouble(r.nextLong()); // any double, NaN and Inf included
            case 1 -> Double.longBitsToDouble(r.nextLong(1, 1L << 52)); // positive subnormals
            case 2 -> Math.scalb(1.0, r.nextInt(-1074, 1024)) * (1 + r.nextInt(-64, 64) * 0x1p-52);
            case 3 -> 1.0 + r.nextInt(-4096, 4096) * 0x1p-52; // around 1
            case 4 -> r.nextDouble() * 2e-3 - 1e-3; // near 0
            case 5 -> r.nextDouble() * 1600 - 800; // sigmoid's whole range
            case 6 -> -708 - r.nextDouble() * 37; // sigmoid's subnormal results
            default -> r.nextDouble() * 40 - 20; // tanh's transition to +-1
          };
      if (op == Op.LOG && kind != 0) {
        v = Math.abs(v);
      }
      x[i] = v;
    }
    return x;
  }

  @Test
  void approximateOpsStayWithinTheirBoundsOnAdversarialArguments() {
    for (Op op : new Op[] {Op.LOG, Op.TANH, Op.SIGMOID}) {
      double[] x = adversarial(op);
      double[] out = new double[x.length];
      // warm-up: the vector forms compute per lane with Math until C2 compiles the SVML call
      for (int rep = 0; rep < 8; rep++) {
        run(flynn.using(Mode.SIMD), op, Comparison.LESS, x, x, x, x, out);
      }
      for (Mode mode : new Mode[] {Mode.SISD, Mode.SIMD}) {
        Arrays.fill(out, SENTINEL);
        run(flynn.using(mode), op, Comparison.LESS, x, x, x, x, out);
        boolean vector = TestData.vectorClass(mode);
        for (int i = 0; i < x.length; i++) {
          checkApproximate(op, mode, vector, x[i], out[i], i, true); // every element, precisely
        }
      }
    }
  }

  @Test
  void logOfZeroNegativeAndEdges() {
    double[] x = {0, -0, -1, -Double.MIN_VALUE, Double.NEGATIVE_INFINITY, Double.NaN, 1};
    double[] e = {
      Double.NEGATIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.NaN,
      Double.NaN,
      Double.NaN,
      Double.NaN,
      0
    };
    for (Mode mode : Mode.values()) {
      double[] in = new double[x.length * (2 * L + 1)];
      for (int i = 0; i < in.length; i++) {
        in[i] = x[i % x.length];
      }
      double[] out = new double[in.length];
      flynn.using(mode).log(in, out);
      for (int i = 0; i < in.length; i++) {
        assertEquals(
            Double.doubleToLongBits(e[i % x.length]),
            Double.doubleToLongBits(out[i]),
            mode + " log(" + in[i] + ") at " + i);
      }
    }
  }
}
