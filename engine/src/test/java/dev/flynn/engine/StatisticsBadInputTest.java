package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.kernels.Comparison;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The argument checks of the statistics kernels: the exception type and a message that names the
 * argument and its values, for null arrays, null comparisons, ranges out of bounds, negative
 * lengths and ranges too short for the statistic. (They write nothing, so there is nothing to leave
 * untouched.)
 */
class StatisticsBadInputTest {

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(2).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  private static Arguments bad(
      String name, Class<? extends RuntimeException> type, String fragments, Consumer<FlynnOps> c) {
    return Arguments.of(name, type, fragments, c);
  }

  static Stream<Arguments> calls() {
    float[] f = new float[10];
    double[] d = new double[10];
    float[] nf = null;
    double[] nd = null;
    Class<NullPointerException> npe = NullPointerException.class;
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
    String outside = "a: offset 8 and length 3 do not fit in an array of length 10";
    List<Arguments> all = new ArrayList<>();
    for (String type : new String[] {"float", "double"}) {
      boolean isFloat = type.equals("float");
      List<String> needOne = List.of("argmin", "argmax", "mean", "variance", "standardDeviation");
      List<String> all9 =
          List.of(
              "argmin",
              "argmax",
              "sumOfSquares",
              "norm2",
              "mean",
              "variance",
              "sampleVariance",
              "standardDeviation",
              "count");
      for (String kernel : all9) {
        all.add(
            bad(
                type + " " + kernel + " null",
                npe,
                "a is null",
                ops -> call(ops, kernel, isFloat, nf, nd, 0, 0, true)));
        all.add(
            bad(
                type + " " + kernel + " null range",
                npe,
                "a is null",
                ops -> call(ops, kernel, isFloat, nf, nd, 0, 0, false)));
        all.add(
            bad(
                type + " " + kernel + " outside",
                ioobe,
                outside,
                ops -> call(ops, kernel, isFloat, f, d, 8, 3, false)));
        all.add(
            bad(
                type + " " + kernel + " negative length",
                iae,
                "length is negative: -1",
                ops -> call(ops, kernel, isFloat, f, d, 0, -1, false)));
      }
      for (String kernel : needOne) {
        all.add(
            bad(
                type + " " + kernel + " empty",
                iae,
                kernel + " of an empty range is undefined: a has length 0",
                ops -> call(ops, kernel, isFloat, f, d, 3, 0, false)));
      }
      all.add(
          bad(
              type + " sampleVariance of one",
              iae,
              "sampleVariance needs at least 2 elements: a has length 1",
              ops -> call(ops, "sampleVariance", isFloat, f, d, 3, 1, false)));
    }
    all.add(
        bad("float count null comparison", npe, "comparison is null", o -> o.count(f, null, 0f)));
    all.add(
        bad("double count null comparison", npe, "comparison is null", o -> o.count(d, null, 0.0)));
    all.add(
        bad(
            "float count null comparison range",
            npe,
            "comparison is null",
            o -> o.count(f, 0, 3, null, 0f)));
    return all.stream();
  }

  /** Calls one statistic, whole-array or on a range, on the float or the double array. */
  private static void call(
      FlynnOps ops,
      String kernel,
      boolean isFloat,
      float[] f,
      double[] d,
      int offset,
      int length,
      boolean whole) {
    if (isFloat) {
      switch (kernel) {
        case "argmin" -> ignore(whole ? ops.argmin(f) : ops.argmin(f, offset, length));
        case "argmax" -> ignore(whole ? ops.argmax(f) : ops.argmax(f, offset, length));
        case "sumOfSquares" ->
            ignore(whole ? ops.sumOfSquares(f) : ops.sumOfSquares(f, offset, length));
        case "norm2" -> ignore(whole ? ops.norm2(f) : ops.norm2(f, offset, length));
        case "mean" -> ignore(whole ? ops.mean(f) : ops.mean(f, offset, length));
        case "variance" -> ignore(whole ? ops.variance(f) : ops.variance(f, offset, length));
        case "sampleVariance" ->
            ignore(whole ? ops.sampleVariance(f) : ops.sampleVariance(f, offset, length));
        case "standardDeviation" ->
            ignore(whole ? ops.standardDeviation(f) : ops.standardDeviation(f, offset, length));
        default ->
            ignore(
                whole
                    ? ops.count(f, Comparison.LESS, 0f)
                    : ops.count(f, offset, length, Comparison.LESS, 0f));
      }
      return;
    }
    switch (kernel) {
      case "argmin" -> ignore(whole ? ops.argmin(d) : ops.argmin(d, offset, length));
      case "argmax" -> ignore(whole ? ops.argmax(d) : ops.argmax(d, offset, length));
      case "sumOfSquares" ->
          ignore(whole ? ops.sumOfSquares(d) : ops.sumOfSquares(d, offset, length));
      case "norm2" -> ignore(whole ? ops.norm2(d) : ops.norm2(d, offset, length));
      case "mean" -> ignore(whole ? ops.mean(d) : ops.mean(d, offset, length));
      case "variance" -> ignore(whole ? ops.variance(d) : ops.variance(d, offset, length));
      case "sampleVariance" ->
          ignore(whole ? ops.sampleVariance(d) : ops.sampleVariance(d, offset, length));
      case "standardDeviation" ->
          ignore(whole ? ops.standardDeviation(d) : ops.standardDeviation(d, offset, length));
      default ->
          ignore(
              whole
                  ? ops.count(d, Comparison.LESS, 0.0)
                  : ops.count(d, offset, length, Comparison.LESS, 0.0));
    }
  }

  private static void ignore(double result) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void badArgumentsThrowWithAClearMessage(
      String name, Class<? extends RuntimeException> type, String fragments, Consumer<FlynnOps> c) {
    for (Mode mode : Mode.values()) {
      RuntimeException e = assertThrows(type, () -> c.accept(flynn.using(mode)), name);
      assertTrue(
          e.getMessage().contains(fragments),
          () -> name + ": message '" + e.getMessage() + "' lacks '" + fragments + "'");
    }
  }
}
