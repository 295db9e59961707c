package dev.flynn.bench;

/** The benchmarks' correctness gate, run in set-up, outside the timed region. */
final class Checks {

  private Checks() {}

  /** Throws when {@code actual} is further than {@code tolerance} from {@code expected}. */
  static void near(
      String kernel, Object variant, double actual, double expected, double tolerance) {
    if (!(Math.abs(actual - expected) <= tolerance)) {
      throw new IllegalStateException(
          kernel
              + " in "
              + variant
              + " gave "
              + actual
              + ", expected "
              + expected
              + " +- "
              + tolerance);
    }
  }
}
