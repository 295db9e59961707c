package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.BadInputTest.Bad;
import dev.flynn.engine.BadInputTest.Call;
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
 * The argument checks of the similarity kernels: exception type, a message naming the argument and
 * its values (the shape: rows, dim, rowStride, lengths), and no write before the throw; in every
 * mode, for floats and doubles. Same scheme as {@link BadInputTest}.
 */
class SimilarityBadInputTest {

  private static final float FS = -7.25f;
  private static final double DS = -7.25;
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
      String name,
      Class<? extends RuntimeException> type,
      String fragments,
      Call call,
      Object... arrays) {
    return new Bad(name, type, List.of(fragments.split("\\|")), call, Arrays.asList(arrays));
  }

  static List<Bad> floatCases() {
    List<Bad> c = new ArrayList<>();
    float[] a = f(6);
    float[] b = f(6);
    float[] five = f(5);
    float[] q = f(3);
    float[] m = f(6);
    float[] s = f(2);
    // nulls
    c.add(bad("cosine(null, b)", NPE, "a is null", o -> o.cosine(null, b)));
    c.add(bad("cosine(a, null)", NPE, "b is null", o -> o.cosine(a, null)));
    c.add(bad("cosine range null b", NPE, "b is null", o -> o.cosine(a, 0, null, 0, 1)));
    c.add(bad("squaredDistance(null, b)", NPE, "a is null", o -> o.squaredDistance(null, b)));
    c.add(bad("squaredDistance(a, null)", NPE, "b is null", o -> o.squaredDistance(a, null)));
    c.add(bad("dotScores null query", NPE, "query is null", o -> o.dotScores(null, m, 2, 3, s), s));
    c.add(
        bad(
            "cosineScores null matrix",
            NPE,
            "matrix is null",
            o -> o.cosineScores(q, null, 2, 3, s),
            s));
    c.add(
        bad(
            "squaredDistanceScores null scores",
            NPE,
            "scores is null",
            o -> o.squaredDistanceScores(q, m, 2, 3, null)));
    c.add(
        bad(
            "dotScores range null scores",
            NPE,
            "scores is null",
            o -> o.dotScores(q, 0, m, 0, 2, 3, 3, null, 0)));
    c.add(
        bad(
            "cosineScores range null query",
            NPE,
            "query is null",
            o -> o.cosineScores(null, 0, m, 0, 2, 3, 3, s, 0),
            s));
    // lengths and shapes
    c.add(bad("cosine(6, 5)", IAE, "a.length=6|b.length=5", o -> o.cosine(a, five)));
    c.add(
        bad(
            "squaredDistance(6, 5)",
            IAE,
            "a.length=6|b.length=5",
            o -> o.squaredDistance(a, five)));
    c.add(
        bad(
            "cosine of empty vectors",
            IAE,
            "cosine of empty vectors is undefined|length is 0",
            o -> o.cosine(a, 0, b, 0, 0)));
    c.add(bad("cosine(empty, empty)", IAE, "cosine of empty vectors", o -> o.cosine(f(0), f(0))));
    c.add(
        bad(
            "squaredDistance length -1",
            IAE,
            "length is negative: -1",
            o -> o.squaredDistance(a, 0, b, 0, -1)));
    c.add(
        bad(
            "dotScores matrix.length",
            IAE,
            "dotScores: matrix.length=5 but rows * dim = 2 * 3 = 6",
            o -> o.dotScores(q, five, 2, 3, s),
            s));
    c.add(
        bad(
            "cosineScores query.length",
            IAE,
            "cosineScores: query.length=5 but dim=3",
            o -> o.cosineScores(five, m, 2, 3, s),
            s));
    c.add(
        bad(
            "squaredDistanceScores scores.length",
            IAE,
            "scores.length=5 but rows=2",
            o -> o.squaredDistanceScores(q, m, 2, 3, five),
            five));
    c.add(
        bad(
            "dotScores rows -1",
            IAE,
            "dotScores: rows is negative: -1",
            o -> o.dotScores(q, m, -1, 3, s),
            s));
    c.add(
        bad(
            "dotScores dim -1",
            IAE,
            "dotScores: dim is negative: -1",
            o -> o.dotScores(q, 0, m, 0, 2, -1, 3, s, 0),
            s));
    c.add(
        bad(
            "cosineScores dim 0",
            IAE,
            "cosineScores of empty vectors is undefined: dim is 0",
            o -> o.cosineScores(f(0), f(0), 2, 0, s),
            s));
    c.add(
        bad(
            "cosineScores range dim 0",
            IAE,
            "dim is 0",
            o -> o.cosineScores(q, 0, m, 0, 2, 0, 3, s, 0),
            s));
    c.add(
        bad(
            "dotScores rowStride < dim",
            IAE,
            "dotScores: rowStride=2 is less than dim=3",
            o -> o.dotScores(q, 0, m, 0, 2, 3, 2, s, 0),
            s));
    // ranges outside their arrays
    c.add(
        bad(
            "cosine b too long",
            IOOBE,
            "b: offset 3|length 4|array of length 6",
            o -> o.cosine(a, 0, b, 3, 4)));
    c.add(
        bad(
            "squaredDistance a at -1",
            IOOBE,
            "a: offset -1",
            o -> o.squaredDistance(a, -1, b, 0, 2)));
    c.add(
        bad(
            "dotScores matrix span",
            IOOBE,
            "matrix: offset 0 with rows=2, dim=3, rowStride=4 needs 7 elements from the offset, in an array of length 6",
            o -> o.dotScores(q, 0, m, 0, 2, 3, 4, s, 0),
            s));
    c.add(
        bad(
            "cosineScores matrix offset -1",
            IOOBE,
            "matrix: offset -1",
            o -> o.cosineScores(q, 0, m, -1, 1, 3, 3, s, 0),
            s));
    c.add(
        bad(
            "squaredDistanceScores matrix offset",
            IOOBE,
            "matrix: offset 4 with rows=1",
            o -> o.squaredDistanceScores(q, 0, m, 4, 1, 3, 3, s, 0),
            s));
    c.add(
        bad(
            "dotScores query range",
            IOOBE,
            "dotScores: query: offset 1 and length 3 do not fit in an array of length 3",
            o -> o.dotScores(q, 1, m, 0, 2, 3, 3, s, 0),
            s));
    c.add(
        bad(
            "cosineScores scores range",
            IOOBE,
            "cosineScores: scores: offset 1 and length 2",
            o -> o.cosineScores(q, 0, m, 0, 2, 3, 3, s, 1),
            s));
    // scores that overlap what is read
    float[] all = f(20);
    c.add(
        bad(
            "scores overlap the matrix",
            IAE,
            "dotScores: scores=[8, 10) overlaps matrix=[3, 9) of the same array",
            o -> o.dotScores(all, 0, all, 3, 2, 3, 3, all, 8),
            all));
    c.add(
        bad(
            "scores overlap the query",
            IAE,
            "scores=[2, 4) overlaps query=[0, 3)",
            o -> o.cosineScores(all, 0, all, 10, 2, 3, 3, all, 2),
            all));
    c.add(
        bad(
            "scores overlap a strided gap",
            IAE,
            "overlaps matrix=[3, 11)",
            o -> o.squaredDistanceScores(all, 0, all, 3, 2, 3, 5, all, 6),
            all));
    return c;
  }

  static List<Bad> doubleCases() {
    List<Bad> c = new ArrayList<>();
    double[] a = d(6);
    double[] b = d(6);
    double[] five = d(5);
    double[] q = d(3);
    double[] m = d(6);
    double[] s = d(2);
    // nulls
    c.add(bad("cosine(null, b)", NPE, "a is null", o -> o.cosine(null, b)));
    c.add(bad("cosine(a, null)", NPE, "b is null", o -> o.cosine(a, null)));
    c.add(bad("cosine range null b", NPE, "b is null", o -> o.cosine(a, 0, null, 0, 1)));
    c.add(bad("squaredDistance(null, b)", NPE, "a is null", o -> o.squaredDistance(null, b)));
    c.add(bad("squaredDistance(a, null)", NPE, "b is null", o -> o.squaredDistance(a, null)));
    c.add(bad("dotScores null query", NPE, "query is null", o -> o.dotScores(null, m, 2, 3, s), s));
    c.add(
        bad(
            "cosineScores null matrix",
            NPE,
            "matrix is null",
            o -> o.cosineScores(q, null, 2, 3, s),
            s));
    c.add(
        bad(
            "squaredDistanceScores null scores",
            NPE,
            "scores is null",
            o -> o.squaredDistanceScores(q, m, 2, 3, null)));
    c.add(
        bad(
            "dotScores range null scores",
            NPE,
            "scores is null",
            o -> o.dotScores(q, 0, m, 0, 2, 3, 3, null, 0)));
    c.add(
        bad(
            "cosineScores range null query",
            NPE,
            "query is null",
            o -> o.cosineScores(null, 0, m, 0, 2, 3, 3, s, 0),
            s));
    // lengths and shapes
    c.add(bad("cosine(6, 5)", IAE, "a.length=6|b.length=5", o -> o.cosine(a, five)));
    c.add(
        bad(
            "squaredDistance(6, 5)",
            IAE,
            "a.length=6|b.length=5",
            o -> o.squaredDistance(a, five)));
    c.add(
        bad(
            "cosine of empty vectors",
            IAE,
            "cosine of empty vectors is undefined|length is 0",
            o -> o.cosine(a, 0, b, 0, 0)));
    c.add(bad("cosine(empty, empty)", IAE, "cosine of empty vectors", o -> o.cosine(d(0), d(0))));
    c.add(
        bad(
            "squaredDistance length -1",
            IAE,
            "length is negative: -1",
            o -> o.squaredDistance(a, 0, b, 0, -1)));
    c.add(
        bad(
            "dotScores matrix.length",
            IAE,
            "dotScores: matrix.length=5 but rows * dim = 2 * 3 = 6",
            o -> o.dotScores(q, five, 2, 3, s),
            s));
    c.add(
        bad(
            "cosineScores query.length",
            IAE,
            "cosineScores: query.length=5 but dim=3",
            o -> o.cosineScores(five, m, 2, 3, s),
            s));
    c.add(
        bad(
            "squaredDistanceScores scores.length",
            IAE,
            "scores.length=5 but rows=2",
            o -> o.squaredDistanceScores(q, m, 2, 3, five),
            five));
    c.add(
        bad(
            "dotScores rows -1",
            IAE,
            "dotScores: rows is negative: -1",
            o -> o.dotScores(q, m, -1, 3, s),
            s));
    c.add(
        bad(
            "dotScores dim -1",
            IAE,
            "dotScores: dim is negative: -1",
            o -> o.dotScores(q, 0, m, 0, 2, -1, 3, s, 0),
            s));
    c.add(
        bad(
            "cosineScores dim 0",
            IAE,
            "cosineScores of empty vectors is undefined: dim is 0",
            o -> o.cosineScores(d(0), d(0), 2, 0, s),
            s));
    c.add(
        bad(
            "cosineScores range dim 0",
            IAE,
            "dim is 0",
            o -> o.cosineScores(q, 0, m, 0, 2, 0, 3, s, 0),
            s));
    c.add(
        bad(
            "dotScores rowStride < dim",
            IAE,
            "dotScores: rowStride=2 is less than dim=3",
            o -> o.dotScores(q, 0, m, 0, 2, 3, 2, s, 0),
            s));
    // ranges outside their arrays
    c.add(
        bad(
            "cosine b too long",
            IOOBE,
            "b: offset 3|length 4|array of length 6",
            o -> o.cosine(a, 0, b, 3, 4)));
    c.add(
        bad(
            "squaredDistance a at -1",
            IOOBE,
            "a: offset -1",
            o -> o.squaredDistance(a, -1, b, 0, 2)));
    c.add(
        bad(
            "dotScores matrix span",
            IOOBE,
            "matrix: offset 0 with rows=2, dim=3, rowStride=4 needs 7 elements from the offset, in an array of length 6",
            o -> o.dotScores(q, 0, m, 0, 2, 3, 4, s, 0),
            s));
    c.add(
        bad(
            "cosineScores matrix offset -1",
            IOOBE,
            "matrix: offset -1",
            o -> o.cosineScores(q, 0, m, -1, 1, 3, 3, s, 0),
            s));
    c.add(
        bad(
            "squaredDistanceScores matrix offset",
            IOOBE,
            "matrix: offset 4 with rows=1",
            o -> o.squaredDistanceScores(q, 0, m, 4, 1, 3, 3, s, 0),
            s));
    c.add(
        bad(
            "dotScores query range",
            IOOBE,
            "dotScores: query: offset 1 and length 3 do not fit in an array of length 3",
            o -> o.dotScores(q, 1, m, 0, 2, 3, 3, s, 0),
            s));
    c.add(
        bad(
            "cosineScores scores range",
            IOOBE,
            "cosineScores: scores: offset 1 and length 2",
            o -> o.cosineScores(q, 0, m, 0, 2, 3, 3, s, 1),
            s));
    // scores that overlap what is read
    double[] all = d(20);
    c.add(
        bad(
            "scores overlap the matrix",
            IAE,
            "dotScores: scores=[8, 10) overlaps matrix=[3, 9) of the same array",
            o -> o.dotScores(all, 0, all, 3, 2, 3, 3, all, 8),
            all));
    c.add(
        bad(
            "scores overlap the query",
            IAE,
            "scores=[2, 4) overlaps query=[0, 3)",
            o -> o.cosineScores(all, 0, all, 10, 2, 3, 3, all, 2),
            all));
    c.add(
        bad(
            "scores overlap a strided gap",
            IAE,
            "overlaps matrix=[3, 11)",
            o -> o.squaredDistanceScores(all, 0, all, 3, 2, 3, 5, all, 6),
            all));
    return c;
  }

  static Stream<Arguments> badCalls() {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Bad bad : floatCases()) {
        all.add(Arguments.of(bad, mode));
      }
      for (Bad bad : doubleCases()) {
        all.add(
            Arguments.of(
                new Bad(
                    "double " + bad.name(), bad.type(), bad.fragments(), bad.call(), bad.arrays()),
                mode));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("badCalls")
  void badCallThrowsANamedExceptionAndWritesNothing(Bad bad, Mode mode) {
    List<Object> before = new ArrayList<>();
    for (Object array : bad.arrays()) {
      before.add(array instanceof float[] fa ? fa.clone() : ((double[]) array).clone());
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
}
