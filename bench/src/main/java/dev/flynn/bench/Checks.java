package dev.flynn.bench;

/** The benchmarks' correctness gate, run in set-up, outside the timed region. */
final class Checks {

  private Checks() {}

  /**
   * Throws when {@code actual} is further than {@code tolerance} from {@code expected}; the message
   * reads "{@code who kernel} gave ..., expected ... +- ...".
   */
  static void near(String who, String kernel, double actual, double expected, double tolerance) {
    if (!(Math.abs(actual - expected) <= tolerance)) {
      throw new IllegalStateException(
          who + " " + kernel + " gave " + actual + ", expected " + expected + " +- " + tolerance);
    }
  }

  /** As {@link #near}, for element {@code i} of an output: "... gave x at [i], expected ...". */
  static void nearAt(
      String who, String kernel, int i, double actual, double expected, double tolerance) {
    nearAt(who, kernel, i, actual, Double.toString(actual), expected, tolerance);
  }

  /** As above for a float output, whose value the message shows as a float. */
  static void nearAt(
      String who, String kernel, int i, float actual, double expected, double tolerance) {
    nearAt(who, kernel, i, actual, Float.toString(actual), expected, tolerance);
  }

  private static void nearAt(
      String who,
      String kernel,
      int i,
      double actual,
      String shown,
      double expected,
      double tolerance) {
    if (!(Math.abs(actual - expected) <= tolerance)) {
      throw new IllegalStateException(
          who
              + " "
              + kernel
              + " gave "
              + shown
              + " at ["
              + i
              + "], expected "
              + expected
              + " +- "
              + tolerance);
    }
  }
}
