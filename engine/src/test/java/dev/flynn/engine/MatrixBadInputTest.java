package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The argument checks of gemm and gemv: the exception type, a message naming the argument and its
 * values, and no write to the output before the throw, in every mode.
 */
class MatrixBadInputTest {

  private static final float S = -7.25f; // sentinel in every array
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
    void run(FlynnOps ops, float[] a, float[] b, float[] c, double[] ad, double[] bd, double[] cd);
  }

  record Bad(
      String name, Class<? extends RuntimeException> type, List<String> fragments, Call call) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Bad bad(
      String name, Class<? extends RuntimeException> type, Call call, String... fragments) {
    return new Bad(name, type, List.of(fragments), call);
  }

  // A is 4 x 5 (20), B is 5 x 6 (30), C is 4 x 6 (24) in arrays of 40.
  static Stream<Bad> cases() {
    List<Bad> all = new ArrayList<>();

    {
      Class<IllegalArgumentException> iae = IllegalArgumentException.class;
      Class<IndexOutOfBoundsException> oob = IndexOutOfBoundsException.class;
      all.add(
          bad(
              "null a",
              NullPointerException.class,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, 5, 1f, null, 0, 5, b, 0, 6, 0f, c, 0, 6),
              "a is null"));
      all.add(
          bad(
              "null c double",
              NullPointerException.class,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, 5, 1, ad, 0, 5, bd, 0, 6, 0, null, 0, 6),
              "c is null"));
      all.add(
          bad(
              "negative m",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, -1, 6, 5, 1f, a, 0, 5, b, 0, 6, 0f, c, 0, 6),
              "m is negative: -1"));
      all.add(
          bad(
              "negative k double",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, -2, 1, ad, 0, 5, bd, 0, 6, 0, cd, 0, 6),
              "k is negative: -2"));
      all.add(
          bad(
              "lda below width",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, 5, 1f, a, 0, 4, b, 0, 6, 0f, c, 0, 6),
              "lda=4",
              "5 columns"));
      all.add(
          bad(
              "lda below width transposed",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(true, false, 4, 6, 5, 1f, a, 0, 3, b, 0, 6, 0f, c, 0, 6),
              "lda=3",
              "4 columns",
              "transA"));
      all.add(
          bad(
              "ldb below width transposed",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, true, 4, 6, 5, 1, ad, 0, 5, bd, 0, 4, 0, cd, 0, 6),
              "ldb=4",
              "5 columns",
              "transB"));
      all.add(
          bad(
              "ldc below width",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, 5, 1f, a, 0, 5, b, 0, 6, 0f, c, 0, 5),
              "ldc=5",
              "6 columns"));
      all.add(
          bad(
              "ldc zero",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 0, 5, 1f, a, 0, 5, b, 0, 1, 0f, c, 0, 0),
              "ldc=0"));
      all.add(
          bad(
              "a too short",
              oob,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, 5, 1f, a, 25, 5, b, 0, 6, 0f, c, 0, 6),
              "a:",
              "offset 25",
              "needs 20",
              "length 40"));
      all.add(
          bad(
              "b too short with wide ldb",
              oob,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, 5, 1, ad, 0, 5, bd, 0, 9, 0, cd, 0, 6),
              "b:",
              "ldb=9",
              "needs 42"));
      all.add(
          bad(
              "c negative offset",
              oob,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 4, 6, 5, 1f, a, 0, 5, b, 0, 6, 0f, c, -1, 6),
              "c:",
              "offset -1"));
      all.add(
          bad(
              "c overlaps a",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 2, 6, 2, 1f, a, 0, 2, b, 0, 6, 0f, a, 3, 6),
              "c overlaps a",
              "c=[3, 15)",
              "a=[0, 4)"));
      all.add(
          bad(
              "c is b double",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(false, false, 2, 6, 2, 1, ad, 0, 2, bd, 0, 6, 0, bd, 0, 6),
              "c overlaps b"));
      all.add(
          bad(
              "whole a shape",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(4, 6, 5, 1f, a, Arrays.copyOf(b, 30), 0f, Arrays.copyOf(c, 24)),
              "a.length=40",
              "m * k = 4 * 5 = 20"));
      all.add(
          bad(
              "whole c shape double",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemm(4, 6, 5, 1, Arrays.copyOf(ad, 20), Arrays.copyOf(bd, 30), 0, cd),
              "c.length=40",
              "m * n = 4 * 6 = 24"));
      all.add(
          bad(
              "gemv negative n",
              iae,
              (o, a, b, c, ad, bd, cd) -> o.gemv(false, 4, -5, 1f, a, 0, 5, b, 0, 0f, c, 0),
              "n is negative: -5"));
      all.add(
          bad(
              "gemv lda",
              iae,
              (o, a, b, c, ad, bd, cd) -> o.gemv(true, 4, 5, 1, ad, 0, 4, bd, 0, 0, cd, 0),
              "lda=4",
              "5 columns"));
      all.add(
          bad(
              "gemv x too short",
              oob,
              (o, a, b, c, ad, bd, cd) -> o.gemv(false, 4, 5, 1f, a, 0, 5, b, 38, 0f, c, 0),
              "x:",
              "offset 38",
              "length 5"));
      all.add(
          bad(
              "gemv y too short transposed",
              oob,
              (o, a, b, c, ad, bd, cd) -> o.gemv(true, 4, 5, 1, ad, 0, 5, bd, 0, 0, cd, 36),
              "y:",
              "offset 36",
              "length 5"));
      all.add(
          bad(
              "gemv y overlaps x",
              iae,
              (o, a, b, c, ad, bd, cd) -> o.gemv(false, 4, 5, 1f, a, 0, 5, b, 0, 0f, b, 2),
              "y overlaps x"));
      all.add(
          bad(
              "gemv y overlaps a",
              iae,
              (o, a, b, c, ad, bd, cd) -> o.gemv(false, 4, 5, 1, ad, 0, 5, bd, 0, 0, ad, 19),
              "y overlaps a"));
      all.add(
          bad(
              "gemv whole x",
              iae,
              (o, a, b, c, ad, bd, cd) ->
                  o.gemv(4, 5, 1f, Arrays.copyOf(a, 20), b, 0f, Arrays.copyOf(c, 4)),
              "x.length=40"));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectedBeforeAnyWrite(Bad bad) {
    for (Mode mode : Mode.values()) {
      float[] a = filled();
      float[] b = filled();
      float[] c = filled();
      double[] ad = filledDoubles();
      double[] bd = filledDoubles();
      double[] cd = filledDoubles();
      RuntimeException e =
          assertThrows(
              bad.type(), () -> bad.call().run(flynn.using(mode), a, b, c, ad, bd, cd), bad.name());
      for (String fragment : bad.fragments()) {
        assertTrue(
            e.getMessage().contains(fragment),
            bad.name() + ": message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
      }
      for (float[] array : new float[][] {a, b, c}) {
        assertArrayEquals(filled(), array, bad.name() + " wrote before throwing");
      }
      for (double[] array : new double[][] {ad, bd, cd}) {
        assertArrayEquals(filledDoubles(), array, bad.name() + " wrote before throwing");
      }
    }
  }

  private static float[] filled() {
    float[] x = new float[40];
    Arrays.fill(x, S);
    return x;
  }

  private static double[] filledDoubles() {
    double[] x = new double[40];
    Arrays.fill(x, S);
    return x;
  }
}
