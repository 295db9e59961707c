package dev.flynn.engine;

import static dev.flynn.engine.TestData.DOUBLE_LANES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.engine.TestData.Kind;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * add, sub, mul, div, scale, axpy, fma and exp over doubles, in every mode, element by element
 * against references computed here: bit for bit for the correctly rounded operations, within 1 ulp
 * of {@link StrictMath#exp} for exp.
 */
class DoubleElementwiseTest {

  /** One row per elementwise kernel; adding a kernel to FlynnOps needs a row here. */
  enum Op {
    ADD,
    SUB,
    MUL,
    DIV,
    SCALE,
    AXPY,
    FMA,
    EXP;

    String kernel() {
      return name().toLowerCase(Locale.ROOT);
    }

    Kind kind() {
      return this == EXP ? Kind.EXP_ARG : Kind.WIDE;
    }
  }

  /** The double kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Arrays.stream(Op.values()).map(Op::kernel).collect(Collectors.toUnmodifiableSet());

  private static final int L = DOUBLE_LANES;
  private static final double ALPHA = 0.7; // not a power of two: scale and axpy round
  private static final double GUARD = Double.NaN;
  private static final double SENTINEL = -1234.5;

  /**
   * exp tolerance against {@link StrictMath#exp}, in double ulps. The kernels and StrictMath
   * (fdlibm) are each specified within 1 ulp of the exact e^x and may err on opposite sides, so
   * results 2 ulps apart are both within spec: a double reference for double data carries an error
   * of the same size as the one tested (unlike float data, where the double reference is 2^29 times
   * finer). {@link #expIsWithinOneUlpOfAHighPrecisionReference} holds the kernels to the real 1 ulp
   * against an exact (60 digit) reference on a sample.
   */
  private static final double EXP_TOLERANCE_ULPS = 2.0;

  /** Largest exp error seen against StrictMath, in ulps, per class (scalar modes, vector modes). */
  private static final double[] MAX_EXP_ULPS = new double[2];

  private static final double[] MAX_EXP_ULPS_AT = new double[2];

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
    System.out.printf(
        Locale.ROOT,
        "double exp max error: scalar modes %.4f ulp (x=%s), vector modes %.4f ulp (x=%s)%n",
        MAX_EXP_ULPS[0],
        MAX_EXP_ULPS_AT[0],
        MAX_EXP_ULPS[1],
        MAX_EXP_ULPS_AT[1]);
  }

  static Stream<Arguments> cases() {
    return TestData.crossed(Op.values(), L);
  }

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("cases")
  void rangeMatchesTheReferenceAndLeavesTheRestAlone(Op op, Mode mode, int n, int offset) {
    double[] a = TestData.doubles(op.kind(), n, 21);
    double[] b = TestData.doubles(op.kind(), n, 22);
    double[] c = TestData.doubles(op.kind(), n, 23);
    // inputs and output at different offsets, so their vector alignments differ
    int aOff = offset;
    int bOff = offset + 1;
    int cOff = offset + 2;
    int outOff = 3 - offset;
    double[] pa = TestData.padded(a, aOff, GUARD);
    double[] pb = TestData.padded(b, bOff, GUARD);
    double[] pc = TestData.padded(c, cOff, GUARD);
    double[] out = TestData.padded(c, outOff, SENTINEL); // axpy's y starts as c
    if (op != Op.AXPY) {
      Arrays.fill(out, SENTINEL); // every other output starts as sentinels, range included
    }
    FlynnOps ops = flynn.using(mode);
    switch (op) {
      case ADD -> ops.add(pa, aOff, pb, bOff, out, outOff, n);
      case SUB -> ops.sub(pa, aOff, pb, bOff, out, outOff, n);
      case MUL -> ops.mul(pa, aOff, pb, bOff, out, outOff, n);
      case DIV -> ops.div(pa, aOff, pb, bOff, out, outOff, n);
      case SCALE -> ops.scale(ALPHA, pa, aOff, out, outOff, n);
      case AXPY -> ops.axpy(ALPHA, pa, aOff, out, outOff, n);
      case FMA -> ops.fma(pa, aOff, pb, bOff, pc, cOff, out, outOff, n);
      case EXP -> ops.exp(pa, aOff, out, outOff, n);
    }
    // the inputs are untouched, guards included
    assertArrayEquals(TestData.padded(a, aOff, GUARD), pa, "input a changed");
    assertArrayEquals(TestData.padded(b, bOff, GUARD), pb, "input b changed");
    assertArrayEquals(TestData.padded(c, cOff, GUARD), pc, "input c changed");
    // nothing outside the output range is written
    for (int i = 0; i < out.length; i++) {
      if (i < outOff || i >= outOff + n) {
        assertBits(SENTINEL, out[i], op + " " + mode + ": wrote outside the range at " + i);
      }
    }
    check(op, mode, a, b, c, Arrays.copyOfRange(out, outOff, outOff + n));
  }

  /** Compares a result with the reference of {@code op} on the unpadded inputs. */
  private static void check(Op op, Mode mode, double[] a, double[] b, double[] c, double[] result) {
    int n = result.length;
    if (op == Op.EXP) {
      double[] reference = expReference(a);
      int k = TestData.vectorClass(mode) ? 1 : 0;
      for (int i = 0; i < n; i++) {
        double ulps = Ref.ulpsDouble(result[i], reference[i]);
        recordExpError(k, ulps, a[i]);
        if (!(ulps <= EXP_TOLERANCE_ULPS)) {
          fail(
              String.format(
                  Locale.ROOT,
                  "%s exp(%s) at %d = %s, %.3f ulp from %s",
                  mode,
                  Double.toHexString(a[i]),
                  i,
                  result[i],
                  ulps,
                  reference[i]));
        }
      }
      return;
    }
    double[] expected = expected(op, a, b, c);
    for (int i = 0; i < n; i++) {
      if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(result[i])) {
        fail(
            String.format(
                Locale.ROOT,
                "%s %s at %d: a=%s b=%s c=%s: expected %s but was %s",
                op,
                mode,
                i,
                Double.toHexString(a[i]),
                Double.toHexString(b[i]),
                Double.toHexString(c[i]),
                Double.toHexString(expected[i]),
                Double.toHexString(result[i])));
      }
    }
  }

  private static synchronized void recordExpError(int k, double ulps, double x) {
    if (ulps > MAX_EXP_ULPS[k]) {
      MAX_EXP_ULPS[k] = ulps;
      MAX_EXP_ULPS_AT[k] = x;
    }
  }

  /** {@code StrictMath.exp}: within 1 ulp of e^x. */
  private static double[] expReference(double[] x) {
    return TestData.cached(
        List.of("double-exp", x),
        k -> {
          double[] r = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            r[i] = StrictMath.exp(x[i]);
          }
          return r;
        });
  }

  /**
   * The correctly rounded result of each op: the Java double expression for the basic operations
   * (IEEE 754 correctly rounded by the language), BigDecimal for fma and fused axpy.
   */
  private static double[] expected(Op op, double[] a, double[] b, double[] c) {
    return TestData.cached(
        List.of("double-expected", op, a, b, c),
        k -> {
          double[] e = new double[a.length];
          for (int i = 0; i < e.length; i++) {
            e[i] = expected(op, a[i], b[i], c[i]);
          }
          return e;
        });
  }

  static double expected(Op op, double a, double b, double c) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case SCALE -> ALPHA * a;
      case AXPY -> TestData.USE_FMA ? Ref.fma(ALPHA, a, c) : ALPHA * a + c;
      case FMA -> Ref.fma(a, b, c);
      case EXP -> throw new AssertionError("exp has no bit-exact reference");
    };
  }

  // ---------------------------------------------------------------- whole-array overloads

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opsAndModes")
  void wholeArrayOverload(Op op, Mode mode) {
    int n = 1001;
    double[] a = TestData.doubles(op.kind(), n, 24);
    double[] b = TestData.doubles(op.kind(), n, 25);
    double[] c = TestData.doubles(op.kind(), n, 26);
    double[] x = a.clone();
    double[] y = b.clone();
    double[] z = c.clone();
    double[] out = new double[n];
    Arrays.fill(out, SENTINEL);
    FlynnOps ops = flynn.using(mode);
    switch (op) {
      case ADD -> ops.add(x, y, out);
      case SUB -> ops.sub(x, y, out);
      case MUL -> ops.mul(x, y, out);
      case DIV -> ops.div(x, y, out);
      case SCALE -> ops.scale(ALPHA, x, out);
      case AXPY -> {
        System.arraycopy(c, 0, out, 0, n);
        ops.axpy(ALPHA, x, out);
      }
      case FMA -> ops.fma(x, y, z, out);
      case EXP -> ops.exp(x, out);
    }
    assertArrayEquals(a, x);
    assertArrayEquals(b, y);
    assertArrayEquals(c, z);
    check(op, mode, a, b, c, out);
  }

  static Stream<Arguments> opsAndModes() {
    List<Arguments> all = new ArrayList<>();
    for (Op op : Op.values()) {
      for (Mode mode : Mode.values()) {
        all.add(Arguments.of(op, mode));
      }
    }
    return all.stream();
  }

  // ---------------------------------------------------------------- special values

  private static final double[] SPECIALS = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    0.0,
    -0.0,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    Double.MIN_NORMAL,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    1.0,
    -1.0,
    0.5,
    3.0,
    0x1.fffffffffffffp-1,
  };

  /** Alphas for scale and axpy over the special values, special themselves included. */
  private static final double[] SPECIAL_ALPHAS = {
    -3.0, Double.MIN_NORMAL, Double.POSITIVE_INFINITY, -0.0, Double.NaN
  };

  /**
   * Every ordered pair of special values (225 elements: vector body and scalar tail), with a third
   * operand cycling through them, compared bit for bit (NaN canonical) with the Java expression;
   * exp compared bit for bit where the result is exact and within 1 ulp elsewhere.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opsAndModes")
  void specialValuesFollowJavaArithmetic(Op op, Mode mode) {
    int n = SPECIALS.length * SPECIALS.length;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = SPECIALS[i / SPECIALS.length];
      b[i] = SPECIALS[i % SPECIALS.length];
      c[i] = SPECIALS[(i * 7 + 3) % SPECIALS.length];
    }
    FlynnOps ops = flynn.using(mode);
    for (double alpha : op == Op.SCALE || op == Op.AXPY ? SPECIAL_ALPHAS : new double[] {0.0}) {
      double[] out = op == Op.AXPY ? c.clone() : new double[n];
      switch (op) {
        case ADD -> ops.add(a, b, out);
        case SUB -> ops.sub(a, b, out);
        case MUL -> ops.mul(a, b, out);
        case DIV -> ops.div(a, b, out);
        case SCALE -> ops.scale(alpha, a, out);
        case AXPY -> ops.axpy(alpha, a, out);
        case FMA -> ops.fma(a, b, c, out);
        case EXP -> ops.exp(a, out);
      }
      for (int i = 0; i < n; i++) {
        double e =
            switch (op) {
              case ADD -> a[i] + b[i];
              case SUB -> a[i] - b[i];
              case MUL -> a[i] * b[i];
              case DIV -> a[i] / b[i];
              case SCALE -> alpha * a[i];
              case AXPY -> TestData.USE_FMA ? Math.fma(alpha, a[i], c[i]) : alpha * a[i] + c[i];
              case FMA -> Math.fma(a[i], b[i], c[i]);
              case EXP -> expOfSpecial(a[i]);
            };
        final int at = i;
        if (op == Op.EXP && Double.isFinite(e) && e != 0.0 && e != 1.0) {
          double ulps = Ref.ulpsDouble(out[i], StrictMath.exp(a[i]));
          assertTrue(ulps <= EXP_TOLERANCE_ULPS, () -> mode + " exp(" + a[at] + ") = " + out[at]);
          continue;
        }
        assertEquals(
            Double.doubleToLongBits(e),
            Double.doubleToLongBits(out[i]),
            () ->
                op + " " + mode + " alpha=" + alpha + " a=" + a[at] + " b=" + b[at] + " c=" + c[at]
                    + " at " + at + " was " + out[at]);
      }
    }
  }

  /**
   * exp at the special values: exact (NaN, infinity, 0, or 1 for arguments below 2^-25 in
   * magnitude, where e^x rounds to 1), otherwise the value to be checked within an ulp.
   */
  private static double expOfSpecial(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == Double.NEGATIVE_INFINITY || x == -Double.MAX_VALUE) {
      return 0.0;
    }
    if (x == Double.POSITIVE_INFINITY || x == Double.MAX_VALUE) {
      return Double.POSITIVE_INFINITY;
    }
    if (Math.abs(x) < 0x1p-54) {
      return 1.0;
    }
    return StrictMath.exp(x);
  }

  /** exp at the edges: NaN, infinities, overflow, underflow to zero, subnormal results. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void expAtTheEdges(Mode mode) {
    double[] x = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      709.8,
      710.0,
      800.0,
      1000.0,
      Double.MAX_VALUE,
      -750.0,
      -1000.0,
      -Double.MAX_VALUE,
      0.0,
      -0.0,
    };
    double[] expected = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      0.0,
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      0.0,
      0.0,
      0.0,
      1.0,
      1.0,
    };
    // repeated so that every value meets the vector body in every lane and the scalar tail
    int reps = 2 * L + 1;
    double[] in = new double[x.length * reps];
    for (int i = 0; i < in.length; i++) {
      in[i] = x[i % x.length];
    }
    double[] out = new double[in.length];
    flynn.using(mode).exp(in, out);
    for (int i = 0; i < in.length; i++) {
      final int at = i;
      assertEquals(
          Double.doubleToLongBits(expected[i % x.length]),
          Double.doubleToLongBits(out[i]),
          () -> mode + " exp(" + in[at] + ") at " + at + " was " + out[at]);
    }
  }

  /** Results in the subnormal range and near the overflow edge, checked against StrictMath. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void expNearUnderflowAndOverflowIsWithinOneUlp(Mode mode) {
    int n = 4001;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      // -745.1 .. -708: subnormal and tiny normal results; then 708 .. 709.78: near MAX_VALUE
      x[i] = i % 2 == 0 ? -745.1 + 37.1 * i / n : 708.0 + 1.78 * i / n;
    }
    double[] out = new double[n];
    flynn.using(mode).exp(x, out);
    int k = TestData.vectorClass(mode) ? 1 : 0;
    for (int i = 0; i < n; i++) {
      double reference = StrictMath.exp(x[i]);
      double ulps = Ref.ulpsDouble(out[i], reference);
      recordExpError(k, ulps, x[i]);
      final int at = i;
      assertTrue(
          ulps <= EXP_TOLERANCE_ULPS,
          () ->
              mode
                  + " exp("
                  + Double.toHexString(x[at])
                  + ") = "
                  + out[at]
                  + ", "
                  + ulps
                  + " ulp from "
                  + reference);
    }
  }

  /**
   * The vector kernels' exp is the Java fallback ({@code Math.exp} per lane) until C2 compiles it,
   * and the native SVML routine after: run it until compiled so that the measurement below sees the
   * code a long-running program gets. Returns how many of {@code x} the vector mode now computes
   * differently from {@code Math.exp} (non-zero once SVML is in use).
   */
  static int warmUpVectorExp(double[] x) {
    double[] out = new double[x.length];
    for (int rep = 0; rep < 6; rep++) {
      flynn.using(Mode.SIMD).exp(x, out);
    }
    int differ = 0;
    for (int i = 0; i < x.length; i++) {
      if (out[i] != Math.exp(x[i])) {
        differ++;
      }
    }
    return differ;
  }

  @Test
  void expOfManyArgumentsIsWithinToleranceInTheVectorAndScalarModes() {
    // a dense sweep of [-708.0, -708.0 + 1417.0] in both classes, to measure the worst error
    // honestly
    int n = 1 << 21;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = -708.0 + 1417.0 * i / n;
    }
    int differ = warmUpVectorExp(x);
    System.out.printf(
        Locale.ROOT,
        "double exp sweep: after warm-up the vector mode differs from Math.exp on %d of %d%n",
        differ,
        n);
    for (Mode mode : new Mode[] {Mode.SISD, Mode.SIMD}) {
      double[] out = new double[n];
      flynn.using(mode).exp(x, out);
      int k = TestData.vectorClass(mode) ? 1 : 0;
      for (int i = 0; i < n; i++) {
        double ulps = Ref.ulpsDouble(out[i], StrictMath.exp(x[i]));
        recordExpError(k, ulps, x[i]);
        if (!(ulps <= EXP_TOLERANCE_ULPS)) {
          fail(mode + " exp(" + Double.toHexString(x[i]) + ") is " + ulps + " ulp off");
        }
      }
    }
  }

  /**
   * Both kernel classes within 1 ulp of e^x computed to 55 digits, on a sample across the whole
   * finite range (subnormal results included). Also checks the reference itself at known points.
   */
  @Test
  void expIsWithinOneUlpOfAHighPrecisionReference() {
    assertEquals(0, Ref.exp(0.0).compareTo(BigDecimal.ONE));
    assertEquals(Math.E, Ref.exp(1.0).doubleValue(), 0.0);
    // Math.log(2.0) is within half an ulp (5.6e-17) of ln 2, so e^it is within 1.2e-16 of 2
    BigDecimal offBy = Ref.exp(Math.log(2.0)).subtract(new BigDecimal(2)).abs();
    assertTrue(offBy.compareTo(new BigDecimal("1.2e-16")) < 0, "reference e^log(2): " + offBy);
    assertTrue(offBy.compareTo(new BigDecimal("1e-20")) > 0, "reference e^log(2): " + offBy);
    assertEquals(
        0,
        Ref.exp(-745.0).round(new MathContext(10)).compareTo(new BigDecimal("2.822350730e-324")),
        "reference e^-745");
    int n = 6000;
    double[] x = new double[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(31);
    for (int i = 0; i < n; i++) {
      x[i] = i % 3 == 0 ? r.nextDouble(-745.1, 709.78) : r.nextDouble(-2.0, 2.0);
    }
    warmUpVectorExp(TestData.doubles(Kind.EXP_ARG, TestData.LARGE, 21));
    BigDecimal[] exact = new BigDecimal[n];
    for (int i = 0; i < n; i++) {
      exact[i] = Ref.exp(x[i]);
    }
    double[] worst = new double[2];
    for (Mode mode : new Mode[] {Mode.SISD, Mode.SIMD}) {
      double[] out = new double[n];
      flynn.using(mode).exp(x, out);
      int k = TestData.vectorClass(mode) ? 1 : 0;
      for (int i = 0; i < n; i++) {
        double ulps = Ref.ulps(out[i], exact[i]);
        worst[k] = Math.max(worst[k], ulps);
        final int at = i;
        assertTrue(
            ulps <= 1.0,
            () -> mode + " exp(" + Double.toHexString(x[at]) + ") is " + ulps + " ulp from exact");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "double exp max error against the exact value: scalar %.4f ulp, vector %.4f ulp%n",
        worst[0],
        worst[1]);
  }

  static void assertBits(double expected, double actual, String what) {
    assertEquals(
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }
}
