package dev.flynn.engine;

import static dev.flynn.engine.TestData.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.TestData.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every argument check at the public door: the exception type, a message that names the argument
 * and its values, and no write to any array before the throw. Exactly aliased outputs work.
 */
class BadInputTest {

  private static final float FS = -7.25f; // sentinel
  private static final double DS = -7.25;

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(2).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  @FunctionalInterface
  interface Call {
    void run(FlynnOps ops);
  }

  /** A call that must throw {@code type} with every fragment in its message. */
  record Bad(
      String name,
      Class<? extends RuntimeException> type,
      List<String> fragments,
      Call call,
      List<Object> arrays) {
    @Override
    public String toString() {
      return name;
    }
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
      String name,
      Class<? extends RuntimeException> type,
      String fragments,
      Call call,
      Object... arrays) {
    return new Bad(name, type, List.of(fragments.split("\\|")), call, Arrays.asList(arrays));
  }

  private static final Class<NullPointerException> NPE = NullPointerException.class;
  private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
  private static final Class<IndexOutOfBoundsException> IOOBE = IndexOutOfBoundsException.class;

  static List<Bad> floatCases() {
    List<Bad> c = new ArrayList<>();
    float[] a = f(6);
    float[] b = f(6);
    float[] cc = f(6);
    float[] out = f(6);
    float[] five = f(5);
    float[] seven = f(7);
    // null arrays
    c.add(bad("sum(null)", NPE, "a is null", o -> o.sum((float[]) null)));
    c.add(bad("sum(null, 0, 0)", NPE, "a is null", o -> o.sum((float[]) null, 0, 0)));
    c.add(bad("dot(null, b)", NPE, "a is null", o -> o.dot(null, b), b));
    c.add(bad("dot(a, null)", NPE, "b is null", o -> o.dot(a, null), a));
    c.add(bad("dot(a, 0, null, 0, 1)", NPE, "b is null", o -> o.dot(a, 0, null, 0, 1), a));
    c.add(bad("min(null)", NPE, "a is null", o -> o.min((float[]) null)));
    c.add(bad("max(null, 0, 1)", NPE, "a is null", o -> o.max((float[]) null, 0, 1)));
    c.add(bad("add(null, b, out)", NPE, "a is null", o -> o.add(null, b, out), b, out));
    c.add(bad("sub(a, null, out)", NPE, "b is null", o -> o.sub(a, null, out), a, out));
    c.add(bad("mul(a, b, null)", NPE, "out is null", o -> o.mul(a, b, null), a, b));
    c.add(
        bad(
            "div(a, 0, b, 0, null, 0, 1)",
            NPE,
            "out is null",
            o -> o.div(a, 0, b, 0, null, 0, 1),
            a,
            b));
    c.add(bad("scale(2, null, out)", NPE, "x is null", o -> o.scale(2f, null, out), out));
    c.add(bad("scale(2, x, null)", NPE, "out is null", o -> o.scale(2f, a, null), a));
    c.add(bad("axpy(2, null, y)", NPE, "x is null", o -> o.axpy(2f, null, out), out));
    c.add(bad("axpy(2, x, null)", NPE, "y is null", o -> o.axpy(2f, a, null), a));
    c.add(bad("axpy range, null y", NPE, "y is null", o -> o.axpy(2f, a, 0, null, 0, 1), a));
    c.add(bad("fma(null, b, c, out)", NPE, "a is null", o -> o.fma(null, b, cc, out), b, cc, out));
    c.add(bad("fma(a, null, c, out)", NPE, "b is null", o -> o.fma(a, null, cc, out), a, cc, out));
    c.add(bad("fma(a, b, null, out)", NPE, "c is null", o -> o.fma(a, b, null, out), a, b, out));
    c.add(bad("fma(a, b, c, null)", NPE, "out is null", o -> o.fma(a, b, cc, null), a, b, cc));
    c.add(
        bad(
            "fma range, null c",
            NPE,
            "c is null",
            o -> o.fma(a, 0, b, 0, null, 0, out, 0, 1),
            a,
            b,
            out));
    c.add(bad("exp(null, out)", NPE, "x is null", o -> o.exp(null, out), out));
    c.add(bad("exp(x, null)", NPE, "out is null", o -> o.exp(a, null), a));
    // whole arrays of different lengths
    c.add(bad("dot(6, 5)", IAE, "a.length=6|b.length=5", o -> o.dot(a, five), a, five));
    c.add(bad("add(6, 5, 6)", IAE, "a.length=6|b.length=5", o -> o.add(a, five, out), a, out));
    c.add(bad("sub(6, 6, 7)", IAE, "a.length=6|out.length=7", o -> o.sub(a, b, seven), seven));
    c.add(bad("mul(5, 6, 6)", IAE, "a.length=5|b.length=6", o -> o.mul(five, b, out), out));
    c.add(bad("div(6, 7, 6)", IAE, "a.length=6|b.length=7", o -> o.div(a, seven, out), out));
    c.add(bad("scale(6, 5)", IAE, "x.length=6|out.length=5", o -> o.scale(2f, a, five), five));
    c.add(bad("axpy(6, 7)", IAE, "x.length=6|y.length=7", o -> o.axpy(2f, a, seven), seven));
    c.add(bad("fma(6, 6, 5, 6)", IAE, "a.length=6|c.length=5", o -> o.fma(a, b, five, out), out));
    c.add(bad("fma(6, 6, 6, 7)", IAE, "a.length=6|out.length=7", o -> o.fma(a, b, cc, seven)));
    c.add(bad("exp(6, 5)", IAE, "x.length=6|out.length=5", o -> o.exp(a, five), five));
    // ranges outside their arrays
    String tooLong = "offset 3|length 4|array of length 6";
    c.add(bad("sum(a, 3, 4)", IOOBE, "a: " + tooLong, o -> o.sum(a, 3, 4)));
    c.add(bad("sum(a, -1, 2)", IOOBE, "a: offset -1|length 2", o -> o.sum(a, -1, 2)));
    c.add(bad("sum(a, 7, 0)", IOOBE, "a: offset 7|length 0", o -> o.sum(a, 7, 0)));
    c.add(bad("dot b too long", IOOBE, "b: " + tooLong, o -> o.dot(a, 0, b, 3, 4)));
    c.add(bad("min(a, 6, 1)", IOOBE, "a: offset 6|length 1", o -> o.min(a, 6, 1)));
    c.add(bad("max(a, 0, 7)", IOOBE, "a: offset 0|length 7", o -> o.max(a, 0, 7)));
    c.add(bad("add a", IOOBE, "a: " + tooLong, o -> o.add(a, 3, b, 0, out, 0, 4), out));
    c.add(bad("sub b", IOOBE, "b: " + tooLong, o -> o.sub(a, 0, b, 3, out, 0, 4), out));
    c.add(bad("mul out", IOOBE, "out: " + tooLong, o -> o.mul(a, 0, b, 0, out, 3, 4), out));
    c.add(bad("div out -1", IOOBE, "out: offset -1", o -> o.div(a, 0, b, 0, out, -1, 4), out));
    c.add(bad("scale x", IOOBE, "x: " + tooLong, o -> o.scale(2f, a, 3, out, 0, 4), out));
    c.add(bad("scale out", IOOBE, "out: " + tooLong, o -> o.scale(2f, a, 0, out, 3, 4), out));
    c.add(bad("axpy x", IOOBE, "x: " + tooLong, o -> o.axpy(2f, a, 3, out, 0, 4), out));
    c.add(bad("axpy y", IOOBE, "y: " + tooLong, o -> o.axpy(2f, a, 0, out, 3, 4), out));
    c.add(bad("fma c", IOOBE, "c: " + tooLong, o -> o.fma(a, 0, b, 0, cc, 3, out, 0, 4), out));
    c.add(bad("fma out", IOOBE, "out: " + tooLong, o -> o.fma(a, 0, b, 0, cc, 0, out, 3, 4), out));
    c.add(bad("exp x", IOOBE, "x: " + tooLong, o -> o.exp(a, 3, out, 0, 4), out));
    c.add(bad("exp out", IOOBE, "out: " + tooLong, o -> o.exp(a, 0, out, 3, 4), out));
    // negative lengths
    String negative = "length is negative: -1";
    c.add(bad("sum length -1", IAE, negative, o -> o.sum(a, 0, -1)));
    c.add(bad("dot length -1", IAE, negative, o -> o.dot(a, 0, b, 0, -1)));
    c.add(bad("min length -1", IAE, negative, o -> o.min(a, 0, -1)));
    c.add(bad("add length -1", IAE, negative, o -> o.add(a, 0, b, 0, out, 0, -1), out));
    c.add(bad("scale length -1", IAE, negative, o -> o.scale(2f, a, 0, out, 0, -1), out));
    c.add(bad("axpy length -1", IAE, negative, o -> o.axpy(2f, a, 0, out, 0, -1), out));
    c.add(bad("fma length -1", IAE, negative, o -> o.fma(a, 0, b, 0, cc, 0, out, 0, -1), out));
    c.add(bad("exp length -1", IAE, negative, o -> o.exp(a, 0, out, 0, -1), out));
    // outputs that partially overlap an input
    float[] s = f(12);
    String shifted = "overlaps|without being the same range";
    c.add(
        bad(
            "add out overlaps a",
            IAE,
            "out overlaps a|a=[0, 6)|out=[2, 8)",
            o -> o.add(s, 0, b, 0, s, 2, 6),
            s));
    c.add(
        bad(
            "sub out overlaps b",
            IAE,
            "out overlaps b|b=[3, 9)|out=[1, 7)",
            o -> o.sub(a, 0, s, 3, s, 1, 6),
            s));
    c.add(bad("mul", IAE, "out " + shifted, o -> o.mul(s, 5, s, 5, s, 0, 6), s));
    c.add(bad("div", IAE, "out " + shifted, o -> o.div(s, 0, b, 0, s, 5, 6), s));
    c.add(bad("scale", IAE, "out overlaps x|", o -> o.scale(2f, s, 0, s, 1, 6), s));
    c.add(bad("axpy", IAE, "y overlaps x|x=[0, 6)|y=[4, 10)", o -> o.axpy(2f, s, 0, s, 4, 6), s));
    c.add(
        bad(
            "fma out overlaps c",
            IAE,
            "out overlaps c|",
            o -> o.fma(a, 0, b, 0, s, 1, s, 0, 6),
            s));
    c.add(bad("exp", IAE, "out overlaps x|", o -> o.exp(s, 1, s, 0, 6), s));
    // min and max of nothing
    c.add(bad("min(empty)", IAE, "min|empty|a has length 0", o -> o.min(new float[0])));
    c.add(bad("max(a, 3, 0)", IAE, "max|empty|a has length 0", o -> o.max(a, 3, 0)));
    // every listed case keeps all of its arrays untouched; add the shared ones to each
    List<Bad> withShared = new ArrayList<>();
    for (Bad x : c) {
      List<Object> arrays = new ArrayList<>(x.arrays());
      arrays.addAll(List.of(a, b, cc, out, five, seven, s));
      withShared.add(new Bad("float " + x.name(), x.type(), x.fragments(), x.call(), arrays));
    }
    return withShared;
  }

