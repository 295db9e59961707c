package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.BadInputTest.Bad;
import dev.flynn.engine.BadInputTest.Call;
import dev.flynn.kernels.Comparison;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The argument checks of the maps and conversions, as {@link BadInputTest} does for the first
 * kernels: the exception type, a message naming the argument and its values, and no write to any
 * array before the throw, in every mode.
 */
class MapBadInputTest {

  private static final float FS = -7.25f;
  private static final double DS = -7.25;
  private static final Comparison LT = Comparison.LESS;

  private static final Class<NullPointerException> NPE = NullPointerException.class;
  private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
  private static final Class<IndexOutOfBoundsException> IOOBE = IndexOutOfBoundsException.class;

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(2).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  private static float[] f(int n) {
    float[] a = new float[n];
    Arrays.fill(a, FS);
    return a;
  }

  private static double[] d(int n) {
    double[] a = new double[n];
    Arrays.fill(a, DS);
    return a;
  }

  private static Bad bad(
      String name, Class<? extends RuntimeException> type, String fragments, Call call) {
    return new Bad(name, type, List.of(fragments.split("\\|")), call, List.of());
  }

  static List<Bad> floatCases() {
    List<Bad> c = new ArrayList<>();
    float[] a = f(6);
    float[] b = f(6);
    float[] t = f(6);
    float[] e = f(6);
    float[] out = f(6);
    float[] five = f(5);
    float[] s = f(12);
    double[] wide = d(6);
    int[] ints = new int[6];
    Arrays.fill(ints, 7);
    String tooLong = "offset 3|length 4|array of length 6";
    // the unary maps share one path; each is exercised once for each kind of fault
    c.add(bad("neg(null, out)", NPE, "x is null", o -> o.neg(null, out)));
    c.add(bad("abs(x, null)", NPE, "out is null", o -> o.abs(a, null)));
    c.add(bad("sqrt(6, 5)", IAE, "x.length=6|out.length=5", o -> o.sqrt(a, five)));
    c.add(bad("log x", IOOBE, "x: " + tooLong, o -> o.log(a, 3, out, 0, 4)));
    c.add(bad("tanh out", IOOBE, "out: " + tooLong, o -> o.tanh(a, 0, out, 3, 4)));
    c.add(
        bad("sigmoid length -1", IAE, "length is negative: -1", o -> o.sigmoid(a, 0, out, 0, -1)));
    c.add(
        bad("relu overlap", IAE, "out overlaps x|x=[1, 7)|out=[0, 6)", o -> o.relu(s, 1, s, 0, 6)));
    c.add(bad("neg overlap", IAE, "out overlaps x|", o -> o.neg(s, 0, s, 2, 6)));
    c.add(bad("log overlap", IAE, "out overlaps x|", o -> o.log(s, 5, s, 0, 6)));
    // clamp's bounds
    c.add(bad("clamp lo > hi", IAE, "lo <= hi|lo=2.0|hi=1.0", o -> o.clamp(a, 2f, 1f, out)));
    c.add(bad("clamp NaN lo", IAE, "NaN|lo=NaN", o -> o.clamp(a, Float.NaN, 1f, out)));
    c.add(bad("clamp NaN hi", IAE, "NaN|hi=NaN", o -> o.clamp(a, 0, 0f, Float.NaN, out, 0, 6)));
    c.add(bad("clamp +0, -0", IAE, "lo=0.0|hi=-0.0", o -> o.clamp(a, 0f, -0f, out)));
    c.add(bad("clamp null x", NPE, "x is null", o -> o.clamp(null, 0f, 1f, out)));
    c.add(bad("clamp overlap", IAE, "out overlaps x|", o -> o.clamp(s, 0, 0f, 1f, s, 1, 6)));
    // minimum and maximum
    c.add(bad("minimum(null, b, out)", NPE, "a is null", o -> o.minimum(null, b, out)));
    c.add(bad("maximum(a, null, out)", NPE, "b is null", o -> o.maximum(a, null, out)));
    c.add(bad("minimum(6, 5, 6)", IAE, "a.length=6|b.length=5", o -> o.minimum(a, five, out)));
    c.add(bad("maximum b", IOOBE, "b: " + tooLong, o -> o.maximum(a, 0, b, 3, out, 0, 4)));
    c.add(bad("minimum overlap", IAE, "out overlaps b|", o -> o.minimum(a, 0, s, 0, s, 3, 6)));
    // select
    c.add(bad("select null cmp", NPE, "comparison is null", o -> o.select(a, null, 0f, t, e, out)));
    c.add(bad("select null ifTrue", NPE, "ifTrue is null", o -> o.select(a, LT, 0f, null, e, out)));
    c.add(
        bad(
            "select 5 ifFalse",
            IAE,
            "a.length=6|ifFalse.length=5",
            o -> o.select(a, LT, 0f, t, five, out)));
    c.add(
        bad(
            "select ifTrue range",
            IOOBE,
            "ifTrue: " + tooLong,
            o -> o.select(a, 0, LT, 0f, t, 3, e, 0, out, 0, 4)));
    c.add(
        bad(
            "select overlap ifFalse",
            IAE,
            "out overlaps ifFalse|",
            o -> o.select(a, 0, LT, 0f, t, 0, s, 0, s, 1, 6)));
    c.add(
        bad(
            "selectPairwise null b",
            NPE,
            "b is null",
            o -> o.selectPairwise(a, LT, null, t, e, out)));
    c.add(
        bad(
            "selectPairwise 5 b",
            IAE,
            "a.length=6|b.length=5",
            o -> o.selectPairwise(a, LT, five, t, e, out)));
    c.add(
        bad(
            "selectPairwise overlap b",
            IAE,
            "out overlaps b|",
            o -> o.selectPairwise(a, 0, LT, s, 2, t, 0, e, 0, s, 0, 6)));
    c.add(
        bad(
            "selectPairwise length -2",
            IAE,
            "length is negative: -2",
            o -> o.selectPairwise(a, 0, LT, b, 0, t, 0, e, 0, out, 0, -2)));
    // conversions
    c.add(bad("toDouble(null, out)", NPE, "x is null", o -> o.toDouble(null, wide)));
    c.add(bad("toDouble(x, null)", NPE, "out is null", o -> o.toDouble(a, null)));
    c.add(bad("toDouble(6, 7)", IAE, "x.length=6|out.length=7", o -> o.toDouble(a, d(7))));
    c.add(bad("toDouble out", IOOBE, "out: " + tooLong, o -> o.toDouble(a, 0, wide, 3, 4)));
    c.add(bad("toFloat(null ints)", NPE, "x is null", o -> o.toFloat((int[]) null, out)));
    c.add(bad("toFloat(ints, 5)", IAE, "x.length=6|out.length=5", o -> o.toFloat(ints, five)));
    c.add(bad("toFloat ints x", IOOBE, "x: " + tooLong, o -> o.toFloat(ints, 3, out, 0, 4)));
    c.add(bad("toFloat ints -1", IAE, "length is negative", o -> o.toFloat(ints, 0, out, 0, -1)));
    List<Bad> all = new ArrayList<>();
    for (Bad x : c) {
      all.add(
          new Bad(
              "float " + x.name(),
              x.type(),
              x.fragments(),
              x.call(),
              List.of(a, b, t, e, out, five, s, wide, ints)));
    }
    return all;
  }

