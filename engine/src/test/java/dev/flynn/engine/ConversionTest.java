package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conversions float[] -> double[] (exact), double[] -> float[] and int[] -> float[] (correctly
 * rounded to nearest even) in every mode, element by element against {@link BigDecimal}: its {@code
 * doubleValue} and {@code floatValue} round the exact value correctly, independently of Java's
 * casts. Data mix random bit patterns, exact ties, overflow, underflow and subnormals.
 */
class ConversionTest {

  /** One row per conversion. */
  enum Conversion {
    FLOAT_TO_DOUBLE,
    DOUBLE_TO_FLOAT,
    INT_TO_FLOAT
  }

  /** The conversions of {@link FlynnOps} this class covers; {@link CoverageTest} checks it. */
  static final Set<String> KERNELS = Set.of("toDouble", "toFloat");

  private static final float F_GUARD = Float.NaN;
  private static final double D_GUARD = Double.NaN;
  private static final float F_SENTINEL = -1234.5f;
  private static final double D_SENTINEL = -1234.5;

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
    return TestData.crossed(Conversion.values(), TestData.FLOAT_LANES);
  }

  /** Floats of every kind: random bit patterns (NaN, infinities, subnormals), wide, specials. */
  static float[] floats(int n) {
    return TestData.cached(
        List.of("conversion-floats", n),
        k -> {
          SplittableRandom r = new SplittableRandom(61);
          float[] x = new float[n];
          for (int i = 0; i < n; i++) {
            x[i] =
                switch (i % 3) {
                  case 0 -> Float.intBitsToFloat(r.nextInt());
                  case 1 ->
                      Float.intBitsToFloat(r.nextInt(1 << 23) | (r.nextBoolean() ? 0 : 1 << 31));
                  default -> (float) (r.nextDouble() * 2e6 - 1e6);
                };
          }
          return x;
        });
  }

  /**
   * Doubles that stress rounding to float: random bit patterns (mostly out of float range), values
   * within the float range, exact ties between two floats, and values around the overflow threshold
   * and in the float subnormal range.
   */
  static double[] doubles(int n) {
    return TestData.cached(
        List.of("conversion-doubles", n),
        k -> {
          SplittableRandom r = new SplittableRandom(62);
          double[] x = new double[n];
          for (int i = 0; i < n; i++) {
            float f =
                Float.intBitsToFloat(r.nextInt(0x7f80_0000) | (r.nextBoolean() ? 0 : 1 << 31));
            double sign = r.nextBoolean() ? 1 : -1;
            x[i] =
                switch (i % 6) {
                  case 0 -> Double.longBitsToDouble(r.nextLong());
                  case 1 -> f + (double) Math.ulp(f) * r.nextDouble(); // between two floats
                  case 2 -> f + (double) Math.ulp(f) / 2; // an exact tie (or past MAX_VALUE)
                  case 3 -> sign * Math.scalb(1 + r.nextDouble(), r.nextInt(126, 129)); // overflow
                  case 4 -> sign * Math.scalb(1 + r.nextDouble(), r.nextInt(-152, -125)); // tiny
                  default -> r.nextDouble() * 2e6 - 1e6;
                };
          }
          return x;
        });
  }

  /** Ints of every size, and exact ties between two floats above 2^24. */
  static int[] ints(int n) {
    return TestData.cached(
        List.of("conversion-ints", n),
        k -> {
          SplittableRandom r = new SplittableRandom(63);
          int[] x = new int[n];
          for (int i = 0; i < n; i++) {
            int shift = r.nextInt(1, 8);
            x[i] =
                switch (i % 3) {
                  case 0 -> r.nextInt();
                  case 1 -> ((r.nextInt(1 << 23) | 1 << 23) << shift) | 1 << (shift - 1); // a tie
                  default -> r.nextInt(-(1 << 25), 1 << 25);
                };
          }
          return x;
        });
  }

  @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
  @MethodSource("cases")
  void rangeMatchesBigDecimalAndLeavesTheRestAlone(Conversion c, Mode mode, int n, int offset) {
    FlynnOps ops = flynn.using(mode);
    int inOff = offset;
    int outOff = 3 - offset;
    switch (c) {
      case FLOAT_TO_DOUBLE -> {
        float[] x = floats(n);
        float[] in = TestData.padded(x, inOff, F_GUARD);
        double[] out = new double[outOff + n + 5];
        Arrays.fill(out, D_SENTINEL);
        ops.toDouble(in, inOff, out, outOff, n);
        assertArrayEquals(TestData.padded(x, inOff, F_GUARD), in, "input changed");
        double[] e = expectedDoubles(x);
        checkDoubles(out, outOff, n, i -> e[i], i -> Float.toHexString(x[i]));
      }
      case DOUBLE_TO_FLOAT -> {
        double[] x = doubles(n);
        double[] in = TestData.padded(x, inOff, D_GUARD);
        float[] out = new float[outOff + n + 5];
        Arrays.fill(out, F_SENTINEL);
        ops.toFloat(in, inOff, out, outOff, n);
        assertArrayEquals(TestData.padded(x, inOff, D_GUARD), in, "input changed");
        float[] e = expectedFloats(x);
        checkFloats(out, outOff, n, i -> e[i], i -> Double.toHexString(x[i]));
      }
      case INT_TO_FLOAT -> {
        int[] x = ints(n);
        int[] in = new int[inOff + n + 5];
        Arrays.fill(in, 0x5eed);
        System.arraycopy(x, 0, in, inOff, n);
        int[] copy = in.clone();
        float[] out = new float[outOff + n + 5];
        Arrays.fill(out, F_SENTINEL);
        ops.toFloat(in, inOff, out, outOff, n);
        assertArrayEquals(copy, in, "input changed");
        float[] e = expectedFloats(x);
        checkFloats(out, outOff, n, i -> e[i], i -> Integer.toString(x[i]));
      }
    }
  }

  @FunctionalInterface
  interface FloatAt {
    float at(int i);
  }

  @FunctionalInterface
  interface DoubleAt {
    double at(int i);
  }

  @FunctionalInterface
  interface Shown {
    String at(int i);
  }

  private static void checkFloats(float[] out, int outOff, int n, FloatAt expected, Shown x) {
    for (int i = 0; i < out.length; i++) {
      boolean inside = i >= outOff && i < outOff + n;
      float e = inside ? expected.at(i - outOff) : F_SENTINEL;
      if (Float.floatToIntBits(e) != Float.floatToIntBits(out[i])) {
        fail(
            (inside ? "x=" + x.at(i - outOff) + " at " + (i - outOff) : "outside the range at " + i)
                + ": expected "
                + Float.toHexString(e)
                + " but was "
                + Float.toHexString(out[i]));
      }
    }
  }

  private static void checkDoubles(double[] out, int outOff, int n, DoubleAt expected, Shown x) {
    for (int i = 0; i < out.length; i++) {
      boolean inside = i >= outOff && i < outOff + n;
      double e = inside ? expected.at(i - outOff) : D_SENTINEL;
      if (Double.doubleToLongBits(e) != Double.doubleToLongBits(out[i])) {
        fail(
            (inside ? "x=" + x.at(i - outOff) + " at " + (i - outOff) : "outside the range at " + i)
                + ": expected "
                + Double.toHexString(e)
                + " but was "
                + Double.toHexString(out[i]));
      }
    }
  }

  /** The references of a data set, computed once: BigDecimal is slow. */
  static double[] expectedDoubles(float[] x) {
    return TestData.cached(
        List.of("conversion-expected", x),
        k -> {
          double[] e = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            e[i] = exactDouble(x[i]);
          }
          return e;
        });
  }

  static float[] expectedFloats(double[] x) {
    return TestData.cached(
        List.of("conversion-expected", x),
        k -> {
          float[] e = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            e[i] = roundedFloat(x[i]);
          }
          return e;
        });
  }

  static float[] expectedFloats(int[] x) {
    return TestData.cached(
        List.of("conversion-expected", x),
        k -> {
          float[] e = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            e[i] = new BigDecimal(x[i]).floatValue();
          }
          return e;
        });
  }

  /** The float's exact value as a double, through BigDecimal; specials and zeros by their bits. */
  static double exactDouble(float x) {
    if (Float.isNaN(x)) {
      return Double.NaN;
    }
    if (Float.isInfinite(x) || x == 0) {
      int sign = Float.floatToRawIntBits(x) < 0 ? -1 : 1;
      return x == 0 ? Math.copySign(0.0, sign) : sign * Double.POSITIVE_INFINITY;
    }
    return new BigDecimal(x).doubleValue();
  }

  /**
   * The double rounded to the nearest float, ties to even: BigDecimal's {@code floatValue} rounds
   * correctly, overflowing to infinity; an underflow to zero keeps the sign of the double.
   */
  static float roundedFloat(double x) {
    if (Double.isNaN(x)) {
      return Float.NaN;
    }
    boolean negative = Double.doubleToRawLongBits(x) < 0;
    float magnitude =
        Double.isInfinite(x) ? Float.POSITIVE_INFINITY : new BigDecimal(x).abs().floatValue();
    return negative ? -magnitude : magnitude;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wholeArraysAndSpecialValues(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    double[] specials = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      0.0,
      -0.0,
      Float.MAX_VALUE,
      (double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2, // the tie rounds to Inf
      Math.nextDown((double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2), // stays MAX
      -Double.MAX_VALUE,
      Float.MIN_VALUE,
      Float.MIN_VALUE / 2.0, // a tie: rounds to even, +0
      Math.nextUp(Float.MIN_VALUE / 2.0), // rounds up to MIN_VALUE
      -Float.MIN_VALUE / 2.0, // rounds to -0
      Double.MIN_VALUE,
      1.0 + 0x1p-24, // a tie between 1 and its successor: to even, 1
      1.0 + 3 * 0x1p-24, // a tie: to even, 1 + 2^-22
      -1e300,
    };
    int reps = 2 * TestData.FLOAT_LANES + 1; // every value in every lane and the tail
    double[] x = new double[specials.length * reps];
    for (int i = 0; i < x.length; i++) {
      x[i] = specials[i % specials.length];
    }
    float[] narrow = new float[x.length];
    ops.toFloat(x, narrow);
    checkFloats(narrow, 0, x.length, i -> roundedFloat(x[i]), i -> Double.toHexString(x[i]));
    double[] wide = new double[x.length];
    ops.toDouble(narrow, wide);
    checkDoubles(wide, 0, x.length, i -> exactDouble(narrow[i]), i -> Float.toString(narrow[i]));
    int[] ints = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, (1 << 24) + 1, (1 << 24) + 3};
    int[] in = new int[ints.length * reps];
    for (int i = 0; i < in.length; i++) {
      in[i] = ints[i % ints.length];
    }
    float[] f = new float[in.length];
    ops.toFloat(in, f);
    checkFloats(f, 0, in.length, i -> new BigDecimal(in[i]).floatValue(), i -> "" + in[i]);
  }
}