  static List<Bad> doubleCases() {
    List<Bad> c = new ArrayList<>();
    double[] a = d(6);
    double[] b = d(6);
    double[] cc = d(6);
    double[] out = d(6);
    double[] five = d(5);
    double[] seven = d(7);
    c.add(bad("sum(null)", NPE, "a is null", o -> o.sum((double[]) null)));
    c.add(bad("dot(a, null)", NPE, "b is null", o -> o.dot(a, null)));
    c.add(bad("max(null)", NPE, "a is null", o -> o.max((double[]) null)));
    c.add(bad("min(null, 0, 1)", NPE, "a is null", o -> o.min((double[]) null, 0, 1)));
    c.add(bad("add(a, b, null)", NPE, "out is null", o -> o.add(a, b, null)));
    c.add(bad("sub(null, b, out)", NPE, "a is null", o -> o.sub(null, b, out)));
    c.add(bad("mul(a, null, out)", NPE, "b is null", o -> o.mul(a, null, out)));
    c.add(bad("div range", NPE, "b is null", o -> o.div(a, 0, null, 0, out, 0, 1)));
    c.add(bad("scale(null)", NPE, "x is null", o -> o.scale(2.0, null, out)));
    c.add(bad("axpy(x, null)", NPE, "y is null", o -> o.axpy(2.0, a, null)));
    c.add(bad("fma(a, b, null, out)", NPE, "c is null", o -> o.fma(a, b, null, out)));
    c.add(bad("exp(x, null)", NPE, "out is null", o -> o.exp(a, null)));
    c.add(bad("dot(6, 7)", IAE, "a.length=6|b.length=7", o -> o.dot(a, seven)));
    c.add(bad("add(6, 6, 5)", IAE, "a.length=6|out.length=5", o -> o.add(a, b, five)));
    c.add(bad("sub(6, 5, 6)", IAE, "a.length=6|b.length=5", o -> o.sub(a, five, out)));
    c.add(bad("mul(7, 6, 6)", IAE, "a.length=7|b.length=6", o -> o.mul(seven, b, out)));
    c.add(bad("div(6, 6, 7)", IAE, "a.length=6|out.length=7", o -> o.div(a, b, seven)));
    c.add(bad("scale(6, 7)", IAE, "x.length=6|out.length=7", o -> o.scale(2.0, a, seven)));
    c.add(bad("axpy(6, 5)", IAE, "x.length=6|y.length=5", o -> o.axpy(2.0, a, five)));
    c.add(bad("fma(6, 6, 7, 6)", IAE, "a.length=6|c.length=7", o -> o.fma(a, b, seven, out)));
    c.add(bad("exp(6, 7)", IAE, "x.length=6|out.length=7", o -> o.exp(a, seven)));
    String tooLong = "offset 3|length 4|array of length 6";
    c.add(bad("sum(a, 3, 4)", IOOBE, "a: " + tooLong, o -> o.sum(a, 3, 4)));
    c.add(bad("dot a", IOOBE, "a: " + tooLong, o -> o.dot(a, 3, b, 0, 4)));
    c.add(bad("min(a, -2, 1)", IOOBE, "a: offset -2|length 1", o -> o.min(a, -2, 1)));
    c.add(bad("add out", IOOBE, "out: " + tooLong, o -> o.add(a, 0, b, 0, out, 3, 4)));
    c.add(bad("sub a", IOOBE, "a: " + tooLong, o -> o.sub(a, 3, b, 0, out, 0, 4)));
    c.add(bad("mul b", IOOBE, "b: " + tooLong, o -> o.mul(a, 0, b, 3, out, 0, 4)));
    c.add(bad("div out", IOOBE, "out: " + tooLong, o -> o.div(a, 0, b, 0, out, 3, 4)));
    c.add(bad("scale out", IOOBE, "out: " + tooLong, o -> o.scale(2.0, a, 0, out, 3, 4)));
    c.add(bad("axpy y", IOOBE, "y: " + tooLong, o -> o.axpy(2.0, a, 0, out, 3, 4)));
    c.add(bad("fma c", IOOBE, "c: " + tooLong, o -> o.fma(a, 0, b, 0, cc, 3, out, 0, 4)));
    c.add(bad("exp x", IOOBE, "x: " + tooLong, o -> o.exp(a, 3, out, 0, 4)));
    String negative = "length is negative: -3";
    c.add(bad("sum length -3", IAE, negative, o -> o.sum(a, 0, -3)));
    c.add(bad("max length -3", IAE, negative, o -> o.max(a, 0, -3)));
    c.add(bad("div length -3", IAE, negative, o -> o.div(a, 0, b, 0, out, 0, -3)));
    c.add(bad("exp length -3", IAE, negative, o -> o.exp(a, 0, out, 0, -3)));
    double[] s = d(12);
    c.add(bad("add", IAE, "out overlaps a|a=[0, 6)|out=[2, 8)", o -> o.add(s, 0, b, 0, s, 2, 6)));
    c.add(bad("mul", IAE, "out overlaps b|", o -> o.mul(a, 0, s, 0, s, 5, 6)));
    c.add(bad("scale", IAE, "out overlaps x|", o -> o.scale(2.0, s, 3, s, 0, 6)));
    c.add(bad("axpy", IAE, "y overlaps x|", o -> o.axpy(2.0, s, 1, s, 0, 6)));
    c.add(bad("fma", IAE, "out overlaps a|", o -> o.fma(s, 0, b, 0, cc, 0, s, 1, 6)));
    c.add(bad("exp", IAE, "out overlaps x|", o -> o.exp(s, 0, s, 3, 6)));
    c.add(bad("min(empty)", IAE, "min|empty|a has length 0", o -> o.min(new double[0])));
    c.add(bad("max(a, 6, 0)", IAE, "max|empty|a has length 0", o -> o.max(a, 6, 0)));
    List<Bad> withShared = new ArrayList<>();
    for (Bad x : c) {
      List<Object> arrays = new ArrayList<>(x.arrays());
      arrays.addAll(List.of(a, b, cc, out, five, seven, s));
      withShared.add(new Bad("double " + x.name(), x.type(), x.fragments(), x.call(), arrays));
    }
    return withShared;
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
      if (array instanceof float[] fa) {
        assertArrayEquals((float[]) before.get(i), fa, "an array was written before the throw");
      } else {
        assertArrayEquals(
            (double[]) before.get(i), (double[]) array, "an array was written before the throw");
      }
    }
  }

  private static Object copy(Object array) {
    return array instanceof float[] fa ? fa.clone() : ((double[]) array).clone();
  }

  // ---------------------------------------------------------------- what is allowed

  /** Long enough that MIMD, SIMD_MIMD and AUTO all fork. */
  private static final int N = 5 * BLOCK + 3;

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exactlyAliasedFloatOutputsWork(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    float[] x = TestData.floats(Kind.WIDE, N, 51);
    float[] y = TestData.floats(Kind.WIDE, N, 52);

    float[] a = x.clone();
    ops.add(a, a, a);
    for (int i = 0; i < N; i++) {
      assertEquals(2 * x[i], a[i], "add(a, a, a) doubles a at " + i);
    }
    a = x.clone();
    ops.sub(a, y, a);
    float[] b = y.clone();
    ops.mul(x, b, b);
    float[] q = x.clone();
    ops.div(q, 0, y, 0, q, 0, N);
    float[] sc = x.clone();
    ops.scale(3f, sc, sc);
    float[] ax = x.clone();
    ops.axpy(0.5f, ax, ax);
    float[] fm = y.clone();
    ops.fma(x, fm, fm, fm);
    float[] ex = TestData.floats(Kind.EXP_ARG, N, 53).clone();
    float[] exIn = ex.clone();
    ops.exp(ex, ex);
    for (int i = 0; i < N; i++) {
      assertEquals((float) ((double) x[i] - y[i]), a[i], "sub(a, y, a) at " + i);
      assertEquals((float) ((double) x[i] * y[i]), b[i], "mul(x, b, b) at " + i);
      assertEquals((float) ((double) x[i] / y[i]), q[i], "div in place at " + i);
      assertEquals((float) (3.0 * x[i]), sc[i], "scale(3, x, x) at " + i);
      float axpy = TestData.USE_FMA ? Ref.fma(0.5f, x[i], x[i]) : (0.5f * x[i]) + x[i];
      assertEquals(axpy, ax[i], "axpy(0.5, x, x) at " + i);
      assertEquals(Ref.fma(x[i], y[i], y[i]), fm[i], "fma(x, y, y, y) at " + i);
      assertTrue(Ref.ulpsFloat(ex[i], StrictMath.exp(exIn[i])) <= 1.0, "exp(x, x) at " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exactlyAliasedDoubleOutputsWork(Mode mode) {
    FlynnOps ops = flynn.using(mode);
    double[] x = TestData.doubles(Kind.WIDE, N, 54);
    double[] y = TestData.doubles(Kind.WIDE, N, 55);
    double[] a = x.clone();
    ops.add(a, a, a);
    double[] s = x.clone();
    ops.sub(s, 0, y, 0, s, 0, N);
    double[] sc = x.clone();
    ops.scale(3.0, sc, sc);
    double[] ax = x.clone();
    ops.axpy(0.5, ax, ax);
    double[] fm = y.clone();
    ops.fma(fm, x, fm, fm);
    for (int i = 0; i < N; i++) {
      assertEquals(2 * x[i], a[i], "add(a, a, a) doubles a at " + i);
      assertEquals(x[i] - y[i], s[i], "sub in place at " + i);
      assertEquals(3.0 * x[i], sc[i], "scale(3, x, x) at " + i);
      double axpy = TestData.USE_FMA ? Ref.fma(0.5, x[i], x[i]) : 0.5 * x[i] + x[i];
      assertEquals(axpy, ax[i], "axpy(0.5, x, x) at " + i);
      assertEquals(Ref.fma(y[i], x[i], y[i]), fm[i], "fma(y, x, y, y) at " + i);
    }
  }

  /** Disjoint windows of one array are separate ranges, and allowed. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void disjointWindowsOfOneArrayWork(Mode mode) {
    int n = 2 * BLOCK + 9;
    float[] a = TestData.floats(Kind.WIDE, 2 * n, 56).clone();
    float[] in = a.clone();
    flynn.using(mode).add(a, 0, a, 0, a, n, n); // second half = 2 * first half
    for (int i = 0; i < n; i++) {
      assertEquals(in[i], a[i], "the input window is untouched");
      assertEquals(2 * in[i], a[n + i], "the output window at " + i);
    }
    double[] d = TestData.doubles(Kind.WIDE, 2 * n, 57).clone();
    double[] din = d.clone();
    flynn.using(mode).scale(-1.0, d, n, d, 0, n); // first half = -second half
    for (int i = 0; i < n; i++) {
      assertEquals(-din[n + i], d[i], "the output window at " + i);
      assertEquals(din[n + i], d[n + i], "the input window is untouched");
    }
  }

  @Test
  void emptyRangesAreFine() {
    for (Mode mode : Mode.values()) {
      FlynnOps ops = flynn.using(mode);
      float[] a = f(3);
      ops.add(a, 3, a, 3, a, 3, 0);
      ops.exp(a, 0, a, 0, 0);
      ops.axpy(1f, a, 1, a, 2, 0); // overlapping windows of length 0 overlap nothing
      assertEquals(0f, ops.sum(a, 3, 0));
      assertArrayEquals(f(3), a);
    }
  }

  // ---------------------------------------------------------------- builder

  @Test
  void builderRejectsBadThreadCountsAndNullMode() {
    for (int bad : new int[] {0, -1, Flynn.Builder.MAX_THREADS + 1, Integer.MIN_VALUE}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Flynn.builder().threads(bad));
      assertTrue(e.getMessage().contains("threads"), e.getMessage());
      assertTrue(e.getMessage().contains(Integer.toString(bad)), e.getMessage());
    }
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> Flynn.builder().mode(null));
    assertTrue(npe.getMessage().contains("mode"), npe.getMessage());
    assertThrows(NullPointerException.class, () -> flynn.using(null));
  }

  @Test
  void builderKeepsThreadsAndMode() {
    try (Flynn engine = Flynn.builder().threads(1).mode(Mode.SISD).build()) {
      assertEquals(1, engine.threads());
      assertEquals(Mode.SISD, engine.mode());
      assertEquals(Mode.MIMD, engine.using(Mode.MIMD).mode());
      assertEquals(1, engine.using(Mode.MIMD).threads());
    }
    try (Flynn engine = Flynn.create()) {
      assertEquals(Runtime.getRuntime().availableProcessors(), engine.threads());
      assertEquals(Mode.AUTO, engine.mode());
    }
  }
}