  static List<Bad> doubleCases() {
    List<Bad> c = new ArrayList<>();
    double[] a = d(6);
    double[] b = d(6);
    double[] t = d(6);
    double[] e = d(6);
    double[] out = d(6);
    double[] seven = d(7);
    double[] s = d(12);
    float[] narrow = f(6);
    String tooLong = "offset 3|length 4|array of length 6";
    c.add(bad("abs(null, out)", NPE, "x is null", o -> o.abs(null, out)));
    c.add(bad("sqrt(x, null)", NPE, "out is null", o -> o.sqrt(a, null)));
    c.add(bad("log(6, 7)", IAE, "x.length=6|out.length=7", o -> o.log(a, seven)));
    c.add(bad("tanh x", IOOBE, "x: " + tooLong, o -> o.tanh(a, 3, out, 0, 4)));
    c.add(bad("sigmoid out", IOOBE, "out: " + tooLong, o -> o.sigmoid(a, 0, out, 3, 4)));
    c.add(bad("relu length -3", IAE, "length is negative: -3", o -> o.relu(a, 0, out, 0, -3)));
    c.add(
        bad("neg overlap", IAE, "out overlaps x|x=[0, 6)|out=[4, 10)", o -> o.neg(s, 0, s, 4, 6)));
    c.add(bad("clamp lo > hi", IAE, "lo <= hi|lo=1.0|hi=-1.0", o -> o.clamp(a, 1.0, -1.0, out)));
    c.add(bad("clamp NaN", IAE, "NaN", o -> o.clamp(a, 0, -1.0, Double.NaN, out, 0, 6)));
    c.add(bad("clamp +0, -0", IAE, "lo=0.0|hi=-0.0", o -> o.clamp(a, 0.0, -0.0, out)));
    c.add(bad("clamp out null", NPE, "out is null", o -> o.clamp(a, 0.0, 1.0, null)));
    c.add(bad("maximum(6, 6, 7)", IAE, "a.length=6|out.length=7", o -> o.maximum(a, b, seven)));
    c.add(bad("minimum a", IOOBE, "a: " + tooLong, o -> o.minimum(a, 3, b, 0, out, 0, 4)));
    c.add(bad("maximum overlap", IAE, "out overlaps a|", o -> o.maximum(s, 1, b, 0, s, 0, 6)));
    c.add(bad("select null a", NPE, "a is null", o -> o.select(null, LT, 0.0, t, e, out)));
    c.add(
        bad(
            "select 7 out",
            IAE,
            "a.length=6|out.length=7",
            o -> o.select(a, LT, 0.0, t, e, seven)));
    c.add(
        bad(
            "select ifFalse range",
            IOOBE,
            "ifFalse: " + tooLong,
            o -> o.select(a, 0, LT, 0.0, t, 0, e, 3, out, 0, 4)));
    c.add(
        bad(
            "selectPairwise null cmp",
            NPE,
            "comparison is null",
            o -> o.selectPairwise(a, null, b, t, e, out)));
    c.add(
        bad(
            "selectPairwise overlap ifTrue",
            IAE,
            "out overlaps ifTrue|",
            o -> o.selectPairwise(a, 0, LT, b, 0, s, 0, e, 0, s, 3, 6)));
    c.add(bad("toFloat(null, out)", NPE, "x is null", o -> o.toFloat((double[]) null, narrow)));
    c.add(bad("toFloat(x, null)", NPE, "out is null", o -> o.toFloat(a, null)));
    c.add(bad("toFloat(7, 6)", IAE, "x.length=7|out.length=6", o -> o.toFloat(seven, narrow)));
    c.add(bad("toFloat x", IOOBE, "x: " + tooLong, o -> o.toFloat(a, 3, narrow, 0, 4)));
    List<Bad> all = new ArrayList<>();
    for (Bad x : c) {
      all.add(
          new Bad(
              "double " + x.name(),
              x.type(),
              x.fragments(),
              x.call(),
              List.of(a, b, t, e, out, seven, s, narrow)));
    }
    return all;
  }

