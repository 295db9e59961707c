package dev.flynn.engine;

import static dev.flynn.engine.TestData.FLOAT_LANES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.engine.TestData.Kind;
import dev.flynn.kernels.Comparison;
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
 * The float maps (neg, abs, sqrt, log, tanh, sigmoid, relu, clamp, minimum, maximum, select,
 * selectPairwise) in every mode, element by element against references written here: bit for bit
 * for the exact and correctly rounded maps, within the documented ulp bound of a double-precision
 * {@link StrictMath} reference (whose own error is below 2^-28 float ulps) for log, tanh and
 * sigmoid.
 */
class FloatMapTest {

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

  /** The float kernels of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS =
      Arrays.stream(Op.values()).map(op -> op.kernel).collect(Collectors.toUnmodifiableSet());

  private static final int L = FLOAT_LANES;
  private static final float GUARD = Float.NaN;
  private static final float SENTINEL = -1234.5f;
  private static final float LO = -0.75f;
  private static final float HI = 3.5f;
  private static final float THRESHOLD = 0.0f;

  /** Largest error seen, in float ulps, per approximate op and kernel class (scalar, vector). */
  private static final double[][] MAX_ULPS = new double[Op.values().length][2];

  private static final float[][] MAX_ULPS_AT = new float[Op.values().length][2];

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
          "float %s max error: scalar modes %.4f ulp (x=%s), vector modes %.4f ulp (x=%s)%n",
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
      case TANH -> vector ? 2.5 : 1.0;
      case SIGMOID -> vector ? 4.0 : 1.0;
      default -> 0.0;
    };
  }

  /** The comparison a case uses: every one of them appears across the lengths and offsets. */
  static Comparison comparisonFor(int n, int offset) {
    Comparison[] all = Comparison.values();
    return all[(n + 7 * offset) % all.length];
  }

  /** Inputs fitting each op: wide magnitudes, arguments where tanh and sigmoid are not flat. */
  static float[] input(Op op, int n, long seed) {
    return TestData.cached(
        List.of("float-map-input", op, n, seed),
        k -> {
          float[] wide = TestData.floats(Kind.WIDE, n, seed);
          float[] uniform = TestData.floats(Kind.UNIFORM, n, seed + 100);
          float[] x = new float[n];
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
    float[] a = input(op, n, 31);
    float[] b = TestData.floats(Kind.WIDE, n, 32);
    float[] c = TestData.floats(Kind.WIDE, n, 33);
    float[] d = TestData.floats(Kind.WIDE, n, 34);
    Comparison cmp = comparisonFor(n, offset);
    // inputs and output at different offsets, so their vector alignments differ
    int aOff = offset;
    int bOff = offset + 1;
    int cOff = offset + 2;
    int dOff = 2 * offset + 1;
    int outOff = 3 - offset;
    float[] pa = TestData.padded(a, aOff, GUARD);
    float[] pb = TestData.padded(b, bOff, GUARD);
    float[] pc = TestData.padded(c, cOff, GUARD);
    float[] pd = TestData.padded(d, dOff, GUARD);
    float[] out = new float[outOff + n + 5];
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
        FloatElementwiseTest.assertBits(
            SENTINEL, out[i], op + " " + mode + ": wrote outside the range at " + i);
      }
    }
    check(op, mode, cmp, a, b, c, d, Arrays.copyOfRange(out, outOff, outOff + n));
  }

  /** Compares a result with the reference of {@code op}, element by element. */
  static void check(
      Op op, Mode mode, Comparison cmp, float[] a, float[] b, float[] c, float[] d, float[] r) {
    boolean vector = TestData.vectorClass(mode);
    for (int i = 0; i < r.length; i++) {
      if (op.approximate()) {
        double reference = reference(op, a[i]);
        double ulps = Ref.ulpsFloat(r[i], reference);
        record(op, vector, ulps, a[i]);
        if (!(ulps <= bound(op, vector))) {
          fail(
              String.format(
                  Locale.ROOT,
                  "%s %s(%s) at %d = %s, %.3f ulp from %s",
                  mode,
                  op.kernel,
                  Float.toHexString(a[i]),
                  i,
                  Float.toHexString(r[i]),
                  ulps,
                  reference));
        }
        continue;
      }
      float e = expected(op, cmp, a[i], b[i], c[i], d[i]);
      if (Float.floatToIntBits(e) != Float.floatToIntBits(r[i])) {
        fail(
            String.format(
                Locale.ROOT,
                "%s %s %s at %d: a=%s b=%s c=%s d=%s: expected %s but was %s",
                op,
                cmp,
                mode,
                i,
                Float.toHexString(a[i]),
                Float.toHexString(b[i]),
                Float.toHexString(c[i]),
                Float.toHexString(d[i]),
                Float.toHexString(e),
                Float.toHexString(r[i])));
      }
    }
  }

  static synchronized void record(Op op, boolean vector, double ulps, float x) {
    int k = vector ? 1 : 0;
    if (ulps > MAX_ULPS[op.ordinal()][k]) {
      MAX_ULPS[op.ordinal()][k] = ulps;
      MAX_ULPS_AT[op.ordinal()][k] = x;
    }
  }

  /**
   * The exact value of log, tanh or sigmoid at a float, to double precision: StrictMath (fdlibm) is
   * within 1 ulp (log) and 2.5 ulps (tanh) of double, and the sigmoid quotient adds a few double
   * roundings: all below 2^-26 float ulps. Special arguments give their exact special results.
   */
  static double reference(Op op, float x) {
    double v = x;
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
  static float expected(Op op, Comparison cmp, float a, float b, float c, float d) {
    return switch (op) {
      case NEG -> Float.intBitsToFloat(Float.floatToRawIntBits(a) ^ 0x8000_0000);
      case ABS -> Float.intBitsToFloat(Float.floatToRawIntBits(a) & 0x7fff_ffff);
      case SQRT -> (float) StrictMath.sqrt(a); // double sqrt rounded to float: correctly rounded
      case RELU -> Float.isNaN(a) ? Float.NaN : a > 0 ? a : 0.0f;
      case CLAMP -> lesser(greater(a, LO), HI);
      case MINIMUM -> lesser(a, b);
      case MAXIMUM -> greater(a, b);
      case SELECT -> holds(cmp, a, THRESHOLD) ? c : d;
      case SELECT_PAIRWISE -> holds(cmp, a, b) ? c : d;
      default -> throw new AssertionError(op + " is approximate");
    };
  }

  /** IEEE 754 minimum: NaN if either is NaN; -0.0 below +0.0. */
  static float lesser(float a, float b) {
    if (Float.isNaN(a) || Float.isNaN(b)) {
      return Float.NaN;
    }
    if (a == b) {
      return Float.floatToRawIntBits(a) < 0 ? a : b; // of two zeros, the negative one
    }
    return a < b ? a : b;
  }

  /** IEEE 754 maximum: NaN if either is NaN; +0.0 above -0.0. */
  static float greater(float a, float b) {
    if (Float.isNaN(a) || Float.isNaN(b)) {
      return Float.NaN;
    }
    if (a == b) {
      return Float.floatToRawIntBits(a) < 0 ? b : a; // of two zeros, the positive one
    }
    return a > b ? a : b;
  }

  /** The comparison with Java's operators, written out here. */
  static boolean holds(Comparison cmp, float x, float y) {
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
    float[] a = input(op, n, 35);
    float[] b = TestData.floats(Kind.WIDE, n, 36);
    float[] c = TestData.floats(Kind.WIDE, n, 37);
    float[] d = TestData.floats(Kind.WIDE, n, 38);
    Comparison cmp = Comparison.values()[mode.ordinal() % Comparison.values().length];
    float[] out = new float[n];
    Arrays.fill(out, SENTINEL);
    run(flynn.using(mode), op, cmp, a.clone(), b.clone(), c.clone(), d.clone(), out);
    check(op, mode, cmp, a, b, c, d, out);
  }

  /** Runs the whole-array form of {@code op}. */
  static void run(
      FlynnOps ops,
      Op op,
      Comparison cmp,
      float[] a,
      float[] b,
      float[] c,
      float[] d,
      float[] out) {
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
    float[] a = input(op, n, 39);
    float[] b = TestData.floats(Kind.WIDE, n, 40);
    Comparison cmp = Comparison.GREATER_OR_EQUAL;
    float[] x = a.clone();
    run(flynn.using(mode), op, cmp, x, b.clone(), x, b.clone(), x);
    // out aliases a (and c): the reference reads the original values
    check(op, mode, cmp, a, b, a, b, x);
  }

  // ---------------------------------------------------------------- special values

  static final float[] SPECIALS = {
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    0.0f,
    -0.0f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    0x1.fffffcp-127f, // largest subnormal
    Float.MIN_NORMAL,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    1f,
    -1f,
    0.5f,
    -3f,
    0x1.fffffep-1f,
    0x1p-30f,
    -20f,
    100f,
    -100f,
  };

  /** Bounds for clamp over the special values: zeros of both signs, infinite and equal bounds. */
  static final float[][] CLAMP_BOUNDS = {
    {LO, HI},
    {0.0f, 0.0f},
    {-0.0f, 0.0f},
    {-0.0f, -0.0f},
    {Float.NEGATIVE_INFINITY, 1f},
    {-1f, Float.POSITIVE_INFINITY},
    {2f, 2f},
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
    float[] a = new float[n];
    float[] b = new float[n];
    float[] c = new float[n];
    float[] d = new float[n];
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
      for (float[] bounds : op == Op.CLAMP ? CLAMP_BOUNDS : new float[][] {{LO, HI}}) {
        float[] out = new float[n];
        switch (op) {
          case CLAMP -> ops.clamp(a, bounds[0], bounds[1], out);
          default -> run(ops, op, cmp, a, b, c, d, out);
        }
        for (int i = 0; i < n; i++) {
          float x = a[i];
          if (op.approximate()) {
            double reference = reference(op, x);
            boolean specialArgument =
                Float.isNaN(x) || Float.isInfinite(x) || x == 0 || (op == Op.LOG && x < 0);
            if (specialArgument) {
              // NaN, log: -Inf at zeros and NaN below; tanh: +-0 and +-1; sigmoid: 1/2, 1 and +0
              float e = (float) reference;
              if (Float.floatToIntBits(e) != Float.floatToIntBits(out[i])) {
                fail(mode + " " + op.kernel + "(" + x + ") = " + out[i] + ", expected " + e);
              }
            } else {
              double ulps = Ref.ulpsFloat(out[i], reference);
              record(op, vector, ulps, x);
              if (!(ulps <= bound(op, vector))) {
                fail(mode + " " + op.kernel + "(" + x + ") = " + out[i] + ": " + ulps + " ulp");
              }
            }
            continue;
          }
          float e =
              op == Op.CLAMP
                  ? lesser(greater(x, bounds[0]), bounds[1])
                  : expected(op, cmp, x, b[i], c[i], d[i]);
          if (Float.floatToIntBits(e) != Float.floatToIntBits(out[i])) {
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
      float[] x = {-0.0f, 0.0f, Float.NaN, -Float.MIN_VALUE, Float.NEGATIVE_INFINITY};
      float[] in = new float[x.length * (2 * L + 1)];
      for (int i = 0; i < in.length; i++) {
        in[i] = x[i % x.length];
      }
      float[] out = new float[in.length];
      flynn.using(mode).relu(in, out);
      for (int i = 0; i < in.length; i++) {
        float e =
            switch (i % x.length) {
              case 2 -> Float.NaN;
              default -> 0.0f; // +0.0, also for -0.0
            };
        assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(out[i]), mode + " at " + i);
      }
    }
  }

  // ---------------------------------------------------------------- accuracy: random, adversarial

  /**
   * Arguments chosen to hurt each approximate op: random bit patterns over every binade, the
   * subnormals, arguments near 1 (log's cancellation), near 0 (tanh(x) = x and sigmoid = 1/2), near
   * the float edges (sigmoid's subnormal results below -87, tanh's saturation near 9), huge
   * magnitudes, and for log zeros and negative numbers.
   */
  static float[] adversarial(Op op) {
    SplittableRandom r = new SplittableRandom(4242 + op.ordinal());
    int n = 1 << 18;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = i % 8;
      float v =
          switch (kind) {
            case 0 -> Float.intBitsToFloat(r.nextInt()); // any float, NaN and infinities included
            case 1 -> Float.intBitsToFloat(r.nextInt(1, 1 << 23)); // positive subnormals
            case 2 -> Math.scalb(1f, r.nextInt(-149, 128)) * (1 + r.nextInt(-64, 64) * 0x1p-23f);
            case 3 -> 1f + r.nextInt(-4096, 4096) * 0x1p-23f; // around 1
            case 4 -> (float) (r.nextDouble() * 2e-3 - 1e-3); // near 0
            case 5 -> (float) (r.nextDouble() * 240 - 120); // sigmoid's whole range
            case 6 -> (float) (-87 - r.nextDouble() * 18); // sigmoid's subnormal results
            default -> (float) (r.nextDouble() * 20 - 10); // tanh's transition to +-1
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
      float[] x = adversarial(op);
      float[] out = new float[x.length];
      // warm-up: the vector forms compute per lane with Math until C2 compiles the SVML call
      for (int rep = 0; rep < 8; rep++) {
        run(flynn.using(Mode.SIMD), op, Comparison.LESS, x, x, x, x, out);
      }
      for (Mode mode : new Mode[] {Mode.SISD, Mode.SIMD}) {
        Arrays.fill(out, SENTINEL);
        run(flynn.using(mode), op, Comparison.LESS, x, x, x, x, out);
        check(op, mode, Comparison.LESS, x, x, x, x, out);
      }
    }
  }

  @Test
  void logOfZeroNegativeAndEdges() {
    float[] x = {0f, -0f, -1f, -Float.MIN_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, 1f};
    float[] e = {
      Float.NEGATIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      Float.NaN,
      Float.NaN,
      Float.NaN,
      0f
    };
    for (Mode mode : Mode.values()) {
      float[] in = new float[x.length * (2 * L + 1)];
      for (int i = 0; i < in.length; i++) {
        in[i] = x[i % x.length];
      }
      float[] out = new float[in.length];
      flynn.using(mode).log(in, out);
      for (int i = 0; i < in.length; i++) {
        assertEquals(
            Float.floatToIntBits(e[i % x.length]),
            Float.floatToIntBits(out[i]),
            mode + " log(" + in[i] + ") at " + i);
      }
    }
  }
}
