package dev.flynn.engine;

import static dev.flynn.engine.TestData.FLOAT_LANES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.engine.TestData.Kind;
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
 * add, sub, mul, div, scale, axpy, fma and exp over floats, in every mode, element by element
 * against references computed here: bit for bit for the correctly rounded operations, within 1 ulp
 * of {@link StrictMath#exp} for exp.
 */
class FloatElementwiseTest {

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

  /** The float kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Arrays.stream(Op.values()).map(Op::kernel).collect(Collectors.toUnmodifiableSet());

  private static final int L = FLOAT_LANES;
  private static final float ALPHA = 0.7f; // not a power of two: scale and axpy round
  private static final float GUARD = Float.NaN;
  private static final float SENTINEL = -1234.5f;

  /** Largest exp error seen, in float ulps, per kernel class (scalar modes, vector modes). */
  private static final double[] MAX_EXP_ULPS = new double[2];

  private static final float[] MAX_EXP_ULPS_AT = new float[2];

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
        "float exp max error: scalar modes %.4f ulp (x=%s), vector modes %.4f ulp (x=%s)%n",
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
    float[] a = TestData.floats(op.kind(), n, 21);
    float[] b = TestData.floats(op.kind(), n, 22);
    float[] c = TestData.floats(op.kind(), n, 23);
    // inputs and output at different offsets, so their vector alignments differ
    int aOff = offset;
    int bOff = offset + 1;
    int cOff = offset + 2;
    int outOff = 3 - offset;
    float[] pa = TestData.padded(a, aOff, GUARD);
    float[] pb = TestData.padded(b, bOff, GUARD);
    float[] pc = TestData.padded(c, cOff, GUARD);
    float[] out = TestData.padded(c, outOff, SENTINEL); // axpy's y starts as c
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
  private static void check(Op op, Mode mode, float[] a, float[] b, float[] c, float[] result) {
    int n = result.length;
    if (op == Op.EXP) {
      double[] reference = expReference(a);
      int k = TestData.vectorClass(mode) ? 1 : 0;
      for (int i = 0; i < n; i++) {
        double ulps = Ref.ulpsFloat(result[i], reference[i]);
        recordExpError(k, ulps, a[i]);
        if (!(ulps <= 1.0)) {
          fail(
              String.format(
                  Locale.ROOT,
                  "%s exp(%s) at %d = %s, %.3f ulp from %s",
                  mode,
                  Float.toHexString(a[i]),
                  i,
                  result[i],
                  ulps,
                  reference[i]));
        }
      }
      return;
    }
    float[] expected = expected(op, a, b, c);
    for (int i = 0; i < n; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(result[i])) {
        fail(
            String.format(
                Locale.ROOT,
                "%s %s at %d: a=%s b=%s c=%s: expected %s but was %s",
                op,
                mode,
                i,
                Float.toHexString(a[i]),
                Float.toHexString(b[i]),
                Float.toHexString(c[i]),
                Float.toHexString(expected[i]),
                Float.toHexString(result[i])));
      }
    }
  }

  private static synchronized void recordExpError(int k, double ulps, float x) {
    if (ulps > MAX_EXP_ULPS[k]) {
      MAX_EXP_ULPS[k] = ulps;
      MAX_EXP_ULPS_AT[k] = x;
    }
  }

  /** {@code StrictMath.exp} in double: within 1 ulp of e^x in double, far below a float ulp. */
  private static double[] expReference(float[] x) {
    return TestData.cached(
        List.of("float-exp", x),
        k -> {
          double[] r = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            r[i] = StrictMath.exp(x[i]);
          }
          return r;
        });
  }

  /**
   * The correctly rounded result of each op, computed in double and rounded once to float: double
   * holds every float sum, difference and product exactly, and the double rounding of a quotient is
   * innocuous (53 >= 2 * 24 + 2). fma and fused axpy go through BigDecimal.
   */
  private static float[] expected(Op op, float[] a, float[] b, float[] c) {
    return TestData.cached(
        List.of("float-expected", op, a, b, c),
        k -> {
          float[] e = new float[a.length];
          for (int i = 0; i < e.length; i++) {
            e[i] = expected(op, a[i], b[i], c[i]);
          }
          return e;
        });
  }

  static float expected(Op op, float a, float b, float c) {
    return switch (op) {
      case ADD -> (float) ((double) a + b);
      case SUB -> (float) ((double) a - b);
      case MUL -> (float) ((double) a * b);
      case DIV -> (float) ((double) a / b);
      case SCALE -> (float) ((double) ALPHA * a);
      case AXPY -> TestData.USE_FMA ? Ref.fma(ALPHA, a, c) : (float) ((double) (ALPHA * a) + c);
      case FMA -> Ref.fma(a, b, c);
      case EXP -> throw new AssertionError("exp has no bit-exact reference");
    };
  }

  // ---------------------------------------------------------------- whole-array overloads

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opsAndModes")
  void wholeArrayOverload(Op op, Mode mode) {
    int n = 1001;
    float[] a = TestData.floats(op.kind(), n, 24);
    float[] b = TestData.floats(op.kind(), n, 25);
    float[] c = TestData.floats(op.kind(), n, 26);
    float[] x = a.clone();
    float[] y = b.clone();
    float[] z = c.clone();
    float[] out = new float[n];
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

  private static final float[] SPECIALS = {
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    0.0f,
    -0.0f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    1f,
    -1f,
    0.5f,
    3f,
    0x1.fffffep-1f,
  };

  /** Alphas for scale and axpy over the special values, special themselves included. */
  private static final float[] SPECIAL_ALPHAS = {
    -3f, Float.MIN_NORMAL, Float.POSITIVE_INFINITY, -0.0f, Float.NaN
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
    float[] a = new float[n];
    float[] b = new float[n];
    float[] c = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = SPECIALS[i / SPECIALS.length];
      b[i] = SPECIALS[i % SPECIALS.length];
      c[i] = SPECIALS[(i * 7 + 3) % SPECIALS.length];
    }
    FlynnOps ops = flynn.using(mode);
    for (float alpha : op == Op.SCALE || op == Op.AXPY ? SPECIAL_ALPHAS : new float[] {0f}) {
      float[] out = op == Op.AXPY ? c.clone() : new float[n];
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
        float e =
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
        if (op == Op.EXP && Float.isFinite(e) && e != 0f && e != 1f) {
          double ulps = Ref.ulpsFloat(out[i], StrictMath.exp(a[i]));
          assertTrue(ulps <= 1.0, () -> mode + " exp(" + a[at] + ") = " + out[at]);
          continue;
        }
        assertEquals(
            Float.floatToIntBits(e),
            Float.floatToIntBits(out[i]),
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
  private static float expOfSpecial(float x) {
    if (Float.isNaN(x)) {
      return Float.NaN;
    }
    if (x == Float.NEGATIVE_INFINITY || x == -Float.MAX_VALUE) {
      return 0f;
    }
    if (x == Float.POSITIVE_INFINITY || x == Float.MAX_VALUE) {
      return Float.POSITIVE_INFINITY;
    }
    if (Math.abs(x) < 0x1p-25f) {
      return 1f;
    }
    return (float) StrictMath.exp(x);
  }

  /** exp at the edges: NaN, infinities, overflow, underflow to zero, subnormal results. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void expAtTheEdges(Mode mode) {
    float[] x = {
      Float.NaN,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      88.8f,
      89f,
      100f,
      1000f,
      Float.MAX_VALUE,
      -110f,
      -1000f,
      -Float.MAX_VALUE,
      0f,
      -0f,
    };
    float[] expected = {
      Float.NaN,
      Float.POSITIVE_INFINITY,
      0f,
      Float.POSITIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      0f,
      0f,
      0f,
      1f,
      1f,
    };
    // repeated so that every value meets the vector body in every lane and the scalar tail
    int reps = 2 * L + 1;
    float[] in = new float[x.length * reps];
    for (int i = 0; i < in.length; i++) {
      in[i] = x[i % x.length];
    }
    float[] out = new float[in.length];
    flynn.using(mode).exp(in, out);
    for (int i = 0; i < in.length; i++) {
      final int at = i;
      assertEquals(
          Float.floatToIntBits(expected[i % x.length]),
          Float.floatToIntBits(out[i]),
          () -> mode + " exp(" + in[at] + ") at " + at + " was " + out[at]);
    }
  }

  /** Results in the subnormal range and near the overflow edge, within 1 ulp of StrictMath. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void expNearUnderflowAndOverflowIsWithinOneUlp(Mode mode) {
    int n = 4001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      // -103.9 .. -87.3: subnormal and tiny normal results; then 87 .. 88.72: near MAX_VALUE
      x[i] = i % 2 == 0 ? -103.9f + 16.6f * i / n : 87f + 1.72f * i / n;
    }
    float[] out = new float[n];
    flynn.using(mode).exp(x, out);
    int k = TestData.vectorClass(mode) ? 1 : 0;
    for (int i = 0; i < n; i++) {
      double reference = StrictMath.exp(x[i]);
      double ulps = Ref.ulpsFloat(out[i], reference);
      recordExpError(k, ulps, x[i]);
      final int at = i;
      assertTrue(
          ulps <= 1.0,
          () ->
              mode
                  + " exp("
                  + Float.toHexString(x[at])
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
  static int warmUpVectorExp(float[] x) {
    float[] out = new float[x.length];
    for (int rep = 0; rep < 6; rep++) {
      flynn.using(Mode.SIMD).exp(x, out);
    }
    int differ = 0;
    for (int i = 0; i < x.length; i++) {
      if (out[i] != (float) Math.exp(x[i])) {
        differ++;
      }
    }
    return differ;
  }

  @Test
  void expOfManyArgumentsIsWithinOneUlpInTheVectorAndScalarModes() {
    // a dense sweep of [-87f, -87f + 175f] in both classes, to measure the worst error honestly
    int n = 1 << 21;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -87f + 175f * i / n;
    }
    int differ = warmUpVectorExp(x);
    System.out.printf(
        Locale.ROOT,
        "float exp sweep: after warm-up the vector mode differs from Math.exp on %d of %d%n",
        differ,
        n);
    for (Mode mode : new Mode[] {Mode.SISD, Mode.SIMD}) {
      float[] out = new float[n];
      flynn.using(mode).exp(x, out);
      int k = TestData.vectorClass(mode) ? 1 : 0;
      for (int i = 0; i < n; i++) {
        double ulps = Ref.ulpsFloat(out[i], StrictMath.exp(x[i]));
        recordExpError(k, ulps, x[i]);
        if (!(ulps <= 1.0)) {
          fail(mode + " exp(" + Float.toHexString(x[i]) + ") is " + ulps + " ulp off");
        }
      }
    }
  }

  static void assertBits(float expected, float actual, String what) {
    assertEquals(
        Float.floatToRawIntBits(expected),
        Float.floatToRawIntBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }
}