  static Stream<Arguments> badCalls() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Bad bad : floatCases()) {
        all.add(Arguments.of(bad, mode));
      }
      for (Bad bad : doubleCases()) {
        all.add(Arguments.of(bad, mode));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("badCalls")
  void badCallThrowsANamedExceptionAndWritesNothing(Bad bad, Mode mode) {
    List<Object> before = new ArrayList<>();
    for (Object array : bad.arrays()) {
      before.add(copy(array));
    }
    RuntimeException e = assertThrows(bad.type(), () -> bad.call().run(flynn.using(mode)));
    assertEquals(bad.type(), e.getClass(), "exactly this exception type");
    String message = String.valueOf(e.getMessage());
    for (String fragment : bad.fragments()) {
      assertTrue(
          message.contains(fragment), () -> "message '" + message + "' lacks '" + fragment + "'");
    }
    for (int i = 0; i < before.size(); i++) {
      Object array = bad.arrays().get(i);
      String what = "an array was written before the throw";
      switch (array) {
        case float[] fa -> assertArrayEquals((float[]) before.get(i), fa, what);
        case double[] da -> assertArrayEquals((double[]) before.get(i), da, what);
        case int[] ia -> assertArrayEquals((int[]) before.get(i), ia, what);
        default -> throw new AssertionError(array);
      }
    }
  }

  private static Object copy(Object array) {
    return switch (array) {
      case float[] fa -> fa.clone();
      case double[] da -> da.clone();
      case int[] ia -> ia.clone();
      default -> throw new AssertionError(array);
    };
  }
}
